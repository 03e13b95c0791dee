"""The click layer: parse, call the core, print, exit. Heavy modules load only when used."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from cutrelease.errors import BadUsage, Cancelled, CutreleaseError, Refused
from cutrelease.output import Output

if TYPE_CHECKING:  # only what a command needs is imported: start-up time matters
    import datetime
    from pathlib import Path

    from cutrelease.project import Project
    from cutrelease.release.plan import Plan
    from cutrelease.release.transaction import Outcome
    from cutrelease.versions import Target

# A fixed help width spares importing shutil to ask the terminal for it.
CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "terminal_width": 80}


class _Main(click.Group):
    """The commands, and `bump VERSION`: a command name that starts like a version releases it."""

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
            if "--json" in (args[0] if args and args[0] is not None else sys.argv[1:]):
                Output(as_json=True).error(exc.format_message(), exit_code=exc.exit_code)
            else:
                exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:  # Ctrl-C or end of input at the question
            Output().error("Aborted; nothing was changed.")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


@dataclass
class _Where:
    """Where a command runs (-C) and which package it means (-p), before either is looked up."""

    directory: str = "."
    package: str | None = None


_PACKAGE_HELP = "The package to act on, by name (a workspace member); default: this folder's."


def _package_given(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> None:
    """`-p NAME` after a command's name: the same as before it (`bump -p NAME minor`).

    Given again, it must name the same package: the last one silently winning would
    release another package than the first names.
    """
    where = ctx.find_object(_Where)
    if where is None:  # pragma: no cover - main always sets it
        return
    for value in values:
        if where.package is not None and where.package != value:
            raise click.BadParameter(
                f"{value!r} is not the package given before ({where.package!r})."
            )
        where.package = value


#: `-p/--package` for each command, after its name; main's own comes before it.
package_option = click.option(
    "-p",
    "--package",
    metavar="NAME",
    multiple=True,
    expose_value=False,
    callback=_package_given,
    help=_PACKAGE_HELP,
)


@click.group(
    cls=_Main,
    context_settings=CONTEXT,
    epilog="bump VERSION releases an explicit version: bump 2.0.0, bump 2.0.0rc1.",
)
@click.option(
    "-C",
    "directory",
    type=click.Path(exists=True, file_okay=False),
    help="Run as if started in PATH (like git -C).",
    metavar="PATH",
)
@click.option("-p", "--package", metavar="NAME", multiple=True, help=_PACKAGE_HELP)
@click.version_option(package_name="cutrelease", prog_name="cutrelease")
@click.pass_context
def main(ctx: click.Context, directory: str | None, package: tuple[str, ...]) -> None:
    """Cut a release in one transaction: version, changelog, security table, commit, tag, push."""
    if len(set(package)) > 1:  # never the last one silently: each names a release
        raise click.BadParameter(
            f"{package[-1]!r} is not the package given before ({package[0]!r}).",
            param_hint="'-p' / '--package'",
        )
    ctx.obj = _Where(directory or ".", package[0] if package else None)


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


def release_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options every release command shares."""
    options = [
        click.option(
            "--dry-run", is_flag=True, help="Show the diff and git commands; change nothing."
        ),
        click.option("--date", metavar="YYYY-MM-DD", help="Release date (default: today)."),
        click.option("-m", "summary", metavar="TEXT", help="Summary for the tag message."),
        click.option("--no-push", is_flag=True, help="Commit and tag, but do not push."),
        click.option("--remote", metavar="NAME", help="Remote to push to (default: origin)."),
        click.option("--no-hooks", is_flag=True, help="Run no before_commit or after_push hook."),
        click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation."),
        click.option(
            "--build", is_flag=True, help="Build and check the sdist and wheel before the tag."
        ),
        click.option(
            "--offline",
            is_flag=True,
            envvar="CUTRELEASE_OFFLINE",
            help="Do not ask the package index (also CUTRELEASE_OFFLINE=1).",
        ),
        click.option("--json", "as_json", is_flag=True, help="Print one JSON object."),
        click.option(
            "--quiet", "-q", is_flag=True, help="Print only errors (and a dry run's diff)."
        ),
        package_option,
    ]
    for option in reversed(options):
        function = option(function)
    return click.pass_context(function)


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
) -> None:
    """Parse the options into a request, plan it, then show the plan or apply it."""
    out = Output(as_json=as_json, quiet=quiet)
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
        plan = release.plan_release(root, request, folder=_folder(ctx, root, release=True))
        if out.as_json:  # a failure from here on says which release failed, in its JSON too
            from cutrelease.release import preview

            out.known.update(
                old_version=plan.old_version,
                new_version=plan.new_version,
                tag=plan.tag,
                files=plan.paths,
                commands=preview.commands(plan),
            )
        if dry_run:
            _show_dry_run(out, plan)
        else:
            _apply(out, plan, root, yes=yes)


def _show_dry_run(out: Output, plan: Plan) -> None:
    from cutrelease.release import preview

    if out.as_json:
        out.data(_as_json(plan))  # a dry run whose JSON is lost fails: exit 1
    else:
        out.diff(preview.dry_run(plan), even_if_quiet=True)  # the result asked for
    out.note(f"Dry run: {plan.tag} would be released; nothing was changed.")


def _apply(out: Output, plan: Plan, root: Path, *, yes: bool) -> None:
    if not _confirmed(plan, yes=yes):
        raise Cancelled("Release cancelled; nothing was changed.")
    from cutrelease.git.gitrepo import GitRepo
    from cutrelease.release import transaction  # a dry run never loads the writing side

    outcome = transaction.apply(plan, GitRepo(root), report=out.progress)
    failed = outcome.after_push_failed
    try:
        out.data(_as_json(plan, outcome))
    except OSError as exc:
        # The release has landed: exit 0 says so, even if its JSON could not be written.
        out.warning(f"Released {plan.tag}, but its JSON could not be written ({exc}).")
        if failed is None:
            return
    if failed is not None:  # released, but an after_push hook failed: exit 4 says both
        if not out.as_json:
            out.error(str(failed), exit_code=failed.exit_code)
        sys.exit(failed.exit_code)
    if outcome.note:
        out.note(outcome.note)
    if outcome.pushed:
        out.note(f"Released {plan.tag} and pushed to {plan.remote}.")
        return
    # The next release checks that this tag reached the remote: say how it gets there.
    push = f"git push --atomic REMOTE refs/heads/{plan.branch} refs/tags/{plan.tag}"
    out.note(f"Released {plan.tag} (not pushed). To publish it: {push}")


def _confirmed(plan: Plan, *, yes: bool) -> bool:
    # Only --yes or a stdin that is no terminal skips the question; with --json the
    # question goes to stderr and stdout stays one JSON object.
    if yes or sys.stdin is None or not sys.stdin.isatty():
        return True
    from cutrelease.release import preview

    click.echo(preview.summary(plan), nl=False, err=True)
    target = f"to {plan.remote}" if plan.remote else "without pushing"
    return click.confirm(f"Release {plan.tag} {target}?", default=False, err=True)


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
        "error": None if failed is None else str(failed),
        "exit_code": 0 if failed is None else failed.exit_code,
    }


_PRE = click.option(
    "--pre",
    type=click.Choice(["alpha", "beta", "rc"]),
    help="Release the first pre-release of it instead (1.3.0rc1).",
)


def _target(**fields: Any) -> Target:
    from cutrelease.versions import Target  # packaging: not for --help

    return Target(**fields)


@main.command(context_settings=CONTEXT)
@release_options
@_PRE
def patch(ctx: click.Context, pre: str | None, **opts: Any) -> None:
    """Release the next patch version (X.Y.Z+1)."""
    _release(ctx, _target(part="patch", pre=pre), **opts)


@main.command(context_settings=CONTEXT)
@release_options
@_PRE
def minor(ctx: click.Context, pre: str | None, **opts: Any) -> None:
    """Release the next minor version (X.Y+1.0); updates SECURITY.md."""
    _release(ctx, _target(part="minor", pre=pre), **opts)


@main.command(context_settings=CONTEXT)
@release_options
@_PRE
def major(ctx: click.Context, pre: str | None, **opts: Any) -> None:
    """Release the next major version (X+1.0.0); updates SECURITY.md."""
    _release(ctx, _target(part="major", pre=pre), **opts)


@main.command(context_settings=CONTEXT)
@release_options
def alpha(ctx: click.Context, **opts: Any) -> None:
    """Release the next alpha of the current pre-release (1.3.0a1 -> 1.3.0a2)."""
    _release(ctx, _target(pre="alpha"), **opts)


@main.command(context_settings=CONTEXT)
@release_options
def beta(ctx: click.Context, **opts: Any) -> None:
    """Release the next beta of the current pre-release (1.3.0a2 -> 1.3.0b1)."""
    _release(ctx, _target(pre="beta"), **opts)


@main.command(context_settings=CONTEXT)
@release_options
def rc(ctx: click.Context, **opts: Any) -> None:
    """Release the next release candidate (1.3.0b2 -> 1.3.0rc1, 1.3.0rc1 -> 1.3.0rc2)."""
    _release(ctx, _target(pre="rc"), **opts)


@main.command(context_settings=CONTEXT)
@release_options
def stable(ctx: click.Context, **opts: Any) -> None:
    """Release the final version of the current pre-release (1.3.0rc2 -> 1.3.0)."""
    _release(ctx, _target(stable=True), **opts)


@main.command(context_settings=CONTEXT)
@release_options
def auto(ctx: click.Context, **opts: Any) -> None:
    """Release the level the changelog's entries call for (see `bump next`)."""
    out = Output(as_json=opts["as_json"], quiet=opts["quiet"])
    with handled(out):
        from cutrelease.release import pending

        call = pending.called_level(pending.read(_loaded(ctx)))
        out.progress(f"the entries call for a {call.level} release ({call.where})")
    _release(ctx, _target(part=call.level), **opts)


#: The keys of `next --json`'s one object, with their values when they do not apply.
NEXT_JSON: dict[str, Any] = {
    "ok": False,
    "current_version": None,
    "level": None,  # patch, minor or major: asked for, or called for by the entries
    "version": None,  # the version a release of that level gives
    "called_for": None,  # {"level", "where", "category", "text"}; null: no entry calls
    "error": None,
    "exit_code": 0,
}


@main.command("next", context_settings=CONTEXT)
@click.argument("level", required=False, type=click.Choice(["patch", "minor", "major"]))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@package_option
@click.pass_context
def next_(ctx: click.Context, level: str | None, as_json: bool) -> None:
    """Print the level the entries call for and the version it gives (`minor 0.3.0`).

    With LEVEL, print only the version a release of that level gives, for scripts:
    VERSION=$(bump next minor). Removed or BREAKING entries call for major (minor before
    1.0.0), Added, Changed and Deprecated for minor, Fixed and Security for patch.
    """
    out = Output(as_json=as_json, schema=NEXT_JSON)
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
    )


@main.command(context_settings=CONTEXT)
@click.option("--all", "every", is_flag=True, help="List every package: name, version, folder.")
@package_option
@click.pass_context
def version(ctx: click.Context, every: bool) -> None:
    """Print the current version, read where it lives (pyproject.toml, a file, tags...)."""
    out = Output()
    with handled(out):
        from cutrelease import project

        root = _project_root(ctx)
        if every:
            if ctx.obj.package is not None:
                raise BadUsage("--all lists every package; it takes no --package.")
            from cutrelease import workspace

            out.result(workspace.version_table(root))
            return
        loaded = project.load(root, folder=_folder(ctx, root), learn_tag_prefix=False)
        out.result(loaded.current_version() + "\n")


@main.command(context_settings=CONTEXT)
@package_option
@click.pass_context
def recover(ctx: click.Context) -> None:
    """Undo a release that was interrupted (after a crash or kill -9).

    The journal is the repository's: recover restores it whichever package was released.
    """
    out = Output()
    with handled(out):
        from cutrelease.git.gitrepo import GitRepo
        from cutrelease.release import transaction

        out.note(transaction.recover(GitRepo(_root(ctx)), report=out.progress))


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
    "ok": False,
    "name": None,  # [project].name of the package the tag releases
    "folder": None,  # its folder from the repository root ("." for the root project)
    "version": None,  # its current version
    "tag": None,  # the tag, refs/tags/ stripped
    "error": None,
    "exit_code": 0,
}


@main.command("check-tag", context_settings=CONTEXT)
@click.argument("tag")
@click.option("--json", "as_json", is_flag=True, help="Print its package's name, folder, version.")
@package_option
@click.pass_context
def check_tag(ctx: click.Context, tag: str, as_json: bool) -> None:
    """CI guard: exit 1 unless TAG matches [project].version.

    TAG may be vX.Y.Z or refs/tags/vX.Y.Z, as GITHUB_REF_NAME / GITHUB_REF give it. In a
    workspace, the package is the one whose tag prefix TAG starts with (the longest such).
    """
    out = Output(as_json=as_json, schema=TAG_JSON)
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


@main.command(context_settings=CONTEXT)
@click.argument("version", required=False)
@click.option("--unreleased", is_flag=True, help="Print the pending Unreleased notes.")
@package_option
@click.pass_context
def notes(ctx: click.Context, version: str | None, unreleased: bool) -> None:
    """Print a release's changelog notes (default: current version).

    The body of the release's section, without its heading: ready for a GitHub Release.
    VERSION may be a tag; in a workspace, a member's tag names its package.
    """
    out = Output()
    with handled(out):
        from cutrelease.files import changelog
        from cutrelease.release.plan import decode

        if unreleased and version is not None:
            raise BadUsage(
                f"--unreleased prints the pending notes; it takes no VERSION ({version!r}).",
                hint="Drop one of them.",
            )
        loaded = _loaded(ctx, tag=version)
        if unreleased:  # with the changelog fragments, as the release merges them
            from cutrelease.release import pending

            body = pending.unreleased_notes(loaded)
        else:
            path = loaded.path(loaded.config.changelog)
            if not path.strip():
                raise CutreleaseError("[tool.cutrelease].changelog is blank.")
            try:
                text = decode((loaded.root / path).read_bytes(), path)
            except FileNotFoundError:
                raise CutreleaseError(f"{path} does not exist.") from None
            # A tag as CI names it (refs/tags/v1.2.3, v1.2.3) or a version.
            wanted = (version or loaded.current_version()).removeprefix("refs/tags/")
            wanted = wanted.removeprefix(loaded.config.tag_prefix)
            body = changelog.release_notes(text, wanted, path=path)
        out.result(body.rstrip("\r\n") + "\n" if body else "")


@main.command(context_settings=CONTEXT)
@package_option
@click.pass_context
def check(ctx: click.Context) -> None:
    """Lint the release files; exit 1 listing every problem.

    pyproject.toml's version, CHANGELOG.md (Keep a Changelog) and SECURITY.md's Supported
    Versions table; each problem as PATH:LINE: MESSAGE. Also a pre-commit hook (bump-check).
    """
    out = Output()
    with handled(out):
        from cutrelease.files import lint

        root = _project_root(ctx)  # it only reads files: an unpacked sdist is fine too
        lint.refuse_if_interrupted(root)
        problems = lint.check(root, folder=_folder(ctx, root))
        out.result("".join(f"{problem}\n" for problem in problems))
        if problems:
            count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
            raise CutreleaseError(f"{count} in the release files; fix them before releasing.")
        out.note("The release files are in order.")


@main.command(context_settings=CONTEXT)
@click.option("--dry-run", is_flag=True, help="Show the files it would create; write nothing.")
@package_option
@click.pass_context
def init(ctx: click.Context, dry_run: bool) -> None:
    """Create CHANGELOG.md, SECURITY.md, release.yml if missing.

    The changelog's links come from the remote's URL; the workflow goes to
    .github/workflows/release.yml. An existing file is never overwritten: it is kept, and said so.
    In a workspace, the package's files go to its folder, and the one workflow publishes the
    package each pushed tag names; at a uv workspace's root, only the workflow.
    """
    out = Output()
    with handled(out):
        from cutrelease import project, scaffold

        root = _root(ctx)
        project.refuse_if_pending(project.git_dir(root))
        plan = scaffold.plan_for(root, folder=_folder(ctx, root))
        for path in plan.kept:
            out.note(f"Kept {path}: it exists already.")
        for note in plan.notes:
            out.note(note)
        names = ", ".join(new.path for new in plan.create)
        if not plan.create:
            out.note("Nothing to create.")
        elif dry_run:
            out.diff(scaffold.preview(plan))
            out.note(f"Dry run: would create {names}; nothing was changed.")
        else:
            scaffold.apply(plan, report=out.progress)
            out.note(f"Created {names}. Commit them before your first release.")


@main.command(context_settings=CONTEXT)
@click.argument("version", required=False)
@click.option("--remote", metavar="NAME", help="The remote to ask (default: origin).")
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
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
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

    out = Output(as_json=as_json, schema=standing.JSON_KEYS)
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
