"""`tui.stream` stays headless and light: each module imported alone in a fresh interpreter.

As harlequin's `test_import_hygiene.py` does, every module is imported in a subprocess,
and the test looks at what ended up in `sys.modules`.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import tui.stream

UI = ("textual", "rich")
HEAVY = ("pandas", "numpy", "openai", "anthropic", "langchain_core")
MODULES = [
    "tui.stream",
    *(f"tui.stream.{info.name}" for info in pkgutil.iter_modules(tui.stream.__path__)),
]


def loaded_after(code: str) -> set[str]:
    """Run `code` in a fresh interpreter; the watched top-level packages it imported."""
    probe = (
        f"{code}\n"
        "import json, sys\n"
        f"watched = {[*UI, *HEAVY]!r}\n"
        "print(json.dumps([name for name in watched if name in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_every_module_is_listed() -> None:
    """The discovery found the engine's modules (so the parametrised test is not empty)."""
    assert {"tui.stream.source", "tui.stream.chunks", "tui.stream.pacing"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_neither_ui_nor_heavy_libraries(module: str) -> None:
    """Importing the module pulls in no Textual, Rich, pandas, numpy or SDK."""
    assert loaded_after(f"import {module}") == set()


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
    assert loaded_after(code) == set()


def test_the_probe_can_see_an_import() -> None:
    """The probe itself works: a module that imports rich is reported."""
    assert "rich" in loaded_after("import rich.text")
