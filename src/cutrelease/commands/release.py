"""The release commands: patch, minor, major, alpha, beta, rc, stable, auto, and `bump VERSION`."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from cutrelease.commands.shared import (
    CONTEXT,
    Switch,
    Where,
    complete_remotes,
    example,
    handled,
    index_known,
    json_option,
    output,
    package_folder,
    package_of,
    package_option,
    repository_root,
)
from cutrelease.errors import BadUsage, Cancelled, Refused
from cutrelease.output import JSON_SCHEMA, Output

if TYPE_CHECKING:  # only what a command needs is imported: start-up time matters
    import datetime
    from pathlib import Path

    from cutrelease.release.plan import Plan
    from cutrelease.release.request import ReleaseRequest
    from cutrelease.release.transaction import Outcome
    from cutrelease.versions import Target


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
            shell_complete=complete_remotes,
            help="Remote to push to (default: the branch's upstream, else origin).",
        ),
        click.option("--no-hooks", is_flag=True, help="Run no before_commit or after_push hook."),
        click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation."),
        click.option(
            "--build", is_flag=True, help="Build and check the sdist and wheel before the tag."
        ),
        click.option(
            "--offline",
            is_flag=True,
            type=Switch(),
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
    out = output(ctx, JSON_SCHEMA, as_json=as_json, quiet=quiet)
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
        root = repository_root(ctx)
        out.progress("checking the repository")
        out.known["dry_run"] = dry_run
        with index_known(out):  # a refusal for what the index has: its JSON says what
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

    where: Where = ctx.obj
    if every and changed_only:
        raise BadUsage("--all and --changed choose the packages two ways; give one of them.")
    if (every or changed_only) and where.package is not None:
        raise BadUsage("--all and --changed choose the packages; they take no --package.")
    if not (every or changed_only or where.several()):
        return release.plan_release(root, request, folder=package_folder(ctx, root, release=True))
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
    if out.as_json:  # built only when asked: it loads the dry run's preview
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


@click.command(context_settings=CONTEXT, epilog=example("bump patch --dry-run"))
@release_options
@_PRE
def patch(ctx: click.Context, pre: str | None, **opts: Any) -> None:
    """Release the next patch version (X.Y.Z+1)."""
    _release(ctx, _target(part="patch", pre=pre), **opts)


@click.command(context_settings=CONTEXT, epilog=example("bump minor -m 'Faster start-up' --yes"))
@release_options
@_PRE
def minor(ctx: click.Context, pre: str | None, **opts: Any) -> None:
    """Release the next minor version (X.Y+1.0); updates SECURITY.md."""
    _release(ctx, _target(part="minor", pre=pre), **opts)


@click.command(context_settings=CONTEXT, epilog=example("bump major --pre rc"))
@release_options
@_PRE
def major(ctx: click.Context, pre: str | None, **opts: Any) -> None:
    """Release the next major version (X+1.0.0); updates SECURITY.md."""
    _release(ctx, _target(part="major", pre=pre), **opts)


@click.command(context_settings=CONTEXT, epilog=example("bump alpha --dry-run"))
@release_options
def alpha(ctx: click.Context, **opts: Any) -> None:
    """Release the next alpha of the current pre-release (1.3.0a1 -> 1.3.0a2)."""
    _release(ctx, _target(pre="alpha"), **opts)


@click.command(context_settings=CONTEXT, epilog=example("bump beta --no-push"))
@release_options
def beta(ctx: click.Context, **opts: Any) -> None:
    """Release the next beta of the current pre-release (1.3.0a2 -> 1.3.0b1)."""
    _release(ctx, _target(pre="beta"), **opts)


@click.command(context_settings=CONTEXT, epilog=example("bump rc --dry-run"))
@release_options
def rc(ctx: click.Context, **opts: Any) -> None:
    """Release the next release candidate (1.3.0b2 -> 1.3.0rc1, 1.3.0rc1 -> 1.3.0rc2)."""
    _release(ctx, _target(pre="rc"), **opts)


@click.command(context_settings=CONTEXT, epilog=example("bump stable --yes"))
@release_options
def stable(ctx: click.Context, **opts: Any) -> None:
    """Release the final version of the current pre-release (1.3.0rc2 -> 1.3.0)."""
    _release(ctx, _target(stable=True), **opts)


@click.command(context_settings=CONTEXT, epilog=example("bump auto --dry-run"))
@release_options
def auto(ctx: click.Context, **opts: Any) -> None:
    """Release the level the changelog's entries call for (see `bump next`)."""
    out = output(ctx, JSON_SCHEMA, as_json=opts["as_json"], quiet=opts["quiet"])
    out.known["dry_run"] = opts["dry_run"]
    with handled(out):
        if opts["every"] or opts["changed_only"]:
            raise BadUsage("bump auto releases one package; name the level for several.")
        from cutrelease.release import pending

        call = pending.called_level(pending.read(package_of(ctx)))
        out.progress(f"the entries call for a {call.level} release ({call.where})")
    _release(ctx, _target(part=call.level), **opts)


def explicit(version: str) -> click.Command:
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
        epilog=example(f"bump {version} --dry-run"),
    )
