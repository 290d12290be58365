"""Opening inputs: a path (``-`` for stdin), a directory or uploaded bytes to a stream of records.

Only the first 64 kB are read up front to decide the format (``formats.sniff``); JSON Lines then streams line
by line. A record that cannot be used becomes a ``Rejection`` in the stream, so a caller never loses track of
a record; only a path that cannot be opened at all raises ``UsageError``.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import re
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from nutgraf.contracts import Article, Rejection
from nutgraf.errors import UsageError
from nutgraf.ingest.feed import feed_records
from nutgraf.ingest.formats import FORMAT, FORMATS, INPUT_FORMATS, directory_member, sniff
from nutgraf.ingest.html import from_html
from nutgraf.ingest.jsonl import Prepended, parse_record, read_jsonl
from nutgraf.ingest.text import bom, decode, from_text

Record = Article | Rejection

DEFAULT_MAX_BYTES = 5_000_000
"""Largest single document accepted (5 MB; the longest CNN/DailyMail article is about 60 kB). Change it with
``--max-bytes`` or the ``NUTGRAF_MAX_BYTES`` environment variable."""

FEED_SIZE_FACTOR = 4
"""A feed holds many articles: it may be this many times the one-document limit (20 MB by default). A feed
is parsed whole, at about 7 bytes of memory per byte of feed, so this bounds a feed's memory (140 MB by
default); real news feeds are well under a megabyte."""

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_GZIP = b"\x1f\x8b"
_PEEK = 65536
_NOT_UTF8_JSONL = (
    "JSON Lines input must be UTF-8 (this file is {enc}); convert it first, e.g. iconv -f {enc} -t UTF-8"
)


@dataclass(frozen=True, slots=True)
class Input:
    """An opened input: the format nutgraf decided on, and its records (read lazily, in order)."""

    format: str
    records: Iterator[Record]

    @property
    def many(self) -> bool:
        """Whether the format holds many records (so output is one row per record)."""
        return FORMAT[self.format].many


@dataclass(frozen=True, slots=True)
class Reading:
    """How to read inputs, the same for every front end."""

    input_format: str = "auto"
    encoding: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES

    def __post_init__(self) -> None:
        if self.input_format not in INPUT_FORMATS:
            available = ", ".join(INPUT_FORMATS)
            raise UsageError(f"Unknown input format {self.input_format!r}. Available: {available}")
        if self.encoding is not None:
            try:
                info = codecs.lookup(self.encoding)
            except LookupError:
                info = None
            # codecs.lookup also knows rot13, zlib, base64...: bytes-to-bytes codecs that decode no text.
            if info is None or not getattr(info, "_is_text_encoding", True):
                raise UsageError(
                    f"Unknown encoding {self.encoding!r}; use a Python codec name such as cp1252"
                )
        if isinstance(self.max_bytes, bool) or not isinstance(self.max_bytes, int) or self.max_bytes < 1:
            raise UsageError(f"the byte limit must be a positive whole number, got {self.max_bytes!r}")


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


def check_path(path: str, *, directories: bool = False) -> None:
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
    if p.is_dir() and not directories:
        raise UsageError(f"{path} is a directory; pass a file (or '-' for standard input)")
    if not os.access(p, os.R_OK):
        raise UsageError(f"{path}: permission denied")


def check_output_path(path: str, what: str = "the output") -> None:
    """Refuse, before any work, an output path that cannot be written: a directory, a missing parent
    directory (never created silently: a typo would scatter files), or one without write permission."""
    p = Path(path)
    if p.is_dir():
        raise UsageError(f"{path} is a directory; {what} is a file to write")
    parent = p.parent
    if not parent.is_dir():
        raise UsageError(f"cannot write {what} to {path}: the directory {parent} does not exist")
    if not os.access(parent, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise UsageError(f"cannot write {what} to {path}: permission denied")


def doc_id(path: str) -> str:
    """A single-document file's id: its name without the format's suffixes (``stdin`` for ``-``)."""
    if path == "-":
        return "stdin"
    name = Path(path).name.removesuffix(".gz")
    for fmt in FORMATS:
        for suffix in fmt.suffixes:
            name = name.removesuffix(suffix)
    return name or "document"


def directory_files(path: str) -> list[Path]:
    """The text and HTML files below a directory, sorted so the order is stable. Entries with such a name
    that are not regular files (a FIFO, a socket, a dangling symlink) are listed too: each becomes an error
    row (``_directory_records``) instead of vanishing from the output."""
    files = sorted(
        p for p in Path(path).rglob("*") if directory_member(p.name) and (p.is_file() or not p.is_dir())
    )
    if not files:
        raise UsageError(f"{path}: no .txt or .html files in this directory")
    return files


def read_articles(
    path: str,
    *,
    input_format: str = "auto",
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Record]:
    """Every document in a file (``-`` for stdin) or directory; see ``open_input``."""
    return open_input(path, Reading(input_format, encoding, max_bytes)).records


def open_input(
    path: str,
    reading: Reading | None = None,
    *,
    path_ids: bool = False,
    input_format: str | None = None,
    encoding: str | None = None,
    max_bytes: int | None = None,
) -> Input:
    """Open a file (``-`` for stdin) or a directory, decide its format by ``formats.FORMATS`` and stream its
    records. A single document's id is its file name without suffix, or its path with ``path_ids``
    (batch); a directory's documents always have their paths as ids."""
    if reading is None:
        reading = Reading(input_format or "auto", encoding, max_bytes or DEFAULT_MAX_BYTES)
    check_path(path, directories=True)
    if path != "-" and Path(path).is_dir():
        files = directory_files(path)
        return Input("directory", _directory_records(files, reading))
    try:
        raw = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115 - closed by the reader
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    name = path if path_ids and path != "-" else doc_id(path)
    return open_stream(raw, path, name, reading, close=path != "-")


def open_bytes(data: bytes, filename: str, reading: Reading) -> Input:
    """Uploaded bytes (the service's file upload), read exactly as a file of that name would be."""
    return open_stream(io.BytesIO(data), filename, doc_id(filename or "upload"), reading, close=True)


def open_inputs(paths: Sequence[str], reading: Reading) -> Iterator[Record]:
    """Every record of every input, in order (batch); a single document's id is its path."""
    for path in paths:
        yield from open_input(path, reading, path_ids=True).records


def _directory_records(files: list[Path], reading: Reading) -> Iterator[Record]:
    for file in files:
        if not file.is_file():  # never opened: reading a FIFO would wait for a writer forever
            what = (
                "a dangling symbolic link"
                if file.is_symlink() and not file.exists()
                else "not a regular file"
            )
            yield Rejection(str(file), "not_text", f"{file} is {what}; nothing to read")
            continue
        try:
            yield from open_input(str(file), reading, path_ids=True).records
        except UsageError as exc:  # unreadable, or gone since it was listed: that file's row says so
            yield Rejection(str(file), "not_text", str(exc))


def open_stream(raw: IO[bytes], name: str, record_id: str, reading: Reading, *, close: bool) -> Input:
    try:
        head = raw.read(4)
        stream: IO[bytes] = raw
        if head.startswith(_GZIP):
            stream = cast(IO[bytes], gzip.GzipFile(fileobj=io.BufferedReader(Prepended(head, raw))))
            head = b""
        peek = head + stream.read(_PEEK - len(head))
    except (zlib.error, gzip.BadGzipFile, EOFError) as exc:
        _close(raw, close)
        message = f"input is a corrupt gzip file ({exc})"
        return Input("text", iter([Rejection(record_id, "not_text", message)]))
    except OSError as exc:
        _close(raw, close)
        raise UsageError(f"{name}: cannot read ({exc.strerror or exc})") from exc
    fmt = sniff(peek, name, _PEEK) if reading.input_format == "auto" else reading.input_format
    source = _Source(peek, stream, raw, close, record_id, doc_id(name))
    return Input(fmt, _records(fmt, source, reading))


@dataclass(frozen=True, slots=True)
class _Source:
    peek: bytes
    stream: IO[bytes]
    raw: IO[bytes]
    close: bool
    record_id: str
    """The id of the document (a single-document format), or of the whole input when it cannot be read."""
    line_prefix: str
    """JSON Lines records without an id are ``PREFIX:LINE``."""


def _close(raw: IO[bytes], close: bool) -> None:
    if close:
        raw.close()


def _records(fmt: str, src: _Source, reading: Reading) -> Iterator[Record]:
    limit = reading.max_bytes * (FEED_SIZE_FACTOR if fmt == "feed" else 1)
    try:
        if fmt == "jsonl":
            yield from _jsonl(src, reading)
            return
        data = src.peek + src.stream.read(limit + 1 - len(src.peek)) if len(src.peek) <= limit else src.peek
    except (zlib.error, gzip.BadGzipFile, EOFError) as exc:
        yield Rejection(src.record_id, "not_text", f"input is a corrupt gzip file ({exc})")
        return
    except OSError as exc:
        yield Rejection(src.record_id, "not_text", f"could not read the input ({exc.strerror or exc})")
        return
    finally:
        _close(src.raw, src.close)
    if len(data) > limit:
        what = "feed" if fmt == "feed" else "input"
        yield Rejection(
            src.record_id,
            "too_large",
            f"{what} is larger than the {limit:,}-byte limit; raise it with --max-bytes "
            "(or NUTGRAF_MAX_BYTES) if this really is one article",
        )
        return
    yield from _document(fmt, data, src.record_id, reading.encoding)


def _jsonl(src: _Source, reading: Reading) -> Iterator[Record]:
    wide = _wide_encoding(src.peek, reading.encoding)
    if wide:
        yield Rejection(src.record_id, "bad_encoding", _NOT_UTF8_JSONL.format(enc=wide))
        return
    yield from read_jsonl(src.peek, src.stream, src.line_prefix, reading.encoding, reading.max_bytes)


def _document(fmt: str, data: bytes, record_id: str, encoding: str | None) -> Iterator[Record]:
    if fmt == "json":
        yield parse_record(data, record_id, encoding)
        return
    if fmt == "feed":
        yield from feed_records(data, record_id)
        return
    text = decode(data, record_id, encoding)
    if isinstance(text, Rejection):
        yield text
    elif fmt == "html":
        yield from_html(text, record_id)
    else:
        yield from_text(text, record_id)


def _wide_encoding(peek: bytes, encoding: str | None) -> str | None:
    """The name of a UTF-16/32 encoding the input is in (by BOM or by --encoding), which JSON Lines'
    line-by-line reading cannot split."""
    if encoding is not None:
        name = codecs.lookup(encoding).name
        return name if name.startswith(("utf-16", "utf-32")) else None
    bom_name = bom(peek)[1]
    return None if bom_name in (None, "utf-8") else bom_name
