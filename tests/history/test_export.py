"""Markdown export, and JSON export → import round trips; import names what is wrong."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal, assert_index_equal, assert_series_equal

from tui.history import HistoryStore, export_json, export_markdown, import_json


class Opaque:
    def __repr__(self) -> str:
        return "Opaque(`x`)"


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "when": pd.date_range("2024-01-01", periods=3, tz="UTC"),
            "kind": pd.Categorical(["a", None, "b"]),
            "n": pd.array([1, None, 3], dtype="Int64"),
        },
        index=pd.MultiIndex.from_tuples([("x", 1), ("x", 2), ("y", 1)], names=["k", "i"]),
    )


@pytest.fixture
def chat(store: HistoryStore) -> int:
    chat = store.create_session(title="Everything", backend="demo", model="m-1")
    store.add_message(chat, "user", "Show me *everything*")
    store.add_message(
        chat,
        "assistant",
        [
            "Here it is:\n\n- a list",
            frame(),
            pd.Series([1.5, None], name="s"),
            pd.Index(["p", "q"], name="letters"),
            np.arange(6).reshape(2, 3),
            {"nested": {"list": [1, None, True]}},
            Opaque(),
            "the end",
        ],
        reasoning="first I think",
        tool_calls=[{"name": "f", "arguments": "{}"}, Opaque()],
    )
    store.add_message(chat, "user", "Stop")
    store.add_message(chat, "assistant", "Sto", status="stopped")
    store.add_message(chat, "assistant", "", status="failed", error="BackendError: 401")
    return chat


def assert_same(left: Any, right: Any) -> None:
    """Equal values, comparing pandas and numpy objects with their own asserts."""
    assert type(left) is type(right)
    if isinstance(left, pd.DataFrame):
        assert_frame_equal(left, right, check_exact=True)
    elif isinstance(left, pd.Series):
        assert_series_equal(left, right, check_exact=True)
    elif isinstance(left, pd.Index):
        assert_index_equal(left, right, exact=True)
    elif isinstance(left, np.ndarray):
        np.testing.assert_array_equal(left, right)
        assert left.dtype == right.dtype
    elif isinstance(left, list):
        assert len(left) == len(right)
        for a, b in zip(left, right, strict=True):
            assert_same(a, b)
    else:
        assert left == right


def test_json_round_trip(store: HistoryStore, chat: int) -> None:
    exported = export_json(store, chat)
    text = json.dumps(exported)
    copy_id = import_json(store, json.loads(text))
    assert copy_id != chat

    original, imported = store.session(chat), store.session(copy_id)
    assert (imported.title, imported.backend, imported.model) == ("Everything", "demo", "m-1")
    assert imported.message_count == original.message_count == 5
    assert imported.created == original.created
    assert imported.updated == original.updated
    for a, b in zip(store.messages(chat), store.messages(copy_id), strict=True):
        assert (a.role, a.status, a.created, a.reasoning, a.error) == (
            b.role, b.status, b.created, b.reasoning, b.error,
        )  # fmt: skip
        assert_same(a.value, b.value)
        assert_same(a.tool_calls, b.tool_calls)
    assert json.loads(json.dumps(export_json(store, copy_id))) == json.loads(text)


def test_json_format(store: HistoryStore, chat: int) -> None:
    exported = json.loads(json.dumps(export_json(store, chat)))
    assert exported["format"] == "inkstream.session" and exported["version"] == 2
    assert set(exported["session"]) == {"title", "backend", "model", "created", "updated"}
    assert exported["session"]["created"].endswith("+00:00")
    first, answer = exported["messages"][:2]
    assert first == {
        "role": "user",
        "status": "finished",
        "created": first["created"],
        "shape": "str",
        "parts": [{"kind": "text", "text": "Show me *everything*"}],
        "reasoning": "",
        "tool_calls": [],
        "error": None,
        "parent": None,
        "active": True,
    }
    assert (answer["parent"], answer["active"]) == (0, True)
    kinds = [part["kind"] for part in answer["parts"]]
    assert kinds == ["text", "dataframe", "series", "index", "ndarray", "json", "object", "text"]
    table = answer["parts"][1]
    assert table["encoding"] == "arrow-ipc"
    assert base64.b64decode(table["data"])[:4] == b"\xff\xff\xff\xff"  # an IPC message
    assert answer["parts"][5] == {"kind": "json", "value": {"nested": {"list": [1, None, True]}}}
    assert answer["parts"][6] == {
        "kind": "object",
        "type": f"{__name__}.Opaque",
        "repr": "Opaque(`x`)",
    }
    assert answer["tool_calls"][0] == {"kind": "json", "value": {"name": "f", "arguments": "{}"}}
    assert exported["messages"][4]["error"] == "BackendError: 401"


def text(body: str) -> dict[str, str]:
    return {"kind": "text", "text": body}


def test_an_import_may_leave_out_optional_keys(store: HistoryStore) -> None:
    user = {"role": "user", "created": "2024-05-01T10:00:01Z", "parts": [text("hi")]}
    answer = {
        "role": "assistant",
        "status": "streaming",
        "created": "2024-05-01T10:00:02+02:00",
        "parts": [text("a"), {"kind": "json", "value": [1]}],
    }
    data = {
        "format": "inkstream.session",
        "version": 1,
        "session": {"title": "Minimal", "backend": "x", "created": "2024-05-01T10:00:00"},
        "messages": [user, answer],
    }
    chat = import_json(store, data)
    info = store.session(chat)
    assert info.model is None and info.updated == info.created
    assert info.created.isoformat() == "2024-05-01T10:00:00+00:00"
    user, answer = store.messages(chat)
    assert (user.value, user.status) == ("hi", "finished")
    assert (answer.value, answer.status) == (["a", [1]], "interrupted")
    assert answer.created.isoformat() == "2024-05-01T08:00:02+00:00"


def valid(store: HistoryStore, chat: int) -> dict[str, Any]:
    return json.loads(json.dumps(export_json(store, chat)))


def message(n: int) -> Any:
    return lambda data: data["messages"][n]


def part(n: int, m: int) -> Any:
    return lambda data: data["messages"][n]["parts"][m]


DAMAGES: list[tuple[Any, str]] = [
    (lambda d: d.update(format="x.y"), "format: expected 'inkstream.session'"),
    (lambda d: d.update(version=3), "version: 3 is newer than this inkstream reads"),
    (lambda d: d.update(version="1"), "version: expected int, got str"),
    (lambda d: d.update(version=True), "version: expected int, got bool"),
    (lambda d: d.pop("messages"), "messages: missing"),
    (lambda d: d["session"].pop("title"), "session.title: missing"),
    (lambda d: d["session"].update(created="yesterday"), "session.created: 'yesterday' is not"),
    (lambda d: d["messages"].append([]), "messages[5]: a message must be an object"),
    (lambda d: message(1)(d).update(role="robot"), "messages[1].role: 'robot' is not one"),
    (lambda d: message(1)(d).update(status="meh"), "messages[1].status: 'meh' is not one"),
    (lambda d: message(1)(d).update(parts="x"), "messages[1].parts: expected list, got str"),
    (
        lambda d: message(0)(d).update(parts=[{"kind": "json", "value": 1}]),
        "messages[0].shape: 'str' needs at most one part",
    ),
    (lambda d: part(1, 1)(d).update(data="not base64!"), "messages[1].parts[1].data: not valid"),
    (lambda d: part(1, 1)(d).update(data="AAAA"), "messages[1].parts[1]: cannot read this dataf"),
    (
        lambda d: part(1, 4)(d).update(encoding="pickle"),
        "messages[1].parts[4]: cannot read this nd",
    ),
    (lambda d: part(1, 0)(d).update(kind="hologram"), "messages[1].parts[0].kind: unknown part"),
    (lambda d: part(1, 0)(d).pop("text"), "messages[1].parts[0].text: missing"),
    (lambda d: part(1, 5)(d).pop("value"), "messages[1].parts[5].value: missing"),
    (lambda d: message(1)(d)["tool_calls"].append(3), "messages[1].tool_calls[2]: a part must"),
    (lambda d: message(4)(d).update(error=7), "messages[4].error: expected str or null, got int"),
]


@pytest.mark.parametrize(("damage", "expected"), DAMAGES, ids=[m for _, m in DAMAGES])
def test_import_names_what_is_wrong(
    store: HistoryStore, chat: int, damage: Any, expected: str
) -> None:
    data = valid(store, chat)
    damage(data)
    sessions = store.sessions()
    with pytest.raises(ValueError) as caught:
        import_json(store, data)
    assert str(caught.value).startswith(expected), str(caught.value)
    assert store.sessions() == sessions  # nothing half imported


def test_import_rejects_what_is_not_an_object(store: HistoryStore) -> None:
    with pytest.raises(ValueError, match="is a JSON object, not list"):
        import_json(store, [])  # type: ignore[arg-type]


def test_markdown(store: HistoryStore, chat: int) -> None:
    text = export_markdown(store, chat)
    heading, source, *_ = text.split("\n\n")
    assert heading == "# Everything"
    assert source.startswith("_demo · m-1 · ") and source.endswith(" UTC_")
    expected_blocks = [
        "## User",
        "Show me *everything*",
        "## Assistant",
        "> _Reasoning_\n>\n> first I think",
        "Here it is:\n\n- a list",
        "| k | i | when | kind | n |\n"
        "|---|---|---|---|--:|\n"
        "| x | 1 | 2024-01-01 00:00:00+00:00 | a | 1 |\n"
        "| x | 2 | 2024-01-02 00:00:00+00:00 | NaN | <NA> |\n"
        "| y | 1 | 2024-01-03 00:00:00+00:00 | b | 3 |",
        "| s |\n|--:|\n| 1.5 |\n| NaN |",
        "| letters |\n|---|\n| p |\n| q |",
        "| 0 | 1 | 2 |\n|--:|--:|--:|\n| 0 | 1 | 2 |\n| 3 | 4 | 5 |",
        "```json\n" + json.dumps({"nested": {"list": [1, None, True]}}, indent=2) + "\n```",
        "`` Opaque(`x`) ``",
        "the end",
        "_Tool calls_",
        '```json\n{\n  "name": "f",\n  "arguments": "{}"\n}\n```',
        "`` Opaque(`x`) ``",
        "## User",
        "Stop",
        "## Assistant (stopped)",
        "Sto",
        "## Assistant (failed)",
        "> **Error:** BackendError: 401",
    ]
    assert text == "\n\n".join([heading, source, *expected_blocks]) + "\n"


def test_markdown_truncates_a_large_table(store: HistoryStore) -> None:
    chat = store.create_session(title="Big", backend="demo")
    big = pd.DataFrame({"n": range(1000), "text": ["a|b"] * 1000})
    store.add_message(chat, "assistant", ["Big one:", big])
    text = export_markdown(store, chat)
    lines = text.splitlines()
    header = lines.index("| n | text |")
    assert lines[header + 1] == "|--:|---|"
    rows = lines[header + 2 : header + 22]
    assert rows == [f"| {n} | a\\|b |" for n in range(20)]
    assert lines[header + 22 : header + 24] == ["", "_… 980 more rows_"]
    short = export_markdown(store, chat, max_rows=999).splitlines()
    assert "_… 1 more row_" in short
    assert not any(
        "more row" in line for line in export_markdown(store, chat, max_rows=5000).splitlines()
    )


def test_markdown_of_an_unknown_session(store: HistoryStore) -> None:
    with pytest.raises(KeyError):
        export_markdown(store, 42)
    with pytest.raises(KeyError):
        export_json(store, 42)


def test_a_copy_of_the_export_is_not_changed_by_import(store: HistoryStore, chat: int) -> None:
    data = valid(store, chat)
    before = copy.deepcopy(data)
    import_json(store, data)
    assert data == before


def test_a_reason_over_several_lines_stays_inside_the_error_quote() -> None:
    from datetime import UTC, datetime

    from tui.history.markdown import message_markdown
    from tui.history.records import StoredMessage

    error = "The server refused the request (400): roles must alternate\nsee the log"
    message = StoredMessage(
        id=1, session_id=1, role="assistant", status="failed", created=datetime.now(UTC),
        value="", reasoning="", tool_calls=[], error=error,
    )  # fmt: skip
    assert message_markdown(message).endswith(
        "> **Error:** The server refused the request (400): roles must alternate\n> see the log"
    )
