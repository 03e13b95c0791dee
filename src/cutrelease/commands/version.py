"""bump version: the current version, read where it lives; with --all, every package's."""

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
    project_root,
)
from cutrelease.errors import BadUsage

#: The keys of `version --json`'s one object, with their values when they do not apply.
JSON_KEYS: dict[str, Any] = {
    "version": None,  # the current version (null with --all)
    "name": None,  # [project].name of the package
    "folder": None,  # its folder from the repository root ("." for the root project)
    "packages": None,  # --all: [{"name", "version", "folder"}]
}


@click.command(context_settings=CONTEXT, epilog=example("bump version --all"))
@click.option("--all", "every", is_flag=True, help="List every package: name, version, folder.")
@json_option
@package_option
@click.pass_context
def version(ctx: click.Context, every: bool, as_json: bool) -> None:
    """Print the current version, read where it lives (pyproject.toml, a file, tags...)."""
    out = output(ctx, JSON_KEYS, as_json=as_json)
    with handled(out):
        from cutrelease import project

        root = project_root(ctx)
        if every:
            if ctx.obj.package is not None:
                raise BadUsage("--all lists every package; it takes no --package.")
            from cutrelease import workspace

            table = workspace.version_table(root)  # its refusals, whether --json or not
            if out.as_json:
                rows = [
                    {
                        "name": member.name,
                        "version": project.load(
                            root, folder=member.folder, learn_tag_prefix=False
                        ).current_version(),
                        "folder": member.shown,
                    }
                    for member in workspace.members(root)
                ]
                out.data({"ok": True, "packages": rows})
            out.result(table)
            return
        loaded = project.load(root, folder=package_folder(ctx, root), learn_tag_prefix=False)
        current = loaded.current_version()
        if (project.git_dir(root) / project.JOURNAL_NAME).exists():  # SPEC: printed, not refused
            out.warning(
                "An interrupted release is pending in this repository: the version read may "
                "be its, not the last commit's. Run `bump recover` first."
            )
        out.data(
            {"ok": True, "version": current, "name": loaded.name, "folder": loaded.folder or "."}
        )
        out.result(current + "\n")
