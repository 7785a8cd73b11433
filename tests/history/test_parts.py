"""Every kind of part goes into the store and comes back equal to what went in."""

from __future__ import annotations

import dataclasses
import decimal
from typing import Any

import numpy as np
import pandas as pd
import pydantic
import pytest
from pandas.testing import assert_frame_equal, assert_index_equal, assert_series_equal

from tui.history.parts import StoredObject, decode, encode
from tui.history.store import HistoryStore


def round_trip(store: HistoryStore, item: Any) -> Any:
    """Store `item` as the second item of an answer and read it back."""
    chat = store.create_session(title="t", backend="test")
    store.add_message(chat, "assistant", ["before", item, "after"])
    (message,) = store.messages(chat)
    assert message.value[0] == "before" and message.value[2] == "after"
    return message.value[1]


def frames() -> dict[str, pd.DataFrame]:
    rows = pd.MultiIndex.from_tuples(
        [("north", 2023), ("north", 2024), ("south", 2024)], names=["region", "year"]
    )
    columns = pd.MultiIndex.from_tuples(
        [("sales", "q1"), ("sales", "q2"), ("cost", "q1")], names=["measure", "quarter"]
    )
    return {
        "multiindex rows and columns": pd.DataFrame(
            [[1.5, 2.0, -1.0], [np.nan, 3.25, 0.0], [4.0, 5.0, 6.0]], index=rows, columns=columns
        ),
        "dtypes and missing values": pd.DataFrame(
            {
                "paris": pd.date_range("2024-03-31 01:00", periods=3, freq="h", tz="Europe/Paris"),
                "naive": pd.to_datetime(
                    ["2024-01-01 00:00:00", None, "2024-03-01 12:30:15.123456"], format="ISO8601"
                ),
                "grade": pd.Categorical(["b", None, "a"], categories=["c", "b", "a"], ordered=True),
                "count": pd.array([1, None, 3], dtype="Int64"),
                "ratio": [0.1, np.nan, np.inf],
                "name": ["x", None, "zé"],
                "flag": pd.array([True, None, False], dtype="boolean"),
                "took": pd.to_timedelta([1.5, None, 3600], unit="s"),
                "small": np.array([1, 2, 255], dtype="uint8"),
                "py_string": pd.array(["a", None, "c"], dtype="string[python]"),
                "objects": pd.Series(["a", None, "c"], dtype=object, index=[10, 20, 30]),
            },
            index=pd.Index([10, 20, 30], name="row"),
        ),
        "non-string column names": pd.DataFrame({1: [1, 2], 2.5: [3.0, 4.0], ("a", "b"): [5, 6]}),
        "unnamed default columns": pd.DataFrame([[1, 2], [3, 4]]),
        "column index name": pd.DataFrame({"a": [1]}).rename_axis(columns="field"),
        "utc datetime index": pd.DataFrame(
            {"v": [1, 2]}, index=pd.DatetimeIndex(["2024-01-01", "2024-06-01"], tz="UTC", name="t")
        ),
        "object labels": pd.DataFrame(
            [[1, 2]],
            index=pd.Index(["r"], dtype=object),
            columns=pd.Index(["a", "b"], dtype=object),
        ),
        "periods and intervals": pd.DataFrame(
            {
                "month": pd.period_range("2024-01", periods=2, freq="M"),
                "bin": pd.interval_range(0, 2),
            }
        ),
        "empty": pd.DataFrame(),
        "no rows": pd.DataFrame({"a": pd.Series([], dtype="float32")}),
    }


@pytest.mark.parametrize("name", list(frames()))
def test_dataframe(store: HistoryStore, name: str) -> None:
    frame = frames()[name]
    back = round_trip(store, frame)
    assert back is not frame
    assert_frame_equal(back, frame, check_exact=True)


def test_a_frame_arrow_cannot_hold_keeps_its_values(store: HistoryStore) -> None:
    """Duplicate column names and mixed-type columns fall back to split JSON."""
    frame = pd.DataFrame([[1, "a"], [2, 3]], columns=["x", "x"])
    back = round_trip(store, frame)
    assert list(back.columns) == ["x", "x"]
    assert back.to_numpy().tolist() == [[1, "a"], [2, 3]]


@pytest.mark.parametrize(
    "series",
    [
        pd.Series([1, None, 3], dtype="Int64", name="counts"),
        pd.Series([1.5, 2.5]),
        pd.Series(["a", None], dtype=object, name=0),
        pd.Series(pd.Categorical(["x", "y", "x"]), index=pd.Index(list("abc"), name="k")),
        pd.Series(pd.date_range("2024-01-01", periods=2, tz="Asia/Tokyo"), name=("a", "b")),
    ],
    ids=["Int64 named", "unnamed", "named 0", "categorical", "tz, tuple name"],
)
def test_series(store: HistoryStore, series: pd.Series) -> None:
    back = round_trip(store, series)
    assert_series_equal(back, series, check_exact=True)
    assert back.name == series.name


@pytest.mark.parametrize(
    "index",
    [
        pd.Index([3, 1, 2], name="n"),
        pd.MultiIndex.from_tuples([("a", 1), ("b", 2)], names=["x", "y"]),
        pd.RangeIndex(5),
        pd.DatetimeIndex(["2024-01-01"], tz="UTC"),
    ],
)
def test_index(store: HistoryStore, index: pd.Index) -> None:
    assert_index_equal(round_trip(store, index), index, exact=True)


@pytest.mark.parametrize(
    "array",
    [
        np.arange(12, dtype=np.int16).reshape(3, 4),
        np.array([1.5, np.nan, -np.inf]),
        np.asfortranarray(np.arange(6.0).reshape(2, 3)),
        np.array(["a", "bé"]),
        np.array(7),
        np.zeros((2, 2, 2), dtype=np.complex64),
        np.array([("x", 1)], dtype=[("name", "U3"), ("n", "i4")]),
    ],
    ids=["2-D int16", "floats", "fortran order", "unicode", "0-D", "3-D complex", "record"],
)
def test_ndarray(store: HistoryStore, array: np.ndarray) -> None:
    back = round_trip(store, array)
    assert type(back) is np.ndarray
    assert back.dtype == array.dtype and back.shape == array.shape
    assert back.flags.f_contiguous == array.flags.f_contiguous
    np.testing.assert_array_equal(back, array)


@pytest.mark.parametrize(
    "value",
    [
        {"a": 1, "b": [1.5, None, True, "é"], "c": {"d": {"e": []}}},
        [1, "two", 3.0, None, False],
        42,
        -0.5,
        True,
        None,
        {"nan": float("nan")},
    ],
    ids=["nested dict", "list", "int", "float", "bool", "None", "NaN inside"],
)
def test_json(store: HistoryStore, value: object) -> None:
    back = round_trip(store, value)
    assert repr(back) == repr(value)  # repr tells 1 from 1.0 and True from 1; NaN from NaN


def test_a_tuple_comes_back_as_a_list(store: HistoryStore) -> None:
    """Documented: JSON has no tuples."""
    assert round_trip(store, {"pair": (1, 2)}) == {"pair": [1, 2]}
    assert round_trip(store, (1, "a")) == [1, "a"]


class Point(pydantic.BaseModel):
    x: int
    label: str
    tags: list[str] = []


@dataclasses.dataclass
class Box:
    width: float
    items: list[int]


def test_pydantic_model_is_its_json_dump(store: HistoryStore) -> None:
    back = round_trip(store, Point(x=1, label="p", tags=["a"]))
    assert back == {"x": 1, "label": "p", "tags": ["a"]}
    assert encode(Point(x=1, label="p")).meta_dict == {"type": f"{__name__}.Point"}


def test_dataclass_is_its_fields(store: HistoryStore) -> None:
    assert round_trip(store, Box(2.5, [1, 2])) == {"width": 2.5, "items": [1, 2]}


@pytest.mark.parametrize(
    ("value", "type_name", "text"),
    [
        (decimal.Decimal("1.50"), "decimal.Decimal", "Decimal('1.50')"),
        ({1, 2}, "set", "{1, 2}"),
        ({1: "int key"}, "dict", "{1: 'int key'}"),
        (b"\x00bytes", "bytes", "b'\\x00bytes'"),
        (ValueError("boom"), "ValueError", "ValueError('boom')"),
        (np.array([{"a": 1}], dtype=object), "numpy.ndarray", "array([{'a': 1}], dtype=object)"),
        (np.int64(3), "numpy.int64", "np.int64(3)"),
    ],
    ids=["Decimal", "set", "int keys", "bytes", "exception", "object array", "numpy scalar"],
)
def test_anything_else_is_its_type_and_repr(
    store: HistoryStore, value: object, type_name: str, text: str
) -> None:
    back = round_trip(store, value)
    assert back == StoredObject(type_name, text)
    assert str(back) == text


class Unprintable:
    def __repr__(self) -> str:
        raise RuntimeError("no repr for you")


def test_an_object_whose_repr_raises(store: HistoryStore) -> None:
    back = round_trip(store, Unprintable())
    assert back == StoredObject(f"{__name__}.Unprintable", "<unprintable Unprintable>")


def test_a_circular_list_is_its_repr(store: HistoryStore) -> None:
    loop: list[Any] = [1]
    loop.append(loop)
    assert round_trip(store, loop) == StoredObject("list", "[1, [...]]")


def test_a_stored_object_stores_as_itself(store: HistoryStore) -> None:
    """Saving a resumed message again does not wrap its objects in another repr."""
    stored = StoredObject("decimal.Decimal", "Decimal('2')")
    assert round_trip(store, stored) == stored


def test_frame_likes_are_stored_as_pandas(store: HistoryStore) -> None:
    pyarrow = pytest.importorskip("pyarrow")
    table = pyarrow.table({"a": [1, 2], "b": ["x", None]})
    assert_frame_equal(round_trip(store, table), table.to_pandas())
    frame = pd.DataFrame({"a": [1.0, 2.0]})
    assert_frame_equal(round_trip(store, frame.style.format("{:.1f}")), frame)


def test_text_comes_back_exactly(store: HistoryStore) -> None:
    text = "line\r\nnext\x1b[31m red \x00 nul\u2028 ☃ " + "x" * 100_000
    assert round_trip(store, text) == text


def test_decode_rejects_an_unknown_kind() -> None:
    part = encode("x")
    with pytest.raises(ValueError, match="unknown part kind 'hologram'"):
        decode(dataclasses.replace(part, kind="hologram"))


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame(np.zeros((2, 1_000_000))),
        pd.DataFrame(np.arange(6_000).reshape(2, 3_000), columns=[f"c{n}" for n in range(3_000)]),
        pd.DataFrame(
            pd.date_range("2020", periods=4_000, tz="UTC").values.reshape(2, 2_000)
        ).rename_axis("when", axis=1),
    ],
    ids=["million-zeros", "named-ints", "datetimes"],
)
def test_a_wide_frame_of_one_dtype_round_trips(frame: pd.DataFrame) -> None:
    """Stored transposed: as it is, Arrow took three minutes for 2 x 1,000,000."""
    part = encode(frame)
    assert part.meta_dict.get("transposed") is True
    assert_frame_equal(decode(part), frame)
    assert_index_equal(decode(part).columns, frame.columns, exact=True)
