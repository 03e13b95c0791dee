"""Templates: shipped in the wheel, overridable per project, sandboxed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import Project

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
