"""Deterministic Markdown that reads like an LLM's answer, of any size.

Sections of a heading, paragraphs with inline styles, a bulleted and a numbered list, a
fenced Python block, and now and then a table and a quote, drawn from a seeded
generator: the same size always gives the same text.
"""

from __future__ import annotations

import random

__all__ = ["llm_markdown", "paragraph", "sentence"]

VOCABULARY = (
    "the stream frame widget layout token model answer render terminal table value "
    "column index chunk buffer cursor event loop task parse block append paragraph "
    "screen update cost time memory row cell query session history prompt backend "
    "a an of to in for with on by from as is are was be can will may should each every"
)
WORDS = VOCABULARY.split()


def sentence(rng: random.Random) -> str:
    """One sentence of 6 to 18 words, now and then with a bold, italic or code word."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
    if rng.random() < 0.3:
        at = rng.randrange(len(words))
        mark = rng.choice(["**", "*", "`"])
        words[at] = f"{mark}{words[at]}{mark}"
    return " ".join(words).capitalize() + rng.choice([".", ".", ".", "?", ":"])


def paragraph(rng: random.Random) -> str:
    """A paragraph of two to six sentences."""
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))


def _code(rng: random.Random) -> str:
    lines = ["```python", f"def {rng.choice(WORDS)}_{rng.randint(1, 99)}(rows, limit=10):"]
    for _ in range(rng.randint(4, 24)):
        name, other = rng.choice(WORDS), rng.choice(WORDS)
        lines.append(f"    {name} = [{other}[i] * {rng.randint(2, 9)} for i in range(limit)]")
    lines += ["    return rows", "```"]
    return "\n".join(lines)


def _table(rng: random.Random) -> str:
    head = [rng.choice(WORDS).title() for _ in range(4)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * 4]
    for _ in range(rng.randint(3, 8)):
        cells = [rng.choice(WORDS), *(f"{rng.uniform(0, 1000):.2f}" for _ in range(3))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _section(rng: random.Random, number: int) -> str:
    blocks = [f"## {number}. {sentence(rng).rstrip('.?:')}", paragraph(rng)]
    blocks.append("\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(2, 6))))
    blocks.append(paragraph(rng))
    blocks.append(_code(rng))
    blocks.append("\n".join(f"{i}. {sentence(rng)}" for i in range(1, rng.randint(3, 6))))
    if rng.random() < 0.5:
        blocks.append(_table(rng))
    if rng.random() < 0.3:
        blocks.append("> " + paragraph(rng))
    blocks.append(paragraph(rng))
    return "\n\n".join(blocks)


def llm_markdown(size: int, seed: int = 1) -> str:
    """About `size` characters of LLM-like Markdown, ending after a whole section.

    Example:
        >>> text = llm_markdown(5_000)
        >>> len(text) >= 5_000, text.count("```") % 2, text == llm_markdown(5_000)
        (True, 0, True)
    """
    rng = random.Random(seed)
    sections = ["# Answer\n\n" + paragraph(rng)]
    length = len(sections[0])
    while length < size:
        sections.append(_section(rng, len(sections)))
        length += len(sections[-1]) + 2
    return "\n\n".join(sections) + "\n"
