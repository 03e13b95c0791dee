"""What pyproject.toml claims, for `.ci/run`: `floors` or `pythons`, one per line.

floors: each runtime dependency pinned to its declared floor (`click>=8.1` -> `click==8.1`);
`.ci/run` installs these beside the dev extra in one resolution, so the suite proves the floors
(a dev tool needing more makes the install fail rather than quietly lifting a floor).
pythons: the Python versions the classifiers claim (`3.10`, `3.11`, …), oldest first.
"""

import re
import sys
from pathlib import Path

import tomllib  # 3.11+: .ci/run and CI run this with a newer Python

pyproject = Path(__file__).parents[1] / "pyproject.toml"
project = tomllib.loads(pyproject.read_text("utf-8"))["project"]
what = sys.argv[1:] or ["floors"]
if what == ["floors"]:
    for requirement in project["dependencies"]:
        match = re.fullmatch(r"([A-Za-z0-9._-]+)\s*>=\s*([0-9][0-9.]*)", requirement)
        if match is None:
            sys.exit(f"claims: {requirement!r} declares no plain `>=` floor")
        print(f"{match[1]}=={match[2]}")
elif what == ["pythons"]:
    prefix = "Programming Language :: Python :: "
    versions = [c.removeprefix(prefix) for c in project["classifiers"] if c.startswith(prefix)]
    found = sorted((v for v in versions if re.fullmatch(r"3\.\d+", v)), key=lambda v: int(v[2:]))
    print("\n".join(found))
else:
    sys.exit("usage: claims.py floors|pythons")
