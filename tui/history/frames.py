"""pandas objects as Arrow IPC bytes, and back, without losing dtypes or labels.

pyarrow keeps a frame's dtypes, index, column names and MultiIndexes in its `pandas`
schema metadata. One thing pandas 3 does not give back by itself: a column, an index
level or the column labels of `object` dtype holding strings return as the `str` dtype.
`decode_pandas` restores `object` wherever the metadata says it was, with missing
values as `None`.

Imported only when a pandas object is stored or read back.
"""

from __future__ import annotations

import io
import json
from typing import Any

from tui.history.encoded import ARROW, SPLIT_JSON, EncodedPart, meta_text

__all__ = ["decode_pandas", "encode_pandas"]


def _to_arrow_bytes(frame: Any) -> bytes:
    import pyarrow as pa

    table = pa.Table.from_pandas(frame)
    sink = io.BytesIO()
    options = pa.ipc.IpcWriteOptions(compression="zstd")
    with pa.ipc.new_stream(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _label_json(label: Any) -> Any:
    """A column label as JSON, tuples tagged; `TypeError` for any other kind of label."""
    if isinstance(label, tuple):
        return {"tuple": [_label_json(level) for level in label]}
    if label is None or isinstance(label, str | int | float | bool):
        return label
    raise TypeError(type(label).__name__)


def _label_from_json(label: Any) -> Any:
    if isinstance(label, dict):
        return tuple(_label_from_json(level) for level in label["tuple"])
    return label


def _mixed_labels(frame: Any) -> list[Any] | None:
    """Column labels of mixed types, as JSON, which Arrow would turn into strings."""
    import pandas as pd

    columns = frame.columns
    if isinstance(columns, pd.MultiIndex) or columns.dtype != object or not len(columns):
        return None
    if columns.inferred_type == "string":
        return None
    try:
        return [_label_json(label) for label in columns]
    except TypeError:
        return None


def _frame_bytes(frame: Any) -> tuple[str, str | None, bytes | None, list[Any] | None]:
    """(encoding, body, data, mixed labels) for a DataFrame: Arrow IPC, or split JSON
    when Arrow cannot hold it. Mixed-type column labels are kept aside, in JSON."""
    labels = _mixed_labels(frame)
    try:
        if labels is not None:
            frame = frame.set_axis([str(n) for n in range(frame.shape[1])], axis=1)
            frame.columns.name = None
        return ARROW, None, _to_arrow_bytes(frame), labels
    except Exception:  # duplicate column names, mixed-type object columns
        text = frame.to_json(orient="split", date_format="iso", default_handler=str)
        return SPLIT_JSON, text, None, None


def _python_strings(frame: Any) -> list[list[Any]]:
    """[position, NaN is the missing value] for each column of Python-backed strings.

    Arrow gives every string column back as pyarrow-backed, so these are noted.
    """
    import pandas as pd

    return [
        [position, not isinstance(dtype.na_value, type(pd.NA))]
        for position, dtype in enumerate(frame.dtypes)
        if isinstance(dtype, pd.StringDtype) and dtype.storage == "python"
    ]


WIDE = 1_000
"""Columns beyond which a frame of one dtype is stored transposed: Arrow's cost grows with
the columns, and a 2 x 1,000,000 frame took three minutes and 240 MB as it is."""


def _transposable(frame: Any) -> bool:
    """Whether `frame` is wide, and of one non-object dtype, so its transpose is itself."""
    rows, columns = frame.shape
    if columns <= WIDE or columns <= rows:
        return False
    dtypes = set(frame.dtypes)
    return len(dtypes) == 1 and next(iter(dtypes)).kind in "biufcmM"


def encode_pandas(obj: Any) -> EncodedPart | None:
    """A part for a DataFrame, Series, Index, Styler or `to_pandas()` frame-like; else None."""
    import pandas as pd

    if type(obj).__name__ == "Styler" and type(obj).__module__.startswith("pandas"):
        obj = obj.data
    elif not isinstance(obj, pd.DataFrame | pd.Series | pd.Index):
        if not callable(getattr(obj, "to_pandas", None)) or isinstance(obj, type):
            return None
        obj = obj.to_pandas()
    if isinstance(obj, pd.DataFrame):
        extra: dict[str, Any] = {}
        if _transposable(obj):
            obj = obj.T
            extra["transposed"] = True
        encoding, body, data, labels = _frame_bytes(obj)
        if encoding == ARROW and (strings := _python_strings(obj)):
            extra["python_strings"] = strings
        if labels is not None:
            extra |= {"columns": labels, "columns_name": _label_json(obj.columns.name)}
        meta = meta_text(**extra) if extra else None
        return EncodedPart("dataframe", body=body, data=data, encoding=encoding, meta=meta)
    if isinstance(obj, pd.Series):
        frame = obj.to_frame()
        meta = meta_text(unnamed=obj.name is None, python_strings=_python_strings(frame))
        return EncodedPart("series", data=_to_arrow_bytes(frame), encoding=ARROW, meta=meta)
    if isinstance(obj, pd.Index):
        return EncodedPart("index", data=_to_arrow_bytes(pd.DataFrame(index=obj)), encoding=ARROW)
    return None


def _object_labels(index: Any, levels: list[bool]) -> Any:
    """`index` with the levels flagged in `levels` turned back into `object` dtype."""
    import pandas as pd

    if not any(levels):
        return index
    if isinstance(index, pd.MultiIndex):
        restored = [
            level.astype(object) if flag else level
            for level, flag in zip(index.levels, levels, strict=False)
        ]
        return index.set_levels(restored)
    return index.astype(object)


def _restore_objects(frame: Any, table: Any) -> Any:
    """Give back `object` dtype to the columns and labels that had it before Arrow."""
    import pandas as pd

    raw = (table.schema.metadata or {}).get(b"pandas")
    if raw is None:
        return frame
    meta = json.loads(raw)
    by_field = {column["field_name"]: column for column in meta.get("columns", [])}
    index_fields = [name for name in meta.get("index_columns", []) if isinstance(name, str)]
    data_fields = [name for name in table.schema.names if name not in index_fields]
    for position, field in enumerate(data_fields):
        was_object = by_field.get(field, {}).get("numpy_type") == "object"
        if was_object and frame.iloc[:, position].dtype != object:
            values = table.column(field).to_pylist()
            frame.isetitem(position, pd.Series(values, index=frame.index, dtype=object))
    flags = [by_field.get(name, {}).get("numpy_type") == "object" for name in index_fields]
    if flags and len(flags) == frame.index.nlevels:
        frame.index = _object_labels(frame.index, flags)
    column_flags = [level.get("numpy_type") == "object" for level in meta.get("column_indexes", [])]
    if len(column_flags) == frame.columns.nlevels:
        frame.columns = _object_labels(frame.columns, column_flags)
    return frame


def _labels(values: list[Any] | None) -> Any:
    """Index labels from split JSON: lists are MultiIndex keys."""
    import pandas as pd

    if values is None:
        return None
    if values and all(isinstance(value, list) for value in values):
        return pd.MultiIndex.from_tuples([tuple(value) for value in values])
    return pd.Index(values)


def _from_arrow_bytes(data: bytes) -> Any:
    import pyarrow as pa

    table = pa.ipc.open_stream(data).read_all()
    return _restore_objects(table.to_pandas(), table)


def decode_pandas(part: EncodedPart) -> Any:
    """The DataFrame, Series or Index that `encode_pandas` stored.

    Raises:
        ValueError: The encoding is unknown or the payload is damaged.
    """
    import pandas as pd

    if part.encoding == SPLIT_JSON and part.kind == "dataframe":
        split = json.loads(part.body or "{}")
        return pd.DataFrame(
            split.get("data", []),
            index=_labels(split.get("index")),
            columns=_labels(split.get("columns")),
        )
    if part.encoding != ARROW or part.data is None:
        raise ValueError(f"a {part.kind} part needs arrow-ipc data, not {part.encoding!r}")
    try:
        frame = _from_arrow_bytes(part.data)
    except Exception as error:
        raise ValueError(f"damaged {part.kind} data: {error}") from error
    meta = part.meta_dict
    if "columns" in meta:
        labels = [_label_from_json(label) for label in meta["columns"]]
        name = _label_from_json(meta.get("columns_name"))
        frame.columns = pd.Index(labels, dtype=object, name=name, tupleize_cols=False)
    for position, nan in meta.get("python_strings", []):
        # pandas before 2.3 has no `na_value`, and no NaN-valued strings to restore.
        dtype = pd.StringDtype("python", na_value=float("nan")) if nan else "string[python]"
        frame.isetitem(position, frame.iloc[:, position].astype(dtype))
    if part.kind == "series":
        series = frame.iloc[:, 0]
        if meta.get("unnamed"):
            series.name = None
        return series
    if part.kind == "index":
        return frame.index
    return frame.T if meta.get("transposed") else frame
