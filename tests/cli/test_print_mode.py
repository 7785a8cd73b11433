"""Print mode: one answer streamed to a file as it arrives, objects as plain text,
control characters visible only on a terminal, and one line on stderr on failure."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pandas as pd

from tests.cli.outputs import Recording
from tui.backends import BackendError, Settings
from tui.print_mode import print_answer

MESSAGES = [{"role": "user", "content": "show me"}]


class Terminal(io.StringIO):
    """An output that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def frame() -> pd.DataFrame:
    return pd.DataFrame({"city": ["Oslo", "Lima"], "rain_mm": [763.2, 6.4]})


DATA = {"rows": 2, "source": "demo", "ok": True, "ratio": 0.5, "names": ["a", "é"]}


async def run(backend: Any, out: io.StringIO | None = None, **options: Any) -> tuple[int, str, str]:
    out = io.StringIO() if out is None else out
    err = io.StringIO()
    code = await print_answer(backend, MESSAGES, out=out, err=err, **options)
    return code, out.getvalue(), err.getvalue()


async def test_text_frames_and_dicts_stream_in_order_as_they_arrive() -> None:
    """Each part is on `out` before the backend makes the next one."""
    out = io.StringIO()
    df = frame()
    seen: list[str] = []

    async def backend(messages: list[dict[str, str]]) -> AsyncIterator[object]:
        for chunk in ("Rainfall ", "by city:", df, DATA, "That is all."):
            yield chunk
            seen.append(out.getvalue())

    code, text, err = await run(backend, out)
    assert (code, err) == (0, "")

    table = df.to_string()
    assert seen[0] == "Rainfall "
    assert seen[1] == "Rainfall by city:"
    assert table in seen[2] and DATA["source"] not in seen[2]
    assert seen[3].startswith(seen[2]) and '"source"' in seen[3]
    assert text.startswith(seen[3])

    intro, rest = text.split(table)
    assert intro == "Rainfall by city:\n", "the table starts on a line of its own"
    json_block, outro = rest.strip("\n").split("\n" + "That is all.")
    assert json.loads(json_block) == DATA
    assert outro == ""
    assert text.endswith("That is all.\n"), "the answer ends with a newline"


async def test_a_sync_generator_backend_streams_too() -> None:
    out = Recording()
    chunks = ["one ", "two ", "three"]

    def backend(messages: list[dict[str, str]]) -> Iterator[str]:
        yield from chunks

    code, text, _ = await run(backend, out)
    assert code == 0
    assert text == "".join(chunks) + "\n"
    assert out.writes[: len(chunks)] == chunks, "each chunk is written as it comes"


async def test_a_frame_right_after_a_newline_gets_no_blank_line() -> None:
    df = frame()

    def backend(messages: list[dict[str, str]]) -> Iterator[object]:
        yield "Here:\n"
        yield df

    assert await run(backend) == (0, "Here:\n" + df.to_string() + "\n", "")


async def test_a_long_frame_is_printed_whole_not_truncated_like_its_repr() -> None:
    rows = pd.get_option("display.max_rows") + 10
    df = pd.DataFrame({"n": range(rows), "square": [n * n for n in range(rows)]})
    assert repr(df) != df.to_string(), "the test needs a frame that repr() truncates"

    def backend(messages: list[dict[str, str]]) -> Iterator[object]:
        yield df

    assert await run(backend) == (0, df.to_string() + "\n", "")


async def test_a_dict_is_printed_as_json() -> None:
    def backend(messages: list[dict[str, str]]) -> Iterator[object]:
        yield DATA

    code, text, _ = await run(backend)
    assert code == 0
    assert json.loads(text) == DATA
    assert "é" in text, "non-ASCII text is written as it is"


async def test_control_characters_pass_through_unchanged_to_a_pipe() -> None:
    chunks = ["clear \x1b[2J", "\x1b]0;title\x07 done\ttab\r\nnext"]

    def backend(messages: list[dict[str, str]]) -> Iterator[str]:
        yield from chunks

    code, text, _ = await run(backend)
    assert code == 0
    assert text == "".join(chunks) + "\n"


async def test_control_characters_are_made_visible_on_a_terminal() -> None:
    df = pd.DataFrame({"cell": ["\x1b[31mred"]})

    def backend(messages: list[dict[str, str]]) -> Iterator[object]:
        yield "clear \x1b[2J then\ttab\nnew line, bell\x07"
        yield df

    code, text, _ = await run(backend, Terminal())
    assert code == 0
    for raw in ("\x1b[2J", "\x07", "\x1b[31m"):
        assert raw not in text, f"{raw!r} from the stream reached the terminal"
    for shown in ("clear ␛[2J then", "bell␇", "␛[31mred"):
        assert shown in text


async def test_markdown_is_rendered_on_a_terminal_and_left_as_is_in_a_pipe() -> None:
    """On a terminal Rich renders the Markdown; piped, the Markdown source is kept."""

    def backend(messages: list[dict[str, str]]) -> Iterator[str]:
        yield "# Title\n\nSome **bold"
        yield "** text and `code`.\n\n- item one\n- item two\n"

    code, rendered, _ = await run(backend, Terminal())
    assert code == 0
    assert "**bold**" not in rendered and "# Title" not in rendered
    assert "bold" in rendered and "item two" in rendered
    code, piped, _ = await run(backend)
    assert piped == "# Title\n\nSome **bold** text and `code`.\n\n- item one\n- item two\n"


async def test_settings_reach_a_backend_that_takes_them() -> None:
    def backend(messages: list[dict[str, str]], settings: Settings) -> Iterator[str]:
        yield f"{settings.model} at {settings.temperature}"

    code, text, _ = await run(backend, settings=Settings(model="m-1", temperature=0.3))
    assert (code, text) == (0, "m-1 at 0.3\n")


async def test_a_failing_backend_keeps_the_text_and_says_why_on_one_line() -> None:
    chunks = ["so far, ", "so good"]

    def backend(messages: list[dict[str, str]]) -> Iterator[str]:
        yield from chunks
        raise ValueError("the model fell over\nsecond line of detail")

    code, text, err = await run(backend)
    assert code == 1
    assert text == "".join(chunks) + "\n"
    assert err.startswith("inkstream: ")
    assert err.count("\n") == 1 and err.endswith("\n")
    assert "the model fell over" in err
    assert "ValueError" in err
    assert "second line" not in err and "Traceback" not in err


async def test_a_backend_error_is_shown_as_written() -> None:
    message = "The server rejected the API key (401)"

    async def backend(messages: list[dict[str, str]]) -> AsyncIterator[str]:
        yield "partial"
        raise BackendError(message)

    code, text, err = await run(backend)
    assert (code, text, err) == (1, "partial\n", f"inkstream: {message}\n")


async def test_a_backend_that_fails_before_streaming() -> None:
    def backend(messages: list[dict[str, str]]) -> object:
        raise ConnectionError("Cannot reach http://127.0.0.1:9/v1: connection refused")

    code, text, err = await run(backend)
    assert code == 1
    assert text == ""
    assert "connection refused" in err and err.count("\n") == 1


async def test_a_failure_after_a_newline_adds_no_blank_line() -> None:
    def backend(messages: list[dict[str, str]]) -> Iterator[str]:
        yield "line one\n"
        raise RuntimeError("cut")

    code, text, _ = await run(backend)
    assert (code, text) == (1, "line one\n")
