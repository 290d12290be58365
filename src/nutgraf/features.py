"""Per-sentence features shared by the scorers and the selector: content terms, word counts, language.

Cheap on purpose: one regex pass per sentence, no stemmer, so the whole pipeline stays at milliseconds per
article. The learned scorer's rows of features are its own business: ``nutgraf.learned.features``.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Iterable
from typing import Any

from nutgraf.contracts import Document, SentenceFeatures
from nutgraf.lang import LANGUAGES, language, rough_word_count

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
    return _content(words(text))


def _content(lowered: Iterable[str]) -> frozenset[str]:
    """``content_terms`` of a sentence whose lower-cased word tokens are ``lowered``."""
    out = set()
    for w in lowered:
        if w in STOPWORDS or len(w) < 2:
            continue
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return frozenset(out)


def word_count(text: str, language: str | None = None) -> int:
    """Words in ``text``, counted in English-sized words: words between spaces for English (and any
    spaced language); for a language whose ``word_unit`` is ``syllable`` (Vietnamese) its spaced units
    scaled by its ``words_per_unit``; letters of unspaced scripts (Chinese, Japanese, Thai, ...) count
    ``words_per_unit`` of a word each (``UNSPACED_WORDS_PER_LETTER`` for a language without rules)."""
    if language is None or language == "en":
        return len(text.split())
    lang = LANGUAGES.get(language)
    if lang is not None and lang.word_unit == "syllable":
        # rounded up: a six-syllable Vietnamese headline sentence is a five-word one
        return math.ceil(len(text.split()) * lang.words_per_unit)
    if lang is not None and lang.word_unit == "char":
        return rough_word_count(text, lang.words_per_unit)
    return rough_word_count(text)


def _terms_in(text: str, stopwords: frozenset[str]) -> frozenset[str]:
    """Content terms of a language other than English: its words less its stopwords (no plural fold)."""
    return frozenset(w for w in words(text) if len(w) >= 2 and w not in stopwords)


def sentence_features(doc: Document) -> SentenceFeatures:
    language = doc.language
    if language is None or language == "en" or language not in LANGUAGES:
        return _english_features(doc)
    stopwords = LANGUAGES[language].stopwords
    terms = tuple(_terms_in(s.text, stopwords) for s in doc.sentences)
    return SentenceFeatures(
        terms=terms,
        word_counts=tuple(word_count(s.text, language) for s in doc.sentences),
        char_counts=tuple(len(s.text) for s in doc.sentences),
    )


def _english_features(doc: Document) -> SentenceFeatures:
    """Sentences read by English rules (English, undetermined, or a language without rules of its own),
    tokenized once: the content terms, and the tokens the learned scorer reads."""
    tokens = [_WORD.findall(s.text) for s in doc.sentences]
    lowered = [list(map(str.lower, t)) for t in tokens]
    terms = tuple(
        # Lower-casing the tokens is tokenizing the lower-cased text, except where lower-casing changes a
        # character's count (İ) or depends on what follows the word (a capital sigma): checked exhaustively.
        _content(low) if "\u0130" not in s.text and "\u03a3" not in s.text else content_terms(s.text)
        for s, low in zip(doc.sentences, lowered, strict=True)
    )
    return SentenceFeatures(
        terms=terms,
        word_counts=tuple(word_count(s.text, doc.language) for s in doc.sentences),
        char_counts=tuple(len(s.text) for s in doc.sentences),
        tokens=tuple(map(tuple, tokens)),
        lowered=tuple(map(tuple, lowered)),
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
