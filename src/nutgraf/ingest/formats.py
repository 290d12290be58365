"""The one table of input formats: which names and suffixes mean what, and how an unnamed input is
recognised from its first bytes. ``nutgraf summarize``, ``nutgraf batch``, the Dask engine and the
service's file upload all open inputs through ``nutgraf.ingest.open_input``, which reads this table."""

from __future__ import annotations

import json
import re
from typing import NamedTuple

from nutgraf.ingest.text import bom


class InputFormat(NamedTuple):
    """A row of the table: ``many`` formats hold many records (output is one row per record)."""

    name: str
    suffixes: tuple[str, ...]
    many: bool
    description: str


FORMATS: tuple[InputFormat, ...] = (
    InputFormat(
        "text", (".txt", ".text", ".md"), False, "plain text (UTF-8, a BOM's encoding, or --encoding)"
    ),
    InputFormat("html", (".html", ".htm", ".xhtml"), False, "an HTML page: its article body and title"),
    InputFormat(
        "jsonl",
        (".jsonl", ".ndjson"),
        True,
        'JSON Lines, a record per line: {"id", "text" | "article" | "html", "title"?, "highlights"?}',
    ),
    InputFormat("json", (".json",), False, "one JSON record of the JSON Lines shape"),
    InputFormat("feed", (".rss", ".atom", ".xml"), True, "an RSS or Atom feed: a record per entry"),
    InputFormat("directory", (), True, "a directory: every text and HTML file below it, in sorted order"),
)
FORMAT = {f.name: f for f in FORMATS}

INPUT_FORMATS: tuple[str, ...] = ("auto", *(f.name for f in FORMATS if f.name != "directory"))
"""What ``--input-format`` accepts; ``auto`` decides by the table's suffixes, then by content."""

DIRECTORY_MEMBERS: tuple[str, ...] = ("text", "html")
"""The formats of the files a directory input reads (others, such as .csv, are passed over)."""

_MARKUP_PREAMBLE = re.compile(
    r"\s*(?:<!--.*?-->\s*|<\?xml[^>]*\?>\s*|<!DOCTYPE\s+(?!html)[^>]*>\s*)*", re.DOTALL
)
_HTML_TAG = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|article|div|p|title|section|main)\b", re.I)
_FEED_TAG = re.compile(r"<(?:rss|feed|rdf:RDF)\b", re.I)
_JSON_RECORD_START = re.compile(r'\{\s*"')


def directory_member(name: str) -> bool:
    """Whether a directory input reads a file of this name (its suffix declares one of ``DIRECTORY_MEMBERS``)."""
    return by_suffix(name) in DIRECTORY_MEMBERS


def by_suffix(path: str) -> str | None:
    """The format a file name declares (``.gz`` looked through), or None."""
    lower = path.lower().removesuffix(".gz")
    for fmt in FORMATS:
        if lower.endswith(fmt.suffixes):
            return fmt.name
    return None


def sniff(peek: bytes, path: str, peek_limit: int) -> str:
    """The format of an input from its name, else from its first bytes: HTML or a feed (after any comments
    or XML declaration), JSON Lines (a first line that is a JSON object, with more lines), one JSON object,
    else text."""
    named = by_suffix(path)
    if named is not None and named != "json":
        return named
    skip, codec = bom(peek)
    body = peek[skip:]
    head = body[:8192].decode(codec or "utf-8", errors="ignore")
    start = _MARKUP_PREAMBLE.match(head)
    at = start.end() if start else 0
    if _HTML_TAG.match(head, at):
        return "html"
    if _FEED_TAG.match(head, at):
        return "feed"
    if head.lstrip().startswith("{"):
        return _sniff_json(body.decode(codec or "utf-8", errors="ignore").lstrip(), len(peek) >= peek_limit)
    return "json" if named == "json" else "text"


def _sniff_json(text: str, truncated: bool) -> str:
    first, newline, rest = text.partition("\n")
    try:
        complete = isinstance(json.loads(first), dict)
    except (ValueError, RecursionError):  # the record's own reading reports what is wrong with it
        complete = False
    if complete:
        return "jsonl" if rest.strip() else "json"
    if not newline and truncated and _JSON_RECORD_START.match(first):
        return "jsonl"  # one long first record still being read: JSON Lines streams it
    return "json"  # a pretty-printed JSON object: parsed whole
