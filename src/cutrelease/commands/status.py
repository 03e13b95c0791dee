"""bump status: where a release stands, here, on the remote and on the index."""

from __future__ import annotations

import sys

import click

from cutrelease.commands.shared import (
    CONTEXT,
    complete_remotes,
    example,
    handled,
    json_option,
    output,
    package_of,
    package_option,
)
from cutrelease.errors import Refused


@click.command(context_settings=CONTEXT, epilog=example("bump status --wait 600"))
@click.argument("version", required=False)
@click.option(
    "--remote",
    metavar="NAME",
    shell_complete=complete_remotes,
    help="The remote to ask (default: the branch's upstream, else origin).",
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="Ask the index again until the sdist and a wheel are there, for at most SECONDS.",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=5.0,
    metavar="SECONDS",
    help="Seconds between two questions to the index with --wait (default: 5).",
)
@json_option
@package_option
@click.pass_context
def status(
    ctx: click.Context,
    version: str | None,
    remote: str | None,
    wait: float | None,
    interval: float,
    as_json: bool,
) -> None:
    """Where a release stands: its tag here, on the remote, its files on the package index.

    VERSION (default: the current one) may be a tag. Exit 0 when the tag is here and on the
    remote and the index has the sdist and a wheel; 1 otherwise, naming what is missing.
    """
    from cutrelease.publish import status as standing

    out = output(ctx, standing.JSON_KEYS, as_json=as_json)
    with handled(out):
        from cutrelease.git.gitrepo import GitRepo

        loaded = package_of(ctx, tag=version)
        wanted = standing.release_version(loaded, version)
        index_url, index_check = standing.index_settings(loaded)
        if wait is not None and not index_check:
            raise Refused(
                "--wait waits for the package index, and index_check = false turns it off.",
                hint="Drop --wait, or set index_check = true.",
            )
        found = standing.find(loaded, GitRepo(loaded.root), wanted, remote=remote)
        waited = None
        if wait is not None and found.tags_there():
            found, waited = standing.wait_for_upload(
                found, index_url, seconds=wait, interval=interval, report=out.progress
            )
        missing = found.missing()
        out.result(found.lines())
        error = None
        if missing:
            after = f"after {wait:g} s, " if waited is not None else ""
            error = f"{after}{found.tag} is not all there: {'; '.join(missing)}."
        code = 1 if missing else 0
        out.data(
            {
                **found.as_json(),
                "ok": not missing,
                "waited": waited,
                "error": error,
                "exit_code": code,
            }
        )
        if error is not None:
            if not out.as_json:
                out.error(error, exit_code=code)
            sys.exit(code)
        where = f"here, on {found.remote_name}" + (" and on the index" if index_check else "")
        out.note(f"{found.tag} is all there: {where}.")
