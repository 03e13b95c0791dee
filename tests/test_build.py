"""The build tried before the tag: real `uv build`s of hatchling and setuptools projects."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import HATCH_PATH, HATCH_VCS, Project, git

from cutrelease.publish import build

HATCH = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "Widget_Pkg"
version = "{version}"

[tool.hatch.build.targets.wheel]
packages = ["src/widget"]
"""

SETUPTOOLS = """\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "widget"
dynamic = ["version"]

[tool.setuptools.dynamic]
version = {attr = "widget.__version__"}
"""


@pytest.fixture(autouse=True)
def uv_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """uv comes with the dev dependencies, beside this Python: put it on PATH, as a user has."""
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}:{Path('/usr/bin')}:/bin")


def _repo(tmp_path: Path, files: dict[str, str]) -> tuple[Path, list[str]]:
    root = tmp_path / "work"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return root, git(root, "ls-files").split()


def _untouched(root: Path) -> None:
    assert git(root, "status", "--porcelain", "--ignored") == ""


def test_a_hatchling_build_of_the_release_passes_and_leaves_nothing(tmp_path: Path) -> None:
    root, paths = _repo(
        tmp_path,
        {
            "pyproject.toml": HATCH.format(version="0.2.1"),
            "src/widget/__init__.py": "",
            "src/widget/web_ui/index.html": "<p>hi</p>",
        },
    )
    (root / "stray.txt").write_text("untracked: never in the build")
    build.try_build(
        root,
        paths,
        folder="",
        name="widget-pkg",
        version="0.2.1",
        wheel_includes=["widget/web_ui/*"],
    )
    (root / "stray.txt").unlink()
    _untouched(root)


def test_the_wheel_must_hold_every_wheel_includes_glob(tmp_path: Path) -> None:
    root, paths = _repo(
        tmp_path, {"pyproject.toml": HATCH.format(version="0.2.1"), "src/widget/__init__.py": ""}
    )
    with pytest.raises(build.BuildFailed) as failed:
        build.try_build(
            root,
            paths,
            folder="",
            name="widget-pkg",
            version="0.2.1",
            wheel_includes=["widget/web_ui/*", "widget/__init__.py"],
        )
    assert str(failed.value) == (
        "The build of widget-pkg 0.2.1 is not the release: the wheel holds no file matching "
        'wheel_includes "widget/web_ui/*"'
    )
    _untouched(root)


def test_a_version_the_release_did_not_move_is_named(tmp_path: Path) -> None:
    """The backend reads __about__.py, which still says 0.2.0: sdist and wheel both say so."""
    root, paths = _repo(
        tmp_path,
        {
            "pyproject.toml": HATCH_PATH,
            "src/widget/__init__.py": "",
            "src/widget/__about__.py": '__version__ = "0.2.0"\n',
        },
    )
    with pytest.raises(build.BuildFailed) as failed:
        build.try_build(root, paths, folder="", name="widget", version="0.2.1")
    assert str(failed.value) == (
        "The build of widget 0.2.1 is not the release: "
        "the sdist file widget-0.2.0.tar.gz says 0.2.0; the sdist's PKG-INFO says 0.2.0; "
        "the wheel file widget-0.2.0-py2.py3-none-any.whl says 0.2.0; "
        "the wheel's METADATA says 0.2.0; the build backend reads the version from a place "
        "the release did not move (name it in [[tool.cutrelease.files]])"
    )


def test_a_setuptools_build_leaves_no_egg_info_or_build_folder(tmp_path: Path) -> None:
    root, paths = _repo(
        tmp_path,
        {
            "pyproject.toml": SETUPTOOLS,
            "src/widget/__init__.py": '__version__ = "1.4.0"\n',
        },
    )
    build.try_build(root, paths, folder="", name="widget", version="1.4")
    _untouched(root)
    assert sorted(p.name for p in root.iterdir()) == [".git", "pyproject.toml", "src"]


def test_a_failing_build_quotes_the_builder(tmp_path: Path) -> None:
    broken = HATCH.format(version="0.2.1").replace("hatchling.build", "hatchling.nowhere")
    root, paths = _repo(tmp_path, {"pyproject.toml": broken, "src/widget/__init__.py": ""})
    with pytest.raises(build.BuildFailed) as failed:
        build.try_build(root, paths, folder="", name="widget-pkg", version="0.2.1")
    assert failed.value.message == "The build failed before the tag (uv build, exit 2)"
    hint = failed.value.hint or ""
    assert hint.startswith("Its last lines:\n") and "hatchling.nowhere" in hint
    assert len(hint.splitlines()) <= 1 + build.QUOTED_LINES
    _untouched(root)


def test_versions_from_tags_build_as_the_release_before_the_tag_exists(tmp_path: Path) -> None:
    root, paths = _repo(tmp_path, {"pyproject.toml": HATCH_VCS, "src/widget/__init__.py": ""})
    git(root, "tag", "v0.2.0")
    build.try_build(root, paths, folder="", name="widget", version="0.2.1")


def test_without_uv_on_path_python_m_build_is_the_builder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert build.command(tmp_path / "dist") == [
        sys.executable,
        "-m",
        "build",
        "--outdir",
        str(tmp_path / "dist"),
    ]
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))
    assert build.command(tmp_path / "d", package="beta")[1:] == [
        "build",
        "--package",
        "beta",
        "--out-dir",
        str(tmp_path / "d"),
    ]


# -- in the release: bump patch --build --------------------------------------------------------


def _hatch_project(project: Project, *, extra: str = "") -> None:
    project.write(
        "pyproject.toml",
        HATCH.format(version="0.2.0").replace('name = "Widget_Pkg"', 'name = "widget"') + extra,
    )
    project.write("src/widget/__init__.py", "")
    project.commit_all("hatchling")
    project.push()


def test_a_release_with_build_lands_and_the_dry_run_lists_the_build(project: Project) -> None:
    _hatch_project(project, extra='\n[tool.cutrelease]\nwheel_includes = ["widget/__init__.py"]\n')
    dry = project.bump("patch", "--build", "--dry-run")
    assert dry.code == 0, dry.err
    build_line = next(line for line in dry.out.splitlines() if line.startswith("# build: "))
    assert "build --out-dir " in build_line and "cutrelease-build-XXXXXXXX/dist" in build_line
    assert dry.out.index("# build: ") < dry.out.index("\ngit -c")  # before the commit
    run = project.bump("patch", "--build", "--yes")
    assert run.code == 0, run.err
    assert "building widget 0.2.1 (sdist and wheel)" in run.err
    assert project.remote_git("tag").split() == ["v0.2.1"]
    assert project.git("status", "--porcelain", "--ignored") == ""  # nothing built stays


def test_a_file_git_does_not_track_fails_the_build_and_undoes_the_release(
    project: Project,
) -> None:
    """The readme exists here but was never added: the workflow's checkout would lack it."""
    _hatch_project(project)
    project.write(
        "pyproject.toml",
        project.read("pyproject.toml").replace(
            'version = "0.2.0"', 'version = "0.2.0"\nreadme = "README.md"'
        )
        + "\n[tool.cutrelease]\nbuild = true\n",
    )
    project.commit_all("readme")
    project.push()
    project.write("README.md", "# widget\n")  # untracked
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1
    assert "error: The build failed before the tag (uv build, exit 2); the repository" in run.err
    assert "the repository was restored (main at " in run.err
    assert "README.md" in run.err  # the builder's own words, quoted
    assert project.snapshot() == before


def test_wheel_includes_missing_from_the_wheel_undoes_the_release(project: Project) -> None:
    _hatch_project(
        project, extra='\n[tool.cutrelease]\nbuild = true\nwheel_includes = ["widget/web_ui/*"]\n'
    )
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1
    assert (
        "error: The build of widget 0.2.1 is not the release: the wheel holds no file matching "
        'wheel_includes "widget/web_ui/*"; the repository was restored (main at '
    ) in run.err
    assert project.snapshot() == before


def test_wheel_includes_must_be_a_list_of_globs(project: Project) -> None:
    _hatch_project(project, extra='\n[tool.cutrelease]\nwheel_includes = "widget/*"\n')
    run = project.bump("patch", "--dry-run")
    assert run.code == 1
    assert "[tool.cutrelease].wheel_includes in pyproject.toml must be a list of globs" in run.err
