"""Extrapolating a baseline's cost per chunk from capped measurements, and saying how.

A baseline whose cost per chunk grows with the text already shown (raw `MarkdownStream`,
naive `Markdown.update`) would take hours to stream a whole long answer. It is timed
instead at a few prefix lengths, up to a cap, and two models are fitted to the cost per
chunk against the prefix length:

- a line, `a + b * length` (least squares);
- a power law, `c * length ** k` (least squares in log-log), whose `k` says how the cost
  grows: 1 is linear, above 1 faster.

The baseline's total over the whole text is the sum of the model's cost at each chunk's
prefix length, from the model that gives the *lower* total, so that the extrapolated
baseline (and the ratio against it) errs in the baseline's favour. `describe` reports the
fit: the points measured, both models, and the largest residual of the one used.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Fit", "fit"]


@dataclass
class Fit:
    """The two models fitted to `points` (prefix length in characters, seconds per chunk)."""

    points: list[tuple[int, float]]
    intercept: float
    slope: float
    scale: float
    exponent: float

    def linear(self, length: float) -> float:
        """Seconds per chunk at `length` by the line (never below zero)."""
        return max(0.0, self.intercept + self.slope * length)

    def power(self, length: float) -> float:
        """Seconds per chunk at `length` by the power law."""
        return self.scale * max(length, 1.0) ** self.exponent

    def totals(self, lengths: Sequence[int]) -> tuple[float, float]:
        """Seconds in all for chunks shown at each of `lengths`: by the line, by the power law."""
        return sum(map(self.linear, lengths)), sum(map(self.power, lengths))

    def model(self, lengths: Sequence[int]) -> str:
        """ "line" or "power": the model with the lower total over `lengths`."""
        line, power = self.totals(lengths)
        return "line" if line <= power else "power"

    def at(self, length: float, model: str) -> float:
        """Seconds per chunk at `length` by `model` ("line" or "power")."""
        return self.linear(length) if model == "line" else self.power(length)

    def total(self, lengths: Sequence[int]) -> float:
        """The lower of the two models' totals over `lengths`."""
        return min(self.totals(lengths))

    def residual(self, model: str) -> float:
        """The largest relative miss of `model` at the measured points."""
        return max(abs(self.at(length, model) / cost - 1) for length, cost in self.points)

    def describe(self, lengths: Sequence[int]) -> str:
        """The fit in words: what was measured, both models, and the one used for `lengths`.

        Example:
            >>> f = fit([(10_000, 0.001), (20_000, 0.002), (40_000, 0.004)])
            >>> print(f.describe([0, 50_000, 100_000]))  # doctest: +NORMALIZE_WHITESPACE
            ms per chunk measured at 10, 20, 40 kB shown: 1.00, 2.00, 4.00; fitted
            0.00 + 0.100 per kB (line) and 0.100 x kB^1.00 (power); the line's total is
            the lower, so it is used (largest miss at a measured point 0%); extrapolated
            to 100 kB
        """
        model = self.model(lengths)
        kbs = ", ".join(f"{length / 1000:.3g}" for length, _ in self.points)
        costs = ", ".join(f"{cost * 1000:.2f}" for _, cost in self.points)
        name = "line" if model == "line" else "power law"
        return (
            f"ms per chunk measured at {kbs} kB shown: {costs}; fitted "
            f"{self.intercept * 1000:.2f} + {self.slope * 1e6:.3f} per kB (line) and "
            f"{self.scale * 1000 * 1000**self.exponent:.3f} x kB^{self.exponent:.2f} (power); "
            f"the {name}'s total is the lower, so it is used (largest miss at a measured "
            f"point {self.residual(model):.0%}); extrapolated to {max(lengths) / 1000:,.0f} kB"
        )


def fit(points: Sequence[tuple[int, float]]) -> Fit:
    """Fit a line and a power law to (prefix length, seconds per chunk) `points`.

    Needs at least two points at different lengths, each with a positive cost.

    Example:
        >>> f = fit([(1_000, 0.002), (2_000, 0.004), (4_000, 0.008)])
        >>> round(f.slope * 1000, 6), round(f.exponent, 6)
        (0.002, 1.0)
    """
    xs = [float(length) for length, _ in points]
    ys = [cost for _, cost in points]
    slope, intercept = _least_squares(xs, ys)
    exponent, log_scale = _least_squares([math.log(x) for x in xs], [math.log(y) for y in ys])
    return Fit(list(points), intercept, slope, math.exp(log_scale), exponent)


def _least_squares(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """The slope and intercept of the least-squares line through (xs, ys)."""
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return slope, mean_y - slope * mean_x
