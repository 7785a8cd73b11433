"""Real processes: two writers on one file at once, and a writer killed mid-stream."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.history.processes import WORD
from tui.history import HistoryStore

ROOT = Path(__file__).resolve().parents[2]


def child(*args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.history.processes", *args],
        cwd=ROOT,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,  # type: ignore[arg-type]
    )


def test_two_processes_write_to_one_file_at_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    with HistoryStore(path) as store:
        chat = store.create_session(title="shared", backend="test")
    writers = [child("write", str(path), str(chat), "200", tag) for tag in ("left", "right")]
    deadline = time.monotonic() + 30
    while not all(Path(f"{path}.ready.{tag}").exists() for tag in ("left", "right")):
        assert time.monotonic() < deadline and all(w.poll() is None for w in writers)
        time.sleep(0.01)
    Path(f"{path}.go").touch()  # both are at the gate: start together
    spans = []
    for writer in writers:
        out, errors = writer.communicate(timeout=60)
        assert writer.returncode == 0, errors
        spans.append(json.loads(out))
    (start_1, end_1), (start_2, end_2) = spans
    assert start_1 < end_2 and start_2 < end_1, "the two writers did not run at once"

    with HistoryStore(path) as store:
        messages = store.messages(chat)
    assert len(messages) == 400
    assert {m.status for m in messages} == {"finished"}
    for tag in ("left", "right"):
        mine = [m.value for m in messages if m.value[0].startswith(tag)]
        assert mine == [[f"{tag} {n}", {"n": n}] for n in range(200)]  # all, in order
    assert len({m.value[0] for m in messages}) == 400
    assert len({m.id for m in messages}) == 400


def partial_text(path: Path) -> str:
    """The streaming answer's text as it is in the file now, read with plain sqlite3."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            row = db.execute(
                "SELECT p.body FROM parts p JOIN messages m ON m.id = p.message_id "
                "WHERE m.role = 'assistant' AND p.kind = 'text'"
            ).fetchone()
    except sqlite3.OperationalError:  # not created yet
        return ""
    return row[0] if row else ""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_writer_killed_mid_stream_leaves_its_text_marked_interrupted(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite3"
    streamer = child("stream", str(path))
    try:
        deadline = time.monotonic() + 20
        seen = ""
        while time.monotonic() < deadline and seen.count("word") < 5:
            time.sleep(0.05)
            seen = partial_text(path)
        assert seen.count("word") >= 5, streamer.stderr.read() if streamer.poll() else "too slow"
    finally:
        streamer.send_signal(signal.SIGKILL)
        streamer.communicate(timeout=10)
    assert streamer.returncode == -signal.SIGKILL

    # A fresh process opens the file at once: no waiting for the 5 s staleness rule.
    reader = subprocess.run(
        [sys.executable, "-m", "tests.history.processes", "read", str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert reader.returncode == 0, reader.stderr
    answer = json.loads(reader.stdout)
    assert answer["status"] == "interrupted"
    text = answer["value"]
    assert text.startswith(seen)  # what had been seen before the kill is all there
    words = text.split()
    assert words == [WORD.format(n).strip() for n in range(len(words))]  # whole saves only
