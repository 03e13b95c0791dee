"""The click layer: parse, call the core, print, exit. Heavy modules load only when used."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from cutrelease.errors import BadUsage, Cancelled, CutreleaseError, Refused
from cutrelease.output import JSON_SCHEMA, Output

if TYPE_CHECKING:  # only what a command needs is imported: start-up time matters
    import datetime
    from pathlib import Path

    from cutrelease.project import Project
    from cutrelease.release.plan import Plan
    from cutrelease.release.request import ReleaseRequest
    from cutrelease.release.transaction import Outcome
    from cutrelease.versions import Target

# A fixed help width spares importing shutil to ask the terminal for it.
CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "terminal_width": 80}


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


class _Main(click.Group):
    """The commands, and `bump VERSION`: a command name that starts like a version releases it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """click's parsing, after the command's options before its name moved after it."""
        return super().parse_args(ctx, command_first(args))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        # `bump 2.0.0`, or `bump v2.0.0` as the tag spells it (PEP 440 allows the "v").
        if command is None and cmd_name.lstrip("vV")[:1].isdigit():
            return _explicit(cmd_name)
        return command

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
        except click.Abort:  # Ctrl-C or end of input outside a command's own handling
            Output().error("Aborted; nothing was changed.")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


@dataclass
class _Where:
    """Where a command runs (-C) and which package it means (-p), before either is looked up."""

    directory: str = "."
    package: str | None = None
    packages: list[str] = field(default_factory=list)  # every -p, for a release of several

    def several(self) -> bool:
        """Whether -p named more than one package (only a release command takes that)."""
        return len(self.packages) > 1


#: The release commands; `bump VERSION` is one too. Their --json keys: output.JSON_SCHEMA.
RELEASES = ("patch", "minor", "major", "alpha", "beta", "rc", "stable", "auto")

#: Each other command's own --json keys (after output.envelope's), with their values when they
#: do not apply; `status` keeps its own in publish.status. Each command's JSON Schema is the
#: package's schemas/NAME.json (json_schema_file).
JSON_KEYS: dict[str, dict[str, Any]] = {}


def json_schema_file(command: str) -> str:
    """The file, in the package's schemas folder, of the JSON Schema of `command`'s --json
    object: release.json for every release (`bump VERSION` too), bump.json for an error
    before any command, else COMMAND.json."""
    if command in RELEASES or command.lstrip("vV")[:1].isdigit():
        return "release.json"
    return f"{command}.json"


def _output(command: str | None, *, as_json: bool = False, quiet: bool = False) -> Output:
    """The Output of `command` (None: bump's own, before any command is known): --json prints
    the envelope naming it, then the command's own keys."""
    name = command or "bump"
    keys: dict[str, Any]
    if name == "status":
        from cutrelease.publish.status import JSON_KEYS as keys
    elif name == "retract":
        from cutrelease.release.retract import JSON_KEYS as keys
    elif json_schema_file(name) == "release.json":
        keys = JSON_SCHEMA
    else:
        keys = JSON_KEYS.get(name, {})
    return Output(as_json=as_json, quiet=quiet, schema=keys, command=name)


def _out(ctx: click.Context, *, as_json: bool = False, quiet: bool = False) -> Output:
    """The Output of the command running in `ctx`, as it was named (`patch`, `2.0.0`)."""
    return _output(ctx.command.name, as_json=as_json, quiet=quiet)


def _example(line: str) -> str:
    """A --help's one example (its epilog), kept on its line (click's \\b: no rewrapping)."""
    return f"\b\nExample: {line}"


#: `--json` of every command.
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


class _Switch(click.types.BoolParamType):
    """A flag's yes or no from its environment variable (`--offline`: CUTRELEASE_OFFLINE):
    1/true/yes/on or 0/false/no/off/empty, as click reads them; any other value is refused
    naming the variable, which the person running bump set, not the flag they never gave."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            names = getattr(param, "envvar", None) or "the variable"
            self.fail(
                f"{names}={value!r} is neither on (1, true, yes) nor off (0, false, no, empty).",
                param,
                ctx,
            )


def _directory(ctx: click.Context) -> Path:
    """-C's folder (the current one without it), while the shell completes a word: main has
    not run then, so it is read from main's parsed parameters."""
    from pathlib import Path

    return Path(ctx.find_root().params.get("directory") or ".")


def _complete_packages(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """`-p`'s completions: the names of the repository's packages (packages.names); none
    where they cannot be read. Never an error: the shell shows nothing instead."""
    from cutrelease import packages, project

    try:
        names = packages.names(project.find_project(_directory(ctx)))
    except (CutreleaseError, OSError):
        return []
    return [name for name in names if name.startswith(incomplete)]


def _complete_remotes(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """`--remote`'s completions: the repository's remotes (`git remote`); none outside one."""
    from cutrelease import project
    from cutrelease.git.gitrepo import GitRepo

    try:
        names = GitRepo(project.find_root(_directory(ctx))).remotes().result()
    except (CutreleaseError, OSError):
        return []
    return sorted(name for name in names if name.startswith(incomplete))


_PACKAGE_HELP = "The package to act on, by name (a workspace member); default: this folder's."


#: The commands that release, and so take several packages (-p A -p B, --all, --changed).
_RELEASES = frozenset({"patch", "minor", "major", "alpha", "beta", "rc", "stable"})


def _releases(name: str | None) -> bool:
    """Whether the command `name` releases (`bump VERSION` too): it may name several packages."""
    return name is not None and (name in _RELEASES or name.lstrip("vV")[:1].isdigit())


def _package_given(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> None:
    """`-p NAME` after a command's name: the same as before it (`bump -p NAME minor`).

    Given again, it must name the same package (the last one silently winning would
    release another package than the first names), unless the command releases: then each
    names a package of one release of several (SPEC section 14).
    """
    where = ctx.find_object(_Where)
    if where is None:  # pragma: no cover - main always sets it
        return
    for value in values:
        if _releases(ctx.info_name):
            where.packages = list(dict.fromkeys([*where.packages, value]))
            where.package = where.package or value
            continue
        if where.package is not None and where.package != value:
            raise click.BadParameter(_one_package(ctx.info_name, where.package, value))
        where.package = value


def _one_package(command: str | None, first: str, other: str) -> str:
    """Why `command` refuses `-p other` after `-p first`: it acts on one package."""
    if command == "auto":  # each package's entries may call for another level
        return (
            f"bump auto releases one package, at the level its entries call for; to release "
            f"{first} and {other} together, name the level: bump -p {first} -p {other} patch "
            "(or minor, major)."
        )
    return f"{other!r} is not the package given before ({first!r})."


#: `-p/--package` for each command, after its name; main's own comes before it.
package_option = click.option(
    "-p",
    "--package",
    metavar="NAME",
    multiple=True,
    expose_value=False,
    callback=_package_given,
    shell_complete=_complete_packages,
    help=_PACKAGE_HELP,
)


@click.group(
    cls=_Main,
    context_settings=CONTEXT,
    epilog="bump VERSION releases an explicit version: bump 2.0.0, bump 2.0.0rc1.\n\n"
    "A command's options may come before its name too: bump --dry-run patch.\n\n"
    + _example("bump patch --dry-run"),
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
    shell_complete=_complete_packages,
    help=_PACKAGE_HELP,
)
@click.version_option(package_name="cutrelease", prog_name="cutrelease")
@click.pass_context
def main(ctx: click.Context, directory: str | None, package: tuple[str, ...]) -> None:
    """Cut a release in one transaction: version, changelog, security table, commit, tag, push."""
    several = _releases(ctx.invoked_subcommand)  # a release may name several packages
    if len(set(package)) > 1 and not several:  # never the last one silently
        raise click.BadParameter(
            _one_package(ctx.invoked_subcommand, package[0], package[-1]),
            param_hint="'-p' / '--package'",
        )
    ctx.obj = _Where(
        directory or ".", package[0] if package else None, list(dict.fromkeys(package))
    )


@contextmanager
def handled(out: Output) -> Iterator[None]:
    """Expected errors become one sentence and their exit code; never a traceback."""
    try:
        yield
    except Cancelled as exc:  # a choice, not an failure: no "error:"; the exit code says no
        if out.as_json:
            out.error(str(exc), exit_code=exc.exit_code)
        else:
            out.note(str(exc))
        sys.exit(exc.exit_code)
    except CutreleaseError as exc:
        out.error(str(exc), exit_code=exc.exit_code)
        sys.exit(exc.exit_code)
    except OSError as exc:
        out.error(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        sys.exit(1)
    except UnicodeEncodeError as exc:  # rather than escaped text in someone's release notes
        shown = exc.object[exc.start : exc.end]
        out.error(
            f"The output cannot be written in this terminal's encoding, {exc.encoding}: "
            f"it holds {shown!r}. Set PYTHONIOENCODING=utf-8 (or a UTF-8 locale)."
        )
        sys.exit(1)
    except KeyboardInterrupt:
        out.error("Interrupted; nothing was changed.")
        sys.exit(1)
    except click.Abort:  # Ctrl-C or end of input at the question
        out.error("Aborted; nothing was changed.")
        sys.exit(1)


def _root(ctx: click.Context) -> Path:
    from pathlib import Path

    from cutrelease.project import find_root

    return find_root(Path(ctx.obj.directory))


def _project_root(ctx: click.Context) -> Path:
    """The repository root, or outside git the folder of pyproject.toml (an unpacked sdist).

    For the commands that only read files: version, check-tag, check.
    """
    from pathlib import Path

    from cutrelease.project import find_project

    return find_project(Path(ctx.obj.directory))


def _folder(ctx: click.Context, root: Path, *, release: bool = False) -> str:
    """The folder of the package the command means (workspace.select), from `root`."""
    from pathlib import Path

    from cutrelease import workspace

    where: _Where = ctx.obj
    return workspace.select(root, Path(where.directory), where.package, release=release)


def _release_date(value: str | None) -> datetime.date:
    import datetime
    import re

    if value is not None:
        try:  # fromisoformat alone would also take 20260301 and 2026-W09-1
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError(value)
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise BadUsage(f"--date {value!r} is not a real date written YYYY-MM-DD.") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise Refused(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp.",
                hint="Unset it, or set it to whole seconds since 1970.",
            ) from None
    return datetime.date.today()


#: The release options' click.Option objects, made once for the eight release commands (and
#: `bump VERSION`): an Option holds no value of its own (the context does), and making them
#: again for each command cost every command's start-up more than a release's own checks.
_RELEASE_PARAMS: list[click.Parameter] = []


def release_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options every release command shares."""
    if not _RELEASE_PARAMS:
        _RELEASE_PARAMS.extend(_release_params())
    # click reads __click_params__ last first, as decorators apply from the bottom up.
    function.__click_params__ = [*getattr(function, "__click_params__", []), *_RELEASE_PARAMS]  # type: ignore[attr-defined]
    return click.pass_context(function)


def _release_params() -> list[click.Parameter]:
    """The release options, in the order `--help` lists them (as __click_params__ holds them)."""
    options = [
        click.option(
            "--dry-run", is_flag=True, help="Show the diff and git commands; change nothing."
        ),
        click.option("--date", metavar="YYYY-MM-DD", help="Release date (default: today)."),
        click.option("-m", "summary", metavar="TEXT", help="Summary for the tag message."),
        click.option("--no-push", is_flag=True, help="Commit and tag, but do not push."),
        click.option(
            "--remote",
            metavar="NAME",
            shell_complete=_complete_remotes,
            help="Remote to push to (default: origin).",
        ),
        click.option("--no-hooks", is_flag=True, help="Run no before_commit or after_push hook."),
        click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation."),
        click.option(
            "--build", is_flag=True, help="Build and check the sdist and wheel before the tag."
        ),
        click.option(
            "--offline",
            is_flag=True,
            type=_Switch(),
            envvar="CUTRELEASE_OFFLINE",
            help="Do not ask the package index (also CUTRELEASE_OFFLINE=1).",
        ),
        json_option,
        click.option(
            "--quiet", "-q", is_flag=True, help="Print only errors (and a dry run's diff)."
        ),
        package_option,
        click.option(
            "--all", "every", is_flag=True, help="Release every package of the workspace at once."
        ),
        click.option(
            "--changed",
            "changed_only",
            is_flag=True,
            help="Release every package changed since its last tag, at once.",
        ),
    ]

    def collected() -> None: ...

    for option in reversed(options):
        option(collected)
    return list(collected.__click_params__)  # type: ignore[attr-defined]


def _release(
    ctx: click.Context,
    target: Target,
    *,
    dry_run: bool,
    date: str | None,
    summary: str | None,
    no_push: bool,
    remote: str | None,
    no_hooks: bool,
    yes: bool,
    build: bool,
    offline: bool,
    as_json: bool,
    quiet: bool,
    every: bool = False,
    changed_only: bool = False,
) -> None:
    """Parse the options into a request, plan it, then show the plan or apply it."""
    out = _out(ctx, as_json=as_json, quiet=quiet)
    out.known["dry_run"] = dry_run  # a dry run refused at its first check is still one
    with handled(out):
        from cutrelease.release import request as release

        if no_push and remote is not None:
            raise BadUsage(
                f"--remote {remote} has nothing to do with --no-push.", hint="Drop one of them."
            )
        request = release.ReleaseRequest(
            target=target,
            date=_release_date(date),
            summary=(summary or "").strip() or None,  # blank: no summary
            push=not no_push,
            remote=remote,
            hooks=not no_hooks,
            offline=offline,
            build=build,
        )
        root = _root(ctx)
        out.progress("checking the repository")
        out.known["dry_run"] = dry_run
        with _index_known(out):  # a refusal for what the index has: its JSON says what
            plan = _plan(ctx, root, request, every=every, changed_only=changed_only)
        if out.as_json:  # a failure from here on says which release failed, in its JSON too
            from cutrelease.release import preview

            out.known.update(
                old_version=plan.old_version,
                new_version=plan.new_version,
                tag=plan.tag,
                files=plan.paths,
                commands=preview.commands(plan),
                packages=_packages_json(plan),
            )
        if dry_run:
            _show_dry_run(out, plan)
        else:
            _apply(out, plan, root, yes=yes)


@contextmanager
def _index_known(out: Output) -> Iterator[None]:
    """A refusal for what the package index said (listing.IndexRefused) fills --json's
    `index` with it, as a release or retract that goes on would."""
    from cutrelease.publish.listing import IndexRefused

    try:
        yield
    except IndexRefused as exc:
        out.known["index"] = exc.said.as_json()
        raise


def _plan(
    ctx: click.Context,
    root: Path,
    request: ReleaseRequest,
    *,
    every: bool,
    changed_only: bool,
) -> Plan:
    """The plan of one package's release, or of several (-p A -p B, --all, --changed)."""
    from cutrelease.release import request as release

    where: _Where = ctx.obj
    if every and changed_only:
        raise BadUsage("--all and --changed choose the packages two ways; give one of them.")
    if (every or changed_only) and where.package is not None:
        raise BadUsage("--all and --changed choose the packages; they take no --package.")
    if not (every or changed_only or where.several()):
        return release.plan_release(root, request, folder=_folder(ctx, root, release=True))
    from cutrelease.release import several

    chosen = several.folders(root, where.packages, every=every, changed=changed_only)
    return several.plan(root, request, chosen)


def _shown_tags(plan: Plan) -> str:
    """The release's tag, or its tags (a release of several packages), for a sentence."""
    return ", ".join(plan.tags)


def _show_dry_run(out: Output, plan: Plan) -> None:
    from cutrelease.release import preview

    if out.as_json:
        out.data(_as_json(plan))  # a dry run whose JSON is lost fails: exit 1
    else:
        out.diff(preview.dry_run(plan), even_if_quiet=True)  # the result asked for
    out.note(f"Dry run: {_shown_tags(plan)} would be released; nothing was changed.")


def _apply(out: Output, plan: Plan, root: Path, *, yes: bool) -> None:
    if not _confirmed(plan, yes=yes):
        raise Cancelled("Release cancelled; nothing was changed.")
    if not _asks(yes=yes):  # the question's summary says the notes; without it, here
        for note in plan.notes:
            out.note(f"Note: {note}.")
    from cutrelease.git.gitrepo import GitRepo
    from cutrelease.release import transaction  # a dry run never loads the writing side

    outcome = transaction.apply(plan, GitRepo(root), report=out.progress)
    failed = outcome.after_push_failed
    try:
        out.data(_as_json(plan, outcome))
    except OSError as exc:
        # The release has landed: exit 0 says so, even if its JSON could not be written.
        out.warning(f"Released {_shown_tags(plan)}, but its JSON could not be written ({exc}).")
        if failed is None:
            return
    if failed is not None:  # released, but an after_push hook failed: exit 4 says both
        if not out.as_json:
            out.error(str(failed), exit_code=failed.exit_code)
        sys.exit(failed.exit_code)
    if outcome.note:
        out.note(outcome.note)
    if outcome.pushed:
        out.note(f"Released {_shown_tags(plan)} and pushed to {plan.remote}.")
        return
    # The next release checks that this tag reached the remote: say how it gets there.
    tags = " ".join(f"refs/tags/{tag}" for tag in plan.tags)
    push = f"git push --atomic {plan.remote_name} refs/heads/{plan.branch} {tags}"
    out.note(f"Released {_shown_tags(plan)} (not pushed). To publish it: {push}")


def _asks(*, yes: bool) -> bool:
    """Whether a release asks before it starts: only --yes or a stdin that is no terminal
    skips the question; with --json it goes to stderr and stdout stays one JSON object."""
    return not (yes or sys.stdin is None or not sys.stdin.isatty())


def _confirmed(plan: Plan, *, yes: bool) -> bool:
    if not _asks(yes=yes):
        return True
    from cutrelease.release import preview

    click.echo(preview.summary(plan), nl=False, err=True)
    target = f"to {plan.remote}" if plan.remote else "without pushing"
    return click.confirm(f"Release {_shown_tags(plan)} {target}?", default=False, err=True)


def _as_json(plan: Plan, outcome: Outcome | None = None) -> dict[str, object]:
    """The one JSON object of `--json` (schema: output.JSON_SCHEMA): a landed release's
    `outcome`, or (none) a dry run's."""
    from cutrelease.release import preview

    failed = None if outcome is None else outcome.after_push_failed
    return {
        "ok": failed is None,
        "dry_run": outcome is None,
        "old_version": plan.old_version,
        "new_version": plan.new_version,
        "tag": plan.tag,
        "files": plan.paths if outcome is None else list(outcome.files),
        "commit": None if outcome is None else outcome.commit or None,
        "pushed": False if outcome is None else outcome.pushed,
        "diff": preview.file_diffs(plan) if outcome is None else None,
        "commands": preview.commands(plan),
        "hooks": [
            {"when": key, "command": command}
            for key in ("before_commit", "after_push")
            for command in preview.hooks(plan, key)
        ],
        "index": None if plan.index_said is None else plan.index_said.as_json(),
        "packages": _packages_json(plan),
        "error": None if failed is None else str(failed),
        "exit_code": 0 if failed is None else failed.exit_code,
    }


def _packages_json(plan: Plan) -> list[dict[str, object]]:
    """`packages` of --json: every package the release makes, the first (the top-level keys')
    then the others of a several-package release, each with its tag, versions and index."""
    return [
        {
            "name": name,
            "tag": tag,
            "old_version": old,
            "new_version": new,
            "index": None if said is None else said.as_json(),
        }
        for name, old, new, tag, said in [
            (plan.name, plan.old_version, plan.new_version, plan.tag, plan.index_said),
            *((o.name, o.old_version, o.new_version, o.tag, o.index_said) for o in plan.also),
        ]
    ]


_PRE = click.option(
    "--pre",
    type=click.Choice(["alpha", "beta", "rc"]),
    help="Release the first pre-release of it instead (1.3.0rc1).",
)


def _target(**fields: Any) -> Target:
    from cutrelease.versions import Target  # packaging: not for --help

    return Target(**fields)


@main.command(context_settings=CONTEXT, epilog=_example("bump patch --dry-run"))
@release_options
@_PRE
def patch(ctx: click.Context, pre: str | None, **opts: Any) -> None:
    """Release the next patch version (X.Y.Z+1)."""
    _release(ctx, _target(part="patch", pre=pre), **opts)


@main.command(context_settings=CONTEXT, epilog=_example("bump minor -m 'Faster start-up' --yes"))
@release_options
@_PRE
def minor(ctx: click.Context, pre: str | None, **opts: Any) -> None:
    """Release the next minor version (X.Y+1.0); updates SECURITY.md."""
    _release(ctx, _target(part="minor", pre=pre), **opts)


@main.command(context_settings=CONTEXT, epilog=_example("bump major --pre rc"))
@release_options
@_PRE
def major(ctx: click.Context, pre: str | None, **opts: Any) -> None:
    """Release the next major version (X+1.0.0); updates SECURITY.md."""
    _release(ctx, _target(part="major", pre=pre), **opts)


@main.command(context_settings=CONTEXT, epilog=_example("bump alpha --dry-run"))
@release_options
def alpha(ctx: click.Context, **opts: Any) -> None:
    """Release the next alpha of the current pre-release (1.3.0a1 -> 1.3.0a2)."""
    _release(ctx, _target(pre="alpha"), **opts)


@main.command(context_settings=CONTEXT, epilog=_example("bump beta --no-push"))
@release_options
def beta(ctx: click.Context, **opts: Any) -> None:
    """Release the next beta of the current pre-release (1.3.0a2 -> 1.3.0b1)."""
    _release(ctx, _target(pre="beta"), **opts)


@main.command(context_settings=CONTEXT, epilog=_example("bump rc --dry-run"))
@release_options
def rc(ctx: click.Context, **opts: Any) -> None:
    """Release the next release candidate (1.3.0b2 -> 1.3.0rc1, 1.3.0rc1 -> 1.3.0rc2)."""
    _release(ctx, _target(pre="rc"), **opts)


@main.command(context_settings=CONTEXT, epilog=_example("bump stable --yes"))
@release_options
def stable(ctx: click.Context, **opts: Any) -> None:
    """Release the final version of the current pre-release (1.3.0rc2 -> 1.3.0)."""
    _release(ctx, _target(stable=True), **opts)


@main.command(context_settings=CONTEXT, epilog=_example("bump auto --dry-run"))
@release_options
def auto(ctx: click.Context, **opts: Any) -> None:
    """Release the level the changelog's entries call for (see `bump next`)."""
    out = _out(ctx, as_json=opts["as_json"], quiet=opts["quiet"])
    out.known["dry_run"] = opts["dry_run"]
    with handled(out):
        if opts["every"] or opts["changed_only"]:
            raise BadUsage("bump auto releases one package; name the level for several.")
        from cutrelease.release import pending

        call = pending.called_level(pending.read(_loaded(ctx)))
        out.progress(f"the entries call for a {call.level} release ({call.where})")
    _release(ctx, _target(part=call.level), **opts)


#: The keys of `next --json`'s one object, with their values when they do not apply.
NEXT_JSON: dict[str, Any] = {
    "current_version": None,
    "level": None,  # patch, minor or major: asked for, or called for by the entries
    "version": None,  # the version a release of that level gives
    "called_for": None,  # {"level", "where", "category", "text"}; null: no entry calls
}
JSON_KEYS["next"] = NEXT_JSON


@main.command("next", context_settings=CONTEXT, epilog=_example("VERSION=$(bump next minor)"))
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
    out = _out(ctx, as_json=as_json)
    with handled(out):
        from cutrelease.release import pending

        found = pending.read(_loaded(ctx))
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


def _explicit(version: str) -> click.Command:
    """`bump VERSION`: the release options, for the version named on the command line."""

    @release_options
    def explicit(ctx: click.Context, **opts: Any) -> None:
        _release(ctx, _target(explicit=version), **opts)

    return click.Command(
        version,
        context_settings=CONTEXT,
        callback=explicit,
        params=explicit.__click_params__,  # type: ignore[attr-defined]
        help=f"Release version {version} (greater than the current one, PEP 440 order).",
        epilog=_example(f"bump {version} --dry-run"),
    )


JSON_KEYS["version"] = {
    "version": None,  # the current version (null with --all)
    "name": None,  # [project].name of the package
    "folder": None,  # its folder from the repository root ("." for the root project)
    "packages": None,  # --all: [{"name", "version", "folder"}]
}


@main.command(context_settings=CONTEXT, epilog=_example("bump version --all"))
@click.option("--all", "every", is_flag=True, help="List every package: name, version, folder.")
@json_option
@package_option
@click.pass_context
def version(ctx: click.Context, every: bool, as_json: bool) -> None:
    """Print the current version, read where it lives (pyproject.toml, a file, tags...)."""
    out = _out(ctx, as_json=as_json)
    with handled(out):
        from cutrelease import project

        root = _project_root(ctx)
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
        loaded = project.load(root, folder=_folder(ctx, root), learn_tag_prefix=False)
        current = loaded.current_version()
        out.data(
            {"ok": True, "version": current, "name": loaded.name, "folder": loaded.folder or "."}
        )
        out.result(current + "\n")


JSON_KEYS["changed"] = {
    "packages": [],  # {"name", "folder", "version", "last_tag", "commits"} of each changed one
}


@main.command(context_settings=CONTEXT, epilog=_example("bump changed --json"))
@json_option
@click.pass_context
def changed(ctx: click.Context, as_json: bool) -> None:
    """List the packages changed since their last tag: name, last tag, commits since.

    A package's last tag is its tag prefix and current version; the commits counted touch its
    folder (the root project's: outside every member's). `bump minor --changed` releases them.
    """
    out = _out(ctx, as_json=as_json)
    with handled(out):
        from cutrelease.release import several

        found = [item for item in several.changes(_root(ctx)) if item.commits]
        out.data({"ok": True, "packages": [item.as_json() for item in found]})
        out.result(several.table(found))


JSON_KEYS["recover"] = {
    "message": None,  # what was done: restored, completed, or nothing to recover
}


@main.command(context_settings=CONTEXT, epilog=_example("bump recover"))
@json_option
@package_option
@click.pass_context
def recover(ctx: click.Context, as_json: bool) -> None:
    """Undo a release that was interrupted (after a crash or kill -9).

    The journal is the repository's: recover restores it whichever package was released.
    """
    out = _out(ctx, as_json=as_json)
    with handled(out):
        from cutrelease.git.gitrepo import GitRepo
        from cutrelease.release import transaction

        done = transaction.recover(GitRepo(_root(ctx)), report=out.progress)
        out.data({"ok": True, "message": done})
        out.note(done)


@main.command(context_settings=CONTEXT, epilog=_example("bump retract v0.2.1 --dry-run"))
@click.argument("tag", required=False)
@click.option("--dry-run", is_flag=True, help="Show the diff and git commands; change nothing.")
@click.option("--remote", metavar="NAME", help="Remote to push to (default: origin).")
@click.option(
    "--offline",
    is_flag=True,
    type=_Switch(),
    envvar="CUTRELEASE_OFFLINE",
    help="Do not ask the package index: you know the version was never uploaded.",
)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors (and a dry run's diff).")
@package_option
@click.pass_context
def retract(
    ctx: click.Context,
    tag: str | None,
    dry_run: bool,
    remote: str | None,
    offline: bool,
    yes: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """Take back a pushed release that was never uploaded (default: the current version's tag).

    One transaction: a commit reverting the release commit, one atomic push of the branch and
    the tag's deletion, then the local tag deleted. Then the same bump releases it again.
    """
    from cutrelease.release import retract as retracting

    out = _out(ctx, as_json=as_json, quiet=quiet)
    with handled(out):
        root = _root(ctx)
        out.progress("checking the repository")
        out.known["dry_run"] = dry_run
        request = retracting.RetractRequest(tag=tag, remote=remote, offline=offline)
        with _index_known(out):
            plan = retracting.plan_retract(root, request, folder=_folder(ctx, root))
        out.known.update(retracting.as_json(plan))
        if dry_run:
            out.diff(retracting.dry_run(plan), even_if_quiet=True)
            out.data({"ok": True, "exit_code": 0})
            out.note(f"Dry run: {plan.tag} would be retracted; nothing was changed.")
            return
        if not (yes or sys.stdin is None or not sys.stdin.isatty()):
            click.echo(retracting.summary(plan), nl=False, err=True)
            if not click.confirm(f"Retract {plan.tag} from {plan.remote}?", err=True):
                raise Cancelled("Retract cancelled; nothing was changed.")
        from cutrelease.git.gitrepo import GitRepo

        commit = retracting.apply(plan, GitRepo(root), report=out.progress)
        out.data({**retracting.as_json(plan, commit), "ok": True, "exit_code": 0})
        out.note(
            f"Retracted {plan.tag}: {plan.branch} reverts it ({commit[:7]}) on {plan.remote}, "
            f"and the tag is deleted there and here. Fix the problem, then release "
            f"{plan.version} again."
        )


def _loaded(ctx: click.Context, *, root: Path | None = None, tag: str | None = None) -> Project:
    """The package the command means (in the repository at `root`, default the current one),
    once no release is pending. With `tag`, the package that tag names (select_by_tag)."""
    from pathlib import Path

    from cutrelease import project, workspace

    root = root or _root(ctx)
    project.refuse_if_pending(project.git_dir(root))
    if tag is not None:
        where: _Where = ctx.obj
        return workspace.select_by_tag(root, Path(where.directory), where.package, tag)
    return project.load(root, folder=_folder(ctx, root))


#: The keys of `check-tag --json`'s one object, with their values when they do not apply.
TAG_JSON: dict[str, Any] = {
    "name": None,  # [project].name of the package the tag releases
    "folder": None,  # its folder from the repository root ("." for the root project)
    "version": None,  # its current version
    "tag": None,  # the tag, refs/tags/ stripped
}
JSON_KEYS["check-tag"] = TAG_JSON


@main.command(
    "check-tag", context_settings=CONTEXT, epilog=_example('bump check-tag "$GITHUB_REF_NAME"')
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
    out = _out(ctx, as_json=as_json)
    with handled(out):
        from cutrelease.release import tagcheck

        loaded = _loaded(ctx, root=_project_root(ctx), tag=tag)
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


JSON_KEYS["notes"] = {
    "version": None,  # the version whose notes these are (null with --unreleased)
    "unreleased": False,  # the pending notes were asked for
    "notes": None,  # the section's body, without its heading, as printed
}


@main.command(context_settings=CONTEXT, epilog=_example("bump notes v1.2.0 > notes.md"))
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
    out = _out(ctx, as_json=as_json)
    out.known["unreleased"] = unreleased
    with handled(out):
        from cutrelease.files import changelog
        from cutrelease.release.plan import decode

        if unreleased and version is not None:
            raise BadUsage(
                f"--unreleased prints the pending notes; it takes no VERSION ({version!r}).",
                hint="Drop one of them.",
            )
        loaded = _loaded(ctx, tag=version)
        wanted = None
        if unreleased:  # with the changelog fragments, as the release merges them
            from cutrelease.release import pending

            body = pending.unreleased_notes(loaded)
        else:
            path = loaded.path(loaded.config.changelog)
            if not path.strip():
                raise CutreleaseError("[tool.cutrelease].changelog is blank.")
            try:
                text = decode((loaded.root / path).read_bytes(), path)
            except FileNotFoundError as exc:  # said as `bump check` says it, with its fix
                from cutrelease.errors import FileFormatError
                from cutrelease.files import unreadable

                member = loaded.name if loaded.folder else None
                said = unreadable.message(exc, key="changelog", package=member)
                raise FileFormatError(path, said) from None
            # A tag as CI names it (refs/tags/v1.2.3, v1.2.3) or a version.
            wanted = (version or loaded.current_version()).removeprefix("refs/tags/")
            wanted = wanted.removeprefix(loaded.config.tag_prefix)
            body = changelog.release_notes(text, wanted, path=path)
        shown = body.rstrip("\r\n") + "\n" if body else ""
        out.data({"ok": True, "version": wanted, "notes": shown})
        out.result(shown)


JSON_KEYS["check"] = {
    "problems": [],  # {"path", "line" (null: the whole file), "message"} each
}


@main.command(context_settings=CONTEXT, epilog=_example("bump check --json"))
@json_option
@package_option
@click.pass_context
def check(ctx: click.Context, as_json: bool) -> None:
    """Lint the release files; exit 1 listing every problem.

    pyproject.toml's version, CHANGELOG.md (Keep a Changelog) and SECURITY.md's Supported
    Versions table; each problem as PATH:LINE: MESSAGE. Also a pre-commit hook (bump-check).
    """
    out = _out(ctx, as_json=as_json)
    with handled(out):
        from cutrelease.files import lint

        root = _project_root(ctx)  # it only reads files: an unpacked sdist is fine too
        lint.refuse_if_interrupted(root)
        every = ctx.obj.package is None  # at a uv workspace's root: each package's files
        problems = lint.check(root, folder=_folder(ctx, root), every=every)
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


JSON_KEYS["init"] = {
    "dry_run": False,
    "files": [],  # the files created (a dry run: it would create), from the repository root
    "kept": [],  # the files that exist already, never overwritten
    "notes": [],  # what was found and will be used (a fragments folder), one sentence each
    "diff": None,  # a dry run's view of the files it would create
}


@main.command(context_settings=CONTEXT, epilog=_example("bump init --dry-run"))
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
    out = _out(ctx, as_json=as_json)
    out.known["dry_run"] = dry_run
    with handled(out):
        from cutrelease import project, scaffold

        root = _root(ctx)
        project.refuse_if_pending(project.git_dir(root))
        plan = scaffold.plan_for(root, folder=_folder(ctx, root))
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


@main.command(context_settings=CONTEXT, epilog=_example("bump status --wait 600"))
@click.argument("version", required=False)
@click.option(
    "--remote",
    metavar="NAME",
    shell_complete=_complete_remotes,
    help="The remote to ask (default: origin).",
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

    out = _out(ctx, as_json=as_json)
    with handled(out):
        from cutrelease.git.gitrepo import GitRepo

        loaded = _loaded(ctx, tag=version)
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
