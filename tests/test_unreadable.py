"""`bump check` and a release say the same sentence of a release file they cannot read."""

from __future__ import annotations

import pytest
from conftest import Project

MISSING_SECURITY = (
    "SECURITY.md: does not exist; run `bump init` to create it, "
    'or set security = "" in [tool.cutrelease].'
)
MISSING_CHANGELOG = "CHANGELOG.md: does not exist; run `bump init` to create it."


def _same_sentence(project: Project, part: str, sentence: str) -> None:
    """`bump check` lists `sentence`; a release of `part` refuses with it, changing nothing."""
    before = project.snapshot()
    check = project.bump("check")
    release = project.bump(part)
    assert (check.code, release.code) == (1, 1), release.err
    assert sentence in check.out.splitlines(), check.out
    assert release.err.splitlines()[-1] == f"error: {sentence}"
    assert project.snapshot() == before


@pytest.mark.parametrize(
    ("name", "part", "sentence"),
    [("SECURITY.md", "minor", MISSING_SECURITY), ("CHANGELOG.md", "patch", MISSING_CHANGELOG)],
)
def test_a_missing_file(project: Project, name: str, part: str, sentence: str) -> None:
    project.git("rm", "-q", name)
    project.commit_all(f"no {name}")
    project.push()
    _same_sentence(project, part, sentence)


def test_a_file_that_is_not_utf8(project: Project) -> None:
    changelog = project.read("CHANGELOG.md").replace("- A fix.", "- A caf\udce9 fix.")
    (project.root / "CHANGELOG.md").write_bytes(changelog.encode("utf-8", "surrogateescape"))
    project.commit_all("latin-1")
    project.push()
    offset = changelog.index("\udce9")  # ASCII before it: the character's offset is the byte's
    sentence = f"CHANGELOG.md: is not UTF-8 text (byte {offset}); save it as UTF-8."
    _same_sentence(project, "patch", sentence)
