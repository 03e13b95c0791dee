"""Every Python spelling of `__version__ = "..."`: moved, refused naming path:line, or left alone.

Each case is a real project folder read by `find_places`, as a release reads it; the edit is
checked byte for byte (only the version's characters change).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cutrelease.errors import FileFormatError
from cutrelease.files.sources import VersionSources, find_places, find_version, listed_files
from cutrelease.files.sources.assignments import assignments
from cutrelease.tomlfile import parse_toml

STATIC = '[project]\nname = "widget"\nversion = "0.2.0"\n'


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def places(root: Path) -> VersionSources:
    """The places a release finds, with the listed files of [[tool.cutrelease.files]]."""
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    listed = (
        parse_toml(text, "pyproject.toml").get("tool", {}).get("cutrelease", {}).get("files", [])
    )
    return find_places(root, text, files=listed_files(listed))


def moved(tmp_path: Path, module: str, *, file: str = "_version.py") -> str:
    """The module's text after releasing 0.2.1 from a static 0.2.0 (the module a copy)."""
    write(
        tmp_path,
        {"pyproject.toml": STATIC, "src/widget/__init__.py": "", f"src/widget/{file}": module},
    )
    changes = {c.path: c for c in places(tmp_path).changes("0.2.1")}
    change = changes.get(f"src/widget/{file}")
    return module if change is None else change.after


@pytest.mark.parametrize(
    "module",
    [
        '__version__ = version = "0.2.0"\n',  # setuptools-scm's and hatch-vcs's template
        "__version__ = version = '0.2.0'\n__version_tuple__ = version_tuple = (0, 2, 0)\n",
        'a = __version__ = "0.2.0"\n',
        '__version__: str = "0.2.0"\n',
        "__version__: Final[str] = '0.2.0'  # the version\n",
        '__version__ = """0.2.0"""\n',
        "__version__ = '''0.2.0'''\n",
        "__version__ = r'0.2.0'\n",
        '__version__ = u"0.2.0"\n',
        '__version__ = R"0.2.0"\n',
        '__version__ = ("0.2.0")\n',
        '__version__ = (\n    "0.2.0"\n)\n',
        '__version__ = "0.2.0"; __author__ = "Ann"\n',
        '__version__, __author__ = "0.2.0", "Ann"\n',
        '\ufeff"""Ünïcode docstring, é."""\nAUTHOR = "Zoë"; __version__ = "0.2.0"\r\n',
        "x = 1\r__version__ = '0.2.0'\r",  # old Mac line ends: Python reads them
        '__version__ = "0.2.0"\n__version_info__ = (0, 2, 0)\n',
    ],
)
def test_every_literal_spelling_moves_and_nothing_else_changes(tmp_path: Path, module: str) -> None:
    assert moved(tmp_path, module) == module.replace("0.2.0", "0.2.1", 1)


def test_a_second_assignment_later_in_the_file_moves_too(tmp_path: Path) -> None:
    module = '__version__ = "0.2.0"\n\ndef f():\n    pass\n\n__version__ = "0.2.0"\n'
    assert moved(tmp_path, module) == module.replace("0.2.0", "0.2.1")


def test_an_indirection_to_a_literal_of_the_file_moves_the_literal(tmp_path: Path) -> None:
    module = 'VERSION = "0.2.0"\n__version__ = VERSION\n'
    assert moved(tmp_path, module) == 'VERSION = "0.2.1"\n__version__ = VERSION\n'


@pytest.mark.parametrize(
    ("module", "line", "what"),
    [
        ('__version__ = f"0.2.0"\n', 1, "an f-string ('0.2.0')"),
        ('x = 1\n__version__ = b"0.2.0"\n', 2, "a literal of type bytes (b'0.2.0')"),
        (
            '__version__ = "0.2" ".0"\n',
            1,
            "a string written with escapes or in pieces ('0.2.0')",
        ),
        ('__version__ = "\\x30.2.0"\n', 1, "a string written with escapes or in pieces ('0.2.0')"),
        (
            'VERSION = (0, 2, 0)\n__version__ = ".".join(map(str, VERSION))\n',
            2,
            "computed from literals in this file ('0.2.0')",
        ),
        (
            "VERSION_INFO = (0, 2, 0)\n__version__ = '%d.%d.%d' % VERSION_INFO\n",
            2,
            "computed from literals in this file ('0.2.0')",
        ),
        (
            'MAJOR, MINOR, PATCH = 0, 2, 0\n__version__ = f"{MAJOR}.{MINOR}.{PATCH}"\n',
            2,
            "an f-string ('0.2.0')",
        ),
        (
            "V = (0, 2, 0)\n__version__ = '{}.{}.{}'.format(*V)\n",
            2,
            "computed from literals in this file ('0.2.0')",
        ),
        ('__version__ = "0.2" + ".0"\n', 1, "computed from literals in this file ('0.2.0')"),
    ],
)
def test_a_version_no_splice_can_move_is_refused_naming_its_line(
    tmp_path: Path, module: str, line: int, what: str
) -> None:
    write(
        tmp_path,
        {"pyproject.toml": STATIC, "src/widget/__init__.py": "", "src/widget/_version.py": module},
    )
    found = places(tmp_path)
    with pytest.raises(FileFormatError) as raised:
        found.changes("0.2.1")
    assert str(raised.value) == (
        f"src/widget/_version.py:{line}: __version__ is {what}, which cutrelease cannot move "
        "to the new version (only a plain string literal moves). Write __version__ = "
        '"0.2.0", or list the file in [[tool.cutrelease.files]] with a search around the '
        "version."
    )
    assert [str(e) for e in found.disagreements()] == [str(raised.value)]


def test_a_refused_spelling_listed_in_tool_cutrelease_files_moves(tmp_path: Path) -> None:
    pyproject = (
        STATIC + '\n[[tool.cutrelease.files]]\npath = "src/widget/_version.py"\n'
        "search = 'f\"{version}\"'\n"
    )
    module = '__version__ = f"0.2.0"\n'
    write(
        tmp_path,
        {
            "pyproject.toml": pyproject,
            "src/widget/__init__.py": "",
            "src/widget/_version.py": module,
        },
    )
    changes = {c.path: c.after for c in places(tmp_path).changes("0.2.1")}
    assert changes["src/widget/_version.py"] == '__version__ = f"0.2.1"\n'


@pytest.mark.parametrize(
    "module",
    [
        'from importlib.metadata import version\n__version__ = version("widget")\n',
        "import importlib.metadata\n__version__ = importlib.metadata.version(__name__)\n",
        "from .about import VERSION\n__version__ = VERSION\n",
        "from ._version import version as __version__\n",
        '__version__ = _read_version()\n\ndef _read_version():\n    return "x"\n',
        "__version_info__ = (0, 2, 0)\n",  # a tuple alone: no __version__ here
        "def f():\n    __version__ = '0.1.0'\n",  # a function's name, not the module's
        "class Meta:\n    __version__ = '0.1.0'\n",
        "try:\n    from ._v import __version__\nexcept ImportError:\n    __version__ = 'unknown'\n",
        "if TYPE_CHECKING:\n    __version__: str\nelse:\n    __version__ = '0.0.0'\n",
    ],
)
def test_a_version_read_at_run_time_or_a_fallback_is_left_alone(
    tmp_path: Path, module: str
) -> None:
    assert moved(tmp_path, module) == module


@pytest.mark.parametrize(
    "module",
    [
        "try:\n    from ._v import __version__\nexcept ImportError:\n    __version__ = '0.2.0'\n",
        "if TYPE_CHECKING:\n    __version__: str\nelse:\n    __version__ = '0.2.0'\n",
        "with suppress(ImportError):\n    __version__ = '0.2.0'\n",
    ],
)
def test_a_nested_literal_holding_the_current_version_moves(tmp_path: Path, module: str) -> None:
    assert moved(tmp_path, module) == module.replace("0.2.0", "0.2.1")


def test_a_file_this_python_cannot_parse_is_scanned_by_lines(tmp_path: Path) -> None:
    module = "type Version = str  # 3.12\n__version__ = version = '0.2.0'\n"
    assert moved(tmp_path, module) == module.replace("0.2.0", "0.2.1")


def test_offsets_are_characters_after_non_ascii_text() -> None:
    text = '\ufeffA = "é€𝄞"; __version__ = "0.2.0"\n'
    (found,) = assignments(text, "__version__")
    assert text[found.start : found.start + 5] == "0.2.0"


def test_setuptools_attr_reads_a_chained_assignment(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "widget"\ndynamic = ["version"]\n\n'
        '[tool.setuptools.dynamic]\nversion = { attr = "widget._version.__version__" }\n'
    )
    write(
        tmp_path,
        {
            "pyproject.toml": pyproject,
            "src/widget/__init__.py": "from ._version import __version__\n",
            "src/widget/_version.py": "__version__ = version = '0.2.0'\n",
        },
    )
    found = places(tmp_path)
    assert found.source.where == "__version__ in src/widget/_version.py:1"
    assert [c.after for c in found.changes("0.2.1")] == ["__version__ = version = '0.2.1'\n"]


def test_setuptools_attr_refuses_bytes_naming_the_line(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "widget"\ndynamic = ["version"]\n\n'
        '[tool.setuptools.dynamic]\nversion = { attr = "widget.__version__" }\n'
    )
    write(
        tmp_path,
        {"pyproject.toml": pyproject, "widget/__init__.py": 'x = 1\n__version__ = b"0.2.0"\n'},
    )
    with pytest.raises(FileFormatError) as raised:
        find_version(tmp_path, pyproject)
    assert str(raised.value).startswith("widget/__init__.py:2: __version__ ")
    assert "bytes" in str(raised.value)


def test_flit_reads_a_chained_assignment_and_refuses_one_in_pieces(tmp_path: Path) -> None:
    pyproject = (
        '[build-system]\nrequires = ["flit_core"]\nbuild-backend = "flit_core.buildapi"\n\n'
        '[project]\nname = "widget"\ndynamic = ["version", "description"]\n'
    )
    write(
        tmp_path,
        {"pyproject.toml": pyproject, "widget.py": '"""W."""\n__version__ = version = "0.2.0"\n'},
    )
    found = places(tmp_path)
    assert [c.after for c in found.changes("0.2.1")] == [
        '"""W."""\n__version__ = version = "0.2.1"\n'
    ]
    write(tmp_path, {"widget.py": '"""W."""\n__version__ = ("0.2"\n    ".0")\n'})
    with pytest.raises(FileFormatError) as raised:
        find_version(tmp_path, pyproject)
    assert str(raised.value).startswith("widget.py:2: __version__ is a string written ")


def test_hatch_default_pattern_with_v_and_the_same_literal_as_a_copy(tmp_path: Path) -> None:
    pyproject = (
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
        '[project]\nname = "widget"\ndynamic = ["version"]\n\n'
        '[tool.hatch.version]\npath = "src/widget/__about__.py"\n'
    )
    about = "VERSION = 'v0.2.0'\n__version__ = VERSION\n"
    write(
        tmp_path,
        {
            "pyproject.toml": pyproject,
            "src/widget/__init__.py": "",
            "src/widget/__about__.py": about,
        },
    )
    found = places(tmp_path)
    assert [str(p) for p in found.places] == ["src/widget/__about__.py:1"]  # one spot, once
    assert [c.after for c in found.changes("0.2.1")] == [
        "VERSION = 'v0.2.1'\n__version__ = VERSION\n"
    ]


def test_the_source_file_s_second_assignment_moves(tmp_path: Path) -> None:
    pyproject = (
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
        '[project]\nname = "widget"\ndynamic = ["version"]\n\n'
        '[tool.hatch.version]\npath = "widget/meta.py"\n'
    )
    meta = '__version__ = "0.2.0"\nif True:\n    __version__ = "0.2.0"\n'
    write(tmp_path, {"pyproject.toml": pyproject, "widget/__init__.py": "", "widget/meta.py": meta})
    found = places(tmp_path)
    assert [c.after for c in found.changes("0.2.1")] == [meta.replace("0.2.0", "0.2.1")]
