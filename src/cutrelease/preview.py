"""Plan -> text: the unified diff of every file and each git command, as the dry run shows it."""

from __future__ import annotations

import shlex

from cutrelease.plan import FileEdit, Plan, decode
from cutrelease.textdiff import unified_diff

_COLOURS = {"+": "\x1b[32m", "-": "\x1b[31m", "@": "\x1b[36m"}
_RESET = "\x1b[0m"


def dry_run(plan: Plan) -> str:
    """The diffs, then the git commands, exactly as the real run would apply them."""
    parts = [_notes(plan)] + [file_diff(edit) for edit in plan.edits]
    parts.append("".join(f"{command}\n" for command in commands(plan)))
    return "".join(parts)


def _notes(plan: Plan) -> str:
    hint = "set [tool.cutrelease].tag_prefix to choose"
    return "".join(f"# Note: {note}; {hint}.\n" for note in plan.notes)


def commands(plan: Plan) -> list[str]:
    return [shlex.join(["git", *args]) for args in plan.git_commands()]


def file_diff(edit: FileEdit) -> str:
    before = decode(edit.before, edit.path).splitlines(keepends=True)
    after = decode(edit.after, edit.path).splitlines(keepends=True)
    lines = unified_diff(before, after, f"a/{edit.path}", f"b/{edit.path}")
    return "".join(_terminated(line) for line in lines)


def _terminated(line: str) -> str:
    # The last line of a file without a final newline is marked as git marks it.
    if line.endswith("\n"):
        return line
    return line + "\n\\ No newline at end of file\n"


def summary(plan: Plan) -> str:
    """What a real release will do, shown before asking for confirmation."""
    lines = [
        *(f"Note: {note}." for note in plan.notes),
        f"Release {plan.tag} ({plan.old_version} -> {plan.new_version}) from {plan.branch}:",
        f"  files:  {', '.join(plan.paths)}",
        f"  commit: {plan.commit_message.splitlines()[0]}",
        f"  tag:    {plan.tag} ({plan.tag_message.splitlines()[0]})",
        f"  push:   {plan.remote_display if plan.remote else 'no (--no-push)'}",
    ]
    return "\n".join(lines) + "\n"


def colour(text: str) -> str:
    """Colour a diff for a terminal: additions green, removals red, hunks cyan."""
    out = []
    for line in text.splitlines(keepends=True):
        code = _COLOURS.get(line[:1]) if not line.startswith(("+++", "---")) else "\x1b[1m"
        out.append(f"{code}{line.rstrip(chr(10))}{_RESET}\n" if code else line)
    return "".join(out)
