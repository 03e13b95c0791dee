"""bump init: create the release files that are missing."""

from __future__ import annotations

from typing import Any

import click

from cutrelease.commands.shared import (
    CONTEXT,
    example,
    handled,
    json_option,
    output,
    package_folder,
    package_option,
    repository_root,
)

#: The keys of `init --json`'s one object, with their values when they do not apply.
JSON_KEYS: dict[str, Any] = {
    "dry_run": False,
    "files": [],  # the files created (a dry run: it would create), from the repository root
    "kept": [],  # the files that exist already, never overwritten
    "notes": [],  # what was found and will be used (a fragments folder), one sentence each
    "diff": None,  # a dry run's view of the files it would create
}


@click.command(context_settings=CONTEXT, epilog=example("bump init --dry-run"))
@click.option("--dry-run", is_flag=True, help="Show the files it would create; write nothing.")
@json_option
@package_option
@click.pass_context
def init(ctx: click.Context, dry_run: bool, as_json: bool) -> None:
    """Create CHANGELOG.md, SECURITY.md, release.yml if missing.

    The changelog's links come from the remote's URL; the workflow goes to
    .github/workflows/release.yml. An existing file is never overwritten: it is kept, and said so.
    In a workspace, the package's files go to its folder, and the one workflow publishes the
    package each pushed tag names; at a uv workspace's root, only the workflow.
    """
    out = output(ctx, JSON_KEYS, as_json=as_json)
    out.known["dry_run"] = dry_run
    with handled(out):
        from cutrelease import project, scaffold

        root = repository_root(ctx)
        project.refuse_if_pending(project.git_dir(root))
        plan = scaffold.plan_for(root, folder=package_folder(ctx, root))
        out.known.update(kept=list(plan.kept), notes=list(plan.notes))
        for path in plan.kept:
            out.note(f"Kept {path}: it exists already.")
        for note in plan.notes:
            out.note(note)
        names = ", ".join(new.path for new in plan.create)
        done = {"ok": True, "files": [new.path for new in plan.create]}
        if not plan.create:
            out.data(done)
            out.note("Nothing to create.")
        elif dry_run:
            out.data({**done, "diff": scaffold.preview(plan)})
            out.diff(scaffold.preview(plan))
            out.note(f"Dry run: would create {names}; nothing was changed.")
        else:
            scaffold.apply(plan, report=out.progress)
            out.data(done)
            out.note(f"Created {names}. Commit them before your first release.")
