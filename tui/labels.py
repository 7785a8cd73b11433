"""How the app names a backend and its model, the same in the header, on an answer's
border and in the session list."""

from __future__ import annotations

__all__ = ["backend_label", "header_line"]


def backend_label(backend: str, model: str | None) -> str:
    """The backend, and the model when one is set.

    Example:
        >>> backend_label("openai", "llama3.2")
        'openai · llama3.2'
        >>> backend_label("demo", None)
        'demo'
    """
    return f"{backend} · {model}" if model else backend


def header_line(backend: str, model: str | None, title: str | None) -> str:
    """The header's second part: backend, model and the open session's title.

    Example:
        >>> header_line("openai", "llama3.2", "What is a monad?")
        'backend: openai · model: llama3.2 · What is a monad?'
    """
    parts = [f"backend: {backend}"]
    if model:
        parts.append(f"model: {model}")
    if title:
        parts.append(title)
    return " · ".join(parts)
