"""Languages: the word lists, cue words and abbreviations of each language, one module per language behind one
lookup. English (``lang/en.py``) is the first entry; a second language is ``lang/<code>.py`` defining a
``Language`` and one line in ``LANGUAGES``.

    >>> from nutgraf.lang import language
    >>> "the" in language("en").stopwords
    True

The stages read a language's fields (``features`` its stopwords, ``segment`` its abbreviations, ``compress``
its word lists, ...); this package sits at the bottom beside ``contracts`` and imports nothing of nutgraf's
but ``errors``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nutgraf.errors import UnknownName
from nutgraf.lang.base import Compression, Language, Openers, Phrases, Segmentation, Words
from nutgraf.lang.en import ENGLISH

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Compression",
    "Language",
    "Openers",
    "Phrases",
    "Segmentation",
    "Words",
    "alternation",
    "language",
]

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (ENGLISH,)}
"""Every language nutgraf knows, by code."""

DEFAULT_LANGUAGE = "en"


def language(code: str) -> Language:
    """The language registered under ``code`` (``"en"``); ``UnknownName`` lists the codes there are."""
    found = LANGUAGES.get(code.strip().lower())
    if found is None:
        raise UnknownName(f"Unknown language {code!r}. Available: {', '.join(sorted(LANGUAGES))}")
    return found


def alternation(phrases: Iterable[str]) -> str:
    """The phrases as the branches of a regular expression, in order, the words of a phrase joined by ``\\s+``
    (``("As a rule", "Often")`` -> ``As\\s+a\\s+rule|Often``): how a stage builds a pattern from a word list."""
    return "|".join(r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in phrases)
