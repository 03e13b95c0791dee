"""One JSON shape (SPEC section 15): every command's --json, its envelope, and its schema.

conftest's Project.bump validates every --json output of the suite against the schema of the
command it names (tests/jsonschemas.py); here each command is run to success, refusal and
usage error, and the schemas themselves are checked.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import jsonschemas
import pytest
from conftest import Project

from cutrelease.cli import COMMANDS as COMMAND_MODULES
from cutrelease.cli import _output, json_schema_file
from cutrelease.output import JSON_VERSION, envelope

REPO = Path(__file__).resolve().parents[1]
SCHEMA_FILES = sorted(path.name for path in jsonschemas.SCHEMAS.glob("*.json"))
COMMANDS = sorted(COMMAND_MODULES)  # every command click knows; `bump VERSION` besides
EXPLICIT = "2.0.0"

#: A run of each command that succeeds in the `project` fixture (offline: conftest).
SUCCESS = {
    "patch": ["patch", "--dry-run"],
    "minor": ["minor", "--dry-run"],
    "major": ["major", "--dry-run"],
    "alpha": ["alpha", "--dry-run"],  # these four from a pre-release (the test makes one)
    "beta": ["beta", "--dry-run"],
    "rc": ["rc", "--dry-run"],
    "stable": ["stable", "--dry-run"],
    "auto": ["auto", "--dry-run"],
    "version": ["version"],
    "check": ["check"],
    "check-tag": ["check-tag", "v0.2.0"],
    "notes": ["notes"],
    "init": ["init", "--dry-run"],
    "recover": ["recover"],
    "next": ["next"],
}


def _json(run_out: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(run_out)
    return found


def test_every_command_has_a_schema_and_every_schema_a_command() -> None:
    named = {json_schema_file(command) for command in [*COMMANDS, EXPLICIT, "v2.0.0rc1", "bump"]}
    assert named == set(SCHEMA_FILES)


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_each_schema_is_valid_and_opens_with_the_envelope(name: str) -> None:
    found = jsonschemas.schema(name)  # check_schema: a valid draft 2020-12 schema
    assert found["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    properties = found["properties"]
    assert list(properties)[:5] == list(envelope("bump"))
    assert found["required"] == list(properties)
    assert found["additionalProperties"] is False  # every key the command prints is described
    shared = jsonschemas.schema("bump.json")["properties"]
    for key in ("schema_version", "ok", "exit_code", "error"):
        assert properties[key] == shared[key], key
    assert properties["schema_version"]["const"] == JSON_VERSION


@pytest.mark.parametrize("command", [*COMMANDS, EXPLICIT, "bump"])
def test_each_schema_describes_the_keys_its_command_prints(command: str) -> None:
    """The keys of the schema are those Output prints for the command, in the same order."""
    printed = [*envelope(command), *_output(command).schema]
    schema = jsonschemas.schema(json_schema_file(command))
    assert list(dict.fromkeys(printed)) == list(schema["properties"])


def test_a_schema_refuses_what_the_shape_forbids() -> None:
    validator = jsonschema.Draft202012Validator(jsonschemas.schema("recover.json"))
    fine = {**envelope("recover"), "ok": True, "message": "Nothing."}
    validator.validate(fine)
    for wrong in (
        {**fine, "exit_code": 1},  # ok, but a failure's exit code
        {**fine, "error": "It failed."},  # ok, with an error
        {**fine, "ok": False},  # a failure without its sentence nor its exit code
        {**fine, "command": "version"},
        {**fine, "schema_version": 2},
        {**fine, "more": 1},
        {key: value for key, value in fine.items() if key != "message"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(wrong)


def test_the_wheel_ships_the_schemas(tmp_path: Path) -> None:
    """Built as PyPI users get it (uv build): schemas/*.json inside the package."""
    subprocess.run(
        [sys.executable, "-m", "uv", "build", "--wheel", "-q", "-o", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as built:
        shipped = sorted(
            name.removeprefix("cutrelease/schemas/")
            for name in built.namelist()
            if name.startswith("cutrelease/schemas/")
        )
    assert shipped == SCHEMA_FILES


@pytest.mark.parametrize("command", sorted(SUCCESS))
def test_each_command_succeeds_as_one_json_object(project: Project, command: str) -> None:
    if command in ("alpha", "beta", "rc", "stable"):  # a pre-release to go on from
        assert project.bump("minor", "--pre", "alpha").code == 0
        changelog = project.read("CHANGELOG.md")
        project.write(
            "CHANGELOG.md", changelog.replace("]\n\n", "]\n\n### Fixed\n\n- A fix.\n\n", 1)
        )
        project.commit_all("a fix")
    before = project.snapshot()
    run = project.bump(*SUCCESS[command], "--json")
    assert (run.code, run.err) == (0, ""), run
    data = _json(run.out)
    assert (data["command"], data["ok"], data["exit_code"], data["error"]) == (
        command,
        True,
        0,
        None,
    )
    assert project.snapshot() == before


@pytest.mark.parametrize("command", [*COMMANDS, EXPLICIT])
def test_each_command_refuses_as_one_json_object(
    project: Project, tmp_path: Path, command: str
) -> None:
    """Outside any repository (nor a pyproject.toml above): refused, exit 1, one object."""
    nowhere = tmp_path / "nowhere"
    nowhere.mkdir()
    args = {"check-tag": ["check-tag", "v0.2.0"]}.get(command, [command])
    run = project.bump(*args, "--json", cwd=nowhere)
    assert run.code == 1, run
    data = _json(run.out)
    assert (data["command"], data["ok"], data["exit_code"]) == (command, False, 1)
    assert isinstance(data["error"], str) and data["error"].endswith(".")


@pytest.mark.parametrize("command", [*COMMANDS, EXPLICIT])
def test_each_usage_error_is_one_json_object(project: Project, command: str) -> None:
    before = project.snapshot()
    run = project.bump(command, "--json", "--bogus")
    assert run.code == 2, run
    data = _json(run.out)
    assert (data["command"], data["ok"], data["exit_code"]) == (command, False, 2)
    assert "--bogus" in str(data["error"])
    assert project.snapshot() == before


@pytest.mark.parametrize(
    "args", [["--json"], ["frobnicate", "--json"], ["-p", "a", "-p", "b", "version", "--json"]]
)
def test_an_error_before_any_command_is_bumps_own(project: Project, args: list[str]) -> None:
    run = project.bump(*args)
    assert run.code == 2, run
    data = _json(run.out)
    assert (data["command"], data["ok"], data["exit_code"]) == ("bump", False, 2)


def test_version_json(project: Project) -> None:
    one = _json(project.bump("version", "--json").out)
    assert {key: one[key] for key in ("version", "name", "folder", "packages")} == {
        "version": "0.2.0",
        "name": "widget",
        "folder": ".",
        "packages": None,
    }
    every = _json(project.bump("version", "--all", "--json").out)
    assert every["version"] is None
    assert every["packages"] == [{"name": "widget", "version": "0.2.0", "folder": "."}]


def test_check_json_lists_every_problem(project: Project) -> None:
    project.git("rm", "-q", "CHANGELOG.md")
    project.commit_all("no changelog")
    plain = project.bump("check")
    run = project.bump("check", "--json")
    assert run.code == plain.code == 1
    data = _json(run.out)
    assert [f"{p['path']}: {p['message']}" for p in data["problems"]] == plain.out.splitlines()
    assert data["problems"][0]["line"] is None
    assert data["error"] == "1 problem in the release files; fix them before releasing."


def test_notes_json_holds_what_it_prints(project: Project) -> None:
    data = _json(project.bump("notes", "--json").out)
    assert (data["version"], data["unreleased"]) == ("0.2.0", False)
    assert data["notes"] == project.bump("notes").out
    pending = _json(project.bump("notes", "--unreleased", "--json").out)
    assert (pending["version"], pending["unreleased"]) == (None, True)
    assert pending["notes"] == project.bump("notes", "--unreleased").out


def test_init_json_holds_what_it_shows(project: Project) -> None:
    shown = project.bump("init", "--dry-run")
    data = _json(project.bump("init", "--dry-run", "--json").out)
    assert data["dry_run"] is True
    assert data["diff"] == shown.out
    assert ".github/workflows/release.yml" in data["files"]
    assert data["kept"] == ["CHANGELOG.md", "SECURITY.md"]
    made = _json(project.bump("init", "--json").out)
    assert (made["files"], made["diff"]) == (data["files"], None)
    assert all((project.root / path).is_file() for path in made["files"])


def test_recover_json(project: Project) -> None:
    data = _json(project.bump("recover", "--json").out)
    assert data["message"] == "No interrupted release: nothing to recover."
