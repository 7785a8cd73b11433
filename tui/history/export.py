"""Export a session to Markdown or JSON, and import the JSON back.

The JSON format, "inkstream.session" version 2, is stable: a later version only adds
optional keys, and readers ignore keys they do not know. Version 2 added the tree
("parent", "active"); a version 1 file, which has neither, is read as one branch. Times
are ISO 8601 with an offset, such as "2025-01-31T09:30:00.123456+00:00".

```
{
  "format": "inkstream.session",
  "version": 2,
  "session": {"title": str, "backend": str, "model": str | null,
              "created": time, "updated": time},
  "messages": [
    {"role": "user" | "assistant" | "system",
     "status": "finished" | "stopped" | "failed" | "interrupted" | "streaming",
     "created": time,
     "shape": "str" | "list",    # "str": the value is the one text part (a prompt, or
                                 # an answer of pure text); "list": the list of parts
     "parts": [part, ...],
     "reasoning": str,
     "tool_calls": [part, ...],
     "error": str | null,
     "parent": int | null,       # the index in "messages" of the message this one
                                 # follows, always an earlier one; null: a first prompt
     "active": bool}             # whether it is the one of its siblings (the messages
  ]                              # with the same parent) on the active branch
}
```

Every message of every branch is written, parents before their children.

A part is one of:

```
{"kind": "text", "text": str}
{"kind": "json", "value": any JSON, "type": str}       # "type" only for a model or dataclass
{"kind": "object", "type": "module.Qualname", "repr": str}
{"kind": "dataframe" | "series" | "index", "encoding": "arrow-ipc", "data": base64,
 "meta": {...}}                                        # an Arrow IPC stream, with pandas
                                                       # metadata; "meta" is optional
{"kind": "dataframe", "encoding": "pandas-split-json", "text": str}
{"kind": "ndarray", "encoding": "npy", "data": base64}  # numpy's .npy file
```

Non-finite floats inside a "json" value are written as Python's `json` writes them
(`NaN`, `Infinity`). On import, "shape", "reasoning", "tool_calls" and "error" may be
left out, and a "streaming" message becomes "interrupted". Left out, "parent" is the
message before, and "active" is true.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from typing import Any

from tui.history.encoded import EncodedPart, meta_text
from tui.history.markdown import session_markdown
from tui.history.parts import decode
from tui.history.reading import MessageRecord
from tui.history.records import ROLES, STATUSES
from tui.history.store import HistoryStore

__all__ = ["FORMAT", "VERSION", "export_json", "export_markdown", "import_json"]

FORMAT = "inkstream.session"
VERSION = 2


def export_markdown(store: HistoryStore, session_id: int, *, max_rows: int = 20) -> str:
    """A session's active branch as Markdown, saying how many other branches it has:
    tables cut to `max_rows` rows, with a note saying how many more there are. Raises
    `SessionNotFound` for an unknown id."""
    info = store.session(session_id)
    return session_markdown(
        info,
        store.branch(session_id),
        max_rows=max_rows,
        other_branches=store.other_branches(session_id),
    )


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def part_to_json(part: EncodedPart) -> dict[str, Any]:
    """One stored part in the export format.

    Example:
        >>> from tui.history.parts import encode
        >>> part_to_json(encode({"a": 1}))
        {'kind': 'json', 'value': {'a': 1}}
    """
    meta = part.meta_dict
    if part.kind == "text":
        return {"kind": "text", "text": part.body or ""}
    if part.kind == "json":
        out = {"kind": "json", "value": json.loads(part.body or "null")}
        return out | ({"type": meta["type"]} if meta.get("type") else {})
    if part.kind == "object":
        return {"kind": "object", "type": meta.get("type", "object"), "repr": part.body or ""}
    out = {"kind": part.kind, "encoding": part.encoding}
    if part.data is not None:
        out["data"] = base64.b64encode(part.data).decode("ascii")
    if part.body is not None:
        out["text"] = part.body
    return out | ({"meta": meta} if meta else {})


def export_json(store: HistoryStore, session_id: int) -> dict[str, Any]:
    """A session in the "inkstream.session" format; `json.dumps` it to write it.

    Raises `SessionNotFound` for an unknown id.
    """
    info = store.session(session_id)
    records = store.records(session_id)
    index = {record.id: n for n, record in enumerate(records)}
    return {
        "format": FORMAT,
        "version": VERSION,
        "session": {
            "title": info.title,
            "backend": info.backend,
            "model": info.model,
            "created": info.created.isoformat(),
            "updated": info.updated.isoformat(),
        },
        "messages": [
            {
                "role": record.role,
                "status": record.status,
                "created": _iso(record.created),
                "shape": record.shape,
                "parts": [part_to_json(part) for part in record.parts],
                "reasoning": record.reasoning,
                "tool_calls": [part_to_json(part) for part in record.tool_calls],
                "error": record.error,
                "parent": index.get(record.parent_id) if record.parent_id else None,
                "active": record.chosen,
            }
            for record in records
        ],
    }


_MISSING = object()


def _get(
    data: dict[str, Any],
    key: str,
    kind: type | tuple[type, ...],
    where: str,
    default: Any = _MISSING,
) -> Any:
    """`data[key]`, checked to be of `kind`; `default` when it is absent and allowed."""
    path = f"{where}.{key}" if where else key
    if key not in data:
        if default is _MISSING:
            raise ValueError(f"{path}: missing")
        return default
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
        names = " or ".join("null" if k is type(None) else k.__name__ for k in _tuple(kind))
        raise ValueError(f"{path}: expected {names}, got {type(value).__name__}")
    return value


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _seconds(data: dict[str, Any], key: str, where: str) -> float:
    text = _get(data, key, str, where)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{where}.{key}: {text!r} is not an ISO 8601 time") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def part_from_json(data: object, where: str) -> EncodedPart:
    """One part of the export format, checked by decoding it; `ValueError` names `where`."""
    if not isinstance(data, dict):
        raise ValueError(f"{where}: a part must be an object, not {type(data).__name__}")
    kind = _get(data, "kind", str, where)
    if kind == "text":
        return EncodedPart("text", body=_get(data, "text", str, where))
    if kind == "json":
        if "value" not in data:
            raise ValueError(f"{where}.value: missing")
        source = _get(data, "type", (str, type(None)), where, None)
        body = json.dumps(data["value"], ensure_ascii=False)
        return EncodedPart("json", body=body, meta=meta_text(type=source) if source else None)
    if kind == "object":
        name = _get(data, "type", str, where)
        return EncodedPart("object", body=_get(data, "repr", str, where), meta=meta_text(type=name))
    if kind not in ("dataframe", "series", "index", "ndarray"):
        raise ValueError(f"{where}.kind: unknown part kind {kind!r}")
    encoded = _get(data, "data", (str, type(None)), where, None)
    try:
        raw = None if encoded is None else base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{where}.data: not valid base64") from None
    meta = _get(data, "meta", dict, where, {})
    part = EncodedPart(
        kind,
        body=_get(data, "text", (str, type(None)), where, None),
        data=raw,
        encoding=_get(data, "encoding", str, where),
        meta=json.dumps(meta, sort_keys=True) if meta else None,
    )
    try:
        decode(part)
    except Exception as error:
        raise ValueError(f"{where}: cannot read this {kind}: {error}") from None
    return part


def _parent(data: dict[str, Any], number: int, where: str) -> int | None:
    """The record id (`number + 1` numbering) of a message's parent, checked."""
    if "parent" not in data:
        return number or None  # the message before, as in version 1
    parent = _get(data, "parent", (int, type(None)), where)
    if parent is None:
        return None
    if not 0 <= parent < number:
        raise ValueError(f"{where}.parent: {parent} is not the index of an earlier message")
    return parent + 1


def _message(data: object, number: int, version: int) -> MessageRecord:
    where = f"messages[{number}]"
    if not isinstance(data, dict):
        raise ValueError(f"{where}: a message must be an object, not {type(data).__name__}")
    role = _get(data, "role", str, where)
    if role not in ROLES:
        raise ValueError(f"{where}.role: {role!r} is not one of {', '.join(sorted(ROLES))}")
    status = _get(data, "status", str, where, "finished")
    if status not in STATUSES:
        raise ValueError(f"{where}.status: {status!r} is not one of {', '.join(sorted(STATUSES))}")
    raw_parts = _get(data, "parts", list, where)
    parts = [part_from_json(part, f"{where}.parts[{n}]") for n, part in enumerate(raw_parts)]
    shape = _get(data, "shape", str, where, None)
    if shape is None:  # st.write_stream's rule: one string alone is the value itself
        shape = "str" if len(parts) <= 1 and all(p.kind == "text" for p in parts) else "list"
    if shape not in ("str", "list"):
        raise ValueError(f"{where}.shape: {shape!r} is not 'str' or 'list'")
    if shape == "str" and (len(parts) > 1 or any(part.kind != "text" for part in parts)):
        raise ValueError(f"{where}.shape: 'str' needs at most one part, of kind 'text'")
    calls = _get(data, "tool_calls", list, where, [])
    return MessageRecord(
        role=role,
        status=status,
        created=_seconds(data, "created", where),
        shape=shape,
        parts=parts,
        tool_calls=[
            part_from_json(call, f"{where}.tool_calls[{n}]") for n, call in enumerate(calls)
        ],
        reasoning=_get(data, "reasoning", str, where, ""),
        error=_get(data, "error", (str, type(None)), where, None),
        id=number + 1,
        parent_id=_parent(data, number, where) if version > 1 else number or None,
        chosen=_get(data, "active", bool, where, True),
    )


def import_json(store: HistoryStore, data: dict[str, Any]) -> int:
    """Add a session exported by `export_json` as a new session; return its id.

    Raises:
        ValueError: `data` is not a valid "inkstream.session" export; the message names
            the first thing wrong, such as "messages[3].parts[0].data: not valid base64".
    """
    if not isinstance(data, dict):
        raise ValueError(f"an {FORMAT} export is a JSON object, not {type(data).__name__}")
    if data.get("format") != FORMAT:
        raise ValueError(f"format: expected {FORMAT!r}, got {data.get('format')!r}")
    version = _get(data, "version", int, "")
    if version > VERSION:
        raise ValueError(f"version: {version} is newer than this inkstream reads ({VERSION})")
    if version < 1:
        raise ValueError(f"version: {version} is not a version of {FORMAT}")
    session = _get(data, "session", dict, "")
    messages = _get(data, "messages", list, "")
    records = [_message(message, n, version) for n, message in enumerate(messages)]
    created = _seconds(session, "created", "session")
    return store.import_session(
        title=_get(session, "title", str, "session"),
        backend=_get(session, "backend", str, "session"),
        model=_get(session, "model", (str, type(None)), "session", None),
        created=created,
        updated=_seconds(session, "updated", "session") if "updated" in session else created,
        records=records,
    )
