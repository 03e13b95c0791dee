"""files/changelog_window: a long changelog read for a release gives the release and its lint
exactly what reading the whole file gives them."""

from __future__ import annotations

import datetime

import conftest
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cutrelease.errors import CutreleaseError, FileFormatError
from cutrelease.files import changelog, changelog_window, lint, markdown
from cutrelease.patterns import compiled
from cutrelease.release.plan import FileEdit
from cutrelease.release.preview import file_diff
from cutrelease.templates import simple_render

CORPUS = conftest.CORPUS / "changelogs"
DATE = datetime.date(2026, 3, 1)


@pytest.fixture
def short_is_long(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every changelog counts as long, and the newest sections are looked for from its start:
    the corpus's files and the generated ones take the window's reading."""
    monkeypatch.setattr(changelog_window, "LONG", 0)
    monkeypatch.setattr(changelog_window, "_FIRST_READ", 16)
    monkeypatch.setattr(changelog_window, "_MOST_READ", 4)


def released(
    log: changelog.Changelog,
    version: str = "99.0.0",
    *,
    web_url: str | None = "https://github.com/acme/widget",
    prefix: str = "v",
) -> str | type[Exception]:
    """The text after releasing `version`, or the kind of error the release raised (its
    message names lines: a refused window is released again whole, as bump's plan does)."""
    newest = log.newest
    try:
        return changelog.release(
            log,
            version=version,
            previous_version=newest.heading.version if newest else None,
            date=DATE,
            tag_prefix=prefix,
            web_url=web_url,
            render=simple_render,
        )
    except CutreleaseError as exc:
        return type(exc)


def linted(before: str, after: str, log: changelog.Changelog) -> list[str]:
    problems = lint.changelog_after_release(
        before, after, path="CHANGELOG.md", old="1.0.0", new="99.0.0", tag_prefix="v", log=log
    )
    return [f"{p.line}: {p.message}" for p in problems]


def assert_same_release(text: str) -> bool:
    """The windowed reading releases `text` as the whole reading does, and lints alike;
    whether the window was taken."""
    windowed, whole = changelog_window.read(text), changelog.parse(text)
    assert windowed.render() == text
    after = released(windowed)
    assert after == released(whole)
    if isinstance(after, str):
        assert linted(text, after, windowed) == linted(text, after, whole)
    return bool(windowed.unread)


# ----------------------------------------------------------------------------- generated files

HEAD = "# Changelog\n\nAll notable changes.\n\n## [Unreleased]\n\n### Fixed\n\n- A fix.\n\n"
# Lines an older section may hold: the ordinary, and each kind that makes the window step back.
LINES = [
    "- Fixed a bug.",
    "- A [link](https://example.com) in an entry.",
    "  continued in the list item",
    "",
    "### Added",
    "#### Details",
    "Some prose.",
    "    indented code ## [8.8.8] - 2020-01-01",
    "```",
    "## [7.7.7] - 2019-01-01",
    "~~~",
    "<!-- ## [6.6.6] -->",
    "<details>",
    "[9.9.9]: https://example.com/9.9.9",
    "---",
    "===",
    " ## [5.5.5] - 2018-01-01",
    "## Contributors",
    "# Older releases",
    "## 4.4.4 (unreleased)",
    "| a | b |",
    "|---|---|",
    "\t- tabbed",
    "[link]: https://example.com",
]


def generated(
    sections: list[list[str]], *, crlf: bool, newest_first: bool, trailer: str = ""
) -> str:
    versions = [f"1.{len(sections) - n}.0" for n in range(len(sections))]
    body = "".join(
        f"## [{version}] - 2024-01-{1 + n % 28:02d}\n\n"
        + "".join(f"{line}\n" for line in lines)
        + "\n"
        for n, (version, lines) in enumerate(zip(versions, sections, strict=True))
    )
    links = [f"[Unreleased]: https://github.com/acme/widget/compare/v1.{len(sections)}.0...HEAD\n"]
    links += [f"[{v}]: https://github.com/acme/widget/compare/v{v}...v{v}\n" for v in versions]
    footer = "".join(links if newest_first else [*reversed(links[1:]), links[0]])
    text = HEAD + body + footer + trailer
    return text.replace("\n", "\r\n") if crlf else text


@pytest.mark.usefixtures("short_is_long")
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(st.sampled_from(LINES), max_size=5).map(lambda lines: ["- An entry.", *lines]),
        min_size=12,
        max_size=30,
    ),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["", "\n\n", "Thanks!\n", "[x]: https://x.example", "\n[x]: y\nstray\n"]),
)
def test_a_generated_changelog_is_released_as_read_whole(
    sections: list[list[str]], crlf: bool, newest_first: bool, trailer: str
) -> None:
    text = generated(sections, crlf=crlf, newest_first=newest_first, trailer=trailer)
    assert_same_release(text)


def test_a_line_after_the_links_reads_the_whole_file() -> None:
    """Text below the footer (a stray entry, a thank-you) ends no footer: the window steps
    back, and finding that out reads the file once, not once per link."""
    text = generated([["- An entry."]] * 3000, crlf=False, newest_first=True, trailer="Thanks!\n")
    assert not changelog_window.read(text).unread
    assert changelog_window._footer_start(text, after=0) is None


def test_a_plain_long_changelog_takes_the_window() -> None:
    sections = [["- An entry.", "- Another."]] * 3000
    text = generated(sections, crlf=False, newest_first=True)
    assert len(text) >= changelog_window.LONG
    log = changelog_window.read(text)
    assert log.unread and len(log.releases) == 3000
    assert assert_same_release(text)


@pytest.mark.parametrize("newest_first", [True, False])
def test_the_older_links_are_left_unread_in_either_order(newest_first: bool) -> None:
    text = generated([["- An entry."]] * 3000, crlf=False, newest_first=newest_first)
    log = changelog_window.read(text)
    assert [piece.text.count("\n") for piece in log.unread][1] == 2990
    assert log.link("1.5.0") is not None  # an older release's link, read when asked
    assert assert_same_release(text)


@pytest.mark.parametrize("newest_first", [True, False])
def test_lint_names_the_files_own_lines_through_the_window(newest_first: bool) -> None:
    """A problem the release would make, above and below the unread blocks, is named at the
    line the whole reading names."""
    text = generated([["- An entry."]] * 3000, crlf=False, newest_first=newest_first)
    after = released(changelog_window.read(text))
    assert isinstance(after, str)
    broken = after.replace("## [1.3000.0] - ", "## [1.2999.0] - ", 1)  # a version twice
    broken += "[0.0.1]: https://example.com/nowhere\n"  # a link without a heading
    windowed = linted(text, broken, changelog_window.read(text))
    assert windowed == linted(text, broken, changelog.parse(text))
    assert len(windowed) >= 2


@pytest.mark.parametrize(
    "line",
    ["```", "<!-- x -->", "[1.2.3]: https://example.com", "---", " ## [8.8.8] - 2020-01-01"],
)
def test_an_unsafe_line_among_the_older_sections_reads_the_whole_file(line: str) -> None:
    sections = [["- An entry."]] * 3000
    sections[1500] = ["- An entry.", line]
    text = generated(sections, crlf=False, newest_first=True)
    assert not changelog_window.read(text).unread
    assert not assert_same_release(text)


def test_a_version_already_released_among_the_older_sections_is_refused_alike() -> None:
    sections = [["- An entry."]] * 3000
    text = generated(sections, crlf=False, newest_first=True)
    log = changelog_window.read(text)
    assert log.unread
    assert released(log, "1.5.0") is FileFormatError
    assert released(changelog.parse(text), "1.5.0") is FileFormatError


# ----------------------------------------------------------------------------- the corpus


@pytest.mark.usefixtures("short_is_long")
@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is absent")
def test_the_corpus_is_released_as_read_whole() -> None:
    windowed = 0
    for path in sorted(CORPUS.glob("*.md")):
        text = path.read_bytes().decode("utf-8")
        windowed += assert_same_release(text)
    assert windowed >= 4  # the window was taken, not only stepped back from


def test_a_heading_read_at_once_reads_as_any_heading() -> None:
    """_heading's shortcut for `[1.2.3] - 2024-01-02` gives what the full reading gives."""
    parts = ["[", "]", "(", ")", "v", "V", "1", "2", "0", ".", " - ", "2024-01-02"]
    parts += ["unreleased", "x", " ", "[v1.2]", "(url)", "TBD", "rc1", "Version ", "YYYY-MM-DD"]

    @given(st.lists(st.sampled_from(parts), min_size=1, max_size=9).map("".join))
    @settings(max_examples=400)
    def check(text: str) -> None:
        for title in (text, "[" + text):
            assert changelog._heading(3, 2, title) == changelog._read_heading(3, 2, title)

    check()


@settings(max_examples=400)
@given(
    st.sampled_from(["#", "##", "######", "#######", " #", "##\t"]),
    st.sampled_from([" [1.2.3]", " [v1.2.3]", "  [1.2.3]", " [1.2]", " 1.2.3", " [1.2.3"]),
    st.lists(
        st.sampled_from(
            ["#", " #", " ##", " ", "\t", "[", "]", "(url)", "[ref]", "[]", " - 2024-01-02"]
        )
        | st.sampled_from(["TBD", "x", "\x0b", "\u00a0", "\r"]),
        max_size=5,
    ).map("".join),
    st.booleans(),
)
def test_an_older_heading_reads_as_the_whole_file_reads_it(
    marks: str, label: str, rest: str, crlf: bool
) -> None:
    """The window's own reading of the older headings (most at once: `## [1.2.3] - date`)
    gives each heading changelog.parse gives, and no other."""
    head = "# Changelog\n"
    text = f"{head}{marks}{label}{rest}\n\n- An entry.\n"
    text = text.replace("\n", "\r\n") if crlf else text
    older = changelog_window._older_headings(text, len(head) + crlf, len(text), 0)
    if older is not None:  # None: the line makes the window read the whole file
        whole = [section.heading._replace(at=0) for section in changelog.parse(text).sections]
        assert older == whole


@given(
    st.lists(st.sampled_from(["#", " ", "\t", "x", "[1.2]", "\x0b", "é", "\u00a0", "]"])).map(
        lambda parts: "#" + "".join(parts)
    )
)
def test_a_plain_heading_line_reads_as_markdown_reads_it(line: str) -> None:
    plain = compiled(changelog_window._PLAIN_ATX).fullmatch(line)
    if plain is not None:
        assert (len(plain[1]), plain[2]) == markdown.atx_heading(line)


@pytest.mark.parametrize("newest_first", [True, False])
def test_the_dry_run_diff_of_a_long_changelog_is_the_whole_diff(newest_first: bool) -> None:
    text = generated([["- An entry.", "- Another."]] * 3000, crlf=False, newest_first=newest_first)
    log = changelog_window.read(text)
    after = released(log)
    assert isinstance(after, str)
    edit = FileEdit("CHANGELOG.md", text.encode(), after.encode())
    whole = file_diff(edit)
    assert file_diff(edit._replace(unchanged=log.unread[0].text)) == whole
    assert whole.count("\n@@ ") == 2 and "+## [99.0.0] - 2026-03-01" in whole  # two hunks


def test_a_long_changelog_whose_newest_releases_have_no_links_releases() -> None:
    """Only the older releases linked (the newest twenty forgotten): lint's window of the
    newest releases used no links, so the release's one new link made "has no link" problems
    the whole file already has, and the release was refused as cutrelease's mistake."""
    count = 3000
    numbers = [f"1.{count - n}.0" for n in range(count)]
    body = "".join(f"## [{v}] - 2024-01-01\n\n- Entry of {v}, with words.\n\n" for v in numbers)
    url = "https://github.com/acme/widget/compare"
    links = "".join(f"[{v}]: {url}/v{v}...v{v}\n" for v in numbers[20:])
    text = HEAD.replace("### Fixed\n\n", "") + body + links
    for log in (changelog_window.read(text), changelog.parse(text)):
        after = released(log, "1.3001.0")
        assert isinstance(after, str)
        assert linted(text, after, log) == []
