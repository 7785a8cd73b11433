"""`tui.stream` stays headless and light: each module imported alone in a fresh interpreter.

As harlequin's `test_import_hygiene.py` does, every module is imported in a subprocess,
and the test looks at what ended up in `sys.modules`.
"""

from __future__ import annotations

import pytest

import tui.stream
from tests.import_probe import loaded_after, modules_of

UI = ("textual", "rich")
HEAVY = ("pandas", "numpy", "openai", "anthropic", "langchain_core")
MODULES = modules_of(tui.stream)
WATCHED = (*UI, *HEAVY)


def test_every_module_is_listed() -> None:
    """The discovery found the engine's modules (so the parametrised test is not empty)."""
    assert {"tui.stream.source", "tui.stream.chunks", "tui.stream.pacing"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_neither_ui_nor_heavy_libraries(module: str) -> None:
    """Importing the module pulls in no Textual, Rich, pandas, numpy or SDK."""
    assert loaded_after(f"import {module}", WATCHED) == set()


def test_collecting_plain_chunks_imports_no_sdk() -> None:
    """Adapting plain chunks, sync and async, recognises types without importing SDKs."""
    code = (
        "import asyncio\n"
        "from tui.stream import collect, collect_async\n"
        "assert collect(['a', 1, {'b': 2}, None]) == ['a', 1, {'b': 2}, None]\n"
        "async def tokens():\n"
        "    yield 'x'\n"
        "assert asyncio.run(collect_async(tokens)) == 'x'\n"
    )
    assert loaded_after(code, WATCHED) == set()


def test_the_probe_can_see_an_import() -> None:
    """The probe itself works: a module that imports rich is reported."""
    assert "rich" in loaded_after("import rich.text", WATCHED)
