"""Import code in a fresh interpreter and see which watched packages it pulled in.

As harlequin's `test_import_hygiene.py` does: headless packages must stay headless.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from types import ModuleType


def modules_of(package: ModuleType) -> list[str]:
    """The package and each of its modules, by dotted name."""
    prefix = package.__name__
    return [prefix, *(f"{prefix}.{info.name}" for info in pkgutil.iter_modules(package.__path__))]


def loaded_after(code: str, watched: tuple[str, ...]) -> set[str]:
    """Run `code` in a fresh interpreter; the `watched` top-level packages it imported."""
    probe = (
        f"{code}\n"
        "import json, sys\n"
        f"watched = {list(watched)!r}\n"
        "print(json.dumps([name for name in watched if name in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))
