"""publish/index on Linux: the question asked in a child process (os.fork) gives the answer the
thread gives, within the same deadline, and leaves no process and no descriptor behind.

The suite's own process runs threads (the index server's), so its questions take the thread;
each question here is asked by a fresh, single-threaded Python, which forks.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FAULTS, GIT_ENV, PYPROJECT, Project
from indexes import (  # the fixtures too: pytest finds them here
    IndexServer,
    Page,
    Pypi,
    index_server,
    json_file,
    json_page,
    pypi,
)

from cutrelease.publish import index

__all__ = ["index_server", "pypi"]  # fixtures, used by name

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the child is Linux's only")

# Asks in a fresh process; prints whether it forked, the answer described, and whether a child
# of it is left (unreaped) once the answer is in.
ASK = """
import json, os, sys, threading
from cutrelease.publish import index
from test_index_child import described
assert threading.active_count() == 1
asking = index.ask(sys.argv[1], sys.argv[2], deadline=float(sys.argv[3]))
forked = asking._child is not None
answer = asking.result()
again = asking.result()  # read once; asked again, the same answer
try:
    left = os.waitpid(-1, os.WNOHANG) is not None
except ChildProcessError:
    left = False
print(json.dumps({"forked": forked, "answer": described(answer), "again": described(again),
                  "left": left, "fds": sorted(os.listdir("/proc/self/fd"))}))
"""


def described(answer: index.Answer) -> list[object]:
    """An answer as comparable data (a listing's class has no repr of its fields)."""
    if isinstance(answer, index.Unanswered):
        return ["Unanswered", answer.url, answer.reason]
    files = [list(file) for file in answer.files]
    return [type(answer).__name__, answer.url, files, list(answer.listed_versions)]


def asked_in_a_child(base: str, name: str, deadline: float = 5.0) -> dict[str, object]:
    here = str(__import__("pathlib").Path(__file__).parent)
    done = subprocess.run(
        [sys.executable, "-c", ASK, base, name, str(deadline)],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "PYTHONPATH": here},
    )
    found: dict[str, object] = json.loads(done.stdout)
    assert found["forked"] is True
    assert found["left"] is False  # the child was reaped
    assert found["again"] == found["answer"]
    return found


def test_a_published_project_reads_the_same_in_the_child(index_server: IndexServer) -> None:
    base = index_server.base()
    page = json_page(
        "kid",
        [json_file("kid-0.1.0.tar.gz", yanked=True), json_file("kid-0.2.0-py3-none-any.whl")],
        versions=["0.1.0", "0.2.0", "0.3.0rc1"],
    )
    index_server.serve(f"{base}kid/", page)
    found = asked_in_a_child(base, "Kid")
    assert found["answer"] == described(index.ask(base, "Kid").result())
    assert found["answer"][0] == "Published"


def test_pypiserver_through_the_child(pypi: Pypi) -> None:
    pypi.add("forked", "1.0.0")
    found = asked_in_a_child(pypi.url, "forked")
    assert found["answer"] == described(index.ask(pypi.url, "forked").result())
    never = asked_in_a_child(pypi.url, "never-there")
    assert never["answer"] == ["NotPublished", f"{pypi.url}never-there/", [], []]


def test_a_refusal_is_unanswered_as_in_the_thread(index_server: IndexServer) -> None:
    base = index_server.base()
    index_server.serve(f"{base}down/", Page(b"oops", "text/plain", 503))
    found = asked_in_a_child(base, "down")
    assert found["answer"] == ["Unanswered", f"{base}down/", "HTTP 503 Service Unavailable"]


def test_a_hanging_index_costs_the_deadline_and_its_child(index_server: IndexServer) -> None:
    base = index_server.base()
    index_server.serve(f"{base}stuck/", Page(hang=True))
    started = time.monotonic()
    found = asked_in_a_child(base, "stuck", deadline=0.5)
    took = time.monotonic() - started
    assert found["answer"] == ["Unanswered", f"{base}stuck/", "no answer within 0.5 s"]
    assert took < 0.5 + 3.0  # the deadline, and a Python's start-up around it (a busy CI)


def test_the_child_holds_no_descriptor_of_its_parent(index_server: IndexServer) -> None:
    # What the asking process has open after the answer: its own standard streams and the
    # descriptor listing itself; the pipe from the child is closed.
    base = index_server.base()
    index_server.serve(f"{base}fds/", json_page("fds", [json_file("fds-1.0.tar.gz")]))
    found = asked_in_a_child(base, "fds")
    assert len(found["fds"]) <= 4, found["fds"]  # 0, 1, 2 and os.listdir's own


def test_credentials_never_reach_the_answer(index_server: IndexServer) -> None:
    base = index_server.base()
    index_server.serve(f"{base}priv/", json_page("priv", [json_file("priv-1.0.tar.gz")]))
    secret = base.replace("http://", "http://alice:s3cret@")
    found = asked_in_a_child(secret, "priv")
    assert "s3cret" not in json.dumps(found)
    assert found["answer"][1] == f"{base}priv/"


def _left_in(root: Path) -> list[str]:
    """The processes of bump's (a question's child among them) still running in `root`."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            here = os.readlink(f"/proc/{pid}/cwd")
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if here == str(root) and "cutrelease" in command:
            found.append(f"{pid} {command}")
    return found


def _hanging_release(
    project: Project, index_server: IndexServer, *args: str
) -> subprocess.Popen[str]:
    """`bump patch ARGS` as a process of its own, asking an index that never answers; returned
    once the index has the question (the child is waiting for the answer)."""
    url = index_server.base()
    index_server.serve(f"{url}widget/", Page(hang=True))
    project.write("pyproject.toml", f'{PYPROJECT}\n[tool.cutrelease]\nindex_url = "{url}"\n')
    project.commit_all("index")
    project.push()
    running = subprocess.Popen(
        [sys.executable, "-m", "cutrelease", "patch", *args],
        cwd=project.root,
        env={**os.environ, **GIT_ENV, "NO_COLOR": "1", **project.env, "CUTRELEASE_OFFLINE": "0"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 10
    while not index_server.requests(f"{url}widget/") and time.monotonic() < deadline:
        time.sleep(0.01)
    assert index_server.requests(f"{url}widget/"), "the index was never asked"
    return running


def test_ctrl_c_while_the_index_hangs_ends_bump_and_its_question_at_once(
    project: Project, index_server: IndexServer
) -> None:
    running = _hanging_release(project, index_server, "--dry-run")
    before = project.snapshot()
    started = time.monotonic()
    running.send_signal(signal.SIGINT)  # to bump alone, not its process group
    _, err = running.communicate(timeout=10)
    took = time.monotonic() - started
    assert running.returncode in (1, 130), err  # SPEC section 16: 1 (130 is fine)
    assert err.strip().splitlines()[-1] == "error: Interrupted; nothing was changed."
    assert took < 3.5  # not the index's deadline (5 s), on a busy machine too
    assert project.snapshot() == before
    assert _left_in(project.root) == []


@pytest.mark.skipif(
    sys.version_info < (3, 11), reason="no early question without tomllib: refused before it"
)
def test_a_refused_release_leaves_no_question_running(
    project: Project, index_server: IndexServer
) -> None:
    running = _hanging_release(project, index_server, "--dry-run", "--remote", "nowhere")
    started = time.monotonic()
    _, err = running.communicate(timeout=10)
    took = time.monotonic() - started
    assert running.returncode == 1, err
    assert took < 3.5  # as above
    assert _left_in(project.root) == []


def _python(
    script: str, *args: str, options: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """`script` run by a fresh, single-threaded Python (its question forks), with `args`."""
    return subprocess.run(
        [sys.executable, *options, "-c", script, *args], capture_output=True, text=True, check=True
    )


def test_a_thread_unknown_to_threading_keeps_the_question_in_a_thread(
    index_server: IndexServer,
) -> None:
    # A host that embeds bump may run threads of its own, started outside `threading` (the
    # suite's own workers do): a fork would copy none of them, and a lock one holds would
    # block the child forever; Python 3.12 warns of such a fork. The thread asks instead.
    base = index_server.base()
    index_server.serve(f"{base}host/", json_page("host", [json_file("host-1.0.tar.gz")]))
    script = (
        "import _thread, sys, threading, time\n"
        "_thread.start_new_thread(time.sleep, (30,))\n"
        "from cutrelease.publish import index\n"
        "assert threading.active_count() == 1\n"
        "asking = index.ask(sys.argv[1], 'host')\n"
        "print(asking._child is None, type(asking.result()).__name__)\n"
    )
    done = _python(script, base, options=("-W", "error::DeprecationWarning"))
    assert done.stdout == "True Published\n"


def test_a_bump_started_with_its_standard_streams_closed_still_gets_the_answer(
    index_server: IndexServer,
) -> None:
    # Started by a daemon that closed stdin and stdout: the pipe from the child takes those
    # numbers, and the child's own /dev/null streams must not be written over it.
    base = index_server.base()
    index_server.serve(f"{base}closed/", json_page("closed", [json_file("closed-1.0.tar.gz")]))
    script = (
        "import os, sys\n"
        "os.close(0); os.close(1)\n"
        "from cutrelease.publish import index\n"
        "asking = index.ask(sys.argv[1], 'closed')\n"
        "answer = asking.result()\n"
        "os.write(2, f'{type(answer).__name__} {answer.versions()}'.encode())\n"
    )
    done = _python(script, base)
    assert done.stderr == "Published ['1.0']"


def test_an_answer_read_after_the_deadline_is_still_taken(index_server: IndexServer) -> None:
    # A review's: the release reads the answer only after its git questions, which a slow
    # remote (a passphrase, a key's touch) may keep past the index's deadline. The answer,
    # come long before, is taken, as the thread's is.
    base = index_server.base()
    index_server.serve(f"{base}late/", json_page("late", [json_file("late-1.0.tar.gz")]))
    script = (
        "import sys, time\n"
        "from cutrelease.publish import index\n"
        "asking = index.ask(sys.argv[1], 'late', deadline=0.5)\n"
        "forked = asking._child is not None\n"
        "time.sleep(0.8)\n"
        "answer = asking.result()\n"
        "print(forked, type(answer).__name__, answer.versions())\n"
    )
    done = _python(script, base)
    assert done.stdout == "True Published ['1.0']\n"


def test_the_child_holds_none_of_its_parents_descriptors(index_server: IndexServer) -> None:
    # The parent holds a file open (as a release holds its lock) when it asks; the child,
    # waiting on an index that hangs, has its streams, the pipe and its socket, nothing more.
    base = index_server.base()
    index_server.serve(f"{base}held/", Page(hang=True))
    script = (
        "import os, sys, time\n"
        "from cutrelease.publish import index\n"
        "kept = open(sys.argv[2], 'w')\n"
        "asking = index.ask(sys.argv[1], 'held', deadline=3)\n"
        "time.sleep(0.5)\n"
        "pid = asking._child.pid\n"
        "names = [os.readlink(f'/proc/{pid}/fd/{n}') for n in os.listdir(f'/proc/{pid}/fd')]\n"
        "print('\\n'.join(sorted(names)))\n"
    )
    done = _python(script, base, os.devnull.replace("null", "zero"))
    names = done.stdout.splitlines()
    assert "/dev/zero" not in names
    assert names.count("/dev/null") == 3  # its standard streams
    assert sorted(name.split(":")[0] for name in names if "/dev/null" not in name) == [
        "pipe",
        "socket",
    ], names


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_at_start_up_ends_the_question_too(
    project: Project, index_server: IndexServer, signum: int
) -> None:
    # The signal lands while bump still loads itself, after the question has gone out: bump
    # leaves at once (os._exit, no exit handler), and takes the question's child with it.
    url = index_server.base()
    index_server.serve(f"{url}widget/", Page(hang=True))
    project.write("pyproject.toml", f'{PYPROJECT}\n[tool.cutrelease]\nindex_url = "{url}"\n')
    project.commit_all("index")
    project.push()
    before = project.snapshot()
    fault = f"signal{int(signum)}:import:cutrelease.cli"  # tests/faults/sitecustomize.py
    paths = os.pathsep.join([str(FAULTS), *filter(None, [os.environ.get("PYTHONPATH")])])
    done = subprocess.run(
        [sys.executable, "-m", "cutrelease", "patch", "--dry-run"],
        cwd=project.root,
        env={
            **os.environ,
            **GIT_ENV,
            **project.env,
            "CUTRELEASE_OFFLINE": "0",
            "CUTRELEASE_TEST_FAULT": fault,
            "PYTHONPATH": paths,
        },
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode in (1, 130), done.stderr
    assert done.stderr == "error: Interrupted; nothing was changed.\n"
    assert project.snapshot() == before
    assert _left_in(project.root) == []
