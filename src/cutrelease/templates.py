"""The one Jinja sandbox: project overrides first, packaged defaults second."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from cutrelease.errors import Refused

#: Renders a template by name with variables; the result has no trailing newline.
Render = Callable[[str, Mapping[str, Any]], str]

PACKAGED = Path(__file__).parent / "templates"


def simple_render(name: str, variables: Mapping[str, Any]) -> str:
    """Render the packaged default template `name` with `variables` (for tests, pure callers).

    Raises Refused as make_renderer's renderer does.
    """
    return make_renderer(None)(name, variables)


def make_renderer(override_dir: Path | None) -> Render:
    """A renderer that looks in `override_dir` first, then in the packaged defaults.

    Templates are compiled in memory each run (nothing is written anywhere). The renderer
    raises Refused, naming the template, when it is missing, reaches past the sandbox, uses
    an unknown variable or cannot be rendered.
    """
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
