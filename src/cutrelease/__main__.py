"""The `bump` command's entry point (also `python -m cutrelease`)."""

import contextlib
import gc
import os
import sys


def main() -> None:
    # A command lives for a fraction of a second and builds few reference cycles: the cyclic
    # collector, run again and again while click, GitPython and Jinja2 import, costs about a
    # tenth of a dry run and frees almost nothing (peak memory measured the same without it).
    gc.disable()
    from cutrelease.cli import main as cli_main

    try:
        cli_main()
    except SystemExit as done:
        # coverage.py saves a measured process's data when it exits: let it.
        if done.code in (None, 0) and "coverage" not in sys.modules:
            _leave_at_once()
        raise
    except OSError as exc:  # click's own output (--help, --version) met a full disk
        from cutrelease.output import Output

        Output().error(f"{exc.strerror or exc}")
        sys.exit(1)


def _leave_at_once() -> None:
    """Exit 0 without tearing the interpreter down, once the output is out.

    Tearing down every module of click, GitPython and Jinja2 takes about 20 ms, a sixth of a
    dry run, to free memory the system frees anyway. Only a success leaves this way: every
    file is closed, every git process answered, the lock released. A failure exits normally,
    so that whatever it left half-done (a git process not yet answered) is cleaned up.
    """
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with that descriptor closed: nothing to flush
            continue
        # What is still buffered here failed to be written once already, and the command
        # said what it had to about it: its exit code stands.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
