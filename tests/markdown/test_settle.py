"""MarkdownSettler, checked against the Markdown parser Textual itself uses.

The oracle: for a document whose markup is all closed, no prefix the settler lets through
may render a raw marker (`*`, a backtick, `~~`, a pipe) as text, and a fence line is never
shown half typed. Prefixes only ever grow, and `flush` shows everything.
"""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from tui.markdown import MarkdownSettler

PARSER = MarkdownIt("gfm-like")
MARKERS = ("*", "`", "~~", "|")

DOCUMENTS = {
    "emphasis": "Some **bold**, some *italic* and ~~struck~~ words.\n\nAnd **more** here.",
    "inline code": "Call `collect(stream)` or `` a`tick `` and go on.",
    "fence": "Before.\n\n```python\nx = a * b  # `not code`\n```\n\nAfter **it**.",
    "tilde fence": "~~~\n| not a table |\n~~~\ndone",
    "table": "Table:\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n| 3 | 4 |\n\nEnd.",
    "list": "* one **x**\n* two `y`\n  * nested *z*\n",
    "mixed": "# Title\n\n- **a** `b`\n\n| h |\n|---|\n| *c* |\n\n```\n**raw**\n```\n",
}


def raw_markers(markdown: str) -> list[str]:
    """Marker characters that the parser leaves as plain text in `markdown`."""
    found: list[str] = []
    for token in PARSER.parse(markdown):
        for child in token.children or []:
            if child.type == "text":
                found += [marker for marker in MARKERS if marker in child.content]
    return found


def prefixes(document: str, step: int) -> list[str]:
    """Every prefix the settler lets through when `document` arrives `step` chars at a time."""
    settler = MarkdownSettler()
    shown: list[str] = []
    for start in range(0, len(document), step):
        settled = settler.feed(document[start : start + step])
        shown.append(document[:settled])
    assert settler.flush() == len(document)
    return shown


@pytest.mark.parametrize("step", [1, 3, 7])
@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_no_prefix_shows_a_raw_marker(name: str, step: int) -> None:
    """A marker that will close is never on screen before it closes."""
    document = DOCUMENTS[name]
    assert raw_markers(document) == [], "the oracle needs a document whose markup closes"
    for shown in prefixes(document, step):
        assert raw_markers(shown) == [], f"{shown!r} shows raw markup"


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_what_is_shown_only_grows(name: str) -> None:
    """The Markdown widget is append-only: a shown prefix never shrinks."""
    lengths = [len(shown) for shown in prefixes(DOCUMENTS[name], 1)]
    assert lengths == sorted(lengths)


def test_fence_lines_wait_for_their_newline() -> None:
    """`` ```pyth `` is never shown: it would render as inline code, then jump to a block."""
    for shown in prefixes(DOCUMENTS["fence"], 1):
        last_line = shown.rsplit("\n", 1)[-1]
        assert not last_line.startswith("`"), shown


def test_plain_text_is_not_held_back() -> None:
    """Text without markup shows as it arrives: the settler costs no typing speed."""
    text = "Just words, a * lone star and snake_case_names.\nNext line."
    settler = MarkdownSettler()
    shown = [settler.feed(char) for char in text]
    held = [index + 1 - count for index, count in enumerate(shown)]
    assert max(held) <= 1


def test_an_unclosed_marker_is_released_by_flush() -> None:
    """At the end of the stream, whatever never closed shows as it is."""
    settler = MarkdownSettler()
    settled = settler.feed("ends with **unclosed")
    assert settled == len("ends with ")
    assert settler.flush() == len("ends with **unclosed")


def previews(document: str, step: int) -> list[tuple[str, str]]:
    """(shown prefix, preview) after each piece, when `document` arrives `step` at a time."""
    settler = MarkdownSettler()
    seen: list[tuple[str, str]] = []
    for start in range(0, len(document), step):
        settled = settler.feed(document[start : start + step])
        seen.append((document[:settled], settler.preview()))
    return seen


def letters(markdown: str) -> str:
    """The letters and digits the parser shows of `markdown`, markup left out."""
    shown = ""
    for token in PARSER.parse(markdown):
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                shown += child.content
    return "".join(char for char in shown if char.isalnum())


@pytest.mark.parametrize("step", [1, 3, 7])
@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_the_preview_shows_no_raw_marker(name: str, step: int) -> None:
    """The prefix with the preview after it renders no marker as text either."""
    for shown, preview in previews(DOCUMENTS[name], step):
        assert "\n" not in preview
        assert raw_markers(shown + preview) == [], f"{shown + preview!r} shows raw markup"
        assert not preview.startswith(("```", "~~~")), preview


@pytest.mark.parametrize("step", [1, 3, 7])
@pytest.mark.parametrize("name", ["emphasis", "inline code"])
def test_the_preview_shows_every_letter_held_back(name: str, step: int) -> None:
    """Within a line, held inline markup doesn't stall the text: every letter that has
    arrived shows, in the prefix or in the preview, styled as it will be."""
    document = DOCUMENTS[name]
    for start, (shown, preview) in zip(
        range(0, len(document), step), previews(document, step), strict=True
    ):
        arrived = document[: start + step]
        assert letters(shown + preview) == "".join(c for c in arrived if c.isalnum())


def test_the_preview_closes_what_is_open() -> None:
    """Worked by hand: the held text with its open markers closed, innermost first, and
    no marker or space still being typed at its end."""
    cases = {
        "Some **bol": "**bol**",
        "Call `coll": "`coll`",
        "**bold *it": "**bold *it***",
        "**bold *it*": "**bold *it***",
        "a ~~str ": "~~str~~",
        "end **": "",
        "plain text": "",
    }
    for text, preview in cases.items():
        settler = MarkdownSettler()
        settler.feed(text)
        assert settler.preview() == preview, text


def test_no_preview_for_a_fence_or_table_line() -> None:
    """A fence line or a table header being typed stays hidden: it can't be closed."""
    for text in ("Text\n```pyt", "| a | b |\n", "| a | b |\n|--", "- "):
        settler = MarkdownSettler()
        settler.feed(text)
        assert settler.preview() == "", text
    settler = MarkdownSettler()
    settler.feed("Text\n")
    settler.flush()
    assert settler.preview() == ""


def test_a_long_line_is_scanned_once() -> None:
    """Each feed scans only what is new for markers: after a feed, the scan starts at the
    end of the line, or at a marker run still being typed there (without this, a 200 kB
    line without markers cost minutes, rescanning the whole line on every feed)."""
    settler = MarkdownSettler()
    line = "word " * 1000
    settler.feed(line)
    assert settler._scan.position == len(line)
    settler.feed("and **")
    assert settler._scan.position == len(line) + len("and ")
    settler.feed("bold** more")
    assert settler._scan.position == len(line) + len("and **bold** more")
    assert settler.feed(" text") == len(line) + len("and **bold** more text")
