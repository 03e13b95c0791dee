"""Plan -> text: the unified diff of every file and each git command, as the dry run shows it."""

from __future__ import annotations

import os
import shlex

from cutrelease.files.markdown import split_lines
from cutrelease.files.textdiff import unified_diff, unified_diff_around, unified_diff_texts
from cutrelease.release.hooks import Hook
from cutrelease.release.plan import FileEdit, Plan, decode


def dry_run(plan: Plan) -> str:
    """The diffs, then the hooks and git commands in the order the real run runs them."""
    return _notes(plan) + file_diffs(plan) + "".join(f"{line}\n" for line in steps(plan))


def steps(plan: Plan) -> list[str]:
    """The before_commit hooks, the git commands, then the after_push hooks, one line each;
    a hook's line is a shell comment: `# before_commit: uv build --out-dir /tmp/…`."""
    before, after = hooks(plan, "before_commit"), hooks(plan, "after_push")
    return [
        *(f"# before_commit: {command}" for command in before),
        *([f"# build: {built}"] if (built := build(plan)) else []),
        *commands(plan),
        *(f"# after_push: {command}" for command in after),
    ]


def hooks(plan: Plan, key: str) -> list[str]:
    """The commands of the hooks of `key` ("before_commit", "after_push"), filled in and
    shell-quoted. {tmp} is a fresh folder the real run makes: shown by its pattern."""
    # tempfile.gettempdir() would probe the folder with a file: a dry run writes nothing.
    tmp = os.path.join(os.environ.get("TMPDIR") or "/tmp", "cutrelease-XXXXXXXX")
    chosen: tuple[Hook, ...] = plan.before_commit if key == "before_commit" else plan.after_push
    return [shlex.join(hook.args(plan.hook_values(tmp))) for hook in chosen]


def _step(line: str) -> str:
    """A hook's or the build's line of the summary: `  hook:   before_commit: …`."""
    return (
        f"  build:  {line.removeprefix('build: ')}"
        if line.startswith("build: ")
        else f"  hook:   {line}"
    )


def build(plan: Plan) -> str | None:
    """The build tried before the tag, shell-quoted, into a fresh folder shown by its pattern;
    None without one."""
    if plan.build is None:
        return None
    out = os.path.join(os.environ.get("TMPDIR") or "/tmp", "cutrelease-build-XXXXXXXX", "dist")
    return shlex.join(plan.build.command(out))


def file_diffs(plan: Plan) -> str:
    """The unified diff of every file the plan changes, in order."""
    return "".join(file_diff(edit) for edit in plan.edits)


def _notes(plan: Plan) -> str:
    return "".join(f"# {line}.\n" for line in _said(plan))


def _said(plan: Plan) -> list[str]:
    """The notes, then what the package index said of each package (an index not asked is
    among the notes); several packages' lines each name theirs."""
    said = [f"Note: {note}" for note in plan.notes]
    asked = [(plan.name, plan.index_said), *((o.name, o.index_said) for o in plan.also)]
    for name, index in asked:
        line = None if index is None else index.line()
        if line is not None:
            said.append(f"Index: {f'{name}: ' if plan.also else ''}{line}")
    return said


def commands(plan: Plan) -> list[str]:
    """Each git command of `plan`, in order, as one shell-quoted line."""
    return [shlex.join(["git", *args]) for args in plan.git_commands()]


def file_diff(edit: FileEdit) -> str:
    """The unified diff of one file, as git shows it; FileFormatError if it is not UTF-8."""
    if edit.after is None:  # deleted, shown as git shows a deletion
        before = decode(edit.before, edit.path)
        lines = unified_diff(split_lines(before), [], f"a/{edit.path}", "/dev/null")
        return "".join(_terminated(line) for line in lines)
    before, after = edit.texts or (decode(edit.before, edit.path), decode(edit.after, edit.path))
    names = f"a/{edit.path}", f"b/{edit.path}"
    # Lines both hold, unchanged (a long changelog's older sections): not split and compared.
    around = unified_diff_around(before, after, edit.unchanged, *names)
    if around is None:  # the lines both start and end with are not compared one by one
        around = unified_diff_texts(before, after, *names)
    return "".join(_terminated(line) for line in around)


def _terminated(line: str) -> str:
    # The last line of a file without a final newline is marked as git marks it.
    if line.endswith("\n"):
        return line
    return line + "\n\\ No newline at end of file\n"


def summary(plan: Plan) -> str:
    """What a real release will do, shown before asking for confirmation."""
    lines = [
        *(f"{line}." for line in _said(plan)),
        f"Release {plan.tag} ({plan.old_version} -> {plan.new_version}) from {plan.branch}:",
        f"  files:  {', '.join(plan.paths)}",
        f"  commit: {plan.commit_message.splitlines()[0]}",
        f"  tag:    {plan.tag} ({plan.tag_message.splitlines()[0]})",
        *(
            f"  tag:    {other.tag} ({other.tag_message.splitlines()[0]}; "
            f"{other.old_version} -> {other.new_version})"
            for other in plan.also
        ),
        f"  push:   {plan.remote_display if plan.remote else 'no (--no-push)'}",
        *(_step(line.removeprefix("# ")) for line in steps(plan) if line[:1] == "#"),
    ]
    return "\n".join(lines) + "\n"
