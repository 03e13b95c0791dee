"""bump notes: a release's changelog notes, ready for a GitHub Release."""

from __future__ import annotations

from typing import Any

import click

from cutrelease.commands.shared import (
    CONTEXT,
    example,
    handled,
    json_option,
    output,
    package_of,
    package_option,
)
from cutrelease.errors import BadUsage

#: The keys of `notes --json`'s one object, with their values when they do not apply.
JSON_KEYS: dict[str, Any] = {
    "version": None,  # the version whose notes these are (null with --unreleased)
    "unreleased": False,  # the pending notes were asked for
    "notes": None,  # the section's body, without its heading, as printed
}


@click.command(context_settings=CONTEXT, epilog=example("bump notes v1.2.0 > notes.md"))
@click.argument("version", required=False)
@click.option("--unreleased", is_flag=True, help="Print the pending Unreleased notes.")
@json_option
@package_option
@click.pass_context
def notes(ctx: click.Context, version: str | None, unreleased: bool, as_json: bool) -> None:
    """Print a release's changelog notes (default: current version).

    The body of the release's section, without its heading: ready for a GitHub Release.
    VERSION may be a tag; in a workspace, a member's tag names its package.
    """
    out = output(ctx, JSON_KEYS, as_json=as_json)
    out.known["unreleased"] = unreleased
    with handled(out):
        from cutrelease.files import changelog
        from cutrelease.release import pending

        if unreleased and version is not None:
            raise BadUsage(
                f"--unreleased prints the pending notes; it takes no VERSION ({version!r}).",
                hint="Drop one of them.",
            )
        loaded = package_of(ctx, tag=version)
        wanted = None
        if unreleased:  # with the changelog fragments, as the release merges them
            body = pending.unreleased_notes(loaded)
        else:
            path, text = pending.changelog_text(loaded)
            # A tag as CI names it (refs/tags/v1.2.3, v1.2.3) or a version.
            wanted = (version or loaded.current_version()).removeprefix("refs/tags/")
            wanted = wanted.removeprefix(loaded.config.tag_prefix)
            body = changelog.release_notes(text, wanted, path=path)
        shown = body.rstrip("\r\n") + "\n" if body else ""
        out.data({"ok": True, "version": wanted, "notes": shown})
        out.result(shown)
