"""Top-level `NAME = "X.Y.Z"` assignments in Python files, as the build backends read them."""

from __future__ import annotations

import re


def assignment(name: str) -> re.Pattern[str]:
    """A top-level `NAME = "literal"` (annotation allowed), its value as group `version`.

    Only a plain string ends the match at the end of the statement, so `NAME = "1.0" + x` and
    `NAME = get_version()` are not string assignments (group `version` is then None).
    """
    return re.compile(
        rf"^{re.escape(name)}[ \t]*(?::[^=\n]*)?=(?!=)[ \t]*"
        r"(?:(?P<q>['\"])(?P<version>[^'\"\\\n]*)(?P=q)(?=[ \t]*(?:[#;\r\n]|$)))?",
        re.MULTILINE,
    )


DUNDER_VERSION = assignment("__version__")


def first_string_assignment(text: str) -> re.Match[str] | None:
    """The first top-level `__version__ = "..."` of `text` that assigns a string."""
    for match in DUNDER_VERSION.finditer(text):
        if match["version"] is not None:
            return match
    return None
