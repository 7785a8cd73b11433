"""`tui.history` stays headless and light: no Textual or Rich, and pandas only when used.

Each module is imported in a fresh interpreter, as `tests/stream/test_import_hygiene.py`
does for the stream engine.
"""

from __future__ import annotations

import pytest

import tui.history
from tests.import_probe import loaded_after, modules_of

UI = ("textual", "rich")
HEAVY = ("pandas", "numpy", "pyarrow", "openai")
MODULES = modules_of(tui.history)
WATCHED = (*UI, *HEAVY)


def test_the_modules_are_found() -> None:
    assert {"tui.history.store", "tui.history.parts", "tui.history.export"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_no_ui_and_nothing_heavy(module: str) -> None:
    assert loaded_after(f"import {module}", WATCHED) == set()


def test_a_text_session_never_imports_pandas() -> None:
    code = (
        "from tui.history import HistoryStore, export_json, export_markdown, import_json\n"
        "store = HistoryStore(':memory:')\n"
        "chat = store.create_session(title='t', backend='b')\n"
        "store.add_message(chat, 'user', 'hi')\n"
        "store.add_message(chat, 'assistant', ['a', {'b': 1}, {1, 2}], tool_calls=[{'c': 2}])\n"
        "import_json(store, export_json(store, chat))\n"
        "assert export_markdown(store, chat)\n"
        "assert store.search('hi')\n"
    )
    assert loaded_after(code, WATCHED) == set()
