"""Versions from git tags (hatch-vcs, setuptools-scm, ...): the changelog's newest release.

No file holds the version: the tool asks git at build time. The current version is the
changelog's newest release, which must have its tag (`require_tag`); the files the tool writes
the version to at build time are never copies to move.
"""

from __future__ import annotations

import re

from cutrelease.errors import Refused
from cutrelease.files.sources.base import Found, Pyproject, Source
from cutrelease.files.sources.version_sources import VersionSources


def backend(project: Pyproject) -> str | None:
    """The tool that takes the version from git tags, if one does."""
    hatch = project.tool_table("hatch").get("version", {})
    hatch_source = hatch.get("source") if isinstance(hatch, dict) else None
    if hatch_source == "vcs":
        return "hatch-vcs"
    if hatch_source == "uv-dynamic-versioning":
        return "uv-dynamic-versioning"
    pdm = project.tool_table("pdm").get("version", {})
    if isinstance(pdm, dict) and pdm.get("source") == "scm":
        return "pdm scm"
    pdv = project.tool.get("poetry-dynamic-versioning")
    if isinstance(pdv, dict) and pdv.get("enable") is True:
        return "poetry-dynamic-versioning"
    scm_required = any(re.match(r"setuptools[-_]scm\b", r, re.I) for r in project.requires)
    if "setuptools_scm" in project.tool or "setuptools-scm" in project.tool or scm_required:
        return "setuptools-scm"
    return None


def source(project: Pyproject, backend: str, changelog: str) -> Found:
    """The newest release of `changelog` (relative to the project's folder) as the version
    `backend` takes from git tags; Refused when the changelog is missing or has none."""
    from cutrelease.files import changelog as changelog_module

    path = project.file(changelog)
    if not project.reader.is_file(path):
        raise Refused(
            f"The version comes from git tags ({backend}), and cutrelease reads the "
            f"current one from the changelog, but {path} does not exist.",
            hint="Run `bump init` to create it, or set [tool.cutrelease].changelog.",
        )
    newest = changelog_module.newest_version(project.reader.text(path), path=path)
    if newest is None:
        raise Refused(
            f"The version comes from git tags ({backend}), and {path} has no release "
            "to read the current one from.",
            hint="Add the section of the last tagged release (## [X.Y.Z] - YYYY-MM-DD).",
        )
    version_source = Source("tags", newest, backend, None, changelog=path)
    return Found(version_source, generated=_generated_files(project))


def _generated_files(project: Pyproject) -> frozenset[str]:
    """The files a tags backend writes at build time: never copies to move."""
    hooks = project.tool_table("hatch").get("build", {})
    vcs = hooks.get("hooks", {}).get("vcs", {}) if isinstance(hooks, dict) else {}
    scm = project.tool.get("setuptools_scm", {})
    pdm = project.tool_table("pdm").get("version", {})
    written = ((vcs, "version-file"), (scm, "version_file"), (scm, "write_to"))
    return frozenset(
        project.file(table[key])
        for table, key in (*written, (pdm, "write_to"))
        if isinstance(table, dict) and isinstance(table.get(key), str)
    )


def require_tag(found: VersionSources, *, tag: str, exists: bool) -> None:
    """With versions from tags, the current version must have its tag (`exists`)."""
    if found.kind == "tags" and not exists:
        raise Refused(
            f"The version comes from git tags ({found.source.backend}), but "
            f"{found.source.changelog}'s newest release {found.version} has no tag {tag}.",
            hint=f"Tag the commit that released it (`git tag {tag} COMMIT`), or fix "
            f"{found.source.changelog}.",
        )
