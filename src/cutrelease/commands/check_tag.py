"""bump check-tag: the CI guard, the tag must name the current version."""

from __future__ import annotations

from typing import Any

import click

from cutrelease.commands.shared import (
    CONTEXT,
    example,
    handled,
    output,
    package_of,
    package_option,
    project_root,
)

#: The keys of `check-tag --json`'s one object, with their values when they do not apply.
JSON_KEYS: dict[str, Any] = {
    "name": None,  # [project].name of the package the tag releases
    "folder": None,  # its folder from the repository root ("." for the root project)
    "version": None,  # its current version
    "tag": None,  # the tag, refs/tags/ stripped
}


@click.command(
    "check-tag", context_settings=CONTEXT, epilog=example('bump check-tag "$GITHUB_REF_NAME"')
)
@click.argument("tag")
@click.option("--json", "as_json", is_flag=True, help="Print its package's name, folder, version.")
@package_option
@click.pass_context
def check_tag(ctx: click.Context, tag: str, as_json: bool) -> None:
    """CI guard: exit 1 unless TAG matches [project].version.

    TAG may be vX.Y.Z or refs/tags/vX.Y.Z, as GITHUB_REF_NAME / GITHUB_REF give it. In a
    workspace, the package is the one whose tag prefix TAG starts with (the longest such).
    """
    out = output(ctx, JSON_KEYS, as_json=as_json)
    with handled(out):
        from cutrelease.release import tagcheck

        loaded = package_of(ctx, root=project_root(ctx), tag=tag)
        found = loaded.version_source()  # the file named is the one that holds the version
        source, version = tagcheck.holder(found, loaded.path("pyproject.toml")), found.version
        name = tagcheck.check_tag(
            tag, version=version, prefix=loaded.config.tag_prefix, source=source
        )
        out.data(
            {
                "ok": True,
                "name": loaded.name,
                "folder": loaded.folder or ".",
                "version": version,
                "tag": name,
            }
        )
        out.note(f"Tag {name} matches {source}'s version.")
