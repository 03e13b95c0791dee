"""Where a release stands: its tag here, its tag on the remote, its files on the package index."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from packaging.version import InvalidVersion, Version

from cutrelease.errors import CutreleaseError, Refused
from cutrelease.publish import index, listing

if TYPE_CHECKING:
    from cutrelease.git.gitrepo import GitRepo
    from cutrelease.project import Project

#: Seconds between two questions to the index while waiting: polite to a public index, and
#: short beside an upload workflow's minutes.
INTERVAL = 5.0

#: Every key of `bump status --json`'s one object, with its value when it does not apply.
JSON_KEYS: dict[str, Any] = {
    "ok": False,  # the tag is here and on the remote, and the index has the sdist and a wheel
    "name": None,  # [project].name
    "version": None,
    "tag": None,
    "local": None,  # the commit the tag points at here, or null
    "remote": None,  # {"name", "commit" (null: not there), "error" (null: it answered)}
    "index": None,  # listing.IndexSaid.as_json: {"url" (the project's page), "state" (of the
    #                  version: published, not_published, unanswered, not_asked), "project_listed",
    #                  "reason", "files": [{"filename", "version", "kind", "yanked"}], "versions"}
    "missing": [],  # what is not there, one phrase each
    "waited": None,  # seconds waited for the index (--wait)
    "error": None,
    "exit_code": 0,
}


@dataclass(frozen=True)
class Standing:
    """What was found of one release. `index` is None when index_check = false."""

    name: str
    version: str
    tag: str
    local: str | None  # the commit the tag points at here
    remote_name: str
    remote: str | None  # the commit the remote's tag points at
    remote_error: str | None  # why the remote could not be asked
    page: str | None  # the project's page on the index, without credentials (None: no name)
    index: index.Answer | None

    def missing(self) -> list[str]:
        """What is not there, one phrase each, in the order the release gets there."""
        found: list[str] = []
        if self.local is None:
            found.append(f"the tag {self.tag} does not exist here")
        if self.remote_error is not None:
            found.append(f"the remote {self.remote_name!r} could not be asked")
        elif self.remote is None:
            found.append(f"{self.tag} is not on {self.remote_name}")
        elif self.local is not None and self.remote != self.local:
            found.append(
                f"{self.tag} on {self.remote_name} is {self.remote[:12]}, here {self.local[:12]}"
            )
        found.extend(self.index_missing())
        return found

    def index_missing(self) -> list[str]:
        """What the index lacks of the version (the sdist, a wheel), or that it was not asked."""
        answer = self.index
        if answer is None:
            return []
        if isinstance(answer, index.Unanswered):
            return [f"the package index could not be asked ({answer.reason})"]
        lacks = answer.missing(self.version)
        if not lacks:
            return []
        what = " and no ".join(lacks)
        return [f"the package index has no {what} of {self.name} {self.version}"]

    def tags_there(self) -> bool:
        """Whether the tag is here and on the remote, at the same commit."""
        return self.local is not None and self.remote == self.local

    def lines(self) -> str:
        """The report, one line for each place: the tag here, on the remote, on the index."""
        here = self.local[:12] if self.local else "not here"
        if self.remote_error is not None:
            there = f"could not be asked ({self.remote_error})"
        else:
            there = self.remote[:12] if self.remote else "not there"
        return (
            f"{self.tag} here: {here}\n"
            f"{self.tag} on {self.remote_name}: {there}\n"
            f"{self.name} {self.version} on {self.said().url or 'the package index'}: "
            f"{self._index_line()}\n"
        )

    def said(self) -> listing.IndexSaid:
        """What the index said of the version, in the words of a release's (listing.said)."""
        if self.index is None:
            return listing.said(None, self.version, url=self.page, why="index_check = false")
        return listing.said(self.index, self.version)

    def _index_line(self) -> str:
        found = self.said()
        if found.state == "not_asked":
            return f"not asked ({found.reason})"
        if found.state == "unanswered":
            return f"could not be asked ({found.reason})"
        if not found.project_listed:
            return "no file; the project is not on it"
        if found.files:
            return ", ".join(f.filename + (" (yanked)" if f.yanked else "") for f in found.files)
        return f"no file (it has {listing.some(found.versions)})" if found.versions else "no file"

    def as_json(self) -> dict[str, Any]:
        """The keys of JSON_KEYS this standing fills."""
        return {
            "name": self.name,
            "version": self.version,
            "tag": self.tag,
            "local": self.local,
            "remote": {"name": self.remote_name, "commit": self.remote, "error": self.remote_error},
            "index": self.said().as_json(),
            "missing": self.missing(),
        }


#: The least time the last question of --wait gets: on a busy machine a question given a tenth
#: of a second is not answered, and the wait would end on "could not be asked" (seen in CI).
MIN_ASK = 1.0


def release_version(loaded: Project, given: str | None) -> str:
    """The version `bump status` means: `given` (a version, or a tag as CI names it:
    refs/tags/v1.2.3, v1.2.3), else the current one. Refused for what is no PEP 440 version."""
    if given is None:
        return loaded.current_version()
    wanted = given.strip().removeprefix("refs/tags/").removeprefix(loaded.config.tag_prefix)
    try:
        Version(wanted)
    except InvalidVersion:
        raise Refused(
            f"{given!r} is not a version (PEP 440) nor a tag {loaded.config.tag_prefix}VERSION.",
            hint="Name it as bump notes does: bump status 1.2.3.",
        ) from None
    return wanted


def index_settings(loaded: Project) -> tuple[str, bool]:
    """(index_url, index_check) of the project's [tool.cutrelease]; the URL checked (a clear
    error naming the setting when it is no http(s) URL) only when the check is on."""
    config = loaded.config
    if config.index_check:
        index.check_url(config.index_url)
    return config.index_url, config.index_check


def find(
    loaded: Project,
    repo: GitRepo,
    version: str,
    *,
    remote: str | None = None,
    deadline: float = index.DEADLINE,
) -> Standing:
    """Ask the three places at once (the index in a thread, the remote in a git process, the
    local tag meanwhile) and gather their answers into a Standing.

    Raises Refused for a bad index_url or project name; a remote or index that cannot be asked
    is part of the answer, not an error.
    """
    name = _name(loaded)
    index_url, check = index_settings(loaded)
    tag = f"{loaded.config.tag_prefix}{version}"
    asking = index.ask(index_url, name, deadline=deadline) if check else None
    remote_name, remote_error = _remote(loaded, repo, remote)
    ref = f"refs/tags/{tag}"
    peeled = f"{ref}^{{}}"  # ls-remote's line for the commit an annotated tag points at
    on_remote = None if remote_error else repo.remote_refs(remote_name, [ref, peeled])
    local = repo.resolve(f"{ref}^{{commit}}")
    remote_commit = None
    try:
        if on_remote is not None:
            refs = on_remote.result()
            remote_commit = refs.get(peeled) or refs.get(ref)
    except CutreleaseError as exc:
        remote_error = exc.message
    return Standing(
        name=name,
        version=version,
        tag=tag,
        local=local,
        remote_name=remote_name,
        remote=remote_commit,
        remote_error=remote_error,
        page=listing.page_or_none(index_url, name),
        index=None if asking is None else asking.result(),
    )


def _remote(loaded: Project, repo: GitRepo, given: str | None) -> tuple[str, str | None]:
    """The remote asked (`given`, --remote; else where a release pushes: [tool.cutrelease].remote,
    else the release branch's upstream remote, else origin, checks.push_destination), and
    why it cannot be asked when the release would refuse that choice (None: it can)."""
    from cutrelease.release import checks

    config = loaded.config
    if given is not None:
        return given, None
    try:
        return checks.push_destination(
            repo.upstream(config.branch).result(),
            branch=config.branch,
            remote=config.remote,
            source=checks.remote_source(None, loaded),
        ), None
    except Refused as exc:
        return config.remote, exc.message


def wait_for_upload(
    standing: Standing,
    index_url: str,
    *,
    seconds: float,
    interval: float = INTERVAL,
    report: Callable[[str], None] = lambda text: None,
) -> tuple[Standing, float]:
    """Ask the index again, every `interval` seconds, until the sdist and a wheel of the
    version are there or `seconds` have passed: the standing then, and the seconds waited.

    Each question has the time left, at most index.DEADLINE. `report` hears what the index
    has each time that changes (progress for stderr).
    """
    started = time.monotonic()
    said = None
    while standing.index_missing():
        left = started + seconds - time.monotonic()
        if left <= 0:
            break
        now = standing.index_missing()[0]
        if now != said:
            report(f"waiting for the package index: {now}")
            said = now
        time.sleep(min(interval, left))
        left = started + seconds - time.monotonic()
        answer = index.ask(
            index_url, standing.name, deadline=max(MIN_ASK, min(index.DEADLINE, left))
        ).result()
        standing = replace(standing, index=answer)
    return standing, time.monotonic() - started


def _name(loaded: Project) -> str:
    if not loaded.name:
        raise Refused(
            f"{loaded.path('pyproject.toml')} has no [project].name: the package index is "
            "asked for a project by its name.",
            hint='Add name = "your-package" under [project].',
        )
    return loaded.name
