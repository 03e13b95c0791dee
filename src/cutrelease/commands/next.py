"""bump next: the level the changelog's entries call for, and the version it gives."""

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

#: The keys of `next --json`'s one object, with their values when they do not apply.
JSON_KEYS: dict[str, Any] = {
    "current_version": None,
    "level": None,  # patch, minor or major: asked for, or called for by the entries
    "version": None,  # the version a release of that level gives
    "called_for": None,  # {"level", "where", "category", "text"}; null: no entry calls
}


@click.command("next", context_settings=CONTEXT, epilog=example("VERSION=$(bump next minor)"))
@click.argument("level", required=False, type=click.Choice(["patch", "minor", "major"]))
@json_option
@package_option
@click.pass_context
def next_(ctx: click.Context, level: str | None, as_json: bool) -> None:
    """Print the level the entries call for and the version it gives (`minor 0.3.0`).

    With LEVEL, print only the version a release of that level gives, for scripts:
    VERSION=$(bump next minor). Removed or BREAKING entries call for major (minor before
    1.0.0), Added, Changed and Deprecated for minor, Fixed and Security for patch.
    """
    out = output(ctx, JSON_KEYS, as_json=as_json)
    with handled(out):
        from cutrelease.release import pending

        found = pending.read(package_of(ctx))
        call = found.call
        out.known["current_version"] = found.current
        chosen = level or pending.called_level(found).level
        version = pending.next_version(found, chosen)
        called = None
        if call is not None:
            fields = ("level", "where", "category", "text")
            called = {name: getattr(call, name) for name in fields}
        out.data({"ok": True, "level": chosen, "version": version, "called_for": called})
        out.result(f"{version}\n" if level else f"{chosen} {version}\n")
