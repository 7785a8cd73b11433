"""Shared test setup: screen snapshots live in the top-level `snapshots/` folder."""

from __future__ import annotations

from pathlib import Path

import pytest_textual_snapshot

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"


class TopLevelSVGExtension(pytest_textual_snapshot.SVGImageExtension):
    """Store each test module's SVGs in `snapshots/<module name>/`."""

    @classmethod
    def dirname(cls, *, test_location: object) -> str:
        return str(SNAPSHOTS / Path(test_location.filepath).stem)  # type: ignore[attr-defined]


# `snap_compare` looks the extension up by this name each time it runs.
pytest_textual_snapshot.SVGImageExtension = TopLevelSVGExtension
