"""The package index's question, a release's output read by scripts, and the journal's undo,
rebuilt from public bug reports of peer tools (hunt s8).

Each test names the report it comes from. Everything is real: git repositories with bare
remotes, bump as a process of its own where the question to the index is asked from a forked
child (Linux), a pypiserver or our own index server on 127.0.0.1, real signals.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import PYPROJECT, Project, start_bump
from indexes import (  # the fixtures too: pytest finds them here
    IndexServer,
    Page,
    Pypi,
    free_port,
    html_page,
    index_server,
    json_file,
    json_page,
    pypi,
)

__all__ = ["index_server", "pypi"]  # fixtures, used by name

linux_only = pytest.mark.skipif(
    sys.platform != "linux", reason="the question's child process and /proc are Linux's"
)


def _online(project: Project, index_url: str, *, name: str = "widget", extra: str = "") -> None:
    """The project asks the index at `index_url` under the name `name`; bump is not offline."""
    text = PYPROJECT.replace('name = "widget"', f'name = "{name}"')
    settings = f'\n[tool.cutrelease]\nindex_url = "{index_url}"\n{extra}'
    project.write("pyproject.toml", text + settings)
    project.commit_all("index")
    project.push()
    project.env["CUTRELEASE_OFFLINE"] = "0"


def _session(sid: int) -> list[int]:
    """The processes still alive (zombies aside) in session `sid` (start_bump gives bump a
    session of its own: its forked child stays in it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        state, _ppid, _pgrp, session = stat.rpartition(")")[2].split()[:4]
        if int(session) == sid and state != "Z":
            found.append(int(entry.name))
    return found


def _wait_for(condition: Callable[[], object], *, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.02)


def _one_line(err: str) -> list[str]:
    """stderr's lines, bump's progress lines (`bump: ...`) aside."""
    return [line for line in err.splitlines() if line and not line.startswith("bump: ")]


# -- (a) the index: credentials, refusals, proxies, pre-releases ----------------------------


@linux_only
def test_credentials_in_index_url_reach_the_index_and_never_the_output(
    project: Project, index_server: IndexServer
) -> None:
    """astral-sh/uv#11836 (https://github.com/astral-sh/uv/issues/11836): `uv publish
    --check-url` did not send the credentials given for the index when it checked whether a
    file was there already, so the check failed on a private index; the workaround was
    credentials inside the check URL. Here they are in index_url: the release (a real
    process, its question asked from a forked child) must send them as HTTP Basic, learn
    that 0.2.1 is taken, refuse, and never print them, on stderr or in --json."""
    base = index_server.base()
    files = [json_file("widget-0.2.0.tar.gz"), json_file("widget-0.2.1-py3-none-any.whl")]
    index_server.serve(base + "widget/", json_page("widget", files))
    _online(project, base.replace("http://", "http://ci-bot:t%40ken-s3cret@"))
    before = project.snapshot()
    run = project.bump("patch", "--yes", "--json", subprocess=True)
    assert run.code == 1, run.err
    said = json.loads(run.out)
    assert said["index"]["state"] == "published"
    assert said["index"]["url"] == base + "widget/"
    assert said["error"].startswith("widget 0.2.1 is already on the package index")
    assert "s3cret" not in run.out + run.err and "ci-bot" not in run.out + run.err
    (seen,) = index_server.requests(base + "widget/")
    token = base64.b64encode(b"ci-bot:t@ken-s3cret").decode()
    assert seen.headers["Authorization"] == f"Basic {token}"
    assert project.snapshot() == before


def test_an_index_that_refuses_credentials_is_not_a_project_never_uploaded(
    project: Project, index_server: IndexServer
) -> None:
    """astral-sh/uv#16236 (https://github.com/astral-sh/uv/issues/16236): the check against a
    private GitLab registry answered `401 Unauthorized`, and uv logged "Package not found in
    the registry; skipping upload check", as if 401 meant never uploaded. Here a 401 must
    be said as what it is, an index that could not be asked (a note; the release may go
    on), never "no files yet" nor a free version."""
    base = index_server.base()
    refusal = Page(b"401 Unauthorized", "text/plain", 401, headers={"WWW-Authenticate": "Basic"})
    index_server.serve(base + "widget/", refusal)
    _online(project, base)
    dry = project.bump("patch", "--dry-run", subprocess=True)
    assert dry.code == 0, dry.err
    assert "could not be asked (HTTP 401 Unauthorized): not checked" in dry.out + dry.err
    assert "first upload" not in dry.out and "is free" not in dry.out
    said = json.loads(project.bump("patch", "--dry-run", "--json", subprocess=True).out)
    assert said["index"]["state"] == "unanswered"
    assert said["index"]["project_listed"] is None
    assert said["index"]["reason"] == "HTTP 401 Unauthorized"


def test_no_proxy_sends_a_local_index_past_a_dead_proxy(
    project: Project, index_server: IndexServer
) -> None:
    """astral-sh/uv#2021 (https://github.com/astral-sh/uv/issues/2021): behind a corporate
    proxy some indexes are reached directly; `NO_PROXY` must be honoured, not only
    `HTTP_PROXY`. Here http_proxy names a port nobody listens on and NO_PROXY names the
    index's host: the index is asked directly, and its answer (0.2.1 is taken) refuses."""
    base = index_server.base()
    index_server.serve(base + "widget/", json_page("widget", [json_file("widget-0.2.1.tar.gz")]))
    _online(project, base)
    dead = f"http://127.0.0.1:{free_port()}"
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        project.env[name] = project.env[name.upper()] = dead
    project.env["no_proxy"] = project.env["NO_PROXY"] = "localhost,127.0.0.1"
    before = project.snapshot()
    run = project.bump("patch", "--dry-run", subprocess=True)
    assert run.code == 1, run.err
    assert "widget 0.2.1 is already on the package index (widget-0.2.1.tar.gz)" in run.err
    assert len(index_server.requests(base + "widget/")) == 1
    assert project.snapshot() == before


def test_the_proxy_in_the_environment_is_the_way_to_the_index(
    project: Project, index_server: IndexServer
) -> None:
    """astral-sh/uv#14104 (https://github.com/astral-sh/uv/issues/14104) and #7243: where the
    network has no route out, `HTTP_PROXY` is the only way to the index. Here index_url
    names a host that does not exist (`.invalid`, RFC 2606) and http_proxy our server,
    which answers the proxied request (its absolute URI): the release learns through it
    that 0.2.1 is taken."""
    index_url = f"http://pypi.invalid/{os.urandom(6).hex()}/simple/"
    page = json_page("widget", [json_file("widget-0.2.1-py3-none-any.whl")])
    index_server.routes[index_url + "widget/"] = lambda: page  # as a proxy is asked
    _online(project, index_url)
    proxy = f"http://127.0.0.1:{index_server.port}"
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        project.env[name] = project.env[name.upper()] = proxy
    project.env["no_proxy"] = project.env["NO_PROXY"] = ""
    run = project.bump("patch", "--dry-run", "--json", subprocess=True)
    assert run.code == 1, run.err
    said = json.loads(run.out)
    assert said["index"]["state"] == "published"
    assert said["index"]["files"][0]["filename"] == "widget-0.2.1-py3-none-any.whl"
    assert [seen.path for seen in index_server.seen].count(index_url + "widget/") == 1


def test_a_pre_release_sdist_spelt_the_semver_way_is_that_pre_release(
    project: Project, index_server: IndexServer
) -> None:
    """python-semver/python-semver#218 (https://github.com/python-semver/python-semver/
    issues/218): a release candidate uploaded to a test index first ("rc1 is already taken
    by TestPyPI"), spelt the SemVer way, then the final. An index keeps the file name it
    was given (devpi, Artifactory, old PyPI uploads): `widget-0.3.0-rc.1.tar.gz`, whose
    version is 0.3.0rc1 in PEP 440's normal form, as pip reads it. So the final 0.3.0 is
    free (`bump minor`), and 0.3.0rc1 (`bump minor --pre rc`) is taken."""
    base = index_server.base()
    anchors = [
        '<a href="../../f/widget-0.2.0.tar.gz">widget-0.2.0.tar.gz</a>',
        '<a href="../../f/widget-0.3.0-rc.1.tar.gz">widget-0.3.0-rc.1.tar.gz</a>',
    ]
    index_server.serve(base + "widget/", html_page("widget", anchors))
    _online(project, base)
    final = project.bump("minor", "--dry-run", "--json")
    assert final.code == 0, final.err  # actual: refused, "widget 0.3.0 is already on ..."
    assert json.loads(final.out)["index"]["state"] == "not_published"
    candidate = project.bump("minor", "--pre", "rc", "--dry-run", "--json")
    assert candidate.code == 1, candidate.out  # actual: 0, the rc1 taken is not seen
    assert json.loads(candidate.out)["index"]["state"] == "published"


# -- (b) the output read by scripts: pipes, --json, signals ---------------------------------


@linux_only
def test_an_index_that_never_answers_costs_a_piped_release_its_deadline_only(
    project: Project, index_server: IndexServer
) -> None:
    """crate-ci/cargo-release#429 (https://github.com/crate-ci/cargo-release/issues/429) and
    release-plz/release-plz#1015 (https://github.com/release-plz/release-plz/issues/1015):
    the question to the registry index never finished, and the release waited on it (five
    minutes, or for ever). Here the index accepts the connection and never answers; the
    release runs as a script runs it (`bump patch --yes --json | jq`, both streams pipes):
    its output ends once the deadline has passed (no child of bump holds the pipe), the
    release goes out with the index said unanswered, and no process of bump's is left."""
    base = index_server.base()
    index_server.serve(base + "widget/", Page(hang=True))
    _online(project, base)
    started = time.monotonic()
    proc = start_bump(project, "patch", "--yes", "--json")
    out, err = proc.communicate(timeout=30)
    took = time.monotonic() - started
    assert proc.returncode == 0, err
    said = json.loads(out)
    assert said["ok"] is True and said["pushed"] is True
    assert said["index"]["state"] == "unanswered"
    assert said["index"]["reason"] == "no answer within 5 s"
    assert took < 10  # the deadline (5 s) and bump's own work, not the index's 60 s hold
    assert project.remote_git("tag").split() == ["v0.2.1"]
    assert _session(proc.pid) == []


@linux_only
def test_json_stdout_holds_the_json_only_whatever_hooks_and_git_print(
    project: Project, pypi: Pypi
) -> None:
    """commitizen-tools/commitizen#735 (https://github.com/commitizen-tools/commitizen/pull/
    735): `cz bump --changelog-to-stdout > body.md` got `git commit`'s own output mixed into
    the file; commitizen#334 planned to move bump's talk to stderr. Here git's pre-commit
    hook and a before_commit hook write to stdout and stderr, the index answers through
    the forked child: stdout is exactly one JSON object, and says what the index said."""
    pypi.add("chatty-widget", "0.2.0")
    _online(
        project,
        pypi.url,
        name="chatty-widget",
        extra="before_commit = [['sh', '-c', 'echo hook-out; echo hook-err >&2; "
        "touch .git/before-commit-ran']]\n",
    )
    project.hook(
        "pre-commit", "echo pre-commit-out\necho pre-commit-err >&2\ntouch .git/pre-commit-ran\n"
    )
    run = project.bump("patch", "--yes", "--json", subprocess=True)
    assert run.code == 0, run.err
    said = json.loads(run.out)  # the whole of stdout: one object, nothing around it
    assert run.out.startswith("{") and run.out.endswith("}\n")
    assert said["new_version"] == "0.2.1" and said["tag"] == "v0.2.1"
    assert said["index"]["state"] == "not_published"
    assert said["index"]["versions"] == ["0.2.0"]
    assert (project.root / ".git" / "before-commit-ran").exists()  # both hooks ran
    assert (project.root / ".git" / "pre-commit-ran").exists()
    assert "hook-out\n" not in run.out and "pre-commit-out" not in run.out


def _asking(
    project: Project, index_server: IndexServer
) -> tuple[subprocess.Popen[str], str, dict[str, object]]:
    """`bump patch --yes` started (a session of its own) on a project whose index never
    answers, once it is in its checks waiting on that question: the process, what it wrote
    on stderr so far, and the snapshot from before."""
    base = index_server.base()
    index_server.serve(base + "widget/", Page(hang=True))
    _online(project, base)
    before = project.snapshot()
    proc = start_bump(project, "patch", "--yes")
    assert proc.stderr is not None
    said = b""
    while b"checking the repository" not in said:  # its signal handlers are bump's own now
        chunk = os.read(proc.stderr.fileno(), 4096)  # not the text wrapper: nothing buffered
        assert chunk, said
        said += chunk
    _wait_for(lambda: index_server.requests(base + "widget/"))
    time.sleep(0.4)  # the remote's fetch is done: bump waits on the index's answer
    return proc, said.decode(), before


@linux_only
@pytest.mark.parametrize(
    ("signum", "codes"),
    [
        (signal.SIGINT, (1, 130)),  # Ctrl-C on a terminal: the whole foreground group
        (signal.SIGTERM, (1,)),  # a CI runner cancelling the job's process group
    ],
)
def test_a_signal_while_the_index_is_asked_ends_bump_at_once(
    project: Project, index_server: IndexServer, signum: int, codes: tuple[int, ...]
) -> None:
    """googlefonts/fontations#1620 (https://github.com/googlefonts/fontations/pull/1620):
    people pressed Ctrl-C while `cargo release publish` waited on the crates.io index, and
    the release flow broke half way; rust-lang/cargo#15632 stopped telling users to Ctrl-C
    there "without knowing consequences". Here Ctrl-C (or a job's SIGTERM) reaches bump's
    process group while bump waits on an index that never answers: bump ends at once (not
    at the deadline), with one line and no traceback, nothing changed, no process left."""
    proc, said, before = _asking(project, index_server)
    sent = time.monotonic()
    os.killpg(proc.pid, signum)
    _out, err = proc.communicate(timeout=30)
    took = time.monotonic() - sent
    err = said + err
    assert proc.returncode in codes, err
    assert took < 3.5, took  # not the child's 5 s, on a busy machine too
    assert "Traceback" not in err
    assert _one_line(err) == ["error: Interrupted; nothing was changed."], err
    assert project.snapshot() == before
    _wait_for(lambda: _session(proc.pid) == [], seconds=3)


@linux_only
def test_sigterm_to_bump_alone_while_the_index_is_asked_ends_it_at_once(
    project: Project, index_server: IndexServer
) -> None:
    """The same reports, with `kill PID` as a script or a supervisor sends it: SIGTERM to
    bump's own process, not to its group (the forked child that asks the index gets none).
    bump must end at once all the same (here: within 3.5 s), and take its child with it."""
    proc, said, before = _asking(project, index_server)
    proc.send_signal(signal.SIGTERM)
    try:
        _out, err = proc.communicate(timeout=3.5)
    except subprocess.TimeoutExpired:
        proc.kill()  # its child ends by itself, when its own network timeout lets it go
        proc.communicate(timeout=30)
        pytest.fail("bump still ran 3.5 s after SIGTERM")
    err = said + err
    assert proc.returncode == 1, err
    assert _one_line(err) == ["error: Interrupted; nothing was changed."], err
    assert project.snapshot() == before
    _wait_for(lambda: _session(proc.pid) == [], seconds=3)


@linux_only
def test_bump_killed_while_the_index_is_asked_holds_no_pipe_and_leaves_no_journal(
    project: Project, index_server: IndexServer
) -> None:
    """pksunkara/cargo-workspaces#13 (https://github.com/pksunkara/cargo-workspaces/issues/
    13): a publish that failed or was interrupted (its Ctrl-C handler called
    process::exit, so no undo ran) left the repository half released, to be undone by hand
    before trying again. Here bump is SIGKILLed (an OOM killer, `kill -9`) while it asks the
    index: its reader (`| cat`) sees the end of the output at once, as its question's child
    holds none of bump's pipes; nothing was written yet, so nothing is left to recover, and
    the next release runs."""
    proc, _said, before = _asking(project, index_server)
    sent = time.monotonic()
    proc.kill()
    proc.communicate(timeout=30)
    assert time.monotonic() - sent < 3.5  # EOF on both pipes: no child holds them
    assert proc.returncode == -signal.SIGKILL
    assert project.snapshot() == before  # no journal, no lock, no tag
    project.env["CUTRELEASE_OFFLINE"] = "1"
    again = project.bump("patch", "--yes")
    assert again.code == 0, again.err
    assert project.remote_git("tag").split() == ["v0.2.1"]


# -- (c) the journal, recover, and bump check -----------------------------------------------


def test_a_release_killed_after_its_tag_is_recovered_and_run_again(
    project: Project, pypi: Pypi
) -> None:
    """commitizen-tools/commitizen-action#89 (https://github.com/commitizen-tools/
    commitizen-action/issues/89): a workflow whose `cz bump` failed part way could not be
    re-run: the re-run made its commit, then stopped on "fatal: tag '0.4.0' already
    exists". Here the release is
    SIGKILLed just after its tag (the index asked and answered by then): every release
    refuses naming `bump recover` rather than tripping on its own tag; `bump recover`
    gives back the repository byte for byte; the same release then goes out."""
    pypi.add("rerun-widget", "0.2.0")
    _online(project, pypi.url, name="rerun-widget")
    before = project.snapshot()
    project.kill_at("tag")
    assert project.git("tag").split() == ["v0.2.1"]  # the kill left it
    refused = project.bump("patch", "--yes", "--json")
    assert refused.code == 1
    assert "bump recover" in json.loads(refused.out)["error"]
    assert "already exists" not in refused.out
    recovered = project.bump("recover")
    assert recovered.code == 0, recovered.err
    assert project.snapshot() == before
    run = project.bump("patch", "--yes", "--json", subprocess=True)
    assert run.code == 0, run.err
    assert json.loads(run.out)["index"]["state"] == "not_published"
    assert project.remote_git("tag").split() == ["v0.2.1"]


def test_a_stale_version_copy_is_refused_before_anything_and_check_lists_it(
    project: Project,
) -> None:
    """callowayproject/bump-my-version#199 (https://github.com/callowayproject/
    bump-my-version/issues/199): bump-my-version failed on "Did not find '__version__ =
    "0.1.4"'" and still made its commit and tag. Here `__version__` disagrees with the
    project's version: the release is refused before anything is written (nothing to
    undo, no commit, no tag), naming `path:line`, and `bump check` lists that problem
    along with the others it finds (a fragment of unknown type), exit 1."""
    project.write("src/widget/__init__.py", '"""The widget."""\n\n__version__ = "0.1.9"\n')
    project.write("changelog.d/7.improvement.md", "Faster widgets.\n")
    project.commit_all("a stale copy, and a fragment of no known type")
    project.push()
    before = project.snapshot()
    run = project.bump("patch", "--yes", "--json")
    assert run.code == 1
    assert "src/widget/__init__.py:3" in json.loads(run.out)["error"]
    assert project.snapshot() == before
    checked = project.bump("check")
    assert checked.code == 1
    listed = checked.out + checked.err
    assert "src/widget/__init__.py:3:" in listed
    assert "changelog.d/7.improvement.md" in listed
    assert project.snapshot() == before
