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

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)

# A compact English stopword list (function words only). Used to keep similarity on content words and to
# tell English text from other languages.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "said",
        "says",
        "say",
        "s",
        "t",
        "would've",
        "it's",
        "he's",
        "she's",
        "they're",
        "we're",
        "i'm",
        "don't",
        "didn't",
        "doesn't",
        "won't",
        "can't",
        "isn't",
        "wasn't",
        "weren't",
        "aren't",
    ]
)

# Function words that are very frequent in English and rare elsewhere; their share of tokens separates
# English from other languages well (English news prose: 0.35-0.5; French/German/Spanish: < 0.08).
_ENGLISH_MARKERS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "was",
        "that",
        "for",
        "on",
        "with",
        "as",
        "by",
        "at",
        "from",
        "are",
        "be",
        "this",
        "have",
        "has",
        "had",
        "it",
        "he",
        "she",
        "they",
        "not",
        "but",
        "which",
        "were",
        "been",
    ]
)


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


# ---------------------------------------------------------------------------------------------------------
# English word lists that only the learned scorer's features read (``nutgraf.learned.features`` imports them);
# they stay with the other English word lists here until those move to a per-language module.

_ATTRIBUTION = frozenset(
    "said says told added stated explained claimed announced reported according insisted warned "
    "confirmed revealed admitted tweeted wrote".split()
)
_FIRST_PERSON = frozenset("i me my we our us you your".split())
_PRONOUN_START = frozenset("he she it they this that these those his her their its we i you there".split())
_CONNECTIVE_START = frozenset(
    "but however and also meanwhile still yet so then instead moreover furthermore besides although though "
    "while because nevertheless nonetheless otherwise thus therefore later earlier".split()
)
_CUE = frozenset(
    "killed dead died death arrested charged police official officials authorities president government "
    "announced investigation accused court percent million billion first new will won lost attack crash "
    "sentenced suspect victim victims injured found report study".split()
)
_TIME = frozenset("monday tuesday wednesday thursday friday saturday sunday yesterday today tonight".split())

_MOVED_TO_LEARNED = frozenset(("FEATURE_GROUPS", "FEATURE_NAMES", "FEATURE_VERSION", "feature_rows"))


def __getattr__(name: str) -> Any:
    """The learned scorer's features moved to ``nutgraf.learned.features``; ``from nutgraf.features import
    feature_rows`` keeps working. Imported on first use, not at the top: that module imports this one."""
    if name in _MOVED_TO_LEARNED:
        return getattr(importlib.import_module("nutgraf.learned.features"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
