"""Workspaces: several packages in one repository, each released on its own (SPEC section 10).

The workspace is made as users make one: `uv init` at the root and for each member, `uv lock`,
and a bare remote it is pushed to. Built once, then copied for each test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import GIT_ENV, Project, audit_workflow, git, needs_actionlint

from cutrelease import workspace
from cutrelease.errors import Refused
from cutrelease.workspace import Member

UV = Path(sys.executable).parent / "uv"  # a dev dependency, beside this Python
REPO = Path(__file__).resolve().parents[1]

CHANGELOG = """\
# Changelog

## [Unreleased]

### Fixed

- A fix to {name}.

## [0.1.0] - 2026-01-10

### Added

- {name} itself.

[Unreleased]: https://github.com/acme/mono/compare/{prefix}0.1.0...HEAD
[0.1.0]: https://github.com/acme/mono/releases/tag/{prefix}0.1.0
"""

SECURITY = """\
# Security Policy

## Supported Versions

| Version | Supported          |
| ------- | ------------------ |
| 0.1.x   | :white_check_mark: |
| < 0.1   | :x:                |
"""

#: Each package: its folder and its first tag's prefix.
PACKAGES = {"": "v", "packages/alpha": "alpha-v", "packages/beta": "beta-v"}


def uv(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "UV_NO_PROGRESS": "1", "UV_PYTHON_DOWNLOADS": "never"}
    done = subprocess.run(
        [str(UV), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done


def release_files(project: Project, folder: str, name: str, prefix: str) -> None:
    base = f"{folder}/" if folder else ""
    project.write(base + "CHANGELOG.md", CHANGELOG.format(name=name, prefix=prefix))
    project.write(base + "SECURITY.md", SECURITY)


def make_workspace(base: Path) -> Project:
    """A uv workspace (root project `mono`, members alpha and beta) at 0.1.0, tagged and pushed."""
    remote, root = base / "remote.git", base / "work"
    git(base, "init", "-q", "--bare", "-b", "main", str(remote))
    git(base, "init", "-q", "-b", "main", str(root))
    project = Project(root, remote)
    uv(root, "init", "-q", "--lib", "--name", "mono", "--vcs", "none", ".")
    for name in ("alpha", "beta"):
        uv(root, "init", "-q", "--lib", "--vcs", "none", f"packages/{name}")
    uv(root, "lock", "--offline", "-q")
    for folder, prefix in PACKAGES.items():
        release_files(project, folder, folder.rpartition("/")[2] or "mono", prefix)
    project.commit_all("a uv workspace")
    for prefix in PACKAGES.values():
        project.git("tag", "-a", "-m", f"{prefix}0.1.0", f"{prefix}0.1.0")
    project.git("remote", "add", "origin", str(remote))
    project.git("push", "-q", "origin", "main", "--tags")
    return project


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workspace(tmp_path_factory.mktemp("workspace")).root.parent


@pytest.fixture
def ws(made: Path, tmp_path: Path) -> Project:
    """A fresh copy of the workspace and its remote."""
    return fresh_copy(made, tmp_path)


def fresh_copy(made: Path, tmp_path: Path) -> Project:
    """A copy of the workspace `made` (make_workspace's folder) and its remote, in `tmp_path`:
    each test changes its own."""
    shutil.copytree(made, tmp_path / "copy", symlinks=True)
    project = Project(tmp_path / "copy" / "work", tmp_path / "copy" / "remote.git")
    project.git("remote", "set-url", "origin", str(project.remote))
    return project


def committed(project: Project) -> list[str]:
    return sorted(project.git("show", "--name-only", "--format=", "HEAD").split())


def released(project: Project, tag: str) -> bool:
    """The tag is on the remote, on the commit HEAD is, and the work tree is clean."""
    remote = project.remote_git("rev-parse", f"{tag}^{{commit}}").strip()
    return remote == project.git("rev-parse", "HEAD").strip() and not project.git(
        "status", "--porcelain"
    )


def lock_version(project: Project, name: str) -> str:
    match = re.search(rf'name = "{name}"\nversion = "([^"]+)"', project.read("uv.lock"))
    assert match is not None
    return match[1]


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error:")]


# ------------------------------------------------------------------------- releasing members


def test_each_member_is_released_for_real(ws: Project) -> None:
    """-p before the command, -p after it, and the root project: three releases, three tags."""
    run = ws.bump("-p", "alpha", "minor", "--yes")
    assert run.code == 0, run.err
    assert released(ws, "alpha-v0.2.0")
    assert committed(ws) == [
        "packages/alpha/CHANGELOG.md",
        "packages/alpha/SECURITY.md",
        "packages/alpha/pyproject.toml",
        "uv.lock",
    ]
    assert 'version = "0.2.0"' in ws.read("packages/alpha/pyproject.toml")
    assert lock_version(ws, "alpha") == "0.2.0"
    assert lock_version(ws, "beta") == lock_version(ws, "mono") == "0.1.0"
    changelog = ws.read("packages/alpha/CHANGELOG.md")
    assert "## [0.2.0] - " in changelog
    assert "[Unreleased]: https://github.com/acme/mono/compare/alpha-v0.2.0...HEAD\n" in changelog
    assert "[0.2.0]: https://github.com/acme/mono/compare/alpha-v0.1.0...alpha-v0.2.0\n" in (
        changelog
    )
    assert "| 0.2.x   | :white_check_mark: |" in ws.read("packages/alpha/SECURITY.md")
    assert ws.git("log", "-1", "--format=%s").strip() == "chore(release): alpha-v0.2.0"
    uv(ws.root, "lock", "--check", "--offline")

    run = ws.bump("patch", "-p", "beta", "--yes")
    assert run.code == 0, run.err
    assert released(ws, "beta-v0.1.1")
    assert committed(ws) == [
        "packages/beta/CHANGELOG.md",
        "packages/beta/pyproject.toml",
        "uv.lock",
    ]
    uv(ws.root, "lock", "--check", "--offline")

    run = ws.bump("patch", "--yes")  # at the root: the root project, tagged v as before
    assert run.code == 0, run.err
    assert released(ws, "v0.1.1")
    assert committed(ws) == ["CHANGELOG.md", "pyproject.toml", "uv.lock"]
    uv(ws.root, "lock", "--check", "--offline")
    assert ws.bump("version", "--all").out == (
        "mono   0.1.1  .\nalpha  0.2.0  packages/alpha\nbeta   0.1.1  packages/beta\n"
    )


@pytest.mark.parametrize("where", ["-C", "cwd"])
def test_in_a_member_folder_the_member_is_released(ws: Project, where: str) -> None:
    """The issue's report: `bump -C packages/alpha patch` released the root project."""
    if where == "-C":
        run = ws.bump("-C", "packages/alpha", "patch", "--yes")
    else:
        run = ws.bump("patch", "--yes", cwd=ws.root / "packages" / "alpha" / "src" / "alpha")
    assert run.code == 0, run.err
    assert released(ws, "alpha-v0.1.1")
    assert "Released alpha-v0.1.1" in run.err
    assert ws.remote_git("tag", "-l", "v*") == "v0.1.0\n"  # the root project was not released


def test_the_dry_run_names_the_member_files_and_changes_nothing(ws: Project) -> None:
    before = ws.snapshot()
    run = ws.bump("-p", "beta", "patch", "--dry-run")
    assert run.code == 0, run.err
    assert ws.snapshot() == before
    assert "--- a/packages/beta/pyproject.toml\n" in run.out
    assert "--- a/uv.lock\n" in run.out
    assert "-- packages/beta/pyproject.toml uv.lock packages/beta/CHANGELOG.md\n" in run.out
    assert (
        "git -c push.pushOption= push --atomic --no-follow-tags --recurse-submodules=no origin "
        "refs/heads/main:refs/heads/main refs/tags/beta-v0.1.1:refs/tags/beta-v0.1.1\n"
    ) in run.out


def test_a_rejected_push_leaves_the_workspace_as_it_was(ws: Project) -> None:
    ws.hook("pre-receive", "echo 'no releases today' >&2\nexit 1\n", remote=True)
    before = ws.snapshot()
    run = ws.bump("-p", "alpha", "minor", "--yes")
    assert run.code == 1
    assert "no releases today" in run.err
    assert "restored" in run.err
    assert ws.snapshot() == before


def test_kill_9_in_a_member_release_then_recover(ws: Project) -> None:
    before = ws.snapshot()
    ws.inject("kill", "write:uv.lock")
    assert ws.bump("-p", "alpha", "patch").code < 0
    ws.no_faults()
    pending = ws.bump("-p", "alpha", "patch")
    assert pending.code == 1
    assert "bump recover" in pending.err
    assert ws.bump("recover", "-p", "alpha").code == 0
    assert ws.snapshot() == before


def test_a_member_takes_branch_remote_and_push_from_the_root(ws: Project) -> None:
    text = ws.read("pyproject.toml") + '\n[tool.cutrelease]\nbranch = "trunk"\npush = false\n'
    ws.write("pyproject.toml", text)
    ws.commit_all("release from trunk, locally")
    ws.push()
    run = ws.bump("-p", "alpha", "patch", "--dry-run")
    assert run.code == 1
    assert "not the release branch 'trunk'" in run.err
    ws.git("switch", "-q", "-c", "trunk")
    run = ws.bump("-p", "alpha", "patch", "--yes")
    assert run.code == 0, run.err
    assert "not pushed" in run.err
    assert ws.git("tag", "-l", "alpha-v0.1.1") == "alpha-v0.1.1\n"


def test_a_member_sets_its_own_tag_prefix(ws: Project) -> None:
    path = "packages/beta/pyproject.toml"
    ws.write(path, ws.read(path) + '\n[tool.cutrelease]\ntag_prefix = "beta/"\n')
    changelog = "packages/beta/CHANGELOG.md"
    ws.write(changelog, ws.read(changelog).replace("beta-v", "beta/"))
    ws.commit_all("beta tags beta/X.Y.Z")
    ws.push()
    ws.git("tag", "-a", "-m", "beta/0.1.0", "beta/0.1.0")
    ws.git("push", "-q", "origin", "beta/0.1.0")  # a released version's tag is on the remote
    run = ws.bump("-p", "beta", "patch", "--yes")
    assert run.code == 0, run.err
    assert released(ws, "beta/0.1.1")
    assert "compare/beta/0.1.0...beta/0.1.1" in ws.read("packages/beta/CHANGELOG.md")
    tag = ws.bump("check-tag", "--json", "beta/0.1.1")
    assert tag.code == 0, tag.out
    assert json.loads(tag.out)["name"] == "beta"


def test_a_member_hooks_run_in_its_folder(ws: Project) -> None:
    """Like its other paths, a member's hooks are its own: they run in its folder."""
    path = "packages/alpha/pyproject.toml"
    hook = '["sh", "-c", "echo {new_version} >> NOTES.txt"]'
    ws.write(path, ws.read(path) + f"\n[tool.cutrelease]\nbefore_commit = [{hook}]\n")
    ws.write("packages/alpha/NOTES.txt", "")
    ws.commit_all("alpha notes each release")
    ws.push()
    run = ws.bump("-p", "alpha", "patch", "--yes")
    assert run.code == 0, run.err
    assert released(ws, "alpha-v0.1.1")
    assert ws.read("packages/alpha/NOTES.txt") == "0.1.1\n"
    assert "packages/alpha/NOTES.txt" in committed(ws)


# ------------------------------------------------------------------------- the CI side


def test_check_tag_finds_the_member_by_its_tag(ws: Project) -> None:
    run = ws.bump("check-tag", "--json", "refs/tags/alpha-v0.1.0")
    assert run.code == 0, run.out
    assert json.loads(run.out) == {
        "schema_version": 1,
        "command": "check-tag",
        "ok": True,
        "name": "alpha",
        "folder": "packages/alpha",
        "version": "0.1.0",
        "tag": "alpha-v0.1.0",
        "error": None,
        "exit_code": 0,
    }
    root = json.loads(ws.bump("check-tag", "--json", "v0.1.0").out)
    assert (root["name"], root["folder"]) == ("mono", ".")
    plain = ws.bump("check-tag", "beta-v0.1.0")
    assert plain.code == 0
    assert plain.err == "Tag beta-v0.1.0 matches packages/beta/pyproject.toml's version.\n"


def test_check_tag_of_a_member_names_its_version(ws: Project) -> None:
    run = ws.bump("check-tag", "alpha-v0.2.0")
    assert run.code == 1
    assert error_lines(run.err) == [
        "error: Tag 'alpha-v0.2.0' does not match packages/alpha/pyproject.toml's version "
        "0.1.0 (expected tag 'alpha-v0.1.0'). Release with `bump`, which tags what "
        "packages/alpha/pyproject.toml says."
    ]
    failed = json.loads(ws.bump("check-tag", "--json", "alpha-v0.2.0").out)
    assert (failed["ok"], failed["name"], failed["exit_code"]) == (False, None, 1)
    assert "expected tag 'alpha-v0.1.0'" in failed["error"]
    # A tag no package's prefix claims is checked against the package of the folder.
    other = ws.bump("check-tag", "gamma-v1.0.0")
    assert other.code == 1
    assert "does not match pyproject.toml's version 0.1.0 (expected tag 'v0.1.0')" in other.err


def test_notes_by_member_tag_and_by_package(ws: Project) -> None:
    assert ws.bump("notes", "alpha-v0.1.0").out == "### Added\n\n- alpha itself.\n"
    assert ws.bump("notes", "-p", "beta", "0.1.0").out == "### Added\n\n- beta itself.\n"
    assert ws.bump("-p", "beta", "notes", "--unreleased").out == "### Fixed\n\n- A fix to beta.\n"
    assert ws.bump("notes", "v0.1.0").out == "### Added\n\n- mono itself.\n"
    assert ws.bump("notes", cwd=ws.root / "packages" / "alpha").out == (
        "### Added\n\n- alpha itself.\n"
    )
    assert ws.bump("-p", "alpha", "minor", "--yes").code == 0
    assert ws.bump("notes", "alpha-v0.2.0").out == "### Fixed\n\n- A fix to alpha.\n"


def test_version_of_one_member_or_all(ws: Project) -> None:
    assert ws.bump("-p", "beta", "version").out == "0.1.0\n"
    assert ws.bump("version", "-p", "Alpha").out == "0.1.0\n"  # names compare normalized
    listing = ws.bump("version", "--all")
    assert listing.code == 0
    assert listing.out.splitlines() == [
        "mono   0.1.0  .",
        "alpha  0.1.0  packages/alpha",
        "beta   0.1.0  packages/beta",
    ]
    both = ws.bump("-p", "beta", "version", "--all")
    assert both.code == 2
    assert "--all lists every package; it takes no --package" in both.err


def test_check_takes_the_package(ws: Project) -> None:
    assert ws.bump("check", "-p", "alpha").code == 0
    path = "packages/alpha/CHANGELOG.md"
    ws.write(path, ws.read(path).replace("## [0.1.0] - 2026-01-10", "## [0.1.0] - 10.01.2026"))
    run = ws.bump("-p", "alpha", "check")
    assert run.code == 1
    assert run.out.startswith("packages/alpha/CHANGELOG.md:9: ")
    assert ws.bump("-p", "beta", "check").code == 0


def test_the_light_commands_stay_light_in_a_workspace(ws: Project) -> None:
    """`version` and `check-tag` of a member load neither GitPython, Jinja2 nor tomlkit."""
    script = (
        "import sys\n"
        "from cutrelease.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as done:\n"
        "    print('exit', done.code)\n"
        "print('loaded:', *sorted({'git', 'jinja2', 'tomlkit'} & set(sys.modules)))\n"
    )

    def loaded(*args: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", script, *args],
            cwd=ws.root,
            env={**os.environ, **GIT_ENV},
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.splitlines()[-2:]

    light = ["exit 0", "loaded:"] if sys.version_info >= (3, 11) else ["exit 0", "loaded: tomlkit"]
    assert loaded("-p", "alpha", "version") == light
    assert loaded("version", "--all") == light
    assert loaded("check-tag", "alpha-v0.1.0") == light


# ------------------------------------------------------------------------- bad input


def refused(project: Project, *args: str, cwd: Path | None = None) -> str:
    """Run a release that must be refused: exit 1, one error sentence, nothing written."""
    before = project.snapshot()
    run = project.bump(*args, cwd=cwd)
    assert run.code == 1, run.err
    assert project.snapshot() == before
    lines = error_lines(run.err)
    assert len(lines) == 1, run.err
    assert "Traceback" not in run.err
    return lines[0]


def test_an_unknown_package_lists_the_members(ws: Project) -> None:
    assert refused(ws, "-p", "gamma", "patch", "--yes") == (
        "error: There is no package named 'gamma' in this repository (its packages: alpha, "
        "beta, mono). Pass one of them to --package."
    )


def test_a_folder_outside_the_workspace_members_is_refused(ws: Project) -> None:
    ws.write("tools/zeta/pyproject.toml", '[project]\nname = "zeta"\nversion = "1.0.0"\n')
    ws.write("tools/zeta/CHANGELOG.md", CHANGELOG.format(name="zeta", prefix="zeta-v"))
    ws.commit_all("a package the workspace does not hold")
    ws.push()
    assert refused(ws, "-C", "tools/zeta", "patch", "--yes") == (
        "error: tools/zeta is not a member of the uv workspace in pyproject.toml (members: "
        "packages/alpha, packages/beta). Add it to [tool.uv.workspace].members (and out of "
        "exclude), or run bump in a member's folder."
    )
    assert "There is no package named 'zeta'" in refused(ws, "-p", "zeta", "patch")


def globbed(project: Project) -> None:
    """The workspace's members as one glob, so that a new folder is a member at once."""
    text = re.sub(
        r"members = \[[^\]]*\]", 'members = ["packages/*"]', project.read("pyproject.toml")
    )
    project.write("pyproject.toml", text)


def test_two_members_with_one_normalized_name_are_refused(ws: Project) -> None:
    globbed(ws)
    ws.write("packages/gamma/pyproject.toml", '[project]\nname = "Alpha"\nversion = "1.0.0"\n')
    ws.commit_all("two alphas")
    ws.push()
    expected = (
        "error: Two packages of this repository are named alpha (packages/alpha and "
        "packages/gamma). Give each package its own [project].name."
    )
    assert refused(ws, "-p", "alpha", "patch", "--yes") == expected
    assert refused(ws, "-C", "packages/alpha", "patch", "--yes") == expected


def test_a_tag_prefix_shared_by_two_members_is_refused(ws: Project) -> None:
    globbed(ws)
    ws.write(
        "packages/gamma/pyproject.toml",
        '[project]\nname = "gamma"\nversion = "1.0.0"\n\n'
        '[tool.cutrelease]\ntag_prefix = "beta-v"\n',
    )
    ws.commit_all("gamma tags like beta")
    ws.push()
    expected = (
        "error: The packages beta (packages/beta) and gamma (packages/gamma) share the tag "
        "prefix 'beta-v', so a tag cannot say which one it releases. Give one of them its own "
        "[tool.cutrelease].tag_prefix."
    )
    assert refused(ws, "-p", "beta", "patch", "--yes") == expected
    assert refused(ws, "check-tag", "beta-v0.1.0") == expected
    # bump check (the pre-commit hook) says so too, before any release is tried.
    check = ws.bump("-p", "beta", "check")
    assert check.code == 1
    assert "packages/beta/pyproject.toml: " + expected.removeprefix("error: ") in check.out


def test_two_different_packages_given_is_a_usage_error(ws: Project) -> None:
    # A release takes several (SPEC section 14, tests/test_several.py); other commands one.
    run = ws.bump("-p", "alpha", "notes", "-p", "beta")
    assert run.code == 2
    assert "'beta' is not the package given before ('alpha')" in run.err


# ------------------------------------------------------------------------- a virtual root


def virtual(project: Project) -> None:
    """The root without a project of its own: only [tool.uv.workspace]."""
    project.write("pyproject.toml", '[tool.uv.workspace]\nmembers = ["packages/*"]\n')
    for name in ("CHANGELOG.md", "SECURITY.md"):
        (project.root / name).unlink()
    shutil.rmtree(project.root / "src")
    uv(project.root, "lock", "--offline", "-q")
    project.commit_all("a virtual workspace root")
    project.push()


def test_a_virtual_root_needs_a_package_and_finds_members_by_tag(ws: Project) -> None:
    virtual(ws)
    assert refused(ws, "patch", "--yes") == (
        "error: The repository root is a uv workspace with no [project] of its own (its "
        "packages: alpha, beta). Name one with --package NAME, or run bump in its folder."
    )
    assert ws.bump("check-tag", "beta-v0.1.0").code == 0
    assert ws.bump("notes", "alpha-v0.1.0").out == "### Added\n\n- alpha itself.\n"
    run = ws.bump("-p", "beta", "minor", "--yes")
    assert run.code == 0, run.err
    assert released(ws, "beta-v0.2.0")
    uv(ws.root, "lock", "--check", "--offline")


def test_check_at_a_virtual_root_checks_every_member(ws: Project) -> None:
    """The pre-commit hook runs `bump check` at the root: there, it means every package."""
    virtual(ws)
    assert ws.bump("check").code == 0
    path = "packages/beta/SECURITY.md"
    ws.write(path, ws.read(path).replace("0.1.x", "0.0.x"))
    run = ws.bump("check")
    assert run.code == 1
    assert run.out.startswith("packages/beta/SECURITY.md:7: ")
    assert ws.bump("check", "-p", "alpha").code == 0


def test_init_at_a_virtual_root_writes_the_one_workflow(ws: Project) -> None:
    virtual(ws)
    run = ws.bump("init")
    assert run.code == 0, run.err
    assert ws.git("status", "--porcelain") == "?? .github/\n"
    data = yaml.safe_load(ws.read(".github/workflows/release.yml"))
    assert data[True] == {"push": {"tags": ["*-v[0-9]*"]}}


def test_a_member_gets_its_files_from_init(ws: Project) -> None:
    ws.write("packages/delta/pyproject.toml", '[project]\nname = "delta"\nversion = "0.3.0"\n')
    globbed(ws)
    ws.commit_all("delta")
    ws.git("remote", "set-url", "origin", "git@github.com:acme/mono.git")  # never reached
    ws.git("tag", "-a", "-m", "delta-v0.3.0", "delta-v0.3.0")  # released: links compare with it
    run = ws.bump("init", "-p", "delta")
    assert run.code == 0, run.err
    assert "Created packages/delta/CHANGELOG.md, packages/delta/SECURITY.md, " in run.err
    changelog = ws.read("packages/delta/CHANGELOG.md")
    assert changelog.endswith("compare/delta-v0.3.0...HEAD\n")


# ------------------------------------------------------------------------- the workflow


@pytest.fixture
def workflow(ws: Project) -> str:
    run = ws.bump("init")
    assert run.code == 0, run.err
    return ws.read(".github/workflows/release.yml")


def test_init_writes_one_workflow_for_every_member(workflow: str) -> None:
    data = yaml.safe_load(workflow)
    assert data[True] == {"push": {"tags": ["v*", "*-v[0-9]*"]}}
    build = data["jobs"]["build"]
    steps = [step.get("run", step.get("uses", "")) for step in build["steps"]]
    bump = f"uvx --from cutrelease=={_version()} bump"
    assert steps[2].splitlines() == [
        f'{bump} check-tag --json "$GITHUB_REF_NAME" | tee package.json',
        """jq -r '"name=\\(.name)", "folder=\\(.folder)"' package.json >> "$GITHUB_OUTPUT\"""",
    ]
    assert build["steps"][2]["shell"] == "bash"  # -o pipefail: a refused tag stops the job
    assert steps[3] == 'uv build --package "$PACKAGE" --out-dir dist'
    assert build["steps"][3]["env"]["PACKAGE"] == "${{ steps.package.outputs.name }}"
    assert build["outputs"] == {"name": "${{ steps.package.outputs.name }}"}
    pypi = data["jobs"]["pypi"]
    assert pypi["environment"]["url"] == "https://pypi.org/p/${{ needs.build.outputs.name }}"
    assert pypi["permissions"] == {"id-token": "write"}
    notes = [step.get("run", "") for step in data["jobs"]["github-release"]["steps"]]
    assert f'{bump} notes "$GITHUB_REF_NAME" > release-notes.md' in notes
    assert "secrets." not in workflow


def _version() -> str:
    from importlib.metadata import version

    return version("cutrelease")


def test_the_workflow_runs_what_it_says_on_a_member_tag(ws: Project, workflow: str) -> None:
    """The build step's two commands, run here: check-tag's JSON gives what uv build gets."""
    if shutil.which("jq") is None:
        pytest.skip("jq is not installed here (GitHub's runners have it)")
    done = subprocess.run(
        [sys.executable, "-m", "cutrelease", "check-tag", "--json", "alpha-v0.1.0"],
        cwd=ws.root,
        capture_output=True,
        text=True,
        check=False,
    )
    jq = subprocess.run(
        ["jq", "-r", '"name=\\(.name)", "folder=\\(.folder)"'],
        input=done.stdout,
        capture_output=True,
        text=True,
        check=False,
    )
    assert jq.stdout == "name=alpha\nfolder=packages/alpha\n"


def test_zizmor_finds_nothing_in_the_workspace_workflow(workflow: str, tmp_path: Path) -> None:
    done = audit_workflow(workflow, tmp_path, tool="zizmor")
    assert done.returncode == 0, done.stdout + done.stderr


@needs_actionlint
def test_actionlint_finds_nothing_in_the_workspace_workflow(workflow: str, tmp_path: Path) -> None:
    done = audit_workflow(workflow, tmp_path, tool="actionlint")
    assert done.returncode == 0, done.stdout + done.stderr


# ------------------------------------------------------------------------- without uv


def test_packages_with_their_own_pyproject_without_a_uv_workspace(tmp_path: Path) -> None:
    """No [tool.uv.workspace]: every tracked pyproject.toml with a [project] is a package."""
    remote, root = tmp_path / "remote.git", tmp_path / "work"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(tmp_path, "init", "-q", "-b", "main", str(root))
    project = Project(root, remote)
    for name in ("sdk", "cli"):
        project.write(
            f"{name}/pyproject.toml", f'[project]\nname = "acme-{name}"\nversion = "0.1.0"\n'
        )
        release_files(project, name, name, f"acme-{name}-v")
    project.write("docs/pyproject.toml", "[tool.black]\nline-length = 100\n")  # no [project]
    project.commit_all("an SDK beside its CLI")
    project.git("remote", "add", "origin", str(remote))
    project.push()
    assert project.bump("version", "--all").out == "acme-cli  0.1.0  cli\nacme-sdk  0.1.0  sdk\n"
    run = project.bump("-p", "acme_sdk", "minor", "--yes")
    assert run.code == 0, run.err
    assert released(project, "acme-sdk-v0.2.0")
    assert committed(project) == ["sdk/CHANGELOG.md", "sdk/SECURITY.md", "sdk/pyproject.toml"]
    tag = json.loads(project.bump("check-tag", "--json", "acme-sdk-v0.2.0").out)
    assert (tag["name"], tag["folder"], tag["version"]) == ("acme-sdk", "sdk", "0.2.0")
    assert refused(project, "patch", "--yes") == (
        "error: There is no pyproject.toml at the repository root (its packages: acme-cli, "
        "acme-sdk). Name one with --package NAME, or run bump in its folder."
    )
    run = project.bump("init", "-p", "acme-cli")
    assert run.code == 0, run.err
    workflow = yaml.safe_load(project.read(".github/workflows/release.yml"))
    build = [step.get("run") for step in workflow["jobs"]["build"]["steps"]]
    assert 'uv build --out-dir dist "$PACKAGE_FOLDER"' in build


# ------------------------------------------------------------------------- the rules, pure


def members(*prefixes: str) -> list[Member]:
    return [Member(f"p{n}", f"packages/p{n}", prefix) for n, prefix in enumerate(prefixes)]


def test_the_longest_tag_prefix_wins() -> None:
    found = [Member("mono", "", "v"), Member("vendor", "packages/vendor", "vendor-v")]
    assert workspace.by_tag(found, "vendor-v1.2.3") == found[1]
    assert workspace.by_tag(found, "refs/tags/v1.2.3") == found[0]
    assert workspace.by_tag(found, "v1.3.0-rc.1") == found[0]
    assert workspace.by_tag(found, "vendor-v") is None  # no version after the prefix
    assert workspace.by_tag(found, "other-v1.0") is None
    assert workspace.by_tag(members("", "x-v"), "x-v1.0") == members("", "x-v")[1]


def test_a_tag_two_members_claim_is_refused() -> None:
    with pytest.raises(Refused, match="share the tag prefix 'a-v'"):
        workspace.by_tag(members("a-v", "a-v"), "a-v1.0.0")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.2.3", True),
        ("1.3.0rc1", True),
        ("1.3.0-rc.1", True),
        ("2.0.0.post1", True),
        ("1.0.0.dev2", True),
        ("alpha-v1.2.3", False),
        ("v1.2.3", False),
        ("lpha-v1.0", False),
        ("", False),
    ],
)
def test_what_follows_a_tag_prefix_must_look_like_a_version(text: str, expected: bool) -> None:
    assert workspace.looks_like_version(text) is expected


def test_names_compare_as_pep_503_normalizes_them() -> None:
    assert workspace.canonical_name("My_Plugin.Core") == "my-plugin-core"
    assert workspace.member_tag_prefix("My_Plugin") == "my-plugin-v"
    found = [Member("My_Plugin", "plugins/my", "my-plugin-v")]
    assert workspace.find(found, "my.plugin") == found[0]


def test_two_packages_named_before_the_command_is_a_usage_error(ws: Project) -> None:
    before = ws.snapshot()
    run = ws.bump("-p", "alpha", "-p", "beta", "check")  # a release takes several: not check
    assert run.code == 2
    assert "'beta' is not the package given before ('alpha')" in run.err
    assert ws.snapshot() == before
    assert ws.bump("-p", "alpha", "-p", "alpha", "version").code == 0


def test_a_member_missing_its_policy_is_told_the_init_that_makes_it(ws: Project) -> None:
    policy = ws.root / "packages" / "beta" / "SECURITY.md"
    if policy.exists():
        policy.unlink()
        ws.commit_all("beta has no policy")
        ws.push()
    before = ws.snapshot()
    run = ws.bump("-p", "beta", "minor", "--yes")
    assert run.code == 1
    assert "packages/beta/SECURITY.md: does not exist; run `bump init -p beta`" in run.err
    assert ws.snapshot() == before
    check = ws.bump("-p", "beta", "check")
    assert "run `bump init -p beta` to create it" in check.out


def test_check_at_a_root_project_checks_every_member(ws: Project) -> None:
    """`uv init` makes the workspace's root a project: the pre-commit hook runs `bump check`
    there, and a member's broken changelog must fail it (issue 27 kind 8)."""
    assert ws.bump("check").code == 0
    path = "packages/beta/CHANGELOG.md"
    ws.write(path, ws.read(path).replace("## [0.1.0] - 2026-01-10", "## [0.1.0] - 10.01.2026"))
    run = ws.bump("check")
    assert run.code == 1
    assert run.out.startswith("packages/beta/CHANGELOG.md:9: "), run.out
    assert ws.bump("check", "-p", "mono").code == 0  # the root package alone, when named
    assert ws.bump("check", cwd=ws.root / "packages" / "alpha").code == 0
