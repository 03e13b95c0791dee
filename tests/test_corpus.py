"""Real-world CHANGELOG.md and SECURITY.md files, released on real repositories.

Each corpus file either releases correctly (only the new heading, the fresh Unreleased and the
links change; the old Unreleased body sits under the new heading, in order) or is refused with
a message naming the line and what is wrong. The tables below say which, and why.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from conftest import CHANGELOG, CORPUS, PYPROJECT, Project, make_project
from test_preview import git_hunks, hunks

from cutrelease.files import changelog, security
from cutrelease.files.markdown import split_lines
from cutrelease.release import preview
from cutrelease.release.plan import FileEdit
from cutrelease.templates import simple_render

CHANGELOGS = sorted((CORPUS / "changelogs").glob("*.md")) if CORPUS.is_dir() else []
SECURITY_FILES = sorted((CORPUS / "security").glob("*.md")) if CORPUS.is_dir() else []
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared/corpus is not beside the repo")

_NAMED_PENDING = re.compile(r"(?im)^#+ .*\d\.\d.*unreleased|^#+ .*MM-DD")
OK = "ok"
EMPTY = "the Unreleased section is empty"
MISSING = "there is no Unreleased section"
PRE_RELEASE = "is a pre-release; its next step is its final release"  # bump stable, not patch

# file prefix -> (what `bump patch --dry-run` does, what `bump minor` does)
EXPECTED_CHANGELOG: dict[str, tuple[str, str]] = {
    "01": (EMPTY, EMPTY),  # only empty ### Added/Changed/Fixed placeholders
    "02": (OK, OK),
    "03": (OK, OK),
    "04": (MISSING, MISSING),  # an [unreleased]: link but no Unreleased heading
    "05": (OK, OK),
    "06": (OK, OK),
    "07": (EMPTY, EMPTY),
    "08": (MISSING, MISSING),
    "09": (PRE_RELEASE, PRE_RELEASE),  # newest release is 0.2.2-alpha.2
    "10": (EMPTY, EMPTY),
    "11": (OK, OK),
    "12": (MISSING, MISSING),
    "13": ("headed for version 2.17", OK),  # '# 2.17 (unreleased)' names the next version
    "14": ("headed for version 9.0.0", "headed for version 9.0.0"),
    "15": (MISSING, MISSING),
    "16": (MISSING, MISSING),
    "17": (MISSING, MISSING),
    "18": (OK, OK),
    "19": (EMPTY, EMPTY),
    "20": (OK, OK),
    "21": (PRE_RELEASE, PRE_RELEASE),  # newest release is 1.8.0rc1
    "22": (MISSING, MISSING),  # git-cliff output: no Unreleased heading
    "23": (OK, OK),
    "24": (EMPTY, EMPTY),
    "25": ("headed for version 0.41.0", OK),  # '## [0.41.0] UNRELEASED'
    "26": (OK, OK),
    "27": ("headed for version 0.1.0", OK),  # '## [0.1.0] - 2023-MM-DD', nothing released
    "28": (OK, OK),
    "29": (OK, OK),
    "30": (OK, OK),
}


BARE_TAGS = {"03", "30"}  # argon2-cffi, jupyter_server: compare links name bare versions


def _semver(version: str | None) -> str:
    """pyproject's version for a changelog whose newest release is `version`."""
    if version is None:
        return "0.0.0"
    if re.fullmatch(r"\d+\.\d+", version):
        return version + ".0"
    return version


def _security_for(version: str) -> str:
    major, minor = version.split(".")[:2]
    return (
        "# Security\n\n## Supported Versions\n\n"
        "| Version | Supported          |\n| ------- | ------------------ |\n"
        f"| {major}.{minor}.x | :white_check_mark: |\n"
    )


def _project(tmp_path: Path, changelog_text: str, version: str, security_text: str) -> Project:
    project = make_project(tmp_path)
    project.write("pyproject.toml", PYPROJECT.replace('"0.2.0"', f'"{version}"'))
    (project.root / "CHANGELOG.md").write_bytes(changelog_text.encode("utf-8"))
    project.write("SECURITY.md", security_text)
    project.commit_all("corpus files")
    project.push()
    return project


def _assert_refused(project: Project, run_code: int, err: str, reason: str) -> None:
    assert run_code == 1, err
    assert "Traceback" not in err
    assert reason in err, err
    if reason != PRE_RELEASE:  # every changelog refusal names its line
        assert re.search(r"CHANGELOG\.md:\d+: ", err), err


def _assert_valid_release(old: str, new: str, version: str) -> None:
    """Only the heading, the fresh Unreleased and the links changed; the body moved intact."""
    assert changelog.newest_version(new) in (version, version.removesuffix(".0"))
    body = changelog.unreleased_notes(old)
    if not _NAMED_PENDING.search(old):
        # A heading that already names the next version ('## [0.41.0] UNRELEASED') becomes
        # the release heading; every other file gets a fresh, empty Unreleased section.
        assert changelog.unreleased_notes(new) == ""
    assert _without_link_definitions(changelog.release_notes(new, version)) == body.strip()
    old_lines, new_lines = split_lines(old), split_lines(new)  # as git counts lines
    for line in difflib.ndiff(old_lines, new_lines):
        if line.startswith(("- ", "+ ")):
            content = line[2:].strip()
            assert content == "" or content.startswith(("#", "[")), line


def _without_link_definitions(notes: str) -> str:
    # Some files (vastdb) keep each version's link definition right under its heading.
    kept = [line for line in notes.splitlines() if not re.match(r"\[[^\]]+\]: \S", line)]
    return "\n".join(kept).strip()


@pytest.mark.parametrize("path", CHANGELOGS, ids=lambda p: p.name[:2])
def test_corpus_changelog(tmp_path: Path, path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    version = _semver(changelog.newest_version(text))
    sec = _security_for(version) if re.fullmatch(r"\d+\.\d+\.\d+", version) else "# Security\n"
    project = _project(tmp_path, text, version, sec)
    expect_patch, expect_minor = EXPECTED_CHANGELOG[path.name[:2]]
    before = project.snapshot()

    dry = project.bump("patch", "--dry-run", "--date", "2026-03-01")
    if expect_patch == OK:
        assert dry.code == 0, dry.err
        assert "--- a/CHANGELOG.md\n+++ b/CHANGELOG.md\n" in dry.out
    else:
        _assert_refused(project, dry.code, dry.err, expect_patch)
    assert project.snapshot() == before

    run = project.bump("minor", "--date", "2026-03-01")
    if expect_minor != OK:
        _assert_refused(project, run.code, run.err, expect_minor)
        assert project.snapshot() == before
        return
    assert run.code == 0, run.err
    major, minor, _ = version.split(".")
    new_version = f"{major}.{int(minor) + 1}.0"
    _assert_valid_release(text, project.read("CHANGELOG.md"), new_version)
    # The tag prefix is learned: some projects link to tags without "v".
    prefix = "" if path.name[:2] in BARE_TAGS else "v"
    assert project.remote_git("tag", "-l") == f"{prefix}{new_version}\n"


def test_every_corpus_changelog_has_an_expectation() -> None:
    assert sorted(p.name[:2] for p in CHANGELOGS) == sorted(EXPECTED_CHANGELOG)


@pytest.mark.parametrize("path", CHANGELOGS, ids=lambda p: p.name[:2])
def test_corpus_changelog_model_gives_every_byte_back(path: Path) -> None:
    """The model is the file: its parts joined are the text, whatever its bytes look like."""
    text = path.read_bytes().decode("utf-8")
    for variant in (text, text.replace("\n", "\r\n"), "\ufeff" + text, text.rstrip("\n")):
        log = changelog.parse(variant)
        assert log.render() == variant
        assert log.strays == ()  # no entry sits below the links in these files


def _with_pending_change(text: str) -> str:
    """The file as its maintainer would have it before a release: something under Unreleased."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    heading = re.compile(r"#+ \[?unreleased\]?", re.IGNORECASE)
    for index, line in enumerate(lines):
        if heading.match(line):
            lines.insert(index + 1, f"{newline}- A pending change.{newline}")
            return "".join(lines)
    newest = changelog.newest_version(text)
    for index, line in enumerate(lines):
        if line.startswith("#") and newest and newest in line:
            level = line.split(" ", 1)[0]
            added = f"{level} [Unreleased]{newline}{newline}- A pending change.{newline}{newline}"
            lines.insert(index, added)
            return "".join(lines)
    raise AssertionError("no release heading found")


FIXABLE = [p for p in CHANGELOGS if EXPECTED_CHANGELOG[p.name[:2]][1] in (EMPTY, MISSING)]


@pytest.mark.parametrize("path", FIXABLE, ids=lambda p: p.name[:2])
def test_refused_corpus_changelog_releases_once_it_has_pending_changes(
    tmp_path: Path, path: Path
) -> None:
    """A refusal for an empty or missing Unreleased section is the only thing in the way."""
    text = _with_pending_change(path.read_bytes().decode("utf-8"))
    version = _semver(changelog.newest_version(text))
    project = _project(tmp_path, text, version, _security_for(version))
    run = project.bump("minor", "--date", "2026-03-01")
    assert run.code == 0, run.err
    major, minor, _ = version.split(".")
    _assert_valid_release(text, project.read("CHANGELOG.md"), f"{major}.{int(minor) + 1}.0")


EXPECTED_SECURITY_REFUSAL = {
    "90": "line 3",  # Supported Versions followed by prose only
    "91": "line 7",  # rows are 'main branch', 'most recent release': not versions
    "92": "line 7",  # no pipes at the edges, tabs as padding
    "93": "line 13",  # rows are image tags, not versions
    "94": "line 3",  # prose only
}


def _version_of_table(text: str) -> str:
    found = [
        [int(n) for n in re.findall(r"\d+", label)[:3]] for label in security.supported_lines(text)
    ]
    newest = max(numbers for numbers in found if numbers)
    return ".".join(str(n) for n in ([*newest, 0, 0])[:3])


@pytest.mark.parametrize("path", SECURITY_FILES, ids=lambda p: p.name[:2])
def test_corpus_security_file_on_a_minor_release(tmp_path: Path, path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    refusal = EXPECTED_SECURITY_REFUSAL.get(path.name[:2])
    version = "1.0.0" if refusal else _version_of_table(text)
    old_changelog = CHANGELOG.replace("0.2.0", version)
    project = _project(tmp_path, old_changelog, version, text)
    before = project.snapshot()
    run = project.bump("minor", "--date", "2026-03-01")
    if refusal:
        assert run.code == 1, run.err
        assert re.search(r"SECURITY\.md:\d+: ", run.err), run.err
        assert "Traceback" not in run.err
        assert project.snapshot() == before
        return
    assert run.code == 0, run.err
    major, minor, _ = version.split(".")
    new_version = f"{major}.{int(minor) + 1}.0"
    assert security.is_supported(project.read("SECURITY.md"), new_version)
    assert security.update_supported_versions(
        text, version=new_version, render=simple_render
    ) == project.read("SECURITY.md")
    # The dry run would have shown this change as git shows it.
    before_bytes, after_bytes = path.read_bytes(), (project.root / "SECURITY.md").read_bytes()
    if before_bytes != after_bytes:
        diff = preview.file_diff(FileEdit("SECURITY.md", before_bytes, after_bytes))
        assert hunks(diff) == git_hunks(tmp_path, before_bytes, after_bytes)
