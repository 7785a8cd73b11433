"""The stored form of one part, shared by the encoders (`parts`, `frames`): a leaf module."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["ARROW", "FRAME_KINDS", "NPY", "SPLIT_JSON", "EncodedPart", "meta_text"]

ARROW = "arrow-ipc"
SPLIT_JSON = "pandas-split-json"
NPY = "npy"
FRAME_KINDS = frozenset({"dataframe", "series", "index", "ndarray"})
"""Kinds that are costly to encode; the store caches them while a message streams."""


@dataclass(frozen=True)
class EncodedPart:
    """One part as it is stored: a row of the `parts` table without its position."""

    kind: str
    body: str | None = None
    data: bytes | None = None
    encoding: str | None = None
    meta: str | None = None
    """JSON text of a small dict, or None."""

    @property
    def meta_dict(self) -> dict[str, Any]:
        """`meta` parsed, `{}` when there is none."""
        return json.loads(self.meta) if self.meta else {}


def meta_text(**values: Any) -> str:
    """A part's `meta`: `values` as compact, sorted JSON.

    Example:
        >>> meta_text(type="x", a=1)
        '{"a": 1, "type": "x"}'
    """
    return json.dumps(values, ensure_ascii=False, sort_keys=True)
