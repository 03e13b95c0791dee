"""Time what a uv.lock costs a release: the same project with a 1- and a 1,000-package lock.

    python benchmarks/uvlock.py

Prints one markdown table: the median of `sources.find_places` + `changes` (what a dry run
asks of sources) for each lock, and, for scale, parsing the large lock whole with tomllib and
with tomlkit. The goal (issue: uv.lock support) is a dry run on the large lock within 1.15x
of the small one; this isolates the part of the dry run that grows with the lock.
"""

from __future__ import annotations

import hashlib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from cutrelease.files import sources  # noqa: E402

RUNS = 21
WHEEL_TAGS = (
    "py3-none-any",
    "cp312-cp312-manylinux_2_17_x86_64",
    "cp312-cp312-macosx_11_0_arm64",
    "cp312-cp312-win_amd64",
    "cp313-cp313-manylinux_2_17_x86_64",
)
PYPROJECT = '[project]\nname = "widget"\nversion = "0.2.0"\ndependencies = []\n'


def lock_text(packages: int) -> str:
    """A uv.lock as uv writes one: registry packages with an sdist and wheels, and the project."""
    names = sorted({f"package-{n:04d}" for n in range(packages - 1)} | {"widget"})
    blocks = ['version = 1\nrevision = 3\nrequires-python = ">=3.10"\n']
    for name in names:
        if name == "widget":
            deps = "".join(f'    {{ name = "{n}" }},\n' for n in names[:20] if n != name)
            blocks.append(
                '[[package]]\nname = "widget"\nversion = "0.2.0"\nsource = { editable = "." }\n'
                + (f"dependencies = [\n{deps}]\n" if deps else "")
            )
            continue
        digest = hashlib.sha256(name.encode()).hexdigest()
        url = f"https://files.pythonhosted.org/packages/{digest[:2]}/{digest[2:4]}/{digest[4:]}"
        wheels = "".join(
            f'    {{ url = "{url}/{name.replace("-", "_")}-1.0.0-{tag}.whl", hash = '
            f'"sha256:{hashlib.sha256((name + tag).encode()).hexdigest()}", size = 123456, '
            'upload-time = "2025-01-01T00:00:00.000Z" },\n'
            for tag in WHEEL_TAGS
        )
        blocks.append(
            f'[[package]]\nname = "{name}"\nversion = "1.0.0"\n'
            'source = { registry = "https://pypi.org/simple" }\n'
            f'sdist = {{ url = "{url}/{name}-1.0.0.tar.gz", hash = "sha256:{digest}", '
            'size = 654321, upload-time = "2025-01-01T00:00:00.000Z" }\n'
            f"wheels = [\n{wheels}]\n"
        )
    return "\n".join(blocks)


def median_ms(work: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def release_work(root: Path) -> Callable[[], object]:
    def work() -> object:
        found = sources.find_places(root, PYPROJECT)
        return found.changes("0.2.1")

    return work


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        results = {}
        for packages in (1, 1000):
            root = Path(folder) / str(packages)
            root.mkdir()
            (root / "pyproject.toml").write_text(PYPROJECT)
            text = lock_text(packages)
            (root / "uv.lock").write_text(text)
            changes = release_work(root)()
            assert [c.path for c in changes] == ["pyproject.toml", "uv.lock"]  # type: ignore[attr-defined]
            release_work(root)()  # warm: imports, tomlkit's first parse
            results[packages] = median_ms(release_work(root))
            rows.append(
                (
                    f"find_places + changes, {packages:,}-package lock ({len(text):,} bytes)",
                    results[packages],
                )
            )
        large = lock_text(1000)
        import tomllib

        rows.append(
            (
                "tomllib.loads of the whole 1,000-package lock",
                median_ms(lambda: tomllib.loads(large), runs=5),
            )
        )
        import tomlkit

        rows.append(
            (
                "tomlkit.parse of the whole 1,000-package lock",
                median_ms(lambda: tomlkit.parse(large), runs=1),
            )
        )
    print("| work | median (ms) |\n| --- | ---: |")
    for name, ms in rows:
        print(f"| {name} | {ms:.2f} |")
    print(f"\nThe large lock costs {results[1000] - results[1]:.2f} ms more than the small one.")


if __name__ == "__main__":
    main()
