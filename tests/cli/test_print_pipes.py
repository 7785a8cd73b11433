"""Print mode through real pipes: piped input joins the prompt, a reader that goes away
(`| head -n 1`) ends the answer quietly, and `--session ID -p` continues that session.

Each test runs the real `inkstream` command; `| head -n 1` is a real `head`."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.recording_backend import ANSWER, RECORD, recorded
from tests.stream.sse_server import SSEServer, chat_chunk
from tui.history.store import HistoryStore

ROOT = Path(__file__).resolve().parents[2]
RECORDER = "tests.cli.recording_backend:record"
QUIET_CODES = (0, 141)
"""A reader that went away: ended as Unix tools end, 0 or 128 + SIGPIPE."""

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX pipes")


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui", *args]


def environment(tmp_path: Path) -> dict[str, str]:
    """No user settings; the recording backend writes into `tmp_path`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INKSTREAM_", "OPENAI_"))}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    env[RECORD] = str(tmp_path / "messages.json")
    env.pop("PYTHONPATH", None)
    return env


def run(tmp_path: Path, *args: str, stdin: Any = subprocess.DEVNULL) -> subprocess.CompletedProcess:
    return subprocess.run(
        command(*args),
        cwd=ROOT,
        env=environment(tmp_path),
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


# Item 4: piped input


def test_piped_input_follows_the_prompt_after_a_blank_line(tmp_path: Path) -> None:
    """`inkstream -p "Summarise this" < notes.txt` sends the prompt, a blank line, the file."""
    notes = tmp_path / "notes.txt"
    notes.write_text("First note.\n\n    indented code stays as it is\n", encoding="utf-8")
    with notes.open() as stdin:
        result = run(tmp_path, "--backend", RECORDER, "-p", "Summarise this", stdin=stdin)
    assert (result.returncode, result.stdout, result.stderr) == (0, ANSWER + "\n", "")
    content = "Summarise this\n\n" + notes.read_text(encoding="utf-8")
    assert recorded(tmp_path / "messages.json") == [{"role": "user", "content": content}]


def test_from_a_pipe_too_and_an_empty_one_adds_nothing(tmp_path: Path) -> None:
    """`echo text | inkstream -p ...` works the same; an empty stdin leaves the prompt alone."""
    record = tmp_path / "messages.json"
    producer = subprocess.Popen(["printf", "piped words"], stdout=subprocess.PIPE)
    result = run(tmp_path, "--backend", RECORDER, "-p", "Count these", stdin=producer.stdout)
    producer.wait(timeout=10)
    assert result.returncode == 0
    assert recorded(record)[-1]["content"] == "Count these\n\npiped words"
    assert run(tmp_path, "--backend", RECORDER, "-p", "Alone").returncode == 0
    assert recorded(record) == [{"role": "user", "content": "Alone"}]


def test_a_terminal_on_stdin_is_not_read(tmp_path: Path) -> None:
    """Typed at a shell, `inkstream -p ...` answers at once: it never waits for stdin."""
    master, slave = os.openpty()
    try:
        result = run(tmp_path, "--backend", RECORDER, "-p", "Just this", stdin=slave)
    finally:
        os.close(slave)
        os.close(master)
    assert result.returncode == 0
    assert recorded(tmp_path / "messages.json") == [{"role": "user", "content": "Just this"}]


# Item 5: a reader that goes away


def into_head(tmp_path: Path, *args: str) -> tuple[subprocess.Popen, subprocess.Popen]:
    """`inkstream ARGS | head -n 1`, with real pipes; both processes running."""
    writer = subprocess.Popen(
        command(*args),
        cwd=ROOT,
        env=environment(tmp_path),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert writer.stdout is not None
    head = subprocess.Popen(["head", "-n", "1"], stdin=writer.stdout, stdout=subprocess.PIPE)
    writer.stdout.close()  # only head holds the read end now, as in a shell
    return writer, head


def quiet_end(writer: subprocess.Popen, head: subprocess.Popen) -> tuple[bytes, int, bytes]:
    line, _ = head.communicate(timeout=60)
    assert writer.stderr is not None
    err = writer.stderr.read()
    return line, writer.wait(timeout=60), err


@pytest.mark.skipif(shutil.which("head") is None, reason="needs head")
def test_the_demo_into_head_ends_quietly(tmp_path: Path) -> None:
    """The demo answers for seconds; head leaves after its first line: no message."""
    writer, head = into_head(tmp_path, "--no-history", "-p", "hello there")
    line, code, err = quiet_end(writer, head)
    assert line == b"## You said: `hello there`\n"
    assert code in QUIET_CODES, err.decode()
    assert err == b""


@pytest.mark.skipif(shutil.which("head") is None, reason="needs head")
def test_the_openai_backend_into_head_ends_quietly(tmp_path: Path, sse: SSEServer) -> None:
    """The real openai client: the server holds the rest until head has left, so the
    next write meets a closed pipe; no message, no traceback."""
    sse.script.chunks = [chat_chunk(f"line {number}\n") for number in range(50)]
    sse.script.hold_after = 2
    writer, head = into_head(
        tmp_path,
        *("--no-history", "--backend", "openai", "--base-url", sse.base_url, "--model", "m"),
        *("-p", "count"),
    )
    line, _ = head.communicate(timeout=60)
    sse.release.set()  # head is gone: the lines after the first meet a closed pipe
    assert writer.stderr is not None
    err = writer.stderr.read()
    code = writer.wait(timeout=60)
    assert line == b"line 0\n"
    assert code in QUIET_CODES, err.decode()
    assert err == b""


# Item 6: --session ID -p continues the session


def stored_chat(db: Path) -> int:
    with HistoryStore(db) as store:
        session = store.create_session(title="Sums", backend="echo")
        store.add_message(session, "user", "What is 2+2?")
        store.add_message(session, "assistant", "4")
        store.create_session(title="Another", backend="echo")
    return session


def test_session_and_print_continue_that_session(tmp_path: Path) -> None:
    """Its turns go to the backend as context, and the new turn is saved to it."""
    db = tmp_path / "history.sqlite3"
    session = stored_chat(db)
    args = ("--db", str(db), "--backend", RECORDER, "--session", str(session))
    result = run(tmp_path, *args, "-p", "And 3+3?")
    assert (result.returncode, result.stdout, result.stderr) == (0, ANSWER + "\n", "")
    assert recorded(tmp_path / "messages.json") == [
        {"role": "user", "content": "What is 2+2?"},
        {"role": "assistant", "content": "4"},
        {"role": "user", "content": "And 3+3?"},
    ]
    with HistoryStore(db) as store:
        messages = store.messages(session)
        others = [info for info in store.sessions() if info.id != session]
    assert [(m.role, m.value, m.status) for m in messages[2:]] == [
        ("user", "And 3+3?", "finished"),
        ("assistant", ANSWER, "finished"),
    ]
    assert [info.message_count for info in others] == [0], "no other session is touched"


def test_resume_and_print_continue_the_latest_session(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    stored_chat(db)
    with HistoryStore(db) as store:
        latest = store.latest_session()
    assert latest is not None
    result = run(tmp_path, "--db", str(db), "--backend", RECORDER, "--resume", "-p", "Hi")
    assert result.returncode == 0
    with HistoryStore(db) as store:
        assert [m.value for m in store.messages(latest)] == ["Hi", ANSWER]


def test_a_missing_session_or_no_history_is_refused_before_the_backend_runs(
    tmp_path: Path,
) -> None:
    db = tmp_path / "history.sqlite3"
    stored_chat(db)
    missing = run(tmp_path, "--db", str(db), "--backend", RECORDER, "--session", "99", "-p", "x")
    assert missing.returncode == 2
    assert "no session 99" in missing.stderr and "--list" in missing.stderr
    memory = run(tmp_path, "--no-history", "--backend", RECORDER, "--session", "1", "-p", "x")
    assert memory.returncode == 2 and "drop --no-history" in memory.stderr
    assert not (tmp_path / "messages.json").exists(), "the backend was never called"


def test_a_signal_mid_answer_saves_what_arrived_to_the_session(tmp_path: Path) -> None:
    """SIGTERM while `--session ID -p` streams: the partial answer is saved, marked
    interrupted, and the exit code is 128 + SIGTERM."""
    from tests.faults.terminal import Terminal

    db = tmp_path / "history.sqlite3"
    session = stored_chat(db)
    terminal = Terminal("--db", str(db), "--session", str(session), "-p", "go on")
    try:
        terminal.wait_for(rb"word5 ")
        terminal.process.send_signal(signal.SIGTERM)
        code = terminal.process.wait(timeout=15)
    finally:
        terminal.close()
    assert code == 128 + signal.SIGTERM
    with HistoryStore(db) as store:
        user, answer = store.messages(session)[2:]
    assert (user.value, answer.status) == ("go on", "interrupted")
    assert str(answer.value).startswith("word0 word1 word2 word3 word4 word5")
