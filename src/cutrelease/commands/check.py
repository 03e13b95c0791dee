"""bump check: lint the release files."""

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
from cutrelease.errors import CutreleaseError

#: The keys of `check --json`'s one object, with their values when they do not apply.
JSON_KEYS: dict[str, Any] = {
    "problems": [],  # {"path", "line" (null: the whole file), "message"} each
}


@click.command(context_settings=CONTEXT, epilog=example("bump check --json"))
@json_option
@package_option
@click.pass_context
def check(ctx: click.Context, as_json: bool) -> None:
    """Lint the release files; exit 1 listing every problem.

    pyproject.toml's version, CHANGELOG.md (Keep a Changelog) and SECURITY.md's Supported
    Versions table; each problem as PATH:LINE: MESSAGE. Also a pre-commit hook (bump-check).
    """
    out = output(ctx, JSON_KEYS, as_json=as_json)
    with handled(out):
        from cutrelease.files import lint

        root = project_root(ctx)  # it only reads files: an unpacked sdist is fine too
        lint.refuse_if_interrupted(root)
        every = ctx.obj.package is None  # at a uv workspace's root: each package's files
        problems = lint.check(root, folder=package_folder(ctx, root), every=every)
        out.known["problems"] = [
            {"path": problem.path, "line": problem.line, "message": problem.message}
            for problem in problems
        ]
        out.result("".join(f"{problem}\n" for problem in problems))
        if problems:
            count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
            raise CutreleaseError(f"{count} in the release files; fix them before releasing.")
        out.data({"ok": True})
        out.note("The release files are in order.")
