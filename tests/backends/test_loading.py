"""A 503 saying the model is loading (llama.cpp's "Loading model", Ollama's "llm server
loading model") is waited out: the backend retries, says "the model is loading", and
gives up with one line after the read timeout. The real `openai` client against the
loopback SSE server, which answers 503 until the test lets it answer."""

from __future__ import annotations

import asyncio

import pytest

from tests.stream.sse_server import Script, SSEServer, chat_chunk
from tui.backends import BackendError, Settings
from tui.backends.openai_compat import openai_chat
from tui.backends.progress import Listeners, listening
from tui.stream import collect_async

MESSAGES = [{"role": "user", "content": "hi"}]
LLAMA_CPP = {"error": {"code": 503, "message": "Loading model", "type": "unavailable_error"}}
OLLAMA = {"error": "llm server loading model"}


@pytest.mark.parametrize("body", [LLAMA_CPP, OLLAMA], ids=["llama.cpp", "ollama"])
async def test_a_loading_model_is_waited_for(sse: SSEServer, body: dict) -> None:
    sse.script = Script(status=503, error=body)
    reasons: list[str] = []

    async def ready_after_three() -> None:
        while len(sse.requests) < 3:
            await asyncio.sleep(0.01)
        sse.script = Script(chunks=[chat_chunk("ready"), chat_chunk(finish="stop")])

    switch = asyncio.create_task(ready_after_three())
    settings = Settings(model="m", base_url=sse.base_url, read_timeout=30)
    with listening(Listeners(reasons.append, lambda text: None)):
        answer = await collect_async(openai_chat(MESSAGES, settings))
    await switch
    assert answer == "ready"
    assert len(sse.requests) >= 4 and [r[1] for r in sse.requests] == [
        "/v1/chat/completions"
    ] * len(sse.requests)
    assert set(reasons) == {"the model is loading"}


async def test_loading_for_longer_than_the_read_timeout_gives_up(sse: SSEServer) -> None:
    sse.script = Script(status=503, error=LLAMA_CPP)
    settings = Settings(model="m", base_url=sse.base_url, read_timeout=1.0)
    with pytest.raises(BackendError) as raised:
        await collect_async(openai_chat(MESSAGES, settings))
    assert str(raised.value) == (
        "The model was still loading after 1 s (the read timeout, --read-timeout)"
    )
    assert len(sse.requests) >= 2


async def test_another_503_is_not_retried(sse: SSEServer) -> None:
    sse.script = Script(status=503, error={"error": {"message": "Service overloaded"}})
    with pytest.raises(BackendError, match=r"The server failed \(503\): Service overloaded"):
        await collect_async(openai_chat(MESSAGES, Settings(model="m", base_url=sse.base_url)))
    assert len(sse.requests) == 1
