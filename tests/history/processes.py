"""Child processes for the history tests, run as `python -m tests.history.processes ...`.

- `write PATH SESSION COUNT TAG`: opens PATH, creates PATH.ready.TAG, waits for PATH.go,
  then adds COUNT messages to SESSION, each started as "streaming" and saved once more
  as finished; prints [start, end] times.
- `stream PATH`: starts an answer and saves it, growing, every 0.1 s until killed.
- `read PATH`: prints the last message of the latest session as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from tui.history.store import HistoryStore

WORD = "word{} "


def write(path: str, session: int, count: int, tag: str) -> None:
    with HistoryStore(path) as store:
        Path(f"{path}.ready.{tag}").touch()
        go = Path(path + ".go")
        while not go.exists():
            time.sleep(0.002)
        start = time.time()
        for n in range(count):
            message = store.add_message(session, "assistant", "", status="streaming")
            store.save_message(message, [f"{tag} {n}", {"n": n}], status="finished")
        print(json.dumps([start, time.time()]))


def stream(path: str) -> None:
    with HistoryStore(path) as store:
        chat = store.create_session(title="crash", backend="test")
        store.add_message(chat, "user", "Count for me")
        answer = store.add_message(chat, "assistant", "", status="streaming")
        text = ""
        for n in range(100_000):
            text += WORD.format(n)
            store.save_message(answer, text, status="streaming")
            time.sleep(0.1)


def read(path: str) -> None:
    with HistoryStore(path) as store:
        session = store.latest_session()
        assert session is not None
        message = store.messages(session)[-1]
        print(json.dumps({"status": message.status, "value": message.value}))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "write":
        write(args[0], int(args[1]), int(args[2]), args[3])
    elif command == "stream":
        stream(args[0])
    else:
        read(args[0])
