"""A loopback HTTP server that streams Chat Completions chunks as server-sent events.

It stands in for the OpenAI API so that the real `openai` clients can be driven end to
end, with no network beyond 127.0.0.1.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CHAT_PATH = "/v1/chat/completions"


def chat_chunk(
    content: str | None = None, *, index: int = 0, finish: str | None = None, **delta: Any
) -> dict[str, Any]:
    """The JSON of one `chat.completion.chunk`, as the API sends it."""
    if content is not None:
        delta["content"] = content
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": "test-model",
        "choices": [{"index": index, "delta": delta, "finish_reason": finish}],
    }


@dataclass
class Script:
    """What the server sends for the next request."""

    chunks: list[dict[str, Any]] = field(default_factory=list)
    hold_after: int | None = None
    """Send this many chunks, then wait for `release` (or a timeout) before the rest."""


@dataclass
class SSEServer:
    """A running server: its base URL, the script it plays and the requests it saw."""

    base_url: str
    script: Script
    release: threading.Event
    requests: list[tuple[str, str, dict[str, Any]]]
    disconnected: threading.Event


def _handler(server: SSEServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output quiet."""

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            server.requests.append(("POST", self.path, body))
            if self.path != CHAT_PATH:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            script = server.script
            try:
                for number, chunk in enumerate(script.chunks):
                    if number == script.hold_after:
                        server.release.wait(timeout=5)
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                server.disconnected.set()

    return Handler


def serve() -> Iterator[SSEServer]:
    """Run a server on an ephemeral loopback port for as long as the generator lives."""
    state = SSEServer("", Script(), threading.Event(), [], threading.Event())
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.base_url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, name="sse-server", daemon=True
    )
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
