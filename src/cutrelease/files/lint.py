"""The checks of `bump check`: every problem of the release files, each with its file and line."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from cutrelease import versions
from cutrelease.errors import CutreleaseError, FileFormatError, Refused
from cutrelease.files import changelog, changelog_window, security, unreadable
from cutrelease.files.changelog import Changelog, Heading, Section
from cutrelease.files.sources.reader import Reader
from cutrelease.git import forges
from cutrelease.patterns import compiled
from cutrelease.project import PYPROJECT, Project, git_dir, load


# A NamedTuple, here and for the other values a command creates on its way (the journal's
# records, the release's facts and outcome): as immutable as a frozen dataclass, and a sixth
# the cost to create, paid at import in every command's start-up.
class Problem(NamedTuple):
    """One thing a release would trip over: where it is and what to do about it."""

    path: str
    line: int | None  # 1-based; None when the whole file is the problem (it is missing)
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


def check(root: Path, *, folder: str = "", every: bool = True) -> list[Problem]:
    """Every problem of the package in `folder` (relative to the repository `root`; "" for the
    root project): the version and every place that holds it, the changelog, SECURITY.md.
    Each problem's path is from the root (packages/alpha/CHANGELOG.md). At the root of a uv
    workspace (where the pre-commit hook runs), `every` member's, the root's own included
    when it is a project (as `uv init` makes it)."""
    from cutrelease import workspace

    if every and not folder and workspace.is_uv_workspace(root):
        return [
            problem
            for member in workspace.members(root)
            for problem in check(root, folder=member.folder, every=False)
        ]
    loaded = load(root, folder=folder)
    config = loaded.config
    problems, version, source = check_version(loaded)
    if folder:  # a member: its name and tag prefix must be its own, or no release can be cut
        try:
            workspace.refuse_if_not_unique(workspace.members(root), folder)
        except Refused as exc:
            problems.append(Problem(loaded.path(PYPROJECT), None, str(exc)))
    changelog_path = loaded.path(config.changelog)
    member = loaded.name if loaded.folder else None
    text = _read(root, changelog_path, key="changelog", package=member)
    if isinstance(text, Problem):
        problems.append(text)
    else:
        problems += check_changelog(
            text,
            path=changelog_path,
            version=version,
            tag_prefix=config.tag_prefix,
            source=source,
        )
    problems += check_fragments(loaded)
    if config.security:
        security_path = loaded.path(config.security)
        text = _read(root, security_path, key="security", package=member)
        if isinstance(text, Problem):
            problems.append(text)
        else:
            problems += check_security(text, path=security_path, version=version, source=source)
    return problems


def check_fragments(loaded: Project) -> list[Problem]:
    """Each changelog fragment a release would refuse (SPEC section 13): an unknown type, an
    empty one, headings outside Keep a Changelog's six, a link out of the repository, a
    binary file, a folder named like a fragment."""
    from cutrelease.files import fragments

    gathered = fragments.gather(loaded)
    return [Problem(exc.path, exc.line, str(exc).split(": ", 1)[1]) for exc in gathered.problems]


def refuse_if_interrupted(root: Path) -> None:
    """Refuse while a killed release is pending, but not while a live one runs its hooks.

    A release commits through `git commit`, so a pre-commit hook running `bump check` sees the
    journal; the lock then names a live process, and the files are the release's new ones.
    """
    from cutrelease.git import lock  # the release's writing side: a dry run never loads it
    from cutrelease.release import journal

    folder = git_dir(root)
    if not lock.held_by_live_process(folder):
        journal.refuse_if_pending(folder)


def _read(root: Path, name: str, *, key: str, package: str | None) -> str | Problem:
    try:
        return (root / name).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:  # said as a release says it
        return Problem(name, None, unreadable.message(exc, key=key, package=package))


# ----------------------------------------------------------------------------- pyproject.toml

_TABLE_HEADER = r"\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?"
_PROJECT_KEY = r"\s*[\"']?(version|dynamic)[\"']?\s*="


_PYPROJECT_VERSION = "pyproject.toml's [project].version"


def check_version(loaded: Project) -> tuple[list[Problem], str | None, str]:
    """(problems, the current version or None, what holds it): the version read where a
    release reads it (sources.find_places), a release cutrelease makes (versions.parse), and
    every place that holds it agreeing; each said in the sentence a release refuses it with.
    What holds it is said as messages name it: "src/widget/__about__.py's __version__"."""

    pyproject = loaded.path(PYPROJECT)
    try:
        found = loaded.version_places()
    except CutreleaseError as exc:
        lines = _project_lines(loaded.pyproject_text)
        return [_problem(exc, pyproject, lines)], None, _PYPROJECT_VERSION
    place = found.source.place
    source = f"{place.path}'s {place.what}" if place else f"the version ({found.source.where})"
    try:
        versions.parse(found.version, where=found.source.where)
    except Refused as exc:
        where = (place.path, place.line) if place else (pyproject, None)
        return [Problem(where[0], where[1], str(exc))], None, source
    problems = [_problem(exc, pyproject, {}) for exc in found.disagreements()]
    return problems, found.version, source


def _problem(exc: CutreleaseError, path: str, lines: dict[str, int]) -> Problem:
    """A refusal as a problem of its file and line (or, for pyproject.toml, the line it names)."""
    if isinstance(exc, FileFormatError):
        where = exc.path if exc.line is None else f"{exc.path}:{exc.line}"
        message = exc.message.removeprefix(f"{where}: ")
        return Problem(exc.path, exc.line, f"{message} {exc.hint}" if exc.hint else message)
    line = lines.get("version") or lines.get("dynamic") or lines.get("project")
    return Problem(path, line, str(exc))


def _project_lines(text: str) -> dict[str, int]:
    """The 1-based lines of the [project] header and of its version and dynamic keys."""
    found: dict[str, int] = {}
    table: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        header = compiled(_TABLE_HEADER).fullmatch(line.rstrip("\r"))
        if header is not None:
            table = header[2] if header[1] == "[" else None
            if table == "project":
                found.setdefault("project", number)
            continue
        key = compiled(_PROJECT_KEY).match(line) if table == "project" else None
        if key is not None:
            found.setdefault(key[1], number)
    return found


# ----------------------------------------------------------------------------- the changelog

_DATED_TAIL = re.compile(r"\s+[-–—]\s+(?P<date>.*?)\s*")
_ISO_DATE = re.compile(r"(?P<iso>\d{4}-\d{2}-\d{2})(?P<rest>.*)")
_YANKED = re.compile(r"\s+\[YANKED\]\s*|\s*")


class _Changelog(NamedTuple):
    """What the changelog checks share: the file's model, and what it must agree with."""

    path: str
    log: Changelog
    tag_prefix: str

    @property
    def headings(self) -> list[Heading]:
        return [section.heading for section in self.log.sections]

    @property
    def unreleased(self) -> list[Heading]:
        return [h for h in self.headings if h.unreleased]

    @property
    def releases(self) -> list[Heading]:
        return [h for h in self.headings if not h.unreleased]

    def tag(self, heading: Heading) -> str:
        return self.tag_prefix + (heading.version or "")

    def link(self, heading: Heading) -> tuple[str, int] | None:
        """(URL, 1-based line) of a heading's link: inline, or its label's definition."""
        found = self.log.heading_link(heading)
        return None if found is None else (found[0], found[1] + 1)

    def problem(self, line: int | None, message: str) -> Problem:
        return Problem(self.path, line, message)


def check_changelog(
    text: str,
    *,
    path: str,
    version: str | None,
    tag_prefix: str,
    source: str = _PYPROJECT_VERSION,
) -> list[Problem]:
    """Keep a Changelog 1.1.0: one Unreleased section on top, SemVer versions newest first, ISO
    dates, no version twice, a link for every heading and a heading for every link, compare
    links chained, no entry below the links at the end, and the newest release equal to
    `version` (held by `source`, as messages name it; None skips that). Reads
    changelog.parse's model.
    """
    log = _Changelog(path, changelog.parse(text), tag_prefix)
    problems = [
        *_unreleased_problems(log),
        *_version_problems(log),
        *_date_problems(log),
        *_link_problems(log),
        *_chain_problems(log),
        *_stray_problems(log),
        *_unclosed_problems(log),
        *_newest_problems(log, version, source),
    ]
    return sorted(problems, key=lambda problem: problem.line or 0)


_NO_UNRELEASED = "there is no Unreleased section"


def _unreleased_problems(log: _Changelog) -> list[Problem]:
    unreleased, releases = log.unreleased, log.releases
    if not unreleased:
        line = releases[0].line if releases else 1
        message = f"{_NO_UNRELEASED}; add '## [Unreleased]' above the newest release."
        return [log.problem(line, message)]
    first = unreleased[0]
    problems = [
        log.problem(
            heading.line,
            f"a second Unreleased section (the first is on line {first.line}); "
            "merge them into one.",
        )
        for heading in unreleased[1:]
    ]
    if releases and releases[0].line < first.line:
        problems.append(
            log.problem(
                first.line,
                f"the Unreleased section comes after release {releases[0].version} "
                f"(line {releases[0].line}); move it above the newest release.",
            )
        )
    return problems


def _version_problems(log: _Changelog) -> list[Problem]:
    """SemVer versions, each once, newest first."""
    problems: list[Problem] = []
    seen: dict[versions.Key, Heading] = {}
    above: tuple[versions.Key, Heading] | None = None
    for heading in log.releases:
        key = versions.key(heading.version)
        if key is None:
            message = f"{heading.version} is not a PEP 440 or SemVer version; write it as X.Y.Z."
            problems.append(log.problem(heading.line, message))
            continue
        if key in seen:
            message = (
                f"version {heading.version} is listed twice (also on line {seen[key].line}); "
                "keep one section per version."
            )
            problems.append(log.problem(heading.line, message))
            continue
        seen[key] = heading
        if above is not None and key > above[0]:
            message = (
                f"version {heading.version} is listed below the older {above[1].version} "
                f"(line {above[1].line}); list versions newest first."
            )
            problems.append(log.problem(heading.line, message))
        above = (key, heading)
    return problems


def _date_problems(log: _Changelog) -> list[Problem]:
    problems = []
    for heading in log.releases:
        message = _date_problem(heading)
        if message is not None:
            problems.append(log.problem(heading.line, message))
    return problems


def _date_problem(heading: Heading) -> str | None:
    """What is wrong with a release heading's ` - YYYY-MM-DD [YANKED]` tail, if anything."""
    name = heading.name
    dated = _DATED_TAIL.fullmatch(heading.tail)
    if dated is None or not dated["date"]:
        written = heading.tail.strip()
        iso = _ISO_DATE.search(written)
        if iso is not None:
            return f"the heading of {name} writes its date as '{written}'; write ' - {iso['iso']}'."
        if written.strip("-–—"):
            return (
                f"the date of {name}, '{written}', is not written as ' - YYYY-MM-DD'; write it "
                "that way."
            )
        return f"{name} has no date; end its heading with ' - YYYY-MM-DD'."
    date = _ISO_DATE.fullmatch(dated["date"])
    if date is None:
        return f"the date of {name}, '{dated['date']}', is not an ISO date; write it as YYYY-MM-DD."
    try:
        datetime.date.fromisoformat(date["iso"])
    except ValueError:
        return f"the date of {name}, {date['iso']}, does not exist; write the real date."
    if not _YANKED.fullmatch(date["rest"]):
        return (
            f"the heading of {name} has '{date['rest'].strip()}' after its date; "
            "only ' [YANKED]' may follow it."
        )
    return None


def _link_problems(log: _Changelog) -> list[Problem]:
    """Each heading has a link and each version link a heading, once the file uses links."""
    headings, links = log.headings, log.log.definitions
    named = {heading.link_label.lower() for heading in headings}
    version_links = {link.at for link in links if changelog.is_version_label(link.label)}
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for link in links:
        label = link.label.lower()
        if label in first_line:
            message = (
                f"the link [{link.label}] is defined twice (first on line {first_line[label]}); "
                "remove this one."
            )
            problems.append(log.problem(link.at + 1, message))
            continue
        first_line[label] = link.at + 1
        if label not in named and link.at in version_links:
            message = (
                f"the link [{link.label}] has no heading; remove it, or add the section it "
                "points to."
            )
            problems.append(log.problem(link.at + 1, message))
    if version_links or any(heading.link for heading in headings):
        inline = not version_links  # the file links its headings in place: `## [1.2.3](URL)`
        problems += [_no_link(log, h, inline=inline) for h in headings if log.link(h) is None]
    return problems


def _no_link(log: _Changelog, heading: Heading, *, inline: bool) -> Problem:
    """The problem of a heading without a link, its fix in the file's style of links."""
    label, name = heading.link_label, heading.name
    if inline:
        message = f"{name} has no link; write its heading as '[{label}](URL)', as the others."
    elif heading.bracketed:
        message = f"{name} has no link; add '[{label}]: URL' to the links at the end."
    else:
        message = (
            f"the heading of {name} is not a link; write it as '[{label}]' and add "
            f"'[{label}]: URL' to the links at the end."
        )
    return log.problem(heading.line, message)


def _chain_problems(log: _Changelog) -> list[Problem]:
    """Unreleased compares the newest tag with HEAD; each release, the next older one with its own.

    "Next older" goes by SemVer, not by file order, so one misplaced section is one problem.
    """
    problems: list[Problem | None] = []
    chain = _newest_first(log.releases)
    for heading in log.unreleased[:1]:
        older = log.tag(chain[0]) if chain else None
        problems.append(_chain_problem(log, heading, older=older, newer="HEAD"))
    for position, heading in enumerate(chain):
        below = chain[position + 1] if position + 1 < len(chain) else None
        older = log.tag(below) if below is not None else None
        problems.append(_chain_problem(log, heading, older=older, newer=log.tag(heading)))
    return [problem for problem in problems if problem is not None]


def _newest_first(releases: list[Heading]) -> list[Heading]:
    """The SemVer releases by precedence, newest first; a repeated version counts once."""
    first: dict[versions.Key, Heading] = {}
    for heading in releases:
        key = versions.key(heading.version)
        if key is not None:
            first.setdefault(key, heading)
    return [first[key] for key in sorted(first, reverse=True)]


def _chain_problem(
    log: _Changelog, heading: Heading, *, older: str | None, newer: str
) -> Problem | None:
    """A link must compare `older` (any ref when None) with `newer`, or name `newer`'s version."""
    link = log.link(heading)
    if link is None:
        return None
    url, line = link
    refs = forges.compare_refs(url)
    subject = "the Unreleased link" if heading.unreleased else f"the link of {heading.name}"
    wanted = f"{older}...{newer}" if older is not None else f"...{newer}"
    if refs is None:
        if heading.unreleased:
            if older is None:
                return None
            message = f"{subject} is no compare link; point it at the compare page {wanted}."
            return log.problem(line, message)
        if _mentions(url, heading.version or ""):
            return None
        message = f"{subject} points at neither its compare page nor its tag {newer}."
        return log.problem(line, message)
    ends_right = refs[1] == newer or (newer == "HEAD" and _is_branch(refs[1]))
    if ends_right and (older is None or refs[0] == older):
        return None
    should = f"compare {wanted}" if older is not None else f"end at {newer}"
    message = f"{subject} compares {refs[0]}...{refs[1]}; it should {should}."
    return log.problem(line, message)


def _is_branch(ref: str) -> bool:
    """`main`, `master`, `develop`: the Unreleased link may end at a branch instead of HEAD."""
    return not any(character.isdigit() for character in ref)


def _mentions(url: str, version: str) -> bool:
    """Whether `url` names `version` (not a longer one): .../releases/tag/v1.2.3, .../1.2.3/."""
    return re.search(rf"(?<![\d.]){re.escape(version)}(?!\.?\d)", url) is not None


def _stray_problems(log: _Changelog) -> list[Problem]:
    """Keep a Changelog puts the links last: an entry below them belongs to no section."""
    stray = changelog.first_stray(log.log)
    if stray is None:
        return []
    line, text = stray
    message = (
        f"{text!r} is below the link definitions at the end, where it belongs to no section; "
        "move it above the links, under the heading of its release (or Unreleased)."
    )
    return [log.problem(line, message)]


def _unclosed_problems(log: _Changelog) -> list[Problem]:
    """A fence or comment never closed makes code of the rest, the links too (CommonMark)."""
    found = changelog.unclosed_block(log.log)
    if found is None:
        return []
    line, what, fix = found
    return [log.problem(line, f"{what.rstrip('.')}; {fix[0].lower()}{fix[1:]}")]


def _newest_problems(log: _Changelog, version: str | None, source: str) -> list[Problem]:
    releases = log.releases
    if version is None or not releases:
        return []
    newest = releases[0]
    if versions.same_release(newest.version, version):
        return []
    message = f"the newest release is {newest.version}, but {source} is {version}; make them agree."
    return [log.problem(newest.line, message)]


# ----------------------------------------------------------------------------- SECURITY.md


def check_security(
    text: str, *, path: str, version: str | None, source: str = _PYPROJECT_VERSION
) -> list[Problem]:
    """A Supported Versions table whose supported line covers `version` (None skips that),
    held by `source` (as messages name it).

    A pre-release never moves the table (its line's final does), so it is not asked to.
    """
    if version is not None and not versions.is_final(versions.parse(version)):
        version = None
    try:
        security.find_table(text, path=path)
    except FileFormatError as exc:
        return [_problem(exc, path, {})]
    if version is None or security.is_supported(text, version, path=path):
        return []
    lines = security.supported_lines(text, path=path)
    major, minor = versions.line(version)
    # A table naming exact releases (`| 1.6.0 | Yes |`) names the new one too.
    exact = bool(lines) and re.fullmatch(r"`?[vV]?\d+\.\d+\.\d+`?", lines[0]) is not None
    wanted = version if exact else f"{major}.{minor}.x"
    message = (
        f"the Supported Versions table supports {', '.join(lines)}, but {source} is "
        f"{version}; mark {wanted} supported."
    )
    return [Problem(path, _row_line(text, lines[0]) if lines else None, message)]


def _row_line(text: str, label: str) -> int | None:
    """The 1-based line of the table row whose first cells include `label`."""
    for number, line in enumerate(text.split("\n"), start=1):
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.lstrip().startswith("|") and label in cells:
            return number
    return None


# ----------------------------------------------------------------------------- a release's output
# SPEC section 16, "What was in order stays in order": the release lints the files it plans
# before writing them, and refuses one that `bump check` accepts now but would reject after.

_LINE_REFERENCE = r"\bline (\d+)"
#: What a kind masks: the file's own words quoted, and any word holding a digit (a version,
#: a tag, a date, a line number).
_NUMBERED = r"'[^'\n]*'|[^\s'\"]*\d[^\s'\"]*"
#: Changelogs longer than this are linted in a window (see changelog_after_release).
WINDOW_BYTES = 64 * 1024
#: The newest releases a window keeps: a release touches only the top ones (and the links);
#: as many as a release reads of a long changelog line by line.
WINDOW_RELEASES = changelog_window.RELEASES_READ


def new_problems(before: list[Problem], after: list[Problem]) -> list[Problem]:
    """The problems of `after` of a kind `before` does not have, in `after`'s order.

    A problem's kind is its file and its message with the file's words it quotes and every
    word holding a digit masked (a version, a tag, a line): a release moves lines and changes
    the version, so a problem the
    file had before (`the table supports 1.5.x, but the version is 1.6.0`) is the same one
    after (`…is 1.6.1`); and a file that
    breaks a rule on purpose (a template of the project's own writes its headings so) is not
    refused for breaking it once more.
    """
    known = {_kind(problem) for problem in before}
    return [problem for problem in after if _kind(problem) not in known]


def _kind(problem: Problem) -> tuple[str, str]:
    return problem.path, compiled(_NUMBERED).sub("#", problem.message)


def changelog_after_release(
    before: str,
    after: str,
    *,
    path: str,
    old: str,
    new: str,
    tag_prefix: str,
    log: Changelog | None = None,
) -> list[Problem]:
    """The problems check_changelog finds in the changelog after a release (`after`, the
    project at `new`) that it does not find before (`before`, at `old`): see new_problems.

    `log` is `before` as changelog.parse read it, when the caller has it. A changelog longer
    than WINDOW_BYTES is linted in a window, alike before and after: its head, its newest
    WINDOW_RELEASES releases (and the release's new one) and its links, the older sections
    left out; a release never touches those (when it did, the whole texts are linted). The
    problems' lines are the files' own.
    """
    log = log or changelog.parse(before)
    window = _windows(before, after, log)
    if window is None:
        old_problems = check_changelog(before, path=path, version=old, tag_prefix=tag_prefix)
        new_ones = check_changelog(after, path=path, version=new, tag_prefix=tag_prefix)
    else:
        (before_text, before_map), (after_text, after_map) = window
        old_problems = [
            before_map(p)
            for p in check_changelog(before_text, path=path, version=old, tag_prefix=tag_prefix)
        ]
        new_ones = [
            after_map(p)
            for p in check_changelog(after_text, path=path, version=new, tag_prefix=tag_prefix)
        ]
    pending = log.unreleased.heading.version if log.unreleased is not None else None
    if pending is not None:
        # A file whose next release waits under its own number (`## 2.17 (unreleased)`) has
        # no Unreleased heading once it is out, until its maintainers write the next one:
        # its convention, which the release keeps (not a problem the release makes).
        new_ones = [p for p in new_ones if not p.message.startswith(_NO_UNRELEASED)]
    return new_problems(old_problems, new_ones)


def security_after_release(
    before: str, after: str, *, path: str, old: str, new: str
) -> list[Problem]:
    """The problems check_security finds in SECURITY.md after a release (`after`, the project
    at `new`) that it does not find before (`before`, at `old`): see new_problems."""
    return new_problems(
        check_security(before, path=path, version=old),
        check_security(after, path=path, version=new),
    )


_Window = tuple[str, Callable[[Problem], Problem]]


def _windows(before: str, after: str, log: Changelog) -> tuple[_Window, _Window] | None:
    """The window of `before` and of `after` (see changelog_after_release), each with the
    map from a problem found in it to the problem at the file's own line; None when the
    whole texts are to be linted.

    Left out of both alike: the sections older than the newest WINDOW_RELEASES (found again
    in `after` as one block, unchanged) and their link definitions at the end."""
    if len(before) <= WINDOW_BYTES or len(log.releases) <= WINDOW_RELEASES:
        return None
    dropped = log.releases[WINDOW_RELEASES:]
    middle = "".join(chain.from_iterable(section.lines for section in dropped))
    links = None
    if log.unread:  # read for a release (changelog_window): the older sections as one text
        middle = log.unread[0].text
        links = log.unread[1].text if len(log.unread) > 1 else None  # and their links
    from cutrelease.files.textdiff import find_block  # here: difflib, for long texts only

    start, at = find_block(before, middle), find_block(after, middle)
    if not middle.endswith("\n") or start < 0 or at < 0:
        return None  # a release that touched an older section (or a text parse changed)
    left_out = _Left(middle, middle.count("\n"), dropped, links)  # counted once: megabytes
    window = _window(before, start, left_out)
    older_links = links is not None or any(
        section.heading.link or log.link(section.heading.link_label) for section in dropped
    )
    if older_links and not _uses_links(window[0]):
        return None  # the window would not use links, which the file does: "once it uses links"
    return window, _window(after, at, left_out)


class _Left(NamedTuple):
    """What a window leaves out: the older sections' text (`middle`, of `lines` lines), the
    sections, and the block of their link definitions when it is one (`links`)."""

    middle: str
    lines: int
    sections: Sequence[Section]
    links: str | None

    def labels(self) -> set[str]:
        """The labels of the left-out sections' link definitions, lowercase."""
        return {section.heading.link_label.lower() for section in self.sections}


# A version's link definition, or a heading that is an inline link, at a line's start.
_LINKING = r"^ {0,3}\[([^\]\n]+)\]:|^ {0,3}#{1,6}[ \t]+\[[^\]\n]*\]\("


def _uses_links(text: str) -> bool:
    """Whether a changelog's text links its versions (see _link_problems), read roughly: a
    text this says no of is linted whole instead of in a window."""
    return any(
        found[1] is None or changelog.is_version_label(found[1])
        for found in compiled(_LINKING, re.MULTILINE).finditer(text)
    )


def _window(text: str, start: int, left: _Left) -> _Window:
    """`text` without `left.middle` (found at `start`) and without the definitions of the
    left-out sections after it; and the map from its lines to the text's. `left.links`, when
    given, is the block of lines after the middle that holds every one of those definitions."""
    from cutrelease.files.textdiff import find_block

    middle, links = left.middle, left.links
    tail = text[start + len(middle) :]
    found = find_block(tail, links) if links else -1
    if links and found >= 0:  # left out as one block: the lines after it move up by as many
        head, above, below = text[:start], tail[:found], tail[found + len(links) :]
        window = head + above + below
        size = window.count("\n") + (not window.endswith("\n"))
        head_end = head.count("\n")  # the window's lines up to here are the file's own
        above_end = head_end + above.count("\n")  # then `middle`'s lines are left out
        link_lines = links.count("\n")

        def number(line: int) -> int:
            if not head_end < line <= size:
                return line
            return line + left.lines + (link_lines if line > above_end else 0)

        return window, _line_map(number)
    labels = left.labels()
    lines = _split_lines(text[:start])
    tail_at = len(lines) + left.lines  # 0-based line index of what follows `middle`
    kept_lines = list(enumerate(lines))
    definition_at = compiled(changelog.DEFINITION_LABEL).match
    for index, line in enumerate(_split_lines(tail), start=tail_at):
        definition = definition_at(line)
        if definition is None or definition[1].lower() not in labels:
            kept_lines.append((index, line))
    numbers = [index + 1 for index, _ in kept_lines]
    return "".join(line for _, line in kept_lines), _line_map(
        lambda line: numbers[line - 1] if 0 < line <= len(numbers) else line
    )


def _split_lines(text: str) -> list[str]:
    """The lines of `text`, each with its "\n" (the last one without, if the text has none)."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def _line_map(line: Callable[[int], int]) -> Callable[[Problem], Problem]:
    """From a window's lines to the file's (`line`: each window line's, 1-based), in a
    problem's place and in the lines its message names."""

    def mapped(problem: Problem) -> Problem:
        message = compiled(_LINE_REFERENCE).sub(
            lambda m: f"line {line(int(m[1]))}", problem.message
        )
        at = None if problem.line is None else line(problem.line)
        return Problem(problem.path, at, message)

    return mapped


def version_after_release(
    loaded: Project, texts: Mapping[str, str], *, new: str, moved: Collection[str]
) -> list[Problem]:
    """The problems check_version would find once the release's files hold `texts` (each
    file's new text by its path from the root): the version read again where a release reads
    it must be `new`, held by each place in the files the release `moved`. (Before the
    release there are none: a release refuses a place that disagrees.) A place in another
    file (a uv.lock git does not track, left alone) is not the release's to keep."""

    pyproject = loaded.path(PYPROJECT)
    text = texts.get(pyproject, loaded.pyproject_text)
    try:
        found = loaded.version_places(pyproject_text=text, reader=_Planned(loaded.root, texts))
    except CutreleaseError as exc:
        return [_problem(exc, pyproject, _project_lines(text))]
    problems = [
        _problem(exc, pyproject, {})
        for exc in found.disagreements()
        if isinstance(exc, FileFormatError) and exc.path in moved
    ]
    if not versions.same_release(found.version, new):
        place = found.source.place
        where = (place.path, place.line) if place else (pyproject, None)
        message = f"{found.source.where} is {found.version} after the release, not {new}."
        problems.insert(0, Problem(where[0], where[1], message))
    return problems


class _Planned(Reader):
    """The repository's files as a release leaves them: its planned texts, else the files."""

    def __init__(self, root: Path, texts: Mapping[str, str]) -> None:
        super().__init__(root)
        self._planned = texts

    def text(self, path: str) -> str:
        planned = self._planned.get(path)
        return super().text(path) if planned is None else planned
