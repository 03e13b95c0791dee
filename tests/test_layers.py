"""The import graph of cutrelease is a stack: no module imports, even lazily, one that imports it.

Every `import` of a cutrelease module counts, at the top of a file, inside a function, or under
`if TYPE_CHECKING:` (a circle of type names is a circle a reader must walk). A module's layer
is one more than the highest layer it imports; the test prints the layers (`pytest -s`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "cutrelease"


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imported(node: ast.AST, modules: dict[str, Path]) -> set[str]:
    """The cutrelease modules one import statement loads (`from pkg import module` names the
    module, `from module import name` the module)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in modules}
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        named = {f"{node.module}.{alias.name}" for alias in node.names}
        found = {name for name in named if name in modules}
        if node.module in modules and len(found) < len(named):
            found.add(node.module)
        return found
    return set()


def import_graph() -> dict[str, set[str]]:
    """{module: the cutrelease modules it imports anywhere in its text}, packages left out
    (their __init__ files are one docstring each)."""
    modules = _modules()
    packages = {name for name, path in modules.items() if path.name == "__init__.py"}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        if name in packages:
            continue
        tree = ast.parse(path.read_text("utf-8"), str(path))
        imports: set[str] = set()
        for node in ast.walk(tree):
            imports |= _imported(node, modules)
        graph[name] = imports - packages - {name}
    return graph


def layers(graph: dict[str, set[str]]) -> list[list[str]]:
    """The modules by layer: layer 0 imports no cutrelease module, layer N only lower ones.
    Raises AssertionError naming a circle if there is one."""
    level: dict[str, int] = {}
    visiting: list[str] = []

    def depth(name: str) -> int:
        if name in level:
            return level[name]
        if name in visiting:
            circle = [*visiting[visiting.index(name) :], name]
            raise AssertionError("import circle: " + " -> ".join(circle))
        visiting.append(name)
        level[name] = 1 + max((depth(other) for other in graph[name]), default=-1)
        visiting.pop()
        return level[name]

    for name in sorted(graph):
        depth(name)
    stack: list[list[str]] = [[] for _ in range(max(level.values()) + 1)]
    for name, at in sorted(level.items()):
        stack[at].append(name.removeprefix(f"{PACKAGE}."))
    return stack


def test_the_imports_form_a_stack() -> None:
    stack = layers(import_graph())
    for at, names in enumerate(stack):
        print(f"layer {at}: {', '.join(names)}")
    assert len(stack) > 3


def test_a_circle_is_found() -> None:
    """The check itself can fail: a graph with a circle is refused, naming it."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    with pytest.raises(AssertionError, match="import circle: a -> b -> c -> a"):
        layers(graph)
    assert layers({"a": {"b"}, "b": set()}) == [["b"], ["a"]]
