"""TOML text as data, with the parser that is quickest to import (tomllib; tomlkit on 3.10)."""

from __future__ import annotations

import sys
from typing import Any

from cutrelease.errors import FileFormatError


def parse_toml(text: str, path: str) -> dict[str, Any]:
    """TOML text as data, with the standard library's parser (fast to import); tomlkit's on
    Python 3.10. FileFormatError naming `path` when it is not TOML."""
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise FileFormatError(path, f"is not valid TOML ({exc}).") from None
    import tomlkit  # pragma: no cover - Python 3.10
    from tomlkit.exceptions import TOMLKitError  # pragma: no cover

    try:  # pragma: no cover
        return tomlkit.parse(text).unwrap()
    except TOMLKitError as exc:  # pragma: no cover
        raise FileFormatError(path, f"is not valid TOML ({exc}).") from None
