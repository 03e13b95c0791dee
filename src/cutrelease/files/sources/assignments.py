"""Assignments of a name (`__version__`) in Python files: which can be moved, which cannot.

Found with `ast`, so that every spelling Python accepts is found: chained
(`__version__ = version = "1.0"`), annotated, parenthesised, any quotes, a prefix, tuple
targets (`__version__, x = "1.0", 1`), a second assignment later in the file. Only the
version's characters are ever rewritten: each movable assignment is the offset of the
string's content in the text, and the content must be exactly the string's value (no escape,
no implicit concatenation).

What each assignment is (`Assignment.kind`):

- "literal": a plain string (no prefix, `r` or `u`) the release can move.
- "static": a value this file alone decides but that is no movable literal: an f-string, bytes,
  `"1." "0"`, an escape, or a value computed from literals (`".".join(map(str, VERSION))`
  with `VERSION = (1, 0, 0)` above): it would stay behind, so it is refused.
- "runtime": a value read when the module runs (`importlib.metadata.version("x")`, a name
  imported from elsewhere): nothing here holds the version, nothing to move.

`__version__ = VERSION`, where `VERSION` is a string literal assigned above in the same file,
is that literal's assignment (named VERSION): moving it moves `__version__`.

Statements inside `if`, `try` and `with` blocks at module level are found too, marked
`nested`: a fallback (`except ImportError: __version__ = "unknown"`) is no copy of the
version, so the callers move a nested literal only when it holds the current version.
Functions and classes are not the module's namespace and are not looked into.

A file this Python cannot parse (syntax newer than the running Python, say) falls back to a
line scan of top-level `NAME = "..."` statements (chained names allowed).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from typing import Literal, NamedTuple

Kind = Literal["literal", "static", "runtime"]

_PREFIXES_MOVED = {"", "r", "u"}
_MAX_DEPTH = 8  # names followed through names (VERSION = _V = "1.0"), at most


class Assignment(NamedTuple):
    """One assignment to a name: where it is, and what can be done with its value."""

    name: str  # the name whose literal this is: the target, or the name it is the value of
    line: int  # 1-based, of the literal for "literal", of the statement otherwise
    kind: Kind
    start: int = -1  # the offset of the string's content, for "literal"
    value: str = ""  # the string, for "literal"; what it is (for messages) otherwise
    nested: bool = False  # inside an if/try/with block of the module
    string: bool = False  # the value is one string literal (what flit reads without importing)

    @property
    def top_level(self) -> bool:
        return not self.nested


def assignments(text: str, name: str) -> list[Assignment]:
    """Every module-level assignment to `name` in the Python `text`, in the file's order."""
    bom = 1 if text.startswith("\ufeff") else 0
    source = text[bom:]
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return _scanned(text, name)
    return list(_Module(source, bom).find(tree.body, name))


def first_top_level(text: str, name: str) -> Assignment | None:
    """The first top-level assignment to `name` (what setuptools' `attr` reads), if any."""
    return next((a for a in assignments(text, name) if a.top_level), None)


class _Module:
    """One parsed file: its statements, the literals its names hold, offsets into its text."""

    def __init__(self, source: str, bom: int) -> None:
        self.source = source
        self.bom = bom
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", source)]
        self.bound: dict[str, ast.expr | None] = {}  # top-level name -> its value so far

    def find(
        self, body: list[ast.stmt], name: str, *, nested: bool = False
    ) -> Iterator[Assignment]:
        for statement in body:
            for target, value in _bindings(statement):
                if target == name and value is not None:
                    yield self._classify(value, name, statement.lineno, nested)
                if not nested:
                    self.bound[target] = value
            for block in _blocks(statement):
                yield from self.find(block, name, nested=True)

    def _classify(self, value: ast.expr, name: str, line: int, nested: bool) -> Assignment:
        literal, holder = value, name
        for _ in range(_MAX_DEPTH):  # __version__ = VERSION: VERSION's literal, if it is one
            if not isinstance(literal, ast.Name) or self.bound.get(literal.id) is None:
                break
            holder, literal = literal.id, self.bound[literal.id]  # type: ignore[assignment]
        string = isinstance(literal, ast.Constant) and isinstance(literal.value, str)
        if string:
            assert isinstance(literal, ast.Constant)
            start = self._offset(literal.lineno, literal.col_offset)
            end = self._offset(literal.end_lineno or literal.lineno, literal.end_col_offset or 0)
            content = _content(self.source[start:end])
            if content is not None and content[1] == literal.value:
                offset = self.bom + start + content[0]
                return Assignment(
                    holder, literal.lineno, "literal", offset, literal.value, nested, string
                )
        try:
            computed = _evaluate(value, self.bound, _MAX_DEPTH)
        except _Unknown:
            return Assignment(name, line, "runtime", nested=nested)
        if string:
            what = "a string written with escapes or in pieces"
        elif isinstance(literal, ast.JoinedStr):
            what = "an f-string"
        elif isinstance(literal, ast.Constant):
            what = f"a literal of type {type(literal.value).__name__}"
        else:
            what = "computed from literals in this file"
        described = f"{what} ({computed!r})"
        return Assignment(name, line, "static", -1, described, nested, string)

    def _offset(self, line: int, column: int) -> int:
        """The character offset of ast's (line, UTF-8 byte column)."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.source)
        return start + len(self.source[start:end].encode("utf-8")[:column].decode("utf-8"))


def _bindings(statement: ast.stmt) -> Iterator[tuple[str, ast.expr | None]]:
    """The names a statement binds, each with its value (None when not an expression here)."""
    if isinstance(statement, ast.Assign):
        for target in statement.targets:
            yield from _unpacked(target, statement.value)
    elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        if statement.value is not None:
            yield statement.target.id, statement.value
    elif isinstance(statement, (ast.Import, ast.ImportFrom)):
        for alias in statement.names:
            yield (alias.asname or alias.name).split(".")[0], None
    elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield statement.name, None
    elif isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name):
        yield statement.target.id, None


def _unpacked(target: ast.expr, value: ast.expr) -> Iterator[tuple[str, ast.expr | None]]:
    if isinstance(target, ast.Name):
        yield target.id, value
    elif isinstance(target, (ast.Tuple, ast.List)):
        pairs = isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts)
        for index, element in enumerate(target.elts):
            inner = value.elts[index] if pairs else None  # type: ignore[attr-defined]
            if inner is None:
                yield from ((n, None) for n in _names(element))
            else:
                yield from _unpacked(element, inner)


def _names(target: ast.expr) -> Iterator[str]:
    for node in ast.walk(target):
        if isinstance(node, ast.Name):
            yield node.id


def _blocks(statement: ast.stmt) -> Iterator[list[ast.stmt]]:
    """The bodies of a module-level if/try/with: still the module's namespace."""
    if isinstance(statement, ast.If):
        yield from (statement.body, statement.orelse)
    elif isinstance(statement, (ast.With, ast.AsyncWith)):
        yield statement.body
    elif isinstance(statement, ast.Try) or type(statement).__name__ == "TryStar":
        yield statement.body  # type: ignore[attr-defined]
        for handler in statement.handlers:  # type: ignore[attr-defined]
            yield handler.body
        yield statement.orelse  # type: ignore[attr-defined]
        yield statement.finalbody  # type: ignore[attr-defined]


def _content(literal: str) -> tuple[int, str] | None:
    """A single string literal's content, and its offset in `literal`; None with a prefix
    that is not moved (f, b) or when the text is no single literal."""
    prefix = re.match(r"[A-Za-z]*", literal)
    assert prefix is not None
    if prefix[0].lower() not in _PREFIXES_MOVED:
        return None
    rest = literal[prefix.end() :]
    quote = rest[:3] if rest[:3] in ('"""', "'''") else rest[:1]
    if not quote or len(rest) < 2 * len(quote) or not rest.endswith(quote):
        return None
    return prefix.end() + len(quote), rest[len(quote) : len(rest) - len(quote)]


class _Unknown(Exception):
    """A value this file alone does not decide."""


def _evaluate(node: ast.expr, bound: dict[str, ast.expr | None], depth: int) -> object:
    """The value of `node` when literals of this file alone decide it; _Unknown otherwise.

    Enough for the ways a version is built from literals: names bound to literals, tuples,
    `+` and `%`, f-strings, `str()`, `map(str, ...)`, `"sep".join(...)`, `"...".format(...)`,
    indexing.
    """
    if depth < 0:
        raise _Unknown

    def value(inner: ast.expr) -> object:
        return _evaluate(inner, bound, depth - 1)

    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        target = bound.get(node.id)
        if target is None:
            raise _Unknown
        return value(target)
    if isinstance(node, (ast.Tuple, ast.List)):
        return tuple(value(element) for element in node.elts)
    if isinstance(node, ast.JoinedStr):
        parts = []
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                if part.format_spec is not None:
                    raise _Unknown
                formatted = value(part.value)
                parts.append(repr(formatted) if part.conversion == ord("r") else str(formatted))
            else:
                parts.append(str(value(part)))
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        left, right = value(node.left), value(node.right)
        try:
            return left + right if isinstance(node.op, ast.Add) else left % right  # type: ignore[operator]
        except (TypeError, ValueError):
            raise _Unknown from None
    if isinstance(node, ast.Subscript):
        container, index = value(node.value), value(node.slice)
        if isinstance(container, (tuple, str)) and isinstance(index, int):
            try:
                return container[index]
            except IndexError:
                raise _Unknown from None
        raise _Unknown
    if isinstance(node, ast.Call) and not node.keywords:
        return _call(node, value)
    raise _Unknown


def _call(node: ast.Call, evaluate: Callable[[ast.expr], object]) -> object:
    """`str(x)`, `map(str, x)`, `"sep".join(x)`, `"...".format(*x)`, from literals."""
    function = node.func
    if isinstance(function, ast.Name) and function.id == "map" and len(node.args) == 2:
        mapped, items = node.args[0], evaluate(node.args[1])
        if isinstance(mapped, ast.Name) and mapped.id == "str" and isinstance(items, tuple):
            return tuple(str(item) for item in items)
        raise _Unknown
    args: list[object] = []
    for argument in node.args:
        if isinstance(argument, ast.Starred):
            unpacked = evaluate(argument.value)
            if not isinstance(unpacked, tuple):
                raise _Unknown
            args.extend(unpacked)
        else:
            args.append(evaluate(argument))
    if isinstance(function, ast.Name) and function.id == "str" and len(args) == 1:
        return str(args[0])
    if isinstance(function, ast.Attribute) and function.attr in ("join", "format"):
        receiver = evaluate(function.value)
        if isinstance(receiver, str):
            try:
                if function.attr == "join" and len(args) == 1 and isinstance(args[0], tuple):
                    return receiver.join(str(item) for item in args[0])
                if function.attr == "format":
                    return receiver.format(*args)
            except (TypeError, IndexError, KeyError, ValueError):
                raise _Unknown from None
    raise _Unknown


def _scanned(text: str, name: str) -> list[Assignment]:
    """The fallback for a file this Python cannot parse: top-level lines `NAME = "..."`,
    chained names allowed; any other value is taken as read at run time."""
    pattern = re.compile(
        rf"^(?:[A-Za-z_]\w*[ \t]*=[ \t]*)*{re.escape(name)}[ \t]*(?::[^=\n]*)?=(?!=)[ \t]*"
        r"(?:[A-Za-z_]\w*[ \t]*=(?!=)[ \t]*)*"
        r"(?:[uUrR]?(?P<q>['\"])(?P<version>[^'\"\\\n]*)(?P=q)(?=[ \t]*(?:[#;\r\n]|$)))?",
        re.MULTILINE,
    )
    found = []
    for match in pattern.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if match["version"] is None:
            found.append(Assignment(name, line, "runtime"))
        else:
            found.append(
                Assignment(name, line, "literal", match.start("version"), match["version"])
            )
    return found
