"""`MarkdownDocument`: sealed blocks are never parsed again, and streaming in any pieces
gives the blocks a one-shot parse gives."""

from __future__ import annotations

import pytest

from tui.markdown import Block, MarkdownDocument
from tui.markdown.parse import parser, top_level

MIXED = (
    "# Title\n\nA *para*graph with `code`.\n\n- one\n- two\n  - nested\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n> quote\n\n```python\n"
    + "".join(f"x = {n}\n" for n in range(130))
    + "```\n\n---\n\nThe end.\n"
)


def shape(block: Block) -> tuple:
    return (block.kind, block.inline, block.info, block.level, block.bullet,
            [shape(c) for c in block.children], block.rows)  # fmt: skip


def joined(blocks: list[Block]) -> list[tuple]:
    """The blocks, with the pieces of each fence joined into one."""
    out: list[Block] = []
    for block in blocks:
        if block.joined_above and out and out[-1].kind == "fence":
            out[-1] = Block("fence", code=out[-1].code + "\n" + block.code, info=block.info)
        else:
            out.append(block)
    return [shape(block) for block in out] + [("code", b.code) for b in out if b.kind == "fence"]


@pytest.mark.parametrize("step", [1, 3, 7, 64, 1000])
def test_streaming_in_pieces_gives_the_one_shot_blocks(step: int) -> None:
    doc = MarkdownDocument()
    for start in range(0, len(MIXED), step):
        doc.append(MIXED[start : start + step])
    doc.close()
    assert joined(doc.blocks) == joined(MarkdownDocument(MIXED).blocks)
    assert doc.source == MIXED


def test_sealed_blocks_are_kept_as_they_are() -> None:
    doc = MarkdownDocument()
    doc.append("# Title\n\nSome ")
    heading = doc.sealed[0]
    doc.append("more text\n\nAnother paragraph")
    assert doc.sealed[0] is heading and heading.stable
    assert [block.kind for block in doc.tail] == ["paragraph"]
    assert not doc.tail[0].stable


def test_a_giant_fence_is_sealed_in_pieces_and_only_its_end_stays_open() -> None:
    doc = MarkdownDocument()
    doc.append("```python\n")
    for n in range(500):
        doc.append(f"x = {n}\n")
    assert len(doc.sealed) >= 10
    assert all(block.kind == "fence" and block.info == "python" for block in doc.blocks)
    assert len(doc.tail[0].code.split("\n")) < 2 * MarkdownDocument.FENCE_PIECE_LINES
    assert "\n".join(block.code for block in doc.blocks) == "\n".join(
        f"x = {n}" for n in range(500)
    )


def test_the_preview_is_shown_but_never_sealed() -> None:
    doc = MarkdownDocument()
    doc.append("Some ", preview="**bo**")
    assert doc.tail[0].inline.plain == "Some bo"
    doc.append("**bold**\n\nnext")
    assert doc.sealed[0].inline.plain == "Some bold"


def test_a_closed_document_refuses_appends() -> None:
    doc = MarkdownDocument("text")
    doc.close()
    with pytest.raises(RuntimeError):
        doc.append("more")


def test_a_giant_paragraph_is_sealed_in_pieces_that_join_into_its_text() -> None:
    words = [f"word{n} *em{n}* `c{n}`" for n in range(300)]
    text = " ".join(words) + "\n"
    doc = MarkdownDocument()
    doc.PARAGRAPH_PIECE_CHARS = 300
    for start in range(0, len(text), 5):
        doc.append(text[start : start + 5])
    assert len(doc.sealed) >= 5
    assert len(doc.tail[0].inline.plain) < 3 * doc.PARAGRAPH_PIECE_CHARS
    doc.close()
    ((block, _),) = top_level(parser().parse(text))
    whole = block.inline
    pieces = doc.blocks
    assert pieces[0].joined_below and not pieces[0].joined_above
    assert pieces[-1].joined_above and not pieces[-1].joined_below
    assert " ".join(piece.inline.plain for piece in pieces) == whole.plain
    spans, offset = [], 0
    for piece in pieces:
        spans += [(s.start + offset, s.end + offset, s.kind) for s in piece.inline.spans]
        offset += len(piece.inline.plain) + 1
    assert spans == [(s.start, s.end, s.kind) for s in whole.spans]
