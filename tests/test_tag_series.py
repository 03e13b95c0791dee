"""The tag series is the package's own (SPEC section 16, issue 27 kind 5): the prefix is learned
from the package's releases, whatever it is; evidence that disagrees is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CHANGELOG, Project

from cutrelease.git import tagprefix

PY_CHANGELOG = CHANGELOG.replace("/v0.", "/py-v0.").replace("...v0.", "...py-v0.")


def _monorepo(project: Project, *, python_tag: str | None = "py-v") -> None:
    """A JavaScript component tagged v0.1.0, v0.2.0 at its own commits, and the Python package
    (the root's pyproject.toml) tagged py-v0.2.0 at the commit that moved its version, as
    repositories with bindings of two languages do."""
    project.write("js/package.json", '{"name": "widget-js", "version": "0.1.0"}\n')
    project.commit_all("js 0.1.0")
    project.git("tag", "-a", "v0.1.0", "-m", "js 0.1.0")
    project.write("js/package.json", '{"name": "widget-js", "version": "0.2.0"}\n')
    project.commit_all("js 0.2.0")
    project.git("tag", "-a", "v0.2.0", "-m", "js 0.2.0")
    project.write("pyproject.toml", project.read("pyproject.toml").replace("0.2.0", "0.1.9"))
    project.commit_all("python 0.1.9")
    project.write("pyproject.toml", project.read("pyproject.toml").replace("0.1.9", "0.2.0"))
    project.write("CHANGELOG.md", PY_CHANGELOG)
    project.commit_all("python 0.2.0")
    if python_tag is not None:
        project.git("tag", "-a", f"{python_tag}0.2.0", "-m", "python 0.2.0")
    project.git("push", "-q", "--tags", "origin", "main")


def test_the_python_package_keeps_its_own_tag_series(project: Project) -> None:
    _monorepo(project)
    dry = project.bump("patch", "--dry-run", "--date", "2026-03-01")
    assert dry.code == 0, dry.err
    assert "tags are named py-vX.Y.Z (learned from the existing tag py-v0.2.0)" in dry.out
    assert "+[0.2.1]: https://github.com/acme/widget/compare/py-v0.2.0...py-v0.2.1\n" in dry.out
    run = project.bump("patch", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert project.remote_git("tag", "-l") == "py-v0.2.0\npy-v0.2.1\nv0.1.0\nv0.2.0\n"
    assert project.bump("check-tag", "py-v0.2.1").code == 0
    assert project.bump("check").code == 0


def test_links_alone_tell_the_series(project: Project) -> None:
    """The package's tag was never fetched here; its changelog's links name py-v."""
    _monorepo(project, python_tag=None)
    project.git("tag", "-d", "v0.2.0")  # and the other component's tags are not here either
    dry = project.bump("patch", "--dry-run")
    assert dry.code == 0, dry.err
    assert "tags are named py-vX.Y.Z (learned from CHANGELOG.md's links to 0.2.0)" in dry.out
    assert "refs/tags/py-v0.2.1" in dry.out


def test_evidence_that_disagrees_is_refused_naming_the_candidates(project: Project) -> None:
    """The links say py-v, but the tag on the commit that moved the version is v0.2.0."""
    _monorepo(project, python_tag=None)
    project.git("tag", "-d", "v0.2.0")
    project.git("tag", "-a", "v0.2.0", "-m", "0.2.0")  # on the commit that moved it
    before = project.snapshot()
    for args in (["patch", "--dry-run"], ["patch"]):
        run = project.bump(*args)
        assert run.code == 1, run.err
        (error,) = [line for line in run.err.splitlines() if line.startswith("error:")]
        assert "more than one tag prefix" in error
        assert "py-v (CHANGELOG.md's links)" in error and "v (the tag v0.2.0)" in error
        assert "[tool.cutrelease].tag_prefix" in error
        assert project.snapshot() == before
    project.write(
        "pyproject.toml",
        project.read("pyproject.toml") + '\n[tool.cutrelease]\ntag_prefix = "py-v"\n',
    )
    project.commit_all("choose")
    project.push()
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert "py-v0.2.1" in project.remote_git("tag", "-l").split()


@pytest.mark.parametrize(
    ("link", "prefix"),
    [
        ("https://github.com/acme/mono/compare/py-v0.1.0...py-v0.2.0", "py-v"),
        ("https://github.com/acme/mono/releases/tag/widget/v0.2.0", "widget/v"),
        ("https://gitlab.com/acme/mono/-/tags/release-0.2.0", "release-"),
        ("https://github.com/acme/mono/compare/0.1.0...0.2.0", ""),
        ("https://github.com/acme/mono/compare/v0.1.0...v0.2.0", "v"),
    ],
)
def test_any_prefix_is_learned_from_the_links(tmp_path: Path, link: str, prefix: str) -> None:
    (tmp_path / ".git" / "refs" / "tags").mkdir(parents=True)
    (tmp_path / "CHANGELOG.md").write_text(
        f"# Changelog\n\n## [Unreleased]\n\n## [0.2.0] - 2026-01-10\n\n- X.\n\n[0.2.0]: {link}\n"
    )
    learned = tagprefix.learn(
        tmp_path, tmp_path / ".git", version="0.2.0", changelog="CHANGELOG.md"
    )
    assert (learned.prefix, learned.conflict) == (prefix, None)


def test_a_version_in_an_entry_is_no_link_of_a_release(tmp_path: Path) -> None:
    (tmp_path / ".git" / "refs" / "tags").mkdir(parents=True)
    (tmp_path / "CHANGELOG.md").write_text(
        "# Changelog\n\n## [0.2.0] - 2026-01-10\n\n- See https://pypi.org/project/x/0.2.0\n\n"
        "[0.2.0]: https://github.com/acme/x/compare/py-v0.1.0...py-v0.2.0\n"
    )
    learned = tagprefix.learn(
        tmp_path, tmp_path / ".git", version="0.2.0", changelog="CHANGELOG.md"
    )
    assert learned.prefix == "py-v"


def test_tags_are_read_from_packed_refs_as_from_loose_ones(project: Project) -> None:
    """git pack-refs moves tags into .git/packed-refs (a clone has them there): the prefix is
    learned from them alike, and a tag that only ends like the version counts as git names it."""
    _monorepo(project)
    project.git("tag", "-a", "py-v10.2.0", "-m", "another version that ends alike")
    git_dir = project.root / ".git"
    loose = tagprefix._tags_of(git_dir, "0.2.0")
    project.git("pack-refs", "--all")
    assert not (git_dir / "refs" / "tags" / "py-v0.2.0").exists()
    assert tagprefix._tags_of(git_dir, "0.2.0") == loose == {"v": "v0.2.0", "py-v": "py-v0.2.0"}
    assert tagprefix._tags_of(git_dir, "10.2.0") == {"py-v": "py-v10.2.0"}


def test_packed_refs_lines_that_name_no_tag_are_skipped() -> None:
    sha = "0123456789abcdef0123456789abcdef01234567"
    packed = (
        "# pack-refs with: peeled fully-peeled sorted \n"
        f"{sha} refs/heads/v1.2.3\n"
        f"{sha} refs/tags/v1.2.3\r\n"
        f"^{sha}\n"
        f"{sha} refs/tags/rel-1.2.3\n"
        f"{sha} refs/tags/v1.2.30\n"
        f"not-hex refs/tags/x1.2.3\n"
        f"{sha} refs/tags/v1.2.3-rc1"
    )
    assert tagprefix._packed_tags_ending(packed, "1.2.3") == ["v1.2.3", "rel-1.2.3"]


@pytest.mark.parametrize("size", [0, 2 * 1024 * 1024])
def test_the_links_tell_the_prefix_read_or_mapped(tmp_path: Path, size: int) -> None:
    """A changelog is searched for the links naming the version read (small) or mapped
    (megabytes): the same answer, a non-UTF-8 byte or an empty file included."""
    filler = ("- An entry \xe9.\n" * (size // 16)).encode("latin-1")  # not UTF-8: replaced
    text = b"# Changelog\n\n## [1.2.3]\n\n" + filler
    text += b"\n[1.2.3]: https://github.com/o/r/compare/py-v1.2.2...py-v1.2.3\n"
    path = tmp_path / "CHANGELOG.md"
    path.write_bytes(text)
    assert tagprefix._link_prefixes(path, "1.2.3") == {"py-v"}
    path.write_bytes(b"")
    assert tagprefix._link_prefixes(path, "1.2.3") == set()
