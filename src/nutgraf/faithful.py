"""Faithfulness checks on a key point: does it stand on its own where it is placed?

A key point that opens with "He said", "But" or "The 39-year-old" leans on a sentence the reader of the
key-points box may never see; one with an unbalanced quotation mark misquotes. These checks are pure
functions over sentence text so the selector can repair what they find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Personal and demonstrative pronouns whose referent must come from an earlier sentence. "This"/"That" only
# count when they stand alone as a subject ("This is", "That was"), not as determiners ("This year").
_PRONOUN = re.compile(
    r"""^[\s"“'‘(]*(?:
        (?:He|She|They|His|Her|Their|Them|Him|It|Its|We|Our|These|Those)\b(?!-)
      | (?:This|That)\s+(?:is|was|has|had|means|meant|comes|came|will|would|could|should|may|might)\b
    )""",
    re.VERBOSE,
)

# Discourse connectives that point back to a contrast or a cause in the sentence before.
_CONNECTIVE = re.compile(
    r"""^[\s"“'‘(]*(?:
        But|However|And|Also|Yet|Still|So|Meanwhile|Instead|Moreover|Furthermore|Nevertheless|Nonetheless
      | Therefore|Thus|Besides|Otherwise|Then|Likewise|Similarly|Indeed|Consequently|Hence|Plus|Even\s+so
      | In\s+addition|By\s+contrast|In\s+contrast|On\s+the\s+other\s+hand|As\s+a\s+result|Despite\s+this
      | Because\s+of\s+this|After\s+that|Before\s+that|At\s+the\s+same\s+time|In\s+turn|For\s+his\s+part
      | For\s+her\s+part|The\s+same|The\s+latter|The\s+former|Such
    )\b(?!-)""",
    re.VERBOSE,
)

# Epithets that re-name someone introduced earlier: "The 39-year-old", "The pair", "The former champion".
_EPITHET = re.compile(
    r"""^[\s"“'‘(]*The\s+(?:
        \d+-year-old
      | (?:pair|couple|duo|trio|star|singer|actor|actress|player|striker|midfielder|defender|goalkeeper
        |manager|boss|coach|veteran|youngster|teenager|mother|father|mum|dad|former|latter|victim|suspect
        |officer|businessman|businesswoman|billionaire|millionaire|politician|lawmaker|senator|congressman
        |president|minister|chief|company|firm|group|club|side|team|boy|girl)\b
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
