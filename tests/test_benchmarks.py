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


def test_the_benchmarks_doctests_pass() -> None:
    import doctest

    from benchmarks import fit, harness, llm_text, report

    for module in (fit, harness, llm_text, report):
        failed, tried = doctest.testmod(module)
        assert tried and not failed, f"{module.__name__}: {failed} of {tried} failed"


def test_a_capped_baseline_is_extrapolated_in_its_favour() -> None:
    from benchmarks.fit import fit

    def quadratic(length: int) -> float:
        return 1e-3 + 1e-11 * length**2

    measured = fit([(length, quadratic(length)) for length in (10_000, 20_000, 40_000)])
    lengths = range(0, 1_000_000, 4)
    true = sum(map(quadratic, lengths))
    line, power = measured.totals(lengths)
    assert measured.total(lengths) == min(line, power) < true
    assert measured.exponent > 1.2, "the power law must see the cost grow faster than linearly"
    assert all(abs(measured.power(n) / quadratic(n) - 1) < 0.3 for n in (10_000, 40_000))

    linear = fit([(1_000, 0.003), (2_000, 0.005), (4_000, 0.009)])
    assert abs(linear.linear(10_000) - 0.021) < 1e-12
    assert linear.residual("line") < 1e-9
    assert linear.total(lengths) <= sum(0.001 + 2e-6 * n for n in lengths)
