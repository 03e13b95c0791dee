"""The release's push; when git cannot say what the remote took, the remote is asked, so that
local and remote end in the same state, and the message says which."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from cutrelease.errors import CutreleaseError, Refused, ReleaseKept, clause
from cutrelease.git.gitrepo import GitRepo, PushFailed, remote_named
from cutrelease.release import checks


class Release(NamedTuple):
    """What the push puts on `remote`: `branch` at `commit`, and `tag` as `tag_object`; a
    several-package release's other tags, each with its object, in `others`."""

    remote: str
    branch: str
    commit: str
    tag: str
    tag_object: str
    others: tuple[tuple[str, str], ...] = ()

    @property
    def tag_objects(self) -> dict[str, str]:
        """Every tag of the release, in order, with the tag object the release made."""
        return {self.tag: self.tag_object, **dict(self.others)}

    @property
    def tags(self) -> list[str]:
        """Every tag of the release, in order."""
        return list(self.tag_objects)


class Holds(NamedTuple):
    """What the remote holds of a release."""

    branch: bool  # its branch is at the release commit, or has moved on from it
    tags: tuple[str, ...] = ()  # the release's tags it holds, each as the release made it
    missing: tuple[str, ...] = ()  # the release's tags it does not hold

    @property
    def tag(self) -> bool:
        """Whether it holds every tag of the release."""
        return bool(self.tags) and not self.missing

    @property
    def nothing(self) -> bool:
        """Whether it holds none of the release: neither its commit nor any of its tags."""
        return not self.branch and not self.tags


def push(
    repo: GitRepo,
    release: Release,
    pushes: Sequence[Sequence[str]],
    *,
    atomic: bool,
    keep_fds: Sequence[int],
    report: Callable[[str], None],
    display: str,
) -> str | None:
    """Push each list of full ref names of `pushes` in turn (one atomic push, or the branch,
    then the tag); None, or a note when git's answer was lost but the remote took it all.

    When git fails without the remote's refusal of every ref it sent (the connection died, the
    answer was cut off), the remote is asked what it holds. Raises PushFailed, or a
    CutreleaseError saying the remote was asked, when it holds none of the release: the caller
    restores the repository. Raises ReleaseKept when it holds part of it (a tag refused after
    the branch went out), or cannot be asked (`pending`: the journal is to stay).
    """
    for index, names in enumerate(pushes):
        report(f"pushing {listed([_short(name) for name in names])} to {display}")
        try:
            repo.push(release.remote, names, atomic=atomic, keep_fds=keep_fds)
        except PushFailed as exc:
            first, last = index == 0, index == len(pushes) - 1
            if _refused(exc, names):  # the remote's own answer: it did not take them
                if first:
                    raise
                missing = tuple(_short(name) for name in names if name.startswith("refs/tags/"))
                raise kept(release, Holds(branch=True, missing=missing), exc.detail) from None
            if first and never_connected(exc.detail):  # nothing was sent: nothing landed
                raise CutreleaseError(
                    f"{exc.command} failed: {clause(exc.detail)}; git never reached "
                    f"{release.remote}, so the push cannot have landed",
                    hint=exc.hint,
                ) from None
            report(f"asking {display} what it holds")
            holds = _ask_after(repo, release, exc)
            if holds.branch and holds.tag:
                return (
                    f"The remote's answer to the push was lost ({exc.detail}), but "
                    f"{release.remote} holds {release.branch} at the release commit and "
                    f"{_the_tags(release.tags)}: the release is complete"
                )
            if holds.nothing:
                raise CutreleaseError(
                    f"{exc.command} failed: {exc.detail}; {release.remote} was asked, and it "
                    "holds none of the release",
                    hint=exc.hint,
                ) from None
            if holds.branch and not last:
                continue  # the branch went out: the tag's push follows
            raise kept(release, holds, exc.detail) from None
    return None


def what_remote_holds(repo: GitRepo, release: Release) -> Holds:
    """What `release.remote` holds of the release, asked where it pushes (`git ls-remote` of
    its push URL): its branch, and each of its tags. Refused if it cannot be asked."""
    urls = remote_named(repo.remotes().result(), release.remote)
    url = checks.one_push_url(release.remote, urls.push)
    branch_ref = f"refs/heads/{release.branch}"
    objects = release.tag_objects
    asked = [branch_ref, *(f"refs/tags/{tag}" for tag in objects)]
    found = repo.remote_refs(release.remote, asked, url=url).result()
    tip = found.get(branch_ref)
    on_branch = tip == release.commit or (
        tip is not None and repo.has_commit(tip) and repo.is_ancestor(release.commit, tip)
    )
    held = [tag for tag, made in objects.items() if found.get(f"refs/tags/{tag}") == made]
    missing = [tag for tag in objects if tag not in held]
    return Holds(branch=on_branch, tags=tuple(held), missing=tuple(missing))


def kept(release: Release, holds: Holds, cause: str) -> ReleaseKept:
    """The error of a release that landed in part: what the remote holds, what to push."""
    remote, branch = release.remote, release.branch
    if holds.branch:
        missing = list(holds.missing) or release.tags
        refs = " ".join(f"refs/tags/{tag}" for tag in missing)
        return ReleaseKept(
            f"{remote} took {branch} (the release commit {release.commit[:7]}) but not "
            f"{_the_tags(missing)} ({cause}); here the release commit and "
            f"{_the_tags(release.tags, short=True)} are kept.",
            hint=f"Push {_the_tags(missing, short=True)} once {remote} accepts "
            f"{'it' if len(missing) == 1 else 'them'}: `git push {remote} {refs}`.",
        )
    held = list(holds.tags) or release.tags
    return ReleaseKept(
        f"{remote} holds {_the_tags(held)} but not the release commit on {branch} ({cause}); "
        f"here the release commit and {_the_tags(release.tags, short=True)} are kept.",
        hint=f"Push the branch: `git push {remote} refs/heads/{branch}`.",
    )


def listed(items: Sequence[str]) -> str:
    """`items` as a sentence lists them: "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _the_tags(tags: Sequence[str], *, short: bool = False) -> str:
    """ "the tag T", or "the tags T1 and T2" (`short`: "the tag", "the tags")."""
    if short:
        return "the tag" if len(tags) == 1 else "the tags"
    return f"the tag {tags[0]}" if len(tags) == 1 else f"the tags {listed(tags)}"


def _refused(exc: PushFailed, names: Sequence[str]) -> bool:
    """Whether the remote answered for every ref of `names`, refusing each."""
    answered = {update.ref: update.accepted for update in exc.updates}
    return all(answered.get(name) is False for name in names)


#: What git (or its ssh, or curl) says when the connection to the remote was never made:
#: the initial contact failed (git's connect.c die_initial_contact, remote-curl's
#: discover_refs), before a single byte of the push was sent. Anything else (a connection
#: reset, a hung-up remote, an RPC failure) may have come after the remote took the push.
_NEVER_CONNECTED = (
    "does not appear to be a git repository",
    "Could not read from remote repository",
    "unable to access '",
    "Could not resolve host",
    "unable to connect to ",
    "Connection refused",
    "Name or service not known",
    "No route to host",
)


def never_connected(detail: str) -> bool:
    """Whether git's message (PushFailed.detail, its lines joined by "; ") says it never
    reached the remote. The remote's own lines ("remote: ...", a hook's words) do not count."""
    own = [line for line in detail.split("; ") if not line.startswith("remote:")]
    return any(sign in line for line in own for sign in _NEVER_CONNECTED)


def _ask_after(repo: GitRepo, release: Release, exc: PushFailed) -> Holds:
    """What the remote holds after a push whose answer was lost; ReleaseKept (pending) if it
    cannot be asked: the journal then stays for `bump recover`."""
    try:
        return what_remote_holds(repo, release)
    except Refused as asked:
        raise ReleaseKept(
            f"{exc.command} failed ({exc.detail}), and whether {release.remote} took the "
            f"release cannot be asked ({asked.message.rstrip('.')}); the release is kept here "
            "as it is.",
            hint="Run `bump recover` once the remote can be reached: it keeps the release if "
            "the remote has it, and restores the repository if not.",
            pending=True,
        ) from None


def _short(name: str) -> str:
    return name.removeprefix("refs/heads/").removeprefix("refs/tags/")
