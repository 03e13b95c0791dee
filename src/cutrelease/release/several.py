"""Several packages of a workspace in one release (SPEC section 14): each planned as one, then
combined into one plan: one commit, an annotated tag per package, one atomic push."""

from __future__ import annotations

import difflib
import os
import posixpath
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, cast

from cutrelease import project, versions, workspace
from cutrelease.errors import CutreleaseError, FileFormatError, Refused
from cutrelease.files.sources.uvlock import UV_LOCK
from cutrelease.git.gitrepo import (
    GitRepo,
    Pending,
    RemoteAnswers,
    RemoteUrls,
    Status,
    Upstream,
)
from cutrelease.packages import PYPROJECT, canonical_name
from cutrelease.release import checks
from cutrelease.release.plan import FileEdit, Plan, Tagged, decode, message
from cutrelease.release.request import ReleaseRequest, plan_release
from cutrelease.templates import make_renderer
from cutrelease.tomlfile import parse_toml

T = TypeVar("T")

#: More tags than this in one push, and GitHub starts no workflow for any of them (no tag push
#: event at all); GitLab has the same kind of limit. SPEC section 14.
FORGE_TAG_LIMIT = 3
_FORGES = (("github", "GitHub"), ("gitlab", "GitLab"))


class Changed(NamedTuple):
    """A package of the repository and what happened in its folder since its last tag."""

    name: str
    folder: str
    version: str  # its current version
    last_tag: str | None  # the tag of that version; None: there is none here
    commits: int  # the commits touching its folder since that tag (all of them without one)

    def as_json(self) -> dict[str, object]:
        """Its keys in `bump changed --json`."""
        return {
            "name": self.name,
            "folder": self.folder or ".",
            "version": self.version,
            "last_tag": self.last_tag,
            "commits": self.commits,
        }


def changes(root: Path) -> list[Changed]:
    """Every package of the repository at `root` (workspace.members' order) with the commits
    touching its folder since its last tag (its tag prefix + its current version). A member's
    own members (the root holds them all) are not its folder, nor is a workspace's uv.lock,
    which every member's release moves, the root's. Each git count runs at once."""
    repo = GitRepo(root)
    found = workspace.members(root)
    asked = []
    for member in found:
        loaded = project.load(root, folder=member.folder, learn_tag_prefix=False)
        version = loaded.current_version()
        tag: str | None = member.tag_prefix + version
        if repo.ref(f"refs/tags/{tag}") is None:
            tag = None
        inner = [
            other.folder
            for other in found
            if other.folder
            and other.folder != member.folder
            and (not member.folder or other.folder.startswith(member.folder + "/"))
        ]
        if not member.folder and inner:  # the workspace's lock moves with every member
            inner.append("uv.lock")
        count = repo.commits_touching(tag, [member.folder], excluding=inner)
        asked.append((member, version, tag, count))
    return [
        Changed(member.name, member.folder, version, tag, count.result())
        for member, version, tag, count in asked
    ]


def table(found: Sequence[Changed]) -> str:
    """`bump changed` for people: one line per changed package: name, last tag, commits."""
    rows = [
        (
            item.name,
            item.last_tag or "(no tag)",
            f"{item.commits} commit{'s' if item.commits != 1 else ''}",
        )
        for item in found
    ]
    if not rows:
        return "No package changed since its last tag.\n"
    widths = [max(len(row[column]) for row in rows) for column in (0, 1)]
    return "".join(f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c}\n" for a, b, c in rows)


def folders(
    root: Path, names: Sequence[str], *, every: bool = False, changed: bool = False
) -> list[str]:
    """The folders of the packages a several-package release means, in workspace.members'
    order: those `names` names, or (`every`) every package, or (`changed`) each one whose
    folder a commit touched since its last tag. Refused for an unknown name, a package whose
    name or tag prefix is not its own, or (`changed`) when no package changed."""
    found = workspace.members(root)
    if every:
        chosen = {member.folder for member in found}
    elif changed:
        chosen = {item.folder for item in changes(root) if item.commits}
        if not chosen:
            raise Refused(
                "No package changed since its last tag: there is nothing to release.",
                hint="`bump changed` lists what changed; name packages with -p to release them.",
            )
    else:
        chosen = {workspace.find(found, name).folder for name in names}
    if not chosen:
        raise Refused("This repository has no pyproject.toml with a [project] table.")
    for folder in chosen:
        workspace.refuse_if_not_unique(found, folder)
    return [member.folder for member in found if member.folder in chosen]


def plan(root: Path, request: ReleaseRequest, chosen: Sequence[str]) -> Plan:
    """One plan releasing the packages in the folders `chosen` (relative to `root`) together.

    Each package is checked and planned as a release of its own (request.plan_release), then
    the plans are combined: the edits of one file merged into one (a uv.lock with every entry
    moved), a dependent's exact pin on a released package moved with it, one commit whose
    message lists the packages, a tag per package, one atomic push. Refused, before anything
    is written, for a requirement the new version would not meet, for what a several-package
    release does not do (hooks, --build, atomic_push = false), and for more tags than a forge
    starts workflows for. One folder: exactly the plan of a release of its own. The packages'
    plans share one asking of what concerns them all (the repository's state, the remote:
    _Shared), not one per package.
    """
    if len(chosen) == 1:
        return plan_release(root, request, folder=chosen[0])
    repo = _Shared(root, _expected(root, request, chosen))
    loaded = [project.load(root, folder=folder) for folder in chosen]
    names = [item.name or item.folder or "." for item in loaded]
    plans = [
        plan_release(
            root, request, folder=folder, together=[n for n in names if n != name], repo=repo
        )
        for folder, name in zip(chosen, names, strict=True)
    ]
    first = plans[0]
    for name, each in zip(names, plans, strict=True):
        _refuse_unsupported(name, each, first)
    edits = _merged([each.edits for each in plans])
    released = {
        canonical_name(name): (name, each.old_version, each.new_version)
        for name, each in zip(names, plans, strict=True)
    }
    edits = _pins_moved(root, edits, [item.folder for item in loaded], names, released)
    _refuse_silent_publish(root, first, names, asked=request.target.describe())
    packages = [
        {
            "name": name,
            "version": each.new_version,
            "previous_version": each.old_version,
            "tag": each.tag,
        }
        for name, each in zip(names, plans, strict=True)
    ]
    return first._replace(
        edits=edits,
        commit_message=_commit_message(root, loaded[0], first, request, packages),
        notes=_notes(names, plans),
        also=tuple(
            Tagged(
                name,
                each.old_version,
                each.new_version,
                each.tag,
                each.tag_message,
                index_said=each.index_said,
            )
            for name, each in zip(names[1:], plans[1:], strict=True)
        ),
    )


class _Expected(NamedTuple):
    """What the plans of several packages are expected to ask git about their own."""

    tags: list[str]  # the remote, about these tags
    files: list[str]  # `git ls-files -v`, about these release files


def _expected(root: Path, request: ReleaseRequest, chosen: Sequence[str]) -> _Expected:
    """What the packages in `chosen` are expected to ask, from their configuration alone
    (their plans find every place their version lives): the tags of each one's new and
    current version, from its static [project].version and known tag prefix; its
    pyproject.toml, changelog and security policy, and the workspace's uv.lock, those that are
    files of the repository by their own path (release_files asks git about a link's target,
    and refuses a file outside).
    Nothing for a package whose configuration or version does not read or parse (its plan
    refuses, in its place)."""
    tags: list[str] = []
    real_root = os.path.realpath(root)
    files = [UV_LOCK] if _own_path(real_root, UV_LOCK) else []
    for folder in chosen:
        try:
            loaded = project.load(root, folder=folder)
        except CutreleaseError:
            continue
        config = loaded.config
        names = (PYPROJECT, config.changelog, config.security)
        paths = [loaded.path(name) for name in names if name.strip()]
        files += [path for path in paths if _own_path(real_root, path)]
        if not request.push or loaded.version is None or loaded.tag_prefix_unknown:
            continue
        try:
            new = versions.resolve(versions.parse(loaded.version), request.target)
            checks.tag_name_is_valid(config.tag_prefix + new)
        except CutreleaseError:
            continue
        tags += [f"refs/tags/{config.tag_prefix}{v}" for v in (new, loaded.version)]
    return _Expected(tags, files)


def _own_path(real_root: str, path: str) -> bool:
    """Whether `path` (from the repository root) stays inside it with no link on the way: git
    is asked about it as it is (a path beyond a link, or outside, would fail the question)."""
    if os.path.isabs(path) or path == ".." or path.startswith("../"):
        return False
    full = os.path.join(real_root, path)
    return os.path.realpath(full) == full


class _Shared(GitRepo):
    """A GitRepo that asks git each question about the whole repository once (its status,
    its remotes, a branch's upstream, who commits) for all the packages planned together:
    each package's plan asks them, and planning changes nothing in between. The remote and
    the index's flags are asked once too, about what every package is `expected` to ask
    (_expected) beside what the first one asks: each package's answer is the part it asked
    for, as if asked alone (git reports each refspec of the dry push on its own line, and each
    file on its own line); a package that asks about more asks alone."""

    def __init__(self, root: Path, expected: _Expected | None = None) -> None:
        super().__init__(root)
        self._asked: dict[tuple[str, ...], Pending[Any]] = {}
        self._expected = expected or _Expected([], [])
        self._remote: dict[tuple[str, str, bool], tuple[set[str], RemoteAnswers]] = {}
        self._flags: tuple[set[str], Pending[dict[str, str]]] | None = None

    def _once(self, key: tuple[str, ...], ask: Callable[[], Pending[T]]) -> Pending[T]:
        if key not in self._asked:
            self._asked[key] = ask()
        return cast(Pending[T], self._asked[key])

    def status(self) -> Pending[Status]:
        return self._once(("status",), super().status)

    def remotes(self) -> Pending[dict[str, RemoteUrls]]:
        return self._once(("remotes",), super().remotes)

    def upstream(self, branch: str) -> Pending[Upstream | None]:
        return self._once(("upstream", branch), lambda: super(_Shared, self).upstream(branch))

    def identity(self, role: str) -> Pending[str | None]:
        return self._once(("identity", role), lambda: super(_Shared, self).identity(role))

    def ask_remote(
        self, remote: str, branch: str, tags: Sequence[str], *, atomic: bool
    ) -> RemoteAnswers:
        key = (remote, branch, atomic)
        asked = self._remote.get(key)
        if asked is None:
            every = list(dict.fromkeys([*tags, *self._expected.tags]))
            asked = (set(every), super().ask_remote(remote, branch, every, atomic=atomic))
            self._remote[key] = asked
        if not set(tags) <= asked[0]:
            return super().ask_remote(remote, branch, tags, atomic=atomic)
        wanted = frozenset([f"refs/heads/{branch}", *tags])
        return RemoteAnswers(_Part(asked[1].refs, wanted), asked[1].dry_push)

    def index_flags(self, paths: Sequence[str]) -> Pending[dict[str, str]]:
        if self._flags is None:
            every = list(dict.fromkeys([*paths, *self._expected.files]))
            self._flags = (set(every), super().index_flags(every))
        # A path git reads as a pattern may name other files: asked alone, as it was.
        if not set(paths) <= self._flags[0] or any(_PATTERN.search(path) for path in paths):
            return super().index_flags(paths)
        return _Part(self._flags[1], frozenset(paths))


#: What makes git read a path given to it as a pattern (gitglossary(7), pathspec).
_PATTERN = re.compile(r"[*?[\\]|^:")


class _Part(Pending[dict[str, str]]):
    """The keys `wanted` of an answer about more (a ref's sha, a file's index flag), read
    from that answer."""

    def __init__(self, whole: Pending[dict[str, str]], wanted: frozenset[str]) -> None:
        self._whole, self._wanted = whole, wanted

    def result(self) -> dict[str, str]:
        """The part of the whole answer that was wanted, or its error."""
        return {key: value for key, value in self._whole.result().items() if key in self._wanted}


def _notes(names: Sequence[str], plans: Sequence[Plan]) -> tuple[str, ...]:
    """Each package's notes, each named by its package (`beta: 0.1.0, the current version,
    was never released …`); a note every package has (`main tracks origin/main …`), once."""
    shared = set(plans[0].notes).intersection(*(each.notes for each in plans[1:]))
    return tuple(
        dict.fromkeys(
            note if note in shared else f"{name}: {note}"
            for name, each in zip(names, plans, strict=True)
            for note in each.notes
        )
    )


def _refuse_unsupported(name: str, each: Plan, first: Plan) -> None:
    """What one commit and one atomic push cannot hold for several packages."""
    if (each.branch, each.head, each.remote) != (first.branch, first.head, first.remote):
        raise Refused(
            f"{name} is released from {each.branch} to {each.remote or 'no remote'}, and the "
            f"first package from {first.branch} to {first.remote or 'no remote'}: one release "
            "commit cannot go to both.",
            hint="Give the packages one branch and remote, or release them one at a time.",
        )
    if each.before_commit or each.after_push:
        raise Refused(
            f"{name} has before_commit or after_push hooks, which a release of several "
            "packages does not run.",
            hint="Release with --no-hooks and run them by hand, or release it on its own.",
        )
    if each.build is not None:
        raise Refused(
            "The build before the tag is tried for one package at a time.",
            hint="Release several packages without --build (and build = false).",
        )
    if each.remote is not None and not each.atomic:
        raise Refused(
            f"{name} has atomic_push = false, and several packages are released with one "
            "atomic push of the branch and every tag.",
            hint="Release them one at a time, or push to a remote that supports atomic pushes.",
        )


# ------------------------------------------------------------------------------ one file


def _merged(each: Sequence[Sequence[FileEdit]]) -> tuple[FileEdit, ...]:
    """The edits of all the plans, one per file: the edits of a file several packages change
    (the workspace's uv.lock) merged into one. Refused if two change the same lines
    differently."""
    by_path: dict[str, list[FileEdit]] = {}
    for edits in each:
        for edit in edits:
            by_path.setdefault(edit.path, []).append(edit)
    return tuple(_merge(path, edits) for path, edits in by_path.items())


def _merge(path: str, edits: Sequence[FileEdit]) -> FileEdit:
    """One file's edits, from the same bytes, as one edit holding every change."""
    first = edits[0]
    if all(edit == first for edit in edits[1:]):
        return first
    if any(edit.after is None or edit.before != first.before for edit in edits):
        raise _conflict(path)
    base = first.before.splitlines(keepends=True)
    found: set[tuple[int, int, tuple[bytes, ...]]] = set()  # the same change once
    for edit in edits:
        assert edit.after is not None
        found.update(_hunks(base, edit.after.splitlines(keepends=True)))
    hunks = sorted(found)
    out: list[bytes] = []
    at = 0
    previous: tuple[int, int] | None = None
    for start, end, lines in hunks:
        if previous is not None and (
            start < previous[1] or (start == previous[0] and start in (end, previous[1]))
        ):
            raise _conflict(path)
        out += base[at:start]
        out += lines
        at = end
        previous = (start, end)
    out += base[at:]
    return FileEdit(path, first.before, b"".join(out))


def _hunks(base: list[bytes], after: list[bytes]) -> list[tuple[int, int, tuple[bytes, ...]]]:
    """Where `after` differs from `base`: (first line, end line, the lines put there)."""
    head = 0
    while head < min(len(base), len(after)) and base[head] == after[head]:
        head += 1
    tail = 0
    while tail < min(len(base), len(after)) - head and base[-1 - tail] == after[-1 - tail]:
        tail += 1
    old, new = base[head : len(base) - tail], after[head : len(after) - tail]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [
        (head + i1, head + i2, tuple(new[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]


def _conflict(path: str) -> Refused:
    return Refused(
        f"Two of the packages released change the same lines of {path}.",
        hint="Release them one at a time.",
    )


# ------------------------------------------------------------------------------ dependencies


def _pins_moved(
    root: Path,
    edits: tuple[FileEdit, ...],
    folders: Sequence[str],
    names: Sequence[str],
    released: dict[str, tuple[str, str, str]],
) -> tuple[FileEdit, ...]:
    """The edits with each released package's exact pin on another released package
    (`alpha==0.2.0`, in [project].dependencies or optional-dependencies) moved to the new
    version in its pyproject.toml. Refused, naming `path:line`, for a requirement that the new
    version would not meet (`alpha<0.3`)."""
    by_path = {edit.path: edit for edit in edits}
    for folder, name in zip(folders, names, strict=True):
        path = posixpath.join(folder, PYPROJECT) if folder else PYPROJECT
        edit = by_path.get(path)
        before = edit.before if edit is not None else (root / path).read_bytes()
        after = edit.after if edit is not None and edit.after is not None else before
        text = decode(after, path)
        moved = pins_moved(text, path, released, own=canonical_name(name))
        if moved != text:
            by_path[path] = FileEdit(path, before, moved.encode("utf-8"))
    return tuple(by_path.values())


def pins_moved(text: str, path: str, released: dict[str, tuple[str, str, str]], *, own: str) -> str:
    """`text`, a pyproject.toml at `path`, with its exact pins on the `released` packages
    ({normalized name: (name, old version, new version)}) moved to their new versions, in
    [project].dependencies, its optional-dependencies and [dependency-groups] (PEP 735); its
    other bytes as they are, each string quoted as it was. Refused, naming `path:line`, for a
    requirement on one of them that excludes its new version, and for a pin not written as a
    one-line string (a release never leaves a pin behind unsaid)."""
    # Only a requirement whose text holds a released package's name may be on it: the others
    # are not parsed (nor packaging.requirements imported, when none is left).
    others = [key for key in released if key != own]
    listed = [item for item in _requirements(parse_toml(text, path)) if _may_name(item, others)]
    if not listed:
        return text
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.version import InvalidVersion, Version

    strings = _strings(text, path)
    moves: dict[str, tuple[re.Pattern[str], str]] = {}
    for written in listed:
        try:
            requirement = Requirement(written)
        except InvalidRequirement:
            continue  # uv and the build refuse it: not this release's to judge
        key = canonical_name(requirement.name)
        if key == own or key not in released:
            continue
        name, old, new = released[key]
        specifier = requirement.specifier
        if not specifier or specifier.contains(new, prereleases=True):
            continue
        specs = list(specifier)
        exact = False
        if len(specs) == 1 and specs[0].operator in ("==", "==="):
            try:
                exact = Version(specs[0].version) == Version(old)
            except InvalidVersion:
                exact = False
        line = _line_of(text, strings, written)
        if not exact:
            raise Refused(
                f"{path}:{line}: the requirement {written!r} excludes {name} {new}, which "
                "this release makes.",
                hint=f"Widen it to take {new}, commit that, then run bump again.",
            )
        pattern = re.compile(rf"({re.escape(specs[0].operator)}\s*){re.escape(specs[0].version)}")
        moves[written] = (pattern, new)
    if not moves:
        return text
    out: list[str] = []
    at = 0
    moved: set[str] = set()
    for start, end, value in strings:
        if value not in moves:
            continue
        pattern, new = moves[value]
        # The operator and version are never escaped, so their first match in the string as
        # written is the requirement's own; the string's value proves it.
        spelled = pattern.sub(rf"\g<1>{new}", text[start:end], count=1)
        if _value(spelled, path) != pattern.sub(rf"\g<1>{new}", value, count=1):
            continue
        out += [text[at:start], spelled]
        at = end
        moved.add(value)
    missing = sorted(moves.keys() - moved)
    if missing:
        raise Refused(
            f"{path}:{_line_of(text, strings, missing[0])}: the pin {missing[0]!r} is not "
            "written as a string on one line, and cutrelease moves only such pins.",
            hint="Write it on one line, commit that, then run bump again.",
        )
    return "".join(out) + text[at:]


def _may_name(written: str, keys: Sequence[str]) -> bool:
    """Whether the requirement `written` may be on one of the packages `keys` (normalized
    names): its normalized text holds one of them. A requirement's name is a run of its text,
    so one on such a package always does."""
    folded = canonical_name(written)
    return any(key in folded for key in keys)


def _requirements(data: dict[str, object]) -> list[str]:
    """The requirement strings of a pyproject.toml's data: [project].dependencies, its
    optional-dependencies, and each [dependency-groups] list (less `include-group` tables)."""
    listed: list[object] = []
    table = data.get("project")
    if isinstance(table, dict):
        listed += _list(table.get("dependencies"))
        optional = table.get("optional-dependencies")
        if isinstance(optional, dict):
            listed += [item for group in optional.values() for item in _list(group)]
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        listed += [item for group in groups.values() for item in _list(group)]
    return [item for item in listed if isinstance(item, str)]


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


#: A TOML comment, or a one-line basic ("...", with escapes) or literal ('...') string.
_TOKEN = re.compile(r"""#[^\n]*|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'""")


def _strings(text: str, path: str) -> list[tuple[int, int, str | None]]:
    """Each one-line string of `text` (a TOML document) outside comments: (start, end, its
    value), the value as TOML reads it (escapes undone)."""
    return [
        (match.start(), match.end(), _value(match[0], path))
        for match in _TOKEN.finditer(text)
        if match[0][0] != "#"
    ]


def _value(raw: str, path: str) -> str | None:
    """The value of the TOML string `raw` as written (quotes included); None if it is none."""
    if raw[0] == "'" or "\\" not in raw:
        return raw[1:-1]  # a literal string, or a basic one without escapes: as written
    try:
        value = parse_toml(f"v = {raw}\n", path).get("v")
    except FileFormatError:
        return None
    return value if isinstance(value, str) else None


def _line_of(text: str, strings: list[tuple[int, int, str | None]], written: str) -> int:
    """The line of `text` (1-based) of the string whose value is the requirement `written`;
    else of where it is written as it is (over several lines: their last); else 1."""
    at = next((start for start, _, value in strings if value == written), text.find(written))
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


# ------------------------------------------------------------------------------ the message


def _commit_message(
    root: Path,
    first: project.Project,
    plan_of_first: Plan,
    request: ReleaseRequest,
    packages: list[dict[str, str]],
) -> str:
    """The release commit's message, from the first package's commit_message.txt.j2 with
    `packages` listing every package (SPEC section 4's variables, the first's version)."""
    render = make_renderer(root / first.path(first.config.templates), root=root)
    variables: dict[str, object] = {
        "version": plan_of_first.new_version,
        "previous_version": plan_of_first.old_version,
        "tag": plan_of_first.tag,
        "date": request.date.isoformat(),
        "message": request.summary or "",
        "packages": packages,
    }
    return message(render, "commit_message.txt.j2", variables)


# ------------------------------------------------------------------------------ the forge


def _refuse_silent_publish(root: Path, first: Plan, names: Sequence[str], *, asked: str) -> None:
    """Refused when the push creates more tags than the forge its remote names starts
    workflows for: GitHub creates no tag push event at all for a push of more than three tags
    (GitLab likewise), so no package's publish would start. The hint releases the first
    three of `names` as `asked` (`bump minor`) asks."""
    count = len(names)
    if first.remote is None or count <= FORGE_TAG_LIMIT:
        return
    urls = [*GitRepo(root).configured_urls(first.remote), first.remote_display]
    forge = next(
        (shown for host, shown in _FORGES if any(host in url.lower() for url in urls)), None
    )
    if forge is None:
        return
    some = " ".join(f"-p {name}" for name in names[:FORGE_TAG_LIMIT])
    raise Refused(
        f"{first.remote} is on {forge}, which starts no workflow for the tags of a push that "
        f"creates more than {FORGE_TAG_LIMIT}: the publish of these {count} packages would "
        "never start.",
        hint=f"Release at most {FORGE_TAG_LIMIT} packages at a time (bump {some} "
        f"{asked.removeprefix('bump ')}), then the others.",
    )
