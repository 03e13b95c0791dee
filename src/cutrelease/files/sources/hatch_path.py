"""hatchling's dynamic version: the file `[tool.hatch.version] path` names, by its `pattern`."""

from __future__ import annotations

from cutrelease.errors import Refused
from cutrelease.files.sources.base import Found, Pyproject, Source
from cutrelease.files.sources.edits import pattern_place
from cutrelease.files.sources.import_package import package_of

#: hatchling's default (`hatchling.version.core.DEFAULT_PATTERN`), searched with re.MULTILINE:
#: `__version__` or `VERSION` set to a string, an optional `v` before it.
HATCH_DEFAULT_PATTERN = r"(?i)^(__version__|VERSION) *= *([\'\"])v?(?P<version>.+?)\2"


def source(project: Pyproject) -> Found | None:
    """The version in `[tool.hatch.version].path`; None without one (or another source).

    Raises Refused for a pattern that is not a string or has no `version` group, or a path
    out of the repository; FileFormatError when the pattern matches nothing.
    """
    key = "[tool.hatch.version].path"
    config = project.tool_table("hatch").get("version", {})
    if not isinstance(config, dict) or config.get("source", "regex") != "regex":
        return None
    name, pattern = config.get("path"), config.get("pattern", True)
    if not isinstance(name, str) or not name:
        return None
    if pattern is True or pattern == "":
        pattern, what = HATCH_DEFAULT_PATTERN, "hatchling's default pattern"
    elif isinstance(pattern, str):
        what = "[tool.hatch.version].pattern"
    else:
        raise Refused(
            f"[tool.hatch.version].pattern in {project.path} must be a string, not {pattern!r}."
        )
    path = project.reader.named(project.folder, name, key=key)
    place = pattern_place(project.reader.text(path), path, pattern, what=what)
    version_source = Source("hatch-path", place.version, "hatchling", place)
    return Found(version_source, package=package_of(project.reader, path))


def looked_for(project: Pyproject) -> str:
    """What hatchling was not configured with, for the refusal."""
    config = project.tool_table("hatch").get("version", {})
    kind = config.get("source", "regex") if isinstance(config, dict) else None
    if kind not in (None, "regex"):
        return f"reads it from [tool.hatch.version] source {kind!r}"
    return "has no [tool.hatch.version].path to read it from"
