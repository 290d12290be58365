"""RSS and Atom feeds: one record per entry, its body (``content``, else ``summary``) as text."""

from __future__ import annotations

import io
from collections.abc import Iterator

from nutgraf.contracts import Article, Rejection
from nutgraf.errors import MissingExtra
from nutgraf.ingest.html import html_fragment_text
from nutgraf.ingest.text import from_text


def feed_records(data: bytes, source: str) -> Iterator[Article | Rejection]:
    """Every entry of a feed document, in order; an entry without a body is a ``Rejection`` (``empty``)."""
    try:
        import feedparser
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingExtra("feed input", "feed", str(exc)) from exc
    # A stream, never the bytes themselves: given bytes that spell a path or a URL, feedparser would open it.
    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.get("entries") and (parsed.get("bozo") or not parsed.get("feed")):
        why = parsed.get("bozo_exception") or "no channel or feed element"
        yield Rejection(source, "bad_record", f"not a readable RSS/Atom feed ({why})")
        return
    for n, entry in enumerate(parsed.get("entries", []), start=1):
        doc_id = str(entry.get("id") or entry.get("link") or f"{source}#{n}")
        title = entry.get("title") or None
        contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
        body = contents[0] if contents else entry.get("summary", "")
        text = html_fragment_text(body) if body else ""
        if not text.strip():
            yield Rejection(doc_id, "empty", "feed entry has no content or summary")
            continue
        metadata = {
            "input_format": "feed"
        }  # spans point into the entry's text, which travels with the result
        if entry.get("link"):
            metadata["link"] = str(entry.get("link"))
        yield from_text(text, doc_id, title=title, metadata=metadata)
