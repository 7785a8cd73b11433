"""Backends: where a chat's answers come from.

A backend is any callable that takes the conversation so far, as OpenAI-style messages,
and returns anything `write_stream` accepts: a sync or async generator, an iterable, or
an OpenAI, Anthropic or LangChain stream.

Example:
    >>> def shout(messages: list[dict]) -> object:
    ...     prompt = messages[-1]["content"]
    ...     for word in prompt.split():
    ...         yield word.upper() + " "
    >>> from tui.stream import collect
    >>> collect(shout([{"role": "user", "content": "hello there"}]))
    'HELLO THERE '
"""

import inspect
from collections.abc import Callable
from typing import Any

from tui.stream import call_in_thread

Message = dict[str, Any]
"""One OpenAI-style message: `{"role": "user" | "assistant" | "system", "content": str}`."""

Backend = Callable[[list[Message]], object]
"""A callable from the conversation so far to a stream."""

__all__ = ["Backend", "Message", "call_backend"]


async def call_backend(backend: Backend, messages: list[Message]) -> object:
    """Call `backend` without blocking the event loop and return the stream it gives.

    Generator functions and async functions are called on the loop, since calling them
    cannot block; any other callable runs on a daemon thread, in case it does I/O before
    it returns its stream.
    """
    if inspect.isasyncgenfunction(backend) or inspect.isgeneratorfunction(backend):
        return backend(messages)
    if inspect.iscoroutinefunction(backend):
        return await backend(messages)
    stream = await call_in_thread(lambda: backend(messages))
    return await stream if inspect.isawaitable(stream) else stream
