"""The packaged release templates, rendered in Python when the project overrides none of them.

Jinja2's import and the compilation of each template cost a dry run more than everything
else it does together (`benchmarks/bench.py`: about 25 ms of a 160 ms run), and a project
with no `templates/` folder of its own renders only these, with variables we give. So each
packaged template beside this module (`templates/*.j2`) has its twin here, and
tests/test_templates.py renders both, with Jinja2 and with this module, over generated
variables: any difference fails. A project's own template, and `release.yml.j2` (written
once, by `bump init`), still go through Jinja2's sandbox.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

Variables = Mapping[str, Any]


def _links(v: Variables) -> str:
    return f"[{v['label']}]: {v['url']}"


def _release(v: Variables) -> str:
    label = f"[{v['label']}]" if v["bracketed"] else f"{v['label']}"
    link = f"({v['link']})" if v["link"] else ""
    dated = f"{v['separator']}{v['date']}{v['date_end']}" if v["dated"] else ""
    return f"{v['level']} {label}{link}{dated}"


def _unreleased(v: Variables) -> str:
    return f"{v['heading']}"


def _commit(v: Variables) -> str:
    packages: Sequence[Mapping[str, Any]] = v["packages"]
    if len(packages) > 1:
        return "chore(release): " + ", ".join(f"{p['name']} {p['version']}" for p in packages)
    return f"chore(release): {v['tag']}"


def _tag(v: Variables) -> str:
    return f"{v['tag']}: {v['message']}" if v["message"] else f"{v['tag']}"


def _security(v: Variables) -> str:
    widths: Sequence[int] = v["widths"]

    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(cells)) + " |"

    lines = [row(v["header"]), "|" + "|".join(v["separator"]) + "|"]
    return "\n".join(lines) + "\n" + "".join(row(cells) + "\n" for cells in v["rows"])


def _retract(v: Variables) -> str:
    return (
        f"Retract {v['version']}: revert the release commit {v['commit']}\n\n"
        f"{v['tag']} was never uploaded; its tag is deleted, so that {v['version']} can be "
        f"released again.\n\nThis reverts commit {v['release_commit']}."
    )


#: Template name → its rendering (every packaged template but release.yml.j2).
RENDERINGS: dict[str, Callable[[Variables], str]] = {
    "changelog_links.md.j2": _links,
    "changelog_release.md.j2": _release,
    "changelog_unreleased.md.j2": _unreleased,
    "commit_message.txt.j2": _commit,
    "tag_message.txt.j2": _tag,
    "security_versions.md.j2": _security,
    "retract_message.txt.j2": _retract,
}
