"""Hooks: the commands of [tool.cutrelease].before_commit and .after_push, checked and run."""

from __future__ import annotations

import os
import shlex
import string
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from cutrelease.errors import CutreleaseError, Refused

#: What an entry may fill in, in this order; each is also in the environment, as
#: CUTRELEASE_CURRENT_VERSION and so on.
PLACEHOLDERS = ("current_version", "new_version", "current_tag", "new_tag", "tmp")
#: The lines of a failing hook's output its message quotes, from the end.
QUOTED_LINES = 5
_HINT_PLACEHOLDERS = (
    "Placeholders: "
    + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    + "; write {{ and }} for a literal brace."
)


class Hook(NamedTuple):
    """One checked entry of [tool.cutrelease].before_commit or .after_push."""

    key: str  # "before_commit" or "after_push"
    entry: str  # as written in pyproject.toml, for messages
    words: tuple[str, ...]  # its arguments, placeholders not filled in yet

    def args(self, values: Mapping[str, str]) -> list[str]:
        """The arguments to run, each placeholder filled in from `values`."""
        return [fill(word, values) for word in self.words]


class HookFailed(CutreleaseError):
    """A hook exited non-zero, was stopped by a signal, or could not be started."""


def checked(
    key: str, entries: Sequence[object], *, root: Path, values: Mapping[str, str] | None
) -> tuple[Hook, ...]:
    """The entries of [tool.cutrelease].KEY as hooks; Refused naming the first bad one.

    Each is a string (split as a shell would, with shlex) or a list of strings; placeholders
    must be known ones. With `values` (the hooks will run), each program must exist too: on
    PATH, or, named with a slash, relative to the project's `root`.
    """
    hooks = tuple(_hook(key, entry) for entry in entries)
    if values is not None:
        for hook in hooks:
            _refuse_missing_program(hook, root, values)
    return hooks


def _hook(key: str, entry: object) -> Hook:
    shown = _shown(entry)
    where = f"[tool.cutrelease].{key} entry {shown}"
    if isinstance(entry, str):
        try:
            words = shlex.split(entry)
        except ValueError as exc:
            raise Refused(
                f"{where} cannot be split into arguments ({exc}).",
                hint="Quote it as a shell would, or write it as a list of arguments.",
            ) from None
    elif isinstance(entry, list) and all(isinstance(word, str) for word in entry):
        words = list(entry)
    else:
        raise Refused(
            f"{where} is neither a command (a string) nor a list of arguments (strings).",
            hint='Write it as "tool --option {new_version}" or ["tool", "--option"].',
        )
    if not words or not words[0]:
        raise Refused(f"{where} names no program.", hint="Remove it, or name the command to run.")
    for word in words:
        try:
            names = _fields(word)
        except ValueError as exc:
            message = f"{where} has an unmatched brace ({exc})."
            raise Refused(message, hint=_HINT_PLACEHOLDERS) from None
        for name in names:
            if name not in PLACEHOLDERS:
                raise Refused(
                    f"{where} has an unknown placeholder {{{name}}}.", hint=_HINT_PLACEHOLDERS
                )
    return Hook(key, shown, tuple(words))


def _fields(word: str) -> list[str]:
    """The placeholders of `word` as written between braces ("new_version", "x!r", "x:>3")."""
    names = []
    for _, name, spec, conversion in string.Formatter().parse(word):
        if name is not None:
            conversion = f"!{conversion}" if conversion else ""
            names.append(f"{name}{conversion}{':' if spec else ''}{spec or ''}")
    return names


def fill(word: str, values: Mapping[str, str]) -> str:
    """`word` with each {placeholder} replaced by its value ({{ and }} are literal braces)."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(word):
        parts.append(literal)
        if name is not None:
            parts.append(values[name])
    return "".join(parts)


def _shown(entry: object) -> str:
    """An entry as TOML writes it: "uv build", ["python", "x.py"]."""
    import json

    if isinstance(entry, list):
        return "[" + ", ".join(_shown(item) for item in entry) + "]"
    if isinstance(entry, str):
        return json.dumps(entry, ensure_ascii=False)
    return repr(entry)


def _refuse_missing_program(hook: Hook, root: Path, values: Mapping[str, str]) -> None:
    """The hook's program exists and can be run (one made by an earlier hook in {tmp} cannot
    be checked before)."""
    if "tmp" in _fields(hook.words[0]):
        return
    program = fill(hook.words[0], values)
    where = f"[tool.cutrelease].{hook.key} entry {hook.entry}"
    skip = "; --no-hooks skips the hooks"
    if "/" in program:
        path = root / program  # an absolute `program` stays as it is
        if not path.is_file():
            raise Refused(
                f"{where} runs {program}, which does not exist in {root}.",
                hint=f"Fix the path (relative to the project's root){skip}.",
            )
        if not os.access(path, os.X_OK):
            raise Refused(
                f"{where} runs {program}, which is not executable.",
                hint=f"Run `chmod +x {program}`, or name its interpreter first{skip}.",
            )
    elif _which(program) is None:
        raise Refused(
            f"{where} runs {program}, which is not found on PATH.",
            hint=f"Install it, or fix the entry{skip}.",
        )


def environment(values: Mapping[str, str]) -> dict[str, str]:
    """bump's environment, plus each value as CUTRELEASE_NAME (CUTRELEASE_NEW_VERSION…)."""
    return {**os.environ, **{f"CUTRELEASE_{name.upper()}": value for name, value in values.items()}}


def run(
    hook: Hook,
    values: Mapping[str, str],
    *,
    root: Path,
    started: Callable[[int], None] = lambda pid: None,
    forward: Callable[[], int | None] = lambda: None,
) -> None:
    """Run `hook` in `root`, without a shell, to its end; HookFailed quoting its output's end.

    The hook is in bump's process group, so a Ctrl-C at the terminal reaches it too. Its
    stdin is empty; its stdout and stderr go to a temporary file (a pipe would wait for any
    background process the hook leaves). `started` is told its process id; `forward` is
    asked, while it runs, for a signal bump received that the hook should get (SIGTERM).
    """
    import signal
    import subprocess
    import tempfile

    args = hook.args(values)
    with tempfile.TemporaryFile() as output:
        try:
            process = subprocess.Popen(
                args,
                cwd=root,
                env=environment(values),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        except OSError as exc:
            raise HookFailed(
                f"The {hook.key} hook `{shlex.join(args)}` could not be started "
                f"({exc.strerror or exc})."
            ) from None
        started(process.pid)
        forwarded = False
        while True:
            try:
                status = process.wait(timeout=0.05)
                break
            except subprocess.TimeoutExpired:
                number = None if forwarded else forward()
                if number is not None:
                    process.send_signal(number)
                    forwarded = True
        if status == 0:
            return
        output.seek(0)
        said = tail(output.read())
    how = f"exit status {status}" if status > 0 else f"stopped by {signal.Signals(-status).name}"
    raise HookFailed(f"The {hook.key} hook `{shlex.join(args)}` failed ({how}): {said}")


def tail(output: bytes) -> str:
    """The last lines of a hook's output as one line, or a note that it printed nothing."""
    lines = [line.strip() for line in output.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line][-QUOTED_LINES:]
    text = "; ".join(lines)
    if len(text) > 400:
        text = "…" + text[-400:]
    return text or "(it printed nothing)"


def scratch_folder() -> Path:
    """A fresh temporary folder for {tmp}; the caller removes it (remove_scratch)."""
    import tempfile

    return Path(tempfile.mkdtemp(prefix="cutrelease-"))


def _which(program: str) -> str | None:
    import shutil  # here: most releases run no hook, and shutil is costly to import

    return shutil.which(program)


def remove_scratch(folder: Path | None) -> None:
    """Remove the {tmp} folder and everything the hooks left in it."""
    if folder is not None:
        import shutil  # here: most releases run no hook, and shutil is costly to import

        shutil.rmtree(folder, ignore_errors=True)
