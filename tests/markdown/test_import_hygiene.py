"""`tui.markdown` stays headless: each module imported alone in a fresh interpreter pulls
in no Textual, Rich or pandas (as `tui.stream`'s hygiene test)."""

from __future__ import annotations

import pytest

import tui.markdown
from tests.import_probe import loaded_after, modules_of

WATCHED = ("textual", "rich", "pandas", "numpy")
MODULES = modules_of(tui.markdown)


def test_every_module_is_listed() -> None:
    assert {"tui.markdown.document", "tui.markdown.settle", "tui.markdown.blocks"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_no_ui(module: str) -> None:
    assert loaded_after(f"import {module}", WATCHED) == set()


def test_parsing_a_document_imports_no_ui() -> None:
    code = (
        "from tui.markdown import MarkdownDocument\n"
        "doc = MarkdownDocument('# a\\n\\n| x |\\n|---|\\n| 1 |\\n\\n```py\\nx\\n```\\n')\n"
        "assert [b.kind for b in doc.blocks] == ['heading', 'table', 'fence']\n"
    )
    assert loaded_after(code, WATCHED) == set()
