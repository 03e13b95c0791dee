"""The release's question to the package index, started as bump starts.

A release asks the index (SPEC section 12) as soon as it has read the project; by then bump
has spent most of its start-up importing itself, and the index is the slowest thing a
release asks (DNS, TLS and a round trip to PyPI). So `bump patch|minor|...` run in the
repository's top folder starts the question at once (`start`, from `__main__`), from the
few facts it needs read with tomllib, in index.Asking's thread: the network's wait overlaps
bump's own start-up. The release's facts stage takes that question (`take`) when it would
ask the same page, or asks itself as before. Anything unusual (a package named with -p,
another folder, --offline, a setting it cannot read, Python 3.10 without tomllib) is left to
the release, so that no page is asked that the release would not ask.

(A child process instead of the thread was measured slower: it imports Python and the HTTP
client anew, which costs more than the thread's share of the interpreter's lock.)
"""

from __future__ import annotations

# Only what every command has imported already: `bump version` and `bump check-tag` pass
# through `start` too.
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from cutrelease.publish.index import Asking

#: The release commands (commands.shared.RELEASING) and an explicit version start the question.
_COMMANDS = frozenset({"patch", "minor", "major", "alpha", "beta", "rc", "stable", "auto"})
#: Options that choose another package or folder, or no index at all: no question here.
_ELSEWHERE = ("-p", "--package", "-C", "--all", "--changed", "--offline", "--help", "-h")
#: CUTRELEASE_OFFLINE values that leave the index on (click's false words, and unset).
_ONLINE = frozenset({"", "0", "false", "f", "no", "n", "off"})

_asked: tuple[str, str, Asking] | None = None


def start(argv: list[str], cwd: Path | None = None) -> None:
    """Start the index question of the release `argv` (bump's arguments) asks, if it is one
    run in the repository's top folder `cwd` (default: the current folder); else do nothing.
    Never raises."""
    global _asked
    if not _releases(argv):  # the other commands pay for this line only
        return
    try:
        from pathlib import Path

        wanted = _question(argv, cwd or Path.cwd())
        if wanted is not None:
            from cutrelease.publish.index import Asking

            url, name, deadline = wanted
            _asked = (url, name, Asking(url, name, deadline))
    except Exception:  # a question not asked early is asked later, as always
        _asked = None


def take(url: str, name: str) -> Asking | None:
    """The question `start` asked, if it asked `url`'s project page for `name` (PEP 503's
    normalized name); None if it asked nothing or another page (the caller asks itself)."""
    global _asked
    asked, _asked = _asked, None
    if asked is None or asked[:2] != (url, name):
        return None
    return asked[2]


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
