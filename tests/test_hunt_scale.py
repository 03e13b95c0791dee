"""Hunted in big and busy repositories: thousands of tags (annotated and lightweight, packed and
loose, another component's, pre-releases, names that sort wrongly as strings), long histories
and changelogs, a uv.lock of hundreds of packages, a uv workspace of many members, a remote
with thousands of refs. Each test rebuilds a public report of a release tool that did the
wrong thing in such a repository, and asks cutrelease for what a careful maintainer expects.

The repositories are built once per module with `git fast-import` (one commit per release, a
tag or two per commit) and copied for each test (conftest.copy_project).
"""

from __future__ import annotations

import datetime
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import HATCH_VCS, PYPROJECT, SECURITY, Project, copy_project, git
from test_workspace import uv

URL = "https://github.com/acme/widget"
DATE = "2026-03-01"
ANCHOR = datetime.date(2015, 1, 1)

# ------------------------------------------------------------------------------ the histories


def _series(last_minor_of_1: int = 10) -> list[str]:
    """0.0.0 ... 0.19.12, 1.0.0 ... 1.9.12, then 1.10.0: 391 releases, oldest first. As
    strings, "1.9.12" > "1.10.0" and "0.9.9" > "0.19.0": a tool that sorts tags as text picks
    the wrong one."""
    found = [f"0.{minor}.{patch}" for minor in range(20) for patch in range(13)]
    found += [f"1.{minor}.{patch}" for minor in range(last_minor_of_1) for patch in range(13)]
    return found


def _changelog(releases: list[str], tag: Callable[[str], str]) -> str:
    """A Keep a Changelog file of every release in `releases` (oldest first), each headed,
    dated and linked, its links chained by `tag`."""
    lines = ["# Changelog", "", "## [Unreleased]", "", "### Fixed", "", "- A fix.", ""]
    links = [f"[Unreleased]: {URL}/compare/{tag(releases[-1])}...HEAD"]
    for index in range(len(releases) - 1, -1, -1):
        version = releases[index]
        day = ANCHOR + datetime.timedelta(days=3 * index)
        lines += [f"## [{version}] - {day.isoformat()}", "", "### Fixed", "", f"- Fix {index}.", ""]
        if index:
            links.append(f"[{version}]: {URL}/compare/{tag(releases[index - 1])}...{tag(version)}")
        else:
            links.append(f"[{version}]: {URL}/releases/tag/{tag(version)}")
    return "\n".join(lines + links) + "\n"


def _uv_lock(version: str, *, source: str = '{ editable = "." }') -> str:
    """A uv.lock of 400 packages as uv writes it: the project's own entry among them, and many
    others at the project's version, with names that start, end or contain its name."""
    blocks = ['version = 1\nrevision = 3\nrequires-python = ">=3.10"\n']
    names = sorted(
        {f"pkg-{n:03d}" for n in range(390)}
        | {"widget", "widgets", "widget-core", "py-widget", "widget-stubs", "click"}
        | {"sphinx-widget", "widget-plugin-a", "widget-plugin-b", "awidget"}
    )
    for name in names:
        if name == "widget":
            blocks.append(
                f'[[package]]\nname = "widget"\nversion = "{version}"\nsource = {source}\n'
                'dependencies = [\n    { name = "click" },\n]\n\n'
                "[package.metadata]\n"
                'requires-dist = [{ name = "click", specifier = ">=8.1" }]\n'
            )
            continue
        # Every tenth package, and every package named like the project, is at its version.
        same = name.startswith(("widget", "py-", "sphinx-", "awidget")) or name.endswith("5")
        at = version if same else "2.3.4"
        deps = '\ndependencies = [\n    { name = "widget" },\n]' if name.endswith("7") else ""
        blocks.append(
            f'[[package]]\nname = "{name}"\nversion = "{at}"\n'
            'source = { registry = "https://pypi.org/simple" }'
            f"{deps}\n"
            f'sdist = {{ url = "https://files.example/{name}-{at}.tar.gz", '
            f'hash = "sha256:{"ab" * 32}", size = 1234 }}\n'
            f'wheels = [\n    {{ url = "https://files.example/{name}-{at}-py3-none-any.whl", '
            f'hash = "sha256:{"cd" * 32}", size = 1200 }},\n]\n'
        )
    return "\n".join(blocks)


def _security(version: str) -> str:
    minor = ".".join(version.split(".")[:2])
    return SECURITY.replace("0.2.x  ", f"{minor}.x ").replace("< 0.2  ", f"< {minor} ")


def _data(text: str) -> str:
    raw = text.encode()
    return f"data {len(raw)}\n{text}\n"


def _stream(
    releases: list[str],
    tags: Callable[[str, int], Iterator[tuple[str, bool]]],
    final: dict[str, str],
) -> str:
    """fast-import's input: one commit per release moving pyproject.toml's version (the last
    also writing `final`), and each release's tags (name, annotated) from `tags`."""
    out: list[str] = []
    for index, version in enumerate(releases):
        when = 1_420_070_400 + index * 86_400 * 3
        mark = index + 1
        out.append(f"commit refs/heads/main\nmark :{mark}\n")
        out.append(f"committer Test <test@example.com> {when} +0000\n")
        out.append(_data(f"Release {version}"))
        if index:
            out.append(f"from :{mark - 1}\n")
        pyproject = PYPROJECT.replace('version = "0.2.0"', f'version = "{version}"')
        out.append("M 100644 inline pyproject.toml\n" + _data(pyproject))
        if index == len(releases) - 1:
            for path, text in final.items():
                out.append(f"M 100644 inline {path}\n" + _data(text))
        out.append("\n")
        for name, annotated in tags(version, index):
            at = mark - 1 if "rc" in name and "rc" not in version else mark
            if annotated:
                out.append(f"tag {name}\nfrom :{at}\n")
                out.append(f"tagger Test <test@example.com> {when + 60} +0000\n")
                out.append(_data(name))
            else:
                out.append(f"reset refs/tags/{name}\nfrom :{at}\n\n")
    return "".join(out)


def _build(
    base: Path,
    releases: list[str],
    tags: Callable[[str, int], Iterator[tuple[str, bool]]],
    final: dict[str, str],
    *,
    loose: int = 3,
) -> Project:
    """The history of `releases`, tagged, its tags packed but for the `loose` newest releases'
    ones (re-created as loose refs), and a bare remote cloned from it that has them all plus
    3000 pull-request refs, as a busy forge's repository does."""
    root, remote = base / "work", base / "remote.git"
    git(base, "init", "-q", "-b", "main", str(root))
    done = subprocess.run(
        ["git", "fast-import", "--quiet"],
        cwd=root,
        input=_stream(releases, tags, final).encode(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    git(root, "reset", "-q", "--hard", "main")
    git(root, "pack-refs", "--all")
    for version in releases[-loose:]:  # the newest releases' tags loose, as fresh tags are
        for name, _ in tags(version, releases.index(version)):
            sha = git(root, "rev-parse", f"refs/tags/{name}").strip()
            (root / ".git" / "refs" / "tags" / name).write_text(sha + "\n")
    git(base, "clone", "-q", "--bare", str(root), str(remote))
    git(remote, "pack-refs", "--all")
    commits = git(remote, "rev-list", "main").split()
    _add_packed(remote, {f"refs/pull/{n}/head": commits[n % len(commits)] for n in range(3000)})
    assert git(remote, "rev-parse", "refs/pull/2999/head").strip() == commits[2999 % len(commits)]
    git(root, "remote", "add", "origin", str(remote))
    return Project(root, remote)


def _add_packed(git_dir: Path, added: dict[str, str]) -> None:
    """Write `added` ({ref: commit}) into git_dir's packed-refs as `git pack-refs` would: each
    ref's line (and an annotated tag's `^` peeled line after it) sorted by name. Faster than
    git's own ref updates for thousands of refs, and the same file."""
    path = git_dir / "packed-refs"
    lines = path.read_text().splitlines()
    entries: dict[str, list[str]] = {}
    last = ""
    for line in lines[1:]:
        if line.startswith("^"):
            entries[last].append(line)
        else:
            last = line.split(" ", 1)[1]
            entries[last] = [line]
    entries.update({ref: [f"{sha} {ref}"] for ref, sha in added.items()})
    body = [line for ref in sorted(entries) for line in entries[ref]]
    path.write_text("# pack-refs with: peeled fully-peeled sorted \n" + "\n".join(body) + "\n")


def _v_tags(version: str, index: int) -> Iterator[tuple[str, bool]]:
    """v-tags, every other one annotated; the JavaScript binding's js-v tag on the same commit
    (lightweight); a nightly tag per release; two release candidates of each X.Y.0, tagged
    on the commit before it."""
    yield f"v{version}", index % 2 == 0
    yield f"js-v{version}", False
    yield f"nightly-{(ANCHOR + datetime.timedelta(days=3 * index)):%Y%m%d}", False
    if version.endswith(".0") and "rc" not in version:
        major, minor, _ = version.split(".")
        if int(minor):  # the line's pre-releases, on the commit before it (see _stream)
            yield f"v{major}.{minor}.0rc1", True
            yield f"v{major}.{minor}.0rc2", False


def _tree(version: str, changelog: str, lock: bool = True) -> dict[str, str]:
    files = {
        "CHANGELOG.md": changelog,
        "SECURITY.md": _security(version),
        "src/widget/__init__.py": "",
    }
    if lock:
        files["uv.lock"] = _uv_lock(version)
    return files


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """widget 1.10.0 after 391 releases: ~1200 tags (v, js-v, nightly, pre-releases), packed
    and loose, a 400-package uv.lock, a changelog of every release; its remote has 3000 more
    refs."""
    releases = _series()
    releases.append("1.10.0")
    changelog = _changelog(releases, lambda v: f"v{v}")
    return _build(tmp_path_factory.mktemp("tagged"), releases, _v_tags, _tree("1.10.0", changelog))


@pytest.fixture
def big(tagged: Project, tmp_path: Path) -> Project:
    return copy_project(tagged, tmp_path)


def _new_refs(before: str, after: str) -> set[str]:
    return set(after.splitlines()) - set(before.splitlines())


def _refs(project: Project, *, remote: bool = False) -> str:
    where = project.remote if remote else project.root
    return git(where, "for-each-ref", "--format=%(refname) %(objectname)")


def _error(run_err: str) -> str:
    (line,) = [line for line in run_err.splitlines() if line.startswith("error:")]
    return line


# --------------------------------------------------------------------- the newest tag, by version


def test_among_a_thousand_tags_the_release_follows_its_own_version(big: Project) -> None:
    """cocogitto/cocogitto#83 (https://github.com/cocogitto/cocogitto/issues/83): "0.9.1 is
    considered higher than 0.10.0", the next bump reused a tag; travis-ci/worker#339
    (https://github.com/travis-ci/worker/pull/339): `git tag -l` made v2.9.3 the latest over
    v2.10.0. Here v1.9.12, v1.10.0rc1 and js-v1.10.0 are all tags; the release is 1.10.1,
    linked from v1.10.0, and only the branch and v1.10.1 reach the remote."""
    remote_before = _refs(big, remote=True)
    run = big.bump("patch", "--date", DATE)
    assert run.code == 0, run.err
    log = big.read("CHANGELOG.md")
    assert f"[Unreleased]: {URL}/compare/v1.10.1...HEAD\n" in log
    assert f"[1.10.1]: {URL}/compare/v1.10.0...v1.10.1\n" in log
    assert f"## [1.10.1] - {DATE}\n" in log
    assert 'version = "1.10.1"  # keep this comment' in big.read("pyproject.toml")
    new = _new_refs(remote_before, _refs(big, remote=True))
    assert {line.split()[0] for line in new} == {"refs/heads/main", "refs/tags/v1.10.1"}
    assert big.git("cat-file", "-t", "v1.10.1").strip() == "tag"
    assert big.bump("check").code == 0


def test_a_minor_after_a_thousand_tags_is_the_next_line(big: Project) -> None:
    """The same reports: 1.10.0's next minor is 1.11.0, its SECURITY row 1.11.x; a tool
    ordering by text would find 1.9.x the newest line."""
    run = big.bump("minor", "--dry-run", "--date", DATE)
    assert run.code == 0, run.err
    assert f"+[1.11.0]: {URL}/compare/v1.10.0...v1.11.0\n" in run.out
    assert "+| 1.11.x  | :white_check_mark: |\n" in run.out
    assert "refs/tags/v1.11.0:refs/tags/v1.11.0" in run.out


# ----------------------------------------------------------------- the new tag, already somewhere


@pytest.mark.parametrize("annotated", [False, True], ids=["lightweight", "annotated"])
def test_the_new_tag_only_on_a_remote_of_thousands_of_refs_is_refused(
    big: Project, annotated: bool
) -> None:
    """json-e/json-e#578 (https://github.com/json-e/json-e/issues/578): the release checked
    its tag locally only and failed at the push after writing everything; dyoshikawa/rulesync
    #1485 (https://github.com/dyoshikawa/rulesync/issues/1485): a check through `^{}` missed a
    lightweight tag on the remote. v1.10.1 is on the remote only, packed among 4200 refs."""
    args = ["-a", "-m", "elsewhere"] if annotated else []
    git(big.remote, "tag", *args, "v1.10.1", "main~3")
    git(big.remote, "pack-refs", "--all")
    before = big.snapshot()
    run = big.bump("patch", "--date", DATE)
    assert run.code == 1, run.err
    assert "v1.10.1" in _error(run.err), run.err
    assert "Traceback" not in run.err
    assert big.snapshot() == before


def test_the_new_tag_packed_here_with_its_peeled_line_is_refused(big: Project) -> None:
    """loicsikidi/tpm-ca-certificates#171 (https://github.com/loicsikidi/tpm-ca-certificates/
    issues/171): tags in .git/packed-refs were not seen; rwjblue/git-repo-info#17
    (https://github.com/rwjblue/git-repo-info/issues/17): an annotated tag's `^` peeled line
    was read apart from its tag. v1.10.1 exists here, annotated, packed, on another commit."""
    big.git("tag", "-a", "-m", "an old attempt", "v1.10.1", "HEAD~2")
    big.git("pack-refs", "--all")
    packed = (big.root / ".git" / "packed-refs").read_text()
    assert re.search(r" refs/tags/v1\.10\.1\n\^[0-9a-f]{40}\n", packed)
    assert not (big.root / ".git" / "refs" / "tags" / "v1.10.1").exists()
    before = big.snapshot()
    for args in (["patch", "--dry-run"], ["patch"]):
        run = big.bump(*args, "--date", DATE)
        assert run.code == 1, run.err
        assert "v1.10.1" in _error(run.err), run.err
        assert big.snapshot() == before


def test_versions_from_tags_beside_another_components_tags_are_not_guessed(big: Project) -> None:
    """python-semantic-release/python-semantic-release#579 (https://github.com/python-semantic-
    release/python-semantic-release/issues/579): the version came from the newest `vX.Y.Z` tag,
    right only "as long as the latest tag ... is for the package being released". A hatch-vcs
    project whose release commits also carry the JavaScript binding's js-v tags: no file moves
    the version to tell them apart, so the prefix is not guessed (exit 1, both named, nothing
    changed); once tag_prefix says "v", the release is v1.10.1, linked from v1.10.0."""
    big.write("pyproject.toml", HATCH_VCS)
    big.git("rm", "-q", "uv.lock")
    big.commit_all("versions from tags")
    big.push()
    before = big.snapshot()
    run = big.bump("patch", "--date", DATE)
    assert run.code == 1, run.err
    error = _error(run.err)
    assert "the tag v1.10.0" in error and "js-v (the tag js-v1.10.0)" in error, error
    assert "[tool.cutrelease].tag_prefix" in error
    assert big.snapshot() == before
    big.write("pyproject.toml", HATCH_VCS + '\n[tool.cutrelease]\ntag_prefix = "v"\n')
    big.commit_all("say the prefix")
    big.push()
    run = big.bump("patch", "--date", DATE)
    assert run.code == 0, run.err
    assert f"[1.10.1]: {URL}/compare/v1.10.0...v1.10.1\n" in big.read("CHANGELOG.md")
    assert git(big.remote, "tag", "-l", "*1.10.1") == "v1.10.1\n"


@pytest.mark.parametrize("broken", ["stale Unreleased link", "newest link missing"])
def test_a_long_changelogs_links_are_written_from_the_tags(big: Project, broken: str) -> None:
    """Digital-Process-Tools/claude-supertool#918 (https://github.com/Digital-Process-Tools/
    claude-supertool/issues/918): in a 2700-line changelog, [Unreleased] still compared from a
    tag two releases old, and the newest releases had no link definitions. Among 392 link
    definitions, with [Unreleased] stale (from v1.9.12) or 1.10.0's definition gone, the
    release's links are still v1.10.1...HEAD and v1.10.0...v1.10.1."""
    log = big.read("CHANGELOG.md")
    if broken.startswith("stale"):
        log = log.replace("compare/v1.10.0...HEAD", "compare/v1.9.12...HEAD")
    else:
        log = log.replace(f"[1.10.0]: {URL}/compare/v1.9.12...v1.10.0\n", "")
    big.write("CHANGELOG.md", log)
    big.commit_all(broken)
    big.push()
    run = big.bump("patch", "--date", DATE)
    assert run.code == 0, run.err
    after = big.read("CHANGELOG.md")
    links = [line for line in after.splitlines() if line.startswith(("[Unreleased]:", "[1.10"))]
    assert links[:2] == [
        f"[Unreleased]: {URL}/compare/v1.10.1...HEAD",
        f"[1.10.1]: {URL}/compare/v1.10.0...v1.10.1",
    ]
    assert "v1.9.12...HEAD" not in after


# ------------------------------------------------------------------------------- uv.lock, large


def _lock_diff(project: Project) -> list[str]:
    diff = project.git("show", "--format=", "--unified=0", "HEAD", "--", "uv.lock")
    return [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in "+++---"]


@pytest.mark.parametrize("source", ['{ editable = "." }', '{ virtual = "." }'])
def test_a_lock_of_hundreds_moves_only_the_projects_own_entry(big: Project, source: str) -> None:
    """AllenCellModeling/cookiecutter-pypackage#59 (https://github.com/AllenCellModeling/
    cookiecutter-pypackage/issues/59): bump2version also moved s3fs, at the same version as
    the package; readthedocs/sphinx_rtd_theme#1310 (https://github.com/readthedocs/
    sphinx_rtd_theme/issues/1310): bumpver replaced every `1.0.0` in the lock file. Here 400
    packages, dozens at 1.10.0 and several named like the project (widgets, widget-core,
    py-widget, awidget): one line of uv.lock changes, the project's own entry."""
    if "virtual" in source:
        big.write("uv.lock", _uv_lock("1.10.0", source=source))
        big.commit_all("a virtual project")
        big.push()
    lock_before = big.read("uv.lock")
    assert lock_before.count('version = "1.10.0"') > 30
    run = big.bump("patch", "--date", DATE)
    assert run.code == 0, run.err
    assert _lock_diff(big) == ['-version = "1.10.0"', '+version = "1.10.1"']
    after = big.read("uv.lock")
    own = after.index('\nname = "widget"\n')
    assert after.startswith('\nname = "widget"\nversion = "1.10.1"\nsource', own)
    assert after.replace('"widget"\nversion = "1.10.1"', '"widget"\nversion = "1.10.0"') == (
        lock_before
    )


# ------------------------------------------------------------------------ a prefix that changed


@pytest.fixture(scope="module")
def switched(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """Tagged v0.0.0 ... v1.9.12, then bare 1.10.0: the project dropped the `v`."""
    releases = [*_series(), "1.10.0"]

    def name(version: str) -> str:
        return version if version == "1.10.0" else f"v{version}"

    def tags(version: str, index: int) -> Iterator[tuple[str, bool]]:
        yield name(version), index % 2 == 1

    files = _tree("1.10.0", _changelog(releases, name), lock=False)
    return _build(tmp_path_factory.mktemp("switched"), releases, tags, files)


def test_after_dropping_the_v_the_release_follows_the_newest_tags(
    switched: Project, tmp_path: Path
) -> None:
    """python-semantic-release/python-semantic-release#1196 (https://github.com/python-semantic
    -release/python-semantic-release/issues/1196): with `{version}` tags beside older `v` ones
    the wrong previous release was found; furrer-lab/abn#111 (https://github.com/furrer-lab/abn
    /issues/111): tags up to v3.0.7, bare after, and the previous version came out v3.0.7.
    390 `v` tags, then 1.10.0 bare: the release is the bare 1.10.1, linked from 1.10.0."""
    project = copy_project(switched, tmp_path)
    run = project.bump("patch", "--date", DATE)
    assert run.code == 0, run.err
    log = project.read("CHANGELOG.md")
    assert f"[1.10.1]: {URL}/compare/1.10.0...1.10.1\n" in log
    assert f"[Unreleased]: {URL}/compare/1.10.1...HEAD\n" in log
    assert git(project.remote, "tag", "-l", "*1.10.1") == "1.10.1\n"


# --------------------------------------------------------------------------------- pre-releases


@pytest.fixture(scope="module")
def candidate(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """widget 1.10.0rc2, after v0.0.0 ... v1.9.12 and v1.10.0rc1, with a changelog of each."""
    releases = [*_series(), "1.10.0rc1", "1.10.0rc2"]

    def tags(version: str, index: int) -> Iterator[tuple[str, bool]]:
        yield f"v{version}", True
        yield f"nightly-{index}", False

    files = _tree("1.9.12", _changelog(releases, lambda v: f"v{v}"))
    files["uv.lock"] = _uv_lock("1.10.0rc2")
    return _build(tmp_path_factory.mktemp("candidate"), releases, tags, files)


def test_the_final_after_candidates_links_from_the_last_final(
    candidate: Project, tmp_path: Path
) -> None:
    """samvera-deprecated/hydra#30 (https://github.com/samvera-deprecated/hydra/issues/30):
    with v3.4.0 and v3.4.0.rc1..rc4 tagged, rc4 was taken for the newest; conventional-
    changelog/standard-version#544 (https://github.com/conventional-changelog/standard-version
    /issues/544): the compare link stayed on an old -rc tag. `bump stable` of 1.10.0rc2 among
    390 final tags: 1.10.0's link is v1.9.12...v1.10.0, the candidates' sections fold into it."""
    project = copy_project(candidate, tmp_path)
    run = project.bump("stable", "--date", DATE)
    assert run.code == 0, run.err
    log = project.read("CHANGELOG.md")
    assert f"[1.10.0]: {URL}/compare/v1.9.12...v1.10.0\n" in log
    assert f"[Unreleased]: {URL}/compare/v1.10.0...HEAD\n" in log
    assert "rc1]" not in log and "rc2]" not in log
    assert "- Fix 391.\n" in log and "- Fix 390.\n" in log  # the candidates' entries, folded
    assert "| 1.10.x  | :white_check_mark: |" in project.read("SECURITY.md")
    assert _lock_diff(project) == ['-version = "1.10.0rc2"', '+version = "1.10.0"']
    assert project.bump("check").code == 0


def test_the_next_candidate_links_from_the_last_candidate(
    candidate: Project, tmp_path: Path
) -> None:
    """The same reports: `bump rc` gives 1.10.0rc3, linked from v1.10.0rc2 (not from the
    newest final, nor from the tag newest as text)."""
    project = copy_project(candidate, tmp_path)
    run = project.bump("rc", "--dry-run", "--date", DATE)
    assert run.code == 0, run.err
    assert f"+[1.10.0rc3]: {URL}/compare/v1.10.0rc2...v1.10.0rc3\n" in run.out


# -------------------------------------------------------------------- a workspace of many members

MEMBERS = 40


def _member(n: int) -> str:
    """m1 ... m40, and m1-7 beside m17: names that start alike, tag prefixes that too."""
    return "m1-7" if n == 40 else f"m{n}"


@pytest.fixture(scope="module")
def members(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A uv workspace of 40 members (a virtual root), each at 0.2.0 and tagged NAME-v0.1.0
    and NAME-v0.2.0, m2 depending on m17; locked by uv itself; pushed to a bare remote."""
    base = tmp_path_factory.mktemp("members")
    root, remote = base / "work", base / "remote.git"
    git(base, "init", "-q", "--bare", "-b", "main", str(remote))
    git(base, "init", "-q", "-b", "main", str(root))
    project = Project(root, remote)
    project.write(
        "pyproject.toml",
        '[tool.uv.workspace]\nmembers = ["packages/*"]\n',
    )
    for n in range(1, MEMBERS + 1):
        name = _member(n)
        deps = '"m17"' if n == 2 else ""
        sources = "\n[tool.uv.sources]\nm17 = { workspace = true }\n" if n == 2 else ""
        project.write(
            f"packages/{name}/pyproject.toml",
            f'[project]\nname = "{name}"\nversion = "0.2.0"\nrequires-python = ">=3.8"\n'
            f"dependencies = [{deps}]\n{sources}\n"
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
        )
        project.write(f"packages/{name}/src/{name.replace('-', '_')}/__init__.py", "")
        project.write(
            f"packages/{name}/CHANGELOG.md",
            f"# Changelog\n\n## [Unreleased]\n\n### Added\n\n- More {name}.\n\n"
            f"## [0.2.0] - 2026-01-10\n\n- Two.\n\n## [0.1.0] - 2025-12-01\n\n- One.\n\n"
            f"[Unreleased]: https://github.com/acme/mono/compare/{name}-v0.2.0...HEAD\n"
            f"[0.2.0]: https://github.com/acme/mono/compare/{name}-v0.1.0...{name}-v0.2.0\n"
            f"[0.1.0]: https://github.com/acme/mono/releases/tag/{name}-v0.1.0\n",
        )
        project.write(f"packages/{name}/SECURITY.md", _security("0.2.0"))
    uv(root, "lock", "--offline", "-q")
    project.commit_all("a workspace of many members")
    creates = []
    for n in range(1, MEMBERS + 1):
        for version in ("0.1.0", "0.2.0"):
            creates.append(f"{_member(n)}-v{version}")
    for tag in creates:
        project.git("tag", tag)
    project.git("pack-refs", "--all")
    project.git("remote", "add", "origin", str(remote))
    project.git("push", "-q", "origin", "main", "--tags")
    return project


def test_one_member_of_forty_moves_only_its_own_files_and_lock_entry(
    members: Project, tmp_path: Path
) -> None:
    """KumarLabJax/JABS-behavior-classifier#397 (https://github.com/KumarLabJax/JABS-behavior-
    classifier/pull/397): the workspace's uv.lock kept the editable members at the old version
    after a release; googleapis/release-please#822 (https://github.com/googleapis/release-please
    /pull/822): a monorepo package's compare links named the wrong tags. m17 of 40 (beside m1
    and m1-7, and m2 depending on it): its files and its lock entry alone move, `uv lock
    --check` passes, its tag and links are m17-v."""
    project = copy_project(members, tmp_path)
    lock_before = project.read("uv.lock")
    run = project.bump("-p", "m17", "minor", "--date", DATE)
    assert run.code == 0, run.err
    changed = sorted(project.git("show", "--name-only", "--format=", "HEAD").split())
    assert changed == [
        "packages/m17/CHANGELOG.md",
        "packages/m17/SECURITY.md",
        "packages/m17/pyproject.toml",
        "uv.lock",
    ]
    assert _lock_diff(project) == ['-version = "0.2.0"', '+version = "0.3.0"']
    assert lock_before.replace('"m17"\nversion = "0.2.0"', '"m17"\nversion = "0.3.0"') == (
        project.read("uv.lock")
    )
    uv(project.root, "lock", "--check", "--offline", "-q")
    log = project.read("packages/m17/CHANGELOG.md")
    assert "[0.3.0]: https://github.com/acme/mono/compare/m17-v0.2.0...m17-v0.3.0\n" in log
    assert git(project.remote, "tag", "-l", "*0.3.0") == "m17-v0.3.0\n"
    for tag, name in (("m17-v0.3.0", "m17"), ("m1-7-v0.2.0", "m1-7"), ("m1-v0.2.0", "m1")):
        check = project.bump("check-tag", tag, "--json")
        assert check.code == 0, check.out
        assert f'"name": "{name}"' in check.out


def test_what_changed_among_forty_members_is_the_one_touched(
    members: Project, tmp_path: Path
) -> None:
    """The same reports, read the other way: after a change in m1-7 only, `bump changed`
    lists m1-7 alone (m1 and m17, whose tag prefixes start alike, are unchanged)."""
    project = copy_project(members, tmp_path)
    project.write("packages/m1-7/src/m1_7/__init__.py", "X = 1\n")
    project.commit_all("m1-7 work")
    run = project.bump("changed")
    assert run.code == 0, run.err
    assert [line.split()[0] for line in run.out.splitlines() if line.strip()] == ["m1-7"]
