"""Backends: where a chat's answers come from.

A backend is any callable that takes the conversation so far, as OpenAI-style messages,
and returns anything `write_stream` accepts: a sync or async generator, an iterable, or
an OpenAI, Anthropic or LangChain stream. It may also take a keyword argument named
`settings`, a `Settings` with the model, temperature and system prompt chosen by the
user. A backend that fails raises; a `BackendError` carries a message meant for the user.

Example:
    >>> def shout(messages: list[dict]) -> object:
    ...     prompt = messages[-1]["content"]
    ...     for word in prompt.split():
    ...         yield word.upper() + " "
    >>> from tui.stream import collect
    >>> collect(shout([{"role": "user", "content": "hello there"}]))
    'HELLO THERE '
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tui.stream import call_in_thread
from tui.stream.foreign import BackendExit, contain

__all__ = ["Backend", "BackendError", "Message", "Settings", "call_backend", "describe_error"]

Message = dict[str, Any]
"""One OpenAI-style message: `{"role": "user" | "assistant" | "system", "content": str}`."""

Backend = Callable[..., object]
"""A callable from the conversation so far (and optionally `settings=`) to a stream."""


class BackendError(Exception):
    """A failure with a message written for the user, such as "The server rejected the
    API key (401)". The app shows it whole: a server's own reason may span lines."""


def describe_error(error: BaseException) -> str:
    """An exception in readable words: a `BackendError`'s message whole (it was written for
    the user), any other exception's type and the first line of its message.

    Example:
        >>> describe_error(ValueError("bad input"))
        'ValueError: bad input'
    """
    if isinstance(error, BackendError | BackendExit) and str(error).strip():
        return str(error).strip()
    message = str(error).strip().splitlines()
    return f"{type(error).__name__}: {message[0]}" if message else type(error).__name__


@dataclass(frozen=True)
class Settings:
    """What the user chose for the model; a backend uses what applies to it."""

    model: str | None = None
    """The model name, such as "gpt-4o-mini" or "llama3.2"."""
    temperature: float | None = None
    """Sampling temperature; `None` leaves the server's default."""
    system: str | None = None
    """A system prompt sent before the conversation."""
    base_url: str | None = None
    """An OpenAI-compatible server's URL, such as "http://127.0.0.1:11434/v1"."""
    api_key: str | None = field(default=None, repr=False)
    """Never shown in a repr, a log or the history."""
    connect_timeout: float | None = None
    """Seconds to wait for a connection to the server; `None` for the backend's default."""
    read_timeout: float | None = None
    """Seconds to wait for the server's answer to begin, and between two of its chunks;
    `None` for the backend's default."""


def accepts_settings(backend: Backend) -> bool:
    """Whether `backend` takes a `settings` keyword argument."""
    try:
        parameters = inspect.signature(backend).parameters
    except (TypeError, ValueError):
        return False
    return "settings" in parameters or any(
        parameter.kind is inspect.Parameter.VAR_KEYWORD for parameter in parameters.values()
    )


async def call_backend(
    backend: Backend, messages: list[Message], settings: Settings | None = None
) -> object:
    """Call `backend` without blocking the event loop and return the stream it gives.

    Generator functions and async functions are called on the loop, since calling them
    cannot block; any other callable runs on a daemon thread, in case it does I/O before
    it returns its stream. `settings` is passed only to a backend that accepts it. A
    `KeyboardInterrupt` or `SystemExit` from the backend is raised as `BackendExit`.
    """
    kwargs = {"settings": settings or Settings()} if accepts_settings(backend) else {}
    try:
        if inspect.isasyncgenfunction(backend) or inspect.isgeneratorfunction(backend):
            return backend(messages, **kwargs)
        if inspect.iscoroutinefunction(backend):
            return await backend(messages, **kwargs)
        stream = await call_in_thread(lambda: backend(messages, **kwargs))
        return await stream if inspect.isawaitable(stream) else stream
    except BaseException as error:
        contained = contain(error)
        if contained is error:
            raise
        raise contained from error
