"""markdown: one reader of lines, checked on whole texts against what CommonMark says."""

from __future__ import annotations

import pytest

from cutrelease.files import markdown
from cutrelease.files.markdown import Heading, Kind


def kinds(text: str) -> str:
    """One letter per line: the kinds of `text`, for whole-text expectations."""
    letters = {
        Kind.TEXT: "t",
        Kind.BLANK: "_",
        Kind.HEADING: "H",
        Kind.UNDERLINE: "=",
        Kind.LINK_DEF: "L",
        Kind.CODE: "c",
        Kind.COMMENT: "!",
        Kind.TABLE_ROW: "|",
    }
    return "".join(letters[kind] for kind in markdown.read(text).kinds)


@pytest.mark.parametrize(
    "text",
    [
        *("", "a", "a\n", "a\r\nb\r\n", "a\u2028b\nc\x0cd\n\x85e", "\n\n", "x\ry\n", "\ufeff# T\n"),
        *("a\nb\u2028", "a\n\r", "\r", "\x0c\n", "a\n\u2029\u2029", "a\r\n\r", "a\r\nb\x1c"),
    ],
)
def test_split_lines_gives_the_text_back_and_splits_on_newline_only(text: str) -> None:
    lines = markdown.split_lines(text)
    assert "".join(lines) == text
    assert all(line.endswith("\n") for line in lines[:-1])
    assert all("\n" not in line[:-1] for line in lines)
    assert len(lines) == text.count("\n") + (0 if text.endswith("\n") or not text else 1)


def test_a_heading_in_a_list_item_is_not_a_document_heading() -> None:
    text = (
        "# Changelog\n"
        "\n"
        "## [Unreleased]\n"
        "\n"
        "- New heading style, for example:\n"
        "  ## [8.8.8] - 2020-01-01\n"
        "- Another change.\n"
        "  1. nested\n"
        "     ### [7.7.7]\n"
        " ## [0.2.0] - 2026-01-10\n"
    )
    document = markdown.read(text)
    assert [heading.text for heading in document.headings] == [
        "Changelog",
        "[Unreleased]",
        "[0.2.0] - 2026-01-10",
    ]
    assert kinds(text) == "H_H_tttttH"


def test_a_fence_with_an_info_string_does_not_close_a_code_block() -> None:
    text = (
        "# Security Policy\n"
        "```\n"
        "example:\n"
        "```python\n"
        "## Supported Versions\n"
        "```\n"
        "\n"
        "Supported Versions\n"
        "==================\n"
        "\n"
        "| Version | Supported |\n"
        "| ------- | --------- |\n"
    )
    document = markdown.read(text)
    assert document.headings == [
        Heading(0, 1, "Security Policy"),
        Heading(7, 1, "Supported Versions", setext=True),
    ]
    assert kinds(text) == "Hccccc_H=_||"


def test_fences_comments_and_indented_code() -> None:
    text = (
        "~~~~\n"
        "# not a heading\n"
        "~~~\n"
        "~~~~~\n"
        "<!-- a comment\n"
        "## not a heading\n"
        "-->\n"
        "\n"
        "    # indented code\n"
        "text\n"
        "    # lazy continuation\n"
        "#no space is text\n"
        "####### seven is text\n"
        "## closed ##\n"
    )
    document = markdown.read(text)
    assert kinds(text) == "cccc!!!_cttttH"
    assert document.headings == [Heading(13, 2, "closed")]


def test_an_unclosed_fence_runs_to_the_end() -> None:
    assert kinds("a\n```\n# b\n\n[x]: y\n") == "tcccc"


def test_link_definitions_first_wins_case_insensitive() -> None:
    text = "[Unreleased]: https://a/compare/v1...HEAD\n[unreleased]: https://b\n[x]:\n"
    document = markdown.read(text)
    assert kinds(text) == "LLt"
    definition = document.link("UNRELEASED")
    assert definition is not None
    assert (definition.at, definition.url) == (0, "https://a/compare/v1...HEAD")


def test_setext_takes_the_whole_paragraph_and_dashes_alone_are_a_break() -> None:
    # CommonMark (and markdown-it-py): every line of the paragraph above `===` is the heading.
    text = "Title\n---\n\n---\n- item\n---\nline one\nline two\n===\n"
    document = markdown.read(text)
    assert [(h.at, h.level, h.text, h.end) for h in document.headings] == [
        (0, 2, "Title", 2),
        (6, 1, "line one\nline two", 9),
    ]
    assert kinds(text) == "H=_tttHH="


def test_crlf_and_bom_are_read_as_their_lines() -> None:
    text = "\ufeff# Changelog\r\n\r\n## [1.0.0] - 2026-01-01\r\n"
    document = markdown.read(text)
    assert [h.text for h in document.headings] == ["Changelog", "[1.0.0] - 2026-01-01"]
    assert kinds(text) == "H_H"
    assert markdown.content(document.lines[2]) == "## [1.0.0] - 2026-01-01"


def test_every_link_definition_is_listed_in_order_repeats_included() -> None:
    text = "[b]: https://b\n```\n[c]: https://c\n```\n[B]: https://b2\n- [d]: https://d\n"
    document = markdown.read(text)
    assert [(d.at, d.label, d.url) for d in document.definitions] == [
        (0, "b", "https://b"),
        (4, "B", "https://b2"),
    ]
    assert document.link("b") == document.definitions[0]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "[Unreleased]: https://a/compare/v1...HEAD\r\n",
            ("Unreleased", "https://a/compare/v1...HEAD"),
        ),
        ("   [1.0.0]: <https://a/tag/v1.0.0>\n", ("1.0.0", "https://a/tag/v1.0.0")),
        ("[x]:\n", None),
        ("    [x]: https://indented.code\n", None),
        ("- [x]: https://y\n", None),
    ],
)
def test_link_definition_reads_one_line(line: str, expected: tuple[str, str] | None) -> None:
    assert markdown.link_definition(line) == expected


def test_underlines_are_found_among_list_items_that_are_not_looked_at() -> None:
    # List items are skipped unless they end like an underline could: the answers stay.
    text = "Title\n---  \n\n- a -\n- b\n\nOther\n===\t\n- c\n-\n"
    assert kinds(text) == "H=_tt_H=tt"
    assert [h.text for h in markdown.read(text).headings] == ["Title", "Other"]
