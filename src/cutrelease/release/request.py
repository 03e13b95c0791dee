"""A release request, checked and planned: the plan a command then previews or applies."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from cutrelease import project, versions
from cutrelease.git.gitrepo import GitRepo
from cutrelease.release import checks
from cutrelease.release.facts import Request
from cutrelease.release.plan import Plan, build
from cutrelease.templates import make_renderer


class ReleaseRequest(NamedTuple):
    """What the maintainer asked for on the command line, before the configuration is read.

    `push` False is --no-push; `remote` None means [tool.cutrelease].remote; `summary` None
    means a tag message without one; `hooks` False is --no-hooks.
    """

    target: versions.Target
    date: datetime.date
    summary: str | None = None
    push: bool = True
    remote: str | None = None
    hooks: bool = True
    offline: bool = False  # --offline: the package index is not asked
    build: bool = False  # --build: the sdist and wheel are tried before the tag


def plan_release(
    root: Path,
    request: ReleaseRequest,
    *,
    folder: str = "",
    together: Sequence[str] = (),
    repo: GitRepo | None = None,
) -> Plan:
    """Run every check on the repository at `root`, then compute the release's plan.

    `folder` is the package's, relative to `root` ("" for the root project; a workspace
    member's is found by workspace.select); `together` names the other packages released in
    the same transaction and `repo` asks git (None: a GitRepo of `root`; the packages of one
    release share one: several.plan). Nothing is written, and nothing here knows whether the
    plan will be previewed or applied. Raises a CutreleaseError (Refused, FileFormatError,
    GitFailed…) naming the first check that fails, in the order the checks run.
    """
    git_dir = project.git_dir(root)
    project.refuse_if_busy(git_dir)
    loaded = project.load(root, folder=folder)
    project.refuse_if_pending(git_dir)
    config = loaded.config
    resolved = Request(
        target=request.target,
        date=request.date,
        summary=request.summary,
        push=request.push and config.push,
        remote=request.remote or config.remote,
        hooks=request.hooks,
        remote_source=checks.remote_source(request.remote, loaded),
        index_check=not request.offline,
        build=request.build,
        together=tuple(together),
    )
    render = make_renderer(root / loaded.path(config.templates), root=root)
    return build(loaded, repo or GitRepo(root), resolved, render)
