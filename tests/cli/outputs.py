"""Text outputs that remember how they were written to."""

from __future__ import annotations

import io


class Recording(io.StringIO):
    """An output that keeps each write separately."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)
