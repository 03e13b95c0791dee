"""Fault injection for the test suite, from outside the shipped code: a bump process started
with this folder on PYTHONPATH and CUTRELEASE_TEST_FAULT=ACTION:POINT SIGKILLs itself
(ACTION kill) or raises (ACTION fail) once it reaches POINT, a boundary between two steps.
Several faults are separated by commas; POINT#N fires the Nth time POINT is reached (the
first by default), so that a kill can land in the undo a failure provokes. ACTION trace
(`trace:FILE`) appends every point reached to FILE, one a line: the list a sweep kills at.

The points, each reached when the function named returns:

  journal             journal.write, the journal of the first step (the files)
  journal:STAGE       journal.write of any other stage begun (hooks, commit, tag, push)
  reserve             journal.reserve: the room for the undo is held
  temp:PATH           atomic._write_temp: PATH, a temporary file, is written, not yet renamed
  write:PATH          atomic.write_atomic of PATH (as seen from bump's working folder)
  locked:PATH         lock.GitLock: cutrelease holds git's lock PATH (FILE.lock)
  commit-unjournaled  GitRepo.commit: git made the commit, the journal does not know it yet
  commit              journal.write, the journal that records the commit
  tag-unjournaled     GitRepo.tag: git made the tag, the journal does not know it yet
  tag                 journal.write, the journal that records the tag object
  pushed              GitRepo.push: the remote accepted the push
  tag-deleted         GitRepo.delete_tag (the undo)
  branch-reset        GitRepo.reset_branch (the undo)
  files-restored      GitRepo.restore_files (the undo of what hooks changed)
  import:MODULE       bump is about to import MODULE (for ACTION signalN: signal N arrives
                      while bump starts, e.g. signal2:import:click)

Those functions are wrapped as their modules are imported (a finder on sys.meta_path), in the
bump process only; a fault fires once. Python imports the first sitecustomize on sys.path:
this one imports the next, if there is one.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import os
import signal
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

VARIABLE = "CUTRELEASE_TEST_FAULT"


def _parse(fault: str) -> tuple[str, str, int]:
    action, _, point = fault.partition(":")
    if action == "trace":
        return action, point, 0
    point, _, nth = point.rpartition("#") if "#" in point else (point, "", "1")
    return action, point, int(nth)


_faults = [_parse(fault) for fault in os.environ.get(VARIABLE, "").split(",") if fault]
_trace = next((point for action, point, _ in _faults if action == "trace"), None)
_IMPORTS = {point for _, point, _ in _faults if point.startswith("import:")}
_counts: dict[str, int] = {}
_fired: set[int] = set()


def _reached(point: str | None) -> None:
    if point is None:
        return
    _counts[point] = count = _counts.get(point, 0) + 1
    if _trace:
        with open(_trace, "a", encoding="utf-8") as trace:
            trace.write(f"{point}#{count}\n")
    for number, (action, armed, nth) in enumerate(_faults):
        if number in _fired or armed != point or nth != count:
            continue
        _fired.add(number)
        if action == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if action.startswith("signal"):  # signal2: a real SIGINT, signal15: a SIGTERM
            os.kill(os.getpid(), int(action.removeprefix("signal")))
        if action == "fail":
            from cutrelease.errors import CutreleaseError

            raise CutreleaseError(f"Injected failure after {point}")


def _after(function: Callable[..., Any], point: Callable[..., str | None]) -> Callable[..., Any]:
    """`function`, then the fault of `point(*args, **kwargs)` if that is the armed one."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        _reached(point(*args, **kwargs))
        return result

    return wrapper


def _journaled(git_dir: object, record: Any, **_: object) -> str | None:
    from cutrelease.release.journal import DeleteTag, ResetBranch, Stage

    if record.stage is Stage.FILES:
        return "journal"
    newest = record.undo[-1] if record.undo else None
    if record.stage is Stage.COMMIT and isinstance(newest, ResetBranch) and newest.commit:
        return "commit"
    if record.stage is Stage.TAG and isinstance(newest, DeleteTag) and newest.tag_object:
        return "tag"
    return f"journal:{record.stage.value}"


def _patch_atomic(module: ModuleType) -> None:
    module.write_atomic = _after(
        module.write_atomic, lambda path, *_, **__: f"write:{os.path.relpath(path)}"
    )
    module._write_temp = _after(
        module._write_temp, lambda path, *_, **__: f"temp:{os.path.relpath(path)}"
    )


def _patch_journal(module: ModuleType) -> None:
    module.write = _after(module.write, _journaled)
    module.reserve = _after(module.reserve, lambda *_, **__: "reserve")


def _patch_lock(module: ModuleType) -> None:
    lock = module.GitLock
    lock.__init__ = _after(
        lock.__init__, lambda self, target, *_: f"locked:{os.path.relpath(target)}.lock"
    )


def _patch_gitrepo(module: ModuleType) -> None:
    repo = module.GitRepo
    repo.commit = _after(repo.commit, lambda *_, **__: "commit-unjournaled")
    repo.tag = _after(repo.tag, lambda *_, **__: "tag-unjournaled")
    repo.push = _after(repo.push, lambda *_, **__: "pushed")
    repo.delete_tag = _after(repo.delete_tag, lambda *_, **__: "tag-deleted")
    repo.reset_branch = _after(repo.reset_branch, lambda *_, **__: "branch-reset")
    repo.restore_files = _after(repo.restore_files, lambda *_, **__: "files-restored")


_PATCHES: dict[str, Callable[[ModuleType], None]] = {
    "cutrelease.atomic": _patch_atomic,
    "cutrelease.release.journal": _patch_journal,
    "cutrelease.git.lock": _patch_lock,
    "cutrelease.git.gitrepo": _patch_gitrepo,
}


class _PatchAfterImport(importlib.abc.MetaPathFinder):
    """Finds the modules to patch as Python would, and patches each once it has run."""

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if f"import:{name}" in _IMPORTS:
            _reached(f"import:{name}")
        patch = _PATCHES.get(name)
        if patch is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _PatchingLoader(spec.loader, patch)
        return spec


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader: importlib.abc.Loader, patch: Callable[[ModuleType], None]) -> None:
        self._loader = loader
        self._patch = patch

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        self._patch(module)

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename…: the real loader's
        return getattr(self._loader, name)


def _import_the_next_sitecustomize() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    me = sys.modules.pop("sitecustomize")
    path = sys.path[:]
    sys.path[:] = [entry for entry in path if os.path.abspath(entry or os.curdir) != here]
    try:
        import sitecustomize  # noqa: F401
    except ModuleNotFoundError as exc:
        if exc.name != "sitecustomize":
            raise
    finally:
        sys.path[:] = path
        sys.modules["sitecustomize"] = me


if _faults:
    sys.meta_path.insert(0, _PatchAfterImport())
_import_the_next_sitecustomize()
