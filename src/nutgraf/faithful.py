"""Faithfulness checks on a key point: does it stand on its own where it is placed?

A key point that opens with "He said", "But" or "The 39-year-old" leans on a sentence the reader of the
key-points box may never see; one with an unbalanced quotation mark misquotes. These checks are pure
functions over sentence text so the selector can repair what they find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nutgraf.lang import alternation, language

# The opening words that lean on an earlier sentence are English's (``nutgraf.lang.en``); the patterns that
# find them at a sentence's start (after any opening quotation mark or bracket) are built from them here.
_OPENERS = language("en").openers

# Personal and demonstrative pronouns whose referent must come from an earlier sentence. "This"/"That" only
# count when they stand alone as a subject ("This is", "That was"), not as determiners ("This year").
_PRONOUN = re.compile(
    rf"""^[\s"“'‘(]*(?:
        (?:{alternation(_OPENERS.pronouns)})\b(?!-)
      | (?:{alternation(_OPENERS.demonstratives)})\s+(?:{alternation(_OPENERS.demonstrative_verbs)})\b
    )""",
    re.VERBOSE,
)

# Discourse connectives that point back to a contrast or a cause in the sentence before.
_CONNECTIVE = re.compile(
    rf"""^[\s"“'‘(]*(?:
        {alternation(_OPENERS.connectives)}
    )\b(?!-)""",
    re.VERBOSE,
)

# Epithets that re-name someone introduced earlier: "The 39-year-old", "The pair", "The former champion".
_EPITHET = re.compile(
    rf"""^[\s"“'‘(]*{alternation([_OPENERS.epithet_article])}\s+(?:
        \d+-year-old
      | (?:{alternation(_OPENERS.epithet_nouns)})\b
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Issue:
    code: str
    """``dangling_pronoun``, ``dangling_connective``, ``dangling_epithet`` or ``unbalanced_quotes``."""
    detail: str


def opener_issue(text: str) -> Issue | None:
    """The dependency a sentence's opening words have on the sentence before it, if any."""
    m = _CONNECTIVE.match(text)
    if m:
        return Issue("dangling_connective", m.group(0).strip(" \"“'‘("))
    m = _PRONOUN.match(text)
    if m:
        return Issue("dangling_pronoun", m.group(0).strip(" \"“'‘("))
    m = _EPITHET.match(text)
    if m:
        return Issue("dangling_epithet", m.group(0).strip(" \"“'‘("))
    return None


def quote_issue(text: str) -> Issue | None:
    """Unbalanced double quotation marks (straight or curly). Single quotes are left alone: in news they
    are as often apostrophes as quotation marks."""
    straight = text.count('"')
    opening, closing = text.count("“"), text.count("”")
    ptb_open, ptb_close = text.count("``"), text.count("''")  # PTB-tokenized text
    if straight % 2 or opening != closing or ptb_open != ptb_close:
        return Issue("unbalanced_quotes", "unbalanced quotation marks")
    return None
