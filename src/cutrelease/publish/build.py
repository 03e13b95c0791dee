"""The build tried before the tag: sdist and wheel built from the release's tree, then checked.

The release workflow builds from a fresh checkout of the tag, so the build here is made the
same way: from a copy of the tracked files as the release leaves them (never from stray
untracked files), in a temporary folder outside the repository, which nothing keeps.
"""

from __future__ import annotations

import email.parser
import fnmatch
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    canonicalize_version,
    parse_sdist_filename,
    parse_wheel_filename,
)

from cutrelease.errors import CutreleaseError

#: How many of the builder's last lines a failure quotes.
QUOTED_LINES = 12

#: Versions from git tags: the tag does not exist yet when the build is tried, so the tools
#: are told the release's version, as their documentation says to do without git metadata
#: (setuptools-scm, and hatch-vcs through it; pdm-backend's own variable).
SCM_VERSION_VARIABLES = ("SETUPTOOLS_SCM_PRETEND_VERSION", "PDM_BUILD_SCM_VERSION")
#: setuptools-scm's per-project variables outrank the general one: any left in the caller's
#: environment would build another version (pypa/setuptools-scm#321), so none reaches the build.
SCM_PROJECT_VARIABLES = "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_"


class BuildFailed(CutreleaseError):
    """The build failed, or what it built is not the release: the transaction undoes the
    release (exit 1). The builder's last lines, when it failed, are the hint."""


class Artifacts(NamedTuple):
    """The two files a build made: the source distribution and the wheel."""

    sdist: Path
    wheel: Path


def command(out_dir: Path, *, package: str | None = None) -> list[str]:
    """The builder's command line: `uv build` when uv is on PATH, else `python -m build`.

    `package` is a uv workspace member's name (`uv build --package NAME`, run at the workspace
    root); None builds the project in the current folder. Both build the sdist first and the
    wheel from it, as a release workflow does, so a file missing from the sdist shows here.
    """
    uv = shutil.which("uv")
    if uv is not None:
        selected = ["--package", package] if package else []
        return [uv, "build", *selected, "--out-dir", str(out_dir)]
    return [sys.executable, "-m", "build", "--outdir", str(out_dir)]


def copy_tree(root: Path, paths: Iterable[str], dest: Path) -> None:
    """Copy the files `paths` (relative to `root`, as `git ls-files` names them) into `dest`.

    Symbolic links are copied as links, as a checkout makes them; a path git tracks but the
    tree lacks (a deleted file) is skipped.
    """
    for rel in paths:
        source = root / rel
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
        elif source.is_file():
            shutil.copy2(source, target)


def run_build(
    root: Path,
    paths: Sequence[str],
    *,
    folder: str,
    version: str,
    package: str | None,
    work: Path,
) -> Artifacts:
    """Build the project at `folder` (relative to `root`; "" for the root project) from a copy
    of `paths` made under `work`, a fresh temporary folder; the sdist and wheel it made.

    Raises BuildFailed quoting the builder's last lines when it fails or makes other files.
    """
    tree = work / "tree"
    out = work / "dist"
    copy_tree(root, paths, tree)
    kept = {k: v for k, v in os.environ.items() if not k.startswith(SCM_PROJECT_VARIABLES)}
    env = {**kept, **dict.fromkeys(SCM_VERSION_VARIABLES, version)}
    cwd = tree if package else tree / folder
    done = subprocess.run(
        command(out, package=package),
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
    )
    if done.returncode != 0:
        said = _last_lines(done.stderr or done.stdout)
        builder = command(out, package=package)
        named = "uv build" if Path(builder[0]).name.startswith("uv") else "python -m build"
        raise BuildFailed(
            f"The build failed before the tag ({named}, exit {done.returncode})",
            hint="Its last lines:\n" + said if said else None,
        )
    return _artifacts(out)


def _artifacts(out: Path) -> Artifacts:
    sdists = sorted(out.glob("*.tar.gz")) + sorted(out.glob("*.zip"))
    wheels = sorted(out.glob("*.whl"))
    if len(sdists) != 1 or len(wheels) != 1:
        made = ", ".join(sorted(path.name for path in out.iterdir())) or "nothing"
        raise BuildFailed(f"The build made {made}, not one sdist and one wheel")
    return Artifacts(sdists[0], wheels[0])


def _last_lines(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join(lines[-QUOTED_LINES:])


def problems(
    built: Artifacts, *, name: str, version: str, wheel_includes: Sequence[str] = ()
) -> list[str]:
    """What is wrong with `built` for the release of `name` `version`, one sentence each.

    Both file names and both metadata files (PKG-INFO, METADATA) must carry the version (PEP
    440 normal form, compared as packaging normalizes it) and the name (PEP 503 normalized);
    every glob of `wheel_includes` must match a file inside the wheel (fnmatch, on the wheel's
    forward-slash paths).
    """
    found: list[str] = []
    wrong_version: list[str] = []
    wanted = canonicalize_version(version)
    for kind, path, said in (
        ("sdist", built.sdist, _sdist_metadata(built.sdist)),
        ("wheel", built.wheel, _wheel_metadata(built.wheel)),
    ):
        file_name, file_version = _name_and_version(kind, path)
        if canonicalize_name(file_name) != canonicalize_name(name):
            found.append(f"the {kind} is named {path.name}, not after {name}")
        if canonicalize_version(file_version) != wanted:
            wrong_version.append(f"the {kind} file {path.name} says {file_version}")
        meta_version = said.get("Version", "")
        if canonicalize_version(meta_version) != wanted:
            where = "PKG-INFO" if kind == "sdist" else "METADATA"
            wrong_version.append(f"the {kind}'s {where} says {meta_version or 'no version'}")
    if wrong_version:
        found += wrong_version
        found.append(
            "the build backend reads the version from a place the release did not move "
            "(name it in [[tool.cutrelease.files]])"
        )
    names = _wheel_names(built.wheel)
    for pattern in wheel_includes:
        if not any(fnmatch.fnmatchcase(member, pattern) for member in names):
            found.append(f'the wheel holds no file matching wheel_includes "{pattern}"')
    return found


def _name_and_version(kind: str, path: Path) -> tuple[str, str]:
    try:
        if kind == "wheel":
            name, version, _, _ = parse_wheel_filename(path.name)
        else:
            name, version = parse_sdist_filename(path.name)
    except (InvalidWheelFilename, InvalidSdistFilename) as exc:
        raise BuildFailed(f"The build made {path.name}, an invalid {kind} name: {exc}") from None
    return str(name), str(version)


def _sdist_metadata(path: Path) -> dict[str, str]:
    """The sdist's top-level PKG-INFO (core metadata, read as an email header block)."""
    with tarfile.open(path) as archive:
        for member in archive.getmembers():
            parts = PurePosixPath(member.name).parts
            if len(parts) == 2 and parts[1] == "PKG-INFO" and member.isfile():
                handle = archive.extractfile(member)
                if handle is not None:
                    return _headers(handle.read())
    raise BuildFailed(f"The sdist {path.name} has no PKG-INFO")


def _wheel_metadata(path: Path) -> dict[str, str]:
    """The wheel's `*.dist-info/METADATA` (core metadata)."""
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            parts = member.split("/")
            if len(parts) == 2 and parts[0].endswith(".dist-info") and parts[1] == "METADATA":
                return _headers(archive.read(member))
    raise BuildFailed(f"The wheel {path.name} has no METADATA")


def _wheel_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return [name for name in archive.namelist() if not name.endswith("/")]


def _headers(raw: bytes) -> dict[str, str]:
    message = email.parser.BytesHeaderParser().parsebytes(raw)
    return {key: str(value) for key, value in message.items()}


def try_build(
    root: Path,
    paths: Sequence[str],
    *,
    folder: str,
    name: str,
    version: str,
    package: str | None = None,
    wheel_includes: Sequence[str] = (),
) -> None:
    """Build the release from `paths` of `root` and check it (see `problems`); nothing stays.

    Raises BuildFailed naming what differs, or quoting the builder when it failed.
    """
    with tempfile.TemporaryDirectory(prefix="cutrelease-build-") as work:
        built = run_build(
            root, paths, folder=folder, version=version, package=package, work=Path(work)
        )
        found = problems(built, name=name, version=version, wheel_includes=wheel_includes)
    if found:
        raise BuildFailed(f"The build of {name} {version} is not the release: " + "; ".join(found))
