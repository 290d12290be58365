"""The compressor's rules: the units a regular expression can find in a sentence, and the patterns every part
of the compressor shares (quotation marks, negations, numbers, words, the fewest words a sentence keeps).

A unit is an attribution tail (", police said"), a relative or appositive clause between commas (", who
leads the diocese,"), a parenthetical, a leading time or place phrase ("On Tuesday, ") before a capitalised
word, a trailing subordinate clause or a day of the week. These rules need no parser, so they are the bottom
of the compressor: the parse-based units (``syntax``) and the model (``model``) build on them, never the
other way round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nutgraf.lang import alternation, language

# The word lists are English's (``nutgraf.lang.en``, with the notes on the reads that tuned them); the
# patterns below are built from them.
_EN = language("en")
_WORDS = _EN.compression

# Words a unit may never take away: negations change the meaning.
NEGATION = re.compile(rf"\b(?:{alternation(_WORDS.negations)})\b|n['’]t\b", re.IGNORECASE)
_QUOTES = re.compile(r"[\"“”]")
# Any quotation mark, double or single (Daily Mail quotes in single marks): a sentence that holds one is
# never cut, since the rules cannot tell a quotation's words from the reporter's.
ANY_QUOTE = re.compile(r"[\"“”‘«»„‹›]|(?:^|(?<=[\s(:]))['’]|['’](?=[\s,.;:!?)]|$)")
# A single quotation mark that opens (after a space, a bracket or a colon) or closes (before a space or
# punctuation): how a quotation in single marks is followed across sentences. A plural possessive
# ("the players' union") reads as a close, which can only end a quotation early, never start one.
_SINGLE_OPEN = re.compile(r"‘|(?:^|(?<=[\s(:]))'")
_SINGLE_CLOSE = re.compile(r"['’](?=[\s,.;:!?)]|$)")
# Numbers, in digits or in words: a key point's numbers are never cut.
NUMBER = re.compile(rf"\d|\b(?:{alternation(_WORDS.number_words)})\b", re.IGNORECASE)
WORD = re.compile(r"[^\W_][\w'’.-]*")
"""A word, as the compressor counts them ("U.S." and "don't" are one)."""
MIN_KEPT_WORDS = 6
"""A sentence is never cut below this many words (counted over all the units taken from it)."""

# Neutral reporting verbs only: the blind read (docs/compression-read) showed that dropping "according
# to", "reported" or "warned" turns a claim into a flat fact.
_SAY = f"(?:{alternation(_WORDS.neutral_reporting_verbs)})"
# ", police said." / ", the official told CNN on Monday." / ", according to state media."
# The speaker comes first ("police said"; a bare ", told The Weekly" would leave a name dangling before
# it), then at most a few words ("told CNN on Monday"), never a clause of its own: ", said the council would
# vote" is the news, not its source. The inverted ", said police spokesman John Smith" names only a source.
_TOKEN = r"[\w'’-]+(?:\.(?=\w)[\w'’-]+)*"  # a word ("U.S" inside), never the sentence's final period
_SOURCE_WORD = rf"(?:[A-Z][\w'’-]*(?:\.(?=\w)[\w'’-]+)*|{alternation(_WORDS.source_words)})"
# Whose word a tail may drop: an institution's, on the record. A named person's claim, an anonymous source's,
# an activist group's or an expert's keeps its attribution (the validation read, docs/compression-read).
_INSTITUTION = _WORDS.institutions
_UNSOURCED = re.compile(rf"\b(?:{alternation(_WORDS.unsourced_words)})\b", re.IGNORECASE)
_TAIL = re.compile(
    r",\s+(?:(?:[A-Za-z][\w'’.-]*\s+){1,7}?" + _SAY + r"(?:\s+(?!that\b)" + _TOKEN + r"){0,5}"
    r"|said\s+" + _SOURCE_WORD + r"(?:\s+" + _SOURCE_WORD + r"){0,5})"
    r"(?=[.!?]?\s*$)"
)
# ", who leads the diocese of Fargo," and ", which opened in 2010," (up to and with the closing comma), or to
# the end of the sentence (", which angered many.").
_RELATIVE = re.compile(
    rf",\s+(?:{alternation(_WORDS.relative_pronouns)})\s+[^,;:\"“”()]{{3,160}}?(?:,(?=\s)|(?=[.!?]\s*$))"
)
# ", a spokesman for the agency," after a capitalised word: an appositive.
_APPOSITIVE = re.compile(
    rf"\b[A-Z][\w'’.-]*(,\s+(?:{alternation(_WORDS.appositive_determiners)})\s+[^,;:\"“”()]{{3,100}}?,)(?=\s+[a-z])"
)
_PAREN = re.compile(r"\s\([^()\"“”]{1,120}\)(?=[\s,.;:!?])")
# "On Tuesday, " / "Earlier this month, " / "In 2009, " at the start, before a capitalised word.
_LEAD = re.compile(rf"^(?:{alternation(_WORDS.lead_openers)})\b[^,;:\"“”()]{{0,80}}?,\s+(?=[A-Z])")
# Openers that scope the claim ("As a rule, Biden does better"): without them it says more than the source.
_HEDGED_OPENER = re.compile(rf"(?:{alternation(_WORDS.hedged_openers)})\b", re.IGNORECASE)
_DATED = re.compile(
    rf"\b(?:{alternation((*_EN.months, *_WORDS.dated_nouns))})s?\b",
    re.IGNORECASE,
)
_SOFTENER = re.compile(rf"\b(?:{alternation(_WORDS.softeners)})\b|\?", re.IGNORECASE)
# ", as the storm moved north." / ", leaving 12 dead." / ", including two children.": a trailing
# subordinate or participle clause, to the end of the sentence.
_CLAUSE = re.compile(
    rf",\s+(?:{alternation(_WORDS.clause_openers)})\s+[^,;:\"“”()]{{3,200}}?"
    r"(?=[.!?]\s*$)"
)

# After an appositive comes the verb of the main clause ("John Smith, a spokesman, said"); anything else
# is more likely a list.
_VERB_NEXT = re.compile(rf"\s+(?:{alternation(_WORDS.verbs_after_appositive)}|[a-z]+ed)\b")
# Before a relative clause: a cleft ("it was Rob, ... who ...") whose clause carries the news.
_CLEFT = re.compile(r"\b(?:it|It)\s+(?:was|is|were|are|will\s+be)\b")
# Before a unit: an introductory phrase (a comma already, or a participle or preposition first), so the
# unit's closing comma still has work to do.
_INTRO = re.compile(rf"^(?:[^,]*,|\W*(?:[A-Z]\w*(?:ed|ing)|{alternation(_WORDS.intro_prepositions)})\b)")

# " on Monday", " Tuesday night", " last week", " earlier this month": the when of a key point, which the
# article's date already gives (editors drop it from highlights).
_DAY = f"(?:{alternation(_EN.weekdays)})"
# Only days of the week: "this year", "last month" or "today" often scope a number or a claim ("50 ships
# this year"), and cutting them changes the meaning (tests/golden/compress_cases.jsonl).
_TIME = re.compile(
    r"\s+on\s+(?:late\s+|early\s+)?" + _DAY + rf"(?:\s+(?:{alternation(_WORDS.day_parts)}))?"
    r"(?=\s*[.;!?]|\s*,(?!\s*(?:[A-Z][a-z]+\s+)?\d)|\s+[a-z])(?![\s]*['’]s)"
)

UNIT_KINDS = ("tail", "relative", "appositive", "paren", "lead", "clause", "time")

# The order the rules run in: where two units overlap, the first found wins.
_RULES = (
    ("lead", _LEAD),
    ("paren", _PAREN),
    ("relative", _RELATIVE),
    ("appositive", _APPOSITIVE),
    ("tail", _TAIL),
    ("clause", _CLAUSE),
    ("time", _TIME),
)


@dataclass(frozen=True, slots=True)
class Unit:
    """A stretch of a sentence that may be deleted: ``text[start:end]`` (offsets into the sentence)."""

    kind: str
    start: int
    end: int


def candidate_units(text: str) -> list[Unit]:
    """Deletable units of a sentence, in order, non-overlapping (the first found wins)."""
    found: list[Unit] = []
    if ANY_QUOTE.search(text):
        return found  # quoted words, and a tail that attributes a quote ('"...," one woman told WWL.')
    n_words = len(WORD.findall(text))
    for kind, pattern in _RULES:
        for m in pattern.finditer(text):
            # The unit is group 1 when the pattern needs context around it. A closing comma goes with the
            # clause: "Folda, who leads X, said" -> "Folda said".
            start, end = m.span(1) if m.re.groups else m.span()
            if any(start < u.end and u.start < end for u in found):
                continue
            if not _may_go(kind, text, start, end, n_words):
                continue
            if not text[end:].strip(" .") and text.rstrip().endswith(".") and text[start - 1 : start] == ".":
                end = len(text.rstrip())  # "at 3:18 a.m., the statement said." -> "at 3:18 a.m."
            found.append(Unit(kind, start, end))
    return sorted(found, key=lambda u: u.start)


def _may_go(kind: str, text: str, start: int, end: int, n_words: int) -> bool:
    """Whether a rule's match ``text[start:end]`` may be deleted from its sentence of ``n_words`` words."""
    piece = text[start:end]
    if NEGATION.search(piece) or NUMBER.search(piece):
        return False
    n_piece = len(WORD.findall(piece))
    if n_words - n_piece < MIN_KEPT_WORDS or n_piece > 0.6 * n_words:
        return False  # "For starters, as a new trailer shows, ...": the unit is most of the sentence
    if kind == "tail" and not _institutional(piece):
        return False
    if kind == "lead" and _HEDGED_OPENER.match(piece):
        return False
    if kind in ("lead", "time") and NUMBER.search(text) and _DATED.search(piece):
        return False  # "In January and February, Clinton headlined three events": the time scopes a count
    if kind in ("paren", "clause") and _SOFTENER.search(piece):
        return False  # "(kind of)", ", as they've told authorities": a hedge or an attribution
    if kind == "time":
        before = text[:start].split()
        if len(before) < 3 or before[-1].endswith(","):
            return False
    if kind == "relative" and _CLEFT.search(text, 0, start):
        return False  # "it was Rob who drew the attention": the clause is the point of the sentence
    if kind in ("relative", "appositive") and text[end - 1] == ",":
        # Mid-sentence, the clause must sit between the subject and its verb: "Folda, who leads X,
        # said". Anything else ("laundry, which includes an ancestor, Benjamin Cole"; "the
        # Houthis, who are Shiites, still control" after an introductory phrase; a list) stays.
        return not ("," in text[:start] or _INTRO.search(text, 0, start) or not _VERB_NEXT.match(text[end:]))
    return kind != "appositive"


def _institutional(tail: str) -> bool:
    """Whether an attribution tail names an institution as its source (", police said", ", the Charlotte
    Police Department said"), not a person, an anonymous source or an interested party."""
    if _UNSOURCED.search(tail):
        return False
    words = [w for w in (w.strip(",.").lower() for w in tail.split()) if w]
    verb = next((i for i, w in enumerate(words) if re.fullmatch(_SAY, w)), None)
    if verb is None:
        return False
    speaker = words[:verb] if verb > 0 else words[verb + 1 :]
    if verb > 0:
        return bool(speaker) and speaker[-1] in _INSTITUTION  # "the X Police Department said"
    return any(w in _INSTITUTION for w in speaker)  # "said police spokesman John Smith"


def keep_spans(text: str, units: list[Unit], offset: int = 0) -> tuple[tuple[int, int], ...]:
    """The character runs of ``text`` left after deleting ``units``, shifted by ``offset`` (the sentence's
    start in the article)."""
    kept = kept_runs(((0, len(text)),), [(u.start, u.end) for u in units])
    return tuple((a + offset, b + offset) for a, b in kept)


def kept_runs(spans: tuple[tuple[int, int], ...], cut: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """What is left of ``spans`` after taking out the (possibly nested or overlapping) ranges in ``cut``."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        pos = start
        for a, b in sorted(cut):
            if b <= pos or a >= end:
                continue
            if a > pos:
                out.append((pos, a))
            pos = max(pos, b)
        if pos < end:
            out.append((pos, end))
    return tuple(out)


def inside_quotation(text: str, at: int) -> bool:
    """Whether ``at`` falls inside an open quotation, in double or single marks, counting from the start of
    its paragraph."""
    start = text.rfind("\n", 0, at) + 1
    if len(_QUOTES.findall(text, start, at)) % 2 == 1:
        return True
    return len(_SINGLE_OPEN.findall(text, start, at)) > len(_SINGLE_CLOSE.findall(text, start, at))
