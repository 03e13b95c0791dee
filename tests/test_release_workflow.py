"""The publish workflow `bump init` writes, and the one this repository releases itself with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Project

from cutrelease import project, scaffold
from cutrelease.templates import PACKAGED, make_renderer

REPO = Path(__file__).resolve().parents[1]
OWN_WORKFLOW = REPO / ".github" / "workflows" / "release.yml"


def generated_for(root: Path) -> str:
    loaded = project.load(root)
    return scaffold.workflow_text(loaded, render=make_renderer(root / loaded.config.templates))


def test_own_workflow_is_what_bump_init_writes_for_this_project() -> None:
    assert OWN_WORKFLOW.read_bytes() == generated_for(REPO).encode("utf-8")


def test_the_template_ships_with_the_package() -> None:
    assert (PACKAGED / "release.yml.j2").read_bytes() == (
        REPO / "templates" / "release.yml.j2"
    ).read_bytes()


def parsed(text: str) -> dict[str, Any]:
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    # YAML 1.1 reads the key `on` as the boolean true.
    data["on"] = data.pop(True)
    return data


def run_steps(job: dict[str, Any]) -> list[str]:
    return [step.get("run") or f"uses {step['uses']}" for step in job["steps"]]


@pytest.fixture(params=["own", "generated"])
def workflow(request: pytest.FixtureRequest, project: Project) -> tuple[str, str]:
    """(the workflow text, how it runs bump): this repository's own, and one for `widget`."""
    if request.param == "own":
        return OWN_WORKFLOW.read_text("utf-8"), "uvx --from . bump"
    return generated_for(project.root), "uvx --from cutrelease bump"


def test_workflow_runs_on_a_version_tag_push(workflow: tuple[str, str]) -> None:
    data = parsed(workflow[0])
    assert data["on"] == {"push": {"tags": ["v*"]}}
    assert data["permissions"] == {"contents": "read"}
    assert list(data["jobs"]) == ["build", "pypi", "github-release"]


def test_check_tag_first_then_build(workflow: tuple[str, str]) -> None:
    text, bump = workflow
    build = parsed(text)["jobs"]["build"]
    assert "permissions" not in build  # the workflow's read-only default
    assert run_steps(build) == [
        "uses actions/checkout@v4",
        "uses astral-sh/setup-uv@v6",
        f'{bump} check-tag "$GITHUB_REF_NAME"',
        "uv build",
        "uses actions/upload-artifact@v4",
    ]


def test_then_pypi_trusted_publishing(workflow: tuple[str, str]) -> None:
    pypi = parsed(workflow[0])["jobs"]["pypi"]
    assert pypi["needs"] == "build"
    assert pypi["environment"]["name"] == "pypi"
    assert pypi["permissions"] == {"id-token": "write"}
    assert run_steps(pypi) == [
        "uses actions/download-artifact@v4",
        "uses pypa/gh-action-pypi-publish@release/v1",
    ]
    assert "with" not in pypi["steps"][-1]  # no password, no token: trusted publishing


def test_then_the_github_release_with_notes_wheel_and_sdist(workflow: tuple[str, str]) -> None:
    text, bump = workflow
    release = parsed(text)["jobs"]["github-release"]
    assert release["needs"] == "pypi"
    assert release["permissions"] == {"contents": "write"}
    assert run_steps(release) == [
        "uses actions/checkout@v4",
        "uses astral-sh/setup-uv@v6",
        "uses actions/download-artifact@v4",
        f'{bump} notes "$GITHUB_REF_NAME" > release-notes.md',
        'gh release create "$GITHUB_REF_NAME" dist/*.whl dist/*.tar.gz --repo '
        '"$GITHUB_REPOSITORY" --title "$GITHUB_REF_NAME" --notes-file release-notes.md '
        "--verify-tag",
    ]
    assert release["steps"][-1]["env"] == {"GH_TOKEN": "${{ github.token }}"}


def test_no_secret_anywhere(workflow: tuple[str, str]) -> None:
    text = workflow[0]
    assert "secrets." not in text
    assert "password" not in text
    only_oidc = [name for name, job in parsed(text)["jobs"].items() if "id-token" in str(job)]
    assert only_oidc == ["pypi"]


def test_pre_commit_hook_runs_bump_check() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hooks == [
        {
            "id": "bump-check",
            "name": "bump check",
            "description": (
                "Lint the release files (version, Keep a Changelog, Supported Versions table)."
            ),
            "entry": "bump check",
            "language": "python",
            "pass_filenames": False,
            "files": r"^(pyproject\.toml|CHANGELOG\.md|SECURITY\.md)$",
        }
    ]
