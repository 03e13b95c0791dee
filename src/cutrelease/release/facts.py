"""Facts = what a release depends on, gathered into one value before anything is decided.

The version the files hold and the one it moves to, where each release file is and its text,
the local repository's state, the remote's and the package index's answers: the questions
run side by side (the index and the remote, slowest, are asked first), each kept as an answer
in flight, Pending, Later or the index's Asking. An answer that failed keeps its error: the
check that reads it raises it, at its place in the order.
"""

from __future__ import annotations

import datetime
import posixpath
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Generic, NamedTuple, Protocol, TypeVar

from cutrelease import packages, versions
from cutrelease.errors import CutreleaseError, FileFormatError
from cutrelease.files import fragments, sources, unreadable
from cutrelease.git import tagprefix
from cutrelease.git.gitdir import git_dir
from cutrelease.git.gitrepo import DryPush, GitRepo, RemoteUrls, Status, Upstream
from cutrelease.packages import PYPROJECT
from cutrelease.patterns import compiled
from cutrelease.project import Project, members_prefixes
from cutrelease.release import checks
from cutrelease.release.checks import Relation, ReleaseFiles
from cutrelease.tomlfile import parse_toml

if TYPE_CHECKING:  # the index's client is imported when it is asked (offline: never)
    from cutrelease.publish.index import Asking

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Answer(Protocol[T_co]):
    """An answer in flight (Pending, Later): `result()` waits for it, or raises its error."""

    def result(self) -> T_co: ...


class Later(Generic[T]):
    """An answer worked out from others when first read, or at once (`Later.now`); its
    value or its error (a CutreleaseError) is kept, as Pending keeps git's."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._work: Callable[[], T] | None = work
        self._value: T | None = None
        self._error: CutreleaseError | None = None

    @classmethod
    def now(cls, work: Callable[[], T]) -> Later[T]:
        """The answer worked out at once, its error kept for whoever reads it."""
        later = cls(work)
        _peek(later)
        return later

    def result(self) -> T:
        """The value, or the error working it out raised (again, at each reading)."""
        if self._work is not None:
            try:
                self._value = self._work()
            except CutreleaseError as exc:
                self._error = exc
            self._work = None  # another exception (a bug) is not kept: it is raised at once
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]  # T may itself admit None


def _peek(answer: Answer[T]) -> T | None:
    """The answer if it has one, None if it failed: to choose what to ask next. Its error is
    raised again where a check reads it."""
    try:
        return answer.result()
    except CutreleaseError:
        return None


class Request(NamedTuple):
    """The release asked for, with the configuration's defaults filled in.

    `remote` is the remote's name even when `push` is False (the plan then pushes nowhere).
    `remote_source` says who chose it ("--remote", "[tool.cutrelease].remote"); None: it is the
    default, and the release branch's upstream, if it has one, chooses instead.
    """

    target: versions.Target
    date: datetime.date
    summary: str | None
    push: bool
    remote: str
    hooks: bool = True
    remote_source: str | None = None
    index_check: bool = True  # False: --offline, the package index is not asked
    build: bool = False  # --build: the sdist and wheel are tried before the tag
    # The other packages released in the same transaction (several.plan), by name.
    together: tuple[str, ...] = ()


class Version(NamedTuple):
    """Where the version lives (each place's text), and the release it moves to."""

    found: sources.VersionSources
    old: str
    new: str
    first_release: bool  # the version the project holds, released as it is


class Local(NamedTuple):
    """The local repository's state, as the checks read it."""

    status: Answer[Status]  # branch, HEAD, changed tracked files
    tags: dict[str, str | None]  # each tag the release may name (old and new version): its object
    index_flags: Answer[dict[str, str]]  # `git ls-files -v` of the release files
    shallow: bool
    # Asked only when the checkout is not on the release branch: the refusal's hint names the
    # way to it (does the branch exist here; else the repository's default branch).
    branch_exists: bool = True
    default_branch: str | None = None
    # git's answer to who makes the release commit and tag (author, committer): None, it
    # knows; else why not (see GitRepo.identity).
    identity: tuple[Answer[str | None], ...] = ()
    # The file of a merge, cherry-pick or revert under way (checks.IN_PROGRESS), if any.
    in_progress: str | None = None


class Remote(NamedTuple):
    """The remote the push goes to, and its answers (in flight)."""

    upstream: Answer[Upstream | None]  # the release branch's upstream: it chooses the remote
    remotes: Answer[dict[str, RemoteUrls]]  # every remote's URLs
    refs: Answer[dict[str, str]]  # `git ls-remote` of the branch and tags, at the push URL
    dry_push: Answer[DryPush]  # `git push --dry-run`: the remote's receiving side
    branch: Answer[Relation]  # ours to its release branch, asked once its refs are in


class Facts(NamedTuple):  # see lint.Problem
    """Everything a release is decided on, in one value (see the module's docstring)."""

    project: Project  # the tag prefix learned from what is here (the remote may still decide)
    version: Version
    files: Answer[ReleaseFiles]  # each release file's path in the repository, or its refusal
    texts: Mapping[str, Answer[bytes]]  # the bytes of the changelog and SECURITY.md
    local: Local
    remote: Remote | None  # None: no push
    index_asked: Answer[Asking] | None = None  # the package index's question; None: not asked
    # The changelog fragments (SPEC section 13), and `git ls-files -v` of their files.
    fragments: Answer[fragments.Gathered] | None = None
    fragment_flags: Answer[dict[str, str]] | None = None
    # The uv workspace's other members' requirements on the package (none outside one).
    required: Answer[list[checks.Requirement]] | None = None


def gather(project: Project, repo: GitRepo, request: Request) -> Facts:
    """Read the version, then ask every question the release depends on, side by side.

    Raises only what reading the version raises (it comes first: the questions name its
    tags); every later failure is kept in its answer, for the check that reads it.
    """
    project, version = read_version(project, request.target)
    config = project.config
    wanted = _wanted(project, old=version.old, new=version.new)
    # The package index and the remote, slowest, are asked first and answered last.
    index, name = None, project.name
    if request.index_check and config.index_check and name:
        index = Later.now(lambda: _ask_index(config.index_url, name))
    asked = questions = None
    if request.push:
        asked = _ask(repo, request.remote, wanted, branch=config.branch, atomic=config.atomic_push)
        questions = (repo.upstream(config.branch), repo.remotes())
    status = repo.status()
    files = Later.now(lambda: checks.release_files(project, version.found.paths, new=version.new))
    released = _peek(files)
    texts = {path: _text(project.root, path) for path in released.written} if released else {}
    gathered = Later.now(lambda: fragments.gather(project))
    seen = _peek(gathered)
    flags = repo.index_flags(seen.paths) if seen is not None and seen.paths else None
    local = _local(repo, status, files, wanted, branch=config.branch, remote=request.remote)
    remote = None
    if asked is not None and questions is not None:
        remote = _remote(repo, asked, questions, request, wanted, project=project, status=status)
    required = Later.now(lambda: requirements_on(project))
    return Facts(project, version, files, texts, local, remote, index, gathered, flags, required)


def _ask_index(index_url: str, name: str) -> Asking:
    """The index's question of project `name`: the one asked as bump started, if it asked
    the same page (publish.prefetch), else asked now. Raises Refused for a bad `index_url`."""
    from cutrelease.publish import prefetch
    from cutrelease.publish.index import ask
    from cutrelease.publish.listing import normalized, project_url

    early = prefetch.take(project_url(index_url, name), normalized(name))
    return early if early is not None else ask(index_url, name)


def _local(
    repo: GitRepo,
    status: Answer[Status],
    files: Answer[ReleaseFiles],
    wanted: list[str],
    *,
    branch: str,
    remote: str,
) -> Local:
    """The local repository's state: `status` and the tags of `wanted` (the refs the remote
    is asked for), the index's flags of the release `files`; off the release branch, the way
    to it."""
    tags = {ref: repo.ref(ref) for ref in wanted if ref.startswith("refs/tags/")}
    identity = (repo.identity("AUTHOR"), repo.identity("COMMITTER"))
    local = Local(
        status,
        tags,
        _index_flags(repo, files),
        repo.is_shallow(),
        identity=identity,
        in_progress=next(
            (name for name in checks.IN_PROGRESS if (repo.git_dir / name).exists()), None
        ),
    )
    seen = _peek(status)
    if seen is None or seen.branch == branch:
        return local
    exists = repo.ref(f"refs/heads/{branch}") is not None  # refused: its hint needs these
    return local._replace(
        branch_exists=exists, default_branch=None if exists else _default_branch(repo, remote)
    )


def _remote(
    repo: GitRepo,
    asked: _Asked,
    questions: tuple[Answer[Upstream | None], Answer[dict[str, RemoteUrls]]],
    request: Request,
    wanted: list[str],
    *,
    project: Project,
    status: Answer[Status],
) -> Remote:
    """The remote's answers, from where the push really goes (its push URL): the requested
    remote was asked at once; the upstream's, when it is another, is asked again."""
    branch, atomic = project.config.branch, project.config.atomic_push
    where = _peek(Later(lambda: _destination(questions, request, branch=branch)))
    # None: refused where the checks read the same answers. ask_remote asks the push URL.
    if where is not None and where.remote != request.remote:
        asked = _ask(repo, where.remote, wanted, branch=branch, atomic=atomic)
    seen = _peek(status)
    head = seen.head if seen is not None else None
    relation = Later(lambda: _relation(repo, asked.refs.result(), branch, head))
    return Remote(*questions, asked.refs, asked.dry_push, relation)


def _destination(
    questions: tuple[Answer[Upstream | None], Answer[dict[str, RemoteUrls]]],
    request: Request,
    *,
    branch: str,
) -> checks.Destination:
    """Where the push goes, from the upstream's and the remotes' answers (checks.destination,
    which the decision raises again, at its place, if it is refused)."""
    upstream, remotes = questions
    return checks.destination(
        upstream.result(),
        remotes.result(),
        branch=branch,
        remote=request.remote,
        source=request.remote_source,
    )


class _Asked(NamedTuple):
    """The remote's two answers, in flight: its refs, and a dry run of the push (which alone
    meets the remote's receiving side)."""

    refs: Answer[dict[str, str]]
    dry_push: Answer[DryPush]


def _ask(repo: GitRepo, remote: str, wanted: list[str], *, branch: str, atomic: bool) -> _Asked:
    """Both answers from one connection to the push URL (GitRepo.ask_remote): the remote
    advertises every ref it has, so in a repository of thousands of tags asking twice costs
    twice."""
    tags = [ref for ref in wanted if ref.startswith("refs/tags/")]
    refs, dry_push = repo.ask_remote(remote, branch, tags, atomic=atomic)
    return _Asked(refs, dry_push)


def _relation(repo: GitRepo, refs: dict[str, str], branch: str, head: str | None) -> Relation:
    """How our `branch` at `head` stands to the remote's (in `refs`): see checks.Relation."""
    theirs = refs.get(f"refs/heads/{branch}")
    if theirs is None or head is None or theirs == head:
        return "even"
    if not repo.has_commit(theirs):  # never fetched: behind or diverged, unknown which
        return "unfetched"
    if repo.is_ancestor(theirs, head):
        return "ahead"
    return "behind" if repo.is_ancestor(head, theirs) else "diverged"


def read_version(project: Project, target: versions.Target) -> tuple[Project, Version]:
    """The current version read where it lives, the new one, and the tag prefix learned.

    Raises what reading the places raises, Refused for a version or target that does not
    parse or apply, and for a tag name git would not take.
    """
    found = project.version_places()
    old = found.version
    checks.version_written_without_v(old, where=found.source.where)
    project = _learn_prefix(project, found)
    current = versions.parse(old, where=found.source.where)
    new = versions.resolve(current, target)
    checks.tag_name_is_valid(project.config.tag_prefix + new)
    return project, Version(found, old, new, new == versions.normal(current))


def _learn_prefix(project: Project, found: sources.VersionSources) -> Project:
    """`project` with the tag prefix learned from the current version wherever it lives
    (`found`): project.load learns it from a static [project].version only."""
    version = found.version
    if "tag_prefix" in project.configured or version == project.version:
        return project
    place = found.source.place
    learned = tagprefix.learn(
        project.root,
        git_dir(project.root),
        version=version,
        changelog=project.config.changelog,
        version_file=place.path if place is not None else None,
        others=None if project.folder else lambda: members_prefixes(project.root),
    )
    prefix = learned.prefix
    return project._replace(
        config=project.config._replace(tag_prefix=tagprefix.DEFAULT if prefix is None else prefix),
        tag_prefix_note=learned.note,
        tag_prefix_unknown=prefix is None and learned.conflict is None,
        tag_prefix_conflict=learned.conflict,
    )


def _wanted(project: Project, *, old: str, new: str) -> list[str]:
    """The refs the remote is asked for: the branch, the new tag and the current version's
    (versions from tags need it; one released with --no-push must reach the remote first);
    when nothing here tells the tag prefix, the tags of both prefixes."""
    prefixes = tagprefix.CANDIDATES if project.tag_prefix_unknown else (project.config.tag_prefix,)
    numbers = (new, old)
    tags = [f"refs/tags/{prefix}{number}" for number in numbers for prefix in prefixes]
    return [f"refs/heads/{project.config.branch}", *dict.fromkeys(tags)]


def _text(root: Path, path: str) -> Later[bytes]:
    """A release file's bytes, read now; FileFormatError, kept, when it cannot be read."""

    def read() -> bytes:
        try:
            return (root / path).read_bytes()
        except OSError as exc:
            raise FileFormatError(path, unreadable.message(exc)) from None

    return Later.now(read)


def requirements_on(project: Project) -> list[checks.Requirement]:
    """The requirements on `project`'s package that the other members of its uv workspace
    write (SPEC section 14): uv resolves them to the version in its folder. None outside a
    uv workspace, where a requirement is resolved from an index. Raises FileFormatError for
    a member's pyproject.toml that cannot be read."""
    root, name = project.root, project.name
    if not name or (not project.folder and "workspace" not in project.pyproject_text):
        return []  # (the root's text is read already: no uv workspace, no file read)
    root_data = parse_toml(project.pyproject_text, PYPROJECT) if not project.folder else None
    workspace = packages.uv_workspace(root_data or packages.root_data(root))
    if workspace is None:
        return []
    own = packages.canonical_name(name)
    found: list[checks.Requirement] = []
    for folder in ["", *sorted(packages.member_folders(root, workspace))]:
        if folder == project.folder:
            continue
        path = posixpath.join(folder, PYPROJECT)
        try:
            text = (root / path).read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise FileFormatError(path, unreadable.message(exc)) from None
        if own not in packages.canonical_name(text):  # never names it: not parsed
            continue
        data = parse_toml(text, path)
        member = packages.package_name(data, folder)
        if member is not None:
            found += requirements(text, data, path=path, member=member, naming={own})
    return found


#: The name a requirement starts with (PEP 508): enough to pass over the others unparsed.
_REQUIRED_NAME = r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)"


def requirements(
    text: str,
    data: Mapping[str, object],
    *,
    path: str,
    member: str,
    naming: Collection[str] | None = None,
) -> list[checks.Requirement]:
    """The requirements in [project].dependencies and optional-dependencies of the
    pyproject.toml at `path` (its `text`, and `data` as parsed) of the package `member`,
    each with its line; only those on the packages `naming` (normalized names) when given.
    One that packaging cannot read is left out: uv and the build refuse it, not a release."""
    from packaging.requirements import InvalidRequirement, Requirement

    table = data.get("project")
    if not isinstance(table, dict):
        return []
    listed = packages.strings(table.get("dependencies"))
    optional = table.get("optional-dependencies")
    if isinstance(optional, dict):
        listed += [item for group in optional.values() for item in packages.strings(group)]
    found = []
    for written in listed:
        start = compiled(_REQUIRED_NAME).match(written)
        named = packages.canonical_name(start[1]) if start is not None else None
        if naming is not None and named not in naming:
            continue
        try:
            parsed = Requirement(written)
        except InvalidRequirement:
            continue
        at = text.find(written)
        line = text.count("\n", 0, at) + 1 if at >= 0 else 1
        name = packages.canonical_name(parsed.name)
        found.append(checks.Requirement(member, path, line, written, name, str(parsed.specifier)))
    return found


def _index_flags(repo: GitRepo, files: Answer[ReleaseFiles]) -> Answer[dict[str, str]]:
    """`git ls-files -v` of the release files, asked now; when they cannot be resolved, their
    refusal (raised before the flags are read)."""
    released = _peek(files)
    if released is None:
        return Later(lambda: repo.index_flags(files.result().asked).result())
    return repo.index_flags(released.asked)


def _default_branch(repo: GitRepo, remote: str) -> str | None:
    """The repository's default branch: `remote`'s HEAD as recorded here, or a local master."""
    default = repo.default_branch(remote)
    if default is None and repo.ref("refs/heads/master") is not None:
        return "master"
    return default
