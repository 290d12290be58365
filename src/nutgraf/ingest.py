"""Ingest: bytes from a file or stdin to ``Article`` records, or to a ``Rejection`` that says what is wrong.

Plain text (UTF-8 with or without BOM, UTF-16/32 with BOM, or an ``encoding`` the caller names), HTML (main
article body and title via trafilatura), and JSON Lines records ``{"id", "text" | "article" | "html",
"title"?, "highlights"?}``. nutgraf never fetches anything: a URL is refused.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import logging
import os
import re
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, cast

from nutgraf.contracts import Article, NutgrafError, Rejection

InputFormat = Literal["auto", "text", "html", "jsonl"]
INPUT_FORMATS: tuple[str, ...] = ("auto", "text", "html", "jsonl")

DEFAULT_MAX_BYTES = 5_000_000
"""Largest single document accepted (5 MB; the longest CNN/DailyMail article is about 60 kB). Change it with
``--max-bytes`` or the ``NUTGRAF_MAX_BYTES`` environment variable."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", "a PDF file", "extract its text first (for example with pdftotext)"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.epub file)", "extract the article text first"),
    (b"\x89PNG", "a PNG image", "give nutgraf the article text"),
    (b"\xff\xd8\xff", "a JPEG image", "give nutgraf the article text"),
    (b"GIF8", "a GIF image", "give nutgraf the article text"),
    (b"\x7fELF", "a program (ELF binary)", "give nutgraf the article text"),
)

MIN_HTML_WORDS = 20
"""An extracted HTML body shorter than this is navigation or a stub, not an article."""

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_GZIP = b"\x1f\x8b"


class UsageError(NutgrafError):
    """The command was asked for something that cannot work (missing file, URL, unknown option value)."""


def max_bytes_from_env() -> int:
    raw = os.environ.get("NUTGRAF_MAX_BYTES")
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        value = int(raw)
    except ValueError as exc:
        raise UsageError(f"NUTGRAF_MAX_BYTES must be a whole number of bytes, got {raw!r}") from exc
    if value < 1:
        raise UsageError(f"NUTGRAF_MAX_BYTES must be positive, got {value}")
    return value


def check_path(path: str) -> None:
    """Refuse URLs and missing files up front, with a message that says what to do instead."""
    if path == "-":
        return
    if _URL.match(path) and not Path(path).exists():
        raise UsageError(
            f"{path} is a URL; nutgraf makes no network calls. Save the page first and pass the file, "
            f"e.g. curl -L -o page.html '{path}' && nutgraf summarize page.html"
        )
    p = Path(path)
    if not p.exists():
        raise UsageError(f"{path}: no such file")
    if p.is_dir():
        raise UsageError(f"{path} is a directory; pass a file (or '-' for standard input)")
    if not os.access(p, os.R_OK):
        raise UsageError(f"{path}: permission denied")


def _open(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    return open(path, "rb")


def _doc_id(path: str) -> str:
    if path == "-":
        return "stdin"
    name = Path(path).name
    for suffix in (".gz", ".jsonl", ".json", ".html", ".htm", ".txt", ".text", ".md"):
        name = name.removesuffix(suffix)
    return name or "document"


Format = Literal["text", "html", "jsonl", "json"]

_PEEK = 65536
_NOT_UTF8_JSONL = (
    "JSON Lines input must be UTF-8 (this file is {enc}); convert it first, e.g. iconv -f {enc} -t UTF-8"
)


@dataclass(frozen=True, slots=True)
class Input:
    """An opened input: the format nutgraf decided on, and its records (read lazily, in order)."""

    format: Format
    records: Iterator[Article | Rejection]


def read_articles(
    path: str,
    *,
    input_format: InputFormat = "auto",
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Article | Rejection]:
    """Every document in a file (``-`` for stdin): one for text, HTML and JSON, one per line for JSON Lines.

    Raises ``UsageError`` for a path that cannot be read; a document that cannot be used becomes a
    ``Rejection`` in the stream, so a caller never loses track of a record.
    """
    return open_input(path, input_format=input_format, encoding=encoding, max_bytes=max_bytes).records


def open_input(
    path: str,
    *,
    input_format: InputFormat = "auto",
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Input:
    """Open a file (``-`` for stdin), decide its format from its name and first bytes, and stream its
    records. Only the first 64 kB are read up front; JSON Lines then streams line by line."""
    if input_format not in INPUT_FORMATS:
        raise UsageError(f"Unknown input format {input_format!r}. Available: {', '.join(INPUT_FORMATS)}")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise UsageError(
                f"Unknown encoding {encoding!r}; use a Python codec name such as cp1252"
            ) from exc
    check_path(path)
    doc_id = _doc_id(path)
    try:
        raw = _open(path)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        head = raw.read(4)
        stream: IO[bytes] = raw
        if head.startswith(_GZIP):
            stream = cast(IO[bytes], gzip.GzipFile(fileobj=io.BufferedReader(_Prepended(head, raw))))
            head = b""
        peek = head + stream.read(_PEEK - len(head))
    except (zlib.error, gzip.BadGzipFile, EOFError) as exc:
        _close(raw, path)
        return Input("text", iter([Rejection(doc_id, "not_text", f"input is a corrupt gzip file ({exc})")]))
    except OSError as exc:
        _close(raw, path)
        raise UsageError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    fmt: Format = _sniff(peek, path) if input_format == "auto" else input_format
    return Input(fmt, _records(fmt, peek, stream, raw, path, doc_id, encoding, max_bytes))


def _close(raw: IO[bytes], path: str) -> None:
    if path != "-":
        raw.close()


def _records(
    fmt: Format,
    peek: bytes,
    stream: IO[bytes],
    raw: IO[bytes],
    path: str,
    doc_id: str,
    encoding: str | None,
    max_bytes: int,
) -> Iterator[Article | Rejection]:
    try:
        if fmt == "jsonl":
            wide = _wide_encoding(peek, encoding)
            if wide:
                yield Rejection(doc_id, "bad_encoding", _NOT_UTF8_JSONL.format(enc=wide))
                return
            yield from _read_jsonl(peek, stream, doc_id, encoding, max_bytes)
            return
        data = peek + stream.read(max_bytes + 1 - len(peek)) if len(peek) <= max_bytes else peek
        if len(data) > max_bytes:
            yield Rejection(
                doc_id,
                "too_large",
                f"input is larger than the {max_bytes:,}-byte limit; raise it with --max-bytes "
                "(or NUTGRAF_MAX_BYTES) if this really is one article",
            )
            return
    except (zlib.error, gzip.BadGzipFile, EOFError) as exc:
        yield Rejection(doc_id, "not_text", f"input is a corrupt gzip file ({exc})")
        return
    except OSError as exc:
        yield Rejection(doc_id, "not_text", f"could not read the input ({exc.strerror or exc})")
        return
    finally:
        _close(raw, path)
    if fmt == "json":
        yield parse_record(data, doc_id, encoding)
        return
    text = decode(data, doc_id, encoding)
    if isinstance(text, Rejection):
        yield text
    elif fmt == "html":
        yield from_html(text, doc_id)
    else:
        yield from_text(text, doc_id)


def _wide_encoding(peek: bytes, encoding: str | None) -> str | None:
    """The name of a UTF-16/32 encoding the input is in (by BOM or by --encoding), which JSON Lines'
    line-by-line reading cannot split."""
    if encoding is not None:
        name = codecs.lookup(encoding).name
        return name if name.startswith(("utf-16", "utf-32")) else None
    bom_name = _bom(peek)[1]
    return None if bom_name in (None, "utf-8") else bom_name


def _bom(data: bytes) -> tuple[int, str | None]:
    """The length and encoding of the byte-order mark ``data`` starts with, or ``(0, None)``."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return len(bom), name
    return 0, None


_MARKUP_PREAMBLE = re.compile(r"\s*(?:<!--.*?-->\s*|<\?xml[^>]*\?>\s*)*", re.DOTALL)
_HTML_TAG = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|article|div|p|title|section|main)\b", re.I)
_JSON_RECORD_START = re.compile(r'\{\s*"')


def _sniff(peek: bytes, path: str) -> Format:
    """The format of an input from its name, else from its first bytes: HTML (after any comments or XML
    declaration), JSON Lines (a first line that is a JSON object, with more lines), one JSON object, text."""
    lower = path.lower().removesuffix(".gz")
    if lower.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if lower.endswith((".txt", ".text", ".md")):
        return "text"
    if lower.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    skip, codec = _bom(peek)
    codec = codec or "utf-8"
    body = peek[skip:]
    head = body[:8192].decode(codec, errors="ignore")
    start = _MARKUP_PREAMBLE.match(head)
    if _HTML_TAG.match(head, start.end() if start else 0):
        return "html"
    if head.lstrip().startswith("{"):
        text = body.decode(codec, errors="ignore").lstrip()
        first, newline, rest = text.partition("\n")
        try:
            complete = isinstance(json.loads(first), dict)
        except ValueError:
            complete = False
        if complete:
            return "jsonl" if rest.strip() else "json"
        if not newline and len(peek) >= _PEEK and _JSON_RECORD_START.match(first):
            return "jsonl"  # one long first record still being read: JSON Lines streams it
        return "json"  # a pretty-printed JSON object: parsed whole
    if lower.endswith(".json"):
        return "json"
    return "text"


def decode(data: bytes, doc_id: str, encoding: str | None = None) -> str | Rejection:
    """Bytes to text: the named encoding, else a BOM's, else strict UTF-8. Never guesses silently."""
    for magic, what, todo in _MAGIC:
        if data.startswith(magic):
            return Rejection(doc_id, "not_text", f"input is {what}, not text; {todo}")
    if encoding is None:
        skip, encoding = _bom(data)
        data = data[skip:]
    if encoding is None:
        if b"\x00" in data:
            return Rejection(
                doc_id,
                "not_text",
                "input contains NUL bytes, so it is binary, not text (UTF-16 without a byte-order mark? "
                "then pass --encoding utf-16-le)",
            )
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = data[exc.start : exc.start + 1].hex().upper()
            return Rejection(
                doc_id,
                "bad_encoding",
                f"input is not valid UTF-8 (byte 0x{bad} at offset {exc.start}); if it is in another "
                "encoding, name it, e.g. --encoding cp1252",
            )
    if codecs.lookup(encoding).name == "utf-8":
        encoding = "utf-8-sig"  # a BOM is not text: spans must not depend on whether --encoding was given
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        return Rejection(
            doc_id,
            "bad_encoding",
            f"input is not valid {encoding} (at byte offset {exc.start}): {exc.reason}",
        )


def from_text(
    text: str, doc_id: str, title: str | None = None, metadata: dict[str, str] | None = None
) -> Article | Rejection:
    """Check that a string is text worth segmenting and wrap it as an ``Article``."""
    if not text.strip():
        what = "empty" if not text else "only whitespace"
        return Rejection(doc_id, "empty", f"input is {what}; give nutgraf the text of a news article")
    if "\x00" in text:
        return Rejection(doc_id, "not_text", "input contains NUL characters, so it is binary, not text")
    sample = text[:20_000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > max(2, len(sample) // 100):
        return Rejection(
            doc_id,
            "not_text",
            f"input has {controls} control characters in its first {len(sample):,}: binary?",
        )
    return Article(id=doc_id, text=text, title=title, metadata=metadata or {})


def from_html(html: str, doc_id: str, metadata: dict[str, str] | None = None) -> Article | Rejection:
    """The main article body and title of an HTML page (trafilatura). Spans then point into that text."""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - a core dependency
        return Rejection(doc_id, "no_article", "HTML input needs trafilatura: pip install trafilatura")
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False, deduplicate=False
        )
    except Exception as exc:  # trafilatura raises a variety of parser errors on broken markup
        return Rejection(doc_id, "no_article", f"could not parse the HTML ({type(exc).__name__}: {exc})")
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    title = getattr(doc, "title", None) or None
    n_words = len(text.split())
    if n_words < MIN_HTML_WORDS:
        found = f"only {n_words} words of body text" if n_words else "no body text"
        return Rejection(
            doc_id,
            "no_article",
            f"no article found in the HTML ({found}); pass the article text instead (or --input-format text)",
        )
    meta = dict(metadata or {})
    meta["input_format"] = "html"
    return from_text(text, doc_id, title=title, metadata=meta)


def _read_jsonl(
    head: bytes, stream: IO[bytes], source: str, encoding: str | None, max_bytes: int
) -> Iterator[Article | Rejection]:
    lineno = 0
    first = True
    reader = io.BufferedReader(_Prepended(head, stream)) if head else stream
    for raw_line in _lines(reader, max_bytes):
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
            raw_line = raw_line[_bom(raw_line)[0] :]
        if not raw_line.strip():
            continue
        yield parse_record(raw_line, f"{source}:{lineno}", encoding)


def parse_record(raw_line: bytes | str, fallback_id: str, encoding: str | None = None) -> Article | Rejection:
    """One JSON Lines record to an ``Article``: ``{"id", "text" | "article" | "html", "title"?, ...}``."""
    if isinstance(raw_line, bytes):
        decoded = decode(raw_line, fallback_id, encoding)
        if isinstance(decoded, Rejection):
            return decoded
        raw_line = decoded
    try:
        record = json.loads(raw_line)
    except json.JSONDecodeError as exc:
        return Rejection(fallback_id, "bad_record", f"not valid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(record, dict):
        return Rejection(
            fallback_id, "bad_record", f"a record must be a JSON object, got {type(record).__name__}"
        )
    raw_id = record.get("id")
    doc_id = str(raw_id) if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else fallback_id
    metadata: dict[str, str] = {}
    for key, value in record.items():
        if key in ("id", "text", "article", "html", "title", "highlights"):
            continue
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            metadata[key] = str(value)
    highlights = record.get("highlights")
    if isinstance(highlights, list) and all(isinstance(h, str) for h in highlights):
        metadata["highlights"] = "\n".join(h.strip() for h in highlights)
    elif isinstance(highlights, str):
        metadata["highlights"] = highlights.strip()
    title = record.get("title") if isinstance(record.get("title"), str) else None
    for field in ("text", "article"):
        value = record.get(field)
        if isinstance(value, str):
            return from_text(value, doc_id, title=title, metadata=metadata)
    if isinstance(record.get("html"), str):
        article = from_html(record["html"], doc_id, metadata)
        if isinstance(article, Article) and title:
            return Article(article.id, article.text, title, article.metadata)
        return article
    return Rejection(doc_id, "bad_record", 'record has no "text" or "article" string (nor "html")')


def _lines(stream: IO[bytes], max_bytes: int) -> Iterator[bytes | int]:
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


class _Prepended(io.RawIOBase):
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
