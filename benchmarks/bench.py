"""Time `bump` against its peers on a sample and a large project; print one markdown table."""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".venv"
RUNS = 5
PEERS = {
    "tbump": "tbump",
    "bump-my-version": "bump-my-version",
    "commitizen": "cz",
    "bumpver": "bumpver",
}
NAME, EMAIL = "Bench", "bench@example.com"
# The dependencies in pyproject.toml, imported as a dry run imports them.
DEPS_IMPORT = "import click, tomlkit, packaging.version, jinja2"
RSS_LIMIT_MB = 60.0

WORKSPACE_MEMBERS = 50
WORKSPACE_SEVERAL = 10  # the members released at once, beside one member's release
LARGE_COMMITS = 20_000
LARGE_TAGS = 5_000
LARGE_SECTIONS = 2_000
BULLETS_PER_SECTION = 9
# Changelog sizes for the growth measurement: each twice the one before.
SCALE_SECTIONS = (250, 500, 1_000, 2_000)
GROWTH_LIMIT = 2.5  # per doubling of the changelog: linear is 2x, quadratic 4x
# git commands that list every tag or walk the history: none may run in a dry run.
LISTING = {"for-each-ref", "rev-list", "log", "show-ref", "describe", "tag", "name-rev", "branch"}

# ---------------------------------------------------------------- the sample project's files

PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "widget"
version = "{version}"
description = "A sample project for the cutrelease benchmark."
requires-python = ">=3.10"
dependencies = ["click>=8.1"]
"""

CHANGELOG_HEAD = """\
# Changelog

All notable changes to this project will be documented in this file.

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),
and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).

## [Unreleased]

"""

UNRELEASED = """\
### Fixed

- A fix.

"""

CHANGELOG_BODY = """\
## [0.2.0] - 2026-01-10

### Added

- The widget.

## [0.1.0] - 2025-12-01

### Added

- A start.

[Unreleased]: https://github.com/acme/widget/compare/v0.2.0...HEAD
[0.2.0]: https://github.com/acme/widget/compare/v0.1.0...v0.2.0
[0.1.0]: https://github.com/acme/widget/releases/tag/v0.1.0
"""

SECURITY = """\
# Security Policy

## Supported Versions

Only the latest minor line gets security fixes.

| Version | Supported          |
| ------- | ------------------ |
| {line}.x   | :white_check_mark: |
| < {line}   | :x:                |

## Reporting a Vulnerability

Email security@example.com.
"""

TBUMP = r"""[version]
current = "0.2.0"
regex = '''
  (?P<major>\d+)
  \.
  (?P<minor>\d+)
  \.
  (?P<patch>\d+)
  '''

[git]
message_template = "chore(release): v{new_version}"
tag_template = "v{new_version}"

[[file]]
src = "pyproject.toml"
search = '^version = "{current_version}"'
"""

BUMPVERSION = r"""[tool.bumpversion]
current_version = "0.2.0"
commit = true
tag = true
tag_name = "v{new_version}"
tag_message = "v{new_version}"
message = "chore(release): v{new_version}"

[[tool.bumpversion.files]]
filename = "pyproject.toml"
search = 'version = "{current_version}"'
replace = 'version = "{new_version}"'

[[tool.bumpversion.files]]
filename = "CHANGELOG.md"
search = "## [Unreleased]"
replace = "## [Unreleased]\n\n## [{new_version}] - {now:%Y-%m-%d}"

[[tool.bumpversion.files]]
filename = "CHANGELOG.md"
search = "compare/v{current_version}...HEAD"
replace = "compare/v{new_version}...HEAD\n[{new_version}]: https://github.com/acme/widget/compare/v{current_version}...v{new_version}"
"""

COMMITIZEN = """\
[tool.commitizen]
name = "cz_conventional_commits"
tag_format = "v$version"
version_scheme = "semver"
version_provider = "pep621"
update_changelog_on_bump = false
"""

BUMPVER = """\
[bumpver]
current_version = "v0.2.0"
version_pattern = "vMAJOR.MINOR.PATCH"
commit_message = "chore(release): {new_version}"
tag_message = "{new_version}"
commit = true
tag = true
push = false

[bumpver.file_patterns]
"bumpver.toml" = ['current_version = "{version}"']
"pyproject.toml" = ['^version = "{pep440_version}"']
"""

# The same release by hand: POSIX sed (backslash-newline in the replacement) and plain git.
RELEASE_SH = r"""set -e
today=$(date +%Y-%m-%d)
sed 's/^version = "0\.2\.0"$/version = "0.2.1"/' pyproject.toml > pyproject.toml.new
mv pyproject.toml.new pyproject.toml
sed -e 's/^## \[Unreleased\]$/## [Unreleased]\
\
## [0.2.1] - '"$today"'/' \
    -e 's#^\[Unreleased\]: \(.*\)/v0\.2\.0\.\.\.HEAD$#[Unreleased]: \1/v0.2.1...HEAD\
[0.2.1]: \1/v0.2.0...v0.2.1#' CHANGELOG.md > CHANGELOG.md.new
mv CHANGELOG.md.new CHANGELOG.md
git commit -q -am "chore(release): v0.2.1"
git tag -a v0.2.1 -m v0.2.1
git push -q --atomic origin main v0.2.1
"""

RSS_PROBE = """\
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, capture_output=True).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


# Times, inside one process, the work that grows with the changelog, as a release does it:
# the file's bytes decoded, parsed whole, the release section and its links cut, the new text
# encoded, and the diff the dry run prints of the two texts (the plan hands them to it:
# FileEdit.texts). Median of 7 runs per size, the sizes in alternation (as `measure` runs its
# cases); each run on a text with a different first line, so that no parse is reused from a
# cache; the cyclic collector is off, as in the bump command.
SCALE_PROBE = """\
import datetime, gc, json, statistics, sys, time
gc.disable()
from cutrelease.files import changelog
from cutrelease.release import preview
from cutrelease.release.plan import FileEdit
from cutrelease.templates import make_renderer
job = json.load(sys.stdin)
render = make_renderer(None)
raws = {sections: text.encode() for sections, text in job["texts"].items()}
times = {sections: [] for sections in raws}
for run in range(8):
    for sections, raw in raws.items():
        raw = raw.replace(b"# Changelog", b"# Changelog (%d)" % run, 1)
        start = time.perf_counter()
        text = raw.decode("utf-8")
        after = changelog.release(
            text, version=job["new"], previous_version=job["old"],
            date=datetime.date(2026, 1, 1), tag_prefix="v",
            web_url="https://github.com/acme/big", render=render, path="CHANGELOG.md",
        )
        edit = FileEdit("CHANGELOG.md", raw, after.encode("utf-8"), texts=(text, after))
        preview.file_diff(edit)
        if run:  # the first run also compiles the templates
            times[sections].append((time.perf_counter() - start) * 1000)
print(json.dumps({sections: statistics.median(each) for sections, each in times.items()}))
"""


class BenchError(Exception):
    """A command under test failed, or the benchmark could not set itself up."""


def note(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def last_line(text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:160] if lines else "(no output)"


# ---------------------------------------------------------------- virtual environments


@dataclass
class Tool:
    """One virtual environment under CACHE with one distribution installed in it."""

    dist: str
    venv: Path
    version: str = ""
    error: str = ""

    def bin(self, command: str) -> str:
        return str(self.venv / "bin" / command)


def pip_install(venv: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    python = str(venv / "bin" / "python")
    command = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args]
    return subprocess.run(command, capture_output=True, check=False)


def dist_version(venv: Path, dist: str) -> str:
    code = f"from importlib.metadata import version; print(version({dist!r}))"
    done = subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True)
    return done.stdout.decode().strip()


def install(dist: str, requirement: str, *, always: bool) -> Tool:
    """Install requirement into its own venv (once for peers; every run for this repository)."""
    tool = Tool(dist, CACHE / dist)
    marker = tool.venv / ".bench-installed"
    if always or not marker.exists():
        note(f"installing {dist} into {tool.venv.relative_to(ROOT)}")
        if not (tool.venv / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(tool.venv)], check=True)
        extra = ["--force-reinstall"] if always else []
        done = pip_install(tool.venv, *extra, requirement)
        if done.returncode != 0:
            tool.error = f"pip install failed: {last_line(done.stderr)}"
            note(f"{dist}: {tool.error}")
            return tool
        marker.write_text(requirement + "\n")
    tool.version = dist_version(tool.venv, dist)
    return tool


def install_tools() -> dict[str, Tool]:
    """One venv per tool: the peers pin versions of shared deps that conflict (tbump: tomlkit)."""
    tools = {"cutrelease": install("cutrelease", str(ROOT), always=True)}
    if tools["cutrelease"].error:
        raise BenchError(f"cannot install this repository: {tools['cutrelease'].error}")
    for dist in PEERS:
        tools[dist] = install(dist, dist, always=False)
    return tools


# ---------------------------------------------------------------- projects under test


def isolate_environment(home: Path) -> None:
    """Same git identity and config for every tool; no colour; nothing from the caller's env."""
    home.mkdir(parents=True)
    (home / ".gitconfig").write_text(
        f"[user]\n\tname = {NAME}\n\temail = {EMAIL}\n[init]\n\tdefaultBranch = main\n"
    )
    for name in list(os.environ):
        if name.startswith(("GIT_", "PYTHON")) or name in ("VIRTUAL_ENV", "XDG_CONFIG_HOME"):
            del os.environ[name]
    os.environ.update(
        HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME=NAME,
        GIT_AUTHOR_EMAIL=EMAIL,
        GIT_COMMITTER_NAME=NAME,
        GIT_COMMITTER_EMAIL=EMAIL,
        NO_COLOR="1",
        TERM="dumb",
        # Never the real PyPI: only the index group asks an index, one of its own on 127.0.0.1.
        CUTRELEASE_OFFLINE="1",
    )


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"git {' '.join(args[:2])} failed in {cwd}: {last_line(done.stderr)}")
    return done.stdout.decode()


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_text(text)


def add_remote(work: Path, remote: Path) -> None:
    git(work, "remote", "add", "origin", str(remote))
    git(work, "fetch", "-q", "origin")
    git(work, "branch", "-q", "--set-upstream-to=origin/main")


def settle(work: Path) -> None:
    """Let the work tree's files age past its index, as a user's have.

    A file written in the same second as the index is "racily clean" to git: every
    `git status` hashes it again (2 MB for the large changelog or lock), which no user's
    release pays. A second's wait and a refresh make the index newer than the files.
    """
    time.sleep(1.1)
    git(work, "update-index", "-q", "--really-refresh")


def make_sample(folder: Path) -> Path:
    """The small project at 0.2.0 with every peer's config, pushed to a bare `origin`."""
    work, remote = folder / "work", folder / "remote.git"
    folder.mkdir(parents=True)
    git(folder, "init", "-q", "--bare", "-b", "main", str(remote))
    git(folder, "init", "-q", "-b", "main", str(work))
    write(
        work,
        {
            "pyproject.toml": PYPROJECT.format(version="0.2.0"),
            "CHANGELOG.md": CHANGELOG_HEAD + CHANGELOG_BODY,
            "SECURITY.md": SECURITY.format(line="0.2"),
            "tbump.toml": TBUMP,
            ".bumpversion.toml": BUMPVERSION,
            ".cz.toml": COMMITIZEN,
            "bumpver.toml": BUMPVER,
        },
    )
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "feat: the widget")
    git(work, "tag", "-a", "v0.2.0", "-m", "v0.2.0")
    write(work, {"CHANGELOG.md": CHANGELOG_HEAD + UNRELEASED + CHANGELOG_BODY})
    git(work, "commit", "-q", "-am", "fix: a fix")
    git(work, "push", "-q", str(remote), "main", "v0.2.0")
    add_remote(work, remote)
    settle(work)
    return work


def make_locked(folder: Path, sample: Path, packages: int) -> Path:
    """A copy of the sample project with a uv.lock of `packages` packages (its own entry one)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from uvlock import lock_text  # the lock generator beside this script

    folder.mkdir(parents=True)
    remote = folder / "remote.git"
    git(folder, "clone", "-q", "--bare", str(sample.parent / "remote.git"), str(remote))
    work = folder / "work"
    git(folder, "clone", "-q", str(remote), str(work))
    write(work, {"uv.lock": lock_text(packages)})
    git(work, "add", "uv.lock")
    git(work, "commit", "-q", "-m", "uv lock")
    git(work, "push", "-q", "origin", "main")
    settle(work)
    return work


def make_indexed(folder: Path, sample: Path, index_url: str) -> Path:
    """A copy of the sample project whose [tool.cutrelease].index_url is a local index."""
    folder.mkdir(parents=True)
    remote = folder / "remote.git"
    git(folder, "clone", "-q", "--bare", str(sample.parent / "remote.git"), str(remote))
    work = folder / "work"
    git(folder, "clone", "-q", str(remote), str(work))
    pyproject = (work / "pyproject.toml").read_text()
    write(work, {"pyproject.toml": f'{pyproject}\n[tool.cutrelease]\nindex_url = "{index_url}"\n'})
    git(work, "commit", "-q", "-am", "a local index")
    git(work, "push", "-q", "origin", "main")
    settle(work)
    return work


class LocalIndex:
    """A PEP 691 index on 127.0.0.1 in a thread of this process: widget's page lists 0.1.0
    and 0.2.0 (sdist and wheel each), as a small project's page on PyPI does."""

    def __init__(self) -> None:
        import http.server
        import threading

        files = [
            f"widget-{v}{ext}"
            for v in ("0.1.0", "0.2.0")
            for ext in (".tar.gz", "-py3-none-any.whl")
        ]
        page = json.dumps(
            {
                "meta": {"api-version": "1.1"},
                "name": "widget",
                "files": [{"filename": f, "url": f"../../f/{f}", "hashes": {}} for f in files],
                "versions": ["0.1.0", "0.2.0"],
            }
        ).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                found = self.path == "/simple/widget/"
                body = page if found else b"not found"
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", "application/vnd.pypi.simple.v1+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/simple/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def index_cases(tools: dict[str, Tool], indexed: Path) -> list[Case]:
    """The dry run of a project whose index is asked (a local one) and of the same, offline."""
    bump = tools["cutrelease"].bin("bump")

    def here() -> Path:
        return indexed

    # Both through env(1), so that the exec it adds is on both sides of the ratio.
    return [
        Case(
            "index_dry",
            "bump patch --dry-run (a local index asked)",
            tools["cutrelease"],
            ["env", "CUTRELEASE_OFFLINE=0", bump, "patch", "--dry-run"],
            here,
        ),
        Case(
            "offline_dry",
            "bump patch --dry-run --offline (the same project)",
            tools["cutrelease"],
            ["env", "CUTRELEASE_OFFLINE=1", bump, "patch", "--dry-run"],
            here,
            short="the same, offline",
        ),
    ]


def member_name(n: int) -> str:
    return f"plugin-{n:02d}"


def workspace_lock(names: list[str]) -> str:
    """The uv.lock uv writes for a workspace of these members (all at 0.2.0, no dependencies)."""
    members = "".join(f'    "{name}",\n' for name in names)
    blocks = [
        f'version = 1\nrevision = 3\nrequires-python = ">=3.10"\n\n[manifest]\n'
        f"members = [\n{members}]\n"
    ]
    blocks += [
        f'[[package]]\nname = "{name}"\nversion = "0.2.0"\n'
        f'source = {{ editable = "packages/{name}" }}\n'
        for name in names
    ]
    return "\n".join(blocks)


def make_workspace(folder: Path, members: int = WORKSPACE_MEMBERS) -> Path:
    """A uv workspace of `members` packages, each at 0.2.0 with its own changelog, security
    policy, import package and tag NAME-v0.2.0, one uv.lock at the root, and its `origin`."""
    work, remote = folder / "work", folder / "remote.git"
    folder.mkdir(parents=True)
    git(folder, "init", "-q", "--bare", "-b", "main", str(remote))
    git(folder, "init", "-q", "-b", "main", str(work))
    names = [member_name(n) for n in range(members)]
    (work / "pyproject.toml").write_text('[tool.uv.workspace]\nmembers = ["packages/*"]\n')
    (work / "uv.lock").write_text(workspace_lock(names))
    for name in names:
        package = work / "packages" / name
        (package / "src" / name.replace("-", "_")).mkdir(parents=True)
        (package / "src" / name.replace("-", "_") / "__init__.py").write_text("")
        body = CHANGELOG_BODY.replace("/v0.", f"/{name}-v0.").replace("...v0.", f"...{name}-v0.")
        write(
            package,
            {
                "pyproject.toml": PYPROJECT.replace("widget", name).format(version="0.2.0"),
                "CHANGELOG.md": CHANGELOG_HEAD + UNRELEASED + body,
                "SECURITY.md": SECURITY.format(line="0.2"),
            },
        )
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "feat: the plugins")
    for name in names:
        git(work, "tag", "-a", f"{name}-v0.2.0", "-m", f"{name}-v0.2.0")
    git(work, "push", "-q", str(remote), "main", "--tags")
    add_remote(work, remote)
    settle(work)
    return work


def large_versions() -> list[str]:
    return [f"{k // 1000 + 1}.{k // 50 % 20}.{k % 50}" for k in range(LARGE_TAGS)]


def release_section(version: str, day: datetime.date, serial: int) -> str:
    bullets = "".join(
        f"- Fixed issue #{serial * 100 + n:06d}: the frobnicator now handles the case that "
        f"was reported there, with a test.\n"
        for n in range(BULLETS_PER_SECTION)
    )
    return f"## [{version}] - {day.isoformat()}\n\n### Fixed\n\n{bullets}\n"


def large_changelog(versions: list[str], sections: int = LARGE_SECTIONS) -> str:
    """Keep a Changelog with the newest `sections` releases, newest first, and links."""
    url = "https://github.com/acme/big/compare"
    start = datetime.date(2010, 1, 1)
    first = len(versions) - sections
    indexes = range(len(versions) - 1, first - 1, -1)
    bodies = [release_section(versions[k], start + datetime.timedelta(k), k) for k in indexes]
    links = [f"[Unreleased]: {url}/v{versions[-1]}...HEAD\n"]
    links += [f"[{versions[k]}]: {url}/v{versions[k - 1]}...v{versions[k]}\n" for k in indexes]
    return CHANGELOG_HEAD + UNRELEASED + "".join(bodies) + "".join(links)


def data(payload: str) -> str:
    return f"data {len(payload.encode())}\n{payload}\n"


def fast_import_stream(files: dict[str, str], versions: list[str]) -> bytes:
    """A linear history of LARGE_COMMITS commits, one annotated tag every fourth commit."""
    out: list[str] = []
    for i in range(1, LARGE_COMMITS + 1):
        when = f"{NAME} <{EMAIL}> {1_262_304_000 + i * 600} +0000"
        out.append(f"commit refs/heads/main\nmark :{i}\ncommitter {when}\n")
        out.append(data(f"fix: change {i}"))
        out.append(f"M 644 inline counter.txt\n{data(str(i))}")
        if i == LARGE_COMMITS:
            out.extend(f"M 644 inline {name}\n{data(text)}" for name, text in files.items())
    step = LARGE_COMMITS // LARGE_TAGS
    for k, version in enumerate(versions):
        mark = (k + 1) * step - 1
        when = f"{NAME} <{EMAIL}> {1_262_304_000 + mark * 600} +0000"
        out.append(f"tag v{version}\nfrom :{mark}\ntagger {when}\n{data('v' + version)}")
    return "".join(out).encode()


def make_large(folder: Path) -> Path:
    """20,000 commits, 5,000 tags, a 2 MB changelog with 2,000 releases, and its `origin`."""
    work, remote = folder / "work", folder / "remote.git"
    versions = large_versions()
    major, minor, _ = versions[-1].split(".")
    files = {
        "pyproject.toml": PYPROJECT.format(version=versions[-1]),
        "CHANGELOG.md": large_changelog(versions),
        "SECURITY.md": SECURITY.format(line=f"{major}.{minor}"),
    }
    folder.mkdir(parents=True)
    git(folder, "init", "-q", "-b", "main", str(work))
    git(work, "fast-import", "--quiet", stdin=fast_import_stream(files, versions))
    git(work, "reset", "-q", "--hard")
    git(folder, "clone", "-q", "--bare", str(work), str(remote))
    add_remote(work, remote)
    # Refs packed, as a repository of 20,000 commits has them: `git gc --auto` (run by git
    # after commits once loose objects pile up) packs them each time, and a clone writes them
    # packed. fast-import leaves 5,000 loose ref files, which every `git push` reads one by one.
    git(work, "pack-refs", "--all")
    settle(work)
    size = (work / "CHANGELOG.md").stat().st_size / 1e6
    tags = git(work, "tag").count("\n")
    commits = git(work, "rev-list", "--count", "HEAD").strip()
    note(f"large project: CHANGELOG.md {size:.2f} MB, {tags} tags, {commits} commits")
    return work


class Copier:
    """Fresh copies of a project and its remote, made outside the timed region."""

    def __init__(self, project: Path, into: Path) -> None:
        self.project, self.into, self.count = project, into, 0

    def __call__(self) -> Path:
        self.count += 1
        dest = self.into / f"copy{self.count}"
        shutil.copytree(self.project.parent, dest, symlinks=True)
        work = dest / self.project.name
        git(work, "remote", "set-url", "origin", str(dest / "remote.git"))
        return work


def has_tag(where: str, tag: str) -> Callable[[Path], bool]:
    """A check that the release tag exists in the work tree's repo or in its remote."""

    def check(work: Path) -> bool:
        repo = work if where == "local" else work.parent / "remote.git"
        ref = f"refs/tags/{tag}"
        command = ["git", "rev-parse", "-q", "--verify", ref]
        return subprocess.run(command, cwd=repo, capture_output=True, check=False).returncode == 0

    return check


# ---------------------------------------------------------------- measuring


@dataclass
class Case:
    key: str
    label: str
    tool: Tool
    argv: list[str]
    prepare: Callable[[], Path]
    verify: Callable[[Path], bool] | None = None
    short: str = ""  # the name used in the goal rows (default: label)
    expect: tuple[str, ...] = ()  # texts its output (stdout + stderr) must hold


@dataclass
class Result:
    label: str
    short: str = ""
    values: list[float] = field(default_factory=list)
    error: str = ""
    unit: str = "ms"
    text: str = ""  # a finding that is not a number (shown instead of the median)

    @property
    def median(self) -> float | None:
        return None if self.error or not self.values else statistics.median(self.values)


def run_case(case: Case) -> float:
    """One whole-process run in ms; a non-zero exit, a missing release or an expected text
    missing from the output raises BenchError."""
    cwd = case.prepare()
    start = time.perf_counter()
    done = subprocess.run(
        case.argv, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, check=False
    )
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise BenchError(f"exit {done.returncode}: {last_line(done.stderr or done.stdout)}")
    if case.verify and not case.verify(cwd):
        raise BenchError("exit 0, but the release tag is missing")
    output = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
    missing = [text for text in case.expect if text not in output]
    if missing:
        raise BenchError(f"exit 0, but the output lacks {missing[0]!r}")
    return elapsed


def measure(cases: list[Case], results: dict[str, Result]) -> None:
    """One warm-up each, then RUNS rounds with the cases in alternation (A B C A B C ...)."""
    live: list[Case] = []
    for case in cases:
        results[case.key] = Result(case.label, case.short or case.label)
        if case.tool.error:
            results[case.key].error = f"not installed ({case.tool.error})"
        else:
            live.append(case)
    for round_no in range(RUNS + 1):
        note(f"round {round_no}/{RUNS}: {', '.join(case.key for case in live)}")
        for case in list(live):
            try:
                elapsed = run_case(case)
            except BenchError as exc:
                results[case.key].error = str(exc)
                live.remove(case)
                note(f"{case.key} failed: {exc}")
                continue
            if round_no:
                results[case.key].values.append(elapsed)


def measure_rss(case: Case) -> Result:
    """Peak RSS in MB of the largest process (bump or a git it ran), each in a fresh child."""
    result = Result(case.label, case.label, unit="MB")
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    for _ in range(RUNS):
        probe = [sys.executable, "-c", RSS_PROBE, *case.argv]
        done = subprocess.run(probe, cwd=case.prepare(), capture_output=True, check=False)
        fields = done.stdout.split()
        if done.returncode != 0 or len(fields) != 2 or fields[1] != b"0":
            result.error = f"failed: {last_line(done.stderr or done.stdout)}"
            return result
        result.values.append(int(fields[0]) / scale)
    return result


def measure_growth(tools: dict[str, Tool]) -> dict[str, Result]:
    """The changelog work (in one process) at sizes doubling from 250 to 2,000 sections."""
    versions = large_versions()
    texts = {str(n): large_changelog(versions, n) for n in SCALE_SECTIONS}
    major, minor, patch = versions[-1].split(".")
    job = {"texts": texts, "old": versions[-1], "new": f"{major}.{minor}.{int(patch) + 1}"}
    python = tools["cutrelease"].bin("python")
    done = subprocess.run(
        [python, "-c", SCALE_PROBE], input=json.dumps(job).encode(), capture_output=True
    )
    results: dict[str, Result] = {}
    times = json.loads(done.stdout) if done.returncode == 0 else {}
    for n in SCALE_SECTIONS:
        megabytes = len(texts[str(n)].encode()) / 1e6
        label = f"changelog work in one process, {n:,} sections ({megabytes:.2f} MB)"
        result = Result(label, f"{n:,} sections")
        if str(n) in times:
            result.values.append(times[str(n)])
        else:
            result.error = f"failed: {last_line(done.stderr or done.stdout)}"
        results[f"scale_{n}"] = result
    return results


def subcommand(words: list[str]) -> str:
    """`commit` of `-c NAME=VALUE commit -m ...`: the first word that is no option."""
    rest = iter(words)
    for word in rest:
        if word == "-c":
            next(rest, None)
        elif not word.startswith("-"):
            return word
    return ""


def git_commands(tools: dict[str, Tool], large: Path, base: Path) -> Result:
    """The git commands a dry run on the large project starts, read from GIT_TRACE."""
    trace = base / "git-trace.txt"
    env = {**os.environ, "GIT_TRACE": str(trace)}
    argv = [tools["cutrelease"].bin("bump"), "patch", "--dry-run"]
    done = subprocess.run(
        argv, cwd=large, env=env, stdin=subprocess.DEVNULL, capture_output=True, check=False
    )
    result = Result("git commands of bump patch --dry-run (LARGE)", unit="")
    if done.returncode != 0:
        result.error = f"exit {done.returncode}: {last_line(done.stderr or done.stdout)}"
        return result
    names: list[str] = []
    for line in trace.read_text().splitlines():
        _, built_in, command = line.partition("trace: built-in: git ")
        name = subcommand(command.split())
        # upload-pack and receive-pack are the remote's side of ls-remote and of the dry-run
        # push, not ours.
        remote_side = {"upload-pack", "receive-pack"}
        if built_in and name and name not in remote_side and name not in names:
            names.append(name)
    result.text = ", ".join(names)
    return result


# ---------------------------------------------------------------- the cases


def startup_cases(tools: dict[str, Tool], sample: Path) -> list[Case]:
    ours = tools["cutrelease"]
    python, bump = ours.bin("python"), ours.bin("bump")

    def here() -> Path:
        return sample

    return [
        Case("click", 'python -c "import click"', ours, [python, "-c", "import click"], here),
        Case(
            "deps",
            f'python -c "{DEPS_IMPORT}"',
            ours,
            [python, "-c", DEPS_IMPORT],
            here,
            short="import of the four deps",
        ),
        Case("help", "bump --help", ours, [bump, "--help"], here),
        Case("version", "bump version", ours, [bump, "version"], here),
        Case("check_tag", "bump check-tag v0.2.0", ours, [bump, "check-tag", "v0.2.0"], here),
        *(
            Case(
                f"{dist}_help", f"{cmd} --help", tools[dist], [tools[dist].bin(cmd), "--help"], here
            )
            for dist, cmd in PEERS.items()
        ),
    ]


def lock_cases(tools: dict[str, Tool], small: Path, big: Path) -> list[Case]:
    """The dry run of one project with a 1-package and with a 1,000-package uv.lock."""
    bump = tools["cutrelease"].bin("bump")
    return [
        Case(
            f"lock_{n}_dry",
            f"bump patch --dry-run (uv.lock of {n:,} packages)",
            tools["cutrelease"],
            [bump, "patch", "--dry-run"],
            lambda folder=folder: folder,  # type: ignore[misc]
        )
        for n, folder in ((1, small), (1000, big))
    ]


def dry_cases(tools: dict[str, Tool], sample: Path, large: Path) -> list[Case]:
    bump = tools["cutrelease"].bin("bump")
    peer_args = {
        "tbump": ["--dry-run", "0.2.1"],
        "bump-my-version": ["bump", "--dry-run", "patch"],
        "commitizen": ["bump", "--dry-run", "--yes", "--increment", "PATCH"],
        "bumpver": ["update", "--patch", "--dry"],
    }

    def here() -> Path:
        return sample

    def there() -> Path:
        return large

    return [
        Case(
            "dry", "bump patch --dry-run", tools["cutrelease"], [bump, "patch", "--dry-run"], here
        ),
        Case(
            "large_dry",
            "bump patch --dry-run (LARGE project)",
            tools["cutrelease"],
            [bump, "patch", "--dry-run"],
            there,
            short="bump patch --dry-run (LARGE)",
        ),
        *(
            Case(
                f"{dist}_dry",
                f"{PEERS[dist]} {' '.join(args)}",
                tools[dist],
                [tools[dist].bin(PEERS[dist]), *args],
                here,
            )
            for dist, args in peer_args.items()
        ),
    ]


def workspace_cases(tools: dict[str, Tool], sample: Path, workspace: Path) -> list[Case]:
    """The sample's dry run, one member's in a workspace of WORKSPACE_MEMBERS packages, and
    WORKSPACE_SEVERAL members' at once in the same workspace. Each workspace run must name
    the tag of every member it releases (a dry run that planned nothing would be fast)."""
    bump = tools["cutrelease"].bin("bump")
    member = member_name(WORKSPACE_MEMBERS // 2)
    several = [member_name(n) for n in range(1, WORKSPACE_SEVERAL + 1)]
    several_args = [arg for name in several for arg in ("-p", name)]
    shown = f"-p {several[0]} … -p {several[-1]}"
    return [
        Case(
            "ws_sample_dry",
            "bump patch --dry-run (the sample, beside the workspace's)",
            tools["cutrelease"],
            [bump, "patch", "--dry-run"],
            lambda: sample,
            short="bump patch --dry-run",
        ),
        Case(
            "ws_dry",
            f"bump -p {member} patch --dry-run ({WORKSPACE_MEMBERS}-member uv workspace)",
            tools["cutrelease"],
            [bump, "-p", member, "patch", "--dry-run"],
            lambda: workspace,
            short=f"bump -p NAME patch --dry-run ({WORKSPACE_MEMBERS} members)",
            expect=(f"{member}-v0.2.1",),
        ),
        Case(
            "ws_several_dry",
            f"bump {shown} patch --dry-run ({WORKSPACE_SEVERAL} of the {WORKSPACE_MEMBERS} "
            "members at once)",
            tools["cutrelease"],
            [bump, *several_args, "patch", "--dry-run"],
            lambda: workspace,
            short=f"bump {shown} patch --dry-run",
            expect=tuple(f"{name}-v0.2.1" for name in several),
        ),
    ]


def real_cases(tools: dict[str, Tool], sample: Path, base: Path) -> list[Case]:
    fresh = Copier(sample, base / "copies")
    script = base / "release.sh"
    script.write_text(RELEASE_SH)
    ours = tools["cutrelease"]
    tbump, bmv = tools["tbump"], tools["bump-my-version"]
    pushed, tagged = has_tag("remote", "v0.2.1"), has_tag("local", "v0.2.1")
    return [
        Case("real", "bump patch --yes", ours, [ours.bin("bump"), "patch", "--yes"], fresh, pushed),
        Case("script", "sh release.sh (sed + git)", ours, ["sh", str(script)], fresh, pushed),
        Case(
            "tbump_real",
            "tbump --non-interactive 0.2.1",
            tbump,
            [tbump.bin("tbump"), "--non-interactive", "0.2.1"],
            fresh,
            pushed,
        ),
        Case(
            "bmv_real",
            "bump-my-version bump patch (commit + tag)",
            bmv,
            [bmv.bin("bump-my-version"), "bump", "patch"],
            fresh,
            tagged,
        ),
    ]


# ---------------------------------------------------------------- goals and the table


@dataclass(frozen=True)
class Goal:
    name: str
    value: str
    target: str
    verdict: str


def verdict(ours: float | None, limit: float | None, *, strict: bool) -> str:
    if ours is None:
        return "FAIL"
    if limit is None:
        return "n/a"
    return "PASS" if (ours < limit if strict else ours <= limit) else "FAIL"


def ratio_goal(res: dict[str, Result], key: str, base: str, factor: float, strict: bool) -> Goal:
    """res[key] ≤ factor × res[base] (or < when strict), shown as a ratio."""
    ours, theirs = res[key].median, res[base].median
    sign = "<" if strict else "≤"
    name = f"{res[key].short} ÷ {res[base].short}"
    target = f"{sign} {factor:g}×"
    if ours is None or theirs is None:
        missing = res[key] if ours is None else res[base]
        return Goal(
            name, f"no data: {missing.short} failed", target, verdict(ours, None, strict=strict)
        )
    limit = factor * theirs
    return Goal(name, f"{ours / theirs:.2f}×", target, verdict(ours, limit, strict=strict))


def slowest(res: dict[str, Result], keys: list[str]) -> str:
    timed = [k for k in keys if res[k].median is not None]
    failed = [k for k in keys if res[k].median is None]
    return failed[0] if failed else max(timed, key=lambda k: res[k].median or 0.0)


def release_goal(res: dict[str, Result]) -> Goal:
    ours, deps, script = res["real"].median, res["deps"].median, res["script"].median
    name = "bump patch --yes vs import of four deps + 1.5 × sed+git script"
    if deps is None or script is None or ours is None:
        return Goal(name, "no data", "≤ deps + 1.5 × script", verdict(ours, None, strict=False))
    limit = deps + 1.5 * script
    target = f"≤ {limit:.0f} ms ({deps:.0f} + 1.5 × {script:.0f})"
    return Goal(name, f"{ours:.0f} ms", target, verdict(ours, limit, strict=False))


def rss_goal(res: dict[str, Result]) -> Goal:
    rss = res["rss"].median
    value = "no data" if rss is None else f"{rss:.1f} MB"
    target = f"< {RSS_LIMIT_MB:g} MB"
    return Goal(res["rss"].label, value, target, verdict(rss, RSS_LIMIT_MB, strict=True))


def listing_goal(res: dict[str, Result]) -> Goal:
    found = res["git_large"]
    name = "git commands of the large dry run that list all tags or walk the history"
    target = "none"
    if found.error or not found.text:
        return Goal(name, "no data", target, "FAIL")
    listing = [command for command in found.text.split(", ") if command in LISTING]
    return Goal(name, ", ".join(listing) or "none", target, "FAIL" if listing else "PASS")


def goals(res: dict[str, Result]) -> list[Goal]:
    """Every goal whose measurements ran (all of them, unless --only chose some groups)."""
    wanted: list[tuple[list[str], Callable[[], Goal]]] = []

    def ratio(key: str, base: str, factor: float, *, strict: bool = False) -> None:
        needs = [key, base] if key != "quick" else [*quick, base]
        wanted.append((needs, lambda: ratio_goal(res, chosen(key), base, factor, strict=strict)))

    quick = ["help", "version", "check_tag"]

    def chosen(key: str) -> str:
        return slowest(res, quick) if key == "quick" else key

    for key in quick:
        ratio(key, "click", 1.3)
    ratio("quick", "tbump_help", 1.0, strict=True)
    ratio("quick", "bumpver_help", 1.0, strict=True)
    ratio("dry", "deps", 1.25)
    ratio("dry", "bump-my-version_dry", 0.5)
    ratio("dry", "commitizen_dry", 1.0, strict=True)
    ratio("dry", "tbump_dry", 1.3)
    wanted.append((["real", "deps", "script"], lambda: release_goal(res)))
    ratio("large_dry", "dry", 1.5)
    ratio("index_dry", "offline_dry", 1.1)
    ratio("lock_1000_dry", "lock_1_dry", 1.15)
    ratio("ws_dry", "ws_sample_dry", 1.3)
    ratio("ws_several_dry", "ws_dry", 2.0)
    for small, big in itertools.pairwise(SCALE_SECTIONS):
        ratio(f"scale_{big}", f"scale_{small}", GROWTH_LIMIT)
    wanted.append((["git_large"], lambda: listing_goal(res)))
    wanted.append((["rss"], lambda: rss_goal(res)))
    return [goal() for needs, goal in wanted if all(key in res for key in needs)]


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def render(res: dict[str, Result], tools: dict[str, Tool], loads: tuple[str, str]) -> str:
    versions = ", ".join(f"{t.dist} {t.version or '(not installed)'}" for t in tools.values())
    python, git_version = platform.python_version(), git(ROOT, "--version").split()[-1]
    lines = [
        f"Medians of {RUNS} runs after one warm-up, in alternation; Python {python}, "
        f"git {git_version}; {versions}; load average {loads[0]} before, {loads[1]} after.",
        "",
        "| Measurement or goal | Median / value | Goal | Result |",
        "| --- | --- | --- | --- |",
    ]
    for result in res.values():
        if result.error:
            shown = f"FAILED: {result.error}"
        elif result.text:
            shown = result.text
        else:
            shown = f"{result.median:.1f} {result.unit}"
        lines.append(f"| `{cell(result.label)}` | {cell(shown)} | | |")
    for goal in goals(res):
        lines.append(f"| {cell(goal.name)} | {cell(goal.value)} | {goal.target} | {goal.verdict} |")
    return "\n".join(lines)


# ---------------------------------------------------------------- main


GROUPS = ("startup", "dry", "index", "lock", "workspace", "real", "rss", "growth", "git")


def run_all(
    tools: dict[str, Tool], base: Path, groups: tuple[str, ...] = GROUPS
) -> dict[str, Result]:
    """The measurements of `groups` (all by default), each group's cases in alternation."""
    isolate_environment(base / "home")
    note("building the sample project")
    sample = make_sample(base / "sample")
    large = None
    if {"dry", "rss", "git"} & set(groups):
        note("building the large project")
        large = make_large(base / "large")
    results: dict[str, Result] = {}
    if "startup" in groups:
        measure(startup_cases(tools, sample), results)
    if "dry" in groups and large is not None:
        measure(dry_cases(tools, sample, large), results)
    if "index" in groups:
        note("the sample project asking a package index on 127.0.0.1")
        index = LocalIndex()
        try:
            indexed = make_indexed(base / "indexed", sample, index.url)
            measure(index_cases(tools, indexed), results)
        finally:
            index.close()
    if "lock" in groups:
        note("the sample project with a 1- and a 1,000-package uv.lock")
        locked = [make_locked(base / f"lock{n}", sample, n) for n in (1, 1000)]
        measure(lock_cases(tools, *locked), results)
    if "workspace" in groups:
        note(f"a uv workspace of {WORKSPACE_MEMBERS} members")
        workspace = make_workspace(base / "workspace")
        measure(workspace_cases(tools, sample, workspace), results)
    if "real" in groups:
        if "deps" not in results:  # the release goal's baseline
            measure([case for case in startup_cases(tools, sample) if case.key == "deps"], results)
        measure(real_cases(tools, sample, base), results)
    if "rss" in groups and large is not None:
        note("peak RSS of bump patch --dry-run on the large project")
        rss_case = Case(
            "rss",
            "peak RSS of bump patch --dry-run (LARGE)",
            tools["cutrelease"],
            [tools["cutrelease"].bin("bump"), "patch", "--dry-run"],
            lambda: large,
        )
        results["rss"] = measure_rss(rss_case)
    if "growth" in groups:
        note("the changelog work at four sizes")
        results.update(measure_growth(tools))
    if "git" in groups and large is not None:
        note("the git commands of the large dry run")
        results["git_large"] = git_commands(tools, large, base)
    return results


def load() -> str:
    """The machine's load average over the last minute (the benchmark shares the machine)."""
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "unknown"


def main(argv: list[str] | None = None) -> int:
    global RUNS
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--only",
        metavar="GROUP,...",
        help=f"measure only these groups (of {', '.join(GROUPS)}); the goals they decide",
    )
    parser.add_argument(
        "--runs", type=int, default=RUNS, help=f"timed rounds per group (default {RUNS})"
    )
    args = parser.parse_args(argv)
    groups = tuple(args.only.split(",")) if args.only else GROUPS
    unknown = sorted(set(groups) - set(GROUPS))
    if unknown:
        parser.error(f"unknown group {', '.join(unknown)} (groups: {', '.join(GROUPS)})")
    RUNS = args.runs
    if shutil.which("git") is None:
        note("needs git on PATH")
        return 2
    try:
        tools = install_tools()
        before = load()
        with tempfile.TemporaryDirectory(prefix="cutrelease-bench-") as tmp:
            results = run_all(tools, Path(tmp), groups)
        loads = (before, load())
    except (BenchError, subprocess.CalledProcessError) as exc:
        note(f"setup failed: {exc}")
        return 2
    print(render(results, tools, loads))
    return 0


if __name__ == "__main__":
    sys.exit(main())
