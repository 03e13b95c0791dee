"""pdm-backend's dynamic version: `[tool.pdm.version] source = "file"`, read by pdm's pattern."""

from __future__ import annotations

from cutrelease.files.sources.base import Found, Pyproject, Source
from cutrelease.files.sources.edits import pattern_place
from cutrelease.files.sources.import_package import package_of

#: pdm-backend's (`pdm.backend.hooks.version.DynamicVersionBuildHook.resolve_version_from_file`).
PDM_PATTERN = r"^__version__\s*=\s*[\"'](?P<version>.+?)[\"']\s*(?:#.*)?$"


def source(project: Pyproject) -> Found | None:
    """The version in `[tool.pdm.version].path`; None unless its source is "file" with a path.

    Raises Refused for a path out of the repository; FileFormatError when it has no version.
    """
    config = project.tool_table("pdm").get("version", {})
    if not isinstance(config, dict) or config.get("source") != "file":
        return None
    name = config.get("path")
    if not isinstance(name, str) or not name:
        return None
    path = project.reader.named(project.folder, name, key="[tool.pdm.version].path")
    place = pattern_place(project.reader.text(path), path, PDM_PATTERN, what="pdm's pattern")
    version_source = Source("pdm-file", place.version, "pdm-backend", place)
    return Found(version_source, package=package_of(project.reader, path))


def looked_for(project: Pyproject) -> str:
    """What pdm-backend was not configured with, for the refusal."""
    return 'has no [tool.pdm.version] with source = "file" or "scm"'
