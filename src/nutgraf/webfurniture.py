"""Page furniture in text extracted from a web page: a learned line classifier.

trafilatura's extraction keeps some of a page's furniture as lines of the text: timestamps and bylines
("posted on April 21, 2015, at 11:29 a.m."), tag lists ("Topics: uber, ..."), gallery counters ("- 8/50
Scope to do more in the City?"), promos and sign-ups ("Pick Six Newsletter", "Thanks for signing up!"),
headlines of other stories, comment prompts. The cleaner's rules are written for CNN/Daily Mail text; this
module learns what such lines look like from the 181 pages of the article-extraction benchmark, whose human
``articleBody`` says which lines are the article (``scripts/train_web_furniture.py``, which also
cross-validates it). Besides each line's own shape, it reads what the page's HTML said before it was
flattened (``contracts.PageHints``, from ``ingest.html.page_hints``): the page's description (a standfirst set
above the body repeats it), author, site, tags and date, and the texts of its heading, aside and byline
elements. A line it judges furniture stays in the text (spans point into it) and becomes a ``Furniture`` span
(kind ``web``), so that it is never chosen as a key point.

The columns are ``FEATURES``, computed by ``line_rows``; the model file (``nutgraf/data/web-furniture-v2.json.gz``)
names them and its threshold, and records its training data's hash and command.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from functools import lru_cache
from importlib import resources
from typing import Any

from nutgraf.contracts import PageHints
from nutgraf.ingest.html import MAX_ELEMENT_CHARS
from nutgraf.lang import language
from nutgraf.lang.en import MONTHS
from nutgraf.trees import Predictor

FORMAT = "nutgraf.webfurniture.v2"
MODEL_FILE = "web-furniture-v2.json.gz"

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s?(?:[ap]\.?m\.?)(?=\W|$)", re.I)
_DATE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b(?:19|20)\d{2}\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b",
    re.I,
)
_DIGIT = re.compile(r"\d")
_COUNTER = re.compile(r"^\W*\d{1,3}\s*(?:/|of)\s*\d{1,3}\b", re.I)
_LABEL = re.compile(r"^[^\s:]{1,20}(?:\s[^\s:]{1,20})?\s?:")
_URLISH = re.compile(r"https?://|www\.|@\w|#\w|\.com\b|\.co\.\w\w\b", re.I)
_TERMINAL = frozenset(".!?…\"'”’»)。！？")

FEATURES = (
    "words", "chars", "terminal", "list_item", "title_share", "upper_share", "lower_share", "digit_share",
    "clock", "date", "counter", "label", "promo", "urlish", "pipes", "sentences", "pos", "from_end",
    "first", "last", "is_title", "title_overlap", "short_run", "prev_terminal", "next_terminal",
    "in_description", "description_overlap", "name_share", "has_date", "in_heading", "in_aside", "in_byline",
    "standfirst",
)  # fmt: skip
"""The columns: the line's own shape, where it stands, its neighbours' endings, and (``in_description`` on)
what the page's HTML said (``PageHints``; zero for text that did not come from a page)."""


def line_spans(text: str) -> list[tuple[int, int]]:
    """The non-empty lines of ``text``, trimmed, as ``(start, end)``."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            spans.append((start, start + len(stripped)))
        pos += len(line) + 1
    return spans


_HEAD = 300
"""Characters of a line the word-level columns read: a furniture line is short, and a body paragraph's
opening says as much as all of it (the whole line still counts its length and words)."""
_PROMO_WORDS = language("en").web_furniture_words
_PROMO_ONE = frozenset(p for p in _PROMO_WORDS if " " not in p)
_PROMO_MORE = frozenset(p for p in _PROMO_WORDS if " " in p)


_PROMO_FIRST = frozenset(p.split()[0] for p in _PROMO_MORE)


def _promo_count(lowered: list[str]) -> int:
    """How many of the furniture words and phrases (``Language.web_furniture_words``) the words hold."""
    count = 0
    for i, w in enumerate(lowered):
        if w in _PROMO_ONE:
            count += 1
        if w in _PROMO_FIRST:
            count += sum(
                1 for n in (2, 3, 4) if i + n <= len(lowered) and " ".join(lowered[i : i + n]) in _PROMO_MORE
            )
    return count


def _row(line: str, title_words: frozenset[str]) -> tuple[list[float], list[str]]:
    """The line's own columns, and the lower-cased words of its head."""
    head = line[:_HEAD]
    words = _WORD.findall(head)
    n = len(words) or 1
    initials = "".join([w[0] for w in words])
    lowered = [w.lower() for w in words]  # word by word, as the title's words are ("İ" lower-cases to two)
    lowered_set = set(lowered)
    digits = _DIGIT.search(head) is not None  # a clock time, a date and a counter each hold one
    return [
        float(len(line.split())),
        float(len(line)),
        float(line[-1] in _TERMINAL),
        float(line[:2] in ("- ", "• ", "* ")),
        sum(map(str.isupper, initials)) / n,
        len([w for w in words if w.isupper() and len(w) > 1]) / n,
        sum(map(str.islower, initials)) / n,
        sum(map(str.isdigit, initials)) / n,
        float(digits and bool(_CLOCK.search(head))),
        float(digits and bool(_DATE.search(head))),
        float(digits and bool(_COUNTER.match(head.lstrip("-•* ")))),
        float(bool(_LABEL.match(head))),
        float(_promo_count(lowered)),
        float(bool(_URLISH.search(head))),
        float(line.count("|")),
        float(line.count(".") + line.count("!") + line.count("?")),
        0.0,
        0.0,
        0.0,
        0.0,
        float(bool(title_words) and lowered_set == title_words),
        len(lowered_set & title_words) / len(lowered_set) if lowered_set and title_words else 0.0,
        0.0,
        0.0,
        0.0,
    ], lowered


def line_rows(
    text: str, spans: list[tuple[int, int]], title: str | None, page: PageHints | None = None
) -> list[list[float]]:
    """One row of ``FEATURES`` per line span of ``text``: the line's own shape, where it stands, its
    neighbours' endings, and what the page's HTML said about it."""
    title_words = frozenset(w.lower() for w in _WORD.findall(title or ""))
    lines = [text[s:e] for s, e in spans]
    hints = _Hints(page) if page is not None else None
    rows: list[list[float]] = []
    for line in lines:
        row, lowered = _row(line, title_words)
        row.extend(_NO_HINTS if hints is None else hints.columns(line, lowered))
        rows.append(row)
    n = len(rows)
    for i, row in enumerate(rows):
        row[16] = i / n
        row[17] = float(n - 1 - i)
        row[18] = float(i == 0)
        row[19] = float(i == n - 1)
        # A run of short lines without a full stop (menus, tag lists, gallery captions).
        row[22] = float(
            sum(1 for j in range(max(0, i - 2), min(n, i + 3)) if rows[j][0] <= 8 and not rows[j][2]) / 5
        )
        row[23] = rows[i - 1][2] if i > 0 else 1.0
        row[24] = rows[i + 1][2] if i + 1 < n else 1.0
    return rows


_NO_HINTS = (0.0,) * 8
_MONTH_ABBREVIATIONS = tuple(m[:3].lower() for m in MONTHS)  # "jan" ... "dec"


def _within(line: str, padded: str) -> float:
    """2 if ``line`` is one of the texts of ``padded`` (newline-joined, with a newline at each end), 1 if it
    is inside one (20+ characters), else 0."""
    if len(padded) < 3:
        return 0.0
    if f"\n{line}\n" in padded:
        return 2.0
    return 1.0 if len(line) >= 20 and line in padded else 0.0


class _Hints:
    """A page's ``PageHints``, prepared for matching lines against them."""

    def __init__(self, page: PageHints) -> None:
        self.description_words = frozenset(w.lower() for w in _WORD.findall(page.description))
        self.name_words = frozenset(w.lower() for name in page.names for w in _WORD.findall(name))
        self.texts = tuple(
            f"\n{t}\n" for t in (page.description, page.heading_text, page.aside_text, page.byline_text)
        )
        self.date_forms: tuple[str, ...] = ()
        parts = page.date.split("-")
        if len(parts) == 3 and all(p.isascii() and p.isdigit() for p in parts) and 1 <= int(parts[1]) <= 12:
            year, month, day = parts[0], int(parts[1]), int(parts[2])
            self.date_forms = (year, _MONTH_ABBREVIATIONS[month - 1], str(day))

    def columns(self, line: str, words: list[str]) -> tuple[float, ...]:
        """The hint columns of a line whose head has the lower-cased ``words``."""
        n = len(words) or 1
        has_date = 0.0
        if self.date_forms:
            year, month, day = self.date_forms
            lowered = line[:_HEAD].lower()
            has_date = float(year in lowered and (month in lowered or day in words))
        # No element text the hints hold is longer than MAX_ELEMENT_CHARS, so a longer line is in none of them
        # (nor, in practice, in the page's description, which is a sentence or two).
        within = (0.0, 0.0, 0.0, 0.0)
        if len(line) <= 2 * MAX_ELEMENT_CHARS:
            folded = " ".join(line.split())
            if folded[:2] in ("- ", "• ", "* "):
                folded = folded[2:]
            if len(folded) <= MAX_ELEMENT_CHARS:
                within = tuple(_within(folded, padded) for padded in self.texts)  # type: ignore[assignment]
        in_description, in_heading, in_aside, in_byline = within
        return (
            in_description,
            len([w for w in words if w in self.description_words]) / n,
            len([w for w in words if w in self.name_words]) / n,
            has_date,
            in_heading,
            in_aside,
            in_byline,
            # The page's description set in a heading element: a standfirst, not the body's lede.
            float(in_description > 0 and in_heading > 0),
        )


class WebFurniture:
    """The model that marks furniture lines of extracted web text: the bundled one, loaded on first use, or a
    given booster and threshold (the training script's cross-validation). Thread-safe."""

    def __init__(self, booster: Any = None, threshold: float = 0.5) -> None:
        self._lock = threading.Lock()
        self._model: tuple[Predictor, float] | None = (
            None if booster is None else (Predictor(booster), float(threshold))
        )

    def _load(self) -> tuple[Predictor, float]:
        with self._lock:
            if self._model is None:
                data = read_model()
                self._model = (Predictor(text=data["booster"]), float(data["threshold"]))
            return self._model

    def __call__(
        self, text: str, title: str | None = None, page: PageHints | None = None
    ) -> list[tuple[int, int]]:
        """The spans of the lines of ``text`` that are page furniture (``page``: what the page's HTML said)."""
        spans = line_spans(text)
        if len(spans) < 2:
            return []
        predict, threshold = self._load()
        import numpy as np

        rows = line_rows(text, spans, title, page)
        p = predict(np.asarray(rows, dtype=np.float64))
        return [
            span
            for span, row, q in zip(spans, rows, p, strict=True)
            if round(float(q), 9) >= threshold or unfinished(row)
        ]


UNFINISHED_WORDS = 25
"""A line of web text this short that does not end a sentence is never a key point: a headline, a caption, a
subheading, a menu item or a link (the labelled bodies keep some subheadings, but none is a key point)."""


def unfinished(row: list[float]) -> bool:
    """Whether a line (its ``FEATURES`` row) is short and ends without sentence punctuation."""
    return row[0] <= UNFINISHED_WORDS and not row[2]


@lru_cache(maxsize=1)
def read_model() -> dict[str, Any]:
    """The bundled model file: its booster (LightGBM text), threshold, columns and metadata."""
    raw = (resources.files("nutgraf") / "data" / MODEL_FILE).read_bytes()
    data: dict[str, Any] = json.loads(gzip.decompress(raw))
    if data.get("format") != FORMAT or tuple(data.get("features", ())) != FEATURES:
        raise ValueError(
            f"{MODEL_FILE}: not a {FORMAT} model for these columns; rebuild it (make web-furniture)"
        )
    return data


web_furniture = WebFurniture()
