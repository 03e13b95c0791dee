"""files/changelog_window, hunted: real long changelogs, and situations rebuilt from public
reports, released through the window and read whole. The release (changelog.release), the lint
after it and the dry run's diff must be the whole reading's, and `bump` must commit what the
whole reading releases. Each way they differed, found so, is a constant below naming it (all
fixed since), with the smallest text that shows it in its tests."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import conftest
import pytest
from conftest import PYPROJECT, Project, Run
from test_changelog_window import released
from test_preview import _apply

from cutrelease import versions
from cutrelease.errors import FileFormatError
from cutrelease.files import changelog, changelog_window, lint, markdown, prereleases
from cutrelease.release.plan import FileEdit
from cutrelease.release.preview import file_diff
from cutrelease.templates import simple_render

FIXTURES = Path(__file__).parent / "fixtures" / "long"
#: The real texts: each project's CHANGELOG.md at that commit, byte for byte.
SOURCES = {
    "textual.md": "Textualize/textual@1d99508b928a",
    "rich.md": "Textualize/rich@42899d8a0a96",
    "composer.md": "composer/composer@eba7baa59eb1",
    "eslint-plugin-import.md": "import-js/eslint-plugin-import@950393edcbd1",
    "PerformanceMonitor.md": "erikdarlingdata/PerformanceMonitor@d429e447092e",
    "rubocop.md": "rubocop/rubocop@3a42c6221717",
}
DATE = datetime.date(2026, 3, 1)
URL = "https://github.com/acme/widget"


@pytest.fixture
def short_is_long(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every changelog counts as long, and its newest sections are looked for from its start
    (as in tests/test_changelog_window.py): short texts take the window too. A bump run in this
    process (Project.bump) reads through the window alike."""
    monkeypatch.setattr(changelog_window, "LONG", 0)
    monkeypatch.setattr(changelog_window, "_FIRST_READ", 16)
    monkeypatch.setattr(changelog_window, "_MOST_READ", 4)


# ----------------------------------------------------------------------------- the comparison


def _next(version: str) -> str:
    return versions.bump(versions.parse(version), "patch")


def assert_same(
    text: str, version: str | None = None, *, web_url: str | None = URL, prefix: str = "v"
) -> bool:
    """The windowed reading of `text` releases `version` (the next patch) as the whole reading
    does, lints after it alike, and the dry run's diff is the whole one; whether the window
    was taken."""
    windowed, whole = changelog_window.read(text), changelog.parse(text)
    assert windowed.render() == text
    assert whole.newest is not None
    old = whole.newest.heading.version or ""
    new = version or _next(old)
    after = released(windowed, new, web_url=web_url, prefix=prefix)
    assert after == released(whole, new, web_url=web_url, prefix=prefix)
    if isinstance(after, str):
        linted = [
            lint.changelog_after_release(
                text, after, path="CHANGELOG.md", old=old, new=new, tag_prefix=prefix, log=log
            )
            for log in (windowed, whole)
        ]
        assert linted[0] == linted[1]
        if windowed.unread:
            edit = FileEdit("CHANGELOG.md", text.encode(), after.encode())
            assert file_diff(edit._replace(unchanged=windowed.unread[0].text)) == file_diff(edit)
    return bool(windowed.unread)


def _bump(
    tmp_path: Path, text: str, command: str = "patch", *, version: str | None = None
) -> tuple[Project, Run, Run]:
    """A real project (git, bare remote) at the changelog's newest version (or `version`),
    holding `text` as its CHANGELOG.md: (project, its dry run, its real release)."""
    project = conftest.make_project(tmp_path, security=False)
    newest = changelog.parse(text).newest
    assert newest is not None
    old = version or newest.heading.version
    pyproject = PYPROJECT.replace('version = "0.2.0"', f'version = "{old}"')
    project.write("pyproject.toml", pyproject + '\n[tool.cutrelease]\nsecurity = ""\n')
    project.write("CHANGELOG.md", text)
    project.commit_all("a long changelog")
    project.push()
    dry = project.bump(command, "--dry-run", "--date", DATE.isoformat())
    return project, dry, project.bump(command, "--yes", "--date", DATE.isoformat())


def _whole_release(text: str, version: str, *, prefix: str = "v") -> str:
    """What releasing `version` from the whole reading of `text` writes, as bump does it (the
    remote is a local path: no web URL; a final after pre-releases folds them first)."""
    log = changelog.parse(text)
    if prereleases.of_line(log, version):
        log = changelog.parse(prereleases.fold(log, version))
    newest = log.newest
    return changelog.release(
        log,
        version=version,
        previous_version=newest.heading.version if newest else None,
        date=DATE,
        tag_prefix=prefix,
        web_url=None,
        render=simple_render,
        allow_empty=True,
    )


def _changelog_diff(dry_run: str) -> str:
    """The CHANGELOG.md part of a dry run's output."""
    diff = dry_run[dry_run.index("--- a/CHANGELOG.md\n") :]
    return diff[: diff.index("\ngit ") + 1]


def _as_captured(diff: str) -> str:
    """A diff as bump's captured output shows it: click's runner (as a pipe read as text)
    gives CRLF back as LF."""
    return diff.replace("\r\n", "\n")


def assert_bump_writes_the_whole_release(tmp_path: Path, text: str, command: str = "patch") -> None:
    """`bump COMMAND` on a real repository holding `text` commits (and its dry run shows)
    what the whole reading releases."""
    project, dry, run = _bump(tmp_path, text, command)
    assert dry.code == 0, dry.err
    assert run.code == 0, run.err
    tag = project.git("describe", "--tags", "--abbrev=0").strip()
    new = project.git("show", "HEAD:pyproject.toml").split('version = "', 1)[1].split('"', 1)[0]
    expected = _whole_release(text, new, prefix=tag.removesuffix(new))
    assert project.read("CHANGELOG.md") == expected
    assert project.git("status", "--porcelain") == ""  # committed as it is
    edit = FileEdit("CHANGELOG.md", text.encode(), expected.encode())
    assert _changelog_diff(dry.out) == _as_captured(file_diff(edit))


# ----------------------------------------------------------------------------- texts


def _kac(
    count: int,
    *,
    section: Callable[[int, str], str] | None = None,
    links: Callable[[list[str]], list[str]] | None = None,
    head: str = "# Changelog\n\nAll notable changes.\n\n",
    unreleased: str = "## [Unreleased]\n\n### Fixed\n\n- A fix.\n\n",
) -> str:
    """A Keep a Changelog file of `count` releases (1.COUNT.0 newest), each section written by
    `section(index, version)`, the footer's definitions (newest first) by `links`."""
    numbers = [f"1.{count - i}.0" for i in range(count)]

    def plain(index: int, version: str) -> str:
        return (
            f"## [{version}] - 2024-01-{1 + index % 28:02d}\n\n### Fixed\n\n"
            f"- Entry {index} of {version}, with the words a real entry has.\n\n"
        )

    defs = [f"[Unreleased]: {URL}/compare/v{numbers[0]}...HEAD"]
    defs += [
        f"[{version}]: {URL}/compare/v{numbers[i + 1] if i + 1 < count else '0.0.0'}...v{version}"
        for i, version in enumerate(numbers)
    ]
    body = "".join((section or plain)(i, version) for i, version in enumerate(numbers))
    footer = "".join(f"{line}\n" for line in (links(defs) if links else defs))
    return head + unreleased + body + footer


def _long(count: int = 2600, **options: object) -> str:
    text = _kac(count, **options)  # type: ignore[arg-type]
    assert len(text) >= changelog_window.LONG
    return text


def _real(name: str) -> str:
    return (FIXTURES / name).read_bytes().decode("utf-8")


def _releasable(text: str) -> str:
    """`text` with an Unreleased section holding an entry, as a maintainer writes one before
    a release: above the newest release, in its style, when the file has none."""
    log = changelog.parse(text)
    newline, lines = log.newline, markdown.split_lines(text)
    if log.unreleased is not None:
        if not log.unreleased.has_entries:
            at = log.unreleased.at + log.unreleased.heading.height
            lines[at:at] = [newline, f"- A fix.{newline}"]
        return "".join(lines)
    assert log.newest is not None
    heading = log.newest.heading
    title = "[Unreleased]" if heading.bracketed else "Unreleased"
    new = [f"{'#' * heading.level} {title}", "", "- A fix.", ""]
    lines[heading.at : heading.at] = [line + newline for line in new]
    return "".join(lines)


def _footer(text: str) -> tuple[str, list[str]]:
    """(everything up to the footer's definitions, the definitions) of an LF text."""
    log = changelog.parse(text)
    lines = markdown.split_lines(text)
    start = log.footer.at
    while start < len(lines) and not lines[start].strip():
        start += 1
    return "".join(lines[:start]), [line for line in lines[start:] if line.strip()]


def _is_unreleased_link(line: str) -> bool:
    return line.lower().startswith("[unreleased]:")


MUTATIONS: dict[str, Callable[[str], str]] = {
    "as written": lambda text: text,
    "CRLF": lambda text: text.replace("\n", "\r\n") if "\r\n" not in text else text,
    "BOM": lambda text: "\ufeff" + text,
    "no final newline": lambda text: text.removesuffix("\n").removesuffix("\r"),
    "a blank line at the end": lambda text: text + ("\r\n" if "\r\n" in text else "\n"),
    "links oldest first": lambda text: _footer(text)[0] + "".join(reversed(_footer(text)[1])),
    "links apart": lambda text: _footer(text)[0] + "\n".join(_footer(text)[1]),
    "another link first": lambda text: (
        _footer(text)[0] + "[homepage]: https://example.com\n" + "".join(_footer(text)[1])
    ),
    "another link last": lambda text: text + "[homepage]: https://example.com\n",
    "no Unreleased link": lambda text: (
        _footer(text)[0]
        + "".join(line for line in _footer(text)[1] if not _is_unreleased_link(line))
    ),
}
# The footer's mutations are of LF texts; PerformanceMonitor's is CRLF as written.
REAL = [
    (name, mutation)
    for name in ("textual.md", "composer.md", "eslint-plugin-import.md", "rubocop.md")
    for mutation in MUTATIONS
] + [
    ("PerformanceMonitor.md", mutation)
    for mutation in ("as written", "BOM", "no final newline", "a blank line at the end")
]


# ----------------------------------------------------------------------------- real changelogs


@pytest.mark.usefixtures("short_is_long")
@pytest.mark.parametrize(("name", "mutation"), REAL)
def test_a_real_changelog_is_released_through_the_window_as_read_whole(
    name: str, mutation: str
) -> None:
    """Textual's and composer's Keep a Changelog files (composer heads its releases `###`),
    eslint-plugin-import's, rubocop's (an HTML comment in its head, a footer of thousands of
    contributors' links) and PerformanceMonitor's (CRLF; its Unreleased section is headed for
    2.10.0), as written and as a maintainer might have them instead."""
    text = MUTATIONS[mutation](_releasable(_real(name)))
    version = "2.10.0" if name == "PerformanceMonitor.md" else None
    assert assert_same(text, version, web_url=None)
    assert assert_same(text, version)


def test_every_real_text_names_where_it_comes_from() -> None:
    assert sorted(path.name for path in FIXTURES.glob("*.md")) == sorted(SOURCES)


def test_rubocop_at_its_real_size_is_released_as_read_whole() -> None:
    """518 KB, over LONG: at the real thresholds."""
    text = _releasable(_real("rubocop.md"))
    assert len(text) >= changelog_window.LONG
    assert_same(text, web_url=None)


@pytest.mark.usefixtures("short_is_long")
def test_bump_commits_a_real_changelog_as_the_whole_reading_releases_it(tmp_path: Path) -> None:
    text = _releasable(_real("textual.md"))
    assert changelog_window.read(text).unread
    assert_bump_writes_the_whole_release(tmp_path, text)


APPENDED = (
    "the release's new link is added before the older releases' links left unread (as one "
    "block at the footer's end) instead of after them: Unread(from_end=True) counts its place "
    "from the footer's end, and an appended line moves that end"
)


@pytest.mark.usefixtures("short_is_long")
def test_rich_whose_newest_releases_have_no_link_is_released_as_read_whole() -> None:
    """Textualize/rich as written: 14.3.3 and 14.3.2 have no link definition, and no
    Unreleased link; the release appends its link to the footer."""
    assert assert_same(_releasable(_real("rich.md")), web_url=None)


@pytest.mark.usefixtures("short_is_long")
def test_composer_without_its_newest_link_is_released_as_read_whole() -> None:
    base, links = _footer(_releasable(_real("composer.md")))
    assert links[0].startswith("[2.10.2]: ")
    assert assert_same(base + "".join(links[1:]), web_url=None)


@pytest.mark.usefixtures("short_is_long")
def test_bump_commits_rich_as_the_whole_reading_releases_it(tmp_path: Path) -> None:
    assert_bump_writes_the_whole_release(tmp_path, _releasable(_real("rich.md")))


# ----------------------------------------------------------------------------- what fails

SMALL = 14  # releases: the newest 10, and older ones


def _drop_newest_link(defs: list[str]) -> list[str]:
    return defs[2:]  # neither an Unreleased link nor the newest release's


def _no_blank_before_links(text: str) -> str:
    return text.replace("- Entry 13 of 1.1.0, with the words a real entry has.\n\n", "- Entry.\n")


@pytest.mark.usefixtures("short_is_long")
def test_a_link_appended_after_older_links_goes_where_the_whole_reading_puts_it() -> None:
    """The smallest: no Unreleased link, none for the newest release (a maintainer forgot it:
    geolens#1716), links newest first; the window leaves 1.1.0-1.4.0's links unread."""
    assert assert_same(_kac(SMALL, links=_drop_newest_link), web_url=None)


def test_bump_appends_a_long_changelogs_new_link_where_the_whole_reading_does(
    tmp_path: Path,
) -> None:
    assert_bump_writes_the_whole_release(tmp_path, _long(links=_drop_newest_link))


LAZY = (
    "link definitions right under the oldest entry, with no blank line between, are that "
    "entry's text to the whole reading (a definition cannot interrupt a paragraph), and links "
    "to the window's (the footer is read after the window's blank lines)"
)


@pytest.mark.usefixtures("short_is_long")
def test_links_right_under_the_oldest_entry_are_read_as_the_whole_reading_reads_them() -> None:
    """`- Entry.` then `[Unreleased]: ...` on the next line: the whole reading has no links and
    leaves them as they are; the window moves the Unreleased link and adds one."""
    text = _no_blank_before_links(_kac(SMALL))
    assert text.count("- Entry.\n[Unreleased]: ") == 1
    assert_same(text, web_url=None)


def test_bump_releases_a_long_changelog_with_links_under_its_oldest_entry_as_read_whole(
    tmp_path: Path,
) -> None:
    text = _long().replace("Entry 2599 of 1.1.0, with the words a real entry has.\n\n", "Entry.\n")
    assert "- Entry.\n[Unreleased]: " in text
    assert_bump_writes_the_whole_release(tmp_path, text)


MALFORMED = (
    "a malformed definition among the older releases' links (text after the URL) is text to "
    "the whole reading, with every definition after it: entries below the links, which the "
    "release refuses; the window leaves that block unread and releases"
)


def _malformed(defs: list[str]) -> list[str]:
    return [line + " - tagged late" if line.startswith("[1.2.0]: ") else line for line in defs]


@pytest.mark.usefixtures("short_is_long")
@pytest.mark.parametrize("newest_first", [True, False])
def test_a_malformed_older_link_is_refused_as_the_whole_reading_refuses_it(
    newest_first: bool,
) -> None:
    def links(defs: list[str]) -> list[str]:
        defs = _malformed(defs)
        return defs if newest_first else [*reversed(defs[1:]), defs[0]]

    text = _kac(SMALL, links=links)
    assert released(changelog.parse(text), "1.14.1") is FileFormatError
    assert_same(text)


def test_bump_refuses_a_long_changelog_with_a_malformed_older_link(tmp_path: Path) -> None:
    text = _long(links=_malformed)
    assert released(changelog.parse(text), "1.2600.1") is FileFormatError
    project, dry, run = _bump(tmp_path, text)
    assert (dry.code, run.code) == (1, 1)
    assert "is below the link definitions at the end of the file" in run.err
    assert project.git("tag") == ""


@pytest.mark.usefixtures("short_is_long")
def test_an_older_heading_over_a_table_row_is_read_as_the_whole_reading_reads_it() -> None:
    def section(index: int, version: str) -> str:
        if version == "1.5.0":  # `|---|---|` starts with `|`: the window does not look at it
            return "## [1.5.0] - 25-12-2023 | note\n|---|---|\n\n- Entry.\n\n"
        month = (index % 12) + 1  # day = month: a date order nothing else decides
        return f"## [{version}] - {month:02d}-{month:02d}-2024\n\n- Entry.\n\n"

    text = _kac(30, section=section)
    assert_same(text)


def _prereleases(count: int) -> str:
    """`count` pre-releases of 2.0.0 on top of ordinary releases, an empty Unreleased."""
    phases = ["rc2", "rc1", "b3", "b2", "b1", "a5", "a4", "a3", "a2", "a1", "a0"][:count]
    pres = "".join(f"## [2.0.0{p}] - 2024-02-01\n\n### Fixed\n\n- Fix {p}.\n\n" for p in phases)
    unreleased = f"[Unreleased]: {URL}/compare/v2.0.0{phases[0]}...HEAD"
    links = [f"[2.0.0{p}]: {URL}/compare/v1.40.0...v2.0.0{p}" for p in phases]
    return _kac(
        40,
        unreleased="## [Unreleased]\n\n" + pres,
        links=lambda defs: [unreleased, *links, *defs[1:]],
    )


FOLD_DIFF = (
    "the dry run's diff compares the text above the unread block apart from the rest: after a "
    "final folds its pre-releases, the sections below them (alike: `### Fixed`, blank lines) "
    "agree again off by one section, and the whole diff goes on so down to the links, while "
    "the windowed one is made to agree at the unread block (both diffs apply; they differ)"
)


def _assert_folded_as_read_whole(tmp_path: Path, count: int) -> None:
    text = _prereleases(count)
    assert changelog_window.read(text).unread
    project, dry, run = _bump(tmp_path, text, "stable", version="2.0.0rc2")
    assert (dry.code, run.code) == (0, 0), run.err
    expected = _whole_release(text, "2.0.0")
    assert project.read("CHANGELOG.md") == expected  # the release itself is the whole one
    edit = FileEdit("CHANGELOG.md", text.encode(), expected.encode())
    shown, whole = _changelog_diff(dry.out), file_diff(edit)
    # Both turn the file into the release's; the dry run's, made to agree at the unread
    # older sections, is no longer than the whole one (which resyncs a section off).
    assert _apply(shown, text) == expected == _apply(whole, text)
    assert len(shown) <= len(whole)


@pytest.mark.usefixtures("short_is_long")
@pytest.mark.parametrize("count", [2, 10])
def test_the_dry_run_diff_of_a_final_folding_its_prereleases_applies(
    tmp_path: Path, count: int
) -> None:
    """`bump stable` after rc1 and rc2 (or ten pre-releases, the newest ten sections)."""
    _assert_folded_as_read_whole(tmp_path, count)


@pytest.mark.usefixtures("short_is_long")
@pytest.mark.parametrize("count", [1, 11])
def test_the_dry_run_diff_of_a_final_folding_one_or_eleven_is_the_whole_diff(
    tmp_path: Path, count: int
) -> None:
    """One: nothing below it moves. Eleven: the fold changes the unread block, and the diff is
    the whole one."""
    _assert_folded_as_read_whole(tmp_path, count)


# ----------------------------------------------------------------------------- public reports


def _report_duplicates(index: int, version: str) -> str:
    """kitokoh/leopardo-hr#1502: 490 KB, 15 version headings twice, `[Unreleased]` twice."""
    text = f"## [{version}] - 2024-01-01\n\n- Entry {index}.\n\n"
    if index in (300, 301):
        text = "## [1.2300.0] - 2024-01-01\n\n- The same version again.\n\n"
    if index == 500:
        text = "## [Unreleased]\n\n- Left behind by a merge.\n\n" + text
    return text


def _report_mixed_endings(index: int, version: str) -> str:
    """aelassas/servy#4976, DataDog/dd-trace-rb#6159: release bodies from GitHub's API end
    their lines in CRLF, the generator's headings in LF."""
    return f"## [{version}] - 2024-01-01\n\n### Fixed\r\n\r\n- Entry {index}.\r\n- More.\r\n\n"


def _report_long_lines(index: int, version: str) -> str:
    """erikdarlingdata/PerformanceMonitor#3387: 2 MB in 3,684 lines."""
    return f"## [{version}] - 2024-01-01\n\n" + f"- {'a long entry ' * 80}\n" * 4 + "\n"


def _report_levels(index: int, version: str) -> str:
    """googleapis/release-please#2613, conventional-changelog: minors `#`, patches `##`."""
    number = 3000 - index
    minor, patch = number // 3, number % 3
    level = "##" if patch else "#"
    v = f"1.{minor}.{patch}"
    return f"{level} [{v}]({URL}/compare/v0...v{v}) (2024-01-01)\n\n### Bug Fixes\n\n* a fix\n\n"


def _report_fence(index: int, version: str) -> str:
    """twisted/towncrier#614, ag-ui-protocol/ag-ui#2533: a four-backtick fence holding three
    backticks and a heading, in an old entry."""
    text = f"## [{version}] - 2024-01-01\n\n- Entry {index}.\n\n"
    return text + ("````md\n```\n## [9.9.9] - 2020-01-01\n````\n\n" if index == 1500 else "")


def _report_stale(text: str) -> str:
    """geolens-io/geolens#1716: v1.17.0 shipped without its link, `[Unreleased]` left
    comparing from the release before."""
    return text.replace("compare/v1.2600.0...HEAD", "compare/v1.2599.0...HEAD").replace(
        f"[1.2600.0]: {URL}/compare/v1.2599.0...v1.2600.0\n", ""
    )


def _report_moved(text: str) -> str:
    """owncloud/files_texteditor#439: an older link moved out of its slot, to the end."""
    line = f"[1.300.0]: {URL}/compare/v1.299.0...v1.300.0\n"
    return text.replace(line, "") + line


def _v_labels(defs: list[str]) -> list[str]:
    """nasa/cumulus#230: `## [v1.0.0]`, `[v1.0.1]: ...`, the first from `pre-v1-release`."""
    defs = [line.replace("[1.", "[v1.", 1) for line in defs]
    return [*defs[:-1], f"[v1.1.0]: {URL}/compare/pre-v1-release...v1.1.0"]


def _v_section(index: int, version: str) -> str:
    return f"## [v{version}] - 2024-01-01\n\n- Entry {index}.\n\n"


REPORTS: dict[str, Callable[[], str]] = {
    "leopardo-hr#1502 versions twice, Unreleased twice, 168 entries": lambda: _long(
        section=_report_duplicates,
        unreleased="## [Unreleased]\n\n### Added\n\n"
        + "".join(f"- Entry {k} waiting for the release.\n" for k in range(168))
        + "\n",
    ),
    "geolens#1716 stale Unreleased link, newest link missing": lambda: _report_stale(_long()),
    "files_texteditor#439 an older link out of its slot": lambda: _report_moved(_long()),
    "cumulus#230 v labels": lambda: _long(section=_v_section, links=_v_labels),
    "release-plz#2390 no blank line under the title": lambda: _long(
        head="# Changelog\nAll notable changes to this project will be documented here.\n\n"
    ),
    "servy#4976 CRLF bodies, LF headings": lambda: _long(2500, section=_report_mixed_endings),
    "PerformanceMonitor#3387 long lines": lambda: _long(120, section=_report_long_lines),
    "release-please#2613 minors at #, patches at ##": lambda: _long(
        3000, section=_report_levels, links=lambda defs: ["[homepage]: https://example.com"]
    ),
    "towncrier#614 a four-backtick fence": lambda: _long(section=_report_fence),
}


@pytest.mark.parametrize("report", REPORTS)
def test_a_reported_situation_is_released_as_read_whole(report: str) -> None:
    """Each situation rebuilt in a file over LONG, at the real thresholds; the fence is the one
    the window must step back from."""
    text = REPORTS[report]()
    assert assert_same(text, web_url=None) is ("fence" not in report)
    assert_same(text)


def test_a_version_released_twice_among_the_older_sections_is_refused_alike() -> None:
    """leopardo-hr#1502 again: releasing the version an older section heads twice."""
    text = REPORTS["leopardo-hr#1502 versions twice, Unreleased twice, 168 entries"]()
    assert assert_same(text, "1.2300.0") and released(changelog.parse(text), "1.2300.0") is (
        FileFormatError
    )


def test_bump_releases_a_long_changelog_with_versions_twice_as_read_whole(tmp_path: Path) -> None:
    text = REPORTS["leopardo-hr#1502 versions twice, Unreleased twice, 168 entries"]()
    assert changelog_window.read(text).unread
    assert_bump_writes_the_whole_release(tmp_path, text)


def test_bump_releases_a_long_changelog_with_mixed_line_endings_as_read_whole(
    tmp_path: Path,
) -> None:
    text = REPORTS["servy#4976 CRLF bodies, LF headings"]()
    assert changelog_window.read(text).unread
    assert_bump_writes_the_whole_release(tmp_path, text)
