"""bump recover: undo a release that was interrupted."""

from __future__ import annotations

from typing import Any

import click

from cutrelease.commands.shared import (
    CONTEXT,
    example,
    handled,
    json_option,
    output,
    package_option,
    repository_root,
)

#: The keys of `recover --json`'s one object, with their values when they do not apply.
JSON_KEYS: dict[str, Any] = {
    "message": None,  # what was done: restored, completed, or nothing to recover
}


@click.command(context_settings=CONTEXT, epilog=example("bump recover"))
@json_option
@package_option
@click.pass_context
def recover(ctx: click.Context, as_json: bool) -> None:
    """Undo a release that was interrupted (after a crash or kill -9).

    The journal is the repository's: recover restores it whichever package was released.
    """
    out = output(ctx, JSON_KEYS, as_json=as_json)
    with handled(out):
        from cutrelease.git.gitrepo import GitRepo
        from cutrelease.release import transaction

        done = transaction.recover(GitRepo(repository_root(ctx)), report=out.progress)
        out.data({"ok": True, "message": done})
        out.note(done)
