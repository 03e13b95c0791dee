"""PEP 621's `[project].version`: the version written in pyproject.toml, changed by tomlkit."""

from __future__ import annotations

from cutrelease.errors import FileFormatError, Refused
from cutrelease.files.sources.base import Found, Pyproject, Source
from cutrelease.files.sources.toml_keys import toml_place


def source(project: Pyproject) -> Found | None:
    """`[project].version`, when set; None without one.

    Raises FileFormatError when it is not a string, and Refused when `[tool.poetry].version`
    says another version (poetry 2 reads `[project].version`).
    """
    version = project.project.get("version")
    poetry = project.tool_table("poetry").get("version")
    if version is not None and not isinstance(version, str):
        raise FileFormatError(project.path, "[project].version is not a string.")
    if not isinstance(version, str):
        return None
    if isinstance(poetry, str) and poetry != version:
        from cutrelease import versions  # packaging: only for a version written twice

        if not versions.same_release(version, poetry):
            raise Refused(
                f"{project.path} has [project].version {version} and "
                f"[tool.poetry].version {poetry}, which disagree.",
                hint="Keep [project].version (poetry 2 reads it) and remove the other.",
            )
    return Found(Source("pyproject", version, "", toml_place(project, ("project", "version"))))
