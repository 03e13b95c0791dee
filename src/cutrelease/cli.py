"""The click layer: bump's own options, and each command loaded from cutrelease.commands only
when it is named (click's lazily loaded subcommands): a command pays for its own options only."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from cutrelease.commands.shared import (
    CONTEXT,
    PACKAGE_HELP,
    Where,
    complete_packages,
    example,
    one_package,
    releases,
)
from cutrelease.errors import interrupted
from cutrelease.output import JSON_SCHEMA, Output

__all__ = ["BEFORE_COMMAND", "COMMANDS", "RELEASES", "command_first", "json_schema_file", "main"]

#: Each command, and where it is made: MODULE:ATTRIBUTE of cutrelease.commands.
COMMANDS = {
    "alpha": "release:alpha",
    "auto": "release:auto",
    "beta": "release:beta",
    "changed": "changed:changed",
    "check": "check:check",
    "check-tag": "check_tag:check_tag",
    "init": "init:init",
    "major": "release:major",
    "minor": "release:minor",
    "next": "next:next_",
    "notes": "notes:notes",
    "patch": "release:patch",
    "rc": "release:rc",
    "recover": "recover:recover",
    "retract": "retract:retract",
    "stable": "release:stable",
    "status": "status:status",
    "version": "version:version",
}

#: A command's options that may come before its name too, as -p may (`bump --dry-run patch`
#: is `bump patch --dry-run`), each with whether it takes a value. The command then takes
#: them as its own: one it has no such option for says so, as after its name.
BEFORE_COMMAND = {
    "--all": False,
    "--changed": False,
    "--build": False,
    "--offline": False,
    "--no-push": False,
    "--no-hooks": False,
    "--dry-run": False,
    "--json": False,
    "--yes": False,
    "-y": False,
    "--quiet": False,
    "-q": False,
    "--remote": True,
    "--date": True,
    "-m": True,
    "--pre": True,
}
#: bump's own options that take a value: that value is never the command's name.
_MAIN_VALUES = frozenset({"-C", "-p", "--package"})


def command_first(args: list[str]) -> list[str]:
    """`args` with the command's options written before its name (BEFORE_COMMAND) moved just
    after it, in their order: `--all patch` -> `patch --all`. bump's own options stay before
    it; anything else is left where it is, for click to accept or name."""
    moved: list[str] = []
    kept: list[str] = []
    at = 0
    while at < len(args):
        arg = args[at]
        if arg == "--":
            return args
        if not arg.startswith("-") or arg == "-":  # the command's name
            return [*kept, arg, *moved, *args[at + 1 :]]
        name = arg.partition("=")[0]
        width = 2 if "=" not in arg and (arg in _MAIN_VALUES or BEFORE_COMMAND.get(arg)) else 1
        (moved if name in BEFORE_COMMAND else kept).extend(args[at : at + width])
        at += width
    return args  # no command: click says what is missing


def _module(name: str) -> Any:
    """The module of cutrelease.commands named `name`, imported when first asked."""
    return importlib.import_module(f"cutrelease.commands.{name}")


class _Main(click.Group):
    """The commands, and `bump VERSION`: a command name that starts like a version releases it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """click's parsing, after the command's options before its name moved after it."""
        return super().parse_args(ctx, command_first(args))

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, in order, without loading one (--help loads each to list it)."""
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command named `cmd_name`, its module imported now; `bump 2.0.0`, or `bump
        v2.0.0` as the tag spells it (PEP 440 allows the "v"), is the release of that version."""
        command = self.commands.get(cmd_name)
        if command is not None:
            return command
        where = COMMANDS.get(cmd_name)
        if where is not None:
            module, _, attribute = where.partition(":")
            found: click.Command = getattr(_module(module), attribute)
            return found
        if cmd_name.lstrip("vV")[:1].isdigit():
            explicit: click.Command = _module("release").explicit(cmd_name)
            return explicit
        return None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """click's resolution; a name that is no command is told the nearest one, as click
        tells a mistyped option (`No such command 'pach'. Did you mean 'patch'?`)."""
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            name = args[0] if args else ""
            import difflib  # here: only a mistyped command needs it

            near = difflib.get_close_matches(name, self.list_commands(ctx), n=1)
            if not near or not exc.message.startswith("No such command"):
                raise
            raise click.UsageError(f"{exc.message} Did you mean {near[0]!r}?", ctx) from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """click's main, but a usage error under --json is the JSON object too."""
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.ClickException as exc:
            given = args[0] if args and args[0] is not None else sys.argv[1:]
            if "--json" in given:  # the command whose options were wrong, else bump's own
                where = getattr(exc, "ctx", None)
                name = where.command.name if where is not None and where.parent else None
                _output(name, as_json=True).error(exc.format_message(), exit_code=exc.exit_code)
            else:
                exc.show()
            sys.exit(exc.exit_code)
        except click.Abort as exc:  # Ctrl-C or end of input outside a command's own handling
            # click makes Ctrl-C an Abort too: said as the commands say it (shared.handled).
            said = "Interrupted" if interrupted(exc) else "Aborted"
            Output().error(f"{said}; nothing was changed.")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


#: The release commands; `bump VERSION` is one too. Their --json keys: output.JSON_SCHEMA.
RELEASES = ("patch", "minor", "major", "alpha", "beta", "rc", "stable", "auto")


def json_schema_file(command: str) -> str:
    """The file, in the package's schemas folder, of the JSON Schema of `command`'s --json
    object: release.json for every release (`bump VERSION` too), bump.json for an error
    before any command, else COMMAND.json."""
    if command in RELEASES or command.lstrip("vV")[:1].isdigit():
        return "release.json"
    return f"{command}.json"


def json_keys(command: str) -> dict[str, Any]:
    """The own --json keys (after output.envelope's) of `command`, with their values when they
    do not apply: a release's are output.JSON_SCHEMA, `status` keeps its own in publish.status,
    `retract` in release.retract, every other command in its module's JSON_KEYS; bump's own
    (an error before any command) has none. Each command's JSON Schema is the package's
    schemas/NAME.json (json_schema_file)."""
    if command == "status":
        from cutrelease.publish.status import JSON_KEYS as keys
    elif command == "retract":
        from cutrelease.release.retract import JSON_KEYS as keys
    elif json_schema_file(command) == "release.json":
        keys = JSON_SCHEMA
    elif command in COMMANDS:
        keys = _module(COMMANDS[command].partition(":")[0]).JSON_KEYS
    else:
        keys = {}
    return keys


def _output(command: str | None, *, as_json: bool = False, quiet: bool = False) -> Output:
    """The Output of `command` (None: bump's own, before any command is known): --json prints
    the envelope naming it, then the command's own keys."""
    name = command or "bump"
    return Output(as_json=as_json, quiet=quiet, schema=json_keys(name), command=name)


@click.group(
    cls=_Main,
    context_settings=CONTEXT,
    epilog="bump VERSION releases an explicit version: bump 2.0.0, bump 2.0.0rc1.\n\n"
    "A command's options may come before its name too: bump --dry-run patch.\n\n"
    + example("bump patch --dry-run"),
)
@click.option(
    "-C",
    "directory",
    type=click.Path(exists=True, file_okay=False),
    help="Run as if started in PATH (like git -C).",
    metavar="PATH",
)
@click.option(
    "-p",
    "--package",
    metavar="NAME",
    multiple=True,
    shell_complete=complete_packages,
    help=PACKAGE_HELP,
)
@click.version_option(package_name="cutrelease", prog_name="cutrelease")
@click.pass_context
def main(ctx: click.Context, directory: str | None, package: tuple[str, ...]) -> None:
    """Cut a release in one transaction: version, changelog, security table, commit, tag, push."""
    several = releases(ctx.invoked_subcommand)  # a release may name several packages
    if len(set(package)) > 1 and not several:  # never the last one silently
        raise click.BadParameter(
            one_package(ctx.invoked_subcommand, package[0], package[-1]),
            param_hint="'-p' / '--package'",
        )
    ctx.obj = Where(directory or ".", package[0] if package else None, list(dict.fromkeys(package)))
