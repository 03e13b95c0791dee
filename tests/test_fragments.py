"""Changelog fragments (SPEC section 13): found, split, rendered and merged, on whole texts;
and the level the entries call for."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from cutrelease.files import changelog, fragments, levels
from cutrelease.files.fragments import Found, Settings
from cutrelease.git import forges
from cutrelease.templates import make_renderer

GITHUB = "https://github.com/acme/widget"


def _plain(number: str) -> str:
    return f"#{number}"


def _release_text(root: Path, folder: str = "changelog.d", log: str = "", **kw: object) -> str:
    """The changelog `log` with the folder's fragments merged, as a release writes it."""
    config = fragments.settings({}, folder=folder)
    found = fragments.find(root, config)
    parts, problems = fragments.split(found, config)
    assert not problems, [str(p) for p in problems]
    rendered = fragments.render(parts, issue_link=_plain)
    return fragments.merge(changelog.parse(log), rendered)


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8", newline="")


# --------------------------------------------------------------------------- towncrier's form

LOG = """\
# Changelog

## [Unreleased]

## [0.2.0] - 2026-01-10

- First.
"""


def test_towncrier_fragments_merge_under_headings_in_keep_a_changelog_order(
    tmp_path: Path,
) -> None:
    # As towncrier's tutorial writes them: one sentence per file, named ISSUE.TYPE.
    _write(
        tmp_path / "changelog.d",
        {
            "1234.bugfix.md": "Fixed the frobnicator when it is empty.\n",
            "850.feature.md": "Can now frobnicate twice.\n",
            "+refactor.misc.md": "Reworked the frobnicator's internals.\n",
            "12.removal": "Removed the `--old` option.\n",
            "README.md": "Put a fragment per change here.\n",
            ".gitkeep": "",
        },
    )
    assert _release_text(tmp_path, log=LOG) == (
        "# Changelog\n"
        "\n"
        "## [Unreleased]\n"
        "\n"
        "### Added\n"
        "\n"
        "- Can now frobnicate twice. (#850)\n"
        "\n"
        "### Changed\n"
        "\n"
        "- Reworked the frobnicator's internals.\n"
        "\n"
        "### Removed\n"
        "\n"
        "- Removed the `--old` option. (#12)\n"
        "\n"
        "### Fixed\n"
        "\n"
        "- Fixed the frobnicator when it is empty. (#1234)\n"
        "\n"
        "## [0.2.0] - 2026-01-10\n"
        "\n"
        "- First.\n"
    )


def test_entries_join_existing_headings_after_their_own(tmp_path: Path) -> None:
    _write(
        tmp_path / "changelog.d",
        {"7.fixed.md": "Second fix.\n", "3.added.md": "A feature.\n", "2.security.md": "CVE.\n"},
    )
    log = (
        "## [Unreleased]\n\n### Changed\n\n- A change.\n\n### Fixed\n\n- First fix.\n"
        "\n## [0.2.0] - 2026-01-10\n\n- First.\n"
    )
    assert _release_text(tmp_path, log=log) == (
        "## [Unreleased]\n"
        "\n"
        "### Added\n"
        "\n"
        "- A feature. (#3)\n"
        "\n"
        "### Changed\n"
        "\n"
        "- A change.\n"
        "\n"
        "### Fixed\n"
        "\n"
        "- First fix.\n"
        "- Second fix. (#7)\n"
        "\n"
        "### Security\n"
        "\n"
        "- CVE. (#2)\n"
        "\n"
        "## [0.2.0] - 2026-01-10\n"
        "\n"
        "- First.\n"
    )


def test_empty_placeholder_headings_are_filled_and_crlf_kept(tmp_path: Path) -> None:
    _write(tmp_path / "changelog.d", {"5.feature.md": "New.\n"})
    log = "## [Unreleased]\r\n\r\n### Added\r\n\r\n### Fixed\r\n\r\n## [0.2.0] - 2026-01-10\r\n"
    assert _release_text(tmp_path, log=log) == (
        "## [Unreleased]\r\n\r\n### Added\r\n\r\n- New. (#5)\r\n\r\n### Fixed\r\n\r\n"
        "## [0.2.0] - 2026-01-10\r\n"
    )


def test_a_nested_list_and_a_code_block_survive(tmp_path: Path) -> None:
    text = (
        "The `bump` command learned two options:\n"
        "\n"
        "- `--json`, for scripts;\n"
        "  - nested too.\n"
        "- `--quiet`.\n"
        "\n"
        "```toml\n"
        "[tool.cutrelease]\n"
        "\n"
        'level_check = "refuse"\n'
        "```\n"
    )
    _write(tmp_path / "changelog.d", {"40.feature.md": text})
    merged = _release_text(tmp_path, log="## [Unreleased]\n")
    assert merged == (
        "## [Unreleased]\n"
        "\n"
        "### Added\n"
        "\n"
        "- The `bump` command learned two options: (#40)\n"
        "\n"
        "  - `--json`, for scripts;\n"
        "    - nested too.\n"
        "  - `--quiet`.\n"
        "\n"
        "  ```toml\n"
        "  [tool.cutrelease]\n"
        "\n"
        '  level_check = "refuse"\n'
        "  ```\n"
    )
    released = changelog.release(
        merged,
        version="0.1.0",
        previous_version=None,
        date=datetime.date(2026, 3, 1),
        tag_prefix="v",
        web_url=None,
        render=make_renderer(None),
    )
    assert "  ```toml\n  [tool.cutrelease]\n\n  level_check" in released


def test_a_scriv_fragment_as_scriv_create_writes_it(tmp_path: Path) -> None:
    # scriv's new_fragment.md.j2, with one section uncommented and filled in.
    scriv = (
        "<!--\n"
        "A new scriv changelog fragment.\n"
        "\n"
        "Uncomment the section that is right (remove the HTML comment wrapper).\n"
        "-->\n"
        "\n"
        "<!--\n"
        "### Removed\n"
        "\n"
        "- A bullet item for the Removed category.\n"
        "\n"
        "-->\n"
        "### Added\n"
        "\n"
        "- A new `--frob` option.\n"
        "\n"
        "- Frobnication of:\n"
        "\n"
        "  ```python\n"
        "  frob(1)\n"
        "  ```\n"
        "\n"
        "### Fixed\n"
        "\n"
        "- No more crash.\n"
        "<!--\n"
        "### Security\n"
        "-->\n"
    )
    _write(tmp_path / "changelog.d", {"20260301_120301_ned_frob.md": scriv})
    assert _release_text(tmp_path, log="## Unreleased\n\n## 0.2.0\n") == (
        "## Unreleased\n"
        "\n"
        "### Added\n"
        "\n"
        "- A new `--frob` option.\n"
        "- Frobnication of:\n"
        "\n"
        "  ```python\n"
        "  frob(1)\n"
        "  ```\n"
        "\n"
        "### Fixed\n"
        "\n"
        "- No more crash.\n"
        "\n"
        "## 0.2.0\n"
    )


def test_one_text_in_two_fragments_is_one_entry_naming_both_issues(tmp_path: Path) -> None:
    _write(
        tmp_path / "changelog.d",
        {"10.bugfix.md": "Fixed it.\n", "9.bugfix": "Fixed it.\n", "11.bugfix.2.md": "Other.\n"},
    )
    assert _release_text(tmp_path, log="## [Unreleased]\n") == (
        "## [Unreleased]\n\n### Fixed\n\n- Fixed it. (#9, #10)\n- Other. (#11)\n"
    )


def test_issue_links_on_each_forge() -> None:
    assert forges.issue_url(GITHUB, "12") == f"{GITHUB}/issues/12"
    gitlab = "https://gitlab.com/acme/widget"
    assert forges.issue_url(gitlab, "12") == f"{gitlab}/-/issues/12"
    azure = "https://dev.azure.com/acme/proj/_git/widget"
    assert forges.issue_url(azure, "12") == "https://dev.azure.com/acme/proj/_workitems/edit/12"
    fragment = fragments.Fragment(
        "changelog.d/12.feature.md", "12", (fragments.Entry("Added", ("- New.\n",), "x:1"),)
    )
    link = fragments.render([fragment], issue_link=lambda n: f"[#{n}]({GITHUB}/issues/{n})")
    assert link["Added"][0].lines == (f"- New. ([#12]({GITHUB}/issues/12))\n",)


# --------------------------------------------------------------------------- towncrier's config


def test_towncrier_configuration_gives_the_folder_and_the_types(tmp_path: Path) -> None:
    data = {
        "tool": {
            "towncrier": {
                "directory": "newsfragments",
                "issue_format": "[#{issue}](https://example.org/{issue})",
                "type": [
                    {"directory": "feature", "name": "Features", "showcontent": True},
                    {"directory": "security", "name": "Security", "showcontent": True},
                    {"directory": "fix", "name": "Bugfixes", "showcontent": True},
                    {"directory": "breaking", "name": "Breaking Changes", "showcontent": True},
                ],
            }
        }
    }
    config = fragments.settings(data, folder=None)
    assert config.folder == "newsfragments"
    assert config.issue_format == "[#{issue}](https://example.org/{issue})"
    assert config.types["fix"] == "Fixed"
    assert config.types["breaking"] == ""
    _write(
        tmp_path / "newsfragments",
        {"3.fix.md": "Mended.\n", "4.breaking.md": "Broke.\n", "template.j2": "x"},
    )
    parts, problems = fragments.split(fragments.find(tmp_path, config), config)
    assert [p.path for p in parts] == ["newsfragments/3.fix.md"]
    assert [str(p) for p in problems] == [
        "newsfragments/4.breaking.md:1: its type 'breaking' ([tool.towncrier]) has no Keep a "
        "Changelog heading. Rename it with one of the types added, changed, deprecated, "
        "removed, fixed, security, feature, bugfix, removal, deprecation, doc, misc."
    ]
    newer = {"tool": {"towncrier": {"package": "widget", "fragment": {"feature": {}}}}}
    assert fragments.settings(newer, folder=None).folder == "widget/newsfragments"
    assert fragments.settings(data, folder="changes").folder == "changes"
    assert fragments.settings({}, folder=None).folder == "changelog.d"


# --------------------------------------------------------------------------- bad fragments


def test_bad_fragments_one_sentence_each(tmp_path: Path) -> None:
    folder = tmp_path / "changelog.d"
    _write(
        folder,
        {
            "1.feture.md": "Typo in the type.\n",
            "2.bugfix.md": "  \n\n",
            "3.feature.md": "### Added\n\n- Heading in a towncrier fragment.\n",
            "notes.md": "### Breaking\n\n- Not a heading of the six.\n",
            "loose.md": "- No heading at all.\n",
            "scriv_unedited.md": "<!--\n### Added\n\n- A bullet item.\n-->\n",
        },
    )
    (folder / "4.feature.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "5.feature.md").mkdir()
    outside = tmp_path.parent / f"{tmp_path.name}-outside.md"
    outside.write_text("Outside.\n")
    os.symlink(outside, folder / "6.feature.md")
    config = fragments.settings({}, folder=None)
    parts, problems = fragments.split(fragments.find(tmp_path, config), config)
    assert parts == []
    said = [str(problem).split(". ", 1)[0] for problem in problems]
    assert said == [
        "changelog.d/1.feture.md:1: its type 'feture' is not one of added, changed, "
        "deprecated, removed, fixed, security, feature, bugfix, removal, deprecation, doc, misc",
        "changelog.d/2.bugfix.md:1: is empty",
        "changelog.d/3.feature.md:1: a towncrier fragment holds its entry's text, not the "
        "heading 'Added'",
        "changelog.d/4.feature.md:1: is not a text file",
        "changelog.d/5.feature.md:1: is a folder named like a fragment",
        f"changelog.d/6.feature.md:1: is a symbolic link to {outside.resolve()}, outside the "
        "repository",
        "changelog.d/loose.md:1: its entry is under no heading: a fragment named without a "
        "type writes its entries under ### Added, ### Fixed… (scriv's form)",
        "changelog.d/notes.md:1: the heading 'Breaking' is not one of Keep a Changelog's "
        "Added, Changed, Deprecated, Removed, Fixed, Security",
        "changelog.d/scriv_unedited.md:1: is empty (it holds no entry)",
    ]


def test_no_folder_no_fragments(tmp_path: Path) -> None:
    assert fragments.find(tmp_path, Settings("changelog.d")) == ()
    log = changelog.parse(LOG)
    assert fragments.merge(log, {}) == LOG


def test_found_holds_bytes_as_read(tmp_path: Path) -> None:
    _write(tmp_path / "changelog.d", {"1.added.md": "é\r\n"})
    assert fragments.find(tmp_path, Settings("changelog.d")) == (
        Found("changelog.d/1.added.md", "é\r\n".encode()),
    )


# --------------------------------------------------------------------------- levels


def _call(text: str, current: str = "1.2.3") -> tuple[str, str] | None:
    entries = fragments.entries_of(text, path="CHANGELOG.md")
    call = levels.called_for(((e.category, e.text, e.where) for e in entries), current=current)
    return None if call is None else (call.level, call.where)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("### Fixed\n\n- A fix.\n\n### Security\n\n- CVE.\n", ("patch", "CHANGELOG.md:3")),
        ("### Fixed\n\n- A fix.\n\n### Added\n\n- New.\n", ("minor", "CHANGELOG.md:7")),
        ("### Deprecated\n\n- Old.\n", ("minor", "CHANGELOG.md:3")),
        ("### Changed\n\n- Other.\n\n### Removed\n\n- Gone.\n", ("major", "CHANGELOG.md:7")),
        ("### Fixed\n\n- A fix.\n- BREAKING: the API changed.\n", ("major", "CHANGELOG.md:4")),
        ("### Changed\n\n- **Breaking**: renamed.\n", ("major", "CHANGELOG.md:3")),
        ("### Changed\n\n- Breaking up the module.\n", ("minor", "CHANGELOG.md:3")),
        ("- Uncategorised.\n", None),
        ("", None),
    ],
)
def test_the_level_the_entries_call_for(text: str, expected: tuple[str, str] | None) -> None:
    assert _call(text) == expected


def test_before_one_a_breaking_change_is_a_minor_release() -> None:
    assert _call("### Removed\n\n- Gone.\n", current="0.4.1") == ("minor", "CHANGELOG.md:3")
    assert _call("### Removed\n\n- Gone.\n", current="1.0.0") == ("major", "CHANGELOG.md:3")


def test_lower_than() -> None:
    call = levels.Call("minor", "New.", "x:1", "Added", False)
    assert levels.lower_than("patch", call)
    assert not levels.lower_than("minor", call)
    assert not levels.lower_than("major", call)
    assert not levels.lower_than("patch", None)
