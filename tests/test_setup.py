"""Set-up: `make run` installs only what the app needs, and `textual-dev` comes with the
`dev` extra that `make dev` and the tests install (issue 15, item 19).

The Makefile is read by the real `make`, dry-run (`make -n`) in a copy of the project's
Makefile and pyproject.toml with no `.venv` yet, so each target shows what it would
install on a first run. The wheel itself, installed into a fresh
venv, is tested in `tests/test_wheel.py`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def names(requirements: list[str]) -> set[str]:
    """The distribution names of requirement strings such as "textual>=8.2,<9"."""
    cut = str.maketrans({char: " " for char in "<>=!~;[ "})
    return {requirement.translate(cut).split()[0].lower() for requirement in requirements}


def test_textual_dev_is_a_dev_extra_not_a_runtime_dependency() -> None:
    assert "textual-dev" not in names(PROJECT["dependencies"])
    assert "textual-dev" in names(PROJECT["optional-dependencies"]["dev"])


def dry_run(tmp_path: Path, target: str) -> list[str]:
    """The pip install lines `make -n TARGET` would run in a fresh checkout."""
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    result = subprocess.run(
        ["make", "-n", target, f"PY={sys.executable}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    lines = result.stdout.splitlines()
    return [line for line in lines if "pip install" in line and "--upgrade pip" not in line]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_installs_only_the_app(tmp_path: Path) -> None:
    (install,) = dry_run(tmp_path, "run")
    assert install.split()[-2:] == ["-e", "."], install


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("target", ["dev", "test"])
def test_make_dev_and_test_install_the_dev_and_test_extras(tmp_path: Path, target: str) -> None:
    (install,) = dry_run(tmp_path, target)
    extras = install.split()[-1].strip("'\"")
    assert extras.startswith(".[") and {"dev", "test"} <= set(extras[2:-1].split(","))
