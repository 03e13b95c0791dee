"""The README's promises that can be run: its example is what the demo prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DEMO = REPO / "examples" / "demo.sh"
# 2026-11-25, the date the README's example shows.
EXAMPLE_DATE = "1795600000"


def _dry_run_block(text: str) -> str:
    """From `$ bump minor --dry-run` to the line saying nothing was changed."""
    start = text.index("$ bump minor --dry-run\n")
    end = text.index("nothing was changed.\n", start) + len("nothing was changed.\n")
    return text[start:end]


def test_the_example_in_30_seconds_is_what_the_demo_prints() -> None:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "SOURCE_DATE_EPOCH": EXAMPLE_DATE,
        "NO_COLOR": "1",
    }
    done = subprocess.run(
        ["bash", str(DEMO)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # as a terminal shows them: progress among the diff
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout
    section = README.read_text("utf-8").split("## In 30 seconds", 1)[1].split("\n## ", 1)[0]
    assert _dry_run_block(section) == _dry_run_block(done.stdout)
