"""The refusals a release checks before anything is written; each names its cause."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from cutrelease import versions
from cutrelease.errors import FileFormatError, Refused
from cutrelease.files import unreadable
from cutrelease.files.changelog import Changelog
from cutrelease.files.lint import Problem
from cutrelease.git.gitrepo import DryPush, RemoteUrls, Status, Upstream, remote_named
from cutrelease.project import Project

if TYPE_CHECKING:  # the index's answers are imported where one is read
    from cutrelease.publish.listing import Answer as IndexAnswer
    from cutrelease.publish.listing import IndexSaid

#: How our release branch stands to the remote's: "even" (the same commit, or none there),
#: "ahead" (our commits go out with the release), "behind", "diverged", or "unfetched" (the
#: remote's commit was never fetched here: behind or diverged, unknown which).
Relation = Literal["even", "ahead", "behind", "diverged", "unfetched"]


def local_state(
    status: Status, branch: str, *, branch_exists: bool, default_branch: str | None
) -> str:
    """The HEAD commit, once the release branch is checked out and clean.

    `status` is `git status`'s answer. When the release branch does not exist here
    (`branch_exists`), the hints name the repository's `default_branch`.
    """
    current, head, changed = status
    if current is None:
        raise Refused(
            "HEAD is detached; releases are cut from a branch.",
            hint=_switch_hint(branch, None, exists=branch_exists, default=default_branch),
        )
    if current != branch:
        raise Refused(
            f"You are on branch {current!r}, not the release branch {branch!r}.",
            hint=_switch_hint(branch, current, exists=branch_exists, default=default_branch),
        )
    if head is None:
        raise Refused(f"Branch {branch!r} has no commits yet.", hint="Commit the project first.")
    if changed:
        shown = ", ".join(changed[:5]) + (" …" if len(changed) > 5 else "")
        raise Refused(
            f"There are uncommitted changes to tracked files ({shown}).",
            hint="Commit or stash them first.",
        )
    return head


#: What git is in the middle of, by the file it keeps meanwhile in the work tree's .git/
#: (git-status(1) names them so), and how to finish it or give it up.
IN_PROGRESS = {
    "MERGE_HEAD": ("A merge", "git commit", "git merge --abort"),
    "CHERRY_PICK_HEAD": ("A cherry-pick", "git cherry-pick --continue", "git cherry-pick --abort"),
    "REVERT_HEAD": ("A revert", "git revert --continue", "git revert --abort"),
    # Several commits picked or reverted, stopped between two of them (a conflict resolved
    # and committed by hand): git status says one is in progress.
    "sequencer": (
        "A cherry-pick or revert of several commits",
        "git cherry-pick --continue, or git revert --continue",
        "git cherry-pick --abort, or git revert --abort",
    ),
}


def nothing_in_progress(found: str | None) -> None:
    """No merge, cherry-pick or revert is under way (`found`: the file of IN_PROGRESS that
    .git/ holds, if any): the release commit would finish it, or git refuse it midway."""
    if found is None:
        return
    what, finish, abort = IN_PROGRESS[found]
    raise Refused(
        f"{what} is in progress (.git/{found}); a release commit now would be part of it.",
        hint=f"Finish it ({finish}) or give it up ({abort}), then release.",
    )


def identity_is_known(answers: Sequence[str | None]) -> None:
    """git knows who makes the release commit and tag: `answers` are git's, for the author
    and the committer (None: it knows; else what git said). Without a name and an email,
    `git commit` refuses, so the release is refused before anything is written, the dry run
    included (a fresh CI runner has neither)."""
    said = next((answer for answer in answers if answer is not None), None)
    if said is None:
        return
    raise Refused(
        "git does not know who makes the release commit and tag (git says: "
        f"{said.removeprefix('fatal: ').rstrip('.')}).",
        hint='Set them: `git config user.name "Your Name"` and `git config user.email '
        "you@example.com` (with --global for every repository), or set GIT_AUTHOR_NAME, "
        "GIT_AUTHOR_EMAIL, GIT_COMMITTER_NAME and GIT_COMMITTER_EMAIL.",
    )


def _switch_hint(branch: str, current: str | None, *, exists: bool, default: str | None) -> str:
    """How to get onto the release branch, or, when there is no such branch here (a `master`
    repository on first use), which one to configure."""
    if exists:
        if current is None:
            return f"Run `git switch {branch}` first."
        return f"Run `git switch {branch}`, or set [tool.cutrelease].branch."
    if default is None or default == branch:
        return f"There is no branch {branch!r} here: set [tool.cutrelease].branch to yours."
    switch = "" if current == default else f", then `git switch {default}`"
    return (
        f'There is no branch {branch!r} here: set branch = "{default}" under [tool.cutrelease] '
        f"in pyproject.toml (the repository's default branch){switch}."
    )


def push_destination(
    upstream: Upstream | None, *, branch: str, remote: str, source: str | None
) -> str:
    """The remote a release pushes to: where `branch`'s upstream says when it has one.

    `remote` was given by `source` ("--remote", "[tool.cutrelease].remote"), or is the default
    (`source` None), which the upstream overrides. Refused, naming both, when `remote` was
    given and the upstream is another remote, or when the upstream is a branch of another name
    (the release pushes `branch` to the remote's branch of the same name). An upstream that is
    a local branch (remote ".") is none.
    """
    if upstream is None or upstream.remote == ".":
        return remote
    tracked = f"{upstream.remote}/{upstream.branch}"
    if upstream.branch != branch:
        same = f"{upstream.remote}/{branch}"
        raise Refused(
            f"Branch {branch!r} tracks {tracked}, a branch of another name; a release pushes "
            f"{branch} to {same}.",
            hint=f"If that is where releases go, make it track {same} "
            f"(`git branch --set-upstream-to {same}`).",
        )
    if source is not None and remote != upstream.remote:
        mine = f"{remote}/{branch}"
        raise Refused(
            f"{source} names the remote {remote!r}, but {branch!r} tracks {tracked}.",
            hint=f"Drop {source} to push to {upstream.remote}, or make {branch} track {mine} "
            f"(`git branch --set-upstream-to {mine}`).",
        )
    return upstream.remote


def remote_source(given: str | None, loaded: Project) -> str | None:
    """Who chose the remote, as push_destination's `source`: the command line (`given`,
    --remote), the configuration, or (None) nobody."""
    if given is not None:
        return "--remote"
    return "[tool.cutrelease].remote" if "remote" in loaded.configured else None


class Destination(NamedTuple):
    """Where a release pushes: the remote's name, where it fetches from, where it pushes to."""

    remote: str
    url: str
    push_url: str


def destination(
    upstream: Upstream | None,
    remotes: dict[str, RemoteUrls],
    *,
    branch: str,
    remote: str,
    source: str | None,
) -> Destination:
    """The remote a release pushes to (see push_destination), which must exist among
    `remotes` and push to one URL (see one_push_url)."""
    name = push_destination(upstream, branch=branch, remote=remote, source=source)
    url, push_urls = remote_named(remotes, name)
    return Destination(name, url, one_push_url(name, push_urls))


def push_is_possible(dry: DryPush, remote: str, *, atomic: bool) -> None:
    """The remote takes the push as the release will make it (`dry`: git push --dry-run).

    Refused when the remote does not support `--atomic` (and `atomic` asks for it), or when
    git could not even compare refs (credentials, access); refs it would refuse are
    remote_state's to say.
    """
    if dry.status == 0:
        return
    if atomic and "does not support --atomic push" in dry.detail:
        raise Refused(
            f"The remote {remote!r} does not support atomic pushes (`git push --atomic`), so "
            "branch and tag cannot land together.",
            hint="Set atomic_push = false under [tool.cutrelease] to push the branch, then "
            "the tag.",
        )
    if dry.updates:
        return
    raise Refused(
        f"The remote {remote!r} does not take a push from here: {dry.detail}",
        hint=dry.hint or "Check your access to it, or use --no-push.",
    )


def tag_prefix_agrees(conflict: str | None) -> None:
    """The package's releases name one tag prefix (SPEC section 16): `conflict` names each
    candidate and where it was seen, when they do not (tagprefix.Learned)."""
    if conflict is None:
        return
    raise Refused(
        f"The package's releases name more than one tag prefix: {conflict}.",
        hint="Set [tool.cutrelease].tag_prefix to the one its tags use.",
    )


def tag_prefix_is_known(version: str, *, shallow: bool) -> None:
    """Nothing here tells the tag prefix and no remote is asked (--no-push): refused in a
    `shallow` clone, whose missing tags say nothing; elsewhere the default "v" holds."""
    if shallow:
        raise Refused(
            f"This shallow clone has no tag of {version} to learn the tag prefix from "
            f"(v{version} or {version}).",
            hint="Set [tool.cutrelease].tag_prefix, or fetch the tags (`git fetch --tags`).",
        )


_REF_FORBIDDEN = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{")


#: A tag whose name starts with one of these folders is read by git as a ref of another kind
#: (`heads/main-1.0` is refs/heads/main-1.0 to `git rev-parse`; gitrevisions(7)).
_REF_FOLDERS = frozenset({"refs", "heads", "tags", "remotes", "notes", "replace", "stash"})
#: Names git keeps beside HEAD in the git folder (HEAD, FETCH_HEAD, ORIG_HEAD...), read first.
_SPECIAL_REF = re.compile(r"[A-Z_]*HEAD")


def version_written_without_v(old: str, *, where: str) -> None:
    """The current version `old`, as `where` writes it, has no v (`v1.2.3`): PEP 440 reads
    one, but the release would write the next version without it, and its tags and links
    would mix the two spellings (`v1.2.3...1.2.4`). The v belongs to the tags (tag_prefix).
    Refused naming the version written plainly."""
    if not old.strip().startswith(("v", "V")):
        return
    plain = versions.normal(versions.parse(old, where=where))
    raise Refused(
        f"{where} is {old!r}: a package's version is written without a v, as PEP 440 "
        f"writes it ({plain}); the v belongs to its tags.",
        hint=f'Write it as "{plain}"; the tags stay v{plain} (tag_prefix = "v").',
    )


def tag_name_is_valid(tag: str) -> None:
    """The tag is a name git accepts (git check-ref-format's rules), before anything is written,
    and one git reads as that tag alone: not `refs/heads/main-1.0`, `heads/…` or `HEAD/…`
    (issue 21), which name, or look like, refs of other kinds."""
    parts = tag.split("/")
    bad = (
        not tag
        or tag.startswith("-")
        or tag.endswith(".")
        or tag == "@"
        or _REF_FORBIDDEN.search(tag) is not None
        or any(not part or part.startswith(".") or part.endswith(".lock") for part in parts)
    )
    if bad:
        raise Refused(
            f"{tag!r} is not a valid git tag name.",
            hint="Fix [tool.cutrelease].tag_prefix (no spaces, '~^:?*[\\', '..', leading '-').",
        )
    first = parts[0]
    if first in _REF_FOLDERS or _SPECIAL_REF.fullmatch(first):
        looks = f"refs/{tag}" if first in _REF_FOLDERS and first != "refs" else tag
        raise Refused(
            f"[tool.cutrelease].tag_prefix makes the tag {tag!r}, a name git also reads as "
            f"{looks!r}, which is not a tag: the release tag would be ambiguous.",
            hint='Set tag_prefix to a plain prefix, such as "v", "NAME-v" or "NAME/v".',
        )


def tag_is_new_locally(tag: str, *, exists: bool, current: str | None = None) -> None:
    """The release's tag does not exist here yet (`exists`: it does).

    `current`: the release asks for the version pyproject.toml holds (a first release), which
    a tag of that name says is released already.
    """
    if not exists:
        return
    if current is not None:
        raise Refused(
            f"{current} is the current version, and it is released already (tag {tag}).",
            hint="Ask for the next version: bump patch, bump minor, bump major or bump VERSION.",
        )
    raise Refused(
        f"The tag {tag} already exists in this repository.",
        hint="Delete it with `git tag -d` if it is a mistake, or fix [project].version.",
    )


def one_push_url(remote: str, urls: Sequence[str]) -> str:
    """The one URL a release pushes to: git pushes to each of several in turn, not atomically."""
    if len(urls) != 1:
        raise Refused(
            f"The remote {remote!r} pushes to {len(urls)} URLs; a release pushes atomically to "
            "one.",
            hint=f"Keep one remote.{remote}.pushurl (or url), or pass --remote NAME.",
        )
    return urls[0]


def tag_not_on_remote(refs: dict[str, str], remote: str, *, tag: str) -> None:
    """The remote (whose `refs` were asked for) lacks the release's tag."""
    if f"refs/tags/{tag}" in refs:
        raise Refused(
            f"The tag {tag} already exists on the remote {remote!r}.",
            hint="Fetch it (`git fetch --tags`) and check [project].version.",
        )


def branch_not_behind(relation: Relation, remote: str, *, branch: str) -> None:
    """Our release branch is the remote's, or ahead of it (`relation`, see Relation)."""
    if relation in ("even", "ahead"):
        return  # ahead: those commits go out with the release
    if relation == "unfetched":
        raise Refused(
            f"{remote}/{branch} has commits that {branch!r} does not: it is behind or has "
            "diverged.",
            hint="Run `git pull` first, then release.",
        )
    if relation == "behind":
        raise Refused(
            f"Branch {branch!r} is behind {remote}/{branch}.",
            hint="Run `git pull` first, then release.",
        )
    raise Refused(
        f"Branch {branch!r} has diverged from {remote}/{branch}.",
        hint="Rebase or merge first (`git pull`), then release.",
    )


def current_tag_pushed(refs: dict[str, str], remote: str, *, tag: str, here: bool) -> None:
    """The current version's tag, when it exists `here`, is on the remote (`refs`) too.

    A release made with --no-push leaves its tag here only; the next release would push past
    it, and the release workflow would never publish that version.
    """
    if f"refs/tags/{tag}" in refs or not here:
        return
    raise Refused(
        f"The tag {tag} of the current version is here but not on the remote {remote!r} "
        "(released with --no-push?).",
        hint=f"Push it first: git push {remote} refs/tags/{tag} (with its branch), then release.",
    )


def one_file_each(resolved: dict[str, str]) -> None:
    """Places named by two paths that lead to one file (a link) would edit it twice, the second
    edit undoing the first: refused, naming both."""
    seen: dict[str, str] = {}
    for path, real in resolved.items():
        if real in seen:
            raise Refused(
                f"{seen[real]} and {path} are one file ({real}): the version would be edited "
                "in it twice.",
                hint="Name the file once, by one path, in [[tool.cutrelease.files]].",
            )
        seen[real] = path


class ReleaseFiles(NamedTuple):
    """The files a release edits, by their paths in the repository (links followed)."""

    places: dict[str, str]  # each place of the version's path: the file's path
    changelog: str
    security: str | None  # None: SECURITY.md is not touched by this release

    @property
    def written(self) -> list[str]:
        """The changelog, and SECURITY.md when the release moves its table."""
        return [self.changelog] + ([self.security] if self.security else [])

    @property
    def asked(self) -> list[str]:
        """Every release file, once: what git is asked whether it tracks."""
        return list(dict.fromkeys([*self.places.values(), *self.written]))


def release_files(project: Project, places: Sequence[str], *, new: str) -> ReleaseFiles:
    """The release files (the version's `places`, the changelog, and SECURITY.md), each checked
    to be a regular file of the repository (writable_file), no two of the places one file
    (one_file_each).

    SECURITY.md is a release file of the X.Y.0 of a new line (which moves its table, so it
    must exist), and of a patch release when it exists (a table naming exact releases,
    `| 1.6.0 | Yes |`, moves to the patch); a pre-release never reads it.
    """
    config = project.config
    root = project.root
    # A link inside the repository is followed (git tracks its target); one out is refused.
    resolved = {path: writable_file(root, path, key=None) for path in places}
    one_file_each(resolved)
    # A member's changelog and policy are in its folder: project.path names them from the root.
    member = project.name if project.folder else None  # `bump init -p NAME` makes its files
    changelog = writable_file(root, project.path(config.changelog), key="changelog", package=member)
    security = None
    policy = project.path(config.security)
    patch = versions.is_final(versions.parse(new)) and os.path.lexists(root / policy)
    if config.security and (versions.starts_line(new) or patch):
        security = writable_file(root, policy, key="security", package=member)
    return ReleaseFiles(resolved, changelog, security)


def writable_file(root: Path, name: str, *, key: str | None, package: str | None = None) -> str:
    """A release file's path inside the repository, checked to name a regular file there.

    `name` comes from [tool.cutrelease].KEY, or is pyproject.toml (`key` None).
    """
    config = f", or fix [tool.cutrelease].{key}" if key else ""
    if not name.strip():
        off = ' (security = "" turns SECURITY.md off)' if key == "security" else ""
        raise Refused(
            f"[tool.cutrelease].{key} is blank.", hint=f"Set it to a file of the repository{off}."
        )
    path = root / name
    try:
        path.lstat()
    except OSError as exc:  # said as `bump check` says it
        raise FileFormatError(name, unreadable.message(exc, key=key, package=package)) from None
    real = path.resolve()
    try:
        inside = real.relative_to(root.resolve())
    except ValueError:
        what = f"a symlink to {real}" if path.is_symlink() else f"at {real}"
        raise Refused(
            f"{name} is {what}, outside the repository; cutrelease only writes files inside it.",
            hint=f"Replace a link with the file itself{config}.",
        ) from None
    if not real.exists():
        raise Refused(f"{name} is a broken symlink.", hint="Point it at a real file.")
    if not real.is_file():
        raise Refused(f"{name} is not a regular file.", hint="Replace it with a text file.")
    if ".git" in inside.parts:
        raise Refused(f"{name} is inside .git/.", hint="Point it at a file of the work tree.")
    return inside.as_posix()  # links inside the repository resolved: git tracks that path


def committable(paths: Sequence[str], tags: dict[str, str]) -> None:
    """git tracks each release file, and a commit of it takes what is in the work tree.

    `tags` are `git ls-files -v`'s. A skip-worktree file would be left out of the release
    commit; an assume-unchanged one hides local edits from the status check, and they
    would go out with the release.
    """
    for path in paths:
        tag = tags.get(path)
        if tag is None:
            raise Refused(
                f"{path} is not tracked by git, so the release commit cannot include it.",
                hint=f"Commit it first (`git add {path}`).",
            )
        if tag in "Ss":
            raise Refused(
                f"{path} is marked skip-worktree in git's index, so the release commit would "
                "leave its new text out.",
                hint=f"Run `git update-index --no-skip-worktree {path}` first (a sparse "
                "checkout must include it).",
            )
        if tag.islower():
            raise Refused(
                f"{path} is marked assume-unchanged in git's index, so its local edits would "
                "go out unseen with the release.",
                hint=f"Run `git update-index --no-assume-unchanged {path}` and check "
                "`git status` first.",
            )


def changelog_matches(log: Changelog, path: str, *, version: str) -> None:
    """The changelog's newest release is the version being released from."""
    newest = log.newest.heading.version if log.newest is not None else None
    if newest is not None and not versions.same_release(newest, version):
        raise Refused(
            f"{path}'s newest release is {newest}, but pyproject.toml says {version}.",
            hint="Make them agree before releasing.",
        )


def version_not_on_index(
    answer: IndexAnswer, *, name: str, version: str, member: bool = False
) -> IndexSaid:
    """The new version has no file on the package index, yanked or not (SPEC section 12: an
    index never takes the same version twice, PEP 592 keeps a yanked file's name taken).

    Returns what the index said; an index that could not be asked is no refusal. Raises
    IndexRefused (with what the index said) naming the next version the index does not
    have, and (`member`: a workspace member's release) the package, `bump -p NAME VERSION`.
    """
    from cutrelease.publish.listing import IndexRefused, said

    found = said(answer, version)
    if not found.taken:
        return found
    files = ", ".join(sorted(file.filename for file in found.files)) or version
    free = version
    for _ in range(1000):  # the next the index has not taken: patch, or pre-release number
        parsed = versions.parse(free)
        phase = versions.phase(parsed)
        free = versions.bump(parsed, "patch") if phase is None else versions.next_pre(parsed, phase)
        if not any(versions.same_release(free, other) for other in found.versions):
            break
    raise IndexRefused(
        found,
        f"{name} {version} is already on the package index ({files}); an index never takes "
        f"the same version twice",
        hint=f"Release the next one: bump {f'-p {name} ' if member else ''}{free}.",
    )


class Requirement(NamedTuple):
    """A workspace member's requirement on another package, as its pyproject.toml writes it
    ([project].dependencies or optional-dependencies; facts.requirements reads them)."""

    member: str  # the name of the member whose requirement it is
    path: str  # its pyproject.toml, from the repository's root
    line: int  # where the requirement is written, 1-based
    written: str  # as written: "alpha>=0.2,<0.3"
    name: str  # the package required, normalized (PEP 503)
    specifier: str  # its version specifier ("" for none)

    def excludes(self, version: str) -> bool:
        """Whether it leaves `version` out (a pre-release counted as any version)."""
        if not self.specifier:
            return False
        from packaging.specifiers import SpecifierSet

        return not SpecifierSet(self.specifier).contains(version, prereleases=True)

    def is_exact_pin(self) -> bool:
        """Whether it pins one version (`==1.2.3`, `===1.2.3`, no wildcard): what a release
        of both packages moves."""
        spec = self.specifier.strip()
        return spec.startswith("==") and "," not in spec and "*" not in spec

    def refusal(self, package: str, version: str, *, hint: str, left: bool = False) -> Refused:
        """The refusal naming this requirement, which excludes `package` `version` (`left`:
        and its member is not released with it)."""
        along = f", and {self.member} is not released with it" if left else ""
        return Refused(
            f"{self.path}:{self.line}: the requirement {self.written!r} excludes {package} "
            f"{version}, which this release makes{along}.",
            hint=hint,
        )


def members_take_it(
    requirements: Sequence[Requirement],
    *,
    name: str,
    new: str,
    released: Sequence[str],
    asked: str,
) -> None:
    """The members of the uv workspace that this release leaves as they are still take the
    package `name` at its `new` version (SPEC section 14): uv resolves a member's requirement
    on another member to the version in its folder, so a requirement the new version falls
    outside (`alpha>=0.2,<0.3`, or an exact pin on the version before, `alpha==0.2.1`) would
    break the workspace's lock and installs the moment the release lands.

    `requirements` are the other members' (facts.gather); `released` names every package of
    this release (the members among them are several.plan's to check, and move their pins);
    `asked` is the command that asked for the version (`bump minor`). Refused, naming the
    requirement's file and line, with the release that takes the member along.
    """
    from cutrelease.packages import canonical_name

    along = {canonical_name(package) for package in released}
    own = canonical_name(name)
    for requirement in requirements:
        if requirement.name != own or canonical_name(requirement.member) in along:
            continue
        if not requirement.excludes(new):
            continue
        packages = " ".join(f"-p {package}" for package in [*released, requirement.member])
        command = f"bump {packages} {asked.removeprefix('bump ')}"
        # Only an exact pin moves with a release of both (several.pins_moved); a range the
        # new version falls outside must be widened by hand, released together or not.
        hint = (
            f"Release {requirement.member} too (`{command}`), or change the requirement, "
            "commit that, then run bump again."
            if requirement.is_exact_pin()
            else f"Widen it to take {new}, commit that, then run bump again."
        )
        raise requirement.refusal(name, new, left=True, hint=hint)


def stays_in_order(problems: Sequence[Problem]) -> None:
    """Refused when the release would make `problems`, ones `bump check` would find in the
    files it writes that it does not find before (SPEC section 16): the first is named, with
    its file and line. A release must never leave a clean file failing the project's checks
    (a pre-commit hook running `bump check` would then fail every later commit)."""
    if not problems:
        return
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    raise Refused(
        f"This release would leave a problem `bump check` does not find now: "
        f"{str(problems[0]).rstrip('.')}{more}.",
        hint="If a template in the project's templates folder writes it, fix the template; "
        "otherwise it is cutrelease's mistake: please report it, and make this release by hand.",
    )
