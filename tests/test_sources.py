"""sources: every place the version lives, on projects made the way their tools make them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cutrelease import project as project_module
from cutrelease.errors import FileFormatError, Refused
from cutrelease.files.sources import (
    Change,
    ListedFile,
    Place,
    VersionSources,
    assert_only_versions_changed,
    find_places,
    find_version,
    listed_files,
    require_tag,
    set_toml_string,
)

UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")

CHANGELOG = """\
# Changelog

## [Unreleased]

### Fixed

- A fix.

## [0.2.0] - 2026-01-10

- The widget.
"""


# ------------------------------------------------------------------------------ helpers


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def places(root: Path, folder: str = "", **options: object) -> VersionSources:
    text = (root / folder / "pyproject.toml").read_bytes().decode("utf-8")
    return find_places(root, text, folder=folder, **options)  # type: ignore[arg-type]


def apply(root: Path, changes: list[Change]) -> None:
    for change in changes:
        assert (root / change.path).read_bytes() == change.before.encode("utf-8")
        (root / change.path).write_bytes(change.after.encode("utf-8"))


def refusal(error: pytest.ExceptionInfo[Exception]) -> str:
    return str(error.value)


def uv(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Real uv, offline, with a cache of its own."""
    assert UV is not None, "uv is a dev dependency: pip install -e '.[dev]'"
    env = {
        **os.environ,
        "UV_CACHE_DIR": str(cwd.parent / ".uv-cache"),
        "UV_OFFLINE": "1",
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_NO_CONFIG": "1",
    }
    env.pop("VIRTUAL_ENV", None)
    python = ("--python", sys.executable) if args[0] in ("init", "lock") else ()
    return subprocess.run(
        [UV, *args, *python], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def uv_ok(cwd: Path, *args: str) -> str:
    run = uv(cwd, *args)
    assert run.returncode == 0, run.stderr
    return run.stdout


def replaced_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, (old, text)
    return text.replace(old, new)


# ------------------------------------------------------------------------------ uv projects


def test_uv_init_package_moves_pyproject_and_its_lock_entry(tmp_path: Path) -> None:
    uv_ok(tmp_path, "init", "--package", "--vcs", "none", "Demo.Pkg")
    root = tmp_path / "Demo.Pkg"
    uv_ok(root, "lock")
    pyproject_text = (root / "pyproject.toml").read_text()
    lock = (root / "uv.lock").read_text()
    found = places(root)
    assert (found.kind, found.version) == ("pyproject", "0.1.0")
    assert [(p.path, p.what) for p in found.places] == [
        ("pyproject.toml", "[project].version"),
        ("uv.lock", "the [[package]] entry 'demo-pkg'"),
    ]
    assert found.places[0].line == pyproject_text.splitlines().index('version = "0.1.0"') + 1
    changes = found.changes("0.1.1")
    assert changes == [
        Change(
            "pyproject.toml",
            pyproject_text,
            replaced_once(pyproject_text, 'version = "0.1.0"', 'version = "0.1.1"'),
        ),
        Change(
            "uv.lock",
            lock,
            replaced_once(
                lock, 'name = "demo-pkg"\nversion = "0.1.0"', 'name = "demo-pkg"\nversion = "0.1.1"'
            ),
        ),
    ]
    assert uv(root, "lock", "--check").returncode == 0
    apply(root, changes[:1])  # pyproject alone: uv sees the lock is out of date
    assert uv(root, "lock", "--check").returncode != 0
    apply(root, changes[1:])
    uv_ok(root, "lock", "--check")
    assert (root / "uv.lock").read_text() == changes[1].after  # uv had nothing to rewrite


def test_uv_workspace_member_moves_its_entry_in_the_root_lock(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    write(
        root,
        {
            "pyproject.toml": (
                '[project]\nname = "acme-root"\nversion = "1.0.0"\nrequires-python = ">=3.10"\n'
                'dependencies = ["alpha-widget"]\n\n'
                '[tool.uv.workspace]\nmembers = ["packages/*"]\n\n'
                "[tool.uv.sources]\nalpha-widget = { workspace = true }\n"
            )
        },
    )
    uv_ok(root, "init", "--package", "--vcs", "none", "packages/Alpha_Widget")
    uv_ok(root, "init", "--lib", "--vcs", "none", "packages/beta")
    uv_ok(root, "lock")
    lock = (root / "uv.lock").read_text()
    assert lock.count('version = "0.1.0"') == 2  # alpha-widget and beta

    found = places(root, "packages/Alpha_Widget")
    assert (found.kind, found.version) == ("pyproject", "0.1.0")
    assert found.paths == ["packages/Alpha_Widget/pyproject.toml", "uv.lock"]
    changes = found.changes("0.2.0")
    assert changes[1] == Change(
        "uv.lock",
        lock,
        replaced_once(
            lock,
            'name = "alpha-widget"\nversion = "0.1.0"',
            'name = "alpha-widget"\nversion = "0.2.0"',
        ),
    )
    apply(root, changes)
    uv_ok(root, "lock", "--check")

    # The root project's own entry, from the root.
    root_changes = places(root).changes("1.1.0")
    assert [c.path for c in root_changes] == ["pyproject.toml", "uv.lock"]
    apply(root, root_changes)
    uv_ok(root, "lock", "--check")


def test_a_folder_outside_the_workspace_members_has_no_lock(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "r"\nversion = "1.0.0"\n\n'
            '[tool.uv.workspace]\nmembers = ["packages/*"]\nexclude = ["packages/old"]\n',
            "uv.lock": '[[package]]\nname = "old"\nversion = "9.0.0"\nsource = { virtual = "." }\n',
            "packages/old/pyproject.toml": '[project]\nname = "old"\nversion = "0.1.0"\n',
            "tools/x/pyproject.toml": '[project]\nname = "old"\nversion = "0.1.0"\n',
        },
    )
    assert places(tmp_path, "packages/old").paths == ["packages/old/pyproject.toml"]
    assert places(tmp_path, "tools/x").paths == ["tools/x/pyproject.toml"]


LOCK_HEAD = 'version = 1\nrevision = 2\nrequires-python = ">=3.10"\n\n'


def test_lock_entry_spelled_another_way_and_other_version_keys_untouched(tmp_path: Path) -> None:
    lock = (
        LOCK_HEAD + "[[package]]\n"
        'name = "click"\nversion = "0.2.0"\nsource = { registry = "https://pypi.org/simple" }\n'
        'dependencies = [\n    { name = "widget_kit" },\n]\n\n'
        "[[package]]\n"
        'name = "widget-kit"\nversion = "0.2.0"\nsource = { editable = "." }\n'
        'dependencies = [\n    { name = "click" },\n]\n\n'
        "[package.metadata]\n"
        'requires-dist = [{ name = "click", specifier = ">=8" }]\n'
        'version = "0.2.0"\n'
    )
    write(
        tmp_path,
        {"pyproject.toml": '[project]\nname = "Widget.Kit"\nversion = "0.2.0"\n', "uv.lock": lock},
    )
    found = places(tmp_path)
    assert [str(p) for p in found.places] == ["pyproject.toml:3", "uv.lock:15"]
    after = found.changes("0.3.0")[1].after
    assert after == lock.replace(
        'name = "widget-kit"\nversion = "0.2.0"', 'name = "widget-kit"\nversion = "0.3.0"'
    )


def test_lock_entry_without_a_version_is_left_alone(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "widget"\ndynamic = ["version"]\n\n'
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
            '[tool.hatch.version]\npath = "src/widget/__about__.py"\n',
            "src/widget/__about__.py": '__version__ = "0.2.0"\n',
            "uv.lock": LOCK_HEAD + '[[package]]\nname = "widget"\nsource = { editable = "." }\n',
        },
    )
    assert places(tmp_path).paths == ["src/widget/__about__.py"]


def test_lock_out_of_date_is_refused_naming_its_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "widget"\nversion = "0.2.0"\n',
            "uv.lock": LOCK_HEAD + '[[package]]\nname = "widget"\nversion = "0.1.0"\n',
        },
    )
    found = places(tmp_path)
    with pytest.raises(FileFormatError) as raised:
        found.changes("0.2.1")
    assert refusal(raised) == (
        "uv.lock:7: the [[package]] entry 'widget' is at 0.1.0, but the project is at 0.2.0: "
        "uv.lock is out of date. Run `uv lock`, commit uv.lock, then release."
    )
    assert [str(p) for p in found.disagreements()] == [refusal(raised)]


def test_lock_without_the_project_has_no_place(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "widget"\nversion = "0.2.0"\n',
            "uv.lock": LOCK_HEAD + '[[package]]\nname = "gadget"\nversion = "0.2.0"\n',
        },
    )
    assert places(tmp_path).paths == ["pyproject.toml"]


# ------------------------------------------------------------------------------ dynamic versions

HATCH = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "widget"
dynamic = ["version"]
description = ''

[tool.hatch.version]
path = "src/widget/__about__.py"
"""

ABOUT = """\
# SPDX-FileCopyrightText: 2026-present Acme <dev@acme.example>
#
# SPDX-License-Identifier: MIT
__version__ = "0.2.0"
"""


def test_hatch_path_with_the_default_pattern(tmp_path: Path) -> None:
    init = '"""Widget."""\n\nfrom widget.__about__ import __version__ as __version__\n'
    write(
        tmp_path,
        {"pyproject.toml": HATCH, "src/widget/__about__.py": ABOUT, "src/widget/__init__.py": init},
    )
    found = places(tmp_path)
    assert (found.kind, found.version, found.source.backend) == ("hatch-path", "0.2.0", "hatchling")
    assert found.source.where == "version in src/widget/__about__.py:4"
    assert found.changes("0.3.0") == [
        Change("src/widget/__about__.py", ABOUT, ABOUT.replace('"0.2.0"', '"0.3.0"'))
    ]


def test_hatch_default_pattern_takes_VERSION_and_a_v_prefix(tmp_path: Path) -> None:
    about = "# v9.9.9 is not it\nVERSION = 'v1.2.0'\n__version__ = '1.2.0'\n"
    files = {"pyproject.toml": HATCH, "src/widget/__about__.py": about}
    write(tmp_path, {**files, "src/widget/__init__.py": ""})
    found = places(tmp_path)
    assert found.version == "1.2.0"  # VERSION comes first; __version__ is a copy
    assert found.changes("1.2.1")[0].after == (
        "# v9.9.9 is not it\nVERSION = 'v1.2.1'\n__version__ = '1.2.1'\n"
    )


def test_hatch_configured_pattern(tmp_path: Path) -> None:
    text = HATCH.replace(
        'path = "src/widget/__about__.py"',
        "path = \"VERSION.txt\"\npattern = 'release: (?P<version>\\S+)'",
    )
    write(tmp_path, {"pyproject.toml": text, "VERSION.txt": "name: widget\nrelease: 0.2.0\n"})
    found = places(tmp_path)
    assert found.places[0].line == 2
    assert found.changes("0.2.1") == [
        Change("VERSION.txt", "name: widget\nrelease: 0.2.0\n", "name: widget\nrelease: 0.2.1\n")
    ]


def test_hatch_pattern_that_matches_nothing(tmp_path: Path) -> None:
    text = HATCH.replace(
        '__about__.py"', '__about__.py"\npattern = \'VERSION = "(?P<version>.+)"\''
    )
    write(tmp_path, {"pyproject.toml": text, "src/widget/__about__.py": ABOUT})
    with pytest.raises(FileFormatError) as raised:
        places(tmp_path)
    assert refusal(raised) == (
        "src/widget/__about__.py: has no version matching [tool.hatch.version].pattern "
        "'VERSION = \"(?P<version>.+)\"'. Fix the file, or the pattern in pyproject.toml."
    )


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (
            "'(?P<version>'",
            "[tool.hatch.version].pattern '(?P<version>' is not a regular expression",
        ),
        ("'v(.+)'", "[tool.hatch.version].pattern 'v(.+)' has no group named version."),
    ],
)
def test_hatch_pattern_that_is_no_pattern(tmp_path: Path, pattern: str, message: str) -> None:
    text = HATCH.replace('__about__.py"', f'__about__.py"\npattern = {pattern}')
    write(tmp_path, {"pyproject.toml": text, "src/widget/__about__.py": ABOUT})
    with pytest.raises(Refused) as raised:
        places(tmp_path)
    assert refusal(raised).startswith(message)


def test_hatch_default_pattern_that_matches_nothing(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": HATCH, "src/widget/__about__.py": "__version__ = get()\n"})
    with pytest.raises(FileFormatError, match="has no version matching hatchling's default"):
        places(tmp_path)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("src/widget/missing.py", "'src/widget/missing.py', which does not exist."),
        ("../outside.py", "'../outside.py', which is outside the repository."),
        ("/etc/hostname", "'/etc/hostname', which is outside the repository."),
        ("link.py", "'link.py', a link out of the repository."),
    ],
)
def test_hatch_path_that_does_not_exist_or_leaves_the_repository(
    tmp_path: Path, path: str, message: str
) -> None:
    root = tmp_path / "repo"
    write(root, {"pyproject.toml": HATCH.replace("src/widget/__about__.py", path)})
    write(tmp_path, {"outside.py": ABOUT})
    (root / "link.py").symlink_to(tmp_path / "outside.py")
    with pytest.raises(Refused) as raised:
        places(root)
    assert refusal(raised).startswith(
        f"[tool.hatch.version].path in pyproject.toml names {message}"
    )
    assert not isinstance(raised.value, FileFormatError)


def test_setuptools_attr_in_a_src_layout(tmp_path: Path) -> None:
    init = '"""Widget."""\n\n__version__ = "0.2.0"\n__all__ = ["__version__"]\n'
    write(
        tmp_path,
        {
            "pyproject.toml": '[build-system]\nrequires = ["setuptools>=61"]\n'
            'build-backend = "setuptools.build_meta"\n\n'
            '[project]\nname = "widget"\ndynamic = ["version"]\n\n'
            '[tool.setuptools.dynamic]\nversion = { attr = "widget.__version__" }\n',
            "src/widget/__init__.py": init,
        },
    )
    found = places(tmp_path)
    assert (found.kind, found.version) == ("setuptools-attr", "0.2.0")
    assert [str(p) for p in found.places] == ["src/widget/__init__.py:3"]
    assert found.changes("0.2.1") == [
        Change("src/widget/__init__.py", init, init.replace("0.2.0", "0.2.1"))
    ]


SETUPTOOLS_ATTR = """\
[project]
name = "widget"
dynamic = ["version"]

[tool.setuptools.dynamic]
version = {{attr = "{attr}"}}
{more}"""


@pytest.mark.parametrize(
    ("attr", "more", "module"),
    [
        ("widget.VERSION", "", "widget/__init__.py"),  # flat layout
        ("widget.version.VERSION", "", "widget/version.py"),
        (
            "widget.VERSION",
            '[tool.setuptools]\npackage-dir = {"" = "lib"}\n',
            "lib/widget/__init__.py",
        ),
        (
            "widget.VERSION",
            '[tool.setuptools]\npackage-dir = {widget = "code/wdg"}\n',
            "code/wdg/__init__.py",
        ),
        (
            "widget.VERSION",
            '[tool.setuptools.packages.find]\nwhere = ["py"]\n',
            "py/widget/__init__.py",
        ),
        ("VERSION", '[tool.setuptools]\npy-modules = ["x"]\n', "__init__.py"),
        ("widget.VERSION", "", "src/widget.py"),
    ],
)
def test_setuptools_attr_module_lookup(tmp_path: Path, attr: str, more: str, module: str) -> None:
    text = 'VERSION: str = "0.2.0"  # the version\n'
    write(
        tmp_path,
        {"pyproject.toml": SETUPTOOLS_ATTR.format(attr=attr, more=more), module: text},
    )
    found = places(tmp_path)
    assert (found.source.place and found.source.place.path) == module
    assert found.changes("0.3.0")[0].after == 'VERSION: str = "0.3.0"  # the version\n'


def test_setuptools_attr_that_is_not_a_literal(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": SETUPTOOLS_ATTR.format(attr="widget.__version__", more=""),
            "widget/__init__.py": "import importlib.metadata\n\n"
            '__version__ = importlib.metadata.version("widget")\n',
        },
    )
    with pytest.raises(FileFormatError) as raised:
        places(tmp_path)
    assert refusal(raised) == (
        "widget/__init__.py:3: has no string literal of __version__ for "
        "[tool.setuptools.dynamic].version.attr 'widget.__version__' (setuptools would import "
        'it, cutrelease does not). Write __version__ = "X.Y.Z" at the top level.'
    )


def test_setuptools_attr_module_not_found(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": SETUPTOOLS_ATTR.format(attr="gadget.__version__", more="")})
    with pytest.raises(Refused) as raised:
        places(tmp_path)
    assert refusal(raised) == (
        "[tool.setuptools.dynamic].version.attr in pyproject.toml is 'gadget.__version__', but "
        "no module 'gadget' is where setuptools looks (package-dir, src/, the project's "
        "folder). Fix the attr, or [tool.setuptools].package-dir."
    )


@pytest.mark.parametrize("spec", ['{ file = "VERSION" }', '{ file = ["VERSION"] }'])
def test_setuptools_file(tmp_path: Path, spec: str) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\n'
            'build-backend = "setuptools.build_meta"\n\n'
            '[project]\nname = "widget"\ndynamic = ["version"]\n\n'
            f"[tool.setuptools.dynamic]\nversion = {spec}\n",
            "VERSION": "0.2.0\n",
        },
    )
    found = places(tmp_path)
    assert (found.kind, found.version) == ("setuptools-file", "0.2.0")
    assert found.changes("1.0.0") == [Change("VERSION", "0.2.0\n", "1.0.0\n")]


def test_setuptools_file_with_more_than_a_version(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "widget"\ndynamic = ["version"]\n\n'
            '[tool.setuptools.dynamic]\nversion = { file = "VERSION" }\n',
            "VERSION": "0.2.0\nsee CHANGELOG.md\n",
        },
    )
    with pytest.raises(FileFormatError, match=r"^VERSION: must hold the version alone"):
        places(tmp_path)


FLIT = """\
[build-system]
requires = ["flit_core >=3.2,<4"]
build-backend = "flit_core.buildapi"

[project]
name = "widget-kit"
authors = [{name = "Acme", email = "dev@acme.example"}]
dynamic = ["version", "description"]
"""


def test_flit_module_version(tmp_path: Path) -> None:
    init = '"""A widget kit."""\n\n__version__ = "0.2.0"\n'
    write(tmp_path, {"pyproject.toml": FLIT, "widget_kit/__init__.py": init})
    found = places(tmp_path)
    assert (found.kind, found.version, found.source.backend) == ("flit", "0.2.0", "flit-core")
    assert found.changes("0.2.1") == [
        Change("widget_kit/__init__.py", init, init.replace("0.2.0", "0.2.1"))
    ]


INIT_WK = '"""Kit."""\nfrom .version import VERSION\n__version__ = "0.2.0"\n'


def test_flit_named_module_in_src_reads_init_over_version_py(tmp_path: Path) -> None:
    text = FLIT + '\n[tool.flit.module]\nname = "wk"\n'
    write(
        tmp_path,
        {
            "pyproject.toml": text,
            "src/wk/__init__.py": INIT_WK,
            "src/wk/version.py": 'VERSION = "0.2.0"\n__version__ = "0.2.0"\n',
        },
    )
    found = places(tmp_path)
    assert found.source.where == "__version__ in src/wk/__init__.py:3"
    assert [str(p) for p in found.places] == ["src/wk/__init__.py:3", "src/wk/version.py:2"]
    assert [c.after for c in found.changes("0.3.0")] == [
        '"""Kit."""\nfrom .version import VERSION\n__version__ = "0.3.0"\n',
        'VERSION = "0.2.0"\n__version__ = "0.3.0"\n',  # VERSION is no copy of __version__
    ]


def test_flit_single_module(tmp_path: Path) -> None:
    module = '"""A kit."""\n__version__ = \'0.2.0\'\n'
    write(tmp_path, {"pyproject.toml": FLIT, "src/widget_kit.py": module})
    assert places(tmp_path).changes("0.2.1")[0].after == module.replace("0.2.0", "0.2.1")


def test_flit_without_a_version_string(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"pyproject.toml": FLIT, "widget_kit/__init__.py": '"""Kit."""\n__version__ = VERSION\n'},
    )
    with pytest.raises(Refused) as raised:
        places(tmp_path)
    assert refusal(raised).startswith(
        "pyproject.toml lists version in [project].dynamic, but cutrelease cannot read it: "
        "build backend flit-core found no module with a __version__ string"
    )


def test_pdm_file(tmp_path: Path) -> None:
    init = '__version__ = "0.2.0"  # the version\n'
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "widget"\ndynamic = ["version"]\n\n'
            '[build-system]\nrequires = ["pdm-backend"]\nbuild-backend = "pdm.backend"\n\n'
            '[tool.pdm.version]\nsource = "file"\npath = "src/widget/__init__.py"\n',
            "src/widget/__init__.py": init,
        },
    )
    found = places(tmp_path)
    assert (found.kind, found.version, found.source.backend) == ("pdm-file", "0.2.0", "pdm-backend")
    assert found.changes("0.2.1") == [
        Change("src/widget/__init__.py", init, init.replace("0.2.0", "0.2.1"))
    ]


@pytest.mark.parametrize(
    ("backend", "tool", "message"),
    [
        ("hatchling.build", "", "build backend hatchling has no [tool.hatch.version].path"),
        (
            "hatchling.build",
            '[tool.hatch.version]\nsource = "code"\npath = "x.py"\n',
            "build backend hatchling reads it from [tool.hatch.version] source 'code'",
        ),
        ("setuptools.build_meta", "", "build backend setuptools has no [tool.setuptools.dynamic]"),
        ("pdm.backend", '[tool.pdm.version]\nsource = "call"\n', "build backend pdm has no"),
        ("uv_build", "", "build backend uv-build is not one whose version source"),
        ("maturin", "", "build backend maturin is not one whose version source"),
    ],
)
def test_dynamic_version_without_a_source_cutrelease_reads(
    tmp_path: Path, backend: str, tool: str, message: str
) -> None:
    text = (
        f'[build-system]\nrequires = ["x"]\nbuild-backend = "{backend}"\n\n'
        f'[project]\nname = "widget"\ndynamic = ["version"]\n\n{tool}'
    )
    write(tmp_path, {"pyproject.toml": text})
    with pytest.raises(Refused) as raised:
        places(tmp_path)
    assert refusal(raised).startswith(
        "pyproject.toml lists version in [project].dynamic, but cutrelease cannot read it: "
        + message
    )


# ------------------------------------------------------------------------------ tags


HATCH_VCS = """\
[build-system]
requires = ["hatchling", "hatch-vcs"]
build-backend = "hatchling.build"

[project]
name = "widget"
dynamic = ["version"]

[tool.hatch.version]
source = "vcs"

[tool.hatch.build.hooks.vcs]
version-file = "src/widget/_version.py"
"""


def test_hatch_vcs_reads_the_changelog_and_needs_the_tag(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": HATCH_VCS,
            "CHANGELOG.md": CHANGELOG,
            # hatch-vcs's generated file (ignored by git), and an old copy that is not generated
            "src/widget/_version.py": "__version__ = '0.2.1.dev3+g1234567'\n",
            "src/widget/__init__.py": "",
        },
    )
    found = places(tmp_path)
    assert (found.kind, found.version, found.source.backend) == ("tags", "0.2.0", "hatch-vcs")
    assert found.places == ()
    assert found.changes("0.2.1") == []
    assert (
        found.source.where == "the newest release in CHANGELOG.md (versions from tags, hatch-vcs)"
    )
    require_tag(found, tag="v0.2.0", exists=True)
    with pytest.raises(Refused) as raised:
        require_tag(found, tag="v0.2.0", exists=False)
    assert refusal(raised) == (
        "The version comes from git tags (hatch-vcs), but CHANGELOG.md's newest release 0.2.0 "
        "has no tag v0.2.0. Tag the commit that released it (`git tag v0.2.0 COMMIT`), or fix "
        "CHANGELOG.md."
    )


@pytest.mark.parametrize(
    ("text", "backend"),
    [
        (
            '[build-system]\nrequires = ["setuptools>=64", "setuptools-scm>=8"]\n'
            'build-backend = "setuptools.build_meta"\n\n'
            '[project]\nname = "widget"\ndynamic = ["version"]\n\n[tool.setuptools_scm]\n',
            "setuptools-scm",
        ),
        (
            '[build-system]\nrequires = ["setuptools", "setuptools_scm[toml]"]\n\n'
            '[project]\nname = "widget"\ndynamic = ["version"]\n',
            "setuptools-scm",
        ),
        (
            '[build-system]\nrequires = ["pdm-backend"]\nbuild-backend = "pdm.backend"\n\n'
            '[project]\nname = "widget"\ndynamic = ["version"]\n\n'
            '[tool.pdm.version]\nsource = "scm"\n',
            "pdm scm",
        ),
        (
            '[build-system]\nrequires = ["hatchling", "uv-dynamic-versioning"]\n'
            'build-backend = "hatchling.build"\n\n'
            '[project]\nname = "widget"\ndynamic = ["version"]\n\n'
            '[tool.hatch.version]\nsource = "uv-dynamic-versioning"\n',
            "uv-dynamic-versioning",
        ),
        (
            '[build-system]\nrequires = ["poetry-core", "poetry-dynamic-versioning"]\n'
            'build-backend = "poetry_dynamic_versioning.backend"\n\n'
            '[tool.poetry]\nname = "widget"\nversion = "0.0.0"\n\n'
            "[tool.poetry-dynamic-versioning]\nenable = true\n",
            "poetry-dynamic-versioning",
        ),
        (
            '[build-system]\nrequires = ["poetry-core>=2", "poetry-dynamic-versioning"]\n'
            'build-backend = "poetry_dynamic_versioning.backend"\n\n'
            '[project]\nname = "widget"\ndynamic = ["version"]\n\n'
            '[tool.poetry]\nversion = "0.0.0"\n\n'
            "[tool.poetry-dynamic-versioning]\nenable = true\n",
            "poetry-dynamic-versioning",
        ),
    ],
)
def test_versions_from_tags(tmp_path: Path, text: str, backend: str) -> None:
    write(tmp_path, {"pyproject.toml": text, "CHANGELOG.md": CHANGELOG})
    found = find_version(tmp_path, text)
    assert (found.kind, found.version, found.backend) == ("tags", "0.2.0", backend)


def test_tags_with_a_changelog_without_releases_or_without_a_changelog(tmp_path: Path) -> None:
    write(
        tmp_path, {"pyproject.toml": HATCH_VCS, "CHANGELOG.md": "# Changelog\n\n## [Unreleased]\n"}
    )
    with pytest.raises(Refused) as raised:
        places(tmp_path)
    assert refusal(raised) == (
        "The version comes from git tags (hatch-vcs), and CHANGELOG.md has no release to read "
        "the current one from. Add the section of the last tagged release "
        "(## [X.Y.Z] - YYYY-MM-DD)."
    )
    (tmp_path / "CHANGELOG.md").unlink()
    with pytest.raises(Refused, match=r"but CHANGELOG\.md does not exist\."):
        places(tmp_path)


def test_static_version_wins_over_a_tags_plugin_left_configured(tmp_path: Path) -> None:
    text = HATCH_VCS.replace('dynamic = ["version"]', 'version = "0.3.0"')
    write(tmp_path, {"pyproject.toml": text})
    assert find_version(tmp_path, text).kind == "pyproject"


# ------------------------------------------------------------------------------ poetry

POETRY = """\
[tool.poetry]
name = "widget"
version = "0.2.0"  # the version
description = ""
authors = ["Acme <dev@acme.example>"]
packages = [{include = "widget", from = "src"}]

[tool.poetry.dependencies]
python = "^3.10"

[build-system]
requires = ["poetry-core"]
build-backend = "poetry.core.masonry.api"
"""


def test_poetry_before_2(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": POETRY, "src/widget/__init__.py": "__version__ = '0.2.0'\n"})
    found = places(tmp_path)
    assert (found.kind, found.version) == ("poetry", "0.2.0")
    assert [(str(p), p.what) for p in found.places] == [
        ("pyproject.toml:3", "[tool.poetry].version"),
        ("src/widget/__init__.py:1", "__version__"),
    ]
    assert found.changes("0.2.1") == [
        Change("pyproject.toml", POETRY, POETRY.replace('"0.2.0"', '"0.2.1"')),
        Change("src/widget/__init__.py", "__version__ = '0.2.0'\n", "__version__ = '0.2.1'\n"),
    ]


def test_poetry_2_dynamic_version_in_tool_poetry(tmp_path: Path) -> None:
    text = '[project]\nname = "widget"\ndynamic = ["version"]\n\n' + POETRY.replace(
        'name = "widget"\n', ""
    )
    write(tmp_path, {"pyproject.toml": text})
    found = places(tmp_path)
    assert (found.kind, found.version) == ("poetry", "0.2.0")
    assert found.changes("0.3.0")[0].after == text.replace('"0.2.0"', '"0.3.0"')


def test_project_and_poetry_versions_that_agree_move_together(tmp_path: Path) -> None:
    text = '[project]\nname = "widget"\nversion = "0.2.0"\n\n' + POETRY
    write(tmp_path, {"pyproject.toml": text})
    found = places(tmp_path)
    assert [str(p) for p in found.places] == ["pyproject.toml:3", "pyproject.toml:7"]
    assert found.changes("0.2.1")[0].after == text.replace('"0.2.0"', '"0.2.1"')


def test_project_and_poetry_versions_that_disagree(tmp_path: Path) -> None:
    text = '[project]\nname = "widget"\nversion = "0.3.0"\n\n' + POETRY
    write(tmp_path, {"pyproject.toml": text})
    with pytest.raises(Refused) as raised:
        places(tmp_path)
    assert refusal(raised) == (
        "pyproject.toml has [project].version 0.3.0 and [tool.poetry].version 0.2.0, which "
        "disagree. Keep [project].version (poetry 2 reads it) and remove the other."
    )


def test_no_version_anywhere(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[project]\nname = "widget"\n'})
    with pytest.raises(Refused, match=r"^pyproject.toml has no \[project\].version\."):
        places(tmp_path)


# ------------------------------------------------------------------------------ copies


def test_copies_move_and_a_disagreeing_one_is_refused(tmp_path: Path) -> None:
    init = '"""Widget."""\n__version__: str = "0.2.0"\n'
    version_py = "__version__ = '0.2.0'\r\nVERSION = (0, 2, 0)\r\n"
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "Widget"\nversion = "0.2.0"\n',
            "src/widget/__init__.py": init,
            "src/widget/version.py": version_py,
            "src/widget/_version.py": "__version__ = version = '0.2.0'\n",  # chained: moves
            "src/widget/sub/__init__.py": '__version__ = "0.1.0"\n',  # not the package's
        },
    )
    found = places(tmp_path)
    assert [str(p) for p in found.places] == [
        "pyproject.toml:3",
        "src/widget/__init__.py:2",
        "src/widget/_version.py:1",
        "src/widget/version.py:1",
    ]
    changes = found.changes("0.2.1")
    assert [c.after for c in changes[1:]] == [
        init.replace("0.2.0", "0.2.1"),
        "__version__ = version = '0.2.1'\n",
        "__version__ = '0.2.1'\r\nVERSION = (0, 2, 0)\r\n",
    ]

    write(tmp_path, {"src/widget/__about__.py": "x = 1\n\n__version__ = '0.1.9'\n"})
    found = places(tmp_path)
    with pytest.raises(FileFormatError) as raised:
        found.changes("0.2.1")
    assert refusal(raised) == (
        "src/widget/__about__.py:3: __version__ is 0.1.9, but the version is 0.2.0 "
        "([project].version in pyproject.toml:3). Set it to 0.2.0, then release."
    )


def test_copy_in_another_spelling_agrees_and_is_written_in_normal_form(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "widget"\nversion = "1.3.0-rc.1"\n',
            "widget/__init__.py": '__version__ = "1.3.0rc1"\n',
        },
    )
    found = places(tmp_path)
    assert found.disagreements() == []
    assert [c.after for c in found.changes("1.3.0-rc.2")] == [
        '[project]\nname = "widget"\nversion = "1.3.0rc2"\n',
        '__version__ = "1.3.0rc2"\n',
    ]


def test_copies_in_the_package_uv_build_is_told_about(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "widget"\nversion = "0.2.0"\n\n'
            '[tool.uv.build-backend]\nmodule-name = "wdg"\nmodule-root = ""\n',
            "wdg/__init__.py": '__version__ = "0.2.0"\n',
            "src/widget/__init__.py": '__version__ = "0.0.0"\n',  # not the package
        },
    )
    assert places(tmp_path).paths == ["pyproject.toml", "wdg/__init__.py"]


def test_bump_check_lists_every_disagreement(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "widget"\nversion = "0.2.0"\n',
            "uv.lock": LOCK_HEAD + '[[package]]\nname = "widget"\nversion = "0.1.0"\n',
            "src/widget/__init__.py": '__version__ = "0.2.0"\n',
            "src/widget/__about__.py": '__version__ = "unknown"\n',
        },
    )
    assert [f"{e.path}:{e.line}" for e in places(tmp_path).disagreements()] == [
        "uv.lock:7",
        "src/widget/__about__.py:1",
    ]


# ------------------------------------------------------------------------------ listed files


def test_listed_files_move_every_occurrence(tmp_path: Path) -> None:
    conf = 'project = "widget"\nrelease = "0.2.0"\nversion = "0.2.0"  # release = "0.2.0"\n'
    readme = "Install widget 0.2.0: pip install widget==0.2.0\nSince 0.2.0.\n"
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "widget"\nversion = "0.2.0"\n',
            "docs/conf.py": conf,
            "README.md": readme,
        },
    )
    files = [
        ListedFile("docs/conf.py", 'release = "{version}"'),
        ListedFile("README.md", "widget=={version}"),
        ListedFile("./pyproject.toml"),  # the same spot as [project].version: one edit
    ]
    found = places(tmp_path, files=files)
    assert [str(p) for p in found.places] == [
        "pyproject.toml:3",
        "docs/conf.py:2",
        "docs/conf.py:3",
        "README.md:1",
    ]
    assert [c.after for c in found.changes("0.2.1")] == [
        '[project]\nname = "widget"\nversion = "0.2.1"\n',
        'project = "widget"\nrelease = "0.2.1"\nversion = "0.2.0"  # release = "0.2.1"\n',
        "Install widget 0.2.0: pip install widget==0.2.1\nSince 0.2.0.\n",
    ]


def test_listed_file_in_a_member_folder(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pkgs/a/pyproject.toml": '[project]\nname = "a"\nversion = "1.0.0"\n',
            "pkgs/a/docs/index.md": "a 1.0.0\n",
        },
    )
    found = places(tmp_path, "pkgs/a", files=[ListedFile("docs/index.md", "a {version}")])
    assert found.paths == ["pkgs/a/pyproject.toml", "pkgs/a/docs/index.md"]


def test_listed_file_without_the_search(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "widget"\nversion = "0.2.0"\n',
            "docs/conf.py": 'release = "0.1.0"\n',
        },
    )
    with pytest.raises(FileFormatError) as raised:
        places(tmp_path, files=[ListedFile("docs/conf.py", 'release = "{version}"')])
    assert refusal(raised) == (
        "docs/conf.py: has no 'release = \"0.2.0\"' ([[tool.cutrelease.files]] search "
        "'release = \"{version}\"' with the current version 0.2.0). Fix the file or the "
        "search, then release."
    )


@pytest.mark.parametrize(
    ("path", "ending"),
    [
        ("docs/missing.txt", "'docs/missing.txt', which does not exist."),
        ("../../etc/passwd", "'../../etc/passwd', which is outside the repository."),
        ("docs", "'docs', which does not exist."),
    ],
)
def test_listed_file_that_does_not_exist_or_leaves_the_repository(
    tmp_path: Path, path: str, ending: str
) -> None:
    write(tmp_path, {"pyproject.toml": '[project]\nname = "w"\nversion = "0.2.0"\n', "docs/x": ""})
    with pytest.raises(Refused) as raised:
        places(tmp_path, files=[ListedFile(path)])
    assert refusal(raised).startswith(
        f"[[tool.cutrelease.files]] path in pyproject.toml names {ending}"
    )


def test_files_config_is_validated_naming_the_key() -> None:
    assert listed_files([{"path": "a"}, {"path": "b", "search": "v{version}"}]) == (
        ListedFile("a", "{version}"),
        ListedFile("b", "v{version}"),
    )
    cases = {
        "x": "[[tool.cutrelease.files]] in pyproject.toml must be an array of tables, not 'x'.",
        (): "[[tool.cutrelease.files]] in pyproject.toml must be an array of tables, not ().",
        "bad-key": "Unknown key 'pattern' in [[tool.cutrelease.files]] entry 1 of pyproject.toml.",
        "no-path": "[[tool.cutrelease.files]] entry 1 in pyproject.toml needs a path, a string "
        "naming a file, not None.",
        "no-version": "The search of [[tool.cutrelease.files]] entry 2 (b) in pyproject.toml "
        "must be a string holding {version}, not 'release'.",
    }
    values: dict[object, object] = {
        "x": "x",
        (): (),
        "bad-key": [{"path": "a", "pattern": "x"}],
        "no-path": [{"search": "{version}"}],
        "no-version": [{"path": "a"}, {"path": "b", "search": "release"}],
    }
    for case, message in cases.items():
        with pytest.raises(Refused) as raised:
            listed_files(values[case])
        assert raised.value.message == message


def test_project_load_reads_the_files_key(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "w"\nversion = "0.2.0"\n\n[tool.cutrelease]\nbranch = "trunk"\n\n'
        '[[tool.cutrelease.files]]\npath = "docs/conf.py"\nsearch = \'release = "{version}"\'\n'
    )
    config = project_module.load(tmp_path, learn_tag_prefix=False).config
    assert config.branch == "trunk"
    assert config.files == (ListedFile("docs/conf.py", 'release = "{version}"'),)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "w"\nversion = "0.2.0"\n\n[tool.cutrelease]\nfiles = [{path = 1}]\n'
    )
    with pytest.raises(Refused, match="needs a path"):
        project_module.load(tmp_path, learn_tag_prefix=False)


# ------------------------------------------------------------------------------ TOML edits


def test_pyproject_set_version_is_the_sources_edit() -> None:
    text = "[project]\nname = \"w\"\nversion = '0.2.0'  # keep\n"
    assert set_toml_string(text, ("project", "version"), "0.2.1") == text.replace("0.2.0", "0.2.1")


def test_set_toml_string_keeps_a_bom_and_quoting() -> None:
    text = "\ufeff[tool.poetry]\nname = 'w'\nversion = '0.2.0'\n"
    assert set_toml_string(text, ("tool", "poetry", "version"), "1.0.0") == text.replace(
        "0.2.0", "1.0.0"
    )
    with pytest.raises(FileFormatError, match=r"has no static string \[tool.poetry\].version"):
        set_toml_string("[tool]\npoetry = 1\n", ("tool", "poetry", "version"), "1.0.0")


def test_line_of_a_dotted_or_inline_version_key(tmp_path: Path) -> None:
    for text, line in [
        ('"project".name = "w"\n\'project\'."version" = "0.2.0"\n', 2),
        ('# c\n\nproject = { name = "w", version = "0.2.0" }\n', 3),
        ('[project.urls]\nversion = "x"\n[project]\nname = "w"\nversion = "0.2.0"\n', 5),
    ]:
        assert find_version(tmp_path, text).place.line == line  # type: ignore[union-attr]


def test_a_bom_and_crlf_pyproject(tmp_path: Path) -> None:
    text = '\ufeff[project]\r\nname = "widget"\r\nversion = "0.2.0"\r\n'
    write(tmp_path, {"pyproject.toml": text})
    found = places(tmp_path)
    assert found.changes("0.2.1")[0].after == text.replace("0.2.0", "0.2.1")


def test_a_version_line_the_line_scan_misreads_is_still_the_one_edited(tmp_path: Path) -> None:
    text = (
        '[project]\nname = "widget"\ndescription = """\nversion = "0.0.1"\n"""\nversion = "0.2.0"\n'
    )
    write(tmp_path, {"pyproject.toml": text, "docs/v.txt": "0.2.0\n"})
    found = places(tmp_path, files=[ListedFile("docs/v.txt")])
    assert found.places[0].line == 4  # the scan is for messages only
    assert [c.after for c in found.changes("0.2.1")] == [
        text.replace('version = "0.2.0"', 'version = "0.2.1"'),
        "0.2.1\n",
    ]


def test_an_edit_that_changes_more_than_the_version_is_refused() -> None:
    place = Place("f.py", 1, "0.2.0", "__version__", lambda text, new: text, start=15)
    before = '__version__ = "0.2.0"\nx = 1\n'
    for after in ['__version__ = "0.2.1"\nx = 2\n', '__version__ = "0.2.1 "\nx = 1\n', "x\n"]:
        with pytest.raises(FileFormatError, match="without changing more than the version"):
            assert_only_versions_changed(before, after, [place], "0.2.1", path="f.py")
    assert_only_versions_changed(
        before, before.replace("0.2.0", "0.2.1"), [place], "0.2.1", path="f.py"
    )
    keyed = place._replace(start=-1, line=2)  # a tomlkit edit: whichever one line it changed
    assert_only_versions_changed(
        before, before.replace("0.2.0", "0.2.1"), [keyed], "0.2.1", path="f.py"
    )
    with pytest.raises(FileFormatError):
        assert_only_versions_changed(
            before, '__version__ = "0.2.1"\nx = 0.2.1\n', [keyed], "0.2.1", path="f.py"
        )


@settings(max_examples=300)
@given(
    st.lists(st.sampled_from(["x", "\n", "0.2.0", "0.2"]), max_size=30),
    st.sets(st.integers(0, 29)),
    st.sampled_from(["0.2.1", "0.10.0", "1"]),
    st.sampled_from(["", "x", "0.2.0", "\n"]),
    st.integers(0, 200),
)
def test_splices_are_checked_as_the_text_built_from_them(
    pieces: list[str], chosen: set[int], new: str, noise: str, at: int
) -> None:
    """The splices' check (spans compared, no copy of a long text) accepts exactly the text
    the splices make, and refuses that text with anything changed, added or dropped."""
    before = "".join(pieces)
    offsets = [sum(map(len, pieces[:n])) for n in range(len(pieces))]
    starts = [offsets[n] for n in sorted(chosen) if n < len(pieces) and pieces[n] == "0.2.0"]
    places = [Place("f", 1, "0.2.0", "version", lambda t, n: t, start=s) for s in starts]
    expected = before
    for start in reversed(starts):
        expected = expected[:start] + new + expected[start + 5 :]
    assert_only_versions_changed(before, expected, places, new, path="f")
    at = min(at, len(expected))
    for other in (expected[:at] + noise + expected[at:], expected[:at] + expected[at + 1 :]):
        if other != expected:
            with pytest.raises(FileFormatError):
                assert_only_versions_changed(before, other, places, new, path="f")


# ------------------------------------------------------------------------------ PEP 751 locks

PYLOCK = """\
lock-version = "1.0"
created-by = "pdm"
requires-python = ">=3.11"

[[packages]]
name = "idna"
version = "3.10"
index = "https://pypi.org/simple"

[[packages.wheels]]
url = "https://files.pythonhosted.org/idna-3.10-py3-none-any.whl"
hashes = {sha256 = "946d195a0d259cbba61165e88e65941f16e9b36ea6ddb97f00452bae8b1287d3"}

[[packages]]
name = "Lib.A"
version = '0.2.0'
directory = {path = "packages/lib-a", editable = true}

[packages.tool.pdm]
version = "9.9.9"
"""


def test_a_workspace_root_pylock_moves_the_member_s_entry(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "root"\nversion = "1.0.0"\n\n'
            '[tool.uv.workspace]\nmembers = ["packages/*"]\n',
            "packages/lib-a/pyproject.toml": '[project]\nname = "lib_a"\nversion = "0.2.0"\n',
            "pylock.toml": PYLOCK,
        },
    )
    found = places(tmp_path, "packages/lib-a")
    assert [str(p) for p in found.places] == ["packages/lib-a/pyproject.toml:3", "pylock.toml:16"]
    changes = found.changes("0.3.0")
    assert changes[1].after == PYLOCK.replace("version = '0.2.0'", "version = '0.3.0'")
    assert not [p for p in places(tmp_path).places if p.path == "pylock.toml"]  # the root's not


def test_a_pylock_entry_of_another_folder_or_without_a_directory_is_not_the_project(
    tmp_path: Path,
) -> None:
    elsewhere = PYLOCK.replace('path = "packages/lib-a"', 'path = "vendor/lib-a"')
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "lib-a"\nversion = "0.2.0"\n',
            "pylock.toml": elsewhere,
            "pylock.ci.toml": PYLOCK.replace("directory = {", "archive = {"),
            "pylock.not-a-lock.txt": PYLOCK.replace("packages/lib-a", "."),
        },
    )
    assert [str(p) for p in places(tmp_path).places] == ["pyproject.toml:3"]


def test_a_pylock_entry_cutrelease_cannot_find_the_line_of_is_refused(tmp_path: Path) -> None:
    inline = (
        'lock-version = "1.0"\ncreated-by = "x"\npackages = [\n'
        '  {name = "widget", version = "0.2.0", directory = {path = "."}},\n]\n'
    )
    write(tmp_path, {"pyproject.toml": STATIC_WIDGET, "pylock.toml": inline})
    with pytest.raises(FileFormatError) as raised:
        places(tmp_path)
    assert refusal(raised) == (
        "pylock.toml: has the [[packages]] entry 'widget' at version 0.2.0, written in a way "
        "cutrelease cannot find its line. Export the lock file again (`uv export --format "
        "pylock.toml`), or report its shape to cutrelease."
    )


STATIC_WIDGET = '[project]\nname = "widget"\nversion = "0.2.0"\n'
