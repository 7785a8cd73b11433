"""A loopback HTTP server that streams Chat Completions chunks as server-sent events.

It stands in for the OpenAI API so that the real `openai` clients can be driven end to
end, with no network beyond 127.0.0.1. Like the real API it answers in HTTP/1.1 with a
chunked body, so a connection dropped part-way is an incomplete body, not a clean end.
The `Script` also lets it fail the way servers do: an error status with a JSON body, a
connection cut mid-stream (closed, or reset as when the server dies), a stream held
open with keepalive comments, a slow answer.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CHAT_PATH = "/v1/chat/completions"
MODELS_PATH = "/v1/models"


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


def api_error(message: str, kind: str = "invalid_request_error", code: str | None = None) -> dict:
    """An error body shaped like OpenAI's: `{"error": {"message": ..., "type": ...}}`."""
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


@dataclass
class Script:
    """What the server sends for the next request."""

    chunks: list[Any] = field(default_factory=list)
    """Each one is sent as `data: <json>`; a `str` is sent as it is, even if not JSON."""
    hold_after: int | None = None
    """Send this many chunks, then wait for `release` (or a timeout) before the rest."""
    ping_every: float | None = None
    """While holding, send a `: ping` comment this often, to notice a closed connection."""
    cut_after: int | None = None
    """Send this many chunks, then drop the connection: no `[DONE]`, no end of body."""
    reset: bool = False
    """With `cut_after`: reset the connection (RST), as when the server process dies."""
    status: int = 200
    """Answer with this status and `error` as a JSON body instead of a stream, if not 200."""
    error: Any = None
    """The body of an error answer: a dict is sent as JSON, a `str` as plain text."""
    delay: float = 0.0
    """Seconds to wait (or until `release`) before sending anything at all."""


@dataclass
class SSEServer:
    """A running server: its base URL, the script it plays and the requests it saw."""

    base_url: str
    script: Script
    release: threading.Event
    requests: list[tuple[str, str, dict[str, Any]]]
    disconnected: threading.Event
    headers: list[dict[str, str]] = field(default_factory=list)
    """The headers of each request, names in lower case, in the order of `requests`."""
    disconnected_at: float | None = None
    """`time.monotonic()` when a write first failed because the client had gone."""
    models: list[str] | None = None
    """The model ids `GET /v1/models` lists; `None` answers it with a 404."""


class _Cut(Exception):
    """Raised to drop the connection in the middle of a body."""


def _handler(server: SSEServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output quiet."""

        def send(self, data: bytes) -> None:
            """Write one piece of a chunked body."""
            self.wfile.write(b"%X\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            server.requests.append(("POST", self.path, body))
            server.headers.append({name.lower(): value for name, value in self.headers.items()})
            script = server.script
            if script.delay:
                server.release.wait(timeout=script.delay)
            if self.path != CHAT_PATH:
                self.send_error(404)
            elif script.status != 200:
                self.answer_error(script)
            else:
                try:
                    self.stream(script)
                except (BrokenPipeError, ConnectionResetError):
                    server.disconnected_at = server.disconnected_at or time.monotonic()
                    server.disconnected.set()
                except _Cut:
                    self.close_connection = True
                    if script.reset:  # linger 0, and closed before any FIN: an RST
                        linger = struct.pack("ii", 1, 0)
                        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                        self.connection.close()

        def do_GET(self) -> None:
            """Answer `GET /v1/models` (not kept in `requests`, which holds the chats)."""
            if self.path != MODELS_PATH or server.models is None:
                self.send_error(404)
                return
            listed = [{"id": name, "object": "model", "owned_by": "test"} for name in server.models]
            payload = json.dumps({"object": "list", "data": listed}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def answer_error(self, script: Script) -> None:
            error = script.error
            is_json = not isinstance(error, str)
            payload = (json.dumps(error) if is_json else error).encode()
            self.send_response(script.status)
            self.send_header("Content-Type", "application/json" if is_json else "text/plain")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(payload)

        def stream(self, script: Script) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            for number, chunk in enumerate(script.chunks[: script.cut_after]):
                if number == script.hold_after:
                    self.hold(script.ping_every)
                data = chunk if isinstance(chunk, str) else json.dumps(chunk)
                self.send(f"data: {data}\n\n".encode())
            if script.cut_after is not None:
                raise _Cut
            self.send(b"data: [DONE]\n\n")
            self.send(b"")

        def hold(self, ping_every: float | None) -> None:
            deadline = time.monotonic() + 5
            while not server.release.is_set() and time.monotonic() < deadline:
                if ping_every is None:
                    server.release.wait(timeout=deadline - time.monotonic())
                else:
                    self.send(b": ping\n\n")
                    server.release.wait(timeout=ping_every)

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
