"""The one Jinja sandbox: project overrides first, packaged defaults second."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cutrelease.errors import Refused

if TYPE_CHECKING:
    from jinja2 import BytecodeCache

#: Renders a template by name with variables; the result has no trailing newline.
Render = Callable[[str, Mapping[str, Any]], str]

PACKAGED = Path(__file__).parent / "templates"

# Bump when the environment's options change: compiled templates depend on them.
_CACHE_FORMAT = 1


def simple_render(name: str, variables: Mapping[str, Any]) -> str:
    """Render a packaged default template (for tests and pure callers)."""
    return make_renderer(None)(name, variables)


def make_renderer(override_dir: Path | None) -> Render:
    """A renderer that looks in `override_dir` first, then in the packaged defaults."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    searchpath = [str(PACKAGED)]
    if override_dir is not None and override_dir.is_dir():
        searchpath.insert(0, str(override_dir))
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(searchpath),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        bytecode_cache=_bytecode_cache(jinja2.__version__),
    )

    def render(name: str, variables: Mapping[str, Any]) -> str:
        try:
            return env.get_template(name).render(**variables)
        except jinja2.TemplateNotFound:
            raise Refused(f"Template {name} was not found.") from None
        except jinja2.exceptions.SecurityError as exc:
            raise Refused(
                f"Template {name} was refused by the sandbox: {exc}.",
                hint="Use only the variables the template is given.",
            ) from None
        except jinja2.UndefinedError as exc:
            raise Refused(
                f"Template {name} uses an unknown variable: {exc}.",
                hint="Use only the variables the template is given.",
            ) from None
        except jinja2.TemplateError as exc:
            raise Refused(f"Template {name} cannot be rendered: {exc}.") from None

    return render


def cache_folder(jinja_version: str) -> Path | None:
    """Where compiled templates are kept: the user's cache folder (XDG), or None if unknown."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, empty or relative: the XDG default
        home = os.environ.get("HOME", "")
        # No usable home folder: no cache, rather than one in the repository or at /.cache.
        if not os.path.isabs(home) or home == "/":
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "cutrelease" / f"templates-{_CACHE_FORMAT}-jinja{jinja_version}"


def _private(folder: Path) -> bool:
    """`folder` and the one above it are real folders only this user can enter and write.

    The cache holds code that runs: a folder someone else could write to (a shared
    XDG_CACHE_HOME, a folder planted there beforehand) is not used, as Jinja2's own checks do.
    """
    for path in (folder.parent, folder):
        try:
            info = os.lstat(path)
        except OSError:
            return False
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
            return False
    return True


def _bytecode_cache(jinja_version: str) -> BytecodeCache | None:
    """Compiled templates kept between runs, as Python keeps bytecode in __pycache__.

    Compiling the five templates of a release costs a cold process about 4 ms, a few percent
    of a dry run. Jinja2 checks each cached file against its template's source and the
    Python version. The cache is best effort: a folder that cannot be made, written, or
    trusted, or a damaged file, means the template is compiled as if there were no cache.
    """
    from jinja2 import FileSystemBytecodeCache
    from jinja2.bccache import Bucket

    folder = cache_folder(jinja_version)
    if folder is None:
        return None
    try:
        folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    if not _private(folder):
        return None

    class BestEffortCache(FileSystemBytecodeCache):
        def load_bytecode(self, bucket: Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged file: compile instead (and overwrite it)
                bucket.reset()

        def dump_bytecode(self, bucket: Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    return BestEffortCache(str(folder))
