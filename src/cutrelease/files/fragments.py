"""Changelog fragments: one small file per change, found, split by type, rendered, merged.

towncrier's three steps (`src/towncrier/_builder.py`: find_fragments, split_fragments,
render_fragments), then a fourth: the rendered entries are merged with the Unreleased
section's under Keep a Changelog's headings (https://keepachangelog.com/en/1.1.0/), in its
order. Two forms of fragment are read:

- towncrier's names (https://towncrier.readthedocs.io/en/stable/tutorial.html):
  `123.feature.md`, `+anything.bugfix.md` (an orphan: no issue), `123.feature.2.md`, the
  extension optional; the file holds the entry's text.
- scriv's form (https://scriv.readthedocs.io/en/latest/concepts.html): any other `*.md`
  holding `### Added`, `### Fixed`… sections with list entries; HTML comments (scriv's
  template) are not entries.

`find` alone touches the disk; `split`, `render` and `merge` are pure. Every bad fragment is
one FileFormatError, `path:line: what is wrong`, so that `bump check` lists them all and a
release refuses with the first.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from cutrelease.errors import FileFormatError
from cutrelease.files import markdown
from cutrelease.files.changelog import Changelog
from cutrelease.files.markdown import Kind
from cutrelease.patterns import compiled

if TYPE_CHECKING:
    from cutrelease.project import Project

__all__ = [
    "ALIASES",
    "CATEGORIES",
    "DEFAULT_FOLDER",
    "Entry",
    "Found",
    "Fragment",
    "Gathered",
    "Settings",
    "entries_of",
    "find",
    "for_project",
    "gather",
    "issue_linker",
    "merge",
    "render",
    "settings",
    "split",
    "unreleased_entries",
]

DEFAULT_FOLDER = "changelog.d"
#: Keep a Changelog's headings, in its order.
CATEGORIES = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")
#: A fragment's type (in its name) -> its heading: the six, and towncrier's default types.
ALIASES: Mapping[str, str] = {
    **{name.lower(): name for name in CATEGORIES},
    "feature": "Added",
    "bugfix": "Fixed",
    "removal": "Removed",
    "deprecation": "Deprecated",
    "doc": "Changed",
    "misc": "Changed",
}
# towncrier's section names, for a [tool.towncrier] type named so (its `name`).
_TOWNCRIER_NAMES = {
    "features": "Added",
    "bugfixes": "Fixed",
    "bug fixes": "Fixed",
    "improved documentation": "Changed",
    "documentation": "Changed",
    "deprecations and removals": "Removed",
    "deprecations": "Deprecated",
    "removals": "Removed",
    "misc": "Changed",
}
_EXTENSIONS = ("md", "markdown", "rst", "txt")
_LIST_ITEM = r"(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)"
# A towncrier name whatever its type (`15.featur.rst`, `+x.bugfx`): read, so that an unknown
# type is reported, not left behind unseen (towncrier#142).
_TOWNCRIER_LIKE = r"(?i)(?:\d+|\+[^/]*)\.[A-Za-z][\w-]*(?:\.\d+)?(?:\.(?:md|markdown|rst|txt))?"


class Settings(NamedTuple):
    """Where the fragments are and what their types mean.

    `types` maps each type a file name may carry to its Keep a Changelog heading ("" for a
    type [tool.towncrier] configures that has none); `issue_format` is towncrier's
    (`"[#{issue}](https://…/{issue})"`), None to link to the forge.
    """

    folder: str  # from the repository root, forward slashes
    types: Mapping[str, str] = ALIASES
    issue_format: str | None = None
    orphan_prefix: str = "+"
    towncrier: bool = False  # the folder and types are [tool.towncrier]'s
    ignore: tuple[str, ...] = ()  # names in the folder that are no fragments (fnmatch, any case)


def settings(data: Mapping[str, Any], *, folder: str | None) -> Settings:
    """The fragments' settings from a pyproject.toml's `data`: `folder` when cutrelease's
    `fragments` key names one, else [tool.towncrier]'s `directory` (or `package_dir/package/
    newsfragments`), else changelog.d; the types [tool.towncrier] configures join the six and
    towncrier's aliases. Folders are relative to that pyproject.toml."""
    tool = data.get("tool")
    towncrier = tool.get("towncrier") if isinstance(tool, Mapping) else None
    if not isinstance(towncrier, Mapping):
        return Settings(DEFAULT_FOLDER if folder is None else folder)
    from_towncrier = folder is None
    if folder is None:
        folder = _towncrier_folder(towncrier)
    issue_format = towncrier.get("issue_format")
    prefix = towncrier.get("orphan_prefix", "+")
    return Settings(
        folder,
        {**ALIASES, **_towncrier_types(towncrier)},
        issue_format if isinstance(issue_format, str) and issue_format else None,
        prefix if isinstance(prefix, str) and prefix else "+",
        from_towncrier,
        _towncrier_ignored(towncrier, folder),
    )


def _towncrier_ignored(towncrier: Mapping[str, Any], folder: str) -> tuple[str, ...]:
    """towncrier's `ignore` names (globs since 24.8), and its `template` when that file lies
    in the fragments' folder: towncrier skips both (towncrier#632, #642)."""
    listed = towncrier.get("ignore")
    names = [n for n in listed if isinstance(n, str)] if isinstance(listed, list) else []
    template = towncrier.get("template")
    if isinstance(template, str) and "/" in template:
        where, name = template.strip().removeprefix("./").rsplit("/", 1)
        if where.strip("/") == folder.strip().strip("/"):
            names.append(name)
    return tuple(names)


def for_project(project: Project) -> Settings:
    """A project's fragment settings, its folder from the repository root: [tool.cutrelease]
    `fragments` when set, else [tool.towncrier]'s directory, else changelog.d."""
    from cutrelease.tomlfile import parse_toml

    data = parse_toml(project.pyproject_text, project.path("pyproject.toml"))
    folder = project.config.fragments if "fragments" in project.configured else None
    found = settings(data, folder=folder)
    if not found.folder.strip():  # fragments = "": none
        return found._replace(folder="")
    return found._replace(folder=project.path(found.folder))


def issue_linker(config: Settings, web_url: str | None) -> Callable[[str], str]:
    """How an issue number is written: towncrier's `issue_format` when configured, else a
    link to the forge's issue page (the remote's `web_url`), else `#123`."""
    from cutrelease.git import forges

    if config.issue_format is not None:
        issue_format = config.issue_format
        return lambda number: issue_format.replace("{issue}", number)
    if web_url is not None:
        url = web_url
        return lambda number: f"[#{number}]({forges.issue_url(url, number)})"
    return lambda number: f"#{number}"


class Gathered(NamedTuple):
    """A project's fragments: the files found, those read, and one error per bad one."""

    settings: Settings
    found: tuple[Found, ...]
    fragments: tuple[Fragment, ...]
    problems: tuple[FileFormatError, ...]

    @property
    def paths(self) -> list[str]:
        """Every fragment read: the files a release deletes."""
        return [fragment.path for fragment in self.fragments]

    def entries(self, web_url: str | None) -> dict[str, list[Entry]]:
        """The entries by heading, issues written for the forge at `web_url` (render)."""
        return render(self.fragments, issue_link=issue_linker(self.settings, web_url))

    def first_problem(self) -> None:
        """Raise the first bad fragment's FileFormatError, if there is one."""
        if self.problems:
            raise self.problems[0]


def gather(project: Project) -> Gathered:
    """Find and split a project's fragments (none when its folder does not exist, or
    `fragments = ""` turns them off). A folder outside the repository, or the repository's
    root itself, is one problem: its files are never read, nor deleted."""
    config = for_project(project)
    if not config.folder.strip():
        return Gathered(config, (), (), ())
    root = project.root.resolve()
    folder = (project.root / config.folder).resolve()
    if folder == root or root not in folder.parents:
        problem = FileFormatError(
            project.path("pyproject.toml"),
            f"the changelog fragments' folder {config.folder!r} is not a folder inside the "
            "repository.",
            hint='Name a folder of the repository (fragments = "changelog.d"), or "" for none.',
        )
        return Gathered(config, (), (), (problem,))
    found = find(project.root, config)
    parts, problems = split(found, config)
    return Gathered(config, found, tuple(parts), tuple(problems))


def _towncrier_folder(towncrier: Mapping[str, Any]) -> str:
    directory = towncrier.get("directory")
    if isinstance(directory, str) and directory.strip():
        return directory.strip().strip("/")
    package = towncrier.get("package")
    if isinstance(package, str) and package:
        package_dir = towncrier.get("package_dir", ".")
        parts = [str(package_dir).strip("/"), package, "newsfragments"]
        return "/".join(part for part in parts if part and part != ".")
    return DEFAULT_FOLDER


def _towncrier_types(towncrier: Mapping[str, Any]) -> dict[str, str]:
    """[[tool.towncrier.type]] (directory, name) and [tool.towncrier.fragment.TYPE] (name)."""
    named: list[tuple[str, str]] = []
    listed = towncrier.get("type")
    if isinstance(listed, list):
        for table in listed:
            if isinstance(table, Mapping) and isinstance(table.get("directory"), str):
                named.append((table["directory"], str(table.get("name", ""))))
    tables = towncrier.get("fragment")
    if isinstance(tables, Mapping):
        for key, table in tables.items():
            name = table.get("name", "") if isinstance(table, Mapping) else ""
            named.append((str(key), str(name)))
    return {key: _heading_of(key, name) for key, name in named}


def _heading_of(key: str, name: str) -> str:
    for word in (key.lower(), name.strip().lower()):
        if word in ALIASES:
            return ALIASES[word]
        if word in _TOWNCRIER_NAMES:
            return _TOWNCRIER_NAMES[word]
    return ""


# ----------------------------------------------------------------------------- find


class Found(NamedTuple):
    """A file of the fragments folder that is (or looks like) a fragment.

    `data` is its bytes; None when it cannot be one (`problem` says why: a folder named like
    a fragment, a symbolic link out of the repository).
    """

    path: str  # from the repository root, forward slashes
    data: bytes | None
    problem: str | None = None


def find(root: Path, found: Settings) -> tuple[Found, ...]:
    """The fragments in the folder `found.folder` names, by name; () when it does not exist.

    README files, dotfiles (`.gitkeep`), the names `found.ignore` matches and names that are
    neither towncrier's nor `*.md` (scriv's templates, `*.j2`) are no fragments; a towncrier
    name of an unknown type is one (split reports it).
    """
    folder = root / found.folder
    if not found.folder.strip() or not folder.is_dir() or folder.is_symlink():
        return ()
    real_root = root.resolve()
    out = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        relative = f"{found.folder}/{path.name}"
        if _named_like(path.name, found):
            out.append(_found(path, relative, real_root))
        elif _is_section(path, found):
            out.append(Found(relative, None, _SECTION))
    return tuple(out)


_SECTION = (
    "is a folder of fragments (towncrier's sections), and fragments in a subfolder are not "
    "read: they would never be released"
)


def _named_like(name: str, found: Settings) -> bool:
    """Whether a name in the fragments' folder is a fragment's (see find)."""
    if name.startswith(".") or name.split(".", 1)[0].lower() == "readme":
        return False
    if any(fnmatch.fnmatch(name.lower(), glob.lower()) for glob in found.ignore):
        return False
    return (
        name.lower().endswith(".md")
        or _towncrier_name(name, found) is not None
        or compiled(_TOWNCRIER_LIKE).fullmatch(name) is not None
    )


def _is_section(path: Path, found: Settings) -> bool:
    """A subfolder (not a link) holding a file named like a fragment."""
    if path.is_symlink() or not path.is_dir():
        return False
    return any(child.is_file() and _named_like(child.name, found) for child in path.iterdir())


def _found(path: Path, relative: str, root: Path) -> Found:
    if path.is_symlink():  # deleted and put back, it would come back as a file
        target = path.resolve()
        try:
            target.relative_to(root)
        except ValueError:
            return Found(relative, None, f"is a symbolic link to {target}, outside the repository")
        return Found(relative, None, f"is a symbolic link (to {target}), not a fragment's file")
    if path.is_dir():
        return Found(relative, None, "is a folder named like a fragment")
    if not path.is_file():
        return Found(relative, None, "is not a regular file")
    return Found(relative, path.read_bytes())


# ----------------------------------------------------------------------------- split


class Entry(NamedTuple):
    """One change: a list item as it goes into the changelog, under `category`.

    `lines` end in "\\n" (the changelog's own newline is put in by merge); `where` names it
    in messages (`changelog.d/12.feature.md:1`).
    """

    category: str
    lines: tuple[str, ...]
    where: str

    @property
    def text(self) -> str:
        """Its first line without the list marker: what messages quote."""
        first = self.lines[0].strip() if self.lines else ""
        marker = compiled(_LIST_ITEM).match(first)
        return first[marker.end() :].strip() if marker else first


class Fragment(NamedTuple):
    """A fragment read: its path, its issue (towncrier's names), its entries in order."""

    path: str
    issue: str | None
    entries: tuple[Entry, ...]


def split(found: Sequence[Found], config: Settings) -> tuple[list[Fragment], list[FileFormatError]]:
    """Each file read as a fragment: the fragments, and one FileFormatError per bad one
    (not text, empty, an unknown type, headings outside the six, entries outside them)."""
    fragments, problems = [], []
    for item in found:
        try:
            fragments.append(_fragment(item, config))
        except FileFormatError as exc:
            problems.append(exc)
    return fragments, problems


def _fragment(item: Found, config: Settings) -> Fragment:
    if item.data is None:
        hint = _MOVE_UP if item.problem == _SECTION else _MOVE_IT
        raise FileFormatError(item.path, f"{item.problem}.", line=1, hint=hint)
    text = _text(item)
    name = item.path.rsplit("/", 1)[-1]
    named = _towncrier_name(name, config)
    if named is not None:
        issue, kind = named
        category = config.types[kind]
        if not category:
            raise FileFormatError(
                item.path,
                f"its type {kind!r} ([tool.towncrier]) has no Keep a Changelog heading.",
                line=1,
                hint=f"Rename it with one of the types {_type_list()}.",
            )
        return Fragment(item.path, issue, _towncrier_entries(item.path, text, category))
    if not name.lower().endswith(".md"):  # _TOWNCRIER_LIKE: a type that is none
        raise FileFormatError(
            item.path,
            f"its type {_counted(name)[0].rsplit('.', 1)[-1]!r} is not one of {_type_list()}.",
            line=1,
            hint="Rename it with one of those types.",
        )
    return Fragment(item.path, None, _scriv_entries(item.path, text))


_MOVE_IT = "Replace it with a Markdown file of the repository, or move it out of the folder."
_MOVE_UP = "Move its fragments up into the fragments' folder, or move it out of that folder."


def _type_list() -> str:
    return ", ".join(ALIASES)


def _text(item: Found) -> str:
    data = item.data or b""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = "\0"
    if "\0" in text:
        raise FileFormatError(item.path, "is not a text file.", line=1, hint=_MOVE_IT)
    return text.replace("\r\n", "\n")


def _towncrier_name(name: str, config: Settings) -> tuple[str | None, str] | None:
    """(issue or None for an orphan, type) of a towncrier name; None for any other name.

    towncrier's rule: the type is the last part that is one, the parts before it the issue,
    a counter may follow (`123.feature.2`), then the extension.
    """
    parts = name.split(".")
    if len(parts) > 2 and parts[-1].lower() in _EXTENSIONS:
        parts.pop()
    for at in range(len(parts) - 1, 0, -1):
        if parts[at] in config.types or parts[at].lower() in ALIASES:
            rest = parts[at + 1 :]
            if rest and not (len(rest) == 1 and rest[0].isdigit()):
                return None
            issue = ".".join(parts[:at]).strip()
            kind = parts[at] if parts[at] in config.types else parts[at].lower()
            if issue.startswith(config.orphan_prefix):
                return None, kind
            return (str(int(issue)) if issue.isdigit() else issue), kind
    return None


def _towncrier_entries(path: str, text: str, category: str) -> tuple[Entry, ...]:
    """A towncrier fragment's text as list items: one, or those it writes itself."""
    document = markdown.read(text)
    heading = next(iter(document.headings), None)
    if heading is not None:
        raise FileFormatError(
            path,
            f"a towncrier fragment holds its entry's text, not the heading {heading.text!r}.",
            line=heading.at + 1,
            hint="Remove the heading (the file's name gives the type), or name the file "
            "without a type and keep the sections (scriv's form).",
        )
    lines, numbers = _content(document)
    if not lines:
        raise FileFormatError(path, "is empty.", line=1, hint=_WRITE_IT)
    if compiled(_LIST_ITEM).match(lines[0]):
        return tuple(Entry(category, item, f"{path}:{at}") for item, at in _items(lines, numbers))
    item = tuple(
        line if i == 0 or not line.strip() else "  " + line for i, line in enumerate(lines)
    )
    return (Entry(category, ("- " + item[0], *item[1:]), f"{path}:{numbers[0]}"),)


_WRITE_IT = "Write the change in it, or delete it."


def _content(document: markdown.Document) -> tuple[list[str], list[int]]:
    """The lines that are not comments, blank edges trimmed, each ended by "\\n"; and their
    1-based line numbers."""
    kept = [
        (markdown.content(line) + "\n", at + 1)
        for at, (line, kind) in enumerate(zip(document.lines, document.kinds, strict=True))
        if kind is not Kind.COMMENT
    ]
    while kept and not kept[0][0].strip():
        kept.pop(0)
    while kept and not kept[-1][0].strip():
        kept.pop()
    return [line for line, _ in kept], [at for _, at in kept]


def _items(lines: Sequence[str], numbers: Sequence[int]) -> list[tuple[tuple[str, ...], int]]:
    """Split lines into list items at each unindented list marker (what precedes the first
    marker is an item too); blank lines between items go, those inside one stay."""
    items: list[tuple[list[str], int]] = []
    fence: str | None = None
    for line, at in zip(lines, numbers, strict=True):
        stripped = line.lstrip()
        opening = re.match(r"(`{3,}|~{3,})", stripped)
        starts = fence is None and compiled(_LIST_ITEM).match(line) and line[:1] not in " \t"
        if starts or not items:
            items.append(([], at))
        if opening is not None:
            fence = opening[1] if fence is None else (None if stripped.strip() == fence else fence)
        items[-1][0].append(line)
    out = []
    for body, at in items:
        while body and not body[-1].strip():
            body.pop()
        if body:
            out.append((tuple(body), at))
    return out


def entries_of(text: str, *, path: str, first_line: int = 1) -> list[Entry]:
    """The entries of Markdown `text` written in sections (scriv's form, and the Unreleased
    section's notes), each under its heading (one of the six, any case; else ""); entries
    before any heading have category "". `first_line` is the number of the text's first line
    in `path`. Never raises."""
    document = markdown.read(text)
    return [entry for entry, _ in _sectioned(document, path, first_line - 1)]


def unreleased_entries(log: Changelog, *, path: str) -> list[Entry]:
    """The entries of a changelog's Unreleased section (none without one), named by their
    lines in `path`."""
    section = log.unreleased
    if section is None:
        return []
    start = section.heading.height
    notes = "".join(section.lines[start : section.end])
    return entries_of(notes, path=path, first_line=section.at + start + 1)


def _sectioned(
    document: markdown.Document, path: str, offset: int = 0
) -> list[tuple[Entry, markdown.Heading | None]]:
    """Each entry of a sectioned text with the heading it is under (None: above them all)."""
    headings = {h.at: h for h in document.headings}
    out: list[tuple[Entry, markdown.Heading | None]] = []
    current: markdown.Heading | None = None
    lines: list[str] = []
    numbers: list[int] = []

    def flush() -> None:
        category = _category(current.text) if current is not None else ""
        for item, at in _items(lines, numbers):
            out.append((Entry(category, item, f"{path}:{at + offset}"), current))
        lines.clear()
        numbers.clear()

    for index, (line, kind) in enumerate(zip(document.lines, document.kinds, strict=True)):
        if kind in (Kind.COMMENT, Kind.UNDERLINE):
            continue
        if index in headings:
            flush()
            current = headings[index]
        elif line.strip() or lines:
            lines.append(markdown.content(line) + "\n")
            numbers.append(index + 1)
    flush()
    return out


def _category(heading: str) -> str:
    """The one of the six a heading names (any case, bold or not); "" for any other."""
    word = heading.strip().strip("*_ ").lower()
    return next((name for name in CATEGORIES if name.lower() == word), "")


def _scriv_entries(path: str, text: str) -> tuple[Entry, ...]:
    """A scriv fragment's entries: sections headed by the six, each holding list entries."""
    document = markdown.read(text)
    found = _sectioned(document, path)
    for heading in document.headings:
        if _category(heading.text) == "":
            raise FileFormatError(
                path,
                f"the heading {heading.text!r} is not one of Keep a Changelog's "
                f"{', '.join(CATEGORIES)}.",
                line=heading.at + 1,
                hint="Put the entry under one of those headings.",
            )
    for entry, under in found:
        if under is None:
            named = re.fullmatch(r"(?:\+.*|\d+)\.([^.]+)\.md", path.rsplit("/", 1)[-1])
            if named and not document.headings:
                raise FileFormatError(
                    path,
                    f"its type {named[1]!r} is not one of {_type_list()}.",
                    line=1,
                    hint="Rename it with one of those types.",
                )
            raise FileFormatError(
                path,
                "its entry is under no heading: a fragment named without a type writes "
                "its entries under ### Added, ### Fixed… (scriv's form).",
                line=int(entry.where.rsplit(":", 1)[1]),
                hint="Put it under one of those headings, or name the file like "
                "123.feature.md (towncrier's form).",
            )
    if not found:
        raise FileFormatError(path, "is empty (it holds no entry).", line=1, hint=_WRITE_IT)
    return tuple(entry for entry, _ in found)


# ----------------------------------------------------------------------------- render


def render(
    fragments: Iterable[Fragment], *, issue_link: Callable[[str], str]
) -> dict[str, list[Entry]]:
    """The fragments' entries by heading, in Keep a Changelog's order: towncrier's by issue
    number (then name), then scriv's in the order of their names (a date first: written
    order). A numeric issue is written after the entry's first paragraph as
    `issue_link(number)`; one text in several fragments of a heading is one entry, naming
    each issue."""
    ordered = sorted(fragments, key=_order)
    by_category: dict[str, list[Entry]] = {name: [] for name in CATEGORIES}
    issues: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for fragment in ordered:
        for entry in fragment.entries:
            key = (entry.category, entry.lines)
            if key in issues:
                if fragment.issue and fragment.issue.isdigit():
                    issues[key].append(fragment.issue)
                continue
            issues[key] = [fragment.issue] if fragment.issue and fragment.issue.isdigit() else []
            by_category[entry.category].append(entry)
    for name, entries in by_category.items():
        by_category[name] = [
            _with_issues(entry, [issue_link(n) for n in issues[(entry.category, entry.lines)]])
            for entry in entries
        ]
    return {name: entries for name, entries in by_category.items() if entries}


def _order(fragment: Fragment) -> tuple[int, int, str, int]:
    """By issue, then name, towncrier's counter last: `9.bugfix.md` before `9.bugfix.1.md`
    before `9.bugfix.10.md`, as `towncrier create` makes them."""
    name, counter = _counted(fragment.path)
    if fragment.issue is not None and fragment.issue.isdigit():
        return 0, int(fragment.issue), name, counter
    return (1 if fragment.issue is not None else 2), 0, name, counter


def _counted(path: str) -> tuple[str, int]:
    """A path without its extension and towncrier's counter, and the counter (0: none)."""
    parts = path.split(".")
    if len(parts) > 2 and parts[-1].lower() in _EXTENSIONS:
        parts.pop()
    if len(parts) > 2 and parts[-1].isdigit():
        return ".".join(parts[:-1]), int(parts[-1])
    return ".".join(parts), 0


def _with_issues(entry: Entry, links: Sequence[str]) -> Entry:
    """The entry with `(link, link)` at the end of its first paragraph."""
    if not links:
        return entry
    lines = list(entry.lines)
    end = 0
    while (
        end + 1 < len(lines)
        and lines[end + 1].strip()
        and not compiled(_LIST_ITEM).match(lines[end + 1].strip())
        and not lines[end + 1].lstrip().startswith(("```", "~~~"))
    ):
        end += 1
    lines[end] = f"{lines[end].rstrip()} ({', '.join(links)})\n"
    return entry._replace(lines=tuple(lines))


# ----------------------------------------------------------------------------- merge


def merge(log: Changelog, entries: Mapping[str, Sequence[Entry]]) -> str:
    """The changelog's text with `entries` (by heading) in its Unreleased section: under the
    heading of each that the section has (after its own entries), else under a new heading,
    placed in Keep a Changelog's order. Every other line stays as it was; the entries take
    the file's newline. Without an Unreleased section, or entries, the text is as read."""
    unreleased = log.unreleased
    if unreleased is None or not any(entries.values()):
        return log.render()
    newline = log.newline
    notes = list(unreleased.lines[: unreleased.end])
    start = unreleased.heading.height
    for name in CATEGORIES:
        new = entries.get(name)
        if not new:
            continue
        body = [line.replace("\n", newline) for entry in new for line in entry.lines]
        # Read again each time: the section grows as headings and entries go in.
        subsections = [h for h in markdown.classify(notes).headings if h.at >= start]
        own = next((h for h in subsections if _category(h.text) == name), None)
        if own is not None:
            at = _end_of_entries(notes, own, subsections)
            notes[at:at] = body if at > own.end else [newline, *body]
            continue
        level = subsections[0].level if subsections else unreleased.heading.level + 1
        heading = ["#" * level + f" {name}" + newline, newline, *body]
        later = [h for h in subsections if _rank(h.text) > CATEGORIES.index(name)]
        if later:
            at = later[0].at
            notes[at:at] = [*heading, newline]
        else:
            at = _last_content(notes, start) + 1
            notes[at:at] = [newline, *heading]
    if notes[-1].strip() and unreleased.end < len(unreleased.lines):
        notes.append(newline)
    merged = unreleased._replace(lines=(*notes, *unreleased.lines[unreleased.end :]))
    return log._replace(unreleased=merged).render()


def _rank(heading: str) -> int:
    category = _category(heading)
    return CATEGORIES.index(category) if category else -1


def _end_of_entries(
    notes: Sequence[str],
    own: markdown.Heading,
    subsections: Sequence[markdown.Heading],
) -> int:
    """Where entries go under the heading `own`: after its last line that is not blank."""
    following = [h.at for h in subsections if h.at > own.at]
    end = following[0] if following else len(notes)
    return max(_last_content(notes[:end], own.end) + 1, own.end)


def _last_content(lines: Sequence[str], start: int) -> int:
    """The index of the last line that is not blank, at or after `start` (else start - 1)."""
    for index in range(len(lines) - 1, start - 1, -1):
        if lines[index].strip():
            return index
    return start - 1
