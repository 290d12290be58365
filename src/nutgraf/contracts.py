"""The data that flows between nutgraf's pipeline stages, and the stages' protocols.

Every stage imports this module; it imports nothing of nutgraf's. All records are frozen so that one
instance of any stage can be shared across threads and processes, and every piece of text carries its
character offsets into ``Article.text`` (the exact input, or the text extracted from HTML).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, Protocol

Span = tuple[int, int]
"""A half-open character range ``[start, end)`` into ``Article.text``."""

RejectReason = Literal[
    "empty",  # nothing but whitespace
    "not_text",  # binary data, NUL bytes
    "bad_encoding",  # bytes that do not decode in the declared or detected encoding
    "too_large",  # over the configured size limit
    "no_article",  # HTML in which no article body was found
    "no_sentences",  # no usable sentence (no sentence punctuation, or only overlong runs)
    "url",  # a URL was given: nutgraf never fetches
    "bad_record",  # a JSON Lines record that is not valid JSON or lacks a text field
    "no_references",  # the oracle method was asked for, but the record has no reference highlights
    "budget",  # no whole sentence fits within the word/character budget
    "internal",  # a bug in nutgraf: the record is reported, never lost
]


def _frozen_mapping(data: Mapping[str, str] | None = None) -> Mapping[str, str]:
    return MappingProxyType(dict(data or {}))


@dataclass(frozen=True, slots=True)
class Article:
    """One input document. ``text`` is what every span points into."""

    id: str
    text: str
    title: str | None = None
    metadata: Mapping[str, str] = field(default_factory=_frozen_mapping)


@dataclass(frozen=True, slots=True)
class Furniture:
    """A stretch of page furniture (dateline, byline, 'Scroll down for video', ...) kept out of selection."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CleanArticle:
    """An article with its furniture marked. The text is never rewritten, so offsets stay exact."""

    article: Article
    furniture: tuple[Furniture, ...] = ()

    @property
    def regions(self) -> tuple[Span, ...]:
        """The stretches of ``article.text`` that are body text: the complement of the furniture."""
        out: list[Span] = []
        pos = 0
        for f in sorted(self.furniture, key=lambda f: (f.start, f.end)):
            if f.start > pos:
                out.append((pos, f.start))
            pos = max(pos, f.end)
        if pos < len(self.article.text):
            out.append((pos, len(self.article.text)))
        return tuple(out)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the article: ``article.text[start:end] == text``."""

    text: str
    start: int
    end: int
    paragraph: int
    index: int


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning attached to a result: a stable ``code`` for programs and a ``message`` for people."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Document:
    """The segmented article that scorers and selectors work on."""

    article: Article
    sentences: tuple[Sentence, ...]
    furniture: tuple[Furniture, ...] = ()
    warnings: tuple[Notice, ...] = ()


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    """What scorers and the selector know about each sentence, aligned with ``Document.sentences``."""

    terms: tuple[frozenset[str], ...]
    """Content terms (no stopwords), for similarity and redundancy."""
    word_counts: tuple[int, ...]
    char_counts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Highlight:
    """One key point. Joining ``article.text[s:e]`` over ``spans`` gives ``text`` exactly."""

    text: str
    spans: tuple[Span, ...]
    sentences: tuple[int, ...]
    score: float
    rank: int
    explanation: tuple[Contribution, ...] = ()
    """With ``Options.explain``: the features that moved this key point's score most."""


@dataclass(frozen=True, slots=True)
class Contribution:
    """One feature's share of a sentence's score (a SHAP value, in log-odds) and the feature's value."""

    feature: str
    value: float
    contribution: float


@dataclass(frozen=True, slots=True)
class Summary:
    """The key points of one article."""

    article_id: str
    highlights: tuple[Highlight, ...]
    method: str
    scorer: str
    """The registered, versioned name of the scorer that ran (``nutgraf.scorer.lead.v1``)."""
    version: str
    """nutgraf's version."""
    warnings: tuple[Notice, ...] = ()
    model: str | None = None
    """``name@sha256-prefix`` of the model file that scored the sentences (learned method only)."""


@dataclass(frozen=True, slots=True)
class Rejection:
    """A document nutgraf could not summarize, with a machine-readable reason and a message for people."""

    article_id: str
    reason: RejectReason
    message: str


Result = Summary | Rejection


DEFAULT_K = 3
MAX_K = 50


@dataclass(frozen=True, slots=True)
class Options:
    """How to pick key points. Validated once, in ``__post_init__``, so every shell fails the same way."""

    k: int | None = None
    """How many key points; None means 3, or as many as fit when a word/character budget is set."""
    max_words: int | None = None
    max_chars: int | None = None
    method: str = "default"
    order: Literal["doc", "score"] = "doc"
    redundancy: float = 0.6
    """Drop a candidate whose content-term overlap coefficient with a chosen key point exceeds this (0-1].
    0.6 was the best of 0.5/0.6/0.7/1.0 for ``lead`` on validation and on the Daily Mail dev slice
    (scripts/lead_check.py, 2026-11-28), and again for ``gbdt`` against 0.5/0.7/0.8/1.0 and trigram blocking
    (docs/research/learned-scorer-experiments.md); re-check after changing the features or the cleaner."""
    repair: bool = True
    """Repair dangling pronouns/connectives and unbalanced quotes instead of only warning about them."""
    references: tuple[str, ...] = ()
    """Reference highlights, needed only by the ``oracle`` method."""
    model: str | None = None
    """A model file from ``nutgraf train`` for the learned method; None means the model nutgraf ships."""
    explain: bool = False
    """Attach each key point's top feature contributions (learned method only)."""
    compress: bool = False
    """Delete from each key point the units (attribution tails, relative and appositive clauses,
    parentheticals, leading time phrases) that editors delete; never adds a word."""
    max_words_per_point: int | None = None
    """Delete further units, most deletable first, while a key point is longer than this (never a word
    outside a unit: a key point with nothing left to delete stays longer)."""

    @property
    def effective_k(self) -> int:
        if self.k is not None:
            return self.k
        return MAX_K if (self.max_words or self.max_chars) else DEFAULT_K

    def __post_init__(self) -> None:
        if self.k is not None and not 1 <= self.k <= MAX_K:
            raise ValueError(f"k must be between 1 and {MAX_K}, got {self.k}")
        for name in ("max_words", "max_chars"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{name.replace('_', '-')} must be a positive number, got {value}")
        if not isinstance(self.compress, bool):
            raise ValueError(f"compress must be true or false, got {self.compress!r}")
        mwp = self.max_words_per_point
        if mwp is not None and (isinstance(mwp, bool) or not isinstance(mwp, int)):
            raise ValueError(f"max-words-per-point must be a whole number, got {mwp!r}")
        if self.max_words_per_point is not None and self.max_words_per_point < 1:
            raise ValueError(f"max-words-per-point must be a positive number, got {self.max_words_per_point}")
        if self.order not in ("doc", "score"):
            raise ValueError(f"order must be 'doc' or 'score', got {self.order!r}")
        if not 0.0 < self.redundancy <= 1.0:
            raise ValueError(f"redundancy must be in (0, 1], got {self.redundancy}")


class Segmenter(Protocol):
    """Splits the body regions of an article into sentences with exact offsets."""

    def __call__(self, text: str, regions: Sequence[Span] | None = None) -> tuple[Sentence, ...]: ...


class Scorer(Protocol):
    """Gives every sentence of a document a score; higher means more worth a key point."""

    name: str

    def __call__(self, doc: Document, feats: SentenceFeatures, options: Options) -> tuple[float, ...]: ...


class NutgrafError(Exception):
    """Base class of nutgraf's own errors; the message is meant for the person running nutgraf."""


class InputRejected(NutgrafError):
    """Raised by the convenience API when a document cannot be summarized; carries the ``Rejection``."""

    def __init__(self, rejection: Rejection) -> None:
        super().__init__(rejection.message)
        self.rejection = rejection

    @property
    def reason(self) -> RejectReason:
        return self.rejection.reason


class UnknownName(NutgrafError, ValueError):
    """A method, scorer or format name that is not registered; the message lists the valid ones."""
