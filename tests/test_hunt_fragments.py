"""Changelog fragments and the level they call for, in situations rebuilt from public reports
against towncrier, scriv and the conventional-commit tools: real repositories, real remotes."""

from __future__ import annotations

from conftest import CHANGELOG, PYPROJECT, Project

NO_UNRELEASED = CHANGELOG.replace("### Fixed\n\n- A fix.\n\n", "")


def _fragments_only(project: Project, files: dict[str, str], pyproject: str = PYPROJECT) -> None:
    """The project with an empty Unreleased section, `files` in it, committed and pushed."""
    project.write("pyproject.toml", pyproject)
    project.write("CHANGELOG.md", NO_UNRELEASED)
    for name, text in files.items():
        project.write(name, text)
    project.commit_all("fragments")
    project.push()


def _released(project: Project, version: str) -> str:
    changelog = project.read("CHANGELOG.md")
    return changelog.split(f"## [{version}] - 2026-03-01\n", 1)[1].split("## [0.2.0]")[0]


def test_one_issue_in_two_types_gives_an_entry_under_each(project: Project) -> None:
    """towncrier#372: `337.feature` and `337.removal` for one issue; both must show up."""
    _fragments_only(
        project,
        {
            "changelog.d/337.feature.md": "The check passes on the release branch.\n",
            "changelog.d/337.removal.md": "Removed `--old`.",  # no newline at the end
        },
    )
    assert project.bump("next").out == "minor 0.3.0\n"  # Removed, before 1.0.0
    run = project.bump("auto", "--yes", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert _released(project, "0.3.0") == (
        "\n### Added\n\n- The check passes on the release branch. (#337)\n"
        "\n### Removed\n\n- Removed `--old`. (#337)\n\n"
    )
    assert project.git("ls-files", "changelog.d") == ""
    assert project.remote_git("rev-parse", "main") == project.git("rev-parse", "HEAD")


def test_towncrier_counters_keep_the_order_they_were_made_in(project: Project) -> None:
    """towncrier#474 and #475: `towncrier create 2585.changed` beside an existing one makes
    `2585.changed.1`, then `.2`…; the entries came out counter first (`.1` sorts before
    `.md`) and `.10` before `.2`."""
    _fragments_only(
        project,
        {
            "changelog.d/2585.changed.md": "First.\n",
            "changelog.d/2585.changed.1.md": "Second.\n",
            "changelog.d/2585.changed.2.md": "Third.\n",
            "changelog.d/2585.changed.10.md": "Eleventh.\n",
        },
    )
    assert project.bump("notes", "--unreleased").out == (
        "### Changed\n\n"
        "- First. (#2585)\n- Second. (#2585)\n- Third. (#2585)\n- Eleventh. (#2585)\n"
    )


def test_an_orphan_with_numbers_in_its_name_links_no_issue(project: Project) -> None:
    """towncrier#562 (PR #564): `+fix.123.feature` was filed under issue 123; an orphan's
    name says no issue, whatever digits it holds."""
    _fragments_only(
        project,
        {
            "changelog.d/+fix.123.feature.md": "Orphan with a number.\n",
            "changelog.d/+1234.bugfix": "Orphan named by digits.\n",
        },
    )
    assert project.bump("notes", "--unreleased").out == (
        "### Added\n\n- Orphan with a number.\n\n### Fixed\n\n- Orphan named by digits.\n"
    )


def test_a_misspelt_type_without_md_is_reported_not_left_behind(project: Project) -> None:
    """towncrier#142 (and #622's strict check): `15.featur.rst` and `16.bugfx` were passed
    over without a word: released without them, and left in the folder for ever."""
    _fragments_only(
        project,
        {
            "changelog.d/15.featur.rst": "Typo in the type.\n",
            "changelog.d/16.bugfx": "Another.\n",
            "changelog.d/fix-1.2.3.bugfix": "A name with dots: a fragment of its own.\n",
        },
    )
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1
    assert "error: changelog.d/15.featur.rst:1: its type 'featur' is not one of" in run.err
    assert "Traceback" not in run.err
    assert project.snapshot() == before
    check = project.bump("check")
    assert check.code == 1
    assert "changelog.d/16.bugfx:1: its type 'bugfx' is not one of" in check.out
    # Renamed, the release takes all three.
    project.git("mv", "changelog.d/15.featur.rst", "changelog.d/15.feature.rst")
    project.git("mv", "changelog.d/16.bugfx", "changelog.d/16.bugfix")
    project.commit_all("types")
    project.push()
    run = project.bump("auto", "--yes", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert _released(project, "0.3.0") == (
        "\n### Added\n\n- Typo in the type. (#15)\n"
        "\n### Fixed\n\n- Another. (#16)\n- A name with dots: a fragment of its own.\n\n"
    )
    assert project.git("ls-files", "changelog.d") == ""


TEMPLATE = """\
{% for section, _ in sections.items() %}
## {{ section }}
{% endfor %}
"""


def test_towncrier_template_and_ignore_in_the_folder_are_no_fragments(
    project: Project,
) -> None:
    """towncrier#632, #658 (`template` in the fragments' folder) and #622/#642 (`ignore`,
    with globs): towncrier skips them; cutrelease read the template as a scriv fragment and
    refused every release."""
    towncrier = (
        "\n[tool.towncrier]\n"
        'directory = "newsfragments"\n'
        'template = "newsfragments/template.md"\n'
        'ignore = ["NOTES-*.md"]\n'
    )
    _fragments_only(
        project,
        {
            "newsfragments/template.md": TEMPLATE,
            "newsfragments/notes-for-reviewers.md": "Not a fragment: the other changelog's.\n",
            "newsfragments/7.bugfix.md": "Mended.\n",
        },
        pyproject=PYPROJECT + towncrier,
    )
    run = project.bump("auto", "--yes", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert _released(project, "0.2.1") == "\n### Fixed\n\n- Mended. (#7)\n\n"
    assert project.git("ls-files", "newsfragments").split() == [
        "newsfragments/notes-for-reviewers.md",
        "newsfragments/template.md",
    ]


def test_fragments_in_a_subfolder_are_reported(project: Project) -> None:
    """towncrier#90: towncrier's sections keep fragments in subfolders (`newsfragments/api/`);
    cutrelease reads no subfolder, and passed over them without a word."""
    _fragments_only(
        project,
        {"changelog.d/api/12.feature.md": "In a section.\n", "changelog.d/3.bugfix.md": "Fix.\n"},
    )
    before = project.snapshot()
    run = project.bump("patch", "--yes")
    assert run.code == 1
    assert (
        "error: changelog.d/api:1: is a folder of fragments (towncrier's sections), and "
        "fragments in a subfolder are not read: they would never be released. Move its "
        "fragments up into the fragments' folder"
    ) in run.err
    assert project.snapshot() == before
    # A subfolder with no fragment in it (templates) is none of the folder's business.
    project.git("mv", "changelog.d/api/12.feature.md", "changelog.d/12.feature.md")
    project.write("changelog.d/templates/new_fragment.md.j2", "{{ text }}\n")
    project.commit_all("up")
    project.push()
    run = project.bump("auto", "--yes", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert project.git("ls-files", "changelog.d").split() == [
        "changelog.d/templates/new_fragment.md.j2"
    ]


def test_editor_backups_are_no_fragments(project: Project) -> None:
    """towncrier#556 (PR #745): `feature~` and `feature.rst~` backups; also a merge's
    `.orig`. Neither read nor deleted."""
    _fragments_only(
        project,
        {
            "changelog.d/4.feature.md": "New.\n",
            "changelog.d/4.feature.md~": "Ne\n",
            "changelog.d/5.bugfix~": "Old.\n",
            "changelog.d/4.feature.md.orig": "Old.\n",
        },
    )
    run = project.bump("auto", "--yes", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert _released(project, "0.3.0") == "\n### Added\n\n- New. (#4)\n\n"
    assert project.git("ls-files", "changelog.d").split() == [
        "changelog.d/4.feature.md.orig",
        "changelog.d/4.feature.md~",
        "changelog.d/5.bugfix~",
    ]


def test_breaking_change_spelt_with_a_hyphen_calls_for_major(project: Project) -> None:
    """convco#40 and 115dkk/EqualizerAPO-XT#119: Conventional Commits' `BREAKING-CHANGE:`
    spelling is a breaking change; before 1.0.0 it calls for minor
    (balazsorban44/monorepo-release#12)."""
    _fragments_only(
        project,
        {"changelog.d/+api.changed.md": "BREAKING-CHANGE: `frob()` takes keywords only.\n"},
    )
    assert project.bump("next").out == "minor 0.3.0\n"
    project.write("pyproject.toml", PYPROJECT.replace('version = "0.2.0"', 'version = "1.4.0"'))
    project.commit_all("1.4.0")
    assert project.bump("next").out == "major 2.0.0\n"
