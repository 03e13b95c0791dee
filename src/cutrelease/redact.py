"""Remove credentials from remote URLs in anything shown to the user."""

from __future__ import annotations

import re

# scheme://user:password@host -> scheme://host ; also catches a bare token (scheme://token@host).
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@]+@")


def redact(text: str) -> str:
    """`text` with every URL's user and password removed."""
    return _USERINFO.sub(r"\1", text)
