"""bump retract: take back a pushed release that was never uploaded."""

from __future__ import annotations

import sys

import click

from cutrelease.commands.shared import (
    CONTEXT,
    env_switch,
    example,
    handled,
    index_known,
    output,
    package_folder,
    package_option,
    repository_root,
)
from cutrelease.errors import Cancelled


@click.command(context_settings=CONTEXT, epilog=example("bump retract v0.2.1 --dry-run"))
@click.argument("tag", required=False)
@click.option("--dry-run", is_flag=True, help="Show the diff and git commands; change nothing.")
@click.option(
    "--remote",
    metavar="NAME",
    help="Remote to push to (default: the branch's upstream, else origin).",
)
@click.option(
    "--offline",
    is_flag=True,
    help="Do not ask the package index: you know the version was never uploaded.",
)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors (and a dry run's diff).")
@package_option
@click.pass_context
def retract(
    ctx: click.Context,
    tag: str | None,
    dry_run: bool,
    remote: str | None,
    offline: bool,
    yes: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """Take back a pushed release that was never uploaded (default: the current version's tag).

    One transaction: a commit reverting the release commit, one atomic push of the branch and
    the tag's deletion, then the local tag deleted. Then the same bump releases it again.
    """
    from cutrelease.release import retract as retracting

    out = output(ctx, retracting.JSON_KEYS, as_json=as_json, quiet=quiet)
    with handled(out):
        root = repository_root(ctx)
        out.progress("checking the repository")
        out.known["dry_run"] = dry_run
        # CUTRELEASE_OFFLINE keeps the index from being asked, but says nothing of what it
        # holds: only --offline, given here, says the version was never uploaded.
        off = "CUTRELEASE_OFFLINE" if env_switch(ctx, "CUTRELEASE_OFFLINE") else None
        request = retracting.RetractRequest(tag=tag, remote=remote, offline=offline, offline_by=off)
        with index_known(out):
            plan = retracting.plan_retract(root, request, folder=package_folder(ctx, root))
        out.known.update(retracting.as_json(plan))
        if dry_run:
            out.diff(retracting.dry_run(plan), even_if_quiet=True)
            out.data({"ok": True, "exit_code": 0})
            out.note(f"Dry run: {plan.tag} would be retracted; nothing was changed.")
            return
        if not (yes or sys.stdin is None or not sys.stdin.isatty()):
            click.echo(retracting.summary(plan), nl=False, err=True)
            if not click.confirm(f"Retract {plan.tag} from {plan.remote}?", err=True):
                raise Cancelled("Retract cancelled; nothing was changed.")
        from cutrelease.git.gitrepo import GitRepo

        commit = retracting.apply(plan, GitRepo(root), report=out.progress)
        out.data({**retracting.as_json(plan, commit), "ok": True, "exit_code": 0})
        out.note(
            f"Retracted {plan.tag}: {plan.branch} reverts it ({commit[:7]}) on {plan.remote}, "
            f"and the tag is deleted there and here. Fix the problem, then release "
            f"{plan.version} again."
        )
