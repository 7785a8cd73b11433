"""SIGKILL mid-stream: a fresh process finds the partial answer, marked interrupted."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tui.history.store import HistoryStore

ROOT = Path(__file__).resolve().parents[2]

READ_BACK = """
import json, sys
from tui.history.store import HistoryStore
with HistoryStore(sys.argv[1]) as store:
    (info,) = store.sessions()
    answer = store.messages(info.id)[-1]
    print(json.dumps({"status": answer.status, "value": answer.value}))
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_an_answer_killed_mid_stream_is_kept_and_marked_interrupted(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.app.stream_until_killed", str(path)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        seen = ""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and seen.count("word") < 20:
            time.sleep(0.2)
            if path.exists():
                with HistoryStore(path) as store:
                    sessions = store.sessions()
                    messages = store.messages(sessions[0].id) if sessions else []
                    if messages:  # the session row is committed before its first turn
                        value = messages[-1].value
                        seen = value if isinstance(value, str) else ""
        assert seen.count("word") >= 20, child.stderr.read() if child.poll() is not None else seen
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        child.kill()
        child.wait()
    fresh = subprocess.run(
        [sys.executable, "-c", READ_BACK, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    answer = json.loads(fresh.stdout)
    assert answer["status"] == "interrupted"
    assert answer["value"].startswith(seen), "nothing saved before the kill was lost"
    assert answer["value"].startswith("word0 word1 word2 ")
