"""Every refusal of SPEC 2.1: exit 1, one sentence naming the cause, nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CHANGELOG, PYPROJECT, Project, git


def _off_main(p: Project) -> None:
    p.git("checkout", "-q", "-b", "feature")


def _detached(p: Project) -> None:
    p.git("checkout", "-q", "--detach")


def _dirty(p: Project) -> None:
    p.write("src/widget/__init__.py", "x = 1\n")


def _staged(p: Project) -> None:
    p.write("src/widget/__init__.py", "x = 1\n")
    p.git("add", "src/widget/__init__.py")


def _local_tag(p: Project) -> None:
    p.git("tag", "v0.2.1")


def _local_tag_packed(p: Project) -> None:
    p.git("tag", "v0.2.1")
    p.git("pack-refs", "--all")


def _remote_tag(p: Project) -> None:
    p.git("tag", "v0.2.1")
    p.git("push", "-q", "origin", "v0.2.1")
    p.git("tag", "-d", "v0.2.1")


def _behind(p: Project) -> None:
    other = p.root.parent / "other"
    git(p.root.parent, "clone", "-q", str(p.remote), str(other))
    (other / "NEWS").write_text("news\n")
    git(other, "add", "NEWS")
    git(other, "commit", "-q", "-m", "news")
    git(other, "push", "-q", "origin", "main")


def _behind_fetched(p: Project) -> None:
    _behind(p)
    p.git("fetch", "-q")


def _behind_unfetched(p: Project) -> None:
    _behind(p)
    p.write("LOCAL", "x\n")
    p.commit_all("local")


def _diverged(p: Project) -> None:
    _behind(p)
    p.git("fetch", "-q")
    p.write("LOCAL", "x\n")
    p.commit_all("local")


def _unreachable(p: Project) -> None:
    p.git("remote", "set-url", "origin", str(p.root.parent / "gone.git"))


def _no_remote(p: Project) -> None:
    p.git("remote", "remove", "origin")


def _changelog(text: str) -> Callable[[Project], None]:
    def change(p: Project) -> None:
        p.write("CHANGELOG.md", text)
        p.commit_all("changelog")

    return change


def _pyproject(text: str) -> Callable[[Project], None]:
    def change(p: Project) -> None:
        p.write("pyproject.toml", text)
        p.commit_all("pyproject")

    return change


def _no_security_table(p: Project) -> None:
    p.write("SECURITY.md", "# Security\n\n## Supported Versions\n\nOnly the latest.\n")
    p.commit_all("security")


def _symlink_out(name: str, text: str) -> Callable[[Project], None]:
    def setup(p: Project) -> None:
        outside = p.root.parent / f"elsewhere-{name}"
        outside.write_text(text)
        (p.root / name).unlink()
        (p.root / name).symlink_to(outside)
        p.commit_all("link")

    return setup


def _skip_worktree(p: Project) -> None:
    p.git("update-index", "--skip-worktree", "pyproject.toml")


def _assume_unchanged(p: Project) -> None:
    p.git("update-index", "--assume-unchanged", "CHANGELOG.md")
    p.write("CHANGELOG.md", "A local note, not for the release.\n\n" + CHANGELOG)


def _git_dir_elsewhere(p: Project) -> None:
    other = p.root.parent / "other"
    git(p.root.parent, "clone", "-q", str(p.remote), str(other))
    p.env["GIT_DIR"] = str(other / ".git")


def _push_elsewhere(p: Project, *, tagged: bool) -> Path:
    """remote.origin.pushurl: a second bare copy of the remote, maybe with the new tag."""
    pushed = p.root.parent / "pushed.git"
    git(p.root.parent, "clone", "-q", "--bare", str(p.remote), str(pushed))
    if tagged:
        git(pushed, "tag", "v0.2.1", "main")
    p.git("config", "remote.origin.pushurl", str(pushed))
    return pushed


def _pushurl_has_the_tag(p: Project) -> None:
    _push_elsewhere(p, tagged=True)


def _pushurl_unreachable(p: Project) -> None:
    p.git("config", "remote.origin.pushurl", str(p.root.parent / "nowhere.git"))


def _two_pushurls(p: Project) -> None:
    _push_elsewhere(p, tagged=False)
    p.git("config", "--add", "remote.origin.pushurl", str(p.remote))


def _journal(p: Project) -> None:
    (p.root / ".git" / "cutrelease-journal.json").write_text("{}")


EMPTY_UNRELEASED = CHANGELOG.replace("### Fixed\n\n- A fix.\n\n", "")
CASES: dict[str, tuple[Callable[[Project], None], str, list[str]]] = {
    "off main": (_off_main, "patch", ["feature", "main"]),
    "detached": (_detached, "patch", ["detached"]),
    "dirty": (_dirty, "patch", ["uncommitted", "src/widget/__init__.py"]),
    "staged": (_staged, "patch", ["uncommitted", "src/widget/__init__.py"]),
    "local tag": (_local_tag, "patch", ["v0.2.1", "already exists"]),
    "local tag, packed": (_local_tag_packed, "patch", ["v0.2.1", "already exists"]),
    "remote tag": (_remote_tag, "patch", ["v0.2.1", "remote"]),
    "behind": (_behind, "patch", ["behind"]),
    "behind, fetched": (_behind_fetched, "patch", ["is behind origin/main"]),
    "behind, not fetched": (_behind_unfetched, "patch", ["behind or has diverged"]),
    "diverged": (_diverged, "patch", ["diverged"]),
    "unreachable": (_unreachable, "patch", ["cannot be reached"]),
    "no remote": (_no_remote, "patch", ["no git remote", "origin"]),
    "empty unreleased": (_changelog(EMPTY_UNRELEASED), "patch", ["Unreleased", "empty"]),
    "no unreleased": (
        _changelog(CHANGELOG.replace("## [Unreleased]\n\n### Fixed\n\n- A fix.\n\n", "")),
        "patch",
        ["Unreleased"],
    ),
    "version mismatch": (
        _changelog(CHANGELOG.replace("## [0.2.0] - 2026-01-10", "## [0.1.9] - 2026-01-10")),
        "patch",
        ["0.1.9", "0.2.0"],
    ),
    "dynamic version": (
        _pyproject(
            PYPROJECT.replace('version = "0.2.0"  # keep this comment', 'dynamic = ["version"]')
        ),
        "patch",
        ["dynamic"],
    ),
    "malformed pyproject": (
        _pyproject("[project\nname = 1\n"),
        "patch",
        ["pyproject.toml", "TOML"],
    ),
    "non-semver": (
        _pyproject(PYPROJECT.replace('"0.2.0"', '"0.2"')),
        "patch",
        ["0.2", "not three numbers X.Y.Z"],
    ),
    "unknown config key": (
        _pyproject(PYPROJECT + "\n[tool.cutrelease]\nbrnach = 'main'\n"),
        "patch",
        ["brnach"],
    ),
    "wrong config type": (
        _pyproject(PYPROJECT + "\n[tool.cutrelease]\npush = 'yes'\n"),
        "patch",
        ["push", "boolean"],
    ),
    "no security table": (_no_security_table, "minor", ["SECURITY.md"]),
    "symlink out": (
        _symlink_out("CHANGELOG.md", CHANGELOG),
        "patch",
        ["CHANGELOG.md", "symlink", "outside"],
    ),
    "pyproject symlink out": (
        _symlink_out("pyproject.toml", PYPROJECT),
        "patch",
        ["pyproject.toml", "symlink", "outside"],
    ),
    "skip-worktree": (_skip_worktree, "patch", ["pyproject.toml", "skip-worktree"]),
    "assume-unchanged": (_assume_unchanged, "patch", ["CHANGELOG.md", "assume-unchanged"]),
    "GIT_DIR elsewhere": (_git_dir_elsewhere, "patch", ["GIT_DIR", "other/.git"]),
    "push URL has the tag": (_pushurl_has_the_tag, "patch", ["v0.2.1", "already exists"]),
    "push URL unreachable": (_pushurl_unreachable, "patch", ["origin", "cannot be reached"]),
    "two push URLs": (_two_pushurls, "patch", ["origin", "2 URLs"]),
    "pending journal": (_journal, "patch", ["bump recover"]),
    # issue 21: a prefix that makes the tag look like another ref is refused, naming it.
    **{
        f"tag prefix {prefix}": (
            _pyproject(PYPROJECT + f'\n[tool.cutrelease]\ntag_prefix = "{prefix}"\n'),
            "patch",
            ["tag_prefix", f"{prefix}0.2.1", looks, "ambiguous"],
        )
        for prefix, looks in [
            ("refs/heads/main-", "refs/heads/main-0.2.1"),
            ("heads/", "refs/heads/0.2.1"),
            ("refs/tags/v", "refs/tags/v0.2.1"),
            ("remotes/origin/", "refs/remotes/origin/0.2.1"),
            ("HEAD/", "HEAD/0.2.1"),
        ]
    },
}


@pytest.mark.parametrize("case", list(CASES))
def test_refusal(project: Project, case: str) -> None:
    setup, part, words = CASES[case]
    setup(project)
    before = project.snapshot()
    for args in ([part, "--dry-run"], [part]):
        run = project.bump(*args)
        assert run.code == 1, (case, run.out, run.err)
        assert "Traceback" not in run.err
        error_lines = [line for line in run.err.splitlines() if line.startswith("error:")]
        assert len(error_lines) == 1, run.err
        for word in words:
            assert word in error_lines[0], (word, run.err)
        assert project.snapshot() == before


def test_patch_does_not_need_a_security_table(project: Project) -> None:
    _no_security_table(project)
    assert project.bump("patch").code == 0


def test_ahead_of_remote_is_fine(project: Project) -> None:
    project.write("LOCAL", "x\n")
    project.commit_all("local work")
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert project.remote_git("log", "--format=%s", "-2") == "chore(release): v0.2.1\nlocal work\n"


def test_untracked_files_do_not_block_and_are_not_committed(project: Project) -> None:
    project.write("scratch.txt", "notes\n")
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert "scratch.txt" not in project.git("show", "--name-only", "HEAD")
    assert (project.root / "scratch.txt").exists()


def test_not_a_repository(tmp_path: Path, project: Project) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    run = project.bump("-C", str(empty), "version")
    assert run.code == 1
    assert "not inside a git repository" in run.err


@pytest.mark.parametrize(
    ("pyproject", "words"),
    [
        (PYPROJECT.replace("[project]\n", "[project]\ndynamic = 1\n", 1), ["dynamic"]),
        ('tool = "x"\n' + PYPROJECT.split("[tool.other]")[0], ["'tool' is not a table"]),
        ('project = "x"\n', ["'project' is not a table"]),
        (PYPROJECT + '\n[tool.cutrelease]\nchangelog = ""\n', ["changelog is blank"]),
        (PYPROJECT + '\n[tool.cutrelease]\nchangelog = "../elsewhere.md"\n', ["outside"]),
        (PYPROJECT + '\n[tool.cutrelease]\nchangelog = "docs"\n', ["not a regular file"]),
    ],
)
def test_odd_pyproject_is_one_sentence(project: Project, pyproject: str, words: list[str]) -> None:
    (project.root.parent / "elsewhere.md").write_text(CHANGELOG)
    (project.root / "docs").mkdir()
    project.write("docs/readme.md", "docs\n")
    project.write("pyproject.toml", pyproject)
    project.commit_all("odd")
    before = project.snapshot()
    run = project.bump("patch", "--dry-run")
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    error = [line for line in run.err.splitlines() if line.startswith("error:")]
    assert len(error) == 1, run.err
    for word in words:
        assert word in error[0]
    assert project.snapshot() == before


def test_pyproject_with_a_bom_releases_and_keeps_it(project: Project) -> None:
    project.write("pyproject.toml", "\ufeff" + PYPROJECT)
    project.commit_all("bom")
    project.push()
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert project.read("pyproject.toml").startswith("\ufeff[build-system]")
    assert 'version = "0.2.1"' in project.read("pyproject.toml")


def test_empty_commit_message_template_is_refused(project: Project) -> None:
    project.write("templates/commit_message.txt.j2", "{# nothing #}\n")
    project.commit_all("empty template")
    project.push()
    for args in (["patch", "--dry-run"], ["patch"]):
        run = project.bump(*args)
        assert run.code == 1
        assert "commit_message.txt.j2 renders an empty message" in run.err


def test_a_release_goes_to_the_push_url(project: Project) -> None:
    pushed = _push_elsewhere(project, tagged=False)
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert f"pushing main and v0.2.1 to origin ({pushed})" in run.err
    assert git(pushed, "tag", "-l") == "v0.2.1\n"
    assert project.remote_git("tag", "-l") == ""  # the fetch URL's copy is not written


@pytest.mark.parametrize(
    "tag", ["v0.2.1", "widget/v0.2.1", "widget-v0.2.1", "py-v0.2.1", "x/heads/1"]
)
def test_plain_tag_names_are_not_ambiguous(tag: str) -> None:
    from cutrelease.release import checks

    checks.tag_name_is_valid(tag)  # raises Refused for an ambiguous one
