"""Templates: shipped in the wheel, overridable per project, sandboxed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import GIT_ENV, Project

from cutrelease.templates import PACKAGED

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = [
    "changelog_release.md.j2",
    "changelog_unreleased.md.j2",
    "changelog_links.md.j2",
    "security_versions.md.j2",
    "commit_message.txt.j2",
    "tag_message.txt.j2",
]


# The repository keeps the templates at its top (the package links to them); an sdist holds
# the package's copy only.
SOURCE = REPO / "templates" if (REPO / "templates").is_dir() else PACKAGED


def test_the_wheel_ships_the_six_templates(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("cutrelease-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for name in TEMPLATES:
        assert f"cutrelease/templates/{name}" in names
        packaged = zipfile.ZipFile(wheel).read(f"cutrelease/templates/{name}")
        assert packaged == (SOURCE / name).read_bytes()


def test_project_template_overrides_the_default(project: Project) -> None:
    project.write("templates/commit_message.txt.j2", "release {{ version }} ({{ date }})\n")
    project.commit_all("own commit template")
    project.push()
    run = project.bump("patch", "--date", "2026-03-01")
    assert run.code == 0, run.err
    assert project.git("log", "-1", "--format=%s") == "release 0.2.1 (2026-03-01)\n"


def test_templates_folder_is_configurable(project: Project) -> None:
    project.write("release-templates/tag_message.txt.j2", "Widget {{ version }}\n")
    text = project.read("pyproject.toml") + '\n[tool.cutrelease]\ntemplates = "release-templates"\n'
    project.write("pyproject.toml", text)
    project.commit_all("configure")
    project.push()
    assert project.bump("patch").code == 0
    assert project.git("tag", "-l", "--format=%(contents:subject)") == "Widget 0.2.1\n"


def test_sandbox_refuses_python_internals(project: Project) -> None:
    project.write(
        "templates/tag_message.txt.j2",
        "{{ cycler.__init__.__globals__.os.system('touch pwned') }}\n",
    )
    project.commit_all("evil template")
    project.push()
    before = project.snapshot()
    run = project.bump("patch")
    assert run.code == 1
    assert "tag_message.txt.j2" in run.err
    assert "sandbox" in run.err
    assert "Traceback" not in run.err
    assert not (project.root / "pwned").exists()
    assert project.snapshot() == before


def test_unknown_variable_is_refused_before_anything_is_written(project: Project) -> None:
    project.write("templates/commit_message.txt.j2", "release {{ no_such_thing }}\n")
    project.commit_all("bad template")
    project.push()
    before = project.snapshot()
    run = project.bump("patch")
    assert run.code == 1
    assert "commit_message.txt.j2" in run.err and "no_such_thing" in run.err
    assert project.snapshot() == before


def _commit_template(project: Project, text: str) -> None:
    project.write("templates/commit_message.txt.j2", text)
    project.commit_all("templates")
    project.push()


def _refused(project: Project, *words: str) -> None:
    before = project.snapshot()
    run = project.bump("patch")
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    for word in words:
        assert word in run.err, (word, run.err)
    assert project.snapshot() == before


def test_an_included_link_out_of_the_repository_is_refused(
    project: Project, tmp_path: Path
) -> None:
    secret = tmp_path / "home" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("SECRET TOKEN\n")
    (project.root / "templates").mkdir()
    (project.root / "templates" / "footer.txt").symlink_to(secret)
    _commit_template(project, "release {{ version }}\n\n{% include 'footer.txt' %}\n")
    _refused(project, "footer.txt", "outside the repository")
    assert "SECRET" not in project.git("log", "--all", "-p")


def test_a_template_that_is_a_link_out_of_the_repository_is_refused(
    project: Project, tmp_path: Path
) -> None:
    outside = tmp_path / "commit.j2"
    outside.write_text("release {{ version }} from outside\n")
    (project.root / "templates").mkdir()
    (project.root / "templates" / "commit_message.txt.j2").symlink_to(outside)
    project.commit_all("templates")
    project.push()
    _refused(project, "commit_message.txt.j2", "outside the repository")


def test_a_link_inside_the_repository_is_read(project: Project) -> None:
    project.write("NOTICE", "Signed-off-by: the team\n")
    (project.root / "templates").mkdir()
    (project.root / "templates" / "footer.txt").symlink_to("../NOTICE")
    _commit_template(project, "release {{ version }}\n\n{% include 'footer.txt' %}\n")
    run = project.bump("patch")
    assert run.code == 0, run.err
    assert "Signed-off-by: the team" in project.git("log", "-1", "--format=%B")


def test_an_include_outside_the_templates_folder_is_refused(project: Project) -> None:
    _commit_template(project, "release {{ version }}\n{% include '../pyproject.toml' %}\n")
    _refused(project, "../pyproject.toml", "outside the templates folder")


def test_an_include_not_found_is_named_as_the_include(project: Project) -> None:
    _commit_template(project, "release {{ version }}\n{% include 'nothere.txt' %}\n")
    _refused(project, "includes nothere.txt, which was not found")


def test_a_templates_setting_outside_the_repository_is_refused(
    project: Project, tmp_path: Path
) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "tag_message.txt.j2").write_text("from elsewhere\n")
    text = project.read("pyproject.toml") + '\n[tool.cutrelease]\ntemplates = "../elsewhere"\n'
    project.write("pyproject.toml", text)
    project.commit_all("configure")
    project.push()
    _refused(project, "../elsewhere", "outside the repository")


# -- the packaged templates' Python twins ---------------------------------------------------
# packaged_templates renders the packaged templates without Jinja2 (start-up time). These
# tests render each with Jinja2's sandbox from the .j2 file, as a project's own template would
# be, and with the twin, over generated variables: the two texts must be the same.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cutrelease.packaged_templates import RENDERINGS  # noqa: E402
from cutrelease.templates import _jinja_renderer, make_renderer  # noqa: E402

_jinja = _jinja_renderer(None, None)
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_words = st.text(
    st.characters(blacklist_categories=("Cs", "Zl", "Zp"), blacklist_characters="\r\n"), max_size=8
)
_package = st.fixed_dictionaries(
    {"name": _words, "version": _words, "previous_version": _words, "tag": _words}
)


@st.composite
def _table(draw: st.DrawFn) -> dict[str, object]:
    columns = draw(st.integers(1, 4))
    cells = st.lists(_words, min_size=columns, max_size=columns)
    header, rows = draw(cells), draw(st.lists(cells, max_size=4))
    widths = [max([3, *(len(row[i]) for row in (header, *rows))]) for i in range(columns)]
    separator = draw(st.lists(_words, min_size=columns, max_size=columns))
    return {"header": header, "rows": rows, "widths": widths, "separator": separator}


VARIABLES = {
    "changelog_links.md.j2": st.fixed_dictionaries(
        {"label": _text, "url": _text, "version": _text, "tag": _text}
    ),
    "changelog_release.md.j2": st.fixed_dictionaries(
        {
            "level": st.sampled_from(["#", "##", "###"]),
            "label": _text,
            "bracketed": st.booleans(),
            "link": st.one_of(st.none(), st.just(""), _text),
            "dated": st.booleans(),
            "separator": st.sampled_from([" - ", " – ", " ", " (", ""]),
            "date": _text,
            "date_end": st.sampled_from(["", ")"]),
        }
    ),
    "changelog_unreleased.md.j2": st.fixed_dictionaries({"heading": _text}),
    "commit_message.txt.j2": st.fixed_dictionaries(
        {
            "tag": _text,
            "version": _text,
            "message": _text,
            "packages": st.lists(_package, min_size=1, max_size=4),
        }
    ),
    "tag_message.txt.j2": st.fixed_dictionaries({"tag": _text, "message": _text}),
    "security_versions.md.j2": _table().map(lambda table: {**table, "version": "1.2"}),
    "retract_message.txt.j2": st.fixed_dictionaries(
        {"version": _text, "tag": _text, "commit": _text, "release_commit": _text}
    ),
}


def test_every_packaged_template_but_the_workflow_has_a_twin() -> None:
    shipped = {path.name for path in PACKAGED.glob("*.j2")}
    assert set(RENDERINGS) == shipped - {"release.yml.j2"}
    assert set(VARIABLES) == set(RENDERINGS)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_each_twin_renders_what_jinja_renders(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(RENDERINGS)))
    variables = data.draw(VARIABLES[name])
    assert RENDERINGS[name](variables) == _jinja(name, variables)


def test_a_project_template_wins_over_the_twin(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "tag_message.txt.j2").write_text("Widget {{ tag }}\n")
    render = make_renderer(tmp_path / "templates", root=tmp_path)
    assert render("tag_message.txt.j2", {"tag": "v1", "message": ""}) == "Widget v1"
    # A template the folder does not hold is the packaged one.
    assert render("commit_message.txt.j2", {"tag": "v1", "packages": [{}]}) == "chore(release): v1"


def test_a_release_with_packaged_templates_does_not_import_jinja2(project: Project) -> None:
    code = (
        "import sys\nfrom cutrelease.cli import main\n"
        "try:\n    main(['patch', '--dry-run'])\n"
        "except SystemExit as exc:\n    assert exc.code == 0\n"
        "assert 'jinja2' not in sys.modules, 'jinja2 imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=project.root,
        env={**os.environ, **GIT_ENV, **project.env},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
