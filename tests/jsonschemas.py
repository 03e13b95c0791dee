"""Every `--json` output the suite produces, checked against its command's JSON Schema (the
package's schemas/NAME.json, SPEC section 15): conftest's Project.bump calls `check`."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

import cutrelease
from cutrelease.cli import json_schema_file

SCHEMAS = Path(cutrelease.__file__).parent / "schemas"


@functools.cache
def schema(name: str) -> dict[str, Any]:
    """The JSON Schema in schemas/`name`, checked to be a valid draft 2020-12 schema."""
    found: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(found)
    return found


def check(args: Sequence[str], code: int, stdout: str) -> None:
    """With `--json` among `args`: stdout is exactly one JSON object, valid against the schema
    of the command it names, which is among `args` (or `bump`, an error before any command),
    and whose exit_code is the process's. A bump killed by a signal printed nothing: skipped."""
    if "--json" not in args or code < 0:
        return
    data = json.loads(stdout)  # two objects, or text around one, fail here
    command = data.get("command")
    assert command == "bump" or command in args, (command, args)
    Draft202012Validator(schema(json_schema_file(command))).validate(data)
    assert data["exit_code"] == code, (data, code)
