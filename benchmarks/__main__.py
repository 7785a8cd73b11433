"""`python -m benchmarks [--quick] [--only NAME] [--output PATH]`: run and report.

Each benchmark runs in a fresh process, so that none pays for another's heap. Progress
goes to stderr; stdout gets the report, one table. A full run of every
benchmark writes it to `benchmarks/RESULTS.md`; `--quick` and `--only` runs write it
only where `--output` says.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks import BENCHMARKS, run_benchmark
from benchmarks.harness import Row
from benchmarks.report import render_report

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smaller inputs and caps, to check that the benchmarks run (seconds, not minutes)",
    )
    parser.add_argument(
        "--only", action="append", choices=BENCHMARKS, metavar="NAME", help="run only NAME"
    )
    parser.add_argument("--output", type=Path, help="write the report here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks asked for, print the table and write the report."""
    args = parse_args(argv)
    names = [name for name in BENCHMARKS if not args.only or name in args.only]
    started = time.perf_counter()
    rows: list[Row] = []
    times: dict[str, float] = {}
    spawn = multiprocessing.get_context("spawn")
    for name in names:
        print(f"benchmark {name}…", file=sys.stderr, flush=True)
        began = time.perf_counter()
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            rows += pool.submit(run_benchmark, name, args.quick).result()
        times[name] = time.perf_counter() - began
        print(f"benchmark {name}: {times[name]:.1f} s", file=sys.stderr, flush=True)
    mode = "quick" if args.quick else "full"
    report = render_report(rows, mode, time.perf_counter() - started, times)
    sys.stdout.write(report)
    output = args.output or (None if args.quick or args.only else RESULTS)
    if output is not None:
        output.write_text(report, encoding="utf-8")
        print(f"wrote {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
