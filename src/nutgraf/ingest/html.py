"""HTML: the main article body and title of a page (trafilatura), or the text of a fragment (a feed
entry's body, which is a body already)."""

from __future__ import annotations

import html
import logging
from typing import Any

from nutgraf.contracts import Article, Rejection
from nutgraf.ingest.text import from_text
from nutgraf.lang import rough_word_count

MIN_HTML_WORDS = 20
"""An extracted HTML body shorter than this is navigation or a stub, not an article."""


def from_html(
    html: str, doc_id: str, metadata: dict[str, str] | None = None, references: tuple[str, ...] = ()
) -> Article | Rejection:
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
    n_words = rough_word_count(text)  # Chinese and Japanese pages write no spaces between words
    if n_words < MIN_HTML_WORDS:
        found = f"only {n_words} words of body text" if n_words else "no body text"
        return Rejection(
            doc_id,
            "no_article",
            f"no article found in the HTML ({found}); pass the article text instead (or --input-format text)",
        )
    meta = dict(metadata or {})
    meta["input_format"] = "html"
    return from_text(text, doc_id, title=title, metadata=meta, references=references)


_BLOCKS = frozenset("p div br li h1 h2 h3 h4 h5 h6 blockquote section article tr pre".split())


def html_fragment_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed entry's body), one paragraph per line. A fragment is a body
    already: no boilerplate to remove, so no trafilatura, just the text with block breaks kept."""
    if "<" not in fragment:
        # Still HTML: its entities are characters ("AT&amp;T" is "AT&T"), or key points would not be the
        # article's words.
        return html.unescape(fragment).strip()
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several parser errors on junk markup
        return ""
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    parts: list[str] = []

    def walk(node: Any) -> None:
        block = isinstance(node.tag, str) and node.tag.lower() in _BLOCKS
        if block:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)
