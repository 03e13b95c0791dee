"""[project].version through tomlkit, text in, text out (pure); the edit lives in sources."""

from __future__ import annotations

from cutrelease.sources import set_toml_string


def set_version(text: str, version: str, *, path: str = "pyproject.toml") -> str:
    """`text` with only the value of [project].version replaced; every other byte kept.

    See `sources.set_toml_string` for the spellings of the key it accepts.
    """
    return set_toml_string(text, ("project", "version"), version, path=path)
