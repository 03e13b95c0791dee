"""The publish workflow `bump init` writes, and the one this repository releases itself with."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Project, audit_workflow, needs_actionlint

from cutrelease import project, scaffold
from cutrelease.templates import PACKAGED, make_renderer

REPO = Path(__file__).resolve().parents[1]
OWN_WORKFLOW = REPO / ".github" / "workflows" / "release.yml"


def generated_for(root: Path) -> str:
    loaded = project.load(root)
    return scaffold.workflow_text(loaded, render=make_renderer(root / loaded.config.templates))


def test_own_workflow_is_what_bump_init_writes_for_this_project() -> None:
    assert OWN_WORKFLOW.read_bytes() == generated_for(REPO).encode("utf-8")


@pytest.mark.skipif(
    not (REPO / "templates").is_dir(), reason="an sdist holds the package's copy only"
)
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
    """Each step's command, or `uses OWNER/ACTION` (the pin is checked on its own)."""
    return [step.get("run") or f"uses {step['uses'].split('@')[0]}" for step in job["steps"]]


@pytest.fixture(params=["own", "generated"])
def workflow(request: pytest.FixtureRequest, project: Project) -> tuple[str, str]:
    """(the workflow text, how it runs bump): this repository's own, and one for `widget`."""
    if request.param == "own":
        return OWN_WORKFLOW.read_text("utf-8"), "uvx --from . bump"
    return generated_for(project.root), f"uvx --from cutrelease=={version('cutrelease')} bump"


def test_workflow_runs_on_a_version_tag_push(workflow: tuple[str, str]) -> None:
    data = parsed(workflow[0])
    assert data["on"] == {"push": {"tags": ["v*"]}}
    assert data["permissions"] == {"contents": "read"}
    # This repository has a callable CI workflow: the release runs it first (see below).
    gate = ["ci"] if workflow[0] == OWN_WORKFLOW.read_text("utf-8") else []
    assert list(data["jobs"]) == [*gate, "build", "pypi", "github-release"]


def test_own_release_publishes_only_a_commit_that_passed_ci() -> None:
    jobs = parsed(OWN_WORKFLOW.read_text("utf-8"))["jobs"]
    assert jobs["ci"]["uses"] == "./.github/workflows/ci.yml"  # the tagged commit's own CI
    assert jobs["ci"]["permissions"] == {"contents": "read"}
    assert jobs["build"]["needs"] == "ci"  # pypi needs build, github-release needs pypi
    ci = parsed((REPO / ".github" / "workflows" / "ci.yml").read_text("utf-8"))
    assert "workflow_call" in ci["on"]


CALLABLE_CI = """\
name: ci
on:
  push:
  workflow_call:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: echo test
"""


@pytest.mark.parametrize(
    ("ci", "gated"),
    [
        (CALLABLE_CI, True),
        (CALLABLE_CI.replace("  workflow_call:\n", ""), False),  # cannot be called
        (CALLABLE_CI.replace("  workflow_call:\n", "  # workflow_call: later\n"), False),
        (CALLABLE_CI.replace("  push:\n  workflow_call:\n", "  [push, workflow_call]\n"), True),
        (None, False),
    ],
)
def test_bump_init_gates_the_release_on_a_callable_ci_workflow(
    project: Project, ci: str | None, gated: bool
) -> None:
    if ci is not None:
        project.write(".github/workflows/ci.yml", ci)
    jobs = parsed(generated_for(project.root))["jobs"]
    assert ("ci" in jobs) is gated
    assert ("needs" in jobs["build"]) is gated
    if gated:
        assert jobs["ci"]["uses"] == "./.github/workflows/ci.yml"
        assert jobs["build"]["needs"] == "ci"


@pytest.mark.parametrize("tool", ["zizmor", pytest.param("actionlint", marks=needs_actionlint)])
def test_the_gated_workflow_passes_the_auditors(
    project: Project, tmp_path: Path, tool: str
) -> None:
    project.write(".github/workflows/ci.yml", CALLABLE_CI)
    text = generated_for(project.root)
    assert "\n  ci:\n" in text
    done = audit_workflow(text, tmp_path, tool=tool)
    assert done.returncode == 0, done.stdout + done.stderr


def test_check_tag_first_then_build(workflow: tuple[str, str]) -> None:
    text, bump = workflow
    build = parsed(text)["jobs"]["build"]
    assert "permissions" not in build  # the workflow's read-only default
    assert run_steps(build) == [
        "uses actions/checkout",
        "uses astral-sh/setup-uv",
        f'{bump} check-tag "$GITHUB_REF_NAME"',
        "uv build",
        "uses actions/upload-artifact",
    ]


def test_then_pypi_trusted_publishing(workflow: tuple[str, str]) -> None:
    pypi = parsed(workflow[0])["jobs"]["pypi"]
    assert pypi["needs"] == "build"
    assert pypi["environment"]["name"] == "pypi"
    assert pypi["permissions"] == {"id-token": "write"}
    assert run_steps(pypi) == [
        "uses actions/download-artifact",
        "uses pypa/gh-action-pypi-publish",
    ]
    assert "with" not in pypi["steps"][-1]  # no password, no token: trusted publishing


_PINNED = re.compile(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def test_every_action_is_pinned_to_a_commit_with_its_version(workflow: tuple[str, str]) -> None:
    uses = [
        line.strip(" -")
        for line in workflow[0].splitlines()
        if "uses:" in line and "uses: ./" not in line  # the repository's own CI: its commit
    ]
    assert len(uses) == 8
    assert [line for line in uses if not _PINNED.fullmatch(line)] == []


def test_no_cache_in_a_publishing_workflow(workflow: tuple[str, str]) -> None:
    jobs = parsed(workflow[0])["jobs"].values()
    # The CI job (a reusable workflow: no steps here) is checked in test_ci_workflow.py.
    steps = [step for job in jobs for step in job.get("steps", [])]
    setup_uv = [step for step in steps if "setup-uv" in step.get("uses", "")]
    assert len(setup_uv) == 2
    assert all(step["with"] == {"enable-cache": False} for step in setup_uv)


def test_zizmor_finds_nothing(workflow: tuple[str, str], tmp_path: Path) -> None:
    done = audit_workflow(workflow[0], tmp_path, tool="zizmor")
    assert done.returncode == 0, done.stdout + done.stderr


@needs_actionlint
def test_actionlint_finds_nothing(workflow: tuple[str, str], tmp_path: Path) -> None:
    done = audit_workflow(workflow[0], tmp_path, tool="actionlint")
    assert done.returncode == 0, done.stdout + done.stderr


def test_then_the_github_release_with_notes_wheel_and_sdist(workflow: tuple[str, str]) -> None:
    text, bump = workflow
    release = parsed(text)["jobs"]["github-release"]
    assert release["needs"] == "pypi"
    assert release["permissions"] == {"contents": "write"}
    assert run_steps(release) == [
        "uses actions/checkout",
        "uses astral-sh/setup-uv",
        "uses actions/download-artifact",
        f'{bump} notes "$GITHUB_REF_NAME" > release-notes.md',
        "prerelease=()\n"
        'if [[ "$GITHUB_REF_NAME" =~ (a|b|rc)[0-9]+$ ]]; then prerelease=(--prerelease); fi\n'
        'gh release create "$GITHUB_REF_NAME" dist/*.whl dist/*.tar.gz \\\n'
        '  --repo "$GITHUB_REPOSITORY" --title "$GITHUB_REF_NAME" \\\n'
        '  --notes-file release-notes.md --verify-tag "${prerelease[@]}"\n',
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
            "pass_filenames": False,  # and no `files:`: a member's or a listed file counts too
        }
    ]
