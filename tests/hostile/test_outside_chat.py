"""Nothing a backend, a stored session or a plugin holds reaches a terminal raw outside the
chat either: error lines, `--list`, `import`, `backends` and `export` each run in a real
pty, and every byte they write is checked (issue 20, class 2). The SSH server's log is in
`tests/ssh/test_log_is_neutralised.py`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hostile.pty_capture import HOSTILE, HOSTILE_TEXT, leaks, run_in_pty, shown
from tui.history.store import HistoryStore

STAND_INS = ("␛]52;c;UFdO␇", "␛]0;PWN␇", "␛[2J", "\\x9b31m", "\\u202eevil", "␛]52;c;UFdO␛\\")
"""How the payload's parts show once neutralised: visible, and acting on nothing."""
WHOLE = (*STAND_INS, "over␍write")
"""The same, for text shown whole: an error line ends at the message's first line (CR)."""


def assert_clean(output: bytes, *expected: str) -> str:
    """No leak in `output`, and each of `expected` shown in it; return it as text."""
    assert leaks(output) == []
    text = shown(output)
    for part in expected:
        assert part in text
    return text


@pytest.fixture
def hostile_backend(tmp_path: Path) -> Path:
    """bk.py: `fails_at_import` raises the payload at import; `answer` raises it midway."""
    (tmp_path / "bk.py").write_text(
        f"message = {HOSTILE!r}\n"
        "def answer(messages):\n"
        "    yield 'partial '\n"
        "    raise RuntimeError(message)\n"
    )
    (tmp_path / "bad_import.py").write_text(
        f"raise RuntimeError({HOSTILE!r})\ndef answer(messages):\n    yield 'never'\n"
    )
    return tmp_path


def test_a_backend_that_fails_at_import_is_one_clean_error_line(hostile_backend: Path) -> None:
    done = run_in_pty(
        "--backend", "./bad_import.py:answer", "--db", "h.db", "--typewriter", "0", "-p", "hi",
        cwd=hostile_backend,
    )  # fmt: skip
    assert done.code == 2
    text = assert_clean(done.tty, "inkstream: error: ", *STAND_INS, "\\ud800")
    assert text.count("\n") == 1, "one line"


def test_a_backend_that_fails_mid_answer_in_print_mode(hostile_backend: Path) -> None:
    """stdout is a pipe and gets the text as it came; stderr, a terminal, the clean reason."""
    done = run_in_pty(
        "--backend", "./bk.py:answer", "--db", "h.db", "--typewriter", "0", "-p", "hi",
        cwd=hostile_backend, pipe_stdout=True,
    )  # fmt: skip
    assert done.code == 1
    assert done.stdout.decode().startswith("partial")
    text = assert_clean(done.tty, "inkstream: RuntimeError: ", *STAND_INS, "\\udc80")
    assert text.count("\n") == 1


def test_a_backend_that_fails_mid_answer_with_everything_on_the_terminal(
    hostile_backend: Path,
) -> None:
    done = run_in_pty(
        "--backend", "./bk.py:answer", "--db", "h.db", "--typewriter", "0", "-p", "hi",
        cwd=hostile_backend,
    )  # fmt: skip
    assert done.code == 1
    # Rich draws the answer with escape sequences of its own: look at the reason's line.
    line = next(line for line in shown(done.tty).splitlines() if "inkstream: " in line)
    line = line[line.index("inkstream: ") :]
    assert leaks(line.encode()) == []
    assert all(part in line for part in STAND_INS)


def stored(path: Path, title: str, text: str) -> int:
    """A session in the history at `path` titled `title`, its prompt and answer `text`."""
    with HistoryStore(path) as store:
        session = store.create_session(title=title, backend=f"demo {text}")
        store.add_message(session, "user", text)
        store.add_message(session, "assistant", f"{text}\n\n```\n{text}\n```\n")
        return session


def test_an_imported_title_is_listed_clean(tmp_path: Path) -> None:
    """The issue's case: a session imported from a file whose title holds the payload."""
    source = tmp_path / "source.db"
    session = stored(source, "plain", "words")
    exported = tmp_path / "session.json"
    done = run_in_pty("--db", str(source), "export", str(session), "--format", "json",
                      "-o", str(exported))  # fmt: skip
    assert done.code == 0
    data = json.loads(exported.read_text())
    data["session"]["title"] = HOSTILE_TEXT + "\nforged line"
    exported.write_text(json.dumps(data))
    target = tmp_path / "target.db"
    imported = run_in_pty("--db", str(target), "import", str(exported))
    assert imported.code == 0
    assert_clean(imported.tty, "Imported as session 1.")
    listed = run_in_pty("--db", str(target), "--list")
    assert listed.code == 0
    text = assert_clean(listed.tty, *WHOLE, "⏎forged line")
    assert text.count("\n") == 1, "one session, one line"


def test_an_export_to_the_terminal_is_clean_and_to_a_pipe_exact(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    session = stored(db, HOSTILE_TEXT, HOSTILE_TEXT)
    markdown = run_in_pty("--db", str(db), "export", str(session))
    assert markdown.code == 0
    assert_clean(markdown.tty, *WHOLE)
    as_json = run_in_pty("--db", str(db), "export", str(session), "--format", "json")
    assert as_json.code == 0
    assert_clean(as_json.tty, "\\u009b31m", "\\u202eevil")
    assert json.loads(shown(as_json.tty))["session"]["title"] == HOSTILE_TEXT
    piped = run_in_pty("--db", str(db), "export", str(session), "--format", "json",
                       pipe_stdout=True)  # fmt: skip
    assert json.loads(piped.stdout)["session"]["title"] == HOSTILE_TEXT, "a pipe gets the data"


@pytest.fixture
def hostile_plugins(tmp_path: Path) -> dict[str, str]:
    """Two installed backends, by entry point: one whose docstring holds the payload, one
    that raises it at import; the environment that makes Python find them."""
    (tmp_path / "evil_doc.py").write_text(
        f"def answer(messages):\n    yield 'x'\nanswer.__doc__ = {HOSTILE!r}\n"
    )
    (tmp_path / "evil_import.py").write_text(f"raise RuntimeError({HOSTILE!r})\n")
    info = tmp_path / "evil_plugins-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: evil-plugins\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[inkstream.backends]\nevildoc = evil_doc:answer\nevilimport = evil_import:answer\n"
    )
    return {"PYTHONPATH": str(tmp_path)}


def test_backends_lists_hostile_plugins_clean(hostile_plugins: dict[str, str]) -> None:
    done = run_in_pty("backends", env=hostile_plugins)
    assert done.code == 0
    text = assert_clean(done.tty, *STAND_INS)
    assert "evildoc" in text and "evilimport" in text
    assert "\\ud800" in text
