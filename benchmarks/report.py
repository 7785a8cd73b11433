"""The report: one Markdown table of every figure against its baseline, and the machine."""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from benchmarks.harness import Row

__all__ = [
    "HEADER",
    "environment",
    "format_seconds",
    "format_value",
    "render_report",
    "table",
]

HEADER = "| Benchmark | Measure | inkstream | Baseline | Baseline figure | Ratio | Goal | Notes |"
"""The table's first line; the test looks for it."""

LEGEND = (
    "Ratio is the baseline's figure divided by inkstream's: how many times faster, or "
    "smaller in memory, inkstream is (above 1 is better; for a rate, inkstream's over the "
    "baseline's). Goal is what issue 7 asks for. Times run to the last painted frame, headless "
    "at 100x40 cells; see `benchmarks/harness.py`. Other processes share the machine, "
    "so absolute figures are noisy; each ratio compares two runs of the same session."
)


def format_seconds(seconds: float | None) -> str:
    """A duration in the unit that suits it, to three significant figures.

    Example:
        >>> format_seconds(0.000123), format_seconds(0.0456), format_seconds(78.9)
        ('123 µs', '45.6 ms', '78.9 s')
        >>> format_seconds(1061.2), format_seconds(523_000)
        ('1,061 s', '523,000 s (145 h)')
    """
    if seconds is None:
        return "—"
    if seconds >= 3600:
        return f"{seconds:,.0f} s ({seconds / 3600:,.0f} h)"
    if seconds >= 1000:
        return f"{seconds:,.0f} s"
    for unit, scale in (("s", 1.0), ("ms", 1e-3)):
        if abs(seconds) >= scale:
            return f"{seconds / scale:#.3g} {unit}".replace(". ", " ")
    return f"{seconds / 1e-6:#.3g} µs".replace(". ", " ")


def format_value(value: float | None, unit: str) -> str:
    """A figure in its unit: seconds as `format_seconds`, bytes in MB, rates as they are.

    Example:
        >>> format_value(83_886_080, "B"), format_value(412.3, "chars/s")
        ('83.9 MB', '412 chars/s')
    """
    if value is None or unit == "s":
        return format_seconds(value)
    if unit == "B":
        return f"{value / 1e6:,.1f} MB"
    return f"{value:,.0f} {unit}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table, `HEADER` first."""
    lines = [HEADER, "|---|---|--:|---|--:|--:|---|---|"]
    for row in rows:
        ratio = "—" if row.ratio is None else f"{row.ratio:,.2f}x"
        cells = [
            row.benchmark,
            row.measure,
            format_value(row.value, row.unit),
            row.baseline,
            format_value(row.baseline_value, row.unit),
            ratio,
            row.goal,
            row.note,
        ]
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def environment() -> list[tuple[str, str]]:
    """What the figures were measured on: date, CPU, cores and the versions that matter."""
    return [
        ("Date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", _cpu_model()),
        ("Cores", str(os.cpu_count() or "unknown")),
        ("Platform", platform.platform()),
        ("Python", sys.version.split()[0]),
        ("Textual", _version("textual")),
        ("pandas", _version("pandas")),
    ]


def render_report(
    rows: list[Row], mode: str, seconds: float, times: dict[str, float] | None = None
) -> str:
    """The whole report as Markdown: the machine, the table and how to read it.

    `times` is each benchmark's wall time, in seconds, by name.
    """
    facts = [*environment(), ("Mode", mode), ("Suite time", format_seconds(seconds))]
    if times:
        each = ", ".join(f"{name} {value:.0f} s" for name, value in times.items())
        facts.append(("Time per benchmark", each))
    lines = ["# inkstream benchmarks", "", "Run with `make bench` (`python -m benchmarks`).", ""]
    lines += [f"- {name}: {value}" for name, value in facts]
    return "\n".join([*lines, "", table(rows), "", LEGEND, ""])
