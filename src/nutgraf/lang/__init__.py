"""Languages: the word lists, cue words and abbreviations of each language, one place per language behind one
lookup. English (``lang/en.py``) holds every list a stage reads; every other language is one data file,
``lang/data/<code>.toml`` (its name, stopwords, abbreviations, how its words are counted; read by
``lang/files.py`` when the language is first asked for), and falls back to English's lists for the rest.

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
from nutgraf.lang.codes import (
    ISO_639_1,
    NAMES,
    UNSPACED,
    UNSPACED_LETTERS,
    UNSPACED_WORDS_PER_LETTER,
    declared_language,
    rough_word_count,
)
from nutgraf.lang.en import ENGLISH
from nutgraf.lang.files import Languages

__all__ = [
    "DEFAULT_LANGUAGE",
    "ISO_639_1",
    "LANGUAGES",
    "UNSPACED",
    "UNSPACED_LETTERS",
    "UNSPACED_WORDS_PER_LETTER",
    "Compression",
    "Language",
    "Openers",
    "Phrases",
    "Segmentation",
    "Words",
    "alternation",
    "declared_language",
    "language",
    "language_name",
    "rough_word_count",
]

LANGUAGES = Languages(ENGLISH)
"""Every language nutgraf has rules for, by ISO 639-1 code (a read-only mapping; each data file is read when
its language is first asked for)."""

DEFAULT_LANGUAGE = "en"


def language(code: str) -> Language:
    """The language registered under ``code`` (``"en"``); ``UnknownName`` lists the codes there are."""
    found = LANGUAGES.get(code.strip().lower())
    if found is None:
        raise UnknownName(f"Unknown language {code!r}. Available: {', '.join(sorted(LANGUAGES))}")
    return found


def language_name(code: str) -> str:
    """The English name of a language (``"de"`` -> ``"German"``), or its code when nutgraf does not know it."""
    known = LANGUAGES.get(code)
    return known.name if known is not None else NAMES.get(code, code)


def alternation(phrases: Iterable[str]) -> str:
    """The phrases as the branches of a regular expression, in order, the words of a phrase joined by ``\\s+``
    (``("As a rule", "Often")`` -> ``As\\s+a\\s+rule|Often``): how a stage builds a pattern from a word list."""
    return "|".join(r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in phrases)
