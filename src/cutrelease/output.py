"""Where text goes: results to stdout, progress and errors to stderr, colour only on a terminal."""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

from cutrelease.redact import redact


def colour_allowed(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


class Output:
    """One place that prints, so --json and --quiet hold everywhere and no secret leaks."""

    def __init__(self, *, as_json: bool = False, quiet: bool = False) -> None:
        self.as_json = as_json
        self.quiet = quiet

    def result(self, text: str) -> None:
        """Text the user asked for (a diff, notes, a version): stdout."""
        if not self.as_json and not self.quiet:
            sys.stdout.write(redact(text))
            sys.stdout.flush()

    def data(self, payload: dict[str, Any]) -> None:
        """The one JSON object of --json."""
        if self.as_json:
            import json

            sys.stdout.write(redact(json.dumps(payload, indent=2)) + "\n")

    def progress(self, text: str) -> None:
        """Each step as it happens, so a slow hook or push is never a silent wait: stderr."""
        if not self.as_json and not self.quiet:
            sys.stderr.write(redact(f"bump: {text}") + "\n")
            sys.stderr.flush()

    def note(self, text: str) -> None:
        if not self.as_json and not self.quiet:
            sys.stderr.write(redact(text).rstrip("\n") + "\n")

    def error(self, text: str) -> None:
        """Errors show even with --quiet; with --json they are the JSON object."""
        text = redact(text)
        if self.as_json:
            import json

            sys.stdout.write(json.dumps({"error": text}) + "\n")
            return
        prefix = "\x1b[31merror:\x1b[0m" if colour_allowed(sys.stderr) else "error:"
        sys.stderr.write(f"{prefix} {text}\n")
