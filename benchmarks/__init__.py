"""inkstream's benchmarks: `python -m benchmarks [--quick] [--only NAME] [--output PATH]`.

One module per benchmark (see `BENCHMARKS`), each with
`async def run(quick: bool) -> list[Row]`; `harness` drives a headless app that still
paints and times it to its last frame, and `report` prints the one table of figures,
each against its baseline measured in the same run. `make bench` runs the full suite
and writes `benchmarks/RESULTS.md`.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from typing import Any

__all__ = ["BENCHMARKS", "run_benchmark"]

BENCHMARKS = (
    "startup",
    "responsiveness",
    "typewriter",
    "streaming",
    "giant_blocks",
    "tables",
    "long_sessions",
    "history_open",
    "history_store",
    "ssh_load",
)
"""The modules under `benchmarks/`, each with `async def run(quick: bool) -> list[Row]`,
in the order they run and are reported."""


def run_benchmark(name: str, quick: bool) -> list[Any]:
    """Run the benchmark `name` in this process and return its `harness.Row`s.

    It lives here, not in `__main__`, so that a spawned process can import it.
    """
    module = importlib.import_module(f"benchmarks.{name}")
    rows: list[Any] = asyncio.run(module.run(quick))
    from benchmarks.report import table

    print(table(rows), file=sys.stderr, flush=True)  # in case a later benchmark fails
    return rows
