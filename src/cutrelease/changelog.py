"""Keep a Changelog text in, text out: read versions and notes, cut a release section."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

from cutrelease import versions
from cutrelease.errors import FileFormatError, Refused
from cutrelease.templates import Render

RELEASE_TEMPLATE = "changelog_release.md.j2"
UNRELEASED_TEMPLATE = "changelog_unreleased.md.j2"
LINKS_TEMPLATE = "changelog_links.md.j2"

# ----------------------------------------------------------------------------- reading lines

_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_LINK_DEF = re.compile(r" {0,3}\[(?P<label>[^\]]+)\]:[ \t]*<?(?P<url>[^\s>]+)>?")
_FENCE = re.compile(r"\s*(`{3,}|~{3,})")
_VERSION = r"\d+(?:\.\d+)+(?:[-+.]?[0-9A-Za-z]+(?:[-.+][0-9A-Za-z]+)*)?"
_LABEL = re.compile(rf"(?P<prefix>[vV]|[Vv]ersion\s+|[Rr]elease\s+)?(?P<version>{_VERSION})")
# What a numbered heading says when it is not out yet: `# 2.17 (unreleased)`, `- YYYY-MM-DD`.
_PENDING = re.compile(
    r"\b(?:unreleased|not released|upcoming|tbd|tba)\b|\b(?:y{4}|\d{4})-mm-dd\b", re.IGNORECASE
)


class _Kind(Enum):
    TEXT = "text"
    BLANK = "blank"
    HEADING = "heading"
    LINK_DEF = "link definition"
    CODE = "code"
    COMMENT = "comment"


class _Heading(NamedTuple):
    """One ATX heading, split the way changelog headings are written."""

    at: int  # 0-based line index
    level: str  # the hashes: "##"
    label: str  # inside the brackets, or the leading word(s)
    bracketed: bool
    link: str | None  # `## [1.2.3](url)`
    tail: str  # what follows the label and link: " - 2024-01-02 [YANKED]"
    version: str | None  # release or numbered-unreleased headings only; without the prefix
    prefix: str  # written before the version in the label: "v", "Version "
    unreleased: bool

    @property
    def is_release(self) -> bool:
        return self.version is not None and not self.unreleased

    @property
    def link_label(self) -> str:
        return self.label if self.bracketed else self.label.strip("*_")


class _Doc(NamedTuple):
    """A changelog as lines (ends kept) with what each line is."""

    bom: str
    newline: str
    missing_final_newline: bool
    lines: list[str]
    kinds: list[_Kind]
    headings: list[_Heading]
    link_defs: dict[str, int]  # lower-case label -> line index of its first definition
    footer_start: int  # first line of the trailing block of link definitions and blanks
    release_headings: tuple[_Heading, ...]  # computed once: several checks ask for them

    def releases(self) -> tuple[_Heading, ...]:
        return self.release_headings

    def unreleased(self) -> _Heading | None:
        return next((h for h in self.headings if h.unreleased), None)

    def link_def(self, label: str) -> int | None:
        return self.link_defs.get(label.lower())

    def link_url(self, label: str) -> str | None:
        index = self.link_def(label)
        if index is None:
            return None
        match = _LINK_DEF.match(self.lines[index])
        assert match is not None
        return match["url"]


def _content(line: str) -> str:
    return line.rstrip("\r\n")


@functools.lru_cache(maxsize=4)  # one text is read by several checks and the release itself
def _parse(text: str) -> _Doc:
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    # Only "\n" ends a line: str.splitlines would also split on U+2028, \x85, \x0c...
    lines = [line + "\n" for line in text[len(bom) :].split("\n")]
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    last = lines.pop()[:-1]
    missing_final_newline = last != ""
    if missing_final_newline:  # edited as if it ended; that newline goes again on output
        lines.append(last + newline)
    kinds, headings, link_defs = _scan(lines)
    return _Doc(
        bom=bom,
        newline=newline,
        missing_final_newline=missing_final_newline,
        lines=lines,
        kinds=kinds,
        headings=headings,
        link_defs=link_defs,
        footer_start=_footer_start(kinds),
        release_headings=tuple(h for h in headings if h.is_release),
    )


def _scan(lines: list[str]) -> tuple[list[_Kind], list[_Heading], dict[str, int]]:
    kinds = [_Kind.TEXT] * len(lines)
    headings: list[_Heading] = []
    link_defs: dict[str, int] = {}
    fence: str | None = None
    in_comment = False
    opened = 0  # where the open fence or comment began
    seen: dict[str, _Heading] = {}  # "### Fixed" and its like come back in every section
    for index in _candidates(lines):
        content = lines[index].rstrip("\r\n")
        if fence is None and not in_comment and not content.strip():
            kinds[index] = _Kind.BLANK  # a third of the candidates: decided here, at once
            continue
        if fence is not None:
            if _closes_fence(content, fence):
                kinds[opened : index + 1] = [_Kind.CODE] * (index + 1 - opened)
                fence = None
            continue
        if in_comment:
            if "-->" in content:
                kinds[opened : index + 1] = [_Kind.COMMENT] * (index + 1 - opened)
                in_comment = False
            continue
        kind, match = _classify(content)
        kinds[index] = kind
        if match is not None:  # a heading or a link definition
            if kind is _Kind.HEADING:
                known = seen.get(content)
                if known is None:
                    known = seen[content] = _heading(index, match)
                headings.append(_Heading(index, *known[1:]))
            else:
                link_defs.setdefault(match["label"].lower(), index)
        elif kind is _Kind.CODE:
            fence, opened = _opening_fence(content), index
        elif kind is _Kind.COMMENT:
            in_comment, opened = "-->" not in content.split("<!--", 1)[1], index
    if fence is not None or in_comment:  # never closed: it runs to the end
        kind = _Kind.CODE if fence is not None else _Kind.COMMENT
        kinds[opened:] = [kind] * (len(lines) - opened)
    return kinds, headings, link_defs


def _candidates(lines: list[str]) -> list[int]:
    """The lines that may be more than prose: blank, or starting with a markup character.

    Most lines of a changelog are list items and prose; skipping them keeps a 2 MB file fast.
    "" is in every string, so blank lines are candidates; so is any line closing a comment.
    """
    return [i for i, line in enumerate(lines) if line.lstrip()[:1] in "#[`~<" or "-->" in line]


def _classify(content: str) -> tuple[_Kind, re.Match[str] | None]:
    """What a line is; for a heading or link definition, also its match (matched once)."""
    stripped = content.strip()
    if not stripped:
        return _Kind.BLANK, None
    first = stripped[0]  # most lines, prose and list items, are decided by it at once
    if first == "#":
        match = _HEADING.match(content)
        return (_Kind.TEXT, None) if match is None else (_Kind.HEADING, match)
    if first == "[":
        match = _LINK_DEF.match(content)
        return (_Kind.TEXT, None) if match is None else (_Kind.LINK_DEF, match)
    if first in "`~" and _opening_fence(content) is not None:
        return _Kind.CODE, None
    if stripped.startswith("<!--"):
        return _Kind.COMMENT, None
    return _Kind.TEXT, None


def _opening_fence(content: str) -> str | None:
    match = _FENCE.match(content)
    if match is None:
        return None
    fence = match[1]
    return None if fence[0] == "`" and "`" in content[match.end() :] else fence


def _closes_fence(content: str, fence: str) -> bool:
    stripped = content.strip()
    return stripped.startswith(fence) and stripped == fence[0] * len(stripped)


def _footer_start(kinds: list[_Kind]) -> int:
    start = len(kinds)
    while start > 0 and kinds[start - 1] in (_Kind.BLANK, _Kind.LINK_DEF):
        start -= 1
    return start


# ----------------------------------------------------------------------------- headings


def _heading(index: int, match: re.Match[str]) -> _Heading:
    level, title = match[1], match[2] or ""
    label, bracketed, link, tail = _split_title(title)
    version = _LABEL.fullmatch(label.strip())
    if version is None:
        unreleased = label.strip("*_ ").lower() == "unreleased"
        return _Heading(index, level, label, bracketed, link, tail, None, "", unreleased)
    pending = _PENDING.search(tail) is not None
    prefix = version["prefix"] or ""
    return _Heading(index, level, label, bracketed, link, tail, version["version"], prefix, pending)


def _split_title(title: str) -> tuple[str, bool, str | None, str]:
    """(label, bracketed, inline link, tail) of a heading's text."""
    close = title.find("]") if title.startswith("[") else -1
    if close > 1:
        rest = title[close + 1 :]
        link_end = rest.find(")") if rest.startswith("(") else -1
        if link_end > 0:
            return title[1:close], True, rest[1:link_end], rest[link_end + 1 :]
        return title[1:close], True, None, rest
    version = _LABEL.match(title)
    if version is not None and (version.end() == len(title) or title[version.end()].isspace()):
        return version[0], False, None, title[version.end() :]
    word = title.split(maxsplit=1)[0] if title.strip() else ""
    return word, False, None, title[len(word) :]


def _require_unreleased(doc: _Doc, path: str) -> _Heading:
    heading = doc.unreleased()
    if heading is None:
        releases = doc.releases()
        newest = releases[0] if releases else None
        raise FileFormatError(
            path,
            "there is no Unreleased section"
            + (
                f" above the newest release, {_content(doc.lines[newest.at])!r}." if newest else "."
            ),
            line=newest.at + 1 if newest else None,
            hint="Add a '## [Unreleased]' section there, with the changes.",
        )
    return heading


def _section_end(doc: _Doc, heading: _Heading) -> int:
    """A section runs to the next release, a shallower heading, or the footer of links."""
    position = next(i for i, h in enumerate(doc.headings) if h.at == heading.at)
    for following in doc.headings[position + 1 :]:
        if following.version is not None or following.unreleased:
            return following.at
        if len(following.level) < len(heading.level):
            return following.at
    return doc.footer_start


def _has_entries(doc: _Doc, heading: _Heading) -> bool:
    """Placeholder subsection headings, comments and blank lines are not entries."""
    kinds = doc.kinds[heading.at + 1 : _section_end(doc, heading)]
    return any(kind in (_Kind.TEXT, _Kind.CODE) for kind in kinds)


def _notes(doc: _Doc, heading: _Heading) -> str:
    """A section's body with "\\n" line ends: it is shown, never written back."""
    body = [_content(line) for line in doc.lines[heading.at + 1 : _section_end(doc, heading)]]
    first = next((i for i, line in enumerate(body) if line.strip()), len(body))
    last = next((i for i in range(len(body) - 1, -1, -1) if body[i].strip()), -1)
    return "\n".join(body[first : last + 1])


# ----------------------------------------------------------------------------- versions


def same_version(written: str | None, wanted: str) -> bool:
    """Whether two spellings name one release (see versions.same_release)."""
    return versions.same_release(written, wanted)


def _listing(releases: Sequence[_Heading], limit: int = 10) -> str:
    versions = [h.version or "" for h in releases]
    if not versions:
        return "it has no released version yet"
    older = len(versions) - limit
    return f"it has {', '.join(versions[:limit])}" + (f" and {older} older" if older > 0 else "")


def newest_version(text: str, *, path: str = "CHANGELOG.md") -> str | None:
    """The newest released version in the file (as written, without a 'v').

    None if there is no release yet.
    """
    releases = _parse(text).releases()
    return releases[0].version if releases else None


def released_versions(text: str, *, path: str = "CHANGELOG.md") -> list[str]:
    """All released versions, in file order (a version headed twice is listed twice)."""
    return [h.version for h in _parse(text).releases() if h.version is not None]


def unreleased_notes(text: str, *, path: str = "CHANGELOG.md") -> str:
    """The body of the Unreleased section (without heading), stripped of blank edge lines.

    '' when it has no entries (empty placeholder subsections only); FileFormatError when there
    is no Unreleased section.
    """
    doc = _parse(text)
    heading = _require_unreleased(doc, path)
    return _notes(doc, heading) if _has_entries(doc, heading) else ""


def release_notes(text: str, version: str, *, path: str = "CHANGELOG.md") -> str:
    """The body of one release's section without its heading (for `bump notes`).

    Unknown version -> Refused naming the versions that exist.
    """
    doc = _parse(text)
    releases = doc.releases()
    exact = next((h for h in releases if h.version == version.lstrip("vV")), None)
    heading = exact or next((h for h in releases if same_version(h.version, version)), None)
    if heading is None:
        raise Refused(
            f"{path} has no section for version {version}; {_listing(releases)}.",
            hint="Ask for one of those versions.",
        )
    return _notes(doc, heading)


# ----------------------------------------------------------------------------- outline


class VersionHeading(NamedTuple):
    """A release or Unreleased heading, read-only, with where it and its link are written."""

    line: int  # 1-based
    label: str  # the link label as written: "0.2.0", "v0.2.0", "Unreleased"
    version: str | None  # without its prefix; None for a plain Unreleased heading
    unreleased: bool
    bracketed: bool
    tail: str  # after the label and any inline link: " - 2026-01-10"
    link: str | None  # the URL of its inline link, or of its link definition
    link_line: int | None  # the 1-based line where that URL is written


class LinkDefinition(NamedTuple):
    """One link reference definition: `[label]: url` on a 1-based line."""

    line: int
    label: str
    url: str
    version: str | None  # the version the label names, if it names one


class Outline(NamedTuple):
    """A changelog's version headings and link definitions, in file order."""

    headings: tuple[VersionHeading, ...]
    links: tuple[LinkDefinition, ...]  # every definition, a repeated label included


def outline(text: str) -> Outline:
    """The release and Unreleased headings and every link definition, with line numbers."""
    doc = _parse(text)
    headings = tuple(
        _version_heading(doc, h) for h in doc.headings if h.version is not None or h.unreleased
    )
    links = []
    for index, kind in enumerate(doc.kinds):
        match = _LINK_DEF.match(doc.lines[index]) if kind is _Kind.LINK_DEF else None
        if match is not None:
            named = _LABEL.fullmatch(match["label"].strip())
            version = named["version"] if named is not None else None
            links.append(LinkDefinition(index + 1, match["label"], match["url"], version))
    return Outline(headings, tuple(links))


def _version_heading(doc: _Doc, heading: _Heading) -> VersionHeading:
    link = heading.link
    link_line = heading.at + 1 if link else None
    definition = doc.link_def(heading.link_label) if heading.bracketed and not link else None
    if definition is not None:
        link, link_line = doc.link_url(heading.link_label), definition + 1
    return VersionHeading(
        line=heading.at + 1,
        label=heading.link_label,
        version=heading.version,
        unreleased=heading.unreleased,
        bracketed=heading.bracketed,
        tail=heading.tail,
        link=link,
        link_line=link_line,
    )


# ----------------------------------------------------------------------------- dates

_MONTHS = [
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
]
_SHORT_MONTHS = [month[:3] for month in _MONTHS]
_NUMERIC_YMD = re.compile(r"(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
_NUMERIC_MDY = re.compile(r"(?<!\d)(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?!\d)")
_MONTH_NAME = r"(?P<month>[A-Z][a-z]{2,8})(?P<dot>\.?)"
_DAY = r"(?P<day>\d{1,2})(?P<ordinal>st|nd|rd|th)?"
_PROSE_MONTH_FIRST = re.compile(rf"{_MONTH_NAME} {_DAY}(?P<comma>,?) \d{{4}}")
_PROSE_DAY_FIRST = re.compile(rf"{_DAY} {_MONTH_NAME}(?P<comma>,?) \d{{4}}")
_SEPARATOR = re.compile(r"\s*(?:[-–—:]\s*)?\(?")


class _DateStyle(NamedTuple):
    """How a heading writes its date: separator + date + end, as in ` (2024-01-02)`."""

    dated: bool = True
    separator: str = " - "
    end: str = ""
    # {Y} year; {m} {d} zero-padded; {M} {D} not; {B} month name, {b} its 3 letters; {o} "th"
    pattern: str = "{Y}-{m}-{d}"

    def format(self, date: datetime.date) -> str:
        return self.pattern.format(
            Y=f"{date.year:04d}",
            m=f"{date.month:02d}",
            d=f"{date.day:02d}",
            M=date.month,
            D=date.day,
            B=_MONTHS[date.month - 1],
            b=_SHORT_MONTHS[date.month - 1],
            o=_ordinal(date.day),
        )


def _ordinal(day: int) -> str:
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _date_style(tail: str) -> _DateStyle:
    """Learn the date style from a release heading's tail (` - 2024-01-02 [YANKED]`)."""
    if not tail.strip():
        return _DateStyle(dated=False)
    for learn in (_numeric_ymd, _numeric_mdy, _prose_month_first, _prose_day_first):
        found = learn(tail)
        if found is not None:
            pattern, start, end = found
            separator = tail[:start]
            closed = separator.rstrip().endswith("(") and tail[end:].startswith(")")
            return _DateStyle(separator=separator, end=")" if closed else "", pattern=pattern)
    # A date no one can read (`2023-MM-DD`): keep the separator, write an ISO date.
    leading = _SEPARATOR.match(tail)
    written = leading[0] if leading is not None and leading[0] else " - "
    return _DateStyle(separator=written, end=")" if written.endswith("(") else "")


def _numeric_ymd(tail: str) -> tuple[str, int, int] | None:
    match = _NUMERIC_YMD.search(tail)
    if match is None:
        return None
    month, day = _padding(match[3], match[4])
    sep = match[2]
    return f"{{Y}}{sep}{month}{sep}{day}", match.start(), match.end()


def _numeric_mdy(tail: str) -> tuple[str, int, int] | None:
    match = _NUMERIC_MDY.search(tail)
    if match is None:
        return None
    month, day = _padding(match[1], match[3])
    sep = match[2]
    if int(match[1]) > 12:  # only a day can be above 12: day first
        return f"{day}{sep}{month}{sep}{{Y}}", match.start(), match.end()
    return f"{month}{sep}{day}{sep}{{Y}}", match.start(), match.end()


def _padding(*parts: str) -> tuple[str, str]:
    padded = any(p.startswith("0") for p in parts) or all(len(p) == 2 for p in parts)
    return ("{m}", "{d}") if padded else ("{M}", "{D}")


def _prose_month_first(tail: str) -> tuple[str, int, int] | None:
    match = _PROSE_MONTH_FIRST.search(tail)
    month = _month_field(match)
    if match is None or month is None:
        return None
    ordinal = "{o}" if match["ordinal"] else ""
    return f"{month} {{D}}{ordinal}{match['comma']} {{Y}}", match.start(), match.end()


def _prose_day_first(tail: str) -> tuple[str, int, int] | None:
    match = _PROSE_DAY_FIRST.search(tail)
    month = _month_field(match)
    if match is None or month is None:
        return None
    ordinal = "{o}" if match["ordinal"] else ""
    return f"{{D}}{ordinal} {month}{match['comma']} {{Y}}", match.start(), match.end()


def _month_field(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    if match["month"] in _MONTHS:
        return "{B}" + match["dot"]
    if match["month"] in _SHORT_MONTHS:
        return "{b}" + match["dot"]
    return None


# ----------------------------------------------------------------------------- links


class _Forge(NamedTuple):
    """Where a forge keeps compare and tag pages, and which ref its compare names first."""

    compare: str
    separator: str
    newer_first: bool
    tag_page: str


_GITHUB = _Forge("/compare/", "...", newer_first=False, tag_page="/releases/tag/")
_GITLAB = _Forge("/-/compare/", "...", newer_first=False, tag_page="/-/tags/")
_BITBUCKET = _Forge("/branches/compare/", "%0D", newer_first=True, tag_page="/src/")


def _forge_of(web_url: str) -> _Forge:
    host = web_url.split("://", 1)[-1].split("/", 1)[0].lower()
    if "gitlab" in host:
        return _GITLAB
    if "bitbucket" in host:
        return _BITBUCKET
    return _GITHUB  # GitHub, Gitea, Codeberg and Forgejo share these paths


class _Compare(NamedTuple):
    """A compare URL split around its two refs: `{start}{first}{separator}{second}{end}`."""

    start: str
    first: str
    separator: str
    second: str
    end: str

    @property
    def forge(self) -> _Forge:
        return next((f for f in (_GITLAB, _BITBUCKET) if self.start.endswith(f.compare)), _GITHUB)

    def with_refs(self, first: str, second: str) -> str:
        return f"{self.start}{first}{self.separator}{second}{self.end}"

    def tag_page(self, tag: str) -> str:
        return self.start.removesuffix(self.forge.compare) + self.forge.tag_page + tag


_COMPARE = re.compile(r"(?P<start>.*?/compare/)(?P<refs>[^?#]*?)(?P<end>/?(?:[?#].*)?)")


def _parse_compare(url: str | None) -> _Compare | None:
    match = _COMPARE.fullmatch(url or "")
    if match is None:
        return None
    for separator in ("...", "%0D", "%0d", ".."):  # git refs never hold "..": the split is sure
        first, found, second = match["refs"].partition(separator)
        if found and first and second:
            return _Compare(match["start"], first, separator, second, match["end"])
    return None


def _web_compare(web_url: str, older: str, newer: str) -> str:
    forge = _forge_of(web_url)
    compare = _Compare(web_url + forge.compare, "", forge.separator, "", "")
    return compare.with_refs(newer, older) if forge.newer_first else compare.with_refs(older, newer)


def compare_refs(url: str) -> tuple[str, str] | None:
    """(older ref, newer ref) of a compare URL on any forge; None for any other URL."""
    compare = _parse_compare(url)
    if compare is None:
        return None
    if compare.forge.newer_first:
        return compare.second, compare.first
    return compare.first, compare.second


def compare_url(web_url: str, older: str, newer: str) -> str:
    """The forge's page comparing `older` with `newer`: https://github.com/o/r/compare/a...b."""
    return _web_compare(web_url, older, newer)


def _is_ref_of(ref: str, version: str) -> bool:
    """`v1.2.3`, `mdcat-1.2.3` and `1.2.3` are refs of 1.2.3; `11.2.3` and `0.1.2.3` are not."""
    if not ref.endswith(version):
        return False
    before = ref[: -len(version)]
    return not before or not (before[-1].isdigit() or before[-1] == ".")


def _tag_side(compare: _Compare, previous_version: str | None) -> int | None:
    """Which ref (0 or 1) of the Unreleased compare link is the last tag; the other is HEAD."""
    refs = (compare.first, compare.second)
    if previous_version is not None:
        for side, ref in enumerate(refs):
            if _is_ref_of(ref, previous_version):
                return side
    for side, other in ((0, compare.second), (1, compare.first)):
        if other.upper() == "HEAD":
            return side
    has_digits = [any(c.isdigit() for c in ref) for ref in refs]
    if has_digits[0] != has_digits[1]:  # `develop..v2.9.3`: the tag has the digits
        return 0 if has_digits[0] else 1
    return None


class _Job(NamedTuple):
    """The release asked for."""

    version: str
    previous_version: str | None
    tag_prefix: str
    web_url: str | None

    @property
    def tag(self) -> str:
        return self.tag_prefix + self.version

    @property
    def previous_tag(self) -> str | None:
        return None if self.previous_version is None else self.tag_prefix + self.previous_version


class _Links(NamedTuple):
    """The new URLs; None leaves that link as it is (or writes none)."""

    unreleased: str | None = None
    release: str | None = None


def _links(doc: _Doc, unreleased: _Heading, newest: _Heading | None, job: _Job) -> _Links:
    """Learn from the Unreleased link, else the newest release's link, else the remote."""
    old_unreleased = unreleased.link or doc.link_url(unreleased.link_label)
    learned = _from_unreleased_link(_parse_compare(old_unreleased), job)
    if learned.release is not None:
        return learned
    release = _from_newest_link(doc, newest, job) or _from_web_url(job)
    if old_unreleased is None and job.web_url is not None and unreleased.version is None:
        return _Links(_web_compare(job.web_url, job.tag, "HEAD"), release)
    return _Links(release=release)


def _from_unreleased_link(compare: _Compare | None, job: _Job) -> _Links:
    """`compare/v1...HEAD`: the last tag becomes the new tag; for the release, HEAD does."""
    side = _tag_side(compare, job.previous_version) if compare is not None else None
    if compare is None or side is None:
        return _Links()
    unreleased_refs = [compare.first, compare.second]
    unreleased_refs[side] = job.tag
    unreleased = compare.with_refs(*unreleased_refs)
    if job.previous_version is None:
        return _Links(unreleased, compare.tag_page(job.tag))
    last_tag = (compare.first, compare.second)[side]
    if not _is_ref_of(last_tag, job.previous_version):
        last_tag = job.tag_prefix + job.previous_version  # a stale link: trust the caller
    release_refs = [job.tag, job.tag]
    release_refs[side] = last_tag
    return _Links(unreleased, compare.with_refs(*release_refs))


def _from_newest_link(doc: _Doc, newest: _Heading | None, job: _Job) -> str | None:
    """Follow the newest release's own link: a compare link, or a page of its tag."""
    if newest is None or job.previous_version is None:
        return None
    url = newest.link or doc.link_url(newest.label)
    if url is None:
        return None
    compare = _parse_compare(url)
    if compare is None:
        return _next_tag_page(url, job.previous_version, job.tag)
    if _is_ref_of(compare.second, job.previous_version):
        return compare.with_refs(compare.second, job.tag)
    if _is_ref_of(compare.first, job.previous_version):  # newer ref first, as on Bitbucket
        return compare.with_refs(job.tag, compare.first)
    return None


def _next_tag_page(url: str, previous_version: str, tag: str) -> str | None:
    """`.../releases/tag/v1.2.3` or `.../tree/1.2.3` -> the same page of the new tag."""
    match = re.search(rf"/([^/?#]*{re.escape(previous_version)})(?=$|[/?#])", url)
    if match is None or not _is_ref_of(match[1], previous_version):
        return None
    return url[: match.start(1)] + tag + url[match.end(1) :]


def _from_web_url(job: _Job) -> str | None:
    if job.web_url is None:
        return None
    if job.previous_tag is None:
        return job.web_url + _forge_of(job.web_url).tag_page + job.tag
    return _web_compare(job.web_url, job.previous_tag, job.tag)


# ----------------------------------------------------------------------------- remotes

_REMOTE_URL = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?:[^@/]*@)?(?P<host>[^/:@]+)(?::(?P<port>\d*))?"
    r"(?P<path>/.*)?"
)
_SCP_LIKE = re.compile(r"(?:[^@/:]+@)?(?P<host>[^/:@\\]+):(?P<path>[^/\\].*)")
_GIT_SCHEMES = {"https", "http", "ssh", "git", "git+ssh", "ssh+git"}


def web_url_from_remote(remote_url: str) -> str | None:
    """https://host/owner/repo for a GitHub/GitLab/Bitbucket/Gitea(Codeberg) remote.

    Reads the https and ssh forms (git@host:owner/repo.git, ssh://git@host/owner/repo.git) and
    strips credentials; None for a local path or file:// URL.
    """
    url = remote_url.strip()
    match = _REMOTE_URL.fullmatch(url)
    if match is not None:
        scheme = match["scheme"].lower()
        if scheme not in _GIT_SCHEMES:
            return None
        web_scheme = "http" if scheme == "http" else "https"
        port = f":{match['port']}" if match["port"] and scheme in ("http", "https") else ""
        return _web_url(f"{web_scheme}://{match['host']}{port}", match["path"] or "")
    match = _SCP_LIKE.fullmatch(url)
    if match is None or len(match["host"]) == 1:  # `C:\repo` is a Windows path
        return None
    return _web_url(f"https://{match['host']}", match["path"])


def _web_url(origin: str, path: str) -> str | None:
    path = path.strip("/").removesuffix(".git").rstrip("/")
    if "/" not in path or path.startswith("~"):
        return None
    return f"{origin}/{path}"


# ----------------------------------------------------------------------------- the release


class _Style(NamedTuple):
    """How the file writes a release heading, learned from its newest one."""

    level: str
    bracketed: bool
    inline_link: bool
    prefix: str
    date: _DateStyle
    gap: int  # blank lines between the fresh Unreleased heading and the release heading


def _style(doc: _Doc, newest: _Heading | None, unreleased: _Heading) -> _Style:
    if newest is None:  # first release: Keep a Changelog's style, at the Unreleased level
        return _Style(
            unreleased.level, unreleased.bracketed, unreleased.link is not None, "", _DateStyle(), 1
        )
    return _Style(
        level=newest.level,
        bracketed=newest.bracketed,
        inline_link=newest.link is not None,
        prefix=newest.prefix,
        date=_date_style(newest.tail),
        gap=_blank_lines_before(doc, newest.at),
    )


def _blank_lines_before(doc: _Doc, index: int) -> int:
    count = 0
    while count < index and doc.kinds[index - count - 1] is _Kind.BLANK:
        count += 1
    return min(count, 3)


@dataclass
class _Edits:
    """Line replacements and insertions, applied in one pass so that big files stay linear."""

    replace: dict[int, str] = field(default_factory=dict)
    before: dict[int, list[str]] = field(default_factory=dict)

    def insert(self, index: int, lines: list[str]) -> None:
        self.before.setdefault(index, []).extend(lines)

    def apply(self, doc: _Doc) -> str:
        # Untouched runs of lines are copied as slices: a release edits a handful of lines.
        out = [doc.bom]
        start = 0
        for index in sorted({*self.replace, *self.before}):
            out.extend(doc.lines[start:index])
            out.extend(self.before.get(index, ()))
            if index in self.replace:
                out.append(self.replace[index])
                start = index + 1
            else:
                start = index
        out.extend(doc.lines[start:])
        text = "".join(out)
        return text.removesuffix(doc.newline) if doc.missing_final_newline else text


class _Cut(NamedTuple):
    """One release being cut: the file, what was learned from it, and the templates."""

    doc: _Doc
    unreleased: _Heading
    newest: _Heading | None
    job: _Job
    links: _Links
    render: Render

    def rendered(self, name: str, variables: dict[str, object]) -> str:
        """A template rendered into whole lines ending in the file's own newline."""
        lines = self.render(name, variables).split("\n")
        return "".join(line + self.doc.newline for line in lines)


def release(
    text: str,
    *,
    version: str,
    previous_version: str | None,
    date: datetime.date,
    tag_prefix: str,
    web_url: str | None,
    render: Render,
    path: str = "CHANGELOG.md",
) -> str:
    """The whole new file text after releasing `version`.

    The Unreleased heading stays (fresh and empty) and the release heading goes under it, so
    every line of the old Unreleased body ends up under the release, in order. A numbered
    Unreleased heading (`# 2.17 (unreleased)`) becomes the release heading instead.
    """
    doc = _parse(text)
    unreleased = _require_unreleased(doc, path)
    _check_releasable(doc, unreleased, version, path)
    releases = doc.releases()
    newest = releases[0] if releases else None
    job = _Job(version, previous_version, tag_prefix, web_url)
    cut = _Cut(doc, unreleased, newest, job, _links(doc, unreleased, newest, job), render)
    style = _style(doc, newest, unreleased)
    label = style.prefix + (unreleased.version or version)
    heading = _release_heading(cut, style, label, date)
    definition = None
    if style.bracketed and not style.inline_link and cut.links.release is not None:
        definition = _link_line(cut, label, cut.links.release)
    if definition is not None and _links_under_headings(doc, newest):
        heading, definition = heading + definition, None
    edits = _Edits()
    if unreleased.version is not None:
        edits.replace[unreleased.at] = heading
    else:
        blank_lines = doc.newline * style.gap
        edits.replace[unreleased.at] = _fresh_unreleased(cut) + blank_lines + heading
    _footer_edits(cut, edits, definition)
    return edits.apply(doc)


def _check_releasable(doc: _Doc, unreleased: _Heading, version: str, path: str) -> None:
    line = unreleased.at + 1
    earlier = next((h for h in doc.releases() if h.at < unreleased.at), None)
    if earlier is not None:
        raise FileFormatError(
            path,
            f"the Unreleased section comes after release {earlier.version} "
            f"(line {earlier.at + 1}).",
            line=line,
            hint="Move it above the newest release.",
        )
    if not _has_entries(doc, unreleased):
        raise FileFormatError(
            path,
            "the Unreleased section is empty: there is nothing to release.",
            line=line,
            hint="Write the changes of this release under it.",
        )
    if unreleased.version is not None and not same_version(unreleased.version, version):
        raise FileFormatError(
            path,
            f"the Unreleased section is headed for version {unreleased.version}, not {version}.",
            line=line,
            hint=f"Rename its heading for {version}, or release {unreleased.version}.",
        )
    done = next((h for h in doc.releases() if same_version(h.version, version)), None)
    if done is not None:
        raise FileFormatError(
            path,
            f"version {version} is already released here.",
            line=done.at + 1,
            hint="Release a new version.",
        )


def _release_heading(cut: _Cut, style: _Style, label: str, date: datetime.date) -> str:
    variables: dict[str, object] = {
        "level": style.level,
        "version": cut.job.version,
        "label": label,
        "bracketed": style.bracketed,
        "link": cut.links.release if style.inline_link and style.bracketed else None,
        "dated": style.date.dated,
        "separator": style.date.separator,
        "date": style.date.format(date),
        "date_end": style.date.end,
        "iso_date": date.isoformat(),
        "tag": cut.job.tag,
        "previous_version": cut.job.previous_version,
        "previous_tag": cut.job.previous_tag,
    }
    return cut.rendered(RELEASE_TEMPLATE, variables)


def _fresh_unreleased(cut: _Cut) -> str:
    heading = cut.unreleased
    line, link = _content(cut.doc.lines[heading.at]), heading.link
    if link is not None and cut.links.unreleased is not None:
        line = line.replace(f"]({link})", f"]({cut.links.unreleased})", 1)
        link = cut.links.unreleased
    variables: dict[str, object] = {
        "heading": line,
        "level": heading.level,
        "label": heading.label,
        "bracketed": heading.bracketed,
        "link": link,
    }
    return cut.rendered(UNRELEASED_TEMPLATE, variables)


def _link_line(cut: _Cut, label: str, url: str) -> str:
    variables: dict[str, object] = {
        "label": label,
        "url": url,
        "version": cut.job.version,
        "tag": cut.job.tag,
    }
    return cut.rendered(LINKS_TEMPLATE, variables)


def _links_under_headings(doc: _Doc, newest: _Heading | None) -> bool:
    """Whether each release's link definition sits on the line right under its heading."""
    return newest is not None and doc.link_def(newest.label) == newest.at + 1


def _with_url(line: str, url: str) -> str:
    match = _LINK_DEF.match(line)
    assert match is not None
    return line[: match.start("url")] + url + line[match.end("url") :]


def _footer_edits(cut: _Cut, edits: _Edits, definition: str | None) -> None:
    """Point the Unreleased link at the new tag; add the release's link in the file's order."""
    doc, unreleased, links = cut.doc, cut.unreleased, cut.links
    unreleased_def = doc.link_def(unreleased.link_label)
    newest_def = doc.link_def(cut.newest.label) if cut.newest is not None else None
    if unreleased_def is not None and unreleased.version is not None:
        if links.release is not None:  # the numbered section's own link becomes the release's
            edits.replace[unreleased_def] = _with_url(doc.lines[unreleased_def], links.release)
        return
    if unreleased_def is not None and links.unreleased is not None:
        edits.replace[unreleased_def] = _with_url(doc.lines[unreleased_def], links.unreleased)
    if definition is not None and newest_def is not None:
        _beside_newest(doc, edits, definition, newest_def, unreleased_def)
    elif definition is not None and unreleased_def is not None:
        edits.insert(unreleased_def + 1, [definition])
    elif unreleased_def is None and newest_def is None:
        _new_footer(cut, edits, definition)


def _beside_newest(
    doc: _Doc, edits: _Edits, definition: str, newest_def: int, unreleased_def: int | None
) -> None:
    """Newest first: insert above the newest link; oldest first: below it. Keep the spacing."""
    if _oldest_first(doc, newest_def, unreleased_def):
        gap = [doc.newline] * _blank_run(doc, newest_def + 1, step=1)
        edits.insert(newest_def + 1, [*gap, definition])
    else:
        gap = [doc.newline] * _blank_run(doc, newest_def - 1, step=-1)
        edits.insert(newest_def, [definition, *gap])


def _oldest_first(doc: _Doc, newest_def: int, unreleased_def: int | None) -> bool:
    releases = doc.releases()
    second_def = doc.link_def(releases[1].label) if len(releases) > 1 else None
    if second_def is not None:
        return second_def < newest_def
    return unreleased_def is not None and unreleased_def > newest_def


def _blank_run(doc: _Doc, start: int, *, step: int) -> int:
    """How many blank lines run from `start`, if a link definition follows them (else 0)."""
    index = start
    while 0 <= index < len(doc.lines) and doc.kinds[index] is _Kind.BLANK:
        index += step
    followed = 0 <= index < len(doc.lines) and doc.kinds[index] is _Kind.LINK_DEF
    return abs(index - start) if followed else 0


def _new_footer(cut: _Cut, edits: _Edits, definition: str | None) -> None:
    """A file with no links yet gets a footer, when the remote tells where links point."""
    unreleased, doc = cut.unreleased, cut.doc
    footer: list[str] = []
    if unreleased.bracketed and unreleased.link is None and cut.links.unreleased is not None:
        footer.append(_link_line(cut, unreleased.label, cut.links.unreleased))
    if definition is not None:
        footer.append(definition)
    if footer and doc.kinds[-1] is not _Kind.BLANK:
        footer.insert(0, doc.newline)
    edits.insert(len(doc.lines), footer)
