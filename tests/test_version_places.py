"""Every place the version lives, released for real: projects made the way users make them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    CHANGELOG,
    HATCH_PATH,
    HATCH_VCS,
    PYPROJECT,
    SECURITY,
    Project,
    copy_project,
    make_project,
)

UV = Path(sys.executable).parent / "uv"  # a dev dependency, beside this Python


def uv(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UV_NO_PROGRESS": "1", "UV_PYTHON_DOWNLOADS": "never"}
    return subprocess.run(
        [str(UV), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def rebuild(project: Project, files: dict[str, str], *, remove: tuple[str, ...] = ()) -> None:
    """Replace the sample project's files with `files`, commit and push them."""
    for name in remove:
        (project.root / name).unlink()
    for name, text in files.items():
        project.write(name, text)
    project.commit_all("the project as its users make it")
    project.push()


def committed(project: Project) -> list[str]:
    """The files the release commit changed."""
    return project.git("show", "--name-only", "--format=", "HEAD").split()


def uv_project(tmp_path: Path) -> Project:
    """`uv init --package` at 0.2.0 with its uv.lock, a changelog and a security policy."""
    project = make_project(tmp_path)
    shutil.rmtree(project.root / "src")
    (project.root / "pyproject.toml").unlink()
    done = uv(project.root, "init", "-q", "--package", "--name", "widget", "--vcs", "none", ".")
    assert done.returncode == 0, done.stderr
    text = project.read("pyproject.toml").replace('version = "0.1.0"', 'version = "0.2.0"')
    project.write("pyproject.toml", text)
    done = uv(project.root, "lock", "--offline", "-q")
    assert done.returncode == 0, done.stderr
    project.commit_all("uv init --package")
    project.push()
    return project


@pytest.fixture(scope="module")
def uv_template(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return uv_project(tmp_path_factory.mktemp("uv"))


@pytest.fixture
def uv_made(uv_template: Project, tmp_path: Path) -> Project:
    return copy_project(uv_template, tmp_path)


def test_uv_lock_moves_with_the_version_and_uv_agrees(uv_made: Project) -> None:
    lock_before = uv_made.read("uv.lock")
    run = uv_made.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert committed(uv_made) == ["CHANGELOG.md", "pyproject.toml", "uv.lock"]
    assert uv_made.read("uv.lock") == lock_before.replace(
        'name = "widget"\nversion = "0.2.0"', 'name = "widget"\nversion = "0.2.1"'
    )
    assert uv_made.git("status", "--porcelain") == ""
    check = uv(uv_made.root, "lock", "--check", "--offline")
    assert check.returncode == 0, check.stderr
    assert uv_made.remote_git("rev-parse", "v0.2.1^{commit}") == uv_made.git("rev-parse", "HEAD")


def test_the_dry_run_shows_the_lock(uv_made: Project) -> None:
    before = uv_made.snapshot()
    run = uv_made.bump("patch", "--dry-run")
    assert run.code == 0, run.err
    assert "--- a/uv.lock\n+++ b/uv.lock\n" in run.out
    assert '-version = "0.2.0"\n+version = "0.2.1"\n' in run.out
    assert uv_made.snapshot() == before


def test_a_rejected_push_puts_the_lock_back(uv_made: Project) -> None:
    uv_made.hook("pre-receive", "echo 'frozen' >&2\nexit 1\n", remote=True)
    before = uv_made.snapshot()
    run = uv_made.bump("minor", "--yes")
    assert run.code == 1
    assert "restored" in run.err
    assert uv_made.snapshot() == before


def test_kill_9_after_the_lock_was_written_then_recover(uv_made: Project) -> None:
    before = uv_made.snapshot()
    uv_made.kill_at("write:uv.lock")
    assert uv_made.bump("recover").code == 0
    assert uv_made.snapshot() == before


def test_a_stale_lock_is_refused_before_anything_is_written(uv_made: Project) -> None:
    uv_made.write("pyproject.toml", uv_made.read("pyproject.toml").replace("0.2.0", "0.2.5"))
    uv_made.write("CHANGELOG.md", CHANGELOG.replace("[0.2.0]", "[0.2.5]"))
    uv_made.commit_all("version changed by hand")
    uv_made.push()
    before = uv_made.snapshot()
    run = uv_made.bump("patch", "--yes")
    assert run.code == 1
    assert "uv.lock" in run.err
    assert "uv lock" in run.err
    assert uv_made.snapshot() == before


def test_hatch_path_and_a_copy_in_init(project: Project) -> None:
    rebuild(
        project,
        {
            "pyproject.toml": HATCH_PATH,
            "src/widget/__about__.py": '# SPDX\n__version__ = "0.2.0"\n',
            "src/widget/__init__.py": 'from .x import y\n\n__version__ = "0.2.0"\n',
        },
    )
    assert project.bump("version").out == "0.2.0\n"
    assert project.bump("check-tag", "v0.2.0").code == 0
    run = project.bump("minor", "--yes")
    assert run.code == 0, run.err
    assert project.read("src/widget/__about__.py") == '# SPDX\n__version__ = "0.3.0"\n'
    assert project.read("src/widget/__init__.py") == 'from .x import y\n\n__version__ = "0.3.0"\n'
    assert project.read("pyproject.toml") == HATCH_PATH
    assert committed(project) == [
        "CHANGELOG.md",
        "SECURITY.md",
        "src/widget/__about__.py",
        "src/widget/__init__.py",
    ]
    assert project.bump("version").out == "0.3.0\n"


def test_a_copy_that_disagrees_is_refused_naming_its_line(project: Project) -> None:
    rebuild(project, {"src/widget/__init__.py": '"""Widget."""\n__version__ = "0.1.9"\n'})
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1
    assert "src/widget/__init__.py:2" in run.err
    assert project.snapshot() == before


SETUPTOOLS = """\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "widget"
dynamic = ["version"]

[tool.setuptools.dynamic]
version = {attr = "widget.__version__"}
"""


def test_setuptools_attr_in_a_src_layout(project: Project) -> None:
    rebuild(
        project,
        {"pyproject.toml": SETUPTOOLS, "src/widget/__init__.py": '__version__ = "0.2.0"\n'},
    )
    run = project.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert project.read("src/widget/__init__.py") == '__version__ = "0.2.1"\n'
    assert committed(project) == ["CHANGELOG.md", "src/widget/__init__.py"]


def test_versions_from_tags_release_the_changelog_and_the_tag(project: Project) -> None:
    rebuild(project, {"pyproject.toml": HATCH_VCS})
    project.git("tag", "-a", "v0.2.0", "-m", "v0.2.0")
    project.git("push", "-q", "origin", "v0.2.0")
    assert project.bump("version").out == "0.2.0\n"
    run = project.bump("minor", "--yes")
    assert run.code == 0, run.err
    assert committed(project) == ["CHANGELOG.md", "SECURITY.md"]
    assert project.read("pyproject.toml") == HATCH_VCS
    assert "## [0.3.0] - " in project.read("CHANGELOG.md")
    assert project.remote_git("rev-parse", "v0.3.0^{commit}") == project.git("rev-parse", "HEAD")
    assert project.bump("version").out == "0.3.0\n"


def test_versions_from_tags_need_the_tag_of_the_newest_release(project: Project) -> None:
    rebuild(project, {"pyproject.toml": HATCH_VCS})
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1
    assert "v0.2.0" in run.err
    assert project.snapshot() == before


LISTED = """
[[tool.cutrelease.files]]
path = "docs/conf.py"
search = 'release = "{version}"'
"""


def test_listed_files_move_every_occurrence(project: Project) -> None:
    conf = 'release = "0.2.0"\nversion = "0.2"\n# release = "0.2.0" in a comment too\n'
    rebuild(
        project,
        {"pyproject.toml": project.read("pyproject.toml") + LISTED, "docs/conf.py": conf},
    )
    run = project.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert project.read("docs/conf.py") == conf.replace('release = "0.2.0"', 'release = "0.2.1"')
    assert "docs/conf.py" in committed(project)


@pytest.mark.parametrize(
    ("conf", "words"),
    [
        ('release = "0.1.0"\n', "docs/conf.py"),
        (None, "docs/conf.py"),
    ],
)
def test_a_listed_file_without_the_version_is_refused(
    project: Project, conf: str | None, words: str
) -> None:
    files = {"pyproject.toml": project.read("pyproject.toml") + LISTED}
    if conf is not None:
        files["docs/conf.py"] = conf
    rebuild(project, files)
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1
    assert words in run.err
    assert "Traceback" not in run.err
    assert project.snapshot() == before


POETRY = """\
[tool.poetry]
name = "widget"
version = "0.2.0"  # poetry 1.x
description = ""

[build-system]
requires = ["poetry-core"]
build-backend = "poetry.core.masonry.api"
"""


def test_poetry_version_is_released_format_kept(project: Project) -> None:
    rebuild(project, {"pyproject.toml": POETRY})
    run = project.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert project.read("pyproject.toml") == POETRY.replace('"0.2.0"', '"0.2.1"')


def test_the_first_release_of_a_uv_init_project(tmp_path: Path) -> None:
    """`uv init` makes 0.1.0 with nothing released: `bump 0.1.0` releases it as it is."""
    project = uv_project(tmp_path)
    text = project.read("pyproject.toml").replace('"0.2.0"', '"0.1.0"')
    head = "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- The widget.\n"
    policy = SECURITY.replace("0.2.x", "0.1.x").replace("< 0.2", "< 0.1")
    rebuild(project, {"pyproject.toml": text, "CHANGELOG.md": head, "SECURITY.md": policy})
    uv(project.root, "lock", "--offline", "-q")
    project.commit_all("0.1.0")
    project.push()
    run = project.bump("0.1.0", "--yes", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert committed(project) == ["CHANGELOG.md"]
    assert project.read("CHANGELOG.md") == (
        "# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2026-03-01\n\n### Added\n\n- The widget.\n"
    )
    assert project.remote_git("rev-parse", "v0.1.0^{commit}") == project.git("rev-parse", "HEAD")
    again = project.bump("0.1.0", "--yes")
    assert again.code == 1
    assert "0.1.0 is the current version, and it is released already (tag v0.1.0)" in again.err


@pytest.mark.parametrize(
    "layout",
    [
        '[tool.setuptools.packages.find]\nwhere = ["lib"]\n',
        '[tool.setuptools]\npackage-dir = {"" = "lib"}\n',
        '[tool.setuptools]\npackage-dir = {"" = "lib"}\npackages = ["wt"]\n',
    ],
)
def test_a_copy_in_a_setuptools_package_found_where_setuptools_looks(
    project: Project, layout: str
) -> None:
    """The import package `wt` (not named like the project) in lib/: its copy moves too."""
    pyproject = (
        '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n\n'
        '[project]\nname = "widget-tools"\nversion = "0.2.0"\n\n' + layout
    )
    rebuild(
        project,
        {"pyproject.toml": pyproject, "lib/wt/__init__.py": '__version__ = "0.2.0"\n'},
        remove=("src/widget/__init__.py",),
    )
    run = project.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert project.read("lib/wt/__init__.py") == '__version__ = "0.2.1"\n'
    assert committed(project) == ["CHANGELOG.md", "lib/wt/__init__.py", "pyproject.toml"]


def test_a_uv_lock_kept_out_of_git_is_left_alone(uv_made: Project) -> None:
    uv_made.write(".gitignore", "uv.lock\n")
    uv_made.git("rm", "-q", "--cached", "uv.lock")
    uv_made.commit_all("the lock is not kept in git")
    uv_made.push()
    lock = uv_made.read("uv.lock")
    run = uv_made.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert committed(uv_made) == ["CHANGELOG.md", "pyproject.toml"]
    assert uv_made.read("uv.lock") == lock


def test_a_stale_uv_lock_kept_out_of_git_does_not_block(uv_made: Project) -> None:
    uv_made.write(".gitignore", "uv.lock\n")
    uv_made.git("rm", "-q", "--cached", "uv.lock")
    uv_made.write("pyproject.toml", uv_made.read("pyproject.toml").replace("0.2.0", "0.2.5"))
    uv_made.write("CHANGELOG.md", CHANGELOG.replace("[0.2.0]", "[0.2.5]"))
    uv_made.commit_all("version changed by hand; the ignored lock says 0.2.0")
    uv_made.push()
    run = uv_made.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert committed(uv_made) == ["CHANGELOG.md", "pyproject.toml"]


def test_a_listed_file_that_is_the_changelog_gets_both_edits(project: Project) -> None:
    listed = (
        '\n[[tool.cutrelease.files]]\npath = "CHANGELOG.md"\n'
        'search = "Current version: {version}"\n'
    )
    text = project.read("CHANGELOG.md").replace(
        "## [Unreleased]", "Current version: 0.2.0\n\n## [Unreleased]", 1
    )
    rebuild(
        project, {"pyproject.toml": project.read("pyproject.toml") + listed, "CHANGELOG.md": text}
    )
    dry = project.bump("patch", "--dry-run")
    assert dry.out.count("--- a/CHANGELOG.md") == 1
    run = project.bump("patch", "--yes", "--date", "2026-03-01")
    assert run.code == 0, run.err
    released = project.read("CHANGELOG.md")
    assert "Current version: 0.2.1\n" in released
    assert "## [0.2.1] - 2026-03-01" in released
    assert committed(project) == ["CHANGELOG.md", "pyproject.toml"]


def test_one_file_named_by_two_paths_is_refused(project: Project) -> None:
    """A listed link to the package's `__init__.py`: two edits of one file, the last winning."""
    (project.root / "VERSION.py").symlink_to("src/widget/__init__.py")
    listed = '\n[[tool.cutrelease.files]]\npath = "VERSION.py"\nsearch = "{version}"\n'
    rebuild(
        project,
        {
            "pyproject.toml": project.read("pyproject.toml") + listed,
            "src/widget/__init__.py": '__version__ = "0.2.0"\n',
        },
    )
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1, run.err
    assert "are one file (src/widget/__init__.py)" in run.err
    assert project.snapshot() == before


# ------------------------------------------------------------------------ PEP 751 lock files


def exported(project: Project, name: str = "pylock.toml", *, version: str | None = "0.2.0") -> str:
    """`uv export --format pylock.toml` of the project, its own entry given `version` as
    pdm and commitizen write it (uv leaves it out: PEP 751 asks so of a source tree)."""
    done = uv(project.root, "export", "--offline", "-q", "--format", "pylock.toml", "-o", name)
    assert done.returncode == 0, done.stderr
    text = project.read(name)
    entry = 'name = "widget"\ndirectory = '
    assert text.count(entry) == 1, text
    if version is not None:
        text = text.replace(entry, f'name = "widget"\nversion = "{version}"\ndirectory = ')
        project.write(name, text)
    return text


def uv_accepts(project: Project, name: str) -> None:
    venv = project.root.parent / "venv"
    assert uv(project.root, "venv", "-q", str(venv)).returncode == 0
    env_uv = [str(UV), "pip", "install", "--offline", "--dry-run", "-r", name]
    done = subprocess.run(
        env_uv,
        cwd=project.root,
        env={**os.environ, "VIRTUAL_ENV": str(venv), "UV_NO_PROGRESS": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "widget" in done.stderr


def test_uv_s_own_pylock_export_has_no_version_and_is_left_alone(uv_made: Project) -> None:
    lock = exported(uv_made, version=None)
    uv_made.commit_all("uv export --format pylock.toml")
    uv_made.push()
    run = uv_made.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert committed(uv_made) == ["CHANGELOG.md", "pyproject.toml", "uv.lock"]
    assert uv_made.read("pylock.toml") == lock


@pytest.mark.parametrize("name", ["pylock.toml", "pylock.dev.toml"])
def test_a_pylock_entry_with_the_version_moves_and_uv_accepts_it(
    uv_made: Project, name: str
) -> None:
    lock = exported(uv_made, name)
    uv_made.commit_all("the lock, as pdm writes the project's entry")
    uv_made.push()
    run = uv_made.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert committed(uv_made) == sorted(["CHANGELOG.md", "pyproject.toml", "uv.lock", name])
    assert uv_made.read(name) == lock.replace(
        'name = "widget"\nversion = "0.2.0"', 'name = "widget"\nversion = "0.2.1"'
    )
    assert uv_made.git("status", "--porcelain") == ""
    uv_accepts(uv_made, name)


def test_a_stale_pylock_entry_is_refused_before_anything_is_written(uv_made: Project) -> None:
    exported(uv_made, version="0.1.9")
    uv_made.commit_all("a lock exported before the last release")
    uv_made.push()
    before = uv_made.snapshot()
    run = uv_made.bump("patch", "--yes")
    assert run.code == 1
    assert (
        "error: pylock.toml:9: the [[packages]] entry 'widget' is at 0.1.9, but the project is "
        "at 0.2.0: pylock.toml is out of date."
    ) in run.err
    assert "uv export --format pylock.toml -o pylock.toml" in run.err
    assert uv_made.snapshot() == before


def test_a_rejected_push_puts_the_pylock_back(uv_made: Project) -> None:
    exported(uv_made)
    uv_made.commit_all("the lock")
    uv_made.push()
    uv_made.hook("pre-receive", "echo 'frozen' >&2\nexit 1\n", remote=True)
    before = uv_made.snapshot()
    assert uv_made.bump("minor", "--yes").code == 1
    assert uv_made.snapshot() == before


def test_a_pylock_kept_out_of_git_is_left_alone(uv_made: Project) -> None:
    lock = exported(uv_made)
    uv_made.write(".gitignore", "pylock.toml\n")
    uv_made.commit_all("the exported lock is not kept in git")
    uv_made.push()
    run = uv_made.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert committed(uv_made) == ["CHANGELOG.md", "pyproject.toml", "uv.lock"]
    assert uv_made.read("pylock.toml") == lock


# ------------------------------------------- situations from public reports (where it lives)


def test_a_dependency_or_git_rev_at_the_same_version_stays(project: Project) -> None:
    """commitizen #1580 and #1821: `package-b==1.2.3` and `rev = "v1.2.3"` moved with 1.2.3."""
    pyproject = PYPROJECT_SAME_NUMBERS
    init = '__version__ = "0.2.0"\nREQUIRES = "package-b==0.2.0"\nMINIMUM = (0, 2, 0)\n'
    rebuild(project, {"pyproject.toml": pyproject, "src/widget/__init__.py": init})
    run = project.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert project.read("pyproject.toml") == pyproject.replace(
        'version = "0.2.0"  # the project', 'version = "0.2.1"  # the project'
    )
    assert project.read("src/widget/__init__.py") == init.replace(
        '__version__ = "0.2.0"', '__version__ = "0.2.1"'
    )


PYPROJECT_SAME_NUMBERS = """\
[project]
name = "widget"
version = "0.2.0"  # the project
dependencies = ["package-b==0.2.0", "package-c>=0.2.0"]

[tool.uv.sources]
mygitpackage = { git = "https://github.com/acme/mygitpackage", rev = "v0.2.0" }
"""


def test_setuptools_scm_s_generated_version_file_is_no_copy(project: Project) -> None:
    """setuptools-scm #770: its `_version.py` (`__version__ = version = '...'`) in the working
    tree, written through setup.py's `write_to`, which pyproject.toml does not name."""
    pyproject = (
        '[build-system]\nrequires = ["setuptools>=64", "setuptools-scm>=8"]\n'
        'build-backend = "setuptools.build_meta"\n\n'
        '[project]\nname = "widget"\ndynamic = ["version"]\n'
    )
    generated = (
        "# file generated by setuptools-scm\n"
        "# don't change, don't track in version control\n"
        "__version__ = version = '0.2.1.dev3+g1234567'\n"
        "__version_tuple__ = version_tuple = (0, 2, 1, 'dev3', 'g1234567')\n"
    )
    setup = (
        "from setuptools import setup\n"
        'setup(use_scm_version={"write_to": "src/widget/_version.py"})\n'
    )
    rebuild(
        project, {"pyproject.toml": pyproject, "setup.py": setup, ".gitignore": "_version.py\n"}
    )
    project.write("src/widget/_version.py", generated)
    project.git("tag", "-a", "v0.2.0", "-m", "v0.2.0")
    project.git("push", "-q", "origin", "v0.2.0")
    run = project.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert committed(project) == ["CHANGELOG.md"]
    assert project.read("src/widget/_version.py") == generated


def test_a_version_read_from_the_installed_metadata_is_left_alone(uv_made: Project) -> None:
    """uv #13827 (`uv version --bump` leaves `__init__.py`): a package reading its version from
    its metadata has nothing to move there."""
    init = (
        "from importlib.metadata import version\n\n"
        '__version__ = version("widget")\n__all__ = ["__version__"]\n'
    )
    rebuild(uv_made, {"src/widget/__init__.py": init})
    run = uv_made.bump("patch", "--yes")
    assert run.code == 0, run.err
    assert committed(uv_made) == ["CHANGELOG.md", "pyproject.toml", "uv.lock"]
    assert uv_made.read("src/widget/__init__.py") == init


def test_a_pre_release_in_a_chained_assignment_moves(project: Project) -> None:
    """python-semantic-release #1018: a version variable holding a pre-release was left."""
    version = "__version__ = version = '1.3.0rc1'\n"
    pyproject = PYPROJECT.replace('version = "0.2.0"', 'version = "1.3.0rc1"')
    changelog = CHANGELOG.replace("[0.2.0]", "[1.3.0rc1]").replace("v0.2.0", "v1.3.0rc1")
    rebuild(
        project,
        {"pyproject.toml": pyproject, "CHANGELOG.md": changelog, "src/widget/_version.py": version},
    )
    run = project.bump("rc", "--yes")
    assert run.code == 0, run.err
    assert project.read("src/widget/_version.py") == "__version__ = version = '1.3.0rc2'\n"
    assert "src/widget/_version.py" in committed(project)


def test_a_poetry_project_is_a_package_of_the_repository(project: Project) -> None:
    """The trial: `bump changed` said no package changed, `--all` and `version --all` found
    no package, in a poetry 1.x project (no [project] table) with a commit since its tag."""
    rebuild(project, {"pyproject.toml": POETRY})
    assert project.bump("version", "--all").out.split()[:2] == ["widget", "0.2.0"]
    changed = project.bump("changed")
    assert changed.code == 0, changed.err
    assert changed.out.startswith("widget"), changed.out
    run = project.bump("patch", "--all", "--yes")
    assert run.code == 0, run.err
    assert project.read("pyproject.toml") == POETRY.replace('"0.2.0"', '"0.2.1"')
