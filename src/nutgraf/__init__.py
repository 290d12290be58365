"""nutgraf: key points for news articles, taken from the article's own words, with spans into the input.

    >>> import nutgraf
    >>> summarize = nutgraf.Summarizer(k=3)                 # options checked and models loaded once
    >>> result = summarize(nutgraf.Article("id-1", text))   # a Summary, or a Rejection with a reason
    >>> [h.text for h in result.highlights]

``nutgraf.summarize(text, k=3)`` is the one-call form (it raises ``nutgraf.InputRejected`` for unusable
input). New scorers plug in with ``nutgraf.register_scorer`` (subclass ``nutgraf.BaseScorer``).
"""

from nutgraf._version import __version__
from nutgraf.contracts import (
    OPTION_SPECS,
    Article,
    Compressor,
    Contribution,
    Document,
    Highlight,
    Notice,
    Options,
    Rejection,
    Result,
    Scorer,
    Segmenter,
    Sentence,
    SentenceFeatures,
    Summary,
)
from nutgraf.errors import (
    InputRejected,
    MissingExtra,
    ModelError,
    NutgrafError,
    OptionError,
    UnknownName,
    UsageError,
)
from nutgraf.pipeline import summarize, summarize_article
from nutgraf.registry import method_names, register_compressor, register_scorer, register_segmenter
from nutgraf.score import BaseScorer
from nutgraf.summarizer import Summarizer

__all__ = [
    "OPTION_SPECS",
    "Article",
    "BaseScorer",
    "Compressor",
    "Contribution",
    "Document",
    "Highlight",
    "InputRejected",
    "MissingExtra",
    "ModelError",
    "Notice",
    "NutgrafError",
    "OptionError",
    "Options",
    "Rejection",
    "Result",
    "Scorer",
    "Segmenter",
    "Sentence",
    "SentenceFeatures",
    "Summarizer",
    "Summary",
    "UnknownName",
    "UsageError",
    "__version__",
    "method_names",
    "register_compressor",
    "register_scorer",
    "register_segmenter",
    "summarize",
    "summarize_article",
]
