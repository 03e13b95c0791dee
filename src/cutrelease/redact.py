"""Remove credentials from remote URLs in anything shown to the user."""

from __future__ import annotations

from cutrelease.patterns import compiled

# scheme://user:password@host -> scheme://host ; also catches a bare token (scheme://token@host).
_USERINFO = r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@]+@"


def redact(text: str) -> str:
    """`text` with every URL's user and password removed."""
    if "@" not in text:  # no URL with a user in it: most of git's answers
        return text
    return compiled(_USERINFO).sub(r"\1", text)
