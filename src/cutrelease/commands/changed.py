"""bump changed: the packages changed since their last tag."""

from __future__ import annotations

from typing import Any

import click

from cutrelease.commands.shared import (
    CONTEXT,
    example,
    handled,
    json_option,
    output,
    repository_root,
)

#: The keys of `changed --json`'s one object, with their values when they do not apply.
JSON_KEYS: dict[str, Any] = {
    "packages": [],  # {"name", "folder", "version", "last_tag", "commits"} of each changed one
}


@click.command(context_settings=CONTEXT, epilog=example("bump changed --json"))
@json_option
@click.pass_context
def changed(ctx: click.Context, as_json: bool) -> None:
    """List the packages changed since their last tag: name, last tag, commits since.

    A package's last tag is its tag prefix and current version; the commits counted touch its
    folder (the root project's: outside every member's). `bump minor --changed` releases them.
    """
    out = output(ctx, JSON_KEYS, as_json=as_json)
    with handled(out):
        from cutrelease.release import several

        found = [item for item in several.changes(repository_root(ctx)) if item.commits]
        out.data({"ok": True, "packages": [item.as_json() for item in found]})
        out.result(several.table(found))
