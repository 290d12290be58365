"""The library entry points: an ``Article`` in, a ``Summary`` (or a ``Rejection``) out.

ingest → clean → segment → features → score → select → render. The shells (CLI, service, batch) only parse,
call these functions and serialize.
"""

from __future__ import annotations

import re
from dataclasses import replace

from nutgraf._version import __version__
from nutgraf.clean import clean
from nutgraf.compress import THRESHOLD as COMPRESS_THRESHOLD
from nutgraf.compress import compress_highlights
from nutgraf.contracts import (
    Article,
    Document,
    InputRejected,
    Notice,
    Options,
    Rejection,
    Result,
    Summary,
)
from nutgraf.features import english_share, sentence_features
from nutgraf.registry import get_scorer, resolve
from nutgraf.segment import segment
from nutgraf.select import MAX_WORDS, usable
from nutgraf.select import select as select_highlights

_SENTENCE_END = re.compile(r"[.!?…。！？]")

# Below this share of common English function words (over at least 40 words) a text is flagged as probably
# not English. English news prose sits at 0.35-0.5, French/German/Spanish news below 0.08 (measured on the
# shared data and on hand-made samples in tests/test_pipeline.py).
ENGLISH_SHARE_FLOOR = 0.12


def summarize_article(article: Article, options: Options | None = None) -> Result:
    """Key points for one article, or a ``Rejection`` saying why there are none. Never raises for bad input
    (only for a programming error such as an unknown method name, which ``Options``/``resolve`` report)."""
    options = options or Options()
    alias, scorer_name = resolve(options.method)
    scorer = get_scorer(scorer_name)
    if scorer.needs_references and not options.references:
        refs = tuple(h for h in article.metadata.get("highlights", "").split("\n") if h.strip())
        if not refs:
            return Rejection(
                article.id,
                "no_references",
                f"the {alias} method needs reference highlights "
                "('highlights' in the record, or --references)",
            )
        options = replace(options, references=refs)
    model_id = prepare(options)
    try:
        return _run(article, options, alias, scorer_name, model_id)
    except Exception as exc:  # a bug must cost one record, never the batch
        return Rejection(
            article.id,
            "internal",
            f"internal error ({type(exc).__name__}: {exc}); please report it with this input",
        )


def prepare(options: Options) -> str | None:
    """Check, once, what the options need before any document is read: a learned method's model file loads
    (``ModelError`` otherwise), and ``explain`` is asked only of a method that can explain. Returns the
    model's id, or None for methods without a model."""
    alias, scorer_name = resolve(options.method)
    scorer = get_scorer(scorer_name)
    if options.explain and not hasattr(scorer, "explain"):
        raise ValueError(f"--explain needs the learned method (gbdt); {alias} has no features to explain")
    if options.compress or options.max_words_per_point:
        from nutgraf.compress import model_id as compressor_id

        compressor_id()  # a missing or damaged compressor model fails here, once
    prepare_scorer = getattr(scorer, "prepare", None)
    return prepare_scorer(options) if prepare_scorer is not None else None


def _run(article: Article, options: Options, alias: str, scorer_name: str, model_id: str | None) -> Result:
    cleaned = clean(article)
    sentences = segment(article.text, cleaned.regions)
    doc = Document(article=article, sentences=sentences, furniture=cleaned.furniture)
    feats = sentence_features(doc)
    if not usable(feats) or not any(_SENTENCE_END.search(s.text) for s in sentences):
        return _no_sentences(article, doc, feats.word_counts)
    notices: list[Notice] = []
    share, seen = english_share(s.text for s in sentences)
    if seen >= 40 and share < ENGLISH_SHARE_FLOOR:
        notices.append(
            Notice(
                "language",
                "the text does not look like English; nutgraf's cleaning, segmentation and checks are built "
                "for English news, so these key points may be poor",
            )
        )
    scorer = get_scorer(scorer_name)
    scores = scorer(doc, feats, options)
    highlights, selection_notices = select_highlights(doc, feats, scores, options)
    if options.compress or options.max_words_per_point:
        threshold = COMPRESS_THRESHOLD if options.compress else 2.0  # 2.0: cut only to meet the cap
        highlights = compress_highlights(doc, highlights, options.max_words_per_point, threshold)
    if options.explain and highlights:
        # A joined key point is scored by its last sentence (the one the selector picked).
        why = scorer.explain(doc, feats, options, [h.sentences[-1] for h in highlights])  # type: ignore[attr-defined]
        highlights = tuple(replace(h, explanation=e) for h, e in zip(highlights, why, strict=True))
    if not highlights:
        limits = [
            f"{v} {n}" for v, n in ((options.max_words, "words"), (options.max_chars, "characters")) if v
        ]
        shortest = min(feats.word_counts[i] for i in usable(feats))
        return Rejection(
            article.id,
            "budget",
            f"no sentence fits within the budget of {' and '.join(limits)} (sentences are never cut; "
            f"the shortest usable sentence has {shortest} words)",
        )
    notices.extend(selection_notices)
    return Summary(
        article_id=article.id,
        highlights=highlights,
        method=alias,
        scorer=scorer_name,
        version=__version__,
        warnings=tuple(notices),
        model=model_id,
    )


def _no_sentences(article: Article, doc: Document, word_counts: tuple[int, ...]) -> Rejection:
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
    return Rejection(article.id, "no_sentences", message)


def summarize(
    text: str,
    *,
    title: str | None = None,
    k: int | None = None,
    max_words: int | None = None,
    max_chars: int | None = None,
    method: str = "default",
    order: str = "doc",
    repair: bool = True,
    references: tuple[str, ...] = (),
    article_id: str = "document",
) -> Summary:
    """Key points of one article given as a string. Raises ``InputRejected`` (with ``.reason``) when the
    text cannot be summarized, and ``ValueError`` for invalid options."""
    from nutgraf.ingest import from_text

    options = Options(
        k=k,
        max_words=max_words,
        max_chars=max_chars,
        method=method,
        order=order,  # type: ignore[arg-type]  # validated by Options
        repair=repair,
        references=references,
    )
    article = from_text(text, article_id, title=title)
    if isinstance(article, Rejection):
        raise InputRejected(article)
    result = summarize_article(article, options)
    if isinstance(result, Rejection):
        raise InputRejected(result)
    return result
