"""The one Jinja sandbox: project overrides first, packaged defaults second."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cutrelease.errors import Refused
from cutrelease.packaged_templates import RENDERINGS

if TYPE_CHECKING:
    import jinja2

#: Renders a template by name with variables; the result has no trailing newline.
Render = Callable[[str, Mapping[str, Any]], str]

PACKAGED = Path(__file__).parent / "templates"


def simple_render(name: str, variables: Mapping[str, Any]) -> str:
    """Render the packaged default template `name` with `variables` (for tests, pure callers).

    Raises Refused as make_renderer's renderer does.
    """
    return make_renderer(None)(name, variables)


def make_renderer(override_dir: Path | None, *, root: Path | None = None) -> Render:
    """A renderer that looks in `override_dir` first, then in the packaged defaults.

    Templates are compiled in memory each run (nothing is written anywhere). The renderer
    raises Refused, naming the template, when it is missing, reaches past the sandbox, uses
    an unknown variable or cannot be rendered.

    Only the repository `root` is read (SPEC section 16): Refused here if `override_dir` is
    outside it (links followed); the renderer refuses, naming it, a template or an included
    one that is a link leaving the repository, and an include outside `override_dir`. Without
    `root`, `override_dir` stands for itself (the folder must be inside itself).

    A packaged template the project does not override is rendered by packaged_templates,
    without Jinja2 (the same text: see that module); Jinja2 is imported at the first template
    that needs it.
    """
    where = _inside(override_dir, root) if override_dir is not None else None
    folder = where[0] if where is not None else None
    jinja: list[Render] = []  # made at the first template that needs Jinja2

    def render(name: str, variables: Mapping[str, Any]) -> str:
        own = folder is not None and (folder / name).is_file()
        python = None if own else RENDERINGS.get(name)
        if python is not None:
            return python(variables)
        if not jinja:
            jinja.append(_jinja_renderer(override_dir, where))
        return jinja[0](name, variables)

    return render


def _inside(override_dir: Path, root: Path | None) -> tuple[Path, Path]:
    """The templates folder and the repository's top, resolved; Refused when the folder is
    outside the repository `root`."""
    top = (root or override_dir).resolve()
    folder = override_dir.resolve()
    if folder != top and top not in folder.parents:
        raise Refused(
            f"The templates folder {override_dir} is outside the repository ({top}).",
            hint="Set [tool.cutrelease] templates to a folder inside the repository.",
        )
    return folder, top


def _jinja_renderer(override_dir: Path | None, where: tuple[Path, Path] | None) -> Render:
    """make_renderer's renderer through Jinja2's sandbox (`where`: _inside's answer)."""
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        loader=_loader(override_dir, where),
        undefined=_strict(),
        autoescape=False,
        keep_trailing_newline=False,
    )

    def render(name: str, variables: Mapping[str, Any]) -> str:
        import jinja2

        try:
            return env.get_template(name).render(**variables)
        except jinja2.TemplateNotFound as exc:
            raise _not_found(name, exc) from None
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
        except _Outside as exc:
            raise Refused(f"Template {name} {exc.what}.", hint=exc.hint) from None

    return render


def _strict() -> type[jinja2.StrictUndefined]:
    import jinja2

    return jinja2.StrictUndefined


def _not_found(name: str, exc: jinja2.TemplateNotFound) -> Refused:
    """The template that was not found: `name`, or the one it includes (named as the include)."""
    missing = exc.name if isinstance(exc.name, str) else name
    if missing == name:
        return Refused(f"Template {name} was not found.")
    return Refused(
        f"Template {name} includes {missing}, which was not found.",
        hint="An include names a file of the templates folder, from that folder.",
    )


class _Outside(Exception):
    """A template to read is outside the repository (or an include outside the templates
    folder): `what` completes "Template NAME …"."""

    def __init__(self, what: str, hint: str) -> None:
        super().__init__(what)
        self.what = what
        self.hint = hint


def _loader(override_dir: Path | None, where: tuple[Path, Path] | None) -> jinja2.BaseLoader:
    """Project overrides (`where`: the folder resolved and the repository's top, the folder
    already checked to be inside it), then the packaged ones."""
    import jinja2

    packaged = jinja2.FileSystemLoader(str(PACKAGED))
    if override_dir is None or where is None or not where[0].is_dir():
        return packaged
    folder, top = where
    return jinja2.ChoiceLoader([_inside_loader(override_dir, folder, top), packaged])


def _inside_loader(shown: Path, folder: Path, top: Path) -> jinja2.BaseLoader:
    """jinja2.FileSystemLoader's job for the templates folder `folder`, reading only files
    inside the repository `top` (`shown`: the folder as configured, for the messages).

    A template name is a path from the templates folder; one that leaves it ("..", an
    absolute path) is refused, and so is a file whose real path (links followed) is outside
    the repository. A name not found falls through to the packaged templates. (Built here,
    not at import: Jinja2 is imported only by a command that renders.)
    """
    import jinja2

    class InsideLoader(jinja2.BaseLoader):
        def get_source(
            self, environment: jinja2.Environment, template: str
        ) -> tuple[str, str | None, Callable[[], bool] | None]:
            parts = template.replace("\\", "/").split("/")
            if template.startswith("/") or ".." in parts:
                raise _Outside(
                    f"names {template}, outside the templates folder {shown}",
                    hint="An include names a file of the templates folder, from that folder.",
                )
            path = folder.joinpath(*[part for part in parts if part not in ("", ".")])
            if not path.is_file():
                raise jinja2.TemplateNotFound(template)
            real = path.resolve()
            if top not in real.parents:
                raise _Outside(
                    f"reads {shown / template}, a link to {real}, outside the repository",
                    hint="Templates are read only from inside the repository: replace the "
                    "link by the file.",
                )
            text = real.read_text("utf-8")
            mtime = real.stat().st_mtime
            return text, str(real), lambda: real.stat().st_mtime == mtime

    return InsideLoader()
