"""The `openai` backend: the real `openai` client against a real loopback SSE server.

Nothing here mocks openai or the HTTP stack: each test scripts what the server on
127.0.0.1 sends, and checks what the backend yields, raises, and sent to the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.app.helpers import make_app
from tests.stream.sse_server import CHAT_PATH, SSEServer, api_error, chat_chunk
from tui.backends import BackendError, Settings, call_backend
from tui.backends.openai_compat import NO_KEY, _failure, _Timeouts, openai_chat
from tui.backends.progress import Listeners, listening
from tui.history import TurnStatus
from tui.stream import Response, adapt, aiterate, collect_async, open_source
from tui.widgets.chat.chat_message import ChatMessage
from tui.widgets.chat.prompt_input import PromptInput
from tui.widgets.transcript import MarkdownLines

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = [{"role": "user", "content": "Why is the sky blue?"}]
CONTENT = ["Rayleigh ", "scattering: ", "blue light ", "scatters ", "most."]
REASONING = ["The user asks ", "about the sky. "]
THINKING = ["Recall physics."]
STOP_WITHIN = 2.0
"""Seconds within which the server must see the connection close after a stop."""


def text_script() -> list[dict[str, Any]]:
    return [
        chat_chunk("", role="assistant"),
        *(chat_chunk(piece) for piece in CONTENT),
        chat_chunk(finish="stop"),
    ]


def settings_for(sse: SSEServer, **options: Any) -> Settings:
    return Settings(model=options.pop("model", "m"), base_url=sse.base_url, **options)


async def failure(sse: SSEServer, settings: Settings | None = None) -> tuple:
    """Run the backend to its error; return the error's message and the partial response."""
    response = Response()
    with pytest.raises(BackendError) as raised:
        await collect_async(openai_chat(MESSAGES, settings or settings_for(sse)), response=response)
    assert raised.value.__cause__ is not None, "the original error stays chained"
    assert len(sse.requests) <= 1, "one clear error, not silent retries"
    return str(raised.value), response


def free_port() -> int:
    """A loopback port that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def until(condition: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.01)


async def disconnected_within(sse: SSEServer, stopped_at: float) -> float:
    """How long after `stopped_at` the server saw the client go; fails after STOP_WITHIN."""
    seen = await asyncio.to_thread(sse.disconnected.wait, STOP_WITHIN + 1)
    assert seen, "the server never saw the connection close"
    assert sse.disconnected_at is not None
    return sse.disconnected_at - stopped_at


# --- what streams -----------------------------------------------------------------------


async def test_text_streams_and_the_request_carries_the_settings(sse: SSEServer) -> None:
    """Text arrives whole; model, system prompt, temperature and key reach the server."""
    sse.script.chunks = text_script()
    settings = settings_for(sse, system="Answer briefly.", temperature=0.0, api_key="sk-test-1")
    response = Response()
    value = await collect_async(openai_chat(MESSAGES, settings), response=response)
    assert value == "".join(CONTENT)
    ((method, path, body),) = sse.requests
    assert (method, path) == ("POST", CHAT_PATH)
    assert body["model"] == settings.model
    assert body["messages"] == [{"role": "system", "content": settings.system}, *MESSAGES]
    assert body["temperature"] == settings.temperature
    assert body["stream"] is True
    assert "stream_options" not in body, "strict servers reject it, and usage is not shown"
    assert sse.headers[0]["authorization"] == f"Bearer {settings.api_key}"


async def test_no_system_prompt_and_no_temperature_send_neither(sse: SSEServer) -> None:
    """The server's own default temperature applies, and no empty system message is sent."""
    sse.script.chunks = text_script()
    await collect_async(openai_chat(MESSAGES, settings_for(sse)))
    body = sse.requests[0][2]
    assert body["messages"] == MESSAGES
    assert "temperature" not in body


async def test_reasoning_is_kept_out_of_the_answer(sse: SSEServer) -> None:
    """`reasoning_content` (DeepSeek, vLLM) and `reasoning` (Ollama, OpenRouter) are folded."""
    sse.script.chunks = [
        *(chat_chunk(reasoning_content=piece) for piece in REASONING),
        *(chat_chunk(reasoning=piece) for piece in THINKING),
        *(chat_chunk(piece) for piece in CONTENT),
    ]
    response = Response()
    value = await collect_async(openai_chat(MESSAGES, settings_for(sse)), response=response)
    assert value == "".join(CONTENT)
    assert response.reasoning == "".join(REASONING + THINKING)


async def test_usage_only_chunks_and_empty_choices_give_nothing(sse: SSEServer) -> None:
    """Raw chunks come through unchanged, and the ones without content add nothing."""
    usage = {**chat_chunk(), "choices": [], "usage": {"prompt_tokens": 9, "total_tokens": 14}}
    empty_delta = chat_chunk()
    sse.script.chunks = [usage, chat_chunk(CONTENT[0]), empty_delta, chat_chunk(CONTENT[1]), usage]
    chunks = [chunk async for chunk in openai_chat(MESSAGES, settings_for(sse))]
    assert [type(chunk).__name__ for chunk in chunks] == ["ChatCompletionChunk"] * 5
    assert chunks[0].usage.total_tokens == usage["usage"]["total_tokens"]
    assert [adapt(chunk) for chunk in (chunks[0], chunks[2], chunks[4])] == [[], [], []]
    response = Response()
    for chunk in chunks:
        response.feed(chunk)
    assert response.items == [CONTENT[0] + CONTENT[1]]


async def test_call_backend_passes_the_settings(sse: SSEServer) -> None:
    """The app's way in: `call_backend` sees the `settings` parameter and passes it."""
    sse.script.chunks = text_script()
    settings = settings_for(sse, model="llama3.2", system="Be terse.")
    stream = await call_backend(openai_chat, MESSAGES, settings)
    assert sse.requests == [], "nothing is sent before the stream is iterated"
    assert await collect_async(stream) == "".join(CONTENT)
    body = sse.requests[0][2]
    assert body["model"] == settings.model
    assert body["messages"][0] == {"role": "system", "content": settings.system}


async def test_the_environment_gives_the_server_and_the_key(
    sse: SSEServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`OPENAI_BASE_URL` and `OPENAI_API_KEY` apply when the settings leave them out."""
    monkeypatch.setenv("OPENAI_BASE_URL", sse.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-environment")
    sse.script.chunks = text_script()
    assert await collect_async(openai_chat(MESSAGES, Settings(model="m"))) == "".join(CONTENT)
    assert sse.headers[0]["authorization"] == "Bearer sk-from-the-environment"


async def test_settings_win_over_the_environment(
    sse: SSEServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-environment")
    sse.script.chunks = text_script()
    settings = settings_for(sse, api_key="sk-from-the-flags")
    assert await collect_async(openai_chat(MESSAGES, settings)) == "".join(CONTENT)
    assert sse.headers[0]["authorization"] == f"Bearer {settings.api_key}"


async def test_a_local_server_needs_no_key(sse: SSEServer) -> None:
    """With no key anywhere, a placeholder is sent rather than failing before the request."""
    sse.script.chunks = text_script()
    assert await collect_async(openai_chat(MESSAGES, settings_for(sse))) == "".join(CONTENT)
    assert sse.headers[0]["authorization"] == f"Bearer {NO_KEY}"


def test_importing_the_backend_does_not_import_openai() -> None:
    """Startup stays fast: `openai` is imported on the first call only."""
    code = "import sys, tui.backends.openai_compat; print('openai' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# --- failures: one line each --------------------------------------------------------------


async def test_no_model_and_no_model_list_fails_before_any_chat(sse: SSEServer) -> None:
    with pytest.raises(BackendError) as raised:
        await collect_async(openai_chat(MESSAGES, Settings(base_url=sse.base_url)))
    assert str(raised.value) == "No model chosen: pass --model NAME (for example --model llama3.2)"
    assert sse.requests == []


async def test_no_model_asks_for_the_servers_only_model(sse: SSEServer) -> None:
    """llama-server lists the one model it serves: a user who names none gets it."""
    sse.models = ["tiny.gguf"]
    sse.script.chunks = text_script()
    answer = await collect_async(openai_chat(MESSAGES, Settings(base_url=sse.base_url)))
    assert answer == "".join(CONTENT)
    assert sse.requests[0][2]["model"] == "tiny.gguf"


async def test_no_model_among_several_names_them(sse: SSEServer) -> None:
    sse.models = ["llama3.2", "qwen3"]
    with pytest.raises(BackendError) as raised:
        await collect_async(openai_chat(MESSAGES, Settings(base_url=sse.base_url)))
    assert str(raised.value) == (
        "No model chosen: pass --model NAME (the server lists 'llama3.2', 'qwen3')"
    )
    assert sse.requests == []


async def test_no_model_and_no_server_says_it_cannot_connect() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    settings = Settings(base_url=f"http://127.0.0.1:{port}/v1", connect_timeout=2)
    with pytest.raises(BackendError) as raised:
        await collect_async(openai_chat(MESSAGES, settings))
    assert "No model chosen" not in str(raised.value)
    assert f"127.0.0.1:{port}" in str(raised.value)


async def test_a_model_the_server_does_not_list_gets_one_notice(sse: SSEServer) -> None:
    sse.models = ["tiny.gguf"]
    notices: list[str] = []
    settings = settings_for(sse, model="gpt-unlisted")
    with listening(Listeners(lambda reason: None, notices.append)):
        for _ in range(2):
            sse.script.chunks = text_script()
            assert await collect_async(openai_chat(MESSAGES, settings)) == "".join(CONTENT)
    assert notices == [
        "The server does not list the model 'gpt-unlisted' (it lists 'tiny.gguf'); "
        "it answered with its own"
    ]


async def test_connection_refused() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(BackendError) as raised:
        await collect_async(openai_chat(MESSAGES, Settings(model="m", base_url=url)))
    assert str(raised.value) == f"Cannot reach {url}: connection refused"


async def test_a_host_name_that_does_not_resolve() -> None:
    """`.invalid` never resolves (RFC 2606); with no DNS at all the lookup itself fails."""
    url = "http://inkstream-test.invalid/v1"
    with pytest.raises(BackendError) as raised:
        await collect_async(openai_chat(MESSAGES, Settings(model="m", base_url=url)))
    reasons = {"name not found", "name lookup failed"}
    assert str(raised.value) in {f"Cannot reach {url}: {reason}" for reason in reasons}


async def test_a_url_without_a_scheme() -> None:
    url = f"127.0.0.1:{free_port()}/v1"
    with pytest.raises(BackendError) as raised:
        await collect_async(openai_chat(MESSAGES, Settings(model="m", base_url=url)))
    assert str(raised.value) == f"Cannot reach {url}: the URL must start with http:// or https://"


@pytest.mark.skipif(sys.platform != "linux", reason="relies on Linux dropping SYNs to a full queue")
async def test_a_server_that_never_accepts_times_out_connecting() -> None:
    """A listener whose accept queue is full: the connection is never made."""
    with contextlib.ExitStack() as sockets:
        listener = sockets.enter_context(socket.socket())
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        for _ in range(3):  # fill the queue, so the next SYN is dropped
            filler = sockets.enter_context(socket.socket())
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(listener.getsockname())
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
        settings = Settings(model="m", base_url=url, connect_timeout=0.2)
        with pytest.raises(BackendError) as raised:
            await collect_async(openai_chat(MESSAGES, settings))
    assert str(raised.value) == (
        f"Cannot reach {url}: no connection within 0.2 s (the connect timeout, --connect-timeout)"
    )


async def test_a_user_and_password_in_the_url_are_never_shown() -> None:
    port = free_port()
    settings = Settings(model="m", base_url=f"http://inkuser:hunter2@127.0.0.1:{port}/v1/")
    with pytest.raises(BackendError) as raised:
        await collect_async(openai_chat(MESSAGES, settings))
    assert str(raised.value) == f"Cannot reach http://127.0.0.1:{port}/v1: connection refused"


@pytest.mark.parametrize("library", ["httpx", "httpx2"])
def test_raw_http_errors_mid_stream_get_the_same_lines(library: str) -> None:
    """Older openai releases let the HTTP library's own errors out of a stream unwrapped."""
    http = pytest.importorskip(library)
    timeouts = _Timeouts(connect=0.25, read=0.5)
    late = {"url": "http://127.0.0.1:9/v1", "model": "m", "timeouts": timeouts, "late": True}
    cut = http.RemoteProtocolError("peer closed connection without sending complete body")
    assert _failure(cut, **late) == "The connection dropped mid-answer: the text so far is kept"
    stall = http.ReadTimeout("timed out")
    assert _failure(stall, **late) == (
        "The server sent nothing for 0.5 s (the read timeout, --read-timeout): "
        "the text so far is kept"
    )
    assert _failure(ValueError("a bug"), **late) is None, "anything else is re-raised as it is"


async def test_401_names_the_key_and_never_shows_it(sse: SSEServer) -> None:
    key = "sk-secret-0123456789"
    sse.script.status = 401
    sse.script.error = api_error(f"Incorrect API key provided: {key}.", code="invalid_api_key")
    message, _ = await failure(sse, settings_for(sse, api_key=key))
    assert message == "The server rejected the API key (401)"
    assert sse.headers[0]["authorization"] == f"Bearer {key}", "the key did reach the server"


async def test_403_keeps_the_servers_reason(sse: SSEServer) -> None:
    said = "Project does not have access to model m"
    sse.script.status, sse.script.error = 403, api_error(said, "permission_error")
    message, _ = await failure(sse)
    assert message == f"The server denied access with this API key (403): {said}"


@pytest.mark.parametrize(
    "body",
    [
        api_error("The model `qwen9` does not exist or you do not have access to it."),
        {"object": "error", "message": "The model `qwen9` does not exist.", "code": 404},
        api_error('model "qwen9" not found, try pulling it first', "api_error"),
        None,
    ],
    ids=["openai", "vllm", "ollama", "no-body"],
)
async def test_404_names_the_unknown_model(sse: SSEServer, body: Any) -> None:
    sse.script.status, sse.script.error = 404, body
    settings = settings_for(sse, model="qwen9")
    message, _ = await failure(sse, settings)
    assert message == f"The server does not know the model '{settings.model}' (404)"


async def test_404_that_is_not_about_a_model_points_at_the_url(sse: SSEServer) -> None:
    """A wrong base URL (say, without /v1) gets a 404 that has nothing to do with models."""
    sse.script.status, sse.script.error = 404, "404 page not found"
    message, _ = await failure(sse)
    assert message == f"Nothing found at {sse.base_url} (404): {sse.script.error}"


@pytest.mark.parametrize(
    "said", ["Rate limit reached for requests per min. Limit: 3, Used: 3.", ""], ids=str
)
async def test_429_says_to_try_again_later(sse: SSEServer, said: str) -> None:
    sse.script.status = 429
    sse.script.error = api_error(said, "requests", "rate_limit_exceeded")
    message, _ = await failure(sse)
    expected = "Rate limited by the server (429): try again later"
    assert message == (f"{expected}. {said}" if said else expected)


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_5xx_keeps_the_servers_whole_message(sse: SSEServer, status: int) -> None:
    said = "CUDA out of memory\n  while loading the weights"
    sse.script.status, sse.script.error = status, api_error(f"\n{said}\n", "server_error")
    message, _ = await failure(sse)
    assert message == f"The server failed ({status}): {said}"


async def test_5xx_with_an_html_page_shows_no_html(sse: SSEServer) -> None:
    sse.script.status, sse.script.error = 502, "<html><body><h1>502 Bad Gateway</h1></body></html>"
    message, _ = await failure(sse)
    assert message == "The server failed (502)"


async def test_other_4xx_keeps_the_servers_reason(sse: SSEServer) -> None:
    said = "temperature must be at most 2"
    sse.script.status, sse.script.error = 400, api_error(said)
    message, _ = await failure(sse, settings_for(sse, temperature=9.0))
    assert message == f"The server refused the request (400): {said}"


async def test_a_key_the_server_echoes_is_masked(sse: SSEServer) -> None:
    key = "sk-live-abcdefghijklmnop"
    sse.script.status, sse.script.error = 500, api_error(f"upstream refused {key}")
    message, _ = await failure(sse, settings_for(sse, api_key=key))
    assert key not in message
    assert message == "The server failed (500): upstream refused ***"


async def test_a_stream_cut_part_way_keeps_the_text_so_far(sse: SSEServer) -> None:
    """The server sends two chunks, then closes the socket with no `[DONE]`."""
    sse.script.chunks = [chat_chunk(piece) for piece in CONTENT]
    sse.script.cut_after = 2
    message, response = await failure(sse)
    assert message == "The connection dropped mid-answer: the text so far is kept"
    assert response.value == "".join(CONTENT[:2])


async def test_an_error_event_mid_stream_keeps_the_text_so_far(sse: SSEServer) -> None:
    said = "The model is overloaded"
    sse.script.chunks = [chat_chunk(CONTENT[0]), api_error(said, "server_error")]
    message, response = await failure(sse)
    assert message == f"The server failed mid-answer: {said}"
    assert response.value == CONTENT[0]


async def test_a_chunk_that_is_not_json(sse: SSEServer) -> None:
    sse.script.chunks = [chat_chunk(CONTENT[0]), "{not json"]
    message, response = await failure(sse)
    assert message == "The server failed mid-answer: it sent a chunk that is not JSON"
    assert response.value == CONTENT[0]


async def test_a_server_that_does_not_answer_times_out(sse: SSEServer) -> None:
    sse.script.delay = 5.0
    started = time.monotonic()
    message, _ = await failure(sse, settings_for(sse, read_timeout=0.2))
    assert message == "The server did not answer within 0.2 s (the read timeout, --read-timeout)"
    assert time.monotonic() - started < 2


# --- stopping ---------------------------------------------------------------------------


async def test_cancelling_mid_stream_closes_the_connection_at_once(sse: SSEServer) -> None:
    """The server holds the stream open, pinging; cancelling the turn makes its writes fail."""
    sse.script.chunks = [chat_chunk(piece) for piece in CONTENT]
    sse.script.hold_after, sse.script.ping_every = 2, 0.05
    response = Response()
    task = asyncio.create_task(
        collect_async(openai_chat(MESSAGES, settings_for(sse)), response=response)
    )
    await until(lambda: response.value == "".join(CONTENT[:2]))
    task.cancel()
    stopped_at = time.monotonic()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await disconnected_within(sse, stopped_at) < STOP_WITHIN
    assert response.value == "".join(CONTENT[:2])


async def test_leaving_the_stream_early_closes_the_connection_at_once(sse: SSEServer) -> None:
    """A consumer that breaks out (as `aiterate` does on Esc) closes the HTTP stream."""
    sse.script.chunks = [chat_chunk(piece) for piece in CONTENT]
    sse.script.hold_after, sse.script.ping_every = 1, 0.05
    async with contextlib.aclosing(
        aiterate(open_source(openai_chat(MESSAGES, settings_for(sse))))
    ) as chunks:
        async for chunk in chunks:
            assert chunk.choices[0].delta.content == CONTENT[0]
            break
    stopped_at = time.monotonic()
    assert await disconnected_within(sse, stopped_at) < STOP_WITHIN


# --- in the app ---------------------------------------------------------------------------


async def send(pilot: Any, text: str) -> None:
    pilot.app.query_one(PromptInput).insert(text)
    await pilot.press("enter")


async def test_the_app_streams_an_answer_from_the_server(sse: SSEServer) -> None:
    sse.script.chunks = text_script()
    app = make_app(openai_chat, settings=settings_for(sse))
    async with app.run_test() as pilot:
        await send(pilot, MESSAGES[0]["content"])
        await app.workers.wait_for_complete()
        await pilot.pause()
        (turn,) = app.conversation.turns
        assert turn.status is TurnStatus.FINISHED
        assert turn.response == "".join(CONTENT)
        answer = app.query(ChatMessage).filter(".-assistant").first()
        assert answer.query_one(MarkdownLines).source == "".join(CONTENT)
    assert sse.requests[0][2]["messages"] == MESSAGES


async def test_the_app_shows_a_rejected_key_as_one_line(sse: SSEServer) -> None:
    sse.script.status, sse.script.error = 401, api_error("Incorrect API key provided.")
    app = make_app(openai_chat, settings=settings_for(sse, api_key="sk-wrong-key-000"))
    async with app.run_test() as pilot:
        await send(pilot, "hello")
        await app.workers.wait_for_complete()
        await pilot.pause()
        (turn,) = app.conversation.turns
        assert turn.status is TurnStatus.FAILED
        assert turn.error == "The server rejected the API key (401)"
        answer = app.query(ChatMessage).filter(".-failed").first()
        status = str(answer.query_one(".message-status").render())
        assert turn.error in status
        assert "Traceback" not in status


async def test_esc_in_the_app_closes_the_connection(sse: SSEServer) -> None:
    """Esc stops the turn, keeps the text so far, and the server sees the client leave."""
    sse.script.chunks = [chat_chunk(piece) for piece in CONTENT]
    sse.script.hold_after, sse.script.ping_every = 2, 0.05
    app = make_app(openai_chat, settings=settings_for(sse))
    async with app.run_test() as pilot:
        await send(pilot, "tell me everything")
        await until(lambda: app.query(ChatMessage).filter(".-assistant"))
        answer = app.query(ChatMessage).filter(".-assistant").first()
        partial = "".join(CONTENT[:2])
        await until(lambda: answer.body is not None and answer.body.response.value == partial)
        await pilot.press("escape")
        stopped_at = time.monotonic()
        await app.workers.wait_for_complete()
        assert await disconnected_within(sse, stopped_at) < STOP_WITHIN
        (turn,) = app.conversation.turns
        assert turn.status is TurnStatus.STOPPED
        assert turn.response == partial
