"""nutgraf: key points for news articles, taken from the article's own words, with spans into the input.

    >>> import nutgraf
    >>> summary = nutgraf.summarize(text)          # raises nutgraf.InputRejected for unusable input
    >>> [h.text for h in summary.highlights]

``summarize_article`` is the batch-friendly form: it returns a ``Rejection`` instead of raising.
"""

from nutgraf._version import __version__
from nutgraf.contracts import (
    Article,
    Highlight,
    InputRejected,
    Notice,
    NutgrafError,
    Options,
    Rejection,
    Sentence,
    Summary,
    UnknownName,
)
from nutgraf.pipeline import summarize, summarize_article
from nutgraf.registry import method_names

__all__ = [
    "Article",
    "Highlight",
    "InputRejected",
    "Notice",
    "NutgrafError",
    "Options",
    "Rejection",
    "Sentence",
    "Summary",
    "UnknownName",
    "__version__",
    "method_names",
    "summarize",
    "summarize_article",
]
