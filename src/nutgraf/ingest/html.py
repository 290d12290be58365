"""HTML: the main article body and title of a page (trafilatura), or the text of a fragment (a feed
entry's body, which is a body already)."""

from __future__ import annotations

import html
import logging
import re
from dataclasses import replace
from typing import Any

from nutgraf.contracts import Article, PageHints, Rejection
from nutgraf.ingest.text import from_text
from nutgraf.lang import rough_word_count

MIN_HTML_WORDS = 20
"""An extracted HTML body shorter than this is navigation or a stub, not an article."""

EXTRACTION: dict[str, Any] = {
    "include_comments": False,
    "include_tables": False,
    "deduplicate": False,
    "fast": True,
}
"""trafilatura's options. ``fast`` skips its comparison with readability and jusText (about a quarter of its
time) and keeps its rescue of short extractions: on the article-extraction benchmark's 181 pages the
extracted text covers the labelled bodies as well (token recall 0.977 both ways, precision 0.952 against
0.948), and as many key points land in them (``scripts/html_check.py``, ``make web-furniture``)."""

_CLASS_KINDS = re.compile(
    r"(?P<heading>subtitle|standfirst|dek|subhead|strapline|kicker|headline|header)"
    r"|(?P<aside>caption|credit|related|share|social|newsletter|promo|subscribe|signup|sidebar|recommend|gallery)"
    r"|(?P<byline>byline|author|dateline|timestamp|published|tags|topics)"
)
"""Class names that say what an element holds: a headline, subtitle or standfirst; a caption, related
stories, sharing, a newsletter or a promo; a byline, a date or tags."""
_TAG_KINDS = {
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup"), "heading"),
    **dict.fromkeys(("aside", "nav", "footer", "figcaption"), "aside"),
    "time": "byline",
}
MAX_ELEMENT_CHARS = 1500
"""An element with more text than this is a container of the article, not a piece of furniture."""


def _element_texts(tree: Any) -> dict[str, str]:
    """Per kind (``heading``, ``aside``, ``byline``), the folded texts of the page's elements of that kind
    (short ones only), one per line: one pass over the elements, each judged by its tag or its class."""
    found: dict[str, dict[str, None]] = {"heading": {}, "aside": {}, "byline": {}}

    def add(kind: str, el: Any) -> None:
        try:
            raw = el.text_content()
        except (AttributeError, ValueError):  # a comment or processing instruction
            return
        if len(raw) > 4 * MAX_ELEMENT_CHARS:  # a container (folding all its text would cost, for nothing)
            return
        text = " ".join(raw.split())
        if text and len(text) <= MAX_ELEMENT_CHARS:
            found[kind][text] = None

    kinds: dict[str, str | None] = {}  # a page repeats its class names: look each one up once
    for el in tree.iter():
        kind = _TAG_KINDS.get(el.tag)
        if kind is None:
            name = el.get("class")
            if not name:
                continue
            if name not in kinds:
                m = _CLASS_KINDS.search(name.lower())
                kinds[name] = None if m is None else m.lastgroup
            kind = kinds[name]
            if kind is None:
                continue
        add(kind, el)
    return {kind: "\n".join(texts) for kind, texts in found.items()}


def _folded(value: Any) -> str:
    return " ".join(str(value or "").split())


def page_hints(tree: Any, doc: Any) -> PageHints:
    """What the page's HTML (``tree``, before extraction) and trafilatura's metadata (``doc``) say about its
    furniture."""
    texts = _element_texts(tree)
    names: list[str] = []
    for value in (getattr(doc, "author", None), getattr(doc, "sitename", None)):
        names.extend(_folded(v) for v in str(value or "").split(";"))
    for values in (getattr(doc, "tags", None), getattr(doc, "categories", None)):
        for value in values or ():
            names.extend(_folded(v) for v in str(value).split(","))
    return PageHints(
        description=_folded(getattr(doc, "description", None)),
        names=tuple(dict.fromkeys(n for n in names if n)),
        date=_folded(getattr(doc, "date", None)),
        heading_text=texts["heading"],
        aside_text=texts["aside"],
        byline_text=texts["byline"],
    )


def parse(html: str) -> Any:
    """The page's lxml tree, parsed as trafilatura parses it (None if there is no document in it)."""
    from trafilatura.utils import load_html

    return load_html(html)


SHORT_FAST_WORDS = 100
"""A body this short from trafilatura's fast extraction is extracted again in full (with its comparison with
readability and jusText), and the longer body kept: a short page costs a little more, and a page whose body
the fast path under-reads still gets one. On the 181 benchmark pages, the four below it read the same
either way."""


def _body(doc: Any) -> str:
    """The body text of trafilatura's extraction (empty for none)."""
    return (getattr(doc, "text", None) or "").strip() if doc is not None else ""


def _extract(trafilatura: Any, tree: Any) -> Any:
    """trafilatura's extraction of the page (``EXTRACTION``); a short fast one is done again in full."""
    doc = trafilatura.bare_extraction(tree, with_metadata=True, **EXTRACTION)
    if EXTRACTION.get("fast"):
        words = rough_word_count(_body(doc))
        if words < SHORT_FAST_WORDS:
            full = trafilatura.bare_extraction(tree, with_metadata=True, **{**EXTRACTION, "fast": False})
            if rough_word_count(_body(full)) > words:
                return full
    return doc


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
        # Parsed once: trafilatura extracts from a copy of the tree, and the hints read the original.
        tree = parse(html)
        doc = None if tree is None else _extract(trafilatura, tree)
    except Exception as exc:  # trafilatura raises a variety of parser errors on broken markup
        return Rejection(doc_id, "no_article", f"could not parse the HTML ({type(exc).__name__}: {exc})")
    text = _body(doc)
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
    article = from_text(text, doc_id, title=title, metadata=meta, references=references)
    if isinstance(article, Rejection):
        return article
    return replace(article, page=page_hints(tree, doc))


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
