"""flit's dynamic version: the module's `__version__`, found as `flit_core.common.Module` finds it.

The module is `NAME`, `NAME.py`, `src/NAME` or `src/NAME.py`; in a package, `__init__.py`
wins over `version.py`, `_version.py` and `__version__.py`.
"""

from __future__ import annotations

from cutrelease.errors import FileFormatError
from cutrelease.files.sources.assignments import assignments
from cutrelease.files.sources.base import Found, Place, Pyproject, Source
from cutrelease.files.sources.edits import splice_place


def source(project: Pyproject) -> Found | None:
    """The module's `__version__` string; None when no module or no string is found."""
    module = project.tool_table("flit", "module")
    name = module.get("name") or project.project.get("name")
    if not isinstance(name, str):
        return None
    name = name.replace("-", "_") if "name" not in module else name
    as_path = name.replace(".", "/")
    package = None
    for base in ("", "src/"):
        folder = project.file(base + as_path)
        if project.reader.is_dir(folder):
            package = folder
            files = ["__version__.py", "_version.py", "version.py", "__init__.py"]
            candidates = [f"{folder}/{f}" for f in files]
            break
        if project.reader.is_file(folder + ".py"):
            candidates = [folder + ".py"]
            break
    else:
        return None
    found: Place | None = None  # flit reads each file in turn, and the last one found wins
    for path in candidates:
        if project.reader.is_file(path):
            found = _module_version(project.reader.text(path), path) or found
    if found is None:
        return None
    return Found(Source("flit", found.version, "flit-core", found), package=package)


def looked_for(project: Pyproject) -> str:
    """What flit did not find, for the refusal."""
    return "found no module with a __version__ string (looked for NAME and src/NAME)"


def _module_version(text: str, path: str) -> Place | None:
    """flit's `get_docstring_and_version_via_ast`: the first top-level `__version__` whose
    value is a string literal (any target of a chained assignment)."""
    for assignment in assignments(text, "__version__"):
        if assignment.nested or not assignment.string or assignment.name != "__version__":
            continue
        if assignment.kind != "literal":
            raise FileFormatError(
                path,
                f"__version__ is {assignment.value}, which flit reads but cutrelease cannot move.",
                line=assignment.line,
                hint='Write __version__ = "X.Y.Z" on one line, without escapes.',
            )
        return splice_place(text, path, assignment.start, assignment.value, what="__version__")
    return None
