"""JSON Lines: one record per line, ``{"id", "text" | "article" | "html", "title"?, "highlights"?, ...}``,
streamed line by line without ever holding more than the byte limit of one line."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any

from nutgraf.contracts import Article, Rejection
from nutgraf.ingest.html import from_html
from nutgraf.ingest.text import bom, decode, from_text

_RESERVED = ("id", "text", "article", "html", "title", "highlights")


def read_jsonl(
    head: bytes, stream: IO[bytes], source: str, encoding: str | None, max_bytes: int
) -> Iterator[Article | Rejection]:
    lineno = 0
    first = True
    reader = io.BufferedReader(Prepended(head, stream)) if head else stream
    for raw_line in lines(reader, max_bytes):
        lineno += 1
        if isinstance(raw_line, int):
            yield Rejection(
                f"{source}:{lineno}",
                "too_large",
                f"line {lineno} is longer than the {max_bytes:,}-byte limit (raise it with --max-bytes)",
            )
            continue
        if first:
            first = False
            raw_line = raw_line[bom(raw_line)[0] :]
        if not raw_line.strip():
            continue
        yield parse_record(raw_line, f"{source}:{lineno}", encoding)


def loads(text: str) -> tuple[Any, str | None]:
    """``json.loads`` that never raises: the value, or None and what is wrong with the text. Besides bad
    syntax, the parser refuses nesting deeper than Python's recursion limit and integers of more than 4,300
    digits; each becomes a message, so one such line costs one record, never the run."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON ({exc.msg} at column {exc.colno})"
    except RecursionError:
        return (
            None,
            "JSON nested too deeply to read (arrays or objects inside each other thousands of levels deep)",
        )
    except ValueError as exc:  # an integer over the int/str conversion limit
        what = str(exc).split(";")[0]  # not Python's advice to raise the limit: the record is the problem
        return None, f"JSON value nutgraf cannot read ({what})"


def parse_record(raw_line: bytes | str, fallback_id: str, encoding: str | None = None) -> Article | Rejection:
    """One JSON Lines record to an ``Article``: ``{"id", "text" | "article" | "html", "title"?, ...}``."""
    if isinstance(raw_line, bytes):
        decoded = decode(raw_line, fallback_id, encoding)
        if isinstance(decoded, Rejection):
            return decoded
        raw_line = decoded
    record, problem = loads(raw_line)
    if problem is not None:
        return Rejection(fallback_id, "bad_record", problem)
    if not isinstance(record, dict):
        return Rejection(
            fallback_id, "bad_record", f"a record must be a JSON object, got {type(record).__name__}"
        )
    raw_id = record.get("id")
    doc_id = str(raw_id) if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else fallback_id
    metadata: dict[str, str] = {}
    for key, value in record.items():
        if key in _RESERVED:
            continue
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            metadata[key] = str(value)
    references = _references(record.get("highlights"))
    title = record.get("title") if isinstance(record.get("title"), str) else None
    for field in ("text", "article"):
        value = record.get(field)
        if isinstance(value, str):
            return from_text(value, doc_id, title=title, metadata=metadata, references=references)
    if isinstance(record.get("html"), str):
        article = from_html(record["html"], doc_id, metadata, references)
        if isinstance(article, Article) and title:
            return replace(article, title=title)
        return article
    return Rejection(doc_id, "bad_record", 'record has no "text" or "article" string (nor "html")')


def _references(highlights: Any) -> tuple[str, ...]:
    """A record's reference highlights: a list of strings, or one string with one highlight per line."""
    if isinstance(highlights, str):
        highlights = highlights.split("\n")
    if isinstance(highlights, list) and all(isinstance(h, str) for h in highlights):
        return tuple(h.strip() for h in highlights if h.strip())
    return ()


def lines(stream: IO[bytes], max_bytes: int) -> Iterator[bytes | int]:
    """Lines of a stream without ever holding more than ``max_bytes`` of one line; an overlong line comes
    out as its length (an int) so the caller can reject it and go on."""
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            size = len(line)
            while line and not line.endswith(b"\n"):
                line = stream.readline(1 << 16)
                size += len(line)
            yield size
            continue
        yield line.rstrip(b"\r\n")


class Prepended(io.RawIOBase):
    """A stream whose first bytes were already read (to sniff them), put back in front."""

    def __init__(self, head: bytes, raw: IO[bytes]) -> None:
        self._head = head
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            n = min(len(view), len(self._head))
            view[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._raw.read(len(view))
        view[: len(data)] = data
        return len(data)
