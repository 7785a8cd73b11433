"""A backend for the print-mode tests, loaded by the real command as
`tests.cli.recording_backend:record`: it writes the messages it gets, as JSON, to the
file named by `INKSTREAM_TEST_RECORD`, and answers "recorded"."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

RECORD = "INKSTREAM_TEST_RECORD"
ANSWER = "recorded"


def record(messages: list[dict[str, Any]]) -> Iterator[str]:
    """Write `messages` to the record file, then answer."""
    Path(os.environ[RECORD]).write_text(json.dumps(messages), encoding="utf-8")
    yield ANSWER


def recorded(path: Path) -> list[dict[str, Any]]:
    """The messages the backend got."""
    return json.loads(path.read_text(encoding="utf-8"))
