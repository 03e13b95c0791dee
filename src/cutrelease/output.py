"""Where text goes: results to stdout, progress and errors to stderr, colour only on a terminal."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any, TextIO

#: The version of the JSON shape every `--json` prints (SPEC section 15). A key may be added
#: within a version; one removed, renamed or changing its meaning raises it. The schemas of
#: the shape are the package's schemas/COMMAND.json files.
JSON_VERSION = 1


def envelope(command: str) -> dict[str, Any]:
    """The keys every `--json` object opens with, in this order, with their values before the
    command says otherwise: `command` is the command's name as given (`patch`, `2.0.0`,
    `check-tag`; `bump` for an error before any command), `ok` whether it did what was asked,
    `exit_code` the process's, `error` the one sentence of a failure (null on success)."""
    return {
        "schema_version": JSON_VERSION,
        "command": command,
        "ok": False,
        "exit_code": 0,
        "error": None,
    }


#: The release commands' own keys of `--json` (after the envelope), with their values when they
#: do not apply. Successes and failures (usage errors included) print the same keys, in this
#: order.
JSON_SCHEMA: dict[str, Any] = {
    "dry_run": False,
    "old_version": None,
    "new_version": None,
    "tag": None,
    "files": [],  # paths changed by the release, relative to the repository root
    "commit": None,  # the release commit's full SHA
    "pushed": False,
    "diff": None,  # a dry run's unified diff of the files
    "commands": [],  # the git commands, one shell-quoted line each
    "hooks": [],  # {"when": "before_commit" or "after_push", "command": shell-quoted line}
    "index": None,  # what the package index said: {url, state, versions, reason}; null: not asked
    "packages": [],  # every package released: {name, tag, old_version, new_version, index}
}

_COLOURS = {"+": "\x1b[32m", "-": "\x1b[31m", "@": "\x1b[36m"}
_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"


def colour_allowed(stream: TextIO | None) -> bool:
    """Whether `stream` may be coloured: open, and a terminal that is not TERM=dumb, or
    FORCE_COLOR set; never with NO_COLOR set.

    NO_COLOR (no-color.org) and FORCE_COLOR (force-color.org) count when set and not empty,
    whatever their value. Both set: NO_COLOR wins, as in CPython's own colour choice
    (Python 3.13): the person who asks for no colour is asked last by no tool. TERM=dumb (an
    editor's shell, some CI consoles) shows escape codes as text; FORCE_COLOR still wins over
    it, in that same order.
    """
    if stream is None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return os.environ.get("TERM") != "dumb" and stream.isatty()


def colour(diff: str) -> str:
    """A unified diff coloured for a terminal: additions green, removals red, hunks cyan."""
    out = []
    for line in diff.splitlines(keepends=True):
        code = _COLOURS.get(line[:1]) if not line.startswith(("+++", "---")) else _BOLD
        out.append(f"{code}{line.rstrip(chr(10))}{_RESET}\n" if code else line)
    return "".join(out)


def redact(text: str) -> str:
    """`text` with every URL's user and password removed (redact.redact). A URL is written
    `scheme://`: text without one has none to remove, and the pattern is not compiled for it."""
    if "://" not in text:
        return text
    from cutrelease import redact as redacting

    return redacting.redact(text)


def _write(stream: TextIO | None, text: str, *, flush: bool = False) -> None:
    """Write to stdout or stderr; one started closed (None) takes nothing, as print() does."""
    if stream is None:
        return
    stream.write(text)
    if flush:
        stream.flush()


class Output:
    """One place that prints, so --json and --quiet hold everywhere and no secret leaks."""

    def __init__(
        self,
        *,
        as_json: bool = False,
        quiet: bool = False,
        schema: dict[str, Any] | None = None,
        command: str = "bump",
    ) -> None:
        self.as_json = as_json
        self.quiet = quiet
        self.schema = JSON_SCHEMA if schema is None else schema  # the keys --json prints
        self.command = command  # the envelope's `command`
        self.known: dict[str, Any] = {}  # what is known of the command when it fails

    def result(self, text: str) -> None:
        """Text the user asked for (a diff, notes, a version): stdout."""
        if not self.as_json and not self.quiet:
            _write(sys.stdout, redact(text), flush=True)

    def diff(self, text: str, *, even_if_quiet: bool = False) -> None:
        """A unified diff (and the commands after it): stdout, coloured only on a terminal.

        `even_if_quiet`: a dry run's diff is what was asked for, so --quiet keeps it.
        """
        if even_if_quiet and not self.as_json:
            _write(
                sys.stdout, redact(colour(text) if colour_allowed(sys.stdout) else text), flush=True
            )
        else:
            self.result(colour(text) if colour_allowed(sys.stdout) else text)

    def data(self, payload: dict[str, Any]) -> None:
        """The one JSON object of --json: the envelope's keys, then every key of the command's
        own (`schema`: JSON_SCHEMA for a release), `payload`'s values first."""
        if self.as_json:
            import json

            whole = {**envelope(self.command), **self.schema, **self.known, **payload}
            _write(sys.stdout, redact(json.dumps(whole, indent=2)) + "\n", flush=True)

    def progress(self, text: str) -> None:
        """Each step as it happens, so a slow hook or push is never a silent wait: stderr.

        Best effort, as notes are: a stderr that breaks half-way through a release must not
        stop the release, nor its undo.
        """
        if not self.as_json and not self.quiet:
            with contextlib.suppress(OSError):
                _write(sys.stderr, redact(f"bump: {text}") + "\n", flush=True)

    def note(self, text: str) -> None:
        """What happened, for a person to read (a release landed, a file kept): stderr."""
        if not self.as_json and not self.quiet:
            with contextlib.suppress(OSError):
                _write(sys.stderr, redact(text).rstrip("\n") + "\n", flush=True)

    def warning(self, text: str) -> None:
        """What went wrong after all went right: stderr, even with --json or --quiet."""
        with contextlib.suppress(OSError):
            _write(sys.stderr, f"warning: {redact(text)}\n", flush=True)

    def error(self, text: str, *, exit_code: int = 1) -> None:
        """Errors show even with --quiet; with --json they are the JSON object."""
        text = redact(text)
        if self.as_json and sys.stdout is not None:
            try:
                self.data({"ok": False, "error": text, "exit_code": exit_code})
                return
            except OSError:
                pass  # stdout takes nothing more (a full disk, a closed pipe): say it on stderr
        prefix = "\x1b[31merror:\x1b[0m" if colour_allowed(sys.stderr) else "error:"
        with contextlib.suppress(OSError):  # nowhere left to say it: the exit code still does
            _write(sys.stderr, f"{prefix} {text}\n", flush=True)
