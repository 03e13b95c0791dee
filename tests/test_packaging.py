"""The package as PyPI users meet it: its metadata, its floors, its sdist and wheel, its name."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from importlib.metadata import version
from pathlib import Path

import pytest
import tomlkit
from packaging.requirements import Requirement
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]
PROJECT = tomlkit.parse((REPO / "pyproject.toml").read_text("utf-8")).unwrap()["project"]
README = (REPO / "README.md").read_text("utf-8")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(sdist, wheel) as `uv build` makes them from this tree."""
    out = tmp_path_factory.mktemp("dist")
    uv = Path(sys.executable).parent / "uv"  # a dev dependency, beside this Python
    done = subprocess.run(
        [str(uv), "build", "--quiet", "--out-dir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    (sdist,) = out.glob("cutrelease-*.tar.gz")
    (wheel,) = out.glob("cutrelease-*.whl")
    return sdist, wheel


def floors() -> dict[str, Version]:
    """Each runtime dependency's declared floor, by name."""
    found = {}
    for text in PROJECT["dependencies"]:
        requirement = Requirement(text)
        (spec,) = requirement.specifier  # one `>=` each: a floor, no ceiling
        assert spec.operator == ">=", text
        found[requirement.name.lower()] = Version(spec.version)
    return found


def test_every_runtime_dependency_has_a_floor_and_no_ceiling() -> None:
    assert set(floors()) == {"click", "tomlkit", "packaging", "jinja2"}


def test_the_tomlkit_floor_is_past_the_versions_that_crash_every_release() -> None:
    # tomlkit 0.12.0 to 0.13.3: `'String' object has no attribute 'type'` on any release.
    assert floors()["tomlkit"] >= Version("0.14")


@pytest.mark.skipif(
    not os.environ.get("CUTRELEASE_FLOORS"),
    reason="only in the lowest-versions run (.ci/run, ci.yml's `lowest` job)",
)
def test_this_run_has_each_dependency_at_its_floor() -> None:
    """The lowest-versions run proves the floors only if it really runs on them."""
    installed = {name: Version(version(name)) for name in floors()}
    assert installed == floors()


def test_the_wheel_says_it_is_typed_and_where_it_lives(dist: tuple[Path, Path]) -> None:
    wheel = zipfile.ZipFile(dist[1])
    assert "cutrelease/py.typed" in wheel.namelist()
    (name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    metadata = Parser().parsestr(wheel.read(name).decode("utf-8"))
    assert metadata.get_all("Project-URL") == [
        "Homepage, https://github.com/cutrelease/cutrelease",
        "Changelog, https://github.com/cutrelease/cutrelease/blob/main/CHANGELOG.md",
        "Issues, https://github.com/cutrelease/cutrelease/issues",
    ]
    classifiers = metadata.get_all("Classifier")
    assert "Typing :: Typed" in classifiers
    assert [c for c in classifiers if c.startswith("Development Status ::")] != []
    pythons = [c.rsplit(" ", 1)[1] for c in classifiers if re.fullmatch(r".*:: 3\.\d+", c)]
    assert pythons == ["3.10", "3.11", "3.12", "3.13"]
    assert "changelog" in metadata["Keywords"].split(",")
    entry_points = wheel.read(name.replace("METADATA", "entry_points.txt")).decode()
    assert "bump = cutrelease.__main__:main" in entry_points
    assert "cutrelease = cutrelease.__main__:main" in entry_points


def test_the_sdist_holds_the_source_the_tests_and_their_files_and_no_more(
    dist: tuple[Path, Path],
) -> None:
    with tarfile.open(dist[0]) as sdist:
        names = [name.split("/", 1)[1] for name in sdist.getnames() if "/" in name]
    tops = {name.split("/", 1)[0] for name in names}
    assert tops == {
        "src",
        "tests",
        "examples",
        ".github",
        ".ci",
        ".pre-commit-hooks.yaml",
        ".gitignore",
        "README.md",
        "CHANGELOG.md",
        "SECURITY.md",
        "LICENSE",
        "pyproject.toml",
        "PKG-INFO",
    }
    assert [n for n in names if n.startswith(".ci/")] == [".ci/actionlint.cjs"]
    assert "src/cutrelease/py.typed" in names
    assert "src/cutrelease/templates/release.yml.j2" in names
    assert [n for n in names if "__pycache__" in n or n.endswith(".pyc")] == []


def test_the_readme_installs_cutrelease_by_its_own_name() -> None:
    install = README.split("\n## Install\n", 1)[1].split("\n## ", 1)[0]
    for command in (
        "uvx cutrelease patch",
        "uv tool install cutrelease",
        "pipx install cutrelease",
    ):
        assert command in install
    # The other `bump` on PyPI: never tell anyone to install or run "bump" by package name.
    assert re.search(r"(uvx|tool install|pipx install|pip install) bump\b", README) is None
    assert "Another package on PyPI, also named `bump`" in install
