"""The `bump` command's entry point (also `python -m cutrelease`)."""

# _signal, not signal: the first import is of a module built into Python, ready at once
# (signal's own import of enum takes milliseconds, during which Ctrl-C would be Python's).
import _signal  # type: ignore[import-not-found]  # signal without enum; no stub
import os
import sys


def _stop_at_start_up(signum: int, frame: object) -> None:
    """Ctrl-C or SIGTERM while bump starts (imports, nothing done yet): one line, no
    traceback, exit 130 (Ctrl-C) or 1 (SPEC section 16)."""
    os.write(2, b"error: Interrupted; nothing was changed.\n")
    _end_questions()
    os._exit(130 if signum == _signal.SIGINT else 1)


def _end_questions() -> None:
    """End the package index's questions still running in a child (publish.index), if any
    was asked: leaving at once runs no exit handler to do it."""
    index = sys.modules.get("cutrelease.publish.index")
    if index is not None:
        index.end_all()


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM once bump runs: as Ctrl-C, an interruption each command turns into one line
    (a release under way defers both to its next safe point, see release.transaction)."""
    raise KeyboardInterrupt


# Before anything else is imported: a signal in the first tens of milliseconds must not
# print a traceback from deep inside an import.
_signal.signal(_signal.SIGINT, _stop_at_start_up)
_signal.signal(_signal.SIGTERM, _stop_at_start_up)

import contextlib  # noqa: E402
import gc  # noqa: E402

#: The commands that never release: prefetch.start would ask nothing for them, so its module
#: is not even loaded (each module costs `bump version` and `bump check-tag` their start-up).
_NOT_RELEASES = frozenset(
    {
        "changed",
        "check",
        "check-tag",
        "init",
        "next",
        "notes",
        "recover",
        "retract",
        "status",
        "version",
    }
)


def _may_release(argv: list[str]) -> bool:
    """Whether bump's arguments `argv` may name a release: their first word that is no option
    is not a command that never releases (prefetch decides the rest)."""
    command = next((word for word in argv if not word.startswith("-")), None)
    return command is not None and command not in _NOT_RELEASES


def main() -> None:
    # A command lives for a fraction of a second and builds few reference cycles: the cyclic
    # collector, run again and again while click, GitPython and Jinja2 import, costs about a
    # tenth of a dry run and frees almost nothing (peak memory measured the same without it).
    gc.disable()
    if _may_release(sys.argv[1:]):
        from cutrelease.publish import prefetch

        prefetch.start(sys.argv[1:])  # the index, slowest, is asked first
    from cutrelease.cli import main as cli_main

    # Loaded: from here on each command says it was interrupted in its own words.
    # Through _signal still: signal's enums are for the commands that start processes.
    _signal.signal(_signal.SIGINT, _signal.default_int_handler)
    _signal.signal(_signal.SIGTERM, _terminate)
    try:
        cli_main()
    except KeyboardInterrupt:  # between two commands' own handling (click parsing, exit)
        _stop_at_start_up(_signal.SIGINT, None)
    except SystemExit as done:
        # coverage.py saves a measured process's data when it exits: let it.
        if done.code in (None, 0) and "coverage" not in sys.modules:
            _leave_at_once()
        from cutrelease.errors import interrupted  # loaded already, with the command

        leave = _asking_still() or interrupted(done)
        if isinstance(done.code, int) and leave and "coverage" not in sys.modules:
            # A failure while the package index's question is still out (a daemon thread,
            # maybe inside OpenSSL): Python's teardown beside it may crash (SIGSEGV, exit 139
            # instead of the command's 1). An interruption: Python would end killed by SIGINT
            # instead of the command's 1, if the Ctrl-C landed inside an eval() (as
            # collections.namedtuple builds a class), whose end marks a KeyboardInterrupt as
            # unhandled for good. What the command started is let go first (its unanswered
            # git processes are killed as they are collected), then bump leaves.
            gc.collect()
            _leave_at_once(done.code)
        raise
    except OSError as exc:  # click's own output (--help, --version) met a full disk
        from cutrelease.output import Output

        Output().error(f"{exc.strerror or exc}")
        sys.exit(1)


def _asking_still() -> bool:
    """Whether a thread of bump's other than the main one is still running (the package
    index's question: publish.index.Asking)."""
    threading = sys.modules.get("threading")
    return threading is not None and threading.active_count() > 1


def _leave_at_once(code: int = 0) -> None:
    """Exit with `code` (0 unless said) without tearing the interpreter down, once the
    output is out.

    Tearing down every module of click, GitPython and Jinja2 takes about 20 ms, a sixth of a
    dry run, to free memory the system frees anyway. A success leaves this way: every
    file is closed, every git process answered, the lock released. A failure exits normally,
    so that whatever it left half-done (a git process not yet answered) is cleaned up,
    unless the package index's question is still out (see main).
    """
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with that descriptor closed: nothing to flush
            continue
        # What is still buffered here failed to be written once already, and the command
        # said what it had to about it: its exit code stands.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    _end_questions()
    os._exit(code)


if __name__ == "__main__":
    main()
