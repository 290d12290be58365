"""Per-sentence features shared by the scorers and the selector: content terms, word counts, language.

Cheap on purpose: one regex pass per sentence, no stemmer, so the whole pipeline stays at milliseconds per
article. The learned scorer's rows of features are its own business: ``nutgraf.learned.features``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from typing import Any

from nutgraf.contracts import Document, SentenceFeatures
from nutgraf.lang import language

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)

# The word lists are English's (``nutgraf.lang.en``); ``STOPWORDS`` keeps its public name here for the code
# that imports it from this module.
_EN = language("en")
STOPWORDS = _EN.stopwords
"""Function words: similarity runs on the other words, the content terms."""
_ENGLISH_MARKERS = _EN.function_words


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits, keeping internal apostrophes)."""
    return _WORD.findall(text.lower())


def content_terms(text: str) -> frozenset[str]:
    """The set of non-stopword terms of a sentence, with a crude plural fold (``talks`` -> ``talk``)."""
    out = set()
    for w in words(text):
        if w in STOPWORDS or len(w) < 2:
            continue
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return frozenset(out)


def word_count(text: str) -> int:
    return len(text.split())


def sentence_features(doc: Document) -> SentenceFeatures:
    return SentenceFeatures(
        terms=tuple(content_terms(s.text) for s in doc.sentences),
        word_counts=tuple(word_count(s.text) for s in doc.sentences),
        char_counts=tuple(len(s.text) for s in doc.sentences),
    )


def english_share(texts: Iterable[str], limit: int = 400) -> tuple[float, int]:
    """Share of the first ``limit`` word tokens that are common English function words, and the count."""
    seen = 0
    hits = 0
    for text in texts:
        for w in words(text):
            seen += 1
            hits += w in _ENGLISH_MARKERS
            if seen >= limit:
                return hits / seen, seen
    return (hits / seen if seen else 0.0), seen


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap coefficient |a ∩ b| / min(|a|, |b|): 1.0 when one sentence's terms are inside the other's."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


_MOVED_TO_LEARNED = frozenset(("FEATURE_GROUPS", "FEATURE_NAMES", "FEATURE_VERSION", "feature_rows"))


def __getattr__(name: str) -> Any:
    """The learned scorer's features moved to ``nutgraf.learned.features``; ``from nutgraf.features import
    feature_rows`` keeps working. Imported on first use, not at the top: that module imports this one."""
    if name in _MOVED_TO_LEARNED:
        return getattr(importlib.import_module("nutgraf.learned.features"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
