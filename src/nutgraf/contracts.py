"""The data that flows between nutgraf's pipeline stages, and the stages' protocols.

Every stage imports this module; it imports nothing of nutgraf's but ``errors`` (the bottom layer it shares
with this module). All records are frozen so that one
instance of any stage can be shared across threads and processes, and every piece of text carries its
character offsets into ``Article.text`` (the exact input, or the text extracted from HTML).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, Protocol

from nutgraf.errors import InputRejected as InputRejected  # re-exported for code that imports them from here
from nutgraf.errors import NutgrafError as NutgrafError
from nutgraf.errors import OptionError
from nutgraf.errors import UnknownName as UnknownName

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
class PageHints:
    """What a web page's HTML said before its text was extracted: the page's own metadata, and the text of
    the elements that hold furniture rather than the article. Read by the web furniture detector
    (``nutgraf.webfurniture``) to recognise the same strings among the extracted lines. All text is white
    space folded; each ``*_text`` is the elements' texts joined by newlines (one element per line)."""

    description: str = ""
    """The page's description (``og:description``, ``<meta name=description>``): often the standfirst."""
    names: tuple[str, ...] = ()
    """The author(s), the site's name, tags and categories."""
    date: str = ""
    """The publication date (``YYYY-MM-DD``)."""
    heading_text: str = ""
    """``<h1>``-``<h6>`` and ``<header>`` elements, and elements whose class names a headline, subtitle or
    standfirst (``subtitle``, ``standfirst``, ``dek``, ``subhead``)."""
    aside_text: str = ""
    """``<aside>``, ``<nav>``, ``<footer>``, ``<figcaption>`` elements, and elements whose class names a
    caption, related stories, sharing, a newsletter or a promo."""
    byline_text: str = ""
    """``<time>`` elements, and elements whose class names a byline, author, date or tags."""


@dataclass(frozen=True, slots=True)
class Article:
    """One input document. ``text`` is what every span points into."""

    id: str
    text: str
    title: str | None = None
    metadata: Mapping[str, str] = field(default_factory=_frozen_mapping)
    references: tuple[str, ...] = ()
    """Reference highlights (a JSON Lines record's ``highlights``), for the oracle method and evaluation."""
    page: PageHints | None = None
    """For text extracted from an HTML page: what the HTML said about its furniture."""


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
    language: str | None = None
    """The article's language (ISO 639-1), whose rules count words and segment; None: English's rules."""


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    """What scorers and the selector know about each sentence, aligned with ``Document.sentences``."""

    terms: tuple[frozenset[str], ...]
    """Content terms (no stopwords), for similarity and redundancy."""
    word_counts: tuple[int, ...]
    char_counts: tuple[int, ...]
    tokens: tuple[tuple[str, ...], ...] = ()
    """Each sentence's word tokens as written (``features.words`` without lower-casing), when the text was
    tokenized once for every reader (English); empty otherwise, and readers tokenize for themselves."""
    lowered: tuple[tuple[str, ...], ...] = ()
    """``tokens``, each lower-cased (empty with it)."""


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
    language: str | None = None
    """The article's language (ISO 639-1), as given in ``Options.language`` or detected; None: unknown."""


@dataclass(frozen=True, slots=True)
class Rejection:
    """A document nutgraf could not summarize, with a machine-readable reason and a message for people."""

    article_id: str
    reason: RejectReason
    message: str


Result = Summary | Rejection


DEFAULT_K = 3
MAX_K = 50
MAX_BUDGET = 1_000_000
"""The largest word or character budget accepted (far above any article)."""
MAX_WORDS_PER_POINT = 1000


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """One option of ``Options``: its name, default and limits, defined once for every front end (the
    library validates with it, the CLI builds its flags from it, the service its request schema)."""

    name: str
    kind: Literal["int", "float", "bool", "choice", "str", "strs"]
    help: str
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    """A ``str`` option's shape, as a regular expression the whole value must match."""

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def check(self, value: Any) -> None:
        """Raise ``OptionError`` when ``value`` is not valid for this option (None is valid: unset)."""
        if value is None or self.kind == "str":
            if value is not None and not isinstance(value, str):
                raise OptionError(f"{self.flag[2:]} must be a string, got {value!r}")
            if value is not None and self.pattern is not None and re.fullmatch(self.pattern, value) is None:
                raise OptionError(f"{self.flag[2:]} must match {self.pattern}, got {value!r}")
            return
        label = self.flag[2:]
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise OptionError(f"{label} must be true or false, got {value!r}")
        elif self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise OptionError(f"{label} must be a whole number, got {value!r}")
            self._range(label, value)
        elif self.kind == "float":
            if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
                raise OptionError(f"{label} must be a number, got {value!r}")
            self._range(label, float(value))
        elif self.kind == "choice":
            if value not in self.choices:
                raise OptionError(f"{label} must be one of {', '.join(self.choices)}, got {value!r}")
        elif not isinstance(value, tuple | list) or not all(isinstance(v, str) for v in value):
            raise OptionError(f"{label} must be a list of strings")

    def _range(self, label: str, value: float) -> None:
        low, high = self.minimum, self.maximum
        too_low = low is not None and (value <= low if self.exclusive_minimum else value < low)
        if too_low or (high is not None and value > high):
            if low == 1 and high is not None and high >= MAX_BUDGET:
                raise OptionError(f"{label} must be a positive number up to {high:,.0f}, got {value:g}")
            if low == 1 and high is not None:
                raise OptionError(f"{label} must be between 1 and {high:g}, got {value:g}")
            bracket = "(" if self.exclusive_minimum else "["
            raise OptionError(f"{label} must be in {bracket}{low:g}, {high:g}], got {value:g}")


OPTION_SPECS: tuple[OptionSpec, ...] = (
    OptionSpec(
        "k", "int", "number of key points (default: 3; the learned method chooses 2-4 per article)", 1, MAX_K
    ),
    OptionSpec(
        "max_words", "int", "word budget for all key points together; sentences are never cut", 1, MAX_BUDGET
    ),
    OptionSpec("max_chars", "int", "character budget for all key points together, likewise", 1, MAX_BUDGET),
    OptionSpec("method", "str", "how to score sentences (nutgraf methods lists them; default: default)"),
    OptionSpec(
        "order", "choice", "key points in document order (doc, default) or by score", choices=("doc", "score")
    ),
    OptionSpec(
        "redundancy",
        "float",
        "drop a candidate whose content-term overlap with a chosen key point exceeds this (default 0.6)",
        0.0,
        1.0,
        exclusive_minimum=True,
    ),
    OptionSpec("repair", "bool", "repair dangling openers and unbalanced quotes (default on)"),
    OptionSpec("references", "strs", "reference highlights, for the oracle method"),
    OptionSpec("model", "str", "model file for the learned method (default: the model nutgraf ships)"),
    OptionSpec(
        "explain", "bool", "each key point's score and the features that moved it most (learned method)"
    ),
    OptionSpec(
        "compress",
        "bool",
        "shorten each key point by deleting what editors delete (attribution tails, relative and appositive "
        "clauses, parentheticals, leading time phrases); never adds a word (default off)",
    ),
    OptionSpec(
        "max_words_per_point",
        "int",
        "delete further such units while a key point is longer than N words",
        1,
        MAX_WORDS_PER_POINT,
    ),
    OptionSpec(
        "language",
        "str",
        "the article's language as an ISO 639-1 code (en, id, vi, de, zh, ...); default: detected per article",
        pattern=r"[a-z]{2}",
    ),
)
"""Every field of ``Options``, in its order (a test checks that the two agree)."""

OPTION_SPEC = {spec.name: spec for spec in OPTION_SPECS}


@dataclass(frozen=True, slots=True)
class Options:
    """How to pick key points. Validated once, in ``__post_init__`` against ``OPTION_SPECS``, so every
    front end fails the same way (``OptionError``, a ``ValueError``)."""

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
    """Reference highlights, needed only by the ``oracle`` method (else ``Article.references`` is used)."""
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
    language: str | None = None
    """The article's language (ISO 639-1: ``"en"``, ``"id"``, ``"vi"``); None: detected per article
    (``nutgraf.lang.detect``). It picks the segmentation rules, word lists and model (``nutgraf.lang``)."""

    @property
    def effective_k(self) -> int:
        if self.k is not None:
            return self.k
        return MAX_K if (self.max_words or self.max_chars) else DEFAULT_K

    @property
    def compresses(self) -> bool:
        """Whether the compressor runs: asked for, or needed to meet a per-point cap."""
        return self.compress or self.max_words_per_point is not None

    def __post_init__(self) -> None:
        for spec in OPTION_SPECS:
            spec.check(getattr(self, spec.name))
        if isinstance(self.references, list):
            object.__setattr__(self, "references", tuple(self.references))


# ------------------------------------------------------------------------------------------ protocols


class Segmenter(Protocol):
    """Splits the body regions of an article into sentences with exact offsets. Registered under a
    versioned name (``nutgraf.segmenter.news.v1``)."""

    name: str

    def __call__(
        self, text: str, regions: Sequence[Span] | None = None, language: str | None = None
    ) -> tuple[Sentence, ...]:
        """``language``: the text's ISO 639-1 code, whose rules to use (None: English's)."""
        ...


class Scorer(Protocol):
    """Gives every sentence of a document a score; higher means more worth a key point. Registered under a
    versioned name (``nutgraf.scorer.gbdt.v1``) with ``nutgraf.register_scorer``; ``score.BaseScorer``
    gives the defaults a simple scorer needs. An instance keeps no per-call state."""

    name: str
    needs_references: bool
    """Scores against ``Options.references`` (the oracle): a document without them is rejected."""
    uses_model: bool
    """Reads a model file (``Options.model``); ``model`` given to any other scorer is a usage error."""
    can_explain: bool
    """Implements ``explain`` (``Options.explain``)."""

    def prepare(self, options: Options) -> str | None:
        """Load what ``options`` need, once, before any document (raising ``ModelError`` with a message
        for people); return the loaded model's id, or None."""
        ...

    def model_id_for(self, language: str | None, options: Options) -> str | None:
        """The id of the model that scores a document in ``language`` (a learned scorer may have one model
        per language); None for a scorer without a model."""
        ...

    def __call__(self, doc: Document, feats: SentenceFeatures, options: Options) -> tuple[float, ...]: ...

    def choose(
        self, doc: Document, feats: SentenceFeatures, scores: Sequence[float], options: Options
    ) -> tuple[int, ...] | None:
        """The key points as a set (sentence indexes), when the scorer judges sets as a whole; None leaves
        selection to take the top k by ``scores``."""
        ...

    def explain(
        self, doc: Document, feats: SentenceFeatures, options: Options, indexes: Sequence[int]
    ) -> list[tuple[Contribution, ...]]:
        """The features that moved each sentence's score in ``indexes`` most."""
        ...


class Compressor(Protocol):
    """Deletes words from key points (never adds one); every kept word keeps its span. Registered under a
    versioned name (``nutgraf.compressor.deletion.v2``)."""

    name: str

    def prepare(self) -> str:
        """Load the compressor's model and parser, once (raising ``MissingExtra``/``ModelError``); return
        an id that names both."""
        ...

    def __call__(
        self, doc: Document, highlights: tuple[Highlight, ...], options: Options
    ) -> tuple[Highlight, ...]: ...
