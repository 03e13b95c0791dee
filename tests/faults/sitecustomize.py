"""Fault injection for the test suite, from outside the shipped code: a bump process started
with this folder on PYTHONPATH and CUTRELEASE_TEST_FAULT=ACTION:POINT SIGKILLs itself
(ACTION kill) or raises (ACTION fail) once it reaches POINT, a boundary between two steps.

The points, each reached when the function named returns:

  journal             journal.write, the journal of the first step (the files)
  write:PATH          atomic.write_atomic of PATH (as seen from bump's working folder)
  commit-unjournaled  GitRepo.commit: git made the commit, the journal does not know it yet
  commit              journal.write, the journal that records the commit
  tag-unjournaled     GitRepo.tag: git made the tag, the journal does not know it yet
  tag                 journal.write, the journal that records the tag object
  pushed              GitRepo.push: the remote accepted the push

Those functions are wrapped as their modules are imported (a finder on sys.meta_path), in the
bump process only; a point fires once, so that the undo it provokes runs unhindered. Python
imports the first sitecustomize on sys.path: this one imports the next, if there is one.
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

_action, _, _point = os.environ.get(VARIABLE, "").partition(":")
_fired = False


def _reached(point: str | None) -> None:
    global _fired
    if _fired or point != _point:
        return
    _fired = True
    if _action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if _action == "fail":
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
    if isinstance(newest, ResetBranch) and newest.commit is not None:
        return "commit"
    if isinstance(newest, DeleteTag) and newest.tag_object is not None:
        return "tag"
    return None


def _patch_atomic(module: ModuleType) -> None:
    module.write_atomic = _after(
        module.write_atomic, lambda path, *_, **__: f"write:{os.path.relpath(path)}"
    )


def _patch_journal(module: ModuleType) -> None:
    module.write = _after(module.write, _journaled)


def _patch_gitrepo(module: ModuleType) -> None:
    repo = module.GitRepo
    repo.commit = _after(repo.commit, lambda *_, **__: "commit-unjournaled")
    repo.tag = _after(repo.tag, lambda *_, **__: "tag-unjournaled")
    repo.push = _after(repo.push, lambda *_, **__: "pushed")


_PATCHES: dict[str, Callable[[ModuleType], None]] = {
    "cutrelease.atomic": _patch_atomic,
    "cutrelease.release.journal": _patch_journal,
    "cutrelease.git.gitrepo": _patch_gitrepo,
}


class _PatchAfterImport(importlib.abc.MetaPathFinder):
    """Finds the modules to patch as Python would, and patches each once it has run."""

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
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


if _action in ("kill", "fail"):
    sys.meta_path.insert(0, _PatchAfterImport())
_import_the_next_sitecustomize()
