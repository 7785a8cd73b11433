"""The benchmarks still run: `python -m benchmarks --quick` exits cleanly and prints its
table. No timings are checked here; the figures live in `benchmarks/RESULTS.md`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks import BENCHMARKS
from benchmarks.report import HEADER

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmarks_run_and_print_their_table() -> None:
    results = ROOT / "benchmarks" / "RESULTS.md"
    before = results.read_bytes() if results.exists() else None
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert HEADER in done.stdout
    for name in BENCHMARKS:
        assert f"| {name} |" in done.stdout, f"{name} printed no row"
    after = results.read_bytes() if results.exists() else None
    assert after == before, "--quick must not overwrite benchmarks/RESULTS.md"
