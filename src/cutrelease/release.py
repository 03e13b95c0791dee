"""A release command from start to end: load, plan, then preview or apply."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from cutrelease import preview, project
from cutrelease.errors import Refused
from cutrelease.gitrepo import GitRepo
from cutrelease.plan import Plan, Request, build
from cutrelease.templates import make_renderer

Confirm = Callable[[Plan], bool]


class Result(NamedTuple):
    plan: Plan
    commit: str | None
    pushed: bool
    dry_run_text: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, object]:
        payload: dict[str, object] = {
            "old_version": self.plan.old_version,
            "new_version": self.plan.new_version,
            "tag": self.plan.tag,
            "files": self.plan.paths,
            "commit": self.commit,
            "pushed": self.pushed,
        }
        if self.dry_run_text is not None:
            payload["dry_run"] = True
            payload["diff"] = self.dry_run_text
            payload["commands"] = preview.commands(self.plan)
        return payload


def plan_release(root: Path, part: str, request_options: dict[str, object]) -> Plan:
    """Check everything and compute the plan; nothing is written."""
    loaded = project.load(root)
    project.refuse_if_pending(project.git_dir(root))
    config = loaded.config
    remote = str(request_options.get("remote") or config.remote)
    request = Request(
        part=part,
        date=request_options["date"],  # type: ignore[arg-type]
        summary=request_options.get("summary"),  # type: ignore[arg-type]
        push=bool(request_options.get("push", True)) and config.push,
        remote=remote,
    )
    render = make_renderer(root / config.templates)
    return build(loaded, GitRepo(root), request, render)


def run(
    root: Path,
    part: str,
    request_options: dict[str, object],
    *,
    dry_run: bool,
    confirm: Confirm,
    report: Callable[[str], None],
) -> Result:
    report("checking the repository")
    plan = plan_release(root, part, request_options)
    if dry_run:
        return Result(plan, None, False, dry_run_text=preview.dry_run(plan))
    if not confirm(plan):
        raise Refused("Release cancelled; nothing was changed.")
    from cutrelease import transaction  # a dry run never loads the writing side

    outcome = transaction.apply(plan, GitRepo(root), report=report)
    return Result(plan, outcome.commit, outcome.pushed, note=outcome.note)
