"""The package imports and names its version."""

from importlib.metadata import version

import tui


def test_package_imports_and_has_a_version() -> None:
    assert tui.__doc__
    assert version("inkstream") == "0.1.0"
