"""printable: untrusted text made safe to show in a terminal."""

from __future__ import annotations

import json

import pytest

from tui.text import printable, printable_json, printable_markdown


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[31mred\x1b[0m", "␛[31mred␛[0m"),
        ("\x1b]0;title\x07", "␛]0;title␇"),
        ("one\ntwo", "one⏎two"),
        ("one\r\ntwo", "one⏎two"),
        ("over\rwrite", "over␍write"),
        ("a\tb", "a␉b"),
        ("nul\x00", "nul␀"),
        ("del\x7f", "del␡"),
        ("csi\x9b31m", "csi\\x9b31m"),
        ("nel\x85", "nel\\x85"),
        ("line\u2028sep", "line\\u2028sep"),
    ],
)
def test_control_characters_become_visible(text: str, shown: str) -> None:
    assert printable(text) == shown


@pytest.mark.parametrize(
    "text", ["", "plain", "[/] list[int] [link=x]y", "中文 😀 é", "e\u0301", "\\x1b", "❯ ⏎"]
)
def test_other_text_is_kept(text: str) -> None:
    assert printable(text) == text


def test_nothing_a_terminal_acts_on_survives() -> None:
    every_control = "".join(map(chr, [*range(0x20), *range(0x7F, 0xA0)]))
    shown = printable(every_control)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in shown)


def test_printable_markdown_keeps_newlines_and_tabs() -> None:
    assert printable_markdown("a\r\nb\n\tc\x1b[2J\rd") == "a\nb\n\tc␛[2J␍d"


BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
"""Embeddings, overrides and isolates: each reorders what is shown ("Trojan Source")."""
SURROGATES = [0xD800, 0xDA00, 0xDBFF, 0xDC00, 0xDC80, 0xDFFF]


@pytest.mark.parametrize("code", [*BIDI, *SURROGATES, 0x2028, 0x2029], ids=hex)
def test_bidi_controls_separators_and_lone_surrogates_become_escapes(code: int) -> None:
    text = f"a{chr(code)}b"
    escape = f"\\u{code:04x}"
    assert printable(text) == f"a{escape}b"
    assert printable_markdown(text) == f"a{escape}b"
    assert printable_json(json.dumps(text, ensure_ascii=False)) == json.dumps(
        text, ensure_ascii=True
    ), "a JSON escape, meaning the same"
    printable(text).encode("utf-8")  # what is left can be written out


@pytest.mark.parametrize("code", [0x200E, 0x200F, 0x061C, 0x05D0, 0x0627], ids=hex)
def test_the_marks_and_letters_real_right_to_left_text_needs_are_kept(code: int) -> None:
    text = f"a{chr(code)}b"
    assert printable(text) == text
