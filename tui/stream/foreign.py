"""Python's own exits raised by foreign code, turned into a failed answer.

A backend is foreign code. `KeyboardInterrupt`, `SystemExit` and other `BaseException`s
it raises (from a generator, a chunk's `repr`, a callable chunk, or its import) would end
the whole app and lose the answer; `contain` turns them into `BackendExit`, an ordinary
`Exception` whose message is the one-line reason the answer failed. The user's own
Ctrl+C never arrives this way: in the chat it is a key, and in print mode asyncio turns
SIGINT into a cancellation of the turn.
"""

from __future__ import annotations

import asyncio

__all__ = ["BackendExit", "contain"]


class BackendExit(Exception):
    """The backend raised a `BaseException` that is not an `Exception`.

    Example:
        >>> str(contain(SystemExit(0)))
        'the backend raised SystemExit(0), which would have ended the app'
    """


def contain(error: BaseException) -> BaseException:
    """`error` itself when it is an `Exception` or a cancellation, else a `BackendExit`.

    Example:
        >>> contain(KeyboardInterrupt()).args
        ('the backend raised KeyboardInterrupt, which would have ended the app',)
        >>> isinstance(contain(ValueError("x")), ValueError)
        True
    """
    if isinstance(error, Exception | asyncio.CancelledError):
        return error
    what = type(error).__name__
    if isinstance(error, SystemExit):
        what = f"SystemExit({error.code!r})"
    elif error.args:
        what = f"{what}: {error.args[0]!s}"[:200]
    exit_error = BackendExit(f"the backend raised {what}, which would have ended the app")
    exit_error.__cause__ = error
    return exit_error
