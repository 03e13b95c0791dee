"""Tests for cutrelease.changelog: whole texts in, whole texts out."""

from __future__ import annotations

import datetime
from pathlib import Path

import conftest
import pytest
from conftest import Project
from hypothesis import given, settings
from hypothesis import strategies as st

from cutrelease.errors import FileFormatError, Refused
from cutrelease.files.changelog import (
    newest_version,
    parse,
    release,
    release_notes,
    released_versions,
    unreleased_notes,
)
from cutrelease.files.lint import check_changelog
from cutrelease.templates import make_renderer, simple_render

DATE = datetime.date(2026, 3, 1)
CORPUS = conftest.CORPUS / "changelogs"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is absent")


def cut(
    text: str,
    version: str,
    previous: str | None,
    *,
    tag_prefix: str = "v",
    web_url: str | None = None,
) -> str:
    return release(
        text,
        version=version,
        previous_version=previous,
        date=DATE,
        tag_prefix=tag_prefix,
        web_url=web_url,
        render=simple_render,
    )


def corpus(name: str) -> str:
    matches = sorted(CORPUS.glob(f"{name}-*.md"))
    assert len(matches) == 1, name
    return matches[0].read_bytes().decode("utf-8")


def edited(text: str, changes: dict[int, str]) -> str:
    """`text` with its 1-based line N replaced by changes[N] (which may hold several lines)."""
    lines = text.split("\n")
    for number, replacement in changes.items():
        lines[number - 1] = replacement
    return "\n".join(lines)


# ----------------------------------------------------------------------------- the spec example

SPEC_BEFORE = """\
# Changelog

All notable changes to this project will be documented in this file.

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),
and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).

## [Unreleased]

### Fixed

- A fix.

## [0.2.0] - 2026-01-10

### Added

- A feature.

## [0.1.0] - 2025-12-01

### Added

- The start.

[Unreleased]: https://github.com/acme/widget/compare/v0.2.0...HEAD
[0.2.0]: https://github.com/acme/widget/compare/v0.1.0...v0.2.0
[0.1.0]: https://github.com/acme/widget/releases/tag/v0.1.0
"""

SPEC_AFTER = """\
# Changelog

All notable changes to this project will be documented in this file.

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),
and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).

## [Unreleased]

## [0.2.1] - 2026-03-01

### Fixed

- A fix.

## [0.2.0] - 2026-01-10

### Added

- A feature.

## [0.1.0] - 2025-12-01

### Added

- The start.

[Unreleased]: https://github.com/acme/widget/compare/v0.2.1...HEAD
[0.2.1]: https://github.com/acme/widget/compare/v0.2.0...v0.2.1
[0.2.0]: https://github.com/acme/widget/compare/v0.1.0...v0.2.0
[0.1.0]: https://github.com/acme/widget/releases/tag/v0.1.0
"""


def test_release_gives_the_spec_example_byte_for_byte() -> None:
    assert cut(SPEC_BEFORE, "0.2.1", "0.2.0") == SPEC_AFTER


def test_a_crlf_file_stays_crlf_new_lines_included() -> None:
    crlf = SPEC_BEFORE.replace("\n", "\r\n")
    assert cut(crlf, "0.2.1", "0.2.0") == SPEC_AFTER.replace("\n", "\r\n")


def test_a_utf8_bom_is_kept() -> None:
    assert cut("\ufeff" + SPEC_BEFORE, "0.2.1", "0.2.0") == "\ufeff" + SPEC_AFTER


def test_trailing_spaces_and_odd_bytes_elsewhere_are_untouched() -> None:
    before = SPEC_BEFORE.replace("- A feature.", "- A feature.  \u2028x\x85y\x0c")
    after = SPEC_AFTER.replace("- A feature.", "- A feature.  \u2028x\x85y\x0c")
    assert cut(before, "0.2.1", "0.2.0") == after


def test_no_final_newline_stays_so_when_the_new_link_goes_last() -> None:
    before = (
        "## [Unreleased]\n\n- Two.\n\n## [0.2.0] - 2024-02-02\n\n- One.\n\n"
        "## [0.1.0] - 2024-01-01\n\n"
        "[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0\n"
        "[0.2.0]: https://github.com/o/r/compare/v0.1.0...v0.2.0"
    )
    after = (
        "## [Unreleased]\n\n## [0.3.0] - 2026-03-01\n\n- Two.\n\n## [0.2.0] - 2024-02-02\n\n"
        "- One.\n\n## [0.1.0] - 2024-01-01\n\n"
        "[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0\n"
        "[0.2.0]: https://github.com/o/r/compare/v0.1.0...v0.2.0\n"
        "[0.3.0]: https://github.com/o/r/compare/v0.2.0...v0.3.0"
    )
    assert cut(before, "0.3.0", "0.2.0") == after


# ----------------------------------------------------------------------------- heading styles

STYLE_BEFORE = """\
# Changelog

{unreleased}

- New.

{newest}

- Old.
"""


@pytest.mark.parametrize(
    ("newest", "expected"),
    [
        ("## [1.2.3] - 2024-01-02", "## [1.2.4] - 2026-03-01"),
        ("## 1.2.3 - 2024-01-02", "## 1.2.4 - 2026-03-01"),
        ("## [1.2.3] – 2024-01-02", "## [1.2.4] – 2026-03-01"),
        ("## [1.2.3] — 2024-01-02", "## [1.2.4] — 2026-03-01"),
        ("## [1.2.3] (2024-01-02)", "## [1.2.4] (2026-03-01)"),
        ("## 1.2.3 (2024-01-02)", "## 1.2.4 (2026-03-01)"),
        ("## [1.2.3] 2024-01-02", "## [1.2.4] 2026-03-01"),
        ("## [1.2.3] - 2024/01/02", "## [1.2.4] - 2026/03/01"),
        ("## [1.2.3] - 2024-1-2", "## [1.2.4] - 2026-3-1"),
        ("## [1.2.3] - 01-27-2024", "## [1.2.4] - 03-01-2026"),
        ("## [1.2.3] - 27.01.2024", "## [1.2.4] - 01.03.2026"),
        ("## 1.2.3 (27th August, 2024)", "## 1.2.4 (1st March, 2026)"),
        ("## Version 1.2.3 (February 25, 2016)", "## Version 1.2.4 (March 1, 2026)"),
        ("### [1.2.3] - 2024-01-02", "### [1.2.4] - 2026-03-01"),
        ("# v1.2.3", "# v1.2.4"),
        ("## v1.2.3 - 2024-01-02", "## v1.2.4 - 2026-03-01"),
        ("## [v1.2.3] - 2024-01-02", "## [v1.2.4] - 2026-03-01"),
        ("## 1.2.3", "## 1.2.4"),
        ("## [1.2.3] - 2024-01-02 - YANKED", "## [1.2.4] - 2026-03-01"),
        ("## 1.2.3 - 2024-01-02 [YANKED]", "## 1.2.4 - 2026-03-01"),
        ("## [1.2.3] - early in 2024", "## [1.2.4] - 2026-03-01"),
    ],
)
def test_the_release_heading_follows_the_newest_heading(newest: str, expected: str) -> None:
    before = STYLE_BEFORE.format(unreleased="## Unreleased", newest=newest)
    after = STYLE_BEFORE.format(unreleased=f"## Unreleased\n\n{expected}", newest=newest)
    assert cut(before, "1.2.4", "1.2.3") == after


@pytest.mark.parametrize(
    "unreleased",
    [
        "## Unreleased",
        "## [unreleased]",
        "## [Unreleased] - ReleaseDate",
        "## [Unreleased] - yyyy-mm-dd",
        "## **unreleased**",
        "### Unreleased  ",
    ],
)
def test_the_unreleased_heading_stays_as_written(unreleased: str) -> None:
    before = STYLE_BEFORE.format(unreleased=unreleased, newest="## [1.0.0] - 2024-01-02")
    fresh = f"{unreleased}\n\n## [1.0.1] - 2026-03-01"
    after = STYLE_BEFORE.format(unreleased=fresh, newest="## [1.0.0] - 2024-01-02")
    assert cut(before, "1.0.1", "1.0.0") == after


def test_the_blank_lines_before_the_newest_heading_are_copied() -> None:
    before = "## Unreleased\n- New.\n\n\n## 1.0.0\n- Old.\n"
    after = "## Unreleased\n\n\n## 1.0.1\n- New.\n\n\n## 1.0.0\n- Old.\n"
    assert cut(before, "1.0.1", "1.0.0") == after


def test_a_first_release_gets_the_keep_a_changelog_heading() -> None:
    before = "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- Everything.\n"
    after = (
        "# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2026-03-01\n\n### Added\n\n- Everything.\n"
    )
    assert cut(before, "0.1.0", None) == after


def test_a_numbered_unreleased_heading_becomes_the_release_heading() -> None:
    before = "# 2.17 (unreleased)\n\n* New.\n\n# 2.16 (2026-02-01)\n\n* Old.\n"
    after = "# 2.17 (2026-03-01)\n\n* New.\n\n# 2.16 (2026-02-01)\n\n* Old.\n"
    assert cut(before, "2.17.0", "2.16.0") == after


def test_a_numbered_unreleased_heading_gets_only_its_release_link() -> None:
    before = "## [0.41.0] UNRELEASED\n- New.\n\n## [0.40.1] 2023-06-20\n- Old.\n"
    after = "## [0.41.0] 2026-03-01\n- New.\n\n## [0.40.1] 2023-06-20\n- Old.\n"  # no links: none
    assert cut(before, "0.41.0", "0.40.1", web_url="https://github.com/google/yapf") == after
    linked = before + "\n[0.40.1]: https://github.com/google/yapf/compare/v0.40.0...v0.40.1\n"
    assert "[0.41.0]: https://github.com/google/yapf/compare/v0.40.1...v0.41.0\n" in cut(
        linked, "0.41.0", "0.40.1", web_url="https://github.com/google/yapf"
    )


def test_a_numbered_unreleased_link_becomes_the_release_link() -> None:
    before = (
        "## [0.41.0] - Unreleased\n\n- New.\n\n## [0.40.1] - 2023-06-20\n\n- Old.\n\n"
        "[0.41.0]: https://github.com/o/r/compare/v0.40.1...HEAD\n"
        "[0.40.1]: https://github.com/o/r/compare/v0.40.0...v0.40.1\n"
    )
    after = (
        "## [0.41.0] - 2026-03-01\n\n- New.\n\n## [0.40.1] - 2023-06-20\n\n- Old.\n\n"
        "[0.41.0]: https://github.com/o/r/compare/v0.40.1...v0.41.0\n"
        "[0.40.1]: https://github.com/o/r/compare/v0.40.0...v0.40.1\n"
    )
    assert cut(before, "0.41.0", "0.40.1") == after


def test_inline_heading_links_are_moved_on() -> None:
    before = (
        "## [Unreleased](https://github.com/o/r/compare/1.0.0...HEAD)\n\n- New.\n\n"
        "## [1.0.0](https://github.com/o/r/compare/0.9.0...1.0.0) - 2024-01-02\n\n- Old.\n"
    )
    after = (
        "## [Unreleased](https://github.com/o/r/compare/1.1.0...HEAD)\n\n"
        "## [1.1.0](https://github.com/o/r/compare/1.0.0...1.1.0) - 2026-03-01\n\n- New.\n\n"
        "## [1.0.0](https://github.com/o/r/compare/0.9.0...1.0.0) - 2024-01-02\n\n- Old.\n"
    )
    assert cut(before, "1.1.0", "1.0.0", tag_prefix="") == after


# ----------------------------------------------------------------------------- links

LINKS_BEFORE = """\
## [Unreleased]

- New.

## [1.2.3] - 2024-01-02

- Old.

[Unreleased]: {unreleased}
[1.2.3]: https://example.org/older
"""

LINKS_AFTER = """\
## [Unreleased]

## [1.2.4] - 2026-03-01

- New.

## [1.2.3] - 2024-01-02

- Old.

[Unreleased]: {unreleased}
[1.2.4]: {release}
[1.2.3]: https://example.org/older
"""


@pytest.mark.parametrize(
    ("old", "new", "release_link"),
    [
        (
            "https://github.com/o/r/compare/v1.2.3...HEAD",
            "https://github.com/o/r/compare/v1.2.4...HEAD",
            "https://github.com/o/r/compare/v1.2.3...v1.2.4",
        ),
        (
            "https://gitlab.com/g/sub/r/-/compare/v1.2.3...HEAD",
            "https://gitlab.com/g/sub/r/-/compare/v1.2.4...HEAD",
            "https://gitlab.com/g/sub/r/-/compare/v1.2.3...v1.2.4",
        ),
        (
            "https://bitbucket.org/o/r/branches/compare/HEAD%0Dv1.2.3",
            "https://bitbucket.org/o/r/branches/compare/HEAD%0Dv1.2.4",
            "https://bitbucket.org/o/r/branches/compare/v1.2.4%0Dv1.2.3",
        ),
        (
            "https://bitbucket.org/o/r/branches/compare/develop..v1.2.3#diff",
            "https://bitbucket.org/o/r/branches/compare/develop..v1.2.4#diff",
            "https://bitbucket.org/o/r/branches/compare/v1.2.4..v1.2.3#diff",
        ),
        (
            "https://codeberg.org/o/r/compare/v1.2.3...main",
            "https://codeberg.org/o/r/compare/v1.2.4...main",
            "https://codeberg.org/o/r/compare/v1.2.3...v1.2.4",
        ),
        (
            "https://git.example.com/o/r/compare/v1.2.3...develop",
            "https://git.example.com/o/r/compare/v1.2.4...develop",
            "https://git.example.com/o/r/compare/v1.2.3...v1.2.4",
        ),
        (  # a stale link: the caller's previous version wins
            "https://github.com/o/r/compare/v1.0.0...master",
            "https://github.com/o/r/compare/v1.2.4...master",
            "https://github.com/o/r/compare/v1.2.3...v1.2.4",
        ),
    ],
)
def test_compare_links_are_learned_from_the_unreleased_link(
    old: str, new: str, release_link: str
) -> None:
    before = LINKS_BEFORE.format(unreleased=old)
    after = LINKS_AFTER.format(unreleased=new, release=release_link)
    assert cut(before, "1.2.4", "1.2.3") == after


def test_an_unreleased_link_that_is_no_compare_is_left_alone() -> None:
    before = (
        "## [Unreleased]\n\n- New.\n\n## [1.0.0] - 2024-01-02\n\n- Old.\n\n"
        "[Unreleased]: https://github.com/o/r/commits/main\n"
        "[1.0.0]: https://github.com/o/r/compare/v0.9.0...v1.0.0\n"
    )
    after = (
        "## [Unreleased]\n\n## [1.0.1] - 2026-03-01\n\n- New.\n\n## [1.0.0] - 2024-01-02\n\n"
        "- Old.\n\n"
        "[Unreleased]: https://github.com/o/r/commits/main\n"
        "[1.0.1]: https://github.com/o/r/compare/v1.0.0...v1.0.1\n"
        "[1.0.0]: https://github.com/o/r/compare/v0.9.0...v1.0.0\n"
    )
    assert cut(before, "1.0.1", "1.0.0") == after


NO_FOOTER = "## [Unreleased]\n\n- New.\n\n## [1.0.0] - 2024-01-02\n\n- Old.\n"


@pytest.mark.parametrize(
    ("web_url", "footer"),
    [
        (
            "https://github.com/o/r",
            "[Unreleased]: https://github.com/o/r/compare/v1.0.1...HEAD\n"
            "[1.0.1]: https://github.com/o/r/compare/v1.0.0...v1.0.1\n",
        ),
        (
            "https://gitlab.com/o/r",
            "[Unreleased]: https://gitlab.com/o/r/-/compare/v1.0.1...HEAD\n"
            "[1.0.1]: https://gitlab.com/o/r/-/compare/v1.0.0...v1.0.1\n",
        ),
        (
            "https://bitbucket.org/o/r",
            "[Unreleased]: https://bitbucket.org/o/r/branches/compare/HEAD%0Dv1.0.1\n"
            "[1.0.1]: https://bitbucket.org/o/r/branches/compare/v1.0.1%0Dv1.0.0\n",
        ),
    ],
)
def test_with_no_footer_the_links_come_from_the_remote(web_url: str, footer: str) -> None:
    """A file whose only release has no link yet (Unreleased only, or a first release) gets
    its footer from the remote."""
    first = NO_FOOTER.replace("\n\n## [1.0.0] - 2024-01-02\n\n- Old.", "")
    after = "## [Unreleased]\n\n## [1.0.1] - 2026-03-01\n\n- New.\n\n" + footer
    assert cut(first, "1.0.1", "1.0.0", web_url=web_url) == after


def test_releases_written_as_links_without_any_get_none_from_the_remote() -> None:
    """A link for the new release alone would leave 1.0.0's heading unlinked, which bump
    check refuses: the file keeps its style, no links (a new user's trial found this)."""
    after = (
        "## [Unreleased]\n\n## [1.0.1] - 2026-03-01\n\n- New.\n\n## [1.0.0] - 2024-01-02\n\n"
        "- Old.\n"
    )
    assert cut(NO_FOOTER, "1.0.1", "1.0.0", web_url="https://github.com/o/r") == after


def test_with_neither_footer_nor_remote_no_link_is_written() -> None:
    after = (
        "## [Unreleased]\n\n## [1.0.1] - 2026-03-01\n\n- New.\n\n## [1.0.0] - 2024-01-02\n\n"
        "- Old.\n"
    )
    assert cut(NO_FOOTER, "1.0.1", "1.0.0") == after


def test_a_first_release_links_to_its_tag_page() -> None:
    before = "## [Unreleased]\n\n- Everything.\n"
    after = (
        "## [Unreleased]\n\n## [0.1.0] - 2026-03-01\n\n- Everything.\n\n"
        "[Unreleased]: https://github.com/o/r/compare/v0.1.0...HEAD\n"
        "[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0\n"
    )
    assert cut(before, "0.1.0", None, web_url="https://github.com/o/r") == after


def test_links_sitting_under_each_heading_stay_there() -> None:
    before = (
        "## [Unreleased]\n\n- New.\n\n"
        "## [0.2.0] (2024-02-02)\n[0.2.0]: https://github.com/o/r/compare/v0.1.0...v0.2.0\n\n"
        "- Old.\n\n"
        "## [0.1.0] (2024-01-01)\n[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0\n\n"
        "- Older.\n"
    )
    after = (
        "## [Unreleased]\n\n"
        "## [0.2.1] (2026-03-01)\n[0.2.1]: https://github.com/o/r/compare/v0.2.0...v0.2.1\n\n"
        "- New.\n\n"
        "## [0.2.0] (2024-02-02)\n[0.2.0]: https://github.com/o/r/compare/v0.1.0...v0.2.0\n\n"
        "- Old.\n\n"
        "## [0.1.0] (2024-01-01)\n[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0\n\n"
        "- Older.\n"
    )
    assert cut(before, "0.2.1", "0.2.0") == after


# ----------------------------------------------------------------------------- markdown structure

FENCED = """\
## [Unreleased]

### Changed

```sh
# not a heading
## [0.9.0] - 2020-01-01
```

<!--
## [0.8.0] - 2019-01-01
-->

## [1.0.0] - 2024-01-02

- Old.
"""


def test_fenced_code_and_comments_are_not_headings() -> None:
    after = FENCED.replace("## [Unreleased]\n", "## [Unreleased]\n\n## [1.0.1] - 2026-03-01\n", 1)
    assert released_versions(FENCED) == ["1.0.0"]
    assert cut(FENCED, "1.0.1", "1.0.0") == after


def test_an_unreleased_body_of_code_only_counts_as_content() -> None:
    assert unreleased_notes(FENCED) == (
        "### Changed\n\n```sh\n# not a heading\n## [0.9.0] - 2020-01-01\n```\n\n"
        "<!--\n## [0.8.0] - 2019-01-01\n-->"
    )


# The heading of a list item (CommonMark: not a document heading), ../shared/repro/r6.
IN_A_LIST_ITEM = """\
# Changelog

## [Unreleased]

- New heading style, for example:
  ## [8.8.8] - 2020-01-01
- Another change.

## [0.2.0] - 2026-01-10

- The widget.

[Unreleased]: https://github.com/acme/widget/compare/v0.2.0...HEAD
[0.2.0]: https://github.com/acme/widget/compare/v0.1.0...v0.2.0
"""


def test_a_heading_in_a_list_item_is_no_release() -> None:
    assert newest_version(IN_A_LIST_ITEM) == "0.2.0"
    assert released_versions(IN_A_LIST_ITEM) == ["0.2.0"]
    assert (
        cut(IN_A_LIST_ITEM, "0.2.1", "0.2.0")
        == """\
# Changelog

## [Unreleased]

## [0.2.1] - 2026-03-01

- New heading style, for example:
  ## [8.8.8] - 2020-01-01
- Another change.

## [0.2.0] - 2026-01-10

- The widget.

[Unreleased]: https://github.com/acme/widget/compare/v0.2.1...HEAD
[0.2.1]: https://github.com/acme/widget/compare/v0.2.0...v0.2.1
[0.2.0]: https://github.com/acme/widget/compare/v0.1.0...v0.2.0
"""
    )


def test_a_heading_in_a_list_item_is_released_on_a_real_repository(project: Project) -> None:
    project.write("CHANGELOG.md", IN_A_LIST_ITEM)
    project.commit_all("a list item with a heading in it")
    project.push()
    run = project.bump("patch", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert project.read("CHANGELOG.md") == cut(IN_A_LIST_ITEM, "0.2.1", "0.2.0")
    assert project.remote_git("tag", "-l") == "v0.2.1\n"


def test_a_version_heading_in_fenced_code_is_no_release() -> None:
    # In a list item the code is indented with the item: a line at column 0 would end the item,
    # and its code block with it (CommonMark), making `## [9.9.9]` a heading after all.
    example = "- A fix, with a changelog as example:\n\n  ~~~md\n  ## [9.9.9]\n  ~~~\n"
    text = SPEC_BEFORE.replace("- A fix.\n", example).replace(
        "- The start.\n", "```\n## [9.9.9] - 2030-01-01\n```\n"
    )
    assert released_versions(text) == ["0.2.0", "0.1.0"]
    assert cut(text, "0.2.1", "0.2.0") == SPEC_AFTER.replace("- A fix.\n", example).replace(
        "- The start.\n", "```\n## [9.9.9] - 2030-01-01\n```\n"
    )


# ----------------------------------------------------------------------------- the link footer

INIT = """\
# Changelog

## [Unreleased]

[Unreleased]: https://github.com/o/r/compare/v0.1.0...HEAD
- A new knob.
"""


@pytest.mark.parametrize(
    ("text", "line", "entry"),
    [
        (INIT, 6, "- A new knob."),  # `bump init`'s file, an entry appended: the natural edit
        (SPEC_BEFORE + "\n- Below the links.\n", 30, "- Below the links."),
        (
            SPEC_BEFORE.replace("\n[0.2.0]:", "\n- Amid the links.\n[0.2.0]:"),
            27,
            "- Amid the links.",
        ),
    ],
)
def test_entries_below_the_link_footer_are_refused(text: str, line: int, entry: str) -> None:
    assert refusal(text, "0.2.1", "0.2.0") == (
        f"CHANGELOG.md:{line}: {entry!r} is below the link definitions at the end of the file, "
        "where it belongs to no section. Move it above the links, under the heading of its "
        "release (or Unreleased)."
    )


def test_text_after_the_footer_that_is_no_entry_stays_where_it_is() -> None:
    tail = "\n<!-- generated links above -->\n\n[Keep a Changelog]: https://keepachangelog.com/\n"
    assert cut(SPEC_BEFORE + tail, "0.2.1", "0.2.0") == SPEC_AFTER + tail


def test_links_in_the_notes_move_but_version_links_stay_with_unreleased() -> None:
    before = (
        "## [Unreleased]\n[Unreleased]: https://github.com/o/r/compare/v1.0.0...HEAD\n\n"
        "- Fixed [#12].\n\n[#12]: https://github.com/o/r/issues/12\n\n"
        "## [1.0.0] - 2024-01-02\n[1.0.0]: https://github.com/o/r/releases/tag/v1.0.0\n\n"
        "- Old.\n"
    )
    after = (
        "## [Unreleased]\n[Unreleased]: https://github.com/o/r/compare/v1.0.1...HEAD\n\n"
        "## [1.0.1] - 2026-03-01\n[1.0.1]: https://github.com/o/r/compare/v1.0.0...v1.0.1\n\n"
        "- Fixed [#12].\n\n[#12]: https://github.com/o/r/issues/12\n\n"
        "## [1.0.0] - 2024-01-02\n[1.0.0]: https://github.com/o/r/releases/tag/v1.0.0\n\n"
        "- Old.\n"
    )
    assert cut(before, "1.0.1", "1.0.0") == after


FOOTER = """\
# Changelog

{unreleased}

- New.

{newest}

- Old.

[{label}]: https://github.com/o/r/compare/v1.2.2...v1.2.3
"""


@pytest.mark.parametrize(
    ("unreleased", "newest", "label", "heading", "new_label"),
    [
        ("## Unreleased", "## v1.2.3", "v1.2.3", "## v1.2.4", "v1.2.4"),
        ("## Unreleased", "## v1.2.3 - 2024-01-02", "1.2.3", "## v1.2.4 - 2026-03-01", "1.2.4"),
        ("## [Unreleased]", "## 1.2.3 (2024-01-02)", "1.2.3", "## 1.2.4 (2026-03-01)", "1.2.4"),
        ("## **unreleased**", "## [1.2.3]", "1.2.3", "## [1.2.4]", "1.2.4"),
    ],
)
def test_a_footer_with_a_link_per_release_gets_the_new_one_whatever_the_headings(
    unreleased: str, newest: str, label: str, heading: str, new_label: str
) -> None:
    before = FOOTER.format(unreleased=unreleased, newest=newest, label=label)
    after = FOOTER.format(unreleased=f"{unreleased}\n\n{heading}", newest=newest, label=label)
    link = f"[{new_label}]: https://github.com/o/r/compare/v1.2.3...v1.2.4\n"
    assert cut(before, "1.2.4", "1.2.3") == after.replace(f"[{label}]:", f"{link}[{label}]:")


def test_a_release_under_an_umbrella_heading_goes_under_it_with_its_link() -> None:
    before = """\
# Changelog

## [Unreleased]

- New.

## Releases

### [1.2.3] - 2024-01-02

- Old.

[1.2.3]: https://github.com/o/r/compare/v1.2.2...v1.2.3
"""
    after = """\
# Changelog

## [Unreleased]

## Releases

### [1.2.4] - 2026-03-01

- New.

### [1.2.3] - 2024-01-02

- Old.

[1.2.4]: https://github.com/o/r/compare/v1.2.3...v1.2.4
[1.2.3]: https://github.com/o/r/compare/v1.2.2...v1.2.3
"""
    assert unreleased_notes(before) == "- New."
    assert cut(before, "1.2.4", "1.2.3") == after


# ----------------------------------------------------------------------------- templates


def test_templates_can_be_overridden_and_get_the_learned_style(tmp_path: Path) -> None:
    (tmp_path / "changelog_release.md.j2").write_text(
        "{{ level }} {{ label }} / {{ version }} / {{ tag }} / {{ previous_version }}"
        " / {{ previous_tag }} / {{ iso_date }} / {{ date }} / {{ bracketed }} / {{ link }}"
        " / {{ dated }} / [{{ separator }}] / [{{ date_end }}]\n"
    )
    (tmp_path / "changelog_unreleased.md.j2").write_text(
        "{{ level }} {{ label }} ({{ bracketed }}, {{ link }}) was: {{ heading }}\n"
    )
    (tmp_path / "changelog_links.md.j2").write_text(
        "[{{ label }}]: <{{ url }}> ({{ version }} {{ tag }})\n"
    )
    before = (
        "## [Unreleased]\n\n- New.\n\n## [v1.0.0] (2024/01/02)\n\n- Old.\n\n"
        "[Unreleased]: https://github.com/o/r/compare/v1.0.0...HEAD\n"
    )
    after = (
        "## Unreleased (True, None) was: ## [Unreleased]\n\n"
        "## v1.1.0 / 1.1.0 / v1.1.0 / 1.0.0 / v1.0.0 / 2026-03-01 / 2026/03/01 / True / None"
        " / True / [ (] / [)]\n\n"
        "- New.\n\n## [v1.0.0] (2024/01/02)\n\n- Old.\n\n"
        "[Unreleased]: https://github.com/o/r/compare/v1.1.0...HEAD\n"
        "[v1.1.0]: <https://github.com/o/r/compare/v1.0.0...v1.1.0> (1.1.0 v1.1.0)\n"
    )
    text = release(
        before,
        version="1.1.0",
        previous_version="1.0.0",
        date=DATE,
        tag_prefix="v",
        web_url=None,
        render=make_renderer(tmp_path),
    )
    assert text == after


# ----------------------------------------------------------------------------- refusals


def refusal(text: str, version: str = "1.0.1", previous: str | None = "1.0.0") -> str:
    with pytest.raises(FileFormatError) as caught:
        cut(text, version, previous)
    return str(caught.value)


def test_no_unreleased_section_is_refused() -> None:
    assert refusal("# Changelog\n\n## [1.0.0] - 2024-01-02\n\n- Old.\n") == (
        "CHANGELOG.md:3: there is no Unreleased section above the newest release, "
        "'## [1.0.0] - 2024-01-02'. Add a '## [Unreleased]' section there, with the changes."
    )


def test_an_unreleased_section_with_empty_placeholders_is_refused() -> None:
    text = "# Changelog\n\n## [Unreleased]\n\n### Added\n\n### Fixed\n\n## [1.0.0] - 2024-01-02\n"
    assert refusal(text) == (
        "CHANGELOG.md:3: the Unreleased section is empty: there is nothing to release. "
        "Write the changes of this release under it."
    )


def test_an_unreleased_section_below_a_release_is_refused() -> None:
    text = "## [1.0.0] - 2024-01-02\n\n- Old.\n\n## [Unreleased]\n\n- New.\n"
    assert refusal(text) == (
        "CHANGELOG.md:5: the Unreleased section comes after release 1.0.0 (line 1). "
        "Move it above the newest release."
    )


def test_a_version_already_in_the_file_is_refused() -> None:
    text = "## [Unreleased]\n\n- New.\n\n## [1.0.1] - 2024-02-02\n\n## [1.0.0] - 2024-01-02\n"
    assert refusal(text) == (
        "CHANGELOG.md:5: version 1.0.1 is already released here. Release a new version."
    )


def test_a_numbered_unreleased_heading_for_another_version_is_refused() -> None:
    text = "## 2.0.0 — unreleased\n\n- New.\n\n## 1.0.0\n\n- Old.\n"
    assert refusal(text) == (
        "CHANGELOG.md:1: the Unreleased section is headed for version 2.0.0, not 1.0.1. "
        "Rename its heading for 1.0.1, or release 2.0.0."
    )


# ----------------------------------------------------------------------------- reading


def test_reading_versions_and_notes() -> None:
    assert newest_version(SPEC_BEFORE) == "0.2.0"
    assert released_versions(SPEC_BEFORE) == ["0.2.0", "0.1.0"]
    assert unreleased_notes(SPEC_BEFORE) == "### Fixed\n\n- A fix."
    assert release_notes(SPEC_BEFORE, "0.2.0") == "### Added\n\n- A feature."
    assert release_notes(SPEC_BEFORE, "v0.1.0") == "### Added\n\n- The start."
    assert newest_version("# Changelog\n\n## [Unreleased]\n\n- New.\n") is None


def test_pre_releases_and_prefixes_are_versions() -> None:
    text = (
        "## [Unreleased]\n\n## [1.0.0rc1] - 2024-03-03\n\n## v0.2.2-alpha.2\n\n"
        "## 0.13.0.dev2 (March 1st, 2024)\n\n## [15.0.0b5](https://x/tree/15.0.0b5) - 2015-12-10\n"
    )
    assert released_versions(text) == ["1.0.0rc1", "0.2.2-alpha.2", "0.13.0.dev2", "15.0.0b5"]


def test_release_notes_of_an_unknown_version_names_the_known_ones() -> None:
    with pytest.raises(Refused) as caught:
        release_notes(SPEC_BEFORE, "9.9.9")
    assert str(caught.value) == (
        "CHANGELOG.md has no section for version 9.9.9; it has 0.2.0, 0.1.0. "
        "Ask for one of those versions."
    )


def test_unreleased_notes_of_placeholders_only_is_empty() -> None:
    text = "## [Unreleased]\n\n### Added\n\n### Fixed\n\n## [1.0.0] - 2024-01-02\n"
    assert unreleased_notes(text) == ""


def test_unreleased_notes_without_an_unreleased_section_is_refused() -> None:
    with pytest.raises(FileFormatError) as caught:
        unreleased_notes("## 1.0.0\n")
    assert caught.value.message == (
        "CHANGELOG.md:1: there is no Unreleased section above the newest release, '## 1.0.0'."
    )


# ----------------------------------------------------------------------------- the corpus

ARGON2 = "https://github.com/hynek/argon2-cffi/compare"
LOCHAC = "https://bitbucket.org/dtkerr/lochac-sendb/branches/compare"
LDASH = "https://codeberg.org/md-weber/hledger_dashboard"
BMI160 = "https://github.com/eldruin/bmi160-rs/compare"
PYO3 = "https://github.com/pyo3/pyo3/compare"
JUPYTER = "https://github.com/jupyter-server/jupyter_server"


@needs_corpus
@pytest.mark.parametrize(
    ("name", "version", "previous", "tag_prefix", "changes"),
    [
        ("02", "0.99.11", "0.99.10", "v", {9: "## Unreleased\n\n## 0.99.11 - 2026-03-01"}),
        (
            "03",
            "21.4.0",
            "21.3.0",
            "",
            {
                26: f"## [Unreleased]({ARGON2}/21.4.0...HEAD)\n\n\n"
                f"## [21.4.0]({ARGON2}/21.3.0...21.4.0) - 2026-03-01"
            },
        ),
        (
            "05",
            "2.9.4",
            "2.9.3",
            "v",
            {
                8: "## [Unreleased]\n\n## [2.9.4] - 2026-03-01",
                238: f"[unreleased]: {LOCHAC}/develop..v2.9.4\n[2.9.4]: {LOCHAC}/v2.9.4..v2.9.3",
            },
        ),
        (
            "06",
            "0.1.0",
            None,
            "v",
            {
                8: "## [Unreleased]\n\n## [0.1.0] - 2026-03-01",
                32: f"[Unreleased]: {LDASH}/compare/v0.1.0...HEAD\n"
                f"[0.1.0]: {LDASH}/releases/tag/v0.1.0",
            },
        ),
        ("11", "1.2.1", "1.2.0", "", {3: "## **unreleased**\n\n## 1.2.1"}),
        ("13", "2.17.0", "2.16", "", {1: "# 2.17 (2026-03-01)"}),
        ("14", "9.0.0", "8.0.4", "v", {1: "## 9.0.0"}),
        ("18", "0.4.1", "0.4.0", "", {7: "## [Unreleased]\n\n## 0.4.1 - 2026-03-01"}),
        ("20", "0.12.0", "0.11.1", "", {7: "## Unreleased\n\n## [0.12.0] - 2026/03/01"}),
        (
            "23",
            "0.2.0",
            "0.1.2",
            "v",
            {
                8: "## [Unreleased]\n\n## [0.2.0] - 2026-03-01",
                28: f"[Unreleased]: {BMI160}/v0.2.0...HEAD\n[0.2.0]: {BMI160}/v0.1.2...v0.2.0",
            },
        ),
        ("25", "0.41.0", "0.40.1", "v", {5: "## [0.41.0] 2026-03-01"}),
        (
            "26",
            "1.2.0",
            "1.1.4",
            "",
            {8: "## [Unreleased] - yyyy-mm-dd\n\n## [1.2.0] - 2026-03-01"},
        ),
        ("27", "0.1.0", None, "", {6: "## [0.1.0] - 2026-03-01"}),
        (
            "28",
            "0.4.2",
            "0.4.1",
            "v",
            {
                7: "## Unreleased\n\n## [0.4.2] - 2026-03-01",
                170: f"[0.4.2]: {PYO3}/v0.4.1...v0.4.2\n[0.4.1]: {PYO3}/v0.4.0...v0.4.1",
            },
        ),
        ("29", "0.28.0", "0.27.2", "", {7: "## Unreleased\n\n## 0.28.0 (1st March, 2026)"}),
        (
            "30",
            "1.3.0",
            "1.2.1",
            "",
            {8: f"## [Unreleased]\n\n## [1.3.0]({JUPYTER}/tree/1.3.0) (2026-03-01)"},
        ),
    ],
)
def test_corpus_files_release(
    name: str, version: str, previous: str | None, tag_prefix: str, changes: dict[int, str]
) -> None:
    original = corpus(name)
    after = cut(original, version, previous, tag_prefix=tag_prefix)
    assert after == edited(original, changes)


@needs_corpus
def test_a_corpus_file_without_links_gets_a_footer_from_the_remote() -> None:
    original = corpus("18")
    last = original.split("\n")[51]
    web = "https://github.com/florimondmanca/httpx-sse"
    after = cut(original, "0.4.1", "0.4.0", web_url=web)
    assert after == edited(
        original,
        {
            7: "## [Unreleased]\n\n## 0.4.1 - 2026-03-01",
            52: f"{last}\n\n[Unreleased]: {web}/compare/v0.4.1...HEAD",
        },
    )


GITLAB = "https://gitlab.com/smspp/sddpblock/-/compare"
MDCAT = "https://github.com/lunaryorn/mdcat/compare"
CORTEX = "https://github.com/rust-embedded/cortex-m-rt/compare"
KNIGHT = "https://github.com/KnightHacks/hackathon-2021-backend/compare"
WXOPS = "https://gitea.xeusnguyen.xyz/platform-team/wxops-core"


@needs_corpus
@pytest.mark.parametrize(
    ("name", "entry", "version", "previous", "tag_prefix", "changes"),
    [
        (  # GitLab links against `develop`, tags without `v`
            "01",
            {11: "\n- A new test.\n"},
            "0.6.1",
            "0.6.0",
            "",
            {
                8: "## [Unreleased]\n\n## [0.6.1] - 2026-03-01",
                11: "\n- A new test.\n",
                161: f"[Unreleased]: {GITLAB}/0.6.1...develop\n[0.6.1]: {GITLAB}/0.6.0...0.6.1",
            },
        ),
        (  # en dash, oldest link first, `mdcat-` tags, no blank line after headings
            "07",
            {7: "## [Unreleased]\n### Fixed\n- A fix."},
            "0.11.1",
            "0.11.0",
            "mdcat-",
            {
                7: "## [Unreleased]\n\n## [0.11.1] – 2026-03-01\n### Fixed\n- A fix.",
                172: f"[0.11.1]: {MDCAT}/mdcat-0.11.0...mdcat-0.11.1\n"
                f"[Unreleased]: {MDCAT}/mdcat-0.11.1...HEAD",
            },
        ),
        (  # `v` inside the brackets and in the link labels
            "10",
            {8: "## [Unreleased]\n\n### Fixed\n\n- A fix."},
            "0.6.13",
            "0.6.12",
            "v",
            {
                8: "## [Unreleased]\n\n## [v0.6.13] - 2026-03-01\n\n### Fixed\n\n- A fix.",
                477: f"[Unreleased]: {CORTEX}/v0.6.13...HEAD\n"
                f"[v0.6.13]: {CORTEX}/v0.6.12...v0.6.13",
            },
        ),
        (  # H1 headings, no dates, no links; the file's spacing is kept
            "19",
            {4: "\n- A change."},
            "0.8.1",
            "0.8.0",
            "v",
            {1: "# unreleased\n\n\n\n# v0.8.1", 4: "\n- A change."},
        ),
        (  # link definitions separated by blank lines
            "24",
            {17: "## [Unreleased]\n\n### Fixed\n\n-   A fix."},
            "2.1.6",
            "2.1.5",
            "",
            {
                17: "## [Unreleased]\n\n## [2.1.6] - 2026-03-01\n\n### Fixed\n\n-   A fix.",
                220: f"[Unreleased]: {KNIGHT}/2.1.6...HEAD\n\n[2.1.6]: {KNIGHT}/2.1.5...2.1.6",
            },
        ),
        (  # em dash, headings glued to the text above, `[Unreleased]:` defined last
            "22",
            {17: "---\n## [Unreleased]\n\n- A change."},
            "0.2.8",
            "0.2.7",
            "v",
            {
                17: "---\n## [Unreleased]\n## [0.2.8] — 2026-03-01\n\n- A change.",
                # Every release links to its tag page: so does the new one (issue 27, r20).
                159: f"[0.2.8]: {WXOPS}/releases/tag/v0.2.8\n[0.2.7]: {WXOPS}/releases/tag/v0.2.7",
                169: f"[Unreleased]: {WXOPS}/compare/v0.2.8...HEAD",
            },
        ),
    ],
)
def test_corpus_files_release_once_they_have_an_entry(
    name: str,
    entry: dict[int, str],
    version: str,
    previous: str,
    tag_prefix: str,
    changes: dict[int, str],
) -> None:
    original = corpus(name)
    after = cut(edited(original, entry), version, previous, tag_prefix=tag_prefix)
    assert after == edited(original, changes)


def no_unreleased_at(line: int, heading: str) -> str:
    return (
        f"CHANGELOG.md:{line}: there is no Unreleased section above the newest release, "
        f"{heading!r}. Add a '## [Unreleased]' section there, with the changes."
    )


CRC32C_NEWEST = (
    "## [1.8.0rc1](https://github.com/googleapis/python-crc32c/compare/v1.7.1...v1.8.0rc1)"
    " (2025-12-09)"
)


def empty_at(line: int) -> str:
    return (
        f"CHANGELOG.md:{line}: the Unreleased section is empty: there is nothing to release. "
        "Write the changes of this release under it."
    )


@needs_corpus
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("01", empty_at(8)),  # only empty `### Added/Changed/Fixed` placeholders
        (
            "04",
            no_unreleased_at(7, "## [1.0.0] – 2017-09-10"),
        ),  # an `[unreleased]:` link but no section
        ("07", empty_at(7)),
        ("08", no_unreleased_at(7, "## [0.1.7] (2024-06-03)")),
        ("09", no_unreleased_at(11, "### [0.2.2-alpha.2] (2021-08-18)")),
        ("10", empty_at(8)),
        ("12", no_unreleased_at(1, "## Version 4.1.0 (February 25, 2016)")),
        ("15", no_unreleased_at(3, "## 8.0.0 (2020-05-27)")),
        ("16", no_unreleased_at(3, "## [0.0.3] - 2023-05-18")),
        ("17", no_unreleased_at(27, "### v0.12.5")),  # `# A.B.C` in an HTML comment is no heading
        ("19", empty_at(1)),  # empty `## Changes` placeholders under `# unreleased`
        ("21", no_unreleased_at(7, CRC32C_NEWEST)),
        ("22", no_unreleased_at(18, "## [0.2.7] — 2026-06-30")),
        ("24", empty_at(17)),
    ],
)
def test_corpus_files_that_cannot_be_released_are_refused(name: str, message: str) -> None:
    text = corpus(name)
    previous = newest_version(text)
    with pytest.raises(FileFormatError) as caught:
        cut(text, "99.0.0", previous)
    assert str(caught.value) == message


@needs_corpus
@pytest.mark.parametrize(
    ("name", "newest", "count"),
    [
        ("01", "0.6.0", 10),
        ("02", "0.99.10", 23),
        ("03", "21.3.0", 16),
        ("06", None, 0),
        ("08", "0.1.7", 13),  # `## Added` at H2 inside 0.1.7 is no release
        ("09", "0.2.2-alpha.2", 13),
        ("10", "0.6.12", 43),
        ("12", "4.1.0", 20),
        ("13", "2.16", 56),  # `# 2.17 (unreleased)` is not released
        ("14", "8.0.4", 48),
        ("15", "8.0.0", 27),  # `# In <6.0.0 ...` inside a fence is no heading
        ("17", "0.12.5", 19),
        ("21", "1.8.0rc1", 18),  # 1.1.4 is headed twice, and counted twice
        ("25", "0.40.1", 54),
        ("27", None, 0),  # `## [0.1.0] - 2023-MM-DD` is not out yet
        ("29", "0.27.2", 75),
        ("30", "1.2.1", 12),
    ],
)
def test_corpus_versions(name: str, newest: str | None, count: int) -> None:
    text = corpus(name)
    assert newest_version(text) == newest
    assert len(released_versions(text)) == count


@needs_corpus
def test_corpus_version_lists_and_notes() -> None:
    assert released_versions(corpus("16")) == ["0.0.3", "0.0.2", "0.0.1"]
    assert released_versions(corpus("09")) == [
        *("0.2.2-alpha.2", "0.2.2-alpha.1", "0.2.2-alpha.0", "0.2.1", "0.2.0", "0.2.0-beta.0"),
        *("0.2.0-alpha.1", "0.2.0-alpha.0", "0.1.3", "0.1.2", "0.1.1", "0.1.0", "0.0.1"),
    ]
    bmi160 = corpus("23")
    assert unreleased_notes(bmi160) == "### Breaking changes\n- Updated to `embedded-hal` 1.0."
    assert release_notes(bmi160, "0.1.1") == (
        "### Changed\n- Make `SlaveAddr::addr` public.\n- Updated MSRV to version 1.62.0."
    )
    assert release_notes(bmi160, "0.1.0") == "Initial release to crates.io."
    cortex = corpus("10")
    assert release_notes(cortex, "0.4.0") == "\n".join(cortex.split("\n")[210:238])
    assert release_notes(cortex, "v0.1.0") == "Initial release"
    assert unreleased_notes(corpus("01")) == ""


# ----------------------------------------------------------------------------- size


def test_a_two_megabyte_changelog_is_released_whole() -> None:
    # Correctness at size only; its speed is measured by benchmarks/bench.py, not here.
    sections = [
        f"## [1.{i}.0] - 2024-01-02\n\n### Added\n\n- {'x' * 990}\n\n" for i in range(2000, 0, -1)
    ]
    links = [
        f"[1.{i}.0]: https://github.com/o/r/compare/v1.{i - 1}.0...v1.{i}.0\n"
        for i in range(2000, 0, -1)
    ]
    unreleased = "[Unreleased]: https://github.com/o/r/compare/v1.2000.0...HEAD\n"
    text = "".join(["## [Unreleased]\n\n- New.\n\n", *sections, unreleased, *links])
    assert len(text) > 2_000_000
    after = cut(text, "1.2001.0", "1.2000.0")
    notes = release_notes(text, "1.1.0")
    assert notes == f"### Added\n\n- {'x' * 990}"
    assert after == "".join(
        [
            "## [Unreleased]\n\n## [1.2001.0] - 2026-03-01\n\n- New.\n\n",
            *sections,
            "[Unreleased]: https://github.com/o/r/compare/v1.2001.0...HEAD\n",
            "[1.2001.0]: https://github.com/o/r/compare/v1.2000.0...v1.2001.0\n",
            *links,
        ]
    )


# ----------------------------------------------------------------------------- issue 27: style


def test_a_full_reference_heading_gets_a_reference_of_its_own() -> None:
    before = (
        "## [Unreleased][unreleased]\n\n- A fix.\n\n## [0.2.0][v0.2.0] - 2026-01-10\n\n- Old.\n\n"
        "[unreleased]: https://github.com/o/r/compare/v0.2.0...HEAD\n"
        "[v0.2.0]: https://github.com/o/r/compare/v0.1.0...v0.2.0\n"
    )
    after = (
        "## [Unreleased][unreleased]\n\n## [0.2.1][v0.2.1] - 2026-03-01\n\n- A fix.\n\n"
        "## [0.2.0][v0.2.0] - 2026-01-10\n\n- Old.\n\n"
        "[unreleased]: https://github.com/o/r/compare/v0.2.1...HEAD\n"
        "[v0.2.1]: https://github.com/o/r/compare/v0.2.0...v0.2.1\n"
        "[v0.2.0]: https://github.com/o/r/compare/v0.1.0...v0.2.0\n"
    )
    assert cut(before, "0.2.1", "0.2.0") == after


def test_a_collapsed_reference_heading_stays_collapsed() -> None:
    before = (
        "## [Unreleased][]\n\n- A fix.\n\n## [0.2.0][] - 2026-01-10\n\n- Old.\n\n"
        "[Unreleased]: https://github.com/o/r/compare/v0.2.0...HEAD\n"
        "[0.2.0]: https://github.com/o/r/compare/v0.1.0...v0.2.0\n"
    )
    released = cut(before, "0.2.1", "0.2.0")
    assert "## [0.2.1][] - 2026-03-01\n" in released
    assert "[0.2.1]: https://github.com/o/r/compare/v0.2.0...v0.2.1\n" in released


def test_a_reference_that_names_no_version_gives_a_plain_heading() -> None:
    before = (
        "## [Unreleased]\n\n- A fix.\n\n## [0.2.0][2] - 2026-01-10\n\n- Old.\n\n"
        "[Unreleased]: https://github.com/o/r/compare/v0.2.0...HEAD\n"
        "[2]: https://github.com/o/r/compare/v0.1.0...v0.2.0\n"
    )
    released = cut(before, "0.2.1", "0.2.0")
    assert "## [0.2.1] - 2026-03-01\n" in released
    assert "[0.2.1]: https://github.com/o/r/compare/v0.2.0...v0.2.1\n" in released


TAG_PAGES = """\
## [Unreleased]

- A fix.

## [0.2.0] - 2026-01-10

- The widget.

## [0.1.0] - 2026-01-01

- First.

[Unreleased]: https://github.com/o/r/compare/v0.2.0...HEAD
[0.2.0]: {newest}
[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0
"""


@pytest.mark.parametrize(
    ("newest", "new"),
    [  # every release links to its tag page: so does the new one
        (
            "https://github.com/o/r/releases/tag/v0.2.0",
            "https://github.com/o/r/releases/tag/v0.2.1",
        ),
        # the newest release compares: the first one's tag page told nothing
        (
            "https://github.com/o/r/compare/v0.1.0...v0.2.0",
            "https://github.com/o/r/compare/v0.2.0...v0.2.1",
        ),
    ],
)
def test_release_links_follow_the_releases_links(newest: str, new: str) -> None:
    released = cut(TAG_PAGES.format(newest=newest), "0.2.1", "0.2.0")
    assert (
        f"[Unreleased]: https://github.com/o/r/compare/v0.2.1...HEAD\n[0.2.1]: {new}\n" in released
    )


def test_an_older_release_link_decides_when_the_newest_has_none() -> None:
    before = TAG_PAGES.replace("[0.2.0]: {newest}\n", "")  # its link forgotten
    before = before.replace("[Unreleased]: https://github.com/o/r/compare/v0.2.0...HEAD\n", "")
    before = before.replace("## [0.1.0]", "## [0.1.1] - 2025-12-01\n\n- Fix.\n\n## [0.1.0]")
    before = before.replace(
        "[0.1.0]:", "[0.1.1]: https://gitlab.example.com/o/r/-/compare/v0.1.0...v0.1.1\n[0.1.0]:"
    )
    released = cut(before, "0.2.1", "0.2.0")
    assert "[0.2.1]: https://gitlab.example.com/o/r/-/compare/v0.2.0...v0.2.1\n" in released


AZURE = "https://dev.azure.com/acme/proj/_git/widget"


def test_azure_devops_compare_links_move_with_the_release() -> None:
    before = (
        "## [Unreleased]\n\n- A fix.\n\n## [0.2.0] - 2026-01-10\n\n- Old.\n\n"
        f"[Unreleased]: {AZURE}/branchCompare?baseVersion=GTv0.2.0&targetVersion=GBmain\n"
        f"[0.2.0]: {AZURE}/branchCompare?baseVersion=GTv0.1.0&targetVersion=GTv0.2.0\n"
    )
    after = (
        "## [Unreleased]\n\n## [0.2.1] - 2026-03-01\n\n- A fix.\n\n"
        "## [0.2.0] - 2026-01-10\n\n- Old.\n\n"
        f"[Unreleased]: {AZURE}/branchCompare?baseVersion=GTv0.2.1&targetVersion=GBmain\n"
        f"[0.2.1]: {AZURE}/branchCompare?baseVersion=GTv0.2.0&targetVersion=GTv0.2.1\n"
        f"[0.2.0]: {AZURE}/branchCompare?baseVersion=GTv0.1.0&targetVersion=GTv0.2.0\n"
    )
    assert cut(before, "0.2.1", "0.2.0") == after


@pytest.mark.parametrize(
    ("unreleased", "newest", "line", "why"),
    [
        (
            "https://example.com/diff?from=v0.2.0&to=main",
            "https://github.com/o/r/compare/v0.1.0...v0.2.0",
            9,
            "the Unreleased link, https://example.com/diff?from=v0.2.0&to=main, names v0.2.0",
        ),
        (
            None,
            "https://example.com/diff?from=v0.1.0&to=v0.2.0",
            9,
            "the link of release 0.2.0, https://example.com/diff?from=v0.1.0&to=v0.2.0, is in a "
            "shape cutrelease cannot follow",
        ),
    ],
)
def test_a_link_that_cannot_be_moved_is_refused(
    unreleased: str | None, newest: str, line: int, why: str
) -> None:
    heading, link = (
        ("## [Unreleased]", f"[Unreleased]: {unreleased}\n")
        if unreleased
        else ("## Unreleased", "")
    )
    before = (
        f"{heading}\n\n- A fix.\n\n## [0.2.0] - 2026-01-10\n\n- Old.\n\n{link}[0.2.0]: {newest}\n"
    )
    with pytest.raises(FileFormatError) as caught:
        cut(before, "0.2.1", "0.2.0")
    assert caught.value.line == line
    assert why in caught.value.message


DAY_FIRST = """\
## [Unreleased]

- A fix.

## [0.3.0] - {newest}

- Newer.

## [0.2.0] - {older}

- Old.
"""


@pytest.mark.parametrize(
    ("newest", "older", "written"),
    [
        ("03.04.2025", "25.12.2024", "01.03.2026"),  # an older date above 12 tells: day first
        ("03.04.2025", "12.25.2024", "03.01.2026"),  # ... or month first
        ("03.04.2025", "05.06.2024", "03.01.2026"),  # nothing tells: month first
        ("2025-11-12", "2024-1-5", "2026-3-1"),  # an older date tells it is not padded
        ("2025-11-12", "2024-01-05", "2026-03-01"),
    ],
)
def test_the_date_style_is_learned_from_every_release(
    newest: str, older: str, written: str
) -> None:
    released = cut(DAY_FIRST.format(newest=newest, older=older), "0.3.1", "0.3.0")
    assert f"## [0.3.1] - {written}\n" in released


SETEXT = """\
Changelog
=========

[Unreleased]
------------

### Fixed

- A fix.

[0.2.0] - 2026-01-10
--------------------

- The widget.

[Unreleased]: https://github.com/o/r/compare/v0.2.0...HEAD
[0.2.0]: https://github.com/o/r/compare/v0.1.0...v0.2.0
"""


def test_setext_headings_are_read_and_written_as_commonmark_reads_them() -> None:
    assert unreleased_notes(SETEXT) == "### Fixed\n\n- A fix."
    assert released_versions(SETEXT) == ["0.2.0"]
    assert cut(SETEXT, "0.2.1", "0.2.0") == SETEXT.replace(
        "------------\n\n### Fixed",
        "------------\n\n[0.2.1] - 2026-03-01\n--------------------\n\n### Fixed",
    ).replace(
        "v0.2.0...HEAD\n",
        "v0.2.1...HEAD\n[0.2.1]: https://github.com/o/r/compare/v0.2.0...v0.2.1\n",
    )


def test_a_setext_underline_of_its_own_length_is_copied() -> None:
    text = "Unreleased\n---\n\n- New.\n\n1.0.0\n-----\n\n- Old.\n"
    assert cut(text, "1.0.1", "1.0.0") == (
        "Unreleased\n---\n\n1.0.1\n-----\n\n- New.\n\n1.0.0\n-----\n\n- Old.\n"
    )


LINKS_UNDER_HEADINGS = """\
# Changelog

## [Unreleased]

[Unreleased]: https://github.com/acme/big/compare/v0.0.2...HEAD

### Fixed

- Newest fix.

## [0.0.2] - 2010-01-03

[0.0.2]: https://github.com/acme/big/compare/v0.0.1...v0.0.2

### Added

- Feature 2.

## [0.0.1] - 2010-01-02

[0.0.1]: https://github.com/acme/big/releases/tag/v0.0.1

### Added

- Feature 1.
"""


def test_links_a_blank_line_under_their_headings_release_in_that_style() -> None:
    """Each version's link under its heading, a blank line between: it was refused, the
    oldest's entries taken for entries below the links at the end."""
    after = cut(LINKS_UNDER_HEADINGS, "0.0.3", "0.0.2")
    assert after == LINKS_UNDER_HEADINGS.replace(
        "[Unreleased]: https://github.com/acme/big/compare/v0.0.2...HEAD\n",
        "[Unreleased]: https://github.com/acme/big/compare/v0.0.3...HEAD\n\n"
        "## [0.0.3] - 2026-03-01\n\n"
        "[0.0.3]: https://github.com/acme/big/compare/v0.0.2...v0.0.3\n",
    )
    assert check_changelog(after, path="CHANGELOG.md", version="0.0.3", tag_prefix="v") == []


# Lines a changelog is made of, the deeper and shallower version headings among them.
_PIECES = [
    "# [1.1.0]",
    "## [1.0.0]",
    "### [0.9.0]",
    "# 7.4 Changelog",
    "## [Unreleased]",
    "- x",
    "",
    "[1.1.0]: https://e/1.1.0",
    "[1.0.0]: https://e/1.0.0",
    "[Unreleased]: https://e/HEAD",
    "### Fixed",
    "```",
    "---",
    "text",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_a_changelog_is_written_back_as_read(pieces: list[str]) -> None:
    """Every line is in one part (head, a section, the footer) once: PowerShell's
    `# 7.4 Changelog` over `## [7.4.1]` with per-section links had its footer start above the
    last version heading, and lines written twice."""
    text = "".join(f"{piece}\n" for piece in pieces)
    assert parse(text).render() == text


def test_a_deeper_version_heading_after_per_section_links_keeps_its_lines() -> None:
    text = (
        "# [1.1.0]\n\n- x\n\n[1.1.0]: https://e/1.1.0\n\n## [1.0.0]\n\n[1.0.0]: https://e/1.0.0\n"
    )
    log = parse(text)
    assert log.render() == text
    assert [s.heading.version for s in log.sections] == ["1.1.0", "1.0.0"]


def test_a_newest_release_without_entries_keeps_its_link_at_the_end() -> None:
    """Blank lines and then the links at the end, under a newest release with no entries:
    its link is no link under its heading, and the new one goes to the end too."""
    before = (
        "# Changelog\n\n## [Unreleased]\n\n- A fix.\n\n## [0.2.0] - 2024-01-02\n\n\n"
        "[Unreleased]: https://github.com/a/b/compare/v0.2.0...HEAD\n"
        "[0.2.0]: https://github.com/a/b/releases/tag/v0.2.0\n"
    )
    after = cut(before, "0.2.1", "0.2.0")
    assert after.endswith(
        "[Unreleased]: https://github.com/a/b/compare/v0.2.1...HEAD\n"
        "[0.2.1]: https://github.com/a/b/compare/v0.2.0...v0.2.1\n"
        "[0.2.0]: https://github.com/a/b/releases/tag/v0.2.0\n"
    )
    assert "## [0.2.1] - 2026-03-01\n\n- A fix.\n" in after
