"""The one object every front end builds: ``Summarizer(options)``, then ``summarizer(article) -> Result``.

ingest → clean → segment → features → score → select → compress → render. The constructor resolves the
method once, checks the options against what its scorer can do (``model``, ``explain``) and loads the models
they need (scorer model, compressor and parser), so a bad option or a damaged model fails before any
document is read. A call keeps no state and never raises for bad input: a document that cannot be
summarized comes back as a ``Rejection`` with a machine-readable ``reason``, and a bug in nutgraf costs one
record (``reason: internal``), never a batch.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from nutgraf import contracts
from nutgraf._version import __version__
from nutgraf.clean import clean
from nutgraf.contracts import (
    Article,
    CleanArticle,
    Document,
    Highlight,
    Notice,
    Options,
    Rejection,
    Result,
    Sentence,
    SentenceFeatures,
    Summary,
)
from nutgraf.errors import Cancelled, OptionError
from nutgraf.features import sentence_features
from nutgraf.ingest.text import text_problem
from nutgraf.lang import ISO_639_1, LANGUAGES, declared_language, language_name
from nutgraf.lang.detect import detect
from nutgraf.registry import get_compressor, get_scorer, get_segmenter, resolve
from nutgraf.select import MAX_WORDS, usable
from nutgraf.select import select as select_highlights

_log = logging.getLogger("nutgraf")

_CANCEL = threading.local()


@contextmanager
def cancellable(event: threading.Event) -> Iterator[None]:
    """Within this block, in this thread, every Summarizer call stops with ``Cancelled`` at its next stage
    once ``event`` is set: whoever gave up waiting (the service, on its time limit) also stops the work."""
    previous = getattr(_CANCEL, "event", None)
    _CANCEL.event = event
    try:
        yield
    finally:
        _CANCEL.event = previous


def _checkpoint() -> None:
    event = getattr(_CANCEL, "event", None)
    if event is not None and event.is_set():
        raise Cancelled("abandoned: the caller stopped waiting for this result")


_SENTENCE_END = re.compile(r"[.!?…。！？．।۔؟።፧။։;]")
"""Sentence-ending marks of every script nutgraf segments (a text with none has no sentence to take)."""

ENGLISH_SHARE_FLOOR = 0.12
"""Kept for code that imports it: the language check is now ``nutgraf.lang.detect`` (CLD2)."""

COMPRESS_CAP_ONLY = 2.0
"""The compressor's threshold when only ``max_words_per_point`` asks for cuts: above any probability, so
units go only to meet the cap."""


@dataclass(frozen=True, slots=True)
class _Plan:
    """What the constructor resolved, once: the parts and their ids."""

    alias: str
    segmenter: contracts.Segmenter
    scorer: contracts.Scorer
    model_id: str | None
    compressor: contracts.Compressor | None
    compressor_id: str | None


class Summarizer:
    """Key points with the same options for many articles. Safe to share across threads."""

    def __init__(self, options: Options | None = None, **overrides: Any) -> None:
        """``Summarizer(Options(k=2))`` or ``Summarizer(k=2, method="lead")``. Raises ``OptionError`` (or
        ``UnknownName``, ``ModelError``, ``MissingExtra``; all ``UsageError``) for options that cannot work."""
        base = options if options is not None else Options()
        self.options: Options = replace(base, **overrides) if overrides else base
        language = self.options.language
        if language is not None and language not in ISO_639_1:
            raise OptionError(
                f"language must be an ISO 639-1 code (en, de, id, vi, zh, ...), got {language!r}"
            )
        self._plan = _plan(self.options)

    @property
    def method(self) -> str:
        """The user-facing method name (``gbdt`` for ``default``)."""
        return self._plan.alias

    @property
    def scorer_name(self) -> str:
        return self._plan.scorer.name

    @property
    def model_id(self) -> str | None:
        """``name@sha256-prefix`` of the scorer's model (learned methods), else None."""
        return self._plan.model_id

    @property
    def compressor_id(self) -> str | None:
        return self._plan.compressor_id

    @property
    def identity(self) -> str:
        """Everything an output depends on besides the input and the options: nutgraf's version, the
        scorer, its model and the compressor. A resumed job must see the same identity."""
        parts = [__version__, self.scorer_name, self.model_id or "-", self.compressor_id or "-"]
        if self.model_id and self.options.model is None:  # the languages' own models score their documents
            for code in LANGUAGES:
                if code != "en" and LANGUAGES[code].model:
                    parts.append(f"{code}:{self._plan.scorer.model_id_for(code, self.options)}")
        return " ".join(parts)

    def __call__(self, article: Article | Rejection) -> Result:
        """Key points for one article, or a ``Rejection`` saying why there are none (a ``Rejection`` given
        is passed through, so a shell can hand every record of an input to the summarizer)."""
        if isinstance(article, Rejection):
            return article
        if not isinstance(article, Article) or not isinstance(article.text, str):
            got = type(article.text if isinstance(article, Article) else article).__name__
            raise TypeError(
                f"a Summarizer takes an Article (nutgraf.Article(id, text)) whose text is a str; got {got} "
                "(for a plain string, call nutgraf.summarize(text))"
            )
        problem = text_problem(article.text, article.id)  # a hand-built Article gets ingest's checks too
        if problem is not None:
            return problem
        options = self.options
        if self._plan.scorer.needs_references and not options.references:
            if not article.references:
                return Rejection(
                    article.id,
                    "no_references",
                    f"the {self.method} method needs reference highlights "
                    "('highlights' in the record, or --references)",
                )
            options = replace(options, references=article.references)
        try:
            return self._run(article, options)
        except Cancelled:
            raise  # not a bug: the caller abandoned the work (``cancellable``)
        except Exception as exc:  # a bug must cost one record, never the batch; its traceback goes to the log
            _log.exception(
                "a bug in nutgraf while summarizing %r; please report it with this input", article.id
            )
            return bug_rejection(article.id, exc)

    def _run(self, article: Article, options: Options) -> Result:
        _checkpoint()  # between stages: abandoned work stops at the next one (``cancellable``)
        code, language_notices = _language(article, options)
        cleaned = clean(article, code)
        _checkpoint()
        doc, feats = self._segmented(cleaned, code)
        if not _takes_key_points(doc, feats) and any(f.kind == "web" for f in cleaned.furniture):
            # The web-furniture detector took every sentence a key point may be: its guess gives way.
            kept = tuple(f for f in cleaned.furniture if f.kind != "web")
            doc, feats = self._segmented(replace(cleaned, furniture=kept), code)
        if not usable(feats) and code not in (None, "en"):
            # Outside English a text may be one run of captions or a sentence longer than a key point may be:
            # its clauses, as spans of the text, are the candidates then (English texts keep their error).
            doc = replace(doc, sentences=_clauses(doc.sentences, feats.word_counts))
            feats = sentence_features(doc)
        if not _takes_key_points(doc, feats):
            return _no_sentences(doc, feats.word_counts)
        _checkpoint()
        scores = self._plan.scorer(doc, feats, options)
        _checkpoint()
        preferred = self._plan.scorer.choose(doc, feats, scores, options)
        highlights, selection_notices = select_highlights(doc, feats, scores, options, preferred)
        if self._plan.compressor is not None:
            _checkpoint()
            highlights = self._plan.compressor(doc, highlights, options)
        if options.explain and highlights:
            highlights = self._explain(doc, feats, options, highlights)
        if not highlights:
            return _over_budget(article, options, feats)
        return Summary(
            article_id=article.id,
            highlights=highlights,
            method=self.method,
            scorer=self.scorer_name,
            version=__version__,
            warnings=(*language_notices, *selection_notices),
            model=self._plan.scorer.model_id_for(code, options) if self.model_id else None,
            language=code,
        )

    def _segmented(self, cleaned: CleanArticle, code: str | None) -> tuple[Document, SentenceFeatures]:
        article = cleaned.article
        sentences = self._plan.segmenter(article.text, cleaned.regions, language=code)
        doc = Document(article=article, sentences=sentences, furniture=cleaned.furniture, language=code)
        _checkpoint()
        return doc, sentence_features(doc)

    def _explain(
        self, doc: Document, feats: SentenceFeatures, options: Options, highlights: tuple[Highlight, ...]
    ) -> tuple[Highlight, ...]:
        # A joined key point is scored by its last sentence (the one the selector picked).
        why = self._plan.scorer.explain(doc, feats, options, [h.sentences[-1] for h in highlights])
        return tuple(replace(h, explanation=e) for h, e in zip(highlights, why, strict=True))


def bug_rejection(article_id: str, exc: BaseException) -> Rejection:
    """The ``internal`` rejection of a record that hit a bug in nutgraf: it costs that record, never a job."""
    message = f"internal error ({type(exc).__name__}: {exc}); please report it with this input"
    return Rejection(article_id, "internal", message)


def _plan(options: Options) -> _Plan:
    alias, versioned = resolve(options.method)
    scorer = get_scorer(versioned)
    if options.model is not None and not scorer.uses_model:
        raise OptionError(f"--model only applies to the learned method (gbdt); {alias} would ignore it")
    if options.explain and not scorer.can_explain:
        raise OptionError(f"--explain needs the learned method (gbdt); {alias} has no features to explain")
    model_id = scorer.prepare(options)
    compressor = get_compressor() if options.compresses else None
    compressor_id = compressor.prepare() if compressor is not None else None
    return _Plan(alias, get_segmenter(), scorer, model_id, compressor, compressor_id)


def _takes_key_points(doc: Document, feats: SentenceFeatures) -> bool:
    """Whether a document has a sentence a key point may be, and sentence punctuation somewhere."""
    return bool(usable(feats)) and any(_SENTENCE_END.search(s.text) for s in doc.sentences)


_CLAUSE_END = re.compile(r"[,;:،、，；：](?=\s)|\s[-–—](?=\s)")


def _clauses(sentences: tuple[Sentence, ...], word_counts: tuple[int, ...]) -> tuple[Sentence, ...]:
    """Every sentence longer than a key point may be (``MAX_WORDS``) cut into runs of whole clauses (ended by
    a comma, semicolon, colon or a spaced dash) of at most that length: still spans of the text."""
    out: list[Sentence] = []
    for s, words in zip(sentences, word_counts, strict=True):
        if words <= MAX_WORDS:
            out.append(replace(s, index=len(out)))
            continue
        cuts = [m.end() for m in _CLAUSE_END.finditer(s.text)] + [len(s.text)]
        start = 0
        last = 0
        for cut in cuts:
            if len(s.text[start:cut].split()) > MAX_WORDS and last > start:
                out.append(_piece(s, start, last, len(out)))
                start = last
            last = cut
        out.append(_piece(s, start, len(s.text), len(out)))
    return tuple(p for p in out if p.text)


def _piece(s: Sentence, a: int, b: int, index: int) -> Sentence:
    """``s.text[a:b]`` trimmed, as a sentence of the article."""
    raw = s.text[a:b]
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip()
    return Sentence(text, s.start + a + lead, s.start + a + lead + len(text), s.paragraph, index)


def _language(article: Article, options: Options) -> tuple[str | None, tuple[Notice, ...]]:
    """The article's language (``Options.language``, else its record's ``language`` or ``lang`` field, else
    detected) and what to tell the reader about it."""
    text = article.text
    second: str | None = None
    given = options.language or declared_language(article.metadata)
    if given is not None:
        code = given
    else:
        found = detect(text)
        if found.code is None:
            why = (
                "nutgraf could not tell which language this text is in (too little prose?); English rules were "
                'used (choose with --lang or "lang")'
            )
            return None, (Notice("language", why),)
        code, second = found.code, found.second
    name = language_name(code)
    notices: list[Notice] = []
    if second is not None:
        notices.append(
            Notice("language", f"the text mixes {name} and {language_name(second)}; {name} rules were used")
        )
    if code not in LANGUAGES:
        notices.append(
            Notice(
                "language",
                f"the text is in {name} ({code}), which nutgraf has no rules for: English rules were used, so "
                "these key points may be poor",
            )
        )
    elif not LANGUAGES[code].learned:
        notices.append(
            Notice(
                "language",
                f"the text is in {name}: nutgraf segments it by {name} rules but picks key points with what it "
                "learned from English news, so they may be poor",
            )
        )
    return code, tuple(notices)


def _over_budget(article: Article, options: Options, feats: SentenceFeatures) -> Rejection:
    limits = [f"{v} {n}" for v, n in ((options.max_words, "words"), (options.max_chars, "characters")) if v]
    shortest = min(feats.word_counts[i] for i in usable(feats))
    return Rejection(
        article.id,
        "budget",
        f"no sentence fits within the budget of {' and '.join(limits)} (sentences are never cut; "
        f"the shortest usable sentence has {shortest} words)",
    )


def _no_sentences(doc: Document, word_counts: tuple[int, ...]) -> Rejection:
    body = " ".join(s.text for s in doc.sentences)
    if not _SENTENCE_END.search(body):
        message = (
            "no sentence punctuation (. ! ?) found; nutgraf needs running prose, not a list of words or "
            "headlines"
        )
    elif word_counts and max(word_counts) > MAX_WORDS:
        message = (
            f"no usable sentence: the text is one run of {max(word_counts):,} words without sentence breaks "
            f"(a key point must be a sentence of at most {MAX_WORDS} words)"
        )
    else:
        message = (
            "no usable sentence: the text is too short (a key point needs a sentence of 5 words or more)"
        )
    return Rejection(doc.article.id, "no_sentences", message)
