"""A message's content as rows of `parts`: encoded once, rewritten only where it changed.

While a message streams, the app saves it every second or so with the same objects and
more text. `ContentWriter` remembers, per streaming message, the parts last written and
the costly encodings (frames and arrays) by the identity of their object, holding the
object itself so that its id cannot be reused. A save then encodes only new objects and
writes only the rows that differ, usually the one growing text part. An object changed in
place while its message streams is therefore stored as it was first seen.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from typing import Any

from tui.history.encoded import FRAME_KINDS, EncodedPart
from tui.history.parts import encode, encode_tool_call

__all__ = ["Content", "ContentWriter"]

Key = tuple[str, int]
"""A part's section ("value" or "tool_call") and position within its message."""
Content = tuple[str, dict[Key, EncodedPart], list[tuple[Any, EncodedPart]]]
"""(shape "str" or "list", parts by key, the costly (object, part) pairs)."""

_UPSERT = (
    "INSERT INTO parts (message_id, section, position, kind, encoding, body, data, meta) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id, section, position) DO UPDATE "
    "SET kind = excluded.kind, encoding = excluded.encoding, body = excluded.body, "
    "data = excluded.data, meta = excluded.meta"
)


class ContentWriter:
    """Encodes messages' content and writes it, remembering what streaming ones hold."""

    def __init__(self) -> None:
        self._cache: dict[tuple[int, int], tuple[Any, EncodedPart]] = {}
        self._written: dict[int, dict[Key, EncodedPart]] = {}
        self._lock = threading.Lock()  # for the threads that share a store

    def encode(
        self, message_id: int | None, value: str | list[Any], tool_calls: Sequence[Any]
    ) -> Content:
        """Encode a message's value and tool calls, reusing this message's cached frames."""
        shape = "str" if isinstance(value, str) else "list"
        items = [value] if isinstance(value, str) else list(value)
        parts: dict[Key, EncodedPart] = {}
        costly: list[tuple[Any, EncodedPart]] = []
        for position, item in enumerate(items):
            hit = None if message_id is None else self._cache.get((message_id, id(item)))
            part = hit[1] if hit is not None and hit[0] is item else encode(item)
            if part.kind in FRAME_KINDS:
                costly.append((item, part))
            parts["value", position] = part
        for position, call in enumerate(tool_calls):
            parts["tool_call", position] = encode_tool_call(call)
        return shape, parts, costly

    def write(
        self,
        db: sqlite3.Connection,
        message_id: int,
        parts: dict[Key, EncodedPart],
        *,
        new: bool = False,
    ) -> None:
        """Make the message's rows `parts`, writing only those unlike what it last held.

        Args:
            db: A connection inside a write transaction.
            message_id: The message.
            parts: Its content, from `encode`.
            new: The message has no parts yet.
        """
        previous = {} if new else self._written.get(message_id)
        if previous is None:  # Not streamed by this store: replace everything.
            db.execute("DELETE FROM parts WHERE message_id = ?", (message_id,))
            previous = {}
        for section, position in previous.keys() - parts.keys():
            db.execute(
                "DELETE FROM parts WHERE message_id = ? AND section = ? AND position = ?",
                (message_id, section, position),
            )
        changed = [
            (message_id, *key, part.kind, part.encoding, part.body, part.data, part.meta)
            for key, part in parts.items()
            if not (previous.get(key) is part or previous.get(key) == part)
        ]
        db.executemany(_UPSERT, changed)

    def written(self, message_id: int, content: Content, *, streaming: bool) -> None:
        """Note what a message holds after its transaction committed."""
        with self._lock:
            self._drop(message_id)
            if streaming:
                _, parts, costly = content
                self._written[message_id] = parts
                pairs = (((message_id, id(item)), (item, part)) for item, part in costly)
                self._cache.update(pairs)

    def forget(self, message_id: int) -> None:
        """Drop what is remembered about a message: it ended, or was deleted."""
        with self._lock:
            self._drop(message_id)

    def _drop(self, message_id: int) -> None:
        self._written.pop(message_id, None)
        for key in [key for key in self._cache if key[0] == message_id]:
            del self._cache[key]
