"""One base error; each kind carries its message, hint and exit code."""

from __future__ import annotations


class CutreleaseError(Exception):
    """An expected failure: shown as one sentence (plus a hint), never a traceback."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{sentence(self.message)} {self.hint}" if self.hint else self.message


def interrupted(exc: BaseException) -> bool:
    """Whether `exc` is a KeyboardInterrupt (Ctrl-C, or SIGTERM as __main__ raises it) or was
    raised while handling one, chained as its cause (click 8.2's Abort) or not (8.1's, and
    the SystemExit a command leaves with after saying it was interrupted)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def sentence(text: str) -> str:
    """`text` ending as a sentence does: one full stop added where it has none, none doubled.

    Messages quote others' words (git's, ssh's, Jinja2's), which may or may not end in one.
    """
    text = text.rstrip()
    while text.endswith(".."):
        text = text[:-1]
    return text if text.endswith((".", "!", "?", ":")) else f"{text}."


def clause(text: str) -> str:
    """`text` made a clause that more follows after a semicolon: its final full stop dropped
    (git ends each sentence with one: "…repository exists.; the repository was restored")."""
    text = text.rstrip()
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


class BadUsage(CutreleaseError):
    """The command line itself is wrong (exit 2, as click's own usage errors)."""

    exit_code = 2


class Refused(CutreleaseError):
    """A check said no before anything was written."""


class FileFormatError(Refused):
    """A release file cannot be understood; names the file and, where known, the line."""

    def __init__(
        self, path: str, message: str, *, line: int | None = None, hint: str | None = None
    ) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}", hint=hint)
        self.path = path
        self.line = line


class Cancelled(Refused):
    """The maintainer answered no to the question: a choice, said as a note, not an error."""


class ReleaseFailed(CutreleaseError):
    """A step failed after writing began; the repository was restored."""


class UndoFailed(CutreleaseError):
    """Restoring the repository failed too: what is left to fix is in the message."""

    exit_code = 3


class AfterPushFailed(CutreleaseError):
    """The release landed, but an after_push hook failed: said so, with exit 4."""

    exit_code = 4


class ReleaseKept(CutreleaseError):
    """The push failed, but the remote holds part of the release, or cannot be asked what it
    holds: the release is kept here, never undone under a remote that may have it. The message
    says what the remote holds and what to do. `pending`: the journal stays, so that
    `bump recover` settles the release once the remote answers."""

    def __init__(self, message: str, *, hint: str | None = None, pending: bool = False) -> None:
        super().__init__(message, hint=hint)
        self.pending = pending
