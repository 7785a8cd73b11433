"""Encode one part of a response for the store, and decode it back.

A part is one item of a response (`write_stream`'s `str | list`) or one tool call. Each
is stored by kind, in the `parts` table's `kind`, `encoding`, `body`, `data` and `meta`:

| kind        | what                                        | stored as                        |
|-------------|---------------------------------------------|----------------------------------|
| `text`      | a `str`                                     | `body`: the text                 |
| `dataframe` | a pandas DataFrame; a Styler's data; the    | `data`: Arrow IPC stream bytes   |
|             | `to_pandas()` of a polars or pyarrow frame  | (`arrow-ipc`), zstd-compressed   |
| `series`    | a pandas Series                             | `data`: Arrow IPC of a 1-column  |
|             |                                             | frame; `meta`: `{"unnamed": …}`  |
| `index`     | a pandas Index                              | `data`: Arrow IPC                |
| `ndarray`   | a numpy array (not of objects)              | `data`: `.npy` bytes (`npy`)     |
| `json`      | dict, list, tuple, str, int, float, bool,   | `body`: JSON text; `meta`:       |
|             | None, nested; a pydantic model's            | `{"type": …}` for a model or a   |
|             | `model_dump(mode="json")`; a dataclass      | dataclass                        |
| `object`    | anything else                               | `body`: its `repr`; `meta`:      |
|             |                                             | `{"type": "module.Qualname"}`    |

What comes back: frames, Series, Index and arrays equal to what went in (dtypes, index
and column names, MultiIndex, time zones, categoricals, missing values). JSON comes back
as plain data: a tuple as a list, a model or a dataclass as a dict. Anything else comes
back as a `StoredObject`, whose `str()` is the repr; an object whose repr raises is kept as
"<unprintable TYPE>". Arrow cannot hold a frame with duplicate column names or a column
of mixed types; such a frame is kept as pandas' `orient="split"` JSON (`pandas-split-json`),
which keeps the values but may not keep every dtype.

pandas, numpy and pyarrow are imported only to encode or decode their own objects.
"""

from __future__ import annotations

import dataclasses
import io
import json
import sys
from dataclasses import dataclass
from typing import Any

from tui.history.encoded import NPY, EncodedPart, meta_text
from tui.stream.bounds import bounded

__all__ = [
    "StoredObject",
    "decode",
    "encode",
    "encode_tool_call",
    "type_name",
    "utf8_text",
]


@dataclass(frozen=True)
class StoredObject:
    """An object the store could only keep as its type name and repr.

    Example:
        >>> str(StoredObject("decimal.Decimal", "Decimal('1.5')"))
        "Decimal('1.5')"
    """

    type_name: str
    text: str

    def __str__(self) -> str:
        return self.text


def type_name(obj: object) -> str:
    """The qualified name of `obj`'s type; builtins without their module.

    Example:
        >>> type_name({1, 2}), type_name(StoredObject("x", "y"))
        ('set', 'tui.history.parts.StoredObject')
    """
    cls = type(obj)
    module = getattr(cls, "__module__", None)
    name = getattr(cls, "__qualname__", cls.__name__)
    return name if module in (None, "builtins") else f"{module}.{name}"


def _as_object(obj: object) -> EncodedPart:
    name = type_name(obj)
    try:
        text = repr(obj)
    except Exception:  # a huge int's repr raises ValueError, a deep list's RecursionError
        try:
            text = repr(bounded(obj))
        except Exception:
            text = f"<unprintable {type(obj).__name__}>"
    if not isinstance(text, str):  # pragma: no cover - repr() itself enforces str
        text = f"<unprintable {type(obj).__name__}>"
    return EncodedPart("object", body=utf8_text(text), meta=meta_text(type=utf8_text(name)))


def _string_keys(obj: object) -> bool:
    """Whether every dict key in `obj`, already known to be JSON-able, is a str."""
    if isinstance(obj, dict):
        return all(isinstance(key, str) and _string_keys(value) for key, value in obj.items())
    if isinstance(obj, list | tuple):
        return all(_string_keys(item) for item in obj)
    return True


def _json_text(obj: object) -> str | None:
    """`obj` as JSON text, or None when JSON would not give it back."""
    try:
        text = json.dumps(obj, ensure_ascii=False)
        if not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate: SQLite holds UTF-8 only
                text = json.dumps(obj)  # \ud800 escapes, which load back the same
    except (TypeError, ValueError, RecursionError):  # unsupported type, huge int, circular
        return None
    return text if _string_keys(obj) else None


def _jsonable(obj: object) -> EncodedPart | None:
    """A `json` part for plain data, a pydantic model or a dataclass; else None."""
    source: str | None = None
    if callable(getattr(obj, "model_dump", None)) and not isinstance(obj, type):
        source = type_name(obj)
        try:
            obj = obj.model_dump(mode="json")  # type: ignore[attr-defined]
        except Exception:
            return None
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        source = type_name(obj)
        try:
            obj = dataclasses.asdict(obj)
        except Exception:
            return None
    elif not isinstance(obj, dict | list | tuple | str | int | float | bool | None):
        return None
    text = _json_text(obj)
    if text is None:
        return None
    return EncodedPart("json", body=text, meta=meta_text(type=source) if source else None)


def _frame_part(obj: object) -> EncodedPart | None:
    """A part for a pandas or numpy object or a frame-like; None for anything else."""
    pd = sys.modules.get("pandas")
    np = sys.modules.get("numpy")
    if np is not None and type(obj) is np.ndarray:
        if obj.dtype.hasobject:
            return None
        buffer = io.BytesIO()
        np.save(buffer, obj, allow_pickle=False)
        return EncodedPart("ndarray", data=buffer.getvalue(), encoding=NPY)
    if pd is None and not callable(getattr(obj, "to_pandas", None)):
        return None
    from tui.history import frames

    return frames.encode_pandas(obj)


def encode(obj: object) -> EncodedPart:
    """Encode one item of a response.

    Example:
        >>> encode("hi")
        EncodedPart(kind='text', body='hi', data=None, encoding=None, meta=None)
        >>> encode({"a": (1, 2)}).body
        '{"a": [1, 2]}'
        >>> encode({1, 2}).kind
        'object'
    """
    if isinstance(obj, str):
        return EncodedPart("text", body=utf8_text(obj))
    if isinstance(obj, StoredObject):
        return EncodedPart("object", body=obj.text, meta=meta_text(type=obj.type_name))
    try:
        part = _frame_part(obj)
    except Exception:
        part = None
    if part is None:
        part = _jsonable(obj)
    return part if part is not None else _as_object(obj)


def utf8_text(text: str) -> str:
    """`text` as SQLite can hold it, UTF-8: a lone surrogate is kept as its escape, as the
    screen shows it.

    Example:
        >>> utf8_text("ok \\ud800")
        'ok \\\\ud800'
    """
    return text.encode("utf-8", "backslashreplace").decode()


def encode_tool_call(obj: object) -> EncodedPart:
    """Encode one tool call: JSON when it is JSON-able or has `model_dump()`, else its repr.

    Example:
        >>> encode_tool_call({"name": "f", "arguments": "{}"}).kind
        'json'
    """
    if isinstance(obj, StoredObject):
        return encode(obj)
    part = _jsonable(obj)
    return part if part is not None else _as_object(obj)


def decode(part: EncodedPart) -> Any:
    """Decode a stored part back into the object it stands for.

    Raises:
        ValueError: The kind or encoding is unknown, or the payload is damaged.

    Example:
        >>> decode(encode([1, "a", None]))
        [1, 'a', None]
        >>> decode(encode(object())).type_name
        'object'
    """
    kind = part.kind
    if kind == "text":
        return part.body or ""
    if kind == "json":
        return json.loads(part.body or "null")
    if kind == "object":
        return StoredObject(str(part.meta_dict.get("type", "object")), part.body or "")
    if kind == "ndarray":
        if part.encoding != NPY or part.data is None:
            raise ValueError(f"an ndarray part needs npy data, not {part.encoding!r}")
        import numpy as np

        return np.load(io.BytesIO(part.data), allow_pickle=False)
    if kind in ("dataframe", "series", "index"):
        from tui.history import frames

        return frames.decode_pandas(part)
    raise ValueError(f"unknown part kind {kind!r}")
