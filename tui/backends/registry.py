"""Find backends by name without importing them, and load one from a name or a path.

A backend is named in one of three ways:

- an entry point in the group `inkstream.backends` (the built-ins are registered this
  way too): `demo`, `echo`, `openai`, or one an installed package adds;
- `package.module:function`, imported from the Python path;
- `./file.py:function`, loaded from a file.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

from tui.backends import Backend

__all__ = ["GROUP", "BackendLoadError", "available", "load", "summary"]

GROUP = "inkstream.backends"
"""The entry-point group in which packages register backends."""


class BackendLoadError(Exception):
    """A backend could not be found or loaded; the message says which and why."""


def available() -> dict[str, EntryPoint]:
    """Every backend registered as an entry point, by name, none of them imported."""
    return {point.name: point for point in entry_points(group=GROUP)}


def summary(backend: object) -> str:
    """The first line of a backend's docstring, or "" when it has none."""
    doc = getattr(backend, "__doc__", None) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def load(spec: str) -> Backend:
    """Load the backend named by `spec`: an entry-point name, `module:attr` or `file.py:attr`.

    Raises:
        BackendLoadError: the name is unknown, the import fails, or the object found
            is not callable. The message names the spec and the cause.

    Example:
        >>> load("echo").__name__
        'echo'
    """
    if ":" in spec:
        location, _, attribute = spec.rpartition(":")
        if not location or not attribute:
            raise BackendLoadError(
                f"Backend {spec!r} is not of the form module:function or file.py:function."
            )
        module = _load_file(location, spec) if _is_path(location) else _import(location, spec)
        backend = _attribute(module, attribute, spec)
    else:
        points = available()
        if spec not in points:
            names = ", ".join(sorted(points)) or "none"
            raise BackendLoadError(
                f"No backend named {spec!r}. Installed backends: {names}; or pass "
                "module:function or ./file.py:function."
            )
        try:
            backend = points[spec].load()
        except BaseException as error:
            raise BackendLoadError(f"Backend {spec!r} failed to load: {_cause(error)}") from error
    if not callable(backend):
        raise BackendLoadError(
            f"Backend {spec!r} is a {type(backend).__name__}, not a callable: a backend is "
            "a function that takes the messages and returns a stream."
        )
    return backend


def _is_path(location: str) -> bool:
    return location.endswith(".py") or "/" in location or "\\" in location


def _cause(error: BaseException) -> str:
    """The error's type and the first line of its message, so the CLI prints one line."""
    if isinstance(error, SystemExit):
        return f"it called sys.exit({error.code!r})"
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


def _import(module_name: str, spec: str) -> object:
    _add_working_directory()
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and f"{module_name}.".startswith(f"{error.name}."):
            raise BackendLoadError(
                f"Backend {spec!r}: no module named {error.name!r} on the Python path."
            ) from error
        raise BackendLoadError(f"Backend {spec!r} failed to import: {_cause(error)}") from error
    except BaseException as error:  # SystemExit and KeyboardInterrupt at import too
        raise BackendLoadError(f"Backend {spec!r} failed to import: {_cause(error)}") from error


def _add_working_directory() -> None:
    """Let `module:function` find modules in the working directory, as `python -m tui`
    does, so that the `inkstream` script and `python -m tui` load the same backends."""
    here = os.getcwd()
    if "" not in sys.path and here not in sys.path:
        sys.path.insert(0, here)


def _load_file(location: str, spec: str) -> object:
    path = Path(location).expanduser().resolve()
    if not path.is_file():
        raise BackendLoadError(f"Backend {spec!r}: no file at {path}.")
    name = f"inkstream_backend_{path.stem}"
    module_spec = importlib.util.spec_from_file_location(name, path)
    if module_spec is None or module_spec.loader is None:
        raise BackendLoadError(f"Backend {spec!r}: {path} cannot be loaded as Python.")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module
    try:
        module_spec.loader.exec_module(module)
    except BaseException as error:  # SystemExit and KeyboardInterrupt at import too
        del sys.modules[name]
        raise BackendLoadError(f"Backend {spec!r} failed to import: {_cause(error)}") from error
    return module


def _attribute(module: object, attribute: str, spec: str) -> object:
    target = module
    for part in attribute.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            where = getattr(module, "__file__", None) or getattr(module, "__name__", "")
            raise BackendLoadError(f"Backend {spec!r}: {where} has no {attribute!r}.") from None
    return target
