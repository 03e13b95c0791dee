"""Several packages in one release (SPEC section 14), in situations rebuilt from public bug
reports against cargo-release, release-plz, release-please, semantic-release-monorepo and the
tools that push many tags at once. Each test names its report.

Each test starts from test_workspace's uv workspace (`uv init` root `mono`, members alpha and
beta at 0.1.0, `uv lock`, tagged and pushed to a real bare remote), changes it as the report's
repository was, locks it with the real uv and commits; bump then runs for real.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Project, git
from test_workspace import fresh_copy, lock_version, make_workspace, release_files, uv

from cutrelease.errors import Refused
from cutrelease.release import several
from cutrelease.workspace import member_tag_prefix, members

ALPHA = "packages/alpha/pyproject.toml"
BETA = "packages/beta/pyproject.toml"
SOURCES = "\n[tool.uv.sources]\n{name} = {{ workspace = true }}\n"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workspace(tmp_path_factory.mktemp("hunt-several")).root.parent


@pytest.fixture
def ws(made: Path, tmp_path: Path) -> Project:
    """A fresh copy of the workspace and its remote."""
    return fresh_copy(made, tmp_path)


def replace(project: Project, path: str, old: str, new: str) -> None:
    text = project.read(path)
    assert old in text, (path, old)
    project.write(path, text.replace(old, new, 1))


def locked(project: Project, message: str, *, offline: bool = True) -> None:
    """`uv lock` the workspace as it now is, commit everything and push it."""
    uv(project.root, "lock", "-q", *(["--offline"] if offline else []))
    project.commit_all(message)
    project.push()


def beta_needs(project: Project, dependencies: str, tail: str = "") -> None:
    """beta's `dependencies = [...]` line is `dependencies`, `tail` follows its pyproject.toml,
    and alpha comes from the workspace."""
    replace(project, BETA, "dependencies = []", dependencies)
    project.write(BETA, project.read(BETA) + tail + SOURCES.format(name="alpha"))


def add_member(project: Project, folder: str, name: str, version: str = "0.1.0") -> None:
    """A member written by hand (uv_build, static version) with its release files."""
    module = name.lower().replace("-", "_").replace(".", "_")
    project.write(
        f"{folder}/pyproject.toml",
        f'[project]\nname = "{name}"\nversion = "{version}"\nrequires-python = ">=3.11"\n'
        'dependencies = []\n\n[build-system]\nrequires = ["uv_build>=0.8,<1"]\n'
        'build-backend = "uv_build"\n',
    )
    project.write(f"{folder}/src/{module}/__init__.py", "")
    release_files(project, folder, name, member_tag_prefix(name))


def retag_everything(project: Project) -> None:
    """Every package's tag of its current version moved to HEAD (and so on the remote): the
    set-up commits are in every package's last release."""
    versions = json.loads(project.bump("version", "--all", "--json").out)["packages"]
    prefixes = {member.folder or ".": member.tag_prefix for member in members(project.root)}
    for package in versions:
        tag = prefixes[package["folder"]] + package["version"]
        project.git("tag", "-f", "-a", "-m", tag, tag)
        project.git("push", "-q", "-f", "origin", f"refs/tags/{tag}")


def lines_changed(project: Project, path: str) -> list[str]:
    """The lines the release commit removed from and added to `path`, in diff order."""
    diff = project.git("show", "--format=", "-U0", "HEAD", "--", path).splitlines()
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


# ------------------------------------------------------------------------------ pins


def test_a_pin_with_extras_and_a_marker_moves_however_the_toml_quotes_it(ws: Project) -> None:
    """googleapis/release-please#1729 (https://github.com/googleapis/release-please/issues/1729):
    a workspace dependency written for one target only (`[target.'cfg(...)'.dependencies]`)
    was left at the old version while the package it names was released.

    Python's spelling of that: an extra and an environment marker on the pin. TOML writes a
    marker's quotes as `\\"` in a basic string or plainly in a literal string; the pin is the
    same requirement either way, and the release must move both."""
    replace(ws, ALPHA, "dependencies = []", "dependencies = []\n\n[project.optional-dependencies]")
    replace(
        ws, ALPHA, "[project.optional-dependencies]", "[project.optional-dependencies]\ncli = []"
    )
    basic = '"alpha[cli]==0.1.0; python_version >= \\"3.10\\""'
    literal = "'alpha == 0.1.0 ; sys_platform == \"win32\"'"
    beta_needs(
        ws,
        f"dependencies = [{basic}]",
        f"\n[project.optional-dependencies]\nwindows = [{literal}]\n",
    )
    locked(ws, "beta needs alpha's cli extra, on some platforms")
    before = ws.read(BETA)

    run = ws.bump("-p", "alpha", "-p", "beta", "minor", "--yes")
    assert run.code == 0, run.err
    assert ws.read(BETA) == (
        before.replace('version = "0.1.0"', 'version = "0.2.0"', 1)
        .replace(basic, basic.replace("==0.1.0", "==0.2.0"))
        .replace(literal, literal.replace("== 0.1.0", "== 0.2.0"))
    )
    uv(ws.root, "lock", "--check", "--offline")
    assert ws.remote_git("rev-parse", "main") == ws.git("rev-parse", "HEAD")


def test_pins_are_found_as_toml_reads_them_and_a_pin_not_found_is_refused() -> None:
    """The same report (googleapis/release-please#1729,
    https://github.com/googleapis/release-please/issues/1729), where the text and the value
    part: a pin behind TOML escapes moves, a comment quoting a pin stays as it is, a refusal
    names the line of an escaped requirement (not line 1), and a pin written over several
    lines, which cutrelease does not rewrite, is refused rather than left behind."""
    released = {"alpha": ("alpha", "0.1.0", "0.2.0")}
    text = (
        '[project]\nname = "beta"\n# was "alpha==0.1.0" until March\n'
        'dependencies = [\n    "alpha\\u005bcli]==0.1.0; os_name == \\"posix\\"",\n]\n'
    )
    moved = several.pins_moved(text, "beta/pyproject.toml", released, own="beta")
    assert moved == text.replace("]==0.1.0;", "]==0.2.0;")
    excluding = text.replace("]==0.1.0;", "]<0.2;")
    with pytest.raises(Refused, match=r"^beta/pyproject.toml:5: the requirement 'alpha\[cli\]<0.2"):
        several.pins_moved(excluding, "beta/pyproject.toml", released, own="beta")
    spread = '[project]\nname = "beta"\ndependencies = [\n    """\nalpha==0.1.0""",\n]\n'
    with pytest.raises(Refused, match=r"^beta/pyproject.toml:5: the pin 'alpha==0.1.0' is not"):
        several.pins_moved(spread, "beta/pyproject.toml", released, own="beta")


def test_a_pin_in_a_dependency_group_moves_with_the_release(ws: Project) -> None:
    """crate-ci/cargo-release#129 (https://github.com/crate-ci/cargo-release/issues/129, fixed
    by PR #130: "Correctly update dev/build dependencies") and release-plz/release-plz PR #1251
    (https://github.com/release-plz/release-plz/pull/1251): a workspace release moved the
    pins in [dependencies] but not those in [dev-dependencies] or the workspace's own table.

    Python's dev dependencies are PEP 735 [dependency-groups]: beta's test group pins alpha
    exactly (beside an `include-group` table); it moves with alpha. A group requirement that
    excludes the new alpha is refused like a [project] one, naming its line."""
    beta_needs(
        ws,
        "dependencies = []",
        '\n[dependency-groups]\ntest = ["alpha==0.1.0", { include-group = "lint" }]\nlint = []\n',
    )
    locked(ws, "beta's tests run against alpha 0.1.0")

    # A group requirement the new alpha would not meet is refused, naming its line.
    replace(ws, BETA, "lint = []", 'lint = ["alpha<0.2"]')
    locked(ws, "beta lints against an old alpha")
    line = ws.read(BETA).splitlines().index('lint = ["alpha<0.2"]') + 1
    before = ws.snapshot()
    refused = ws.bump("-p", "alpha", "-p", "beta", "minor", "--yes")
    assert refused.code == 1
    assert f"{BETA}:{line}: the requirement 'alpha<0.2' excludes alpha 0.2.0" in refused.err
    assert "Traceback" not in refused.err
    assert ws.snapshot() == before

    replace(ws, BETA, 'lint = ["alpha<0.2"]', 'lint = ["alpha>=0.1"]')
    locked(ws, "beta lints against any alpha")
    run = ws.bump("-p", "alpha", "-p", "beta", "minor", "--yes")
    assert run.code == 0, run.err
    assert lines_changed(ws, BETA) == [
        '-version = "0.1.0"',
        '+version = "0.2.0"',
        '-test = ["alpha==0.1.0", { include-group = "lint" }]',
        '+test = ["alpha==0.2.0", { include-group = "lint" }]',
    ]
    uv(ws.root, "lock", "--check", "--offline")


def test_a_dependency_spelled_another_way_is_the_same_package(ws: Project) -> None:
    """MousaZeidBaker/poetryup PR #29 (https://github.com/MousaZeidBaker/poetryup/pull/29,
    "use normalized names when comparing dependencies"): `sqlalchemy_stubs` in pyproject.toml
    and `sqlalchemy-stubs` in the lock were taken for two packages.

    The package is `Alpha.Pkg`, beta requires `alpha_pkg==0.1.0`, -p says `ALPHA-PKG`, uv.lock
    says `alpha-pkg`: one package (PEP 503). Its pin moves, spelled as it was; its tag and its
    lock entry use the normalized name."""
    add_member(ws, "packages/alpha_pkg", "Alpha.Pkg")
    replace(ws, "pyproject.toml", '"packages/beta",', '"packages/beta",\n    "packages/alpha_pkg",')
    replace(ws, BETA, "dependencies = []", 'dependencies = ["alpha_pkg==0.1.0"]')
    ws.write(BETA, ws.read(BETA) + SOURCES.format(name="alpha_pkg"))
    uv(ws.root, "lock", "-q", "--offline")
    ws.commit_all("Alpha.Pkg, which beta needs")
    ws.push()
    retag_everything(ws)
    assert ws.git("tag", "--points-at", "HEAD").split().count("alpha-pkg-v0.1.0") == 1

    run = ws.bump("-p", "ALPHA-PKG", "-p", "beta", "minor", "--yes")
    assert run.code == 0, run.err
    assert "Released alpha-pkg-v0.2.0, beta-v0.2.0 and pushed to origin." in run.err
    assert ws.git("log", "-1", "--format=%s").strip() == (
        "chore(release): Alpha.Pkg 0.2.0, beta 0.2.0"
    )
    assert 'dependencies = ["alpha_pkg==0.2.0"]' in ws.read(BETA)
    assert lock_version(ws, "alpha-pkg") == "0.2.0"
    uv(ws.root, "lock", "--check", "--offline")
    head = ws.git("rev-parse", "HEAD").strip()
    for tag in ("alpha-pkg-v0.2.0", "beta-v0.2.0"):
        assert ws.remote_git("rev-parse", f"{tag}^{{commit}}").strip() == head


def test_requirements_that_take_the_new_version_are_left_as_they_are(ws: Project) -> None:
    """crate-ci/cargo-release#134, fixed by PR #135 "Only update dependents when needed"
    (https://github.com/crate-ci/cargo-release/pull/135): a workspace release rewrote
    dependents whose requirement already took the new version, and that stopped the release
    of `chars`.

    beta takes alpha by `>=0.1` and `~=0.1` (any 0.x) and, in an extra, by `==0.1.*`. A
    patch release of both leaves every requirement byte for byte; a minor one is refused
    before anything is written, naming the `==0.1.*` line, which 0.2.0 falls outside."""
    beta_needs(
        ws,
        'dependencies = ["alpha>=0.1", "alpha~=0.1"]',
        '\n[project.optional-dependencies]\nfast = ["alpha==0.1.*"]\n',
    )
    locked(ws, "beta takes any alpha 0.x")
    line = ws.read(BETA).splitlines().index('fast = ["alpha==0.1.*"]') + 1
    before = ws.snapshot()
    run = ws.bump("-p", "alpha", "-p", "beta", "minor", "--yes")
    assert run.code == 1
    assert f"{BETA}:{line}: the requirement 'alpha==0.1.*' excludes alpha 0.2.0" in run.err
    assert ws.snapshot() == before

    run = ws.bump("-p", "alpha", "-p", "beta", "patch", "--yes")
    assert run.code == 0, run.err
    assert lines_changed(ws, BETA) == ['-version = "0.1.0"', '+version = "0.1.1"']
    uv(ws.root, "lock", "--check", "--offline")


# ------------------------------------------------------------------------------ what changed


def restructure(project: Project) -> None:
    """The workspace as a grown monorepo: `packages/*` plus a member outside packages/
    (tools/gamma), a sibling whose folder name starts with alpha's (packages/alpha-cli), and
    packages/legacy, which `exclude` keeps out of the workspace. Every package tagged on it."""
    add_member(project, "packages/alpha-cli", "alpha-cli")
    add_member(project, "tools/gamma", "gamma")
    add_member(project, "packages/legacy", "legacy")
    replace(
        project,
        "pyproject.toml",
        '[tool.uv.workspace]\nmembers = [\n    "packages/alpha",\n    "packages/beta",\n]',
        '[tool.uv.workspace]\nmembers = ["packages/*", "tools/gamma"]\n'
        'exclude = ["packages/legacy"]',
    )
    locked(project, "a grown monorepo")
    retag_everything(project)


def test_changed_keeps_to_each_package_s_own_folder(ws: Project) -> None:
    """pmowrer/semantic-release-monorepo#123
    (https://github.com/pmowrer/semantic-release-monorepo/issues/123): "any commit, anywhere in
    the project tree, is triggering a new version for every package in packages/"; and
    crate-ci/cargo-release#298 (https://github.com/crate-ci/cargo-release/issues/298),
    "Exclude unchanged crates from a release".

    One commit in packages/alpha-cli (whose name starts with packages/alpha), one in the
    excluded packages/legacy, one that only adds an entry to beta's CHANGELOG: `bump changed`
    names alpha-cli and beta, and the root project mono (its folder is the whole tree but its
    members', and legacy is none), never alpha, gamma or legacy; `--changed` releases those
    three; `--all` never counts legacy, and does count tools/gamma."""
    restructure(ws)
    assert ws.bump("changed").out == "No package changed since its last tag.\n"
    dry = ws.bump("patch", "--all", "--dry-run")
    assert dry.code == 0, dry.err
    tags = [line.rsplit(" ", 1)[-1] for line in dry.out.splitlines() if " tag " in line]
    assert tags == ["v0.1.1", "alpha-v0.1.1", "alpha-cli-v0.1.1", "beta-v0.1.1", "gamma-v0.1.1"]
    ws.write("packages/alpha-cli/src/alpha_cli/main.py", "print('cli')\n")
    ws.commit_all("alpha-cli grows a command")
    ws.write("packages/legacy/src/legacy/old.py", "OLD = 1\n")
    ws.commit_all("legacy, outside the workspace")
    replace(
        ws,
        "packages/beta/CHANGELOG.md",
        "- A fix to beta.\n",
        "- A fix to beta.\n- And one more.\n",
    )
    ws.commit_all("beta's changelog only")
    ws.push()

    assert ws.bump("changed").out == (
        "mono       v0.1.0            1 commit\n"
        "alpha-cli  alpha-cli-v0.1.0  1 commit\n"
        "beta       beta-v0.1.0       1 commit\n"
    )
    listed = ws.bump("version", "--all").out
    assert "legacy" not in listed and "tools/gamma" in listed

    run = ws.bump("minor", "--changed", "--yes")
    assert run.code == 0, run.err
    assert sorted(ws.git("tag", "--points-at", "HEAD").split()) == [
        "alpha-cli-v0.2.0",
        "beta-v0.2.0",
        "v0.2.0",
    ]
    assert ws.git("log", "-1", "--format=%s").strip() == (
        "chore(release): mono 0.2.0, alpha-cli 0.2.0, beta 0.2.0"
    )
    assert "- And one more.\n" in ws.read("packages/beta/CHANGELOG.md").split("## [0.2.0]")[1]
    assert ws.bump("changed").out == "No package changed since its last tag.\n"
    uv(ws.root, "lock", "--check", "--offline")


def never_tagged(project: Project) -> None:
    """gamma joins the workspace at 0.3.0 and is never tagged; every other package's tag is
    moved onto that commit; one more commit touches gamma."""
    add_member(project, "packages/gamma", "gamma", version="0.3.0")
    changelog = "packages/gamma/CHANGELOG.md"
    project.write(changelog, project.read(changelog).replace("0.1.0", "0.3.0"))
    replace(
        project, "pyproject.toml", '"packages/beta",', '"packages/beta",\n    "packages/gamma",'
    )
    locked(project, "gamma joins")
    for tag in ("v0.1.0", "alpha-v0.1.0", "beta-v0.1.0"):
        project.git("tag", "-f", "-a", "-m", tag, tag)
        project.git("push", "-q", "-f", "origin", f"refs/tags/{tag}")
    project.write("packages/gamma/src/gamma/core.py", "X = 1\n")
    project.commit_all("gamma's core")
    project.push()


def test_a_package_never_tagged_counts_every_commit_and_keeps_its_version(ws: Project) -> None:
    """fastify/releasify#186 (https://github.com/fastify/releasify/issues/186): "ZERO commit to
    release" on the very first release of a package, which has no tag yet; and
    googleapis/release-please#2371 (https://github.com/googleapis/release-please/issues/2371):
    with no previous tag the release went from 0.2.3 back to 0.1.0.

    gamma joins the workspace at 0.3.0 with no tag: `bump changed` lists it with no tag and
    every commit touching its folder; `--changed` releases it from the version its
    pyproject.toml says, and then it is changed no more."""
    never_tagged(ws)
    assert ws.bump("changed").out == "gamma  (no tag)  2 commits\n"
    run = ws.bump("minor", "--changed", "--yes")
    assert run.code == 0, run.err
    assert ws.git("tag", "--points-at", "HEAD").split() == ["gamma-v0.4.0"]
    assert ws.remote_git("rev-parse", "gamma-v0.4.0^{commit}") == ws.git("rev-parse", "HEAD")
    assert 'version = "0.4.0"' in ws.read("packages/gamma/pyproject.toml")
    assert "## [0.4.0] - " in ws.read("packages/gamma/CHANGELOG.md")
    assert lock_version(ws, "gamma") == "0.4.0"
    assert ws.bump("changed").out == "No package changed since its last tag.\n"


def test_changed_json_of_a_package_never_tagged_meets_its_schema(ws: Project) -> None:
    """The same situation (fastify/releasify#186, https://github.com/fastify/releasify/issues/186),
    for scripts: `bump changed --json` says gamma has no tag, and the output meets the
    command's published JSON schema (Project.bump validates every --json output)."""
    never_tagged(ws)
    data = json.loads(ws.bump("changed", "--json").out)
    assert data["packages"] == [
        {
            "name": "gamma",
            "folder": "packages/gamma",
            "version": "0.3.0",
            "last_tag": None,
            "commits": 2,
        }
    ]


# ------------------------------------------------------------------------------ refusals


def test_a_tag_someone_else_pushed_stops_every_package(ws: Project, tmp_path: Path) -> None:
    """crate-ci/cargo-release#346 (https://github.com/crate-ci/cargo-release/issues/346): a
    workspace release published its crates, then stopped on "fatal: tag 'v0.12.1' already
    exists" without pushing; #162 (https://github.com/crate-ci/cargo-release/issues/162): the
    second package's tag was taken by the first's.

    beta-v0.2.0 is already on the remote, pushed from another clone on another commit, and
    is not here. The release of alpha and beta together must fail as one: no commit, no tag
    of alpha's here or there, the remote's refs as they were."""
    other = tmp_path / "other"
    ws.git("clone", "-q", str(ws.remote), str(other))
    (other / "NOTES.md").write_text("elsewhere\n")
    git(other, "add", "-A")
    git(other, "commit", "-q", "-m", "elsewhere")
    git(other, "tag", "-a", "-m", "beta-v0.2.0", "beta-v0.2.0")
    git(other, "push", "-q", "origin", "refs/tags/beta-v0.2.0")
    before = ws.snapshot()

    run = ws.bump("-p", "alpha", "-p", "beta", "minor", "--yes")
    assert run.code == 1
    assert "The tag beta-v0.2.0 already exists on the remote 'origin'" in run.err
    assert "Traceback" not in run.err
    assert ws.snapshot() == before
    assert ws.remote_git("tag", "--list", "alpha-v0.2.0") == ""


def test_four_tags_to_gitlab_over_ssh_are_refused(ws: Project) -> None:
    """un-ts/changesets-gitlab#194 (https://github.com/un-ts/changesets-gitlab/issues/194):
    pushing many package tags at once to GitLab started only a few of their pipelines; and
    axodotdev/cargo-dist#190 (https://github.com/axodotdev/cargo-dist/issues/190): "GH
    workflow doesn't run when multiple tags are pushed".

    The remote is GitLab, written as ssh's `git@host:path` (no scheme) and rewritten to the
    bare remote by `insteadOf`: four packages in one push are refused before anything is
    written; three go."""
    add_member(ws, "packages/gamma", "gamma")
    replace(ws, "pyproject.toml", '"packages/beta",', '"packages/beta",\n    "packages/gamma",')
    locked(ws, "gamma")
    retag_everything(ws)
    url = "git@gitlab.com:acme/mono.git"
    ws.git("config", f"url.{ws.remote}.insteadOf", url)
    ws.git("remote", "set-url", "origin", url)
    before = ws.snapshot()
    run = ws.bump("minor", "--all", "--yes")
    assert run.code == 1
    assert "origin is on GitLab, which starts no workflow" in run.err
    assert ws.snapshot() == before
    assert ws.remote_git("tag", "--list", "*0.2.0") == ""
    three = ws.bump("-p", "alpha", "-p", "beta", "-p", "gamma", "minor", "--yes")
    assert three.code == 0, three.err
    assert len(ws.remote_git("tag", "--list", "*0.2.0").split()) == 3


# ------------------------------------------------------------------------------ uv.lock


HATCH_DYNAMIC = """\
[project]
name = "alpha"
dynamic = ["version"]
requires-python = ">=3.11"
dependencies = []

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[tool.hatch.version]
path = "src/alpha/__about__.py"
"""


def test_every_member_s_lock_entry_moves_and_a_dynamic_one_has_none(ws: Project) -> None:
    """tsenoner/protspace#388 (https://github.com/tsenoner/protspace/issues/388): the release
    bumped two workspace packages but not uv.lock, so `uv sync --locked` failed on the release
    commit ("main goes red after every release"); astral-sh/uv#10054
    (https://github.com/astral-sh/uv/issues/10054): a member whose version is computed
    (dynamic) has no version in uv.lock at all.

    alpha takes its version from `__about__.py` (hatch, dynamic); beta pins it exactly. The
    release of all three moves __about__.py, beta's pin, and the lock entries of mono and beta,
    writes none for alpha, and the lock is what `uv lock` would write."""
    ws.write(ALPHA, HATCH_DYNAMIC)
    ws.write("packages/alpha/src/alpha/__about__.py", '__version__ = "0.1.0"\n')
    beta_needs(ws, 'dependencies = ["alpha==0.1.0"]')
    locked(ws, "alpha's version lives in its package", offline=False)
    assert 'name = "alpha"\nsource = ' in ws.read("uv.lock")  # uv writes no version for it

    run = ws.bump("minor", "--all", "--yes")
    assert run.code == 0, run.err
    assert ws.read("packages/alpha/src/alpha/__about__.py") == '__version__ = "0.2.0"\n'
    assert 'dependencies = ["alpha==0.2.0"]' in ws.read(BETA)
    assert (lock_version(ws, "mono"), lock_version(ws, "beta")) == ("0.2.0", "0.2.0")
    assert 'name = "alpha"\nsource = ' in ws.read("uv.lock")
    uv(ws.root, "lock", "--check")
    head = ws.git("rev-parse", "HEAD").strip()
    for tag in ("v0.2.0", "alpha-v0.2.0", "beta-v0.2.0"):
        assert ws.remote_git("rev-parse", f"{tag}^{{commit}}").strip() == head
