"""nutgraf: key points for news articles, taken from the article's own words, with spans into the input.

    >>> import nutgraf
    >>> summarize = nutgraf.Summarizer(k=3)                 # options checked and models loaded once
    >>> result = summarize(nutgraf.Article("id-1", text))   # a Summary, or a Rejection with a reason
    >>> [h.text for h in result.highlights]

``nutgraf.summarize(text, k=3)`` is the one-call form (it raises ``nutgraf.InputRejected`` for unusable
input). New scorers plug in with ``nutgraf.register_scorer`` (subclass ``nutgraf.BaseScorer``).
"""

from nutgraf._version import __version__
from nutgraf.contracts import OPTION_SPECS as OPTION_SPECS
from nutgraf.contracts import Article as Article
from nutgraf.contracts import Compressor as Compressor
from nutgraf.contracts import Contribution as Contribution
from nutgraf.contracts import Document as Document
from nutgraf.contracts import Highlight as Highlight
from nutgraf.contracts import Notice as Notice
from nutgraf.contracts import Options as Options
from nutgraf.contracts import Rejection as Rejection
from nutgraf.contracts import Result as Result
from nutgraf.contracts import Scorer as Scorer
from nutgraf.contracts import Segmenter as Segmenter
from nutgraf.contracts import Sentence as Sentence
from nutgraf.contracts import SentenceFeatures as SentenceFeatures
from nutgraf.contracts import Summary as Summary
from nutgraf.errors import InputRejected as InputRejected
from nutgraf.errors import MissingExtra as MissingExtra
from nutgraf.errors import ModelError as ModelError
from nutgraf.errors import NutgrafError as NutgrafError
from nutgraf.errors import OptionError as OptionError
from nutgraf.errors import UnknownName as UnknownName
from nutgraf.errors import UsageError as UsageError
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
