"""Poetry's `[tool.poetry].version`: the source before poetry 2.0, else a repeat that moves too."""

from __future__ import annotations

from collections.abc import Iterator

from cutrelease.files.sources.base import Found, Place, Pyproject, Source
from cutrelease.files.sources.toml_keys import toml_place

_KEYS = ("tool", "poetry", "version")


def source(project: Pyproject) -> Found | None:
    """`[tool.poetry].version`, when set (asked only without a static `[project].version`)."""
    version = project.tool_table("poetry").get("version")
    if not isinstance(version, str):
        return None
    return Found(Source("poetry", version, "poetry", toml_place(project, _KEYS)))


def places(project: Pyproject, found: Found) -> Iterator[Place]:
    """`[tool.poetry].version` beside a `[project].version` source: it moves with it."""
    version = project.tool_table("poetry").get("version")
    if found.source.kind == "pyproject" and isinstance(version, str):
        yield toml_place(project, _KEYS)
