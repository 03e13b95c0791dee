"""Situations rebuilt from public bug reports against release tools (issue 27's hunt).

Each case names the report it comes from; the file shapes are the reporters'. Whole texts in,
whole texts out, as the changelog and security tests do.
"""

from __future__ import annotations

import datetime

import pytest

from cutrelease.errors import FileFormatError
from cutrelease.files.changelog import release
from cutrelease.files.security import update_supported_versions
from cutrelease.templates import simple_render


def cut(text: str, version: str, previous: str) -> str:
    return release(
        text,
        version=version,
        previous_version=previous,
        date=datetime.date(2026, 3, 1),
        tag_prefix="v",
        web_url=None,
        render=simple_render,
    )


def test_release_please_2613_a_changelog_without_a_title_gets_the_release_on_top() -> None:
    # release-please skips a version heading on line 1 and files the release one too low.
    before = "## [Unreleased]\n\n- New.\n\n## 0.23.3\n\n- Old.\n\n## 0.23.2\n\n- Older.\n"
    assert cut(before, "0.23.4", "0.23.3") == (
        "## [Unreleased]\n\n## 0.23.4\n\n- New.\n\n## 0.23.3\n\n- Old.\n\n## 0.23.2\n\n- Older.\n"
    )


SEMANTIC_RELEASE = """\
# Changelog

## [Unreleased]

- Fix.

# [1.2.0](https://github.com/o/r/compare/v1.1.1...v1.2.0) (2024-02-01)

- Feat.

## [1.1.1](https://github.com/o/r/compare/v1.1.0...v1.1.1) (2024-01-15)

- Fix.

# [1.1.0](https://github.com/o/r/compare/v1.0.0...v1.1.0) (2024-01-01)

- Feat.
"""


@pytest.mark.parametrize(
    ("version", "heading"),
    [
        ("1.2.1", "## [1.2.1](https://github.com/o/r/compare/v1.2.0...v1.2.1) (2026-03-01)\n"),
        ("1.3.0", "# [1.3.0](https://github.com/o/r/compare/v1.2.0...v1.3.0) (2026-03-01)\n"),
    ],
)
def test_release_please_cdkd_patch_and_minor_headings_keep_their_levels(
    version: str, heading: str
) -> None:
    # conventional-changelog heads minor and major releases `#`, patches `##` (go-to-k/cdkd#2504).
    released = cut(SEMANTIC_RELEASE, version, "1.2.0")
    assert released == SEMANTIC_RELEASE.replace("- Fix.\n\n#", f"{heading}\n- Fix.\n\n#", 1)


@pytest.mark.parametrize(
    "unreleased", ["## 0.3.0 [unreleased]\n\n- Exciting.\n", "## Unreleased\n\n- Exciting.\n"]
)
def test_bumpversion_19_a_bracketed_date_is_closed(unreleased: str) -> None:
    # peritus/bumpversion#19: `0.3.0 [unreleased]` becomes `0.3.0 [2013-01-19]`.
    before = f"# Changes\n\n{unreleased}\n## 0.2.0 [2013-01-19]\n\n- Boring.\n"
    version = "0.3.0" if "0.3.0" in unreleased else "0.2.1"
    assert f"## {version} [2026-03-01]\n" in cut(before, version, "0.2.0")


def test_owncloud_102_a_placeholder_date_on_unreleased_stays_there() -> None:
    # owncloud/files_primary_s3#102: `## [Unreleased] - ????-??-??` is the file's own heading.
    before = "## [Unreleased] - ????-??-??\n\n- New.\n\n## [1.0.0] - 2018-07-01\n\n- Old.\n"
    assert cut(before, "1.0.1", "1.0.0") == (
        "## [Unreleased] - ????-??-??\n\n## [1.0.1] - 2026-03-01\n\n- New.\n\n"
        "## [1.0.0] - 2018-07-01\n\n- Old.\n"
    )


def test_scriv_107_a_setext_title_and_subsection_are_no_versions() -> None:
    # nedbat/scriv#107 crashed on a `Foobar` / `======` title and an `Added` / `-----` heading.
    before = (
        "Foobar\n======\n\n## Unreleased\n\nAdded\n-----\n\n- Something\n\n## 0.9.0\n\n- Old.\n"
    )
    assert cut(before, "1.0.0", "0.9.0") == before.replace(
        "## Unreleased\n\n", "## Unreleased\n\n## 1.0.0\n\n"
    )


def test_python_semantic_release_insertion_flag_stays_above_the_releases() -> None:
    # PSR 10's update mode inserts below `<!-- version list -->`; the comment is no release.
    before = (
        "# CHANGELOG\n\n<!-- version list -->\n\n## Unreleased\n\n- New.\n\n"
        "## v1.0.0 (2024-01-02)\n\n- Old.\n"
    )
    assert cut(before, "1.0.1", "1.0.0") == before.replace(
        "## Unreleased\n\n", "## Unreleased\n\n## v1.0.1 (2026-03-01)\n\n"
    )


def security(table: str) -> str:
    return f"# Security\n\n## Supported Versions\n\n{table}\nMail us.\n"


def test_cognirepo_78_a_current_mark_moves_to_the_new_line() -> None:
    # ashlesh-t/cognirepo#78: `0.1.x | ✓ Current` went stale for releases.
    before = security(
        "| Version | Supported |\n|---------|-----------|\n| 0.1.x   | ✓ Current |\n"
        "| < 0.1.0 | ✗         |\n"
    )
    after = update_supported_versions(before, version="0.2.0", render=simple_render)
    assert "| 0.2.x   | ✓ Current |\n| < 0.2.0 | ✗         |\n" in after


def test_filesql_608_a_line_and_earlier_row_is_refused_naming_it() -> None:
    # nao1215/filesql#608: "`0.45.x` and earlier" is no version or range cutrelease can move.
    before = security(
        "| Version | Supported | Notes |\n|---------|-----------|-------|\n"
        "| `0.46.x` | Yes | Current published release series as of August 26, 2026 |\n"
        "| `0.45.x` and earlier | No | Upgrade to the latest `0.46.x` release |\n"
    )
    with pytest.raises(FileFormatError) as caught:
        update_supported_versions(before, version="0.47.0", render=simple_render)
    assert caught.value.line == 8
    assert "'`0.45.x` and earlier' is not a version or a version range" in caught.value.message
