"""Ask a package index which files of a project it holds (the Simple Repository API).

One GET of `{index_url}{normalized name}/`, asking for PEP 691's JSON first and PEP 503's HTML
as the fallback, in the same request (content negotiation): see simple.py, which the question
imports and runs on its own, so that neither the HTTP client nor the page parsers cost the
caller's start-up. On Linux the question is a child process (os.fork, no new interpreter): its
imports and its parsing run on another core while bump imports itself. Elsewhere (fork is
unsafe on macOS once system frameworks are loaded; Windows has none), or once the process has
other threads (a fork copies none of them), it is a thread, which shares the interpreter's
lock with bump. The standard library's urllib, json and html.parser are enough: no HTTP
client joins the runtime dependencies.

The answer is one of three values: `Published` (the files, yanked or not), `NotPublished`
(404: the project has never been uploaded) or `Unanswered` (the index could not be asked, or
answered something that is not a Simple page: why, in one phrase). It never raises for what
the network does; only a malformed `index_url` or project name is an error (Refused).
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # signal without enum's import, no stub
import atexit
import contextlib
import marshal
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, NoReturn

from cutrelease.publish.listing import (
    DEADLINE,
    DEFAULT_URL,
    SETTING,
    Answer,
    IndexFile,
    Kind,
    NotPublished,
    Published,
    Unanswered,
    check_url,
    normalized,
    project_url,
    shown,
)
from cutrelease.redact import redact

__all__ = [
    "DEADLINE",
    "DEFAULT_URL",
    "SETTING",
    "Answer",
    "Asking",
    "IndexFile",
    "Kind",
    "NotPublished",
    "Published",
    "Unanswered",
    "ask",
    "check_url",
    "normalized",
    "project_url",
    "shown",
]


# -- asking ----------------------------------------------------------------------------------


class Asking:
    """A question to the index already on its way; `result()` waits for the answer.

    The question runs in a child process or a thread of its own (see the module's docstring),
    so the git questions (gitrepo.Pending) run meanwhile. `result()` waits at most until
    `deadline` seconds after the question started: an index that hangs costs the deadline,
    one that answers after a second costs that second.
    """

    def __init__(self, url: str, name: str, deadline: float) -> None:
        self.url = shown(url)
        self.deadline = deadline
        self._started = time.monotonic()
        self._answer: Answer | None = None
        self._child: _Child | None = None
        self._thread: threading.Thread | None = None
        if _may_fork():
            with contextlib.suppress(OSError):  # no child to be had: a thread, then
                self._child = _Child.start(lambda: self._fetch(url, normalized(name)))
        if self._child is None:
            # A daemon: an index that never answers must not keep bump from exiting.
            self._thread = threading.Thread(target=self._ask, args=(url, normalized(name)))
            self._thread.daemon = True
            self._thread.start()

    def _fetch(self, url: str, name: str) -> Answer:
        try:
            from cutrelease.publish import simple  # here: only the question pays its imports

            return simple.fetch(url, name, timeout=self.deadline)
        except Exception as exc:  # an answer, never a crash where nobody watches
            return Unanswered(self.url, redact(f"{type(exc).__name__}: {exc}"))

    def _ask(self, url: str, name: str) -> None:
        self._answer = self._fetch(url, name)

    def result(self) -> Answer:
        """The index's answer, or Unanswered once the deadline has passed."""
        until = self._started + self.deadline
        if self._child is not None:  # read once: the child is then gone
            child, self._child = self._child, None
            self._answer = child.answer(until, url=self.url)
        elif self._thread is not None:
            self._thread.join(max(0.0, until - time.monotonic()))
        answer = self._answer
        if answer is None:
            return Unanswered(self.url, f"no answer within {self.deadline:g} s")
        return answer


#: The signals that stop bump (Ctrl-C, SIGTERM): the child's end at once (see _Child.start).
_STOPS = {_signal.SIGINT, _signal.SIGTERM}
#: Seconds a late reader still waits for the rest of an answer that has begun to come.
_LATE = 0.05


def _may_fork() -> bool:
    """Whether the question may be a child process: on Linux, with no other thread running,
    Python's or not (a thread started outside `threading`, by a host embedding bump, may hold
    a lock the child would wait on forever; Python 3.12 warns of such a fork)."""
    if sys.platform != "linux" or threading.active_count() != 1:
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # no /proc: no telling
        return False


class _Child:
    """A question asked in a child process made by os.fork; `answer` reads what it found.

    The child sends the answer through a pipe with marshal (built in: neither pickle's nor
    json's import on the caller's side), as plain tuples (see _plain). Its standard streams
    are /dev/null: a caller's pipe (`bump patch | cat`) must not wait for it. Ctrl-C and
    SIGTERM end it at once, silently: bump says it was interrupted.
    """

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.fd: int | None = fd
        self._parent = os.getpid()  # a later child's copy of this object is not its parent
        _LIVE.add(self)

    @classmethod
    def start(cls, fetch: Callable[[], Answer]) -> _Child:
        """Fork a child that runs `fetch` and sends back its answer. Raises OSError when no
        child can be made.

        Ctrl-C and SIGTERM are held back from the fork until each side is ready for them: a
        signal the child met with the parent's handlers would raise in the parent's code,
        running it in the child (its output twice, its buffers flushed twice); one the parent
        met before it holds the child would leave the child unknown.
        """
        held = _signal.pthread_sigmask(_signal.SIG_BLOCK, _STOPS)
        try:
            read, write = os.pipe()
            try:
                pid = os.fork()
            except OSError:
                os.close(read)
                os.close(write)
                raise
            if pid == 0:
                try:
                    os.close(read)
                    for signum in _STOPS:  # the child ends at once, silently: bump speaks
                        _signal.signal(signum, _signal.SIG_DFL)
                    _signal.pthread_sigmask(_signal.SIG_SETMASK, held)
                    _answer_in_child(fetch, write)
                finally:
                    os._exit(1)  # never the parent's code, whatever happened
            os.close(write)
            return cls(pid, read)
        finally:
            _signal.pthread_sigmask(_signal.SIG_SETMASK, held)

    def answer(self, until: float, *, url: str) -> Answer | None:
        """The child's answer; None if it has none by the time `until` (time.monotonic). An
        answer lost (the child failed) is Unanswered for `url`. The child is gone after."""
        import select

        assert self.fd is not None, "a child is answered once"
        chunks: list[bytes] = []
        waiting = select.poll()  # not select(): no limit on the descriptor's number
        waiting.register(self.fd, select.POLLIN)
        try:
            while True:
                # Past the deadline, what has come is still taken, as a thread's answer is
                # (the release may read it late, after a slow remote); briefly, for the rest
                # of an answer longer than the pipe holds.
                left = max(until - time.monotonic(), _LATE)
                if not waiting.poll(left * 1000):
                    return None
                chunk = os.read(self.fd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:  # whatever stopped the wait (the deadline, Ctrl-C): no child outlives it
            self._end()
        try:
            return _rebuilt(marshal.loads(b"".join(chunks)))
        except (EOFError, ValueError, TypeError):
            return Unanswered(url, "the question's process ended without an answer")

    def _end(self) -> None:
        """Kill the child (done or not: a child that has exited is killed harmlessly until it
        is reaped) and reap it, as gitrepo ends a git question nobody reads."""
        fd, self.fd = self.fd, None
        if fd is None or os.getpid() != self._parent:
            return
        _LIVE.discard(self)
        try:
            os.close(fd)
            os.kill(self.pid, 9)  # SIGKILL, without signal's import
            os.waitpid(self.pid, 0)
        except OSError:  # reaped already (by a waitpid of all children elsewhere)
            pass


#: The questions' children not yet ended: end_all ends them when bump leaves without reading.
_LIVE: set[_Child] = set()


def end_all() -> None:
    """Kill and reap every question's child still running (bump leaves before it reads their
    answers: Ctrl-C at start-up, an early refusal), so that none outlives bump. At exit, and
    from __main__ before it leaves at once (os._exit skips the exit handlers)."""
    for child in list(_LIVE):
        child._end()


atexit.register(end_all)


def _answer_in_child(fetch: Callable[[], Answer], fd: int) -> NoReturn:
    """In the child: the answer of `fetch`, written to `fd`, then out, without Python's
    teardown (the parent's buffers and exit handlers are the parent's)."""
    code = 1
    try:
        if fd <= 2:  # bump started with a standard stream closed: the pipe took its number
            import fcntl

            fd = fcntl.fcntl(fd, fcntl.F_DUPFD, 3)
        null = os.open(os.devnull, os.O_RDWR)
        for stream in (0, 1, 2):
            os.dup2(null, stream)
        # No other descriptor of bump's stays open in the child (a lock, a git process's pipe):
        # those open, by their list (closerange may try every number up to the limit, one
        # by one, without close_range: a billion in some containers).
        for name in os.listdir("/proc/self/fd"):
            if int(name) > 2 and int(name) != fd:
                with contextlib.suppress(OSError):  # the listing's own, closed already
                    os.close(int(name))
        data = memoryview(marshal.dumps(_plain(fetch())))
        while data:
            data = data[os.write(fd, data) :]
        code = 0
    finally:
        os._exit(code)


def _plain(answer: Answer) -> tuple[Any, ...]:
    """`answer` as marshal carries it: its kind's name, then its fields as plain tuples."""
    if isinstance(answer, Unanswered):
        return ("unanswered", *answer)
    kind = "published" if isinstance(answer, Published) else "not-published"
    files = tuple(tuple(file) for file in answer.files)
    return (kind, answer.url, files, tuple(answer.listed_versions))


def _rebuilt(plain: tuple[Any, ...]) -> Answer:
    """The answer _plain made `plain` of. Raises ValueError for anything else."""
    kind, *fields = plain
    if kind == "unanswered":
        url, reason = fields
        return Unanswered(str(url), str(reason))
    url, files, listed = fields
    if not isinstance(files, tuple) or not isinstance(listed, tuple):
        raise ValueError("not an answer")
    found = tuple(IndexFile(*file) for file in files)
    if kind == "published":
        return Published(str(url), found, listed)
    if kind == "not-published":
        return NotPublished(str(url), found, listed)
    raise ValueError("not an answer")


def ask(index_url: str, name: str, *, deadline: float = DEADLINE) -> Asking:
    """Start asking the index at `index_url` which files of project `name` it has.

    In: the index's Simple API base (may hold credentials: `https://user:token@host/simple/`;
    they are sent as HTTP Basic authentication, never shown) and the project's name as
    `[project].name` writes it (normalized here, PEP 503). Out: an Asking, whose `result()` is
    the Answer within `deadline` seconds. Raises Refused at once for a bad `index_url` (naming
    the setting) or an invalid project name.
    """
    return Asking(project_url(index_url, name), name, deadline)
