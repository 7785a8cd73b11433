"""Import asyncssh without the `CryptographyDeprecationWarning: DSA is deprecated` lines
that its import prints five times with cryptography 47 and later.

asyncssh's own modules name `dsa.DSAPrivateKey` and the like in type hints at import
time, and each name read warns; inkstream never makes, loads or offers a DSA key (its host
key is Ed25519), so these say nothing to a user. Only that warning, only from asyncssh's
modules, and only during the import is ignored: every other warning still shows.
"""

from __future__ import annotations

import importlib
import sys
import warnings
from types import ModuleType

__all__ = ["import_asyncssh"]


def import_asyncssh() -> ModuleType:
    """`import asyncssh`, with its DSA deprecation warnings ignored.

    Example:
        >>> import_asyncssh().__name__
        'asyncssh'
    """
    if "asyncssh" in sys.modules:
        return sys.modules["asyncssh"]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"asyncssh(\.|$)")
        return importlib.import_module("asyncssh")
