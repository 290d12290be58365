"""The library's function entry points, over ``Summarizer``: an ``Article`` in, a ``Summary`` (or a
``Rejection``) out.

``summarize_article`` and ``prepare`` are kept for code written before ``Summarizer``; new code builds one
``nutgraf.Summarizer(options)`` and calls it per article.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Literal

from nutgraf.contracts import OPTION_SPECS, Article, InputRejected, Options, Rejection, Result, Summary
from nutgraf.errors import OptionError
from nutgraf.summarizer import ENGLISH_SHARE_FLOOR as ENGLISH_SHARE_FLOOR
from nutgraf.summarizer import Summarizer

_DEFAULTS = Options()


def summarizer_for(options: Options) -> Summarizer:
    """One ``Summarizer`` per distinct options (they are frozen and hashable) and model file version, built
    on first use: a model file retrained in place is read again, as ``Summarizer`` reads it once."""
    return _cached(options, _stamp(options.model))


@lru_cache(maxsize=32)
def _cached(options: Options, stamp: tuple[int, int] | None) -> Summarizer:
    return Summarizer(options)


def _stamp(path: str | None) -> tuple[int, int] | None:
    if path is None:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None  # the Summarizer reports a missing model file in words
    return st.st_mtime_ns, st.st_size


def summarize_article(article: Article, options: Options | None = None) -> Result:
    """Key points for one article, or a ``Rejection`` saying why there are none. Never raises for bad input
    (only ``UsageError`` for options that cannot work, such as an unknown method)."""
    return summarizer_for(options or Options())(article)


def prepare(options: Options) -> str | None:
    """Check, once, what the options need before any document is read (``UsageError`` otherwise); return
    the scorer model's id, or None for methods without a model."""
    return summarizer_for(options).model_id


def compile_trees(options: Options) -> bool:
    """Move the learned model that ``options`` name (the bundled one by default) to the compiled trees now
    (``trees.Predictor.compile``), where the policy allows: for a service at start, or a speed measurement
    before its clock starts, which would otherwise pay the kernel's load at the 256th article. Whether the
    model now predicts with the kernel (False for a method without a model)."""
    from nutgraf.learned.model import load_model
    from nutgraf.registry import get_scorer

    if not get_scorer(options.method).uses_model:
        return False
    return load_model(options.model).compile()


def summarize(
    text: str,
    *,
    title: str | None = None,
    article_id: str = "document",
    options: Options | None = None,
    k: int | None = None,
    max_words: int | None = None,
    max_chars: int | None = None,
    method: str = "default",
    order: Literal["doc", "score"] = "doc",
    redundancy: float = 0.6,
    repair: bool = True,
    references: tuple[str, ...] = (),
    model: str | None = None,
    explain: bool = False,
    compress: bool = False,
    max_words_per_point: int | None = None,
    language: str | None = None,
) -> Summary:
    """Key points of one article given as a string, with any ``Options`` field as a keyword (or a whole
    ``options``). Raises ``InputRejected`` (with ``.reason``) when the text cannot be summarized, and
    ``OptionError`` (a ``ValueError``) for invalid options."""
    from nutgraf.ingest import from_text

    if not isinstance(text, str):
        raise TypeError(f"summarize() takes the article's text as a str; got {type(text).__name__}")
    given = locals()  # every option is a keyword of this function (a test checks it)
    keywords = {spec.name: given[spec.name] for spec in OPTION_SPECS}
    if options is None:
        options = Options(**keywords)
    elif keywords != {spec.name: getattr(_DEFAULTS, spec.name) for spec in OPTION_SPECS}:
        raise OptionError("give either options= or option keywords, not both")
    summarizer = summarizer_for(options)
    article = from_text(text, article_id, title=title)
    result = summarizer(article)
    if isinstance(result, Rejection):
        raise InputRejected(result)
    return result
