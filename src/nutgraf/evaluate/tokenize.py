"""Which tokenizer ROUGE uses for a row: ``rouge-score``'s own for English, a Unicode-aware one elsewhere.

``rouge-score``'s default tokenizer lower-cases, replaces every character outside ``[a-z0-9]`` with a space
and stems with Porter's English stemmer: "Trên" becomes "tr n", and a Chinese text has no token at all. So a
row in another language (its record's ``language``, else what ``nutgraf.lang.detect`` says) is tokenized by
``UnicodeTokenizer``: lower-cased words of letters and digits in any script (NFKC-normalised), no stemming
(no stemmer is right for every language), and every letter of a script written without spaces (Chinese,
Japanese kana, Thai, Lao, Khmer, Myanmar) a token of its own, as the CJK ROUGE evaluations do. English rows
keep ``rouge-score``'s tokenizer and stemmer exactly (the calibration test holds them to it).
"""

from __future__ import annotations

from nutgraf.evaluate.rows import EvalRow
from nutgraf.lang import declared_language
from nutgraf.score import UnicodeTokenizer as UnicodeTokenizer  # re-exported: the report names it

ENGLISH_TOKENIZER = "rouge-score default (a-z0-9, Porter stemmer)"
UNICODE_TOKENIZER = "nutgraf Unicode words (any script, NFKC, lower-cased, no stemmer; CJK/Thai by letter)"


def row_language(row: EvalRow) -> str | None:
    """The row's language: its record's ``language`` (or ``lang``) when that is an ISO 639-1 code, else the
    detector's."""
    declared = declared_language(row.article.metadata)
    if declared is not None:
        return declared
    from nutgraf.lang.detect import detect

    return detect(row.article.text).code


def is_english(code: str | None) -> bool:
    """Rows of unknown language are scored as English (``rouge-score``'s way), as before languages existed."""
    return code is None or code == "en"
