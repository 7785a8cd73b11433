"""The startup path imports nothing heavy: pandas, numpy, openai, asyncssh and the other
optional libraries wait until a turn needs them (as harlequin's import hygiene test).

Each probe runs in a fresh interpreter, since this one has imported everything already.
"""

from __future__ import annotations

import pytest

from tests.import_probe import loaded_after

HEAVY = ("pandas", "numpy", "pyarrow", "openai", "httpx", "asyncssh", "anthropic", "langchain_core")

STARTUP = """
import tempfile, pathlib
from tui.cli import build_parser
from tui.config import load_config
from tui.backends.registry import load
from tui.history_cli import open_store
from tui.app import ChatApp

folder = pathlib.Path(tempfile.mkdtemp())
args = build_parser().parse_args(["--db", str(folder / "history.sqlite3")])
(folder / "config.toml").write_text("")
config = load_config(folder / "config.toml", flags={})
backend = load(config.backend or "demo")
ChatApp(backend=backend, history=open_store(args))
"""
"""What `inkstream` does before `app.run()`: parse, configure, load the backend, open the
history and build the app."""


@pytest.mark.parametrize(
    "code",
    ["import tui.app", "import tui.cli", STARTUP],
    ids=["tui.app", "tui.cli", "cli-startup-path"],
)
def test_startup_imports_nothing_heavy(code: str) -> None:
    assert loaded_after(code, HEAVY) == set()


def test_the_probe_sees_a_heavy_import() -> None:
    assert loaded_after("import tui.app, pandas", HEAVY) >= {"pandas", "numpy"}
