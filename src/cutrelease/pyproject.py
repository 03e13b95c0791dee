"""[project].version through tomlkit, text in, text out (pure)."""

from __future__ import annotations

from cutrelease.errors import FileFormatError


def set_version(text: str, version: str, *, path: str = "pyproject.toml") -> str:
    """`text` with only the value of [project].version replaced; every other byte kept.

    Every TOML spelling of the key is accepted: a `[project]` header with `version = ...`,
    top-level dotted keys (`project.version = ...`, quoted or spaced, `"project".'version'`),
    an inline table (`project = {...}`), and a `[project]` table split into parts (dotted
    keys mixed with `[project.urls]` headers), which tomlkit presents as one proxy mapping.
    """
    import tomlkit
    from tomlkit.container import OutOfOrderTableProxy
    from tomlkit.exceptions import TOMLKitError
    from tomlkit.items import InlineTable, String, Table

    bom = "\ufeff" if text.startswith("\ufeff") else ""  # kept, but no TOML parser takes it
    text = text[len(bom) :]
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise FileFormatError(path, f"is not valid TOML ({exc}).") from None
    project = document.get("project")
    tables = (Table, InlineTable, OutOfOrderTableProxy)
    old = project.get("version") if isinstance(project, tables) else None
    if not isinstance(project, tables) or not isinstance(old, String):
        raise FileFormatError(path, "has no static string [project].version to change.")
    # Keep the quote style (basic or literal) the maintainer chose. Assigning to an existing
    # key replaces the value in the table part that holds it and keeps the key's spelling.
    project["version"] = String.from_raw(version, old.type)
    result = tomlkit.dumps(document)
    _assert_one_line_changed(text, result, path)
    return bom + result


def _assert_one_line_changed(before: str, after: str, path: str) -> None:
    """Refuse rather than write if tomlkit reformatted anything beyond the version line."""
    old_lines, new_lines = before.splitlines(True), after.splitlines(True)
    changed = [a for a, b in zip(old_lines, new_lines, strict=False) if a != b]
    if len(old_lines) != len(new_lines) or len(changed) != 1:
        raise FileFormatError(
            path,
            "cannot be rewritten without changing more than the version line.",
            hint="Please report this file's shape to cutrelease.",
        )
