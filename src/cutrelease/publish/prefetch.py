"""The release's question to the package index, started as bump starts, in a child process.

A release asks the index (SPEC section 12) as soon as it has read the project; by then bump
has spent most of its start-up importing itself. The index is the slowest thing a release
asks (a round trip to PyPI), and the HTTP client it needs (urllib.request, ssl, email) costs
more to import than the whole question: asked from a thread, that import holds the
interpreter's lock the release itself needs. So `bump patch|minor|...` run in the
repository's top folder starts the question at once (`start`, from `__main__`), in a Python
process of its own on another core, from the few facts it needs read with tomllib; the
release's facts stage then takes the answer (`take`) if it asked the same page, or asks
itself as before. Anything unusual (a package named with -p, another folder, --offline, a
setting it cannot read, Python 3.10 without tomllib) is left to the release: it never asks a
page the release would not have asked.
"""

from __future__ import annotations

# Only what every command has imported already: `bump version` and `bump check-tag` pass
# through `start` too, and the child process imports this module first.
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import subprocess
    from pathlib import Path

#: The release commands (cli._RELEASES, `auto`) and an explicit version start the question.
_COMMANDS = frozenset({"patch", "minor", "major", "alpha", "beta", "rc", "stable", "auto"})
#: Options that choose another package or folder, or no index at all: no question here.
_ELSEWHERE = ("-p", "--package", "-C", "--all", "--changed", "--offline", "--help", "-h")
#: CUTRELEASE_OFFLINE values that leave the index on (click's false words, and unset).
_ONLINE = frozenset({"", "0", "false", "f", "no", "n", "off"})
#: The child: fetch the page and print the answer as JSON (see _encode).
#: The question goes in on stdin, never in the arguments: an index_url's credentials would
#: be readable in the process list by every user of the machine.
_CHILD = "from cutrelease.publish import prefetch\nprefetch.child()\n"

_asked: tuple[str, str, float, subprocess.Popen[bytes]] | None = None


def start(argv: list[str], cwd: Path | None = None) -> None:
    """Start the index question of the release `argv` (bump's arguments) asks, if it is one
    run in the repository's top folder `cwd` (default: the current folder); else do nothing.
    Never raises."""
    global _asked
    if not _releases(argv):  # the other commands pay for this line only
        return
    try:
        import json
        import subprocess
        import time
        from pathlib import Path

        wanted = _question(argv, cwd or Path.cwd())
        if wanted is None:
            return
        url, name, deadline = wanted
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert child.stdin is not None
        with child.stdin:  # a few hundred bytes: never more than the pipe holds
            child.stdin.write(json.dumps([url, name, deadline]).encode())
        child.stdin = None  # closed: communicate() must not flush it
    except Exception:  # a question not asked early is asked later, as always
        return
    _asked = (url, name, time.monotonic() + deadline, child)


def take(url: str, name: str) -> Any | None:
    """The answer (a listing.Answer) of the question `start` asked, if it asked `url`'s
    project page for `name` (PEP 503's normalized name); None if it asked nothing or another
    page (the caller asks itself). Waits at most until the question's deadline."""
    global _asked
    if _asked is None:
        return None
    import subprocess
    import time

    asked_url, asked_name, until, child = _asked
    _asked = None
    if (asked_url, asked_name) != (url, name):
        child.kill()
        child.wait()
        return None
    from cutrelease.publish.listing import DEADLINE, Unanswered, shown

    try:
        out, _ = child.communicate(timeout=max(0.0, until - time.monotonic()))
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        return Unanswered(shown(url), f"no answer within {DEADLINE:g} s")
    return _decode(out, shown(url))


def stop() -> None:
    """End a question nobody took (the command ended before it needed the answer)."""
    global _asked
    if _asked is not None:
        _asked[3].kill()
        _asked[3].wait()
        _asked = None


def _releases(argv: list[str]) -> bool:
    """Whether bump's arguments `argv` name a release command (or version) first."""
    command = next((word for word in argv if not word.startswith("-")), None)
    return command is not None and (command in _COMMANDS or command.lstrip("vV")[:1].isdigit())


def _question(argv: list[str], cwd: Path) -> tuple[str, str, float] | None:
    """(project page URL, normalized name, deadline) of the index question of `argv`, when
    a release run in the top folder `cwd` asks it; None when in doubt."""
    if not _releases(argv):
        return None
    if any(arg.split("=", 1)[0] in _ELSEWHERE for arg in argv):
        return None
    if os.environ.get("CUTRELEASE_OFFLINE", "").strip().lower() not in _ONLINE:
        return None
    if not (cwd / ".git").exists():  # not the top folder: the release finds the project
        return None
    data = _pyproject(cwd / "pyproject.toml")
    if data is None:
        return None
    settings = data.get("tool", {}).get("cutrelease", {})
    if settings.get("index_check", True) is not True or "project" not in data:
        return None  # poetry's [tool.poetry] alone, too: the release reads it
    name = data["project"].get("name")
    from cutrelease.publish.listing import DEADLINE, DEFAULT_URL, normalized, project_url

    index_url = settings.get("index_url", DEFAULT_URL)
    if not isinstance(name, str) or not isinstance(index_url, str):
        return None
    return project_url(index_url, name), normalized(name), DEADLINE


def _pyproject(path: Path) -> dict[str, Any] | None:
    """pyproject.toml as data; None on Python 3.10 (no tomllib: tomlkit costs more than the
    early question saves)."""
    if sys.version_info >= (3, 11):
        import tomllib

        with open(path, "rb") as file:
            return tomllib.load(file)
    return None  # pragma: no cover - Python 3.10


def child() -> None:
    """The child process's work: read the question (URL, name, deadline) on stdin, fetch the
    page and print the Answer as JSON."""
    import json

    from cutrelease.publish import simple

    url, name, deadline = json.loads(sys.stdin.read())

    try:
        answer = simple.fetch(url, name, timeout=deadline)
    except Exception as exc:  # an answer, never a traceback nobody reads
        from cutrelease.publish.listing import Unanswered, shown
        from cutrelease.redact import redact

        answer = Unanswered(shown(url), redact(f"{type(exc).__name__}: {exc}"))
    sys.stdout.write(json.dumps(_encode(answer)))


def _encode(answer: Any) -> dict[str, Any]:
    from cutrelease.publish.listing import NotPublished, Published, Unanswered

    if isinstance(answer, Unanswered):
        return {"answer": "unanswered", "url": answer.url, "reason": answer.reason}
    kind = "published" if isinstance(answer, Published) else "not-published"
    assert isinstance(answer, (Published, NotPublished))
    return {
        "answer": kind,
        "url": answer.url,
        "files": [[f.filename, f.version, f.kind, f.yanked] for f in answer.files],
        "versions": list(answer.listed_versions),
    }


def _decode(out: bytes, url: str) -> Any:
    """The Answer the child printed; Unanswered if it printed none (it died)."""
    import json

    from cutrelease.publish.listing import IndexFile, NotPublished, Published, Unanswered

    try:
        said = json.loads(out)
        if said["answer"] == "unanswered":
            return Unanswered(said["url"], said["reason"])
        files = tuple(IndexFile(*fields) for fields in said["files"])
        made = Published if said["answer"] == "published" else NotPublished
        return made(said["url"], files, tuple(said["versions"]))
    except (ValueError, KeyError, TypeError):
        return Unanswered(url, "the question to the index ended without an answer")
