"""What every command shares: where it runs (-C, -p), its Output and options, its errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from cutrelease.errors import Cancelled, CutreleaseError
from cutrelease.output import Output

if TYPE_CHECKING:  # only what a command needs is imported: start-up time matters
    from pathlib import Path

    from cutrelease.project import Project

# A fixed help width spares importing shutil to ask the terminal for it.
CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "terminal_width": 80}


class Where:
    """Where a command runs (-C) and which package it means (-p), before either is looked up.

    `packages` holds every -p, for a release of several; `package` the first of them.
    """

    __slots__ = ("directory", "package", "packages")

    def __init__(
        self, directory: str = ".", package: str | None = None, packages: list[str] | None = None
    ) -> None:
        self.directory = directory
        self.package = package
        self.packages = [] if packages is None else packages

    def several(self) -> bool:
        """Whether -p named more than one package (only a release command takes that)."""
        return len(self.packages) > 1


#: The commands that release, and so take several packages (-p A -p B, --all, --changed).
RELEASING = frozenset({"patch", "minor", "major", "alpha", "beta", "rc", "stable"})


def releases(name: str | None) -> bool:
    """Whether the command `name` releases (`bump VERSION` too): it may name several packages."""
    return name is not None and (name in RELEASING or name.lstrip("vV")[:1].isdigit())


def one_package(command: str | None, first: str, other: str) -> str:
    """Why `command` refuses `-p other` after `-p first`: it acts on one package."""
    if command == "auto":  # each package's entries may call for another level
        return (
            f"bump auto releases one package, at the level its entries call for; to release "
            f"{first} and {other} together, name the level: bump -p {first} -p {other} patch "
            "(or minor, major)."
        )
    return f"{other!r} is not the package given before ({first!r})."


def output(
    ctx: click.Context, keys: dict[str, Any], *, as_json: bool = False, quiet: bool = False
) -> Output:
    """The Output of the command running in `ctx`, as it was named (`patch`, `2.0.0`): --json
    prints the envelope naming it, then the command's own `keys` (with their values when they
    do not apply)."""
    return Output(as_json=as_json, quiet=quiet, schema=keys, command=ctx.command.name or "bump")


def example(line: str) -> str:
    """A --help's one example (its epilog), kept on its line (click's \\b: no rewrapping)."""
    return f"\b\nExample: {line}"


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


@contextmanager
def index_known(out: Output) -> Iterator[None]:
    """A refusal for what the package index said (listing.IndexRefused) fills --json's
    `index` with it, as a release or retract that goes on would."""
    from cutrelease.publish.listing import IndexRefused

    try:
        yield
    except IndexRefused as exc:
        out.known["index"] = exc.said.as_json()
        raise


# ------------------------------------------------------------------------ where it runs


def repository_root(ctx: click.Context) -> Path:
    """The root of the repository the command runs in (-C, else the current folder)."""
    from pathlib import Path

    from cutrelease.project import find_root

    return find_root(Path(ctx.obj.directory))


def project_root(ctx: click.Context) -> Path:
    """The repository root, or outside git the folder of pyproject.toml (an unpacked sdist).

    For the commands that only read files: version, check-tag, check.
    """
    from pathlib import Path

    from cutrelease.project import find_project

    return find_project(Path(ctx.obj.directory))


def package_folder(ctx: click.Context, root: Path, *, release: bool = False) -> str:
    """The folder of the package the command means (workspace.select), from `root`."""
    from pathlib import Path

    from cutrelease import workspace

    where: Where = ctx.obj
    return workspace.select(root, Path(where.directory), where.package, release=release)


def package_of(ctx: click.Context, *, root: Path | None = None, tag: str | None = None) -> Project:
    """The package the command means (in the repository at `root`, default the current one),
    once no release is pending. With `tag`, the package that tag names (select_by_tag)."""
    from pathlib import Path

    from cutrelease import project, workspace

    root = root or repository_root(ctx)
    project.refuse_if_pending(project.git_dir(root))
    if tag is not None:
        where: Where = ctx.obj
        return workspace.select_by_tag(root, Path(where.directory), where.package, tag)
    return project.load(root, folder=package_folder(ctx, root))


# ------------------------------------------------------------------------ shared options


#: `--json` of every command.
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


class Switch(click.types.BoolParamType):
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


def env_switch(ctx: click.Context, name: str) -> bool:
    """Whether the environment variable `name` is on, read as Switch reads a flag's (junk is
    refused, naming it)."""
    import os

    value = os.environ.get(name)
    if value is None:
        return False
    param = click.Option([f"--{name.lower()}"], envvar=name)
    return bool(Switch().convert(value, param, ctx))


def _directory(ctx: click.Context) -> Path:
    """-C's folder (the current one without it), while the shell completes a word: main has
    not run then, so it is read from main's parsed parameters."""
    from pathlib import Path

    return Path(ctx.find_root().params.get("directory") or ".")


def complete_packages(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """`-p`'s completions: the names of the repository's packages (packages.names); none
    where they cannot be read. Never an error: the shell shows nothing instead."""
    from cutrelease import packages, project

    try:
        names = packages.names(project.find_project(_directory(ctx)))
    except (CutreleaseError, OSError):
        return []
    return [name for name in names if name.startswith(incomplete)]


def complete_remotes(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """`--remote`'s completions: the repository's remotes (`git remote`); none outside one."""
    from cutrelease import project
    from cutrelease.git.gitrepo import GitRepo

    try:
        names = GitRepo(project.find_root(_directory(ctx))).remotes().result()
    except (CutreleaseError, OSError):
        return []
    return sorted(name for name in names if name.startswith(incomplete))


PACKAGE_HELP = "The package to act on, by name (a workspace member); default: this folder's."


def _package_given(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> None:
    """`-p NAME` after a command's name: the same as before it (`bump -p NAME minor`).

    Given again, it must name the same package (the last one silently winning would
    release another package than the first names), unless the command releases: then each
    names a package of one release of several (SPEC section 14).
    """
    where = ctx.find_object(Where)
    if where is None:  # pragma: no cover - main always sets it
        return
    for value in values:
        if releases(ctx.info_name):
            where.packages = list(dict.fromkeys([*where.packages, value]))
            where.package = where.package or value
            continue
        if where.package is not None and where.package != value:
            raise click.BadParameter(one_package(ctx.info_name, where.package, value))
        where.package = value


#: `-p/--package` for each command, after its name; main's own comes before it.
package_option = click.option(
    "-p",
    "--package",
    metavar="NAME",
    multiple=True,
    expose_value=False,
    callback=_package_given,
    shell_complete=complete_packages,
    help=PACKAGE_HELP,
)
