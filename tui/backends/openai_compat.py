"""The `openai` backend: any OpenAI-compatible Chat Completions server, streamed."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
from collections.abc import AsyncIterator
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from tui.backends import BackendError, Message, Settings, progress

__all__ = ["CONNECT_TIMEOUT", "NO_KEY", "READ_TIMEOUT", "openai_chat"]

NO_KEY = "not-needed"
"""The API key sent when none is set: local servers ignore it, and the client needs one."""
CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a connection, unless `settings.connect_timeout` says otherwise."""
READ_TIMEOUT = 120.0
"""Seconds to wait for the server to start answering, and between two chunks, unless
`settings.read_timeout` says otherwise. A model still loading can take a while."""
LOADING_RETRY = 0.5
"""Seconds between tries while the server answers 503 because its model is loading."""
LOADING = ("loading model", "model is loading", "model is still loading")
"""What llama.cpp ("Loading model") and Ollama ("llm server loading model") say in a 503."""
SAID_LIMIT = 10_000
"""Characters of a server's error message shown at most; a whole page of error is kept."""
CUT_SHORT = "The server cut the answer short: it reached its token limit or context size"
"""The notice after an answer whose stream ended with `finish_reason` "length"."""
_CHECKED: set[tuple[str, str]] = set()  # (server, model) pairs whose names were checked
_HTTP = {"httpx", "httpx2", "httpcore", "httpcore2"}  # older openai lets these out mid-stream


async def openai_chat(messages: list[Message], settings: Settings) -> AsyncIterator[Any]:
    """Stream an answer from an OpenAI-compatible server (OpenAI, Ollama, vLLM, LM Studio).

    The server is `settings.base_url`, else `OPENAI_BASE_URL`, else OpenAI's; the key is
    `settings.api_key`, else `OPENAI_API_KEY`, else `NO_KEY`. With no `settings.model`,
    the server's only model at `/v1/models` is asked for (a llama.cpp server serves one).
    Chunks are yielded as they come; leaving early closes the HTTP stream. `openai` is
    imported here, not at startup. A server that never accepts the connection fails after
    `settings.connect_timeout` seconds; one that accepts but never answers, or stops
    sending mid-answer, fails after `settings.read_timeout` seconds without a byte. Only a
    503 saying the model is still loading is retried, every `LOADING_RETRY` seconds for up
    to the read timeout, with `progress.waiting("the model is loading")`. Once an answer
    has streamed, a server that lists its models and names none of them as
    `settings.model` gets one notice, and an answer the server ended for its length
    (`finish_reason` "length") gets `CUT_SHORT`.

    Args:
        messages: The conversation so far; `settings.system` is sent before it.
        settings: The model (else the server's only one), temperature, system prompt,
            server, key and timeouts.

    Raises:
        BackendError: A message for the user, never holding the key, for each failure:
            one line of ours, then the server's own message whole, newlines and all.
    """
    import openai

    key = settings.api_key or os.environ.get("OPENAI_API_KEY") or NO_KEY
    timeouts = _Timeouts(
        settings.connect_timeout or CONNECT_TIMEOUT, settings.read_timeout or READ_TIMEOUT
    )
    client = openai.AsyncOpenAI(
        base_url=settings.base_url or os.environ.get("OPENAI_BASE_URL") or None,
        api_key=key,
        max_retries=0,
        timeout=openai.Timeout(timeouts.read, connect=timeouts.connect),
    )
    system = [{"role": "system", "content": settings.system}] if settings.system else []
    options = {} if settings.temperature is None else {"temperature": settings.temperature}
    stream = None
    model = settings.model
    try:
        model = model or await _only_model(client)
        stream = await _create(
            client, timeouts, model=model, messages=[*system, *messages], **options
        )
        finish = None
        async for chunk in stream:
            finish = _finish_reason(chunk) or finish
            yield chunk
        if finish == "length":
            progress.notice(CUT_SHORT, once=False)
        await _check_model(client, model)
    except BackendError:
        raise
    except Exception as error:
        url = _shown(str(client.base_url))
        line = _failure(error, url, model, timeouts, late=stream is not None)
        if line is None:
            raise
        if len(key) >= 8 and key != NO_KEY:  # should the server have echoed it
            line = line.replace(key, "***")
        raise BackendError(line) from error
    finally:
        if stream is not None:
            with contextlib.suppress(Exception):  # a failed close must not hide the real error
                await stream.close()
        await client.close()


class _Timeouts(NamedTuple):
    connect: float
    read: float


class _StillLoading(Exception):
    """The server was still loading its model when the read timeout ran out."""


async def _create(client: Any, timeouts: _Timeouts, **request: Any) -> Any:
    """Open the stream; while the server's model is loading (503), wait and try again."""
    import openai

    loop = asyncio.get_running_loop()
    give_up = loop.time() + timeouts.read
    while True:
        try:
            return await client.chat.completions.create(stream=True, **request)
        except openai.APIStatusError as error:
            said = _said(error.body).lower()
            if error.status_code != 503 or not any(words in said for words in LOADING):
                raise
            if loop.time() >= give_up:
                raise _StillLoading from error
            progress.waiting("the model is loading")
            await asyncio.sleep(min(LOADING_RETRY, max(0.0, give_up - loop.time())))


def _finish_reason(chunk: Any) -> str | None:
    """The `finish_reason` of a chunk's first choice, if it has one."""
    choices = getattr(chunk, "choices", None) or []
    return getattr(choices[0], "finish_reason", None) if choices else None


async def _only_model(client: Any) -> str:
    """The model to ask for when none was chosen: the one the server lists, if just one.

    A llama.cpp or vLLM server started with one model lists only it, so a user who gives
    no `--model` is answered by it; any other list (or none) asks for `--model`, naming
    what the server lists. A server that cannot be reached fails as a chat request would.
    """
    import openai

    try:
        served = [entry.id async for entry in client.models.list()]
    except (openai.APIConnectionError, openai.AuthenticationError):
        raise  # said as for a chat request: the server is down, or wants a key
    except Exception:  # no /v1/models, or not the usual shape
        served = []
    if len(served) == 1:
        return served[0]
    listed = ", ".join(f"'{name}'" for name in served[:5])
    more = f" (the server lists {listed}{', …' if len(served) > 5 else ''})" if served else ""
    raise BackendError(
        f"No model chosen: pass --model NAME{more or ' (for example --model llama3.2)'}"
    )


async def _check_model(client: Any, model: str) -> None:
    """One notice when the server lists its models and `model` is not one of them."""
    if (str(client.base_url), model) in _CHECKED:
        return
    _CHECKED.add((str(client.base_url), model))
    try:
        served = [entry.id async for entry in client.models.list()]
    except Exception:  # no /v1/models, or not the usual shape: nothing to say
        return
    if served and model not in served:
        names = ", ".join(f"'{name}'" for name in served[:5])
        progress.notice(
            f"The server does not list the model '{model}' (it lists {names}); "
            "it answered with its own"
        )


def _failure(error: Exception, url: str, model: str, timeouts: _Timeouts, late: bool) -> str | None:
    """What to tell the user about `error` (after the first chunk if `late`); `None` if a bug."""
    import openai

    if isinstance(error, _StillLoading):
        return (
            f"The model was still loading after {timeouts.read:g} s "
            "(the read timeout, --read-timeout)"
        )
    http = type(error).__module__.split(".")[0] in _HTTP
    if isinstance(error, openai.APIConnectionError) or http:
        kinds = {type(cause).__name__ for cause in (error, error.__cause__)}
        if "ConnectTimeout" in kinds or "PoolTimeout" in kinds:
            return (
                f"Cannot reach {url}: no connection within {timeouts.connect:g} s "
                "(the connect timeout, --connect-timeout)"
            )
        if any("Timeout" in kind for kind in kinds):
            read = f"{timeouts.read:g} s (the read timeout, --read-timeout)"
            if late:
                return f"The server sent nothing for {read}: the text so far is kept"
            return f"The server did not answer within {read}"
        if late:
            return "The connection dropped mid-answer: the text so far is kept"
        return f"Cannot reach {url}: {_reason(error)}"
    if isinstance(error, openai.APIStatusError):
        return _status(error.status_code, _said(error.body), url, model)
    if isinstance(error, json.JSONDecodeError):
        return "The server failed mid-answer: it sent a chunk that is not JSON"
    if isinstance(error, openai.APIError):  # an error event in the middle of the stream
        return f"The server failed mid-answer: {_said(error.message) or 'no reason given'}"
    return None


def _status(code: int, said: str, url: str, model: str) -> str:
    """A line for an error status, then the server's own message when it helps."""
    tail = f": {said}" if said else ""
    if code == 401:
        return "The server rejected the API key (401)"
    if code == 403:
        return f"The server denied access with this API key (403){tail}"
    if code == 404:
        if not said or "model" in said.lower():
            return f"The server does not know the model '{model}' (404)"
        return f"Nothing found at {url} (404){tail}"
    if code == 429:
        return f"Rate limited by the server (429): try again later{'. ' + said if said else ''}"
    if code >= 500:
        return f"The server failed ({code}){tail}"
    return f"The server refused the request ({code}){tail}"


def _reason(error: BaseException) -> str:
    """Why a connection could not be made, in plain words, from the chain of causes."""
    cause: BaseException | None = error
    last = error
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return "name not found" if cause.errno == socket.EAI_NONAME else "name lookup failed"
        if type(cause).__name__ == "UnsupportedProtocol":
            return "the URL must start with http:// or https://"
        last, cause = cause, cause.__cause__ or cause.__context__
    if isinstance(last, OSError) and last.errno and last.errno > 0:
        return os.strerror(last.errno).lower()
    return " ".join(_said(str(last)).split()).lower() or "connection failed"


def _said(said: object) -> str:
    """A server's own message, whole, with its newlines; "" for none or an HTML page.

    Shown as the server wrote it (the app neutralises control characters when it paints
    it), stripped, and cut only past `SAID_LIMIT` characters.
    """
    if isinstance(said, dict):
        said = said.get("message") or said.get("detail") or said.get("error")
    text = str(said or "").replace("\r\n", "\n").strip()
    if text.startswith("<"):
        return ""
    return text if len(text) <= SAID_LIMIT else text[: SAID_LIMIT - 1] + "…"


def _shown(url: str) -> str:
    """A URL fit to show: no user, password, query or trailing slash."""
    scheme, netloc, path, _, _ = urlsplit(url)  # no netloc without a scheme: "host:80/v1"
    netloc = netloc.rpartition("@")[2]
    return (f"{scheme}://{netloc}{path}" if netloc else url.rpartition("@")[2]).rstrip("/")
