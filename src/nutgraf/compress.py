"""Compress: cut from a key point what a reader of the key-points box does not need, never adding a word.

A key point is shortened only by deleting whole units that rules find in its sentence: an attribution tail
(", police said"), a relative or appositive clause between commas (", who leads the diocese,"), a
parenthetical, a leading time or place phrase ("On Tuesday, ") before a capitalised word. Whether a unit
goes is decided by a small model learned from CNN highlights aligned with their source sentences
(``scripts/train_compressor.py``). Every kept run of characters keeps its span into the article, so a compressed
key point is the join of several spans; quotations, negations and numbers are never cut into.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from nutgraf.contracts import Document, Highlight

# Words a unit may never take away: negations change the meaning.
_NEGATION = re.compile(
    r"\b(?:not|no|never|nobody|nothing|none|neither|nor|without|cannot|nowhere)\b|n['’]t\b", re.IGNORECASE
)
_QUOTES = re.compile(r"[\"“”]")
# Any quotation mark, double or single (Daily Mail quotes in single marks): a sentence that holds one is
# never cut, since the rules cannot tell a quotation's words from the reporter's.
_ANY_QUOTE = re.compile(r"[\"“”‘]|(?:^|(?<=[\s(:]))'|'(?=[\s,.;:!?)]|$)")
# Numbers, in digits or in words: a key point's numbers are never cut.
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|"
    r"thousands?|millions?|billions?|trillions?|dozens?|half|first|second|third)\b",
    re.IGNORECASE,
)
MIN_KEPT_WORDS = 6
"""A sentence is never cut below this many words (counted over all the units taken from it)."""

# Neutral reporting verbs only: the blind read (docs/compression-read) showed that dropping "according
# to", "reported" or "warned" turns a claim into a flat fact.
_SAY = r"(?:said|says|say|told|tells|added|adds|announced|explained|confirmed|stated|noted)"
# ", police said." / ", the official told CNN on Monday." / ", according to state media."
# The speaker comes first ("police said"; a bare ", told The Weekly" would leave a name dangling before
# it), then at most a few words ("told CNN on Monday"), never a clause of its own: ", said the council would
# vote" is the news, not its source. The inverted ", said police spokesman John Smith" names only a source.
_TOKEN = r"[\w'’-]+(?:\.(?=\w)[\w'’-]+)*"  # a word ("U.S" inside), never the sentence's final period
_SOURCE_WORD = (
    r"(?:[A-Z][\w'’-]*(?:\.(?=\w)[\w'’-]+)*|the|a|an|of|for|and|police|officials?|spokes(?:man|woman|person)|"
    r"authorities|officers?|chief|director|minister|president|secretary|agency|department|ministry|"
    r"government|company|group|report|statement|sources?|lawyers?|attorneys?|prosecutors?|investigators?)"
)
_TAIL = re.compile(
    r",\s+(?:(?:[A-Za-z][\w'’.-]*\s+){1,7}?" + _SAY + r"(?:\s+(?!that\b)" + _TOKEN + r"){0,5}"
    r"|said\s+" + _SOURCE_WORD + r"(?:\s+" + _SOURCE_WORD + r"){0,5})"
    r"(?=[.!?]?\s*$)"
)
# ", who leads the diocese of Fargo," and ", which opened in 2010," (up to and with the closing comma), or to
# the end of the sentence (", which angered many.").
_RELATIVE = re.compile(r",\s+(?:who|whom|whose|which|where)\s+[^,;:\"“”()]{3,160}?(?:,(?=\s)|(?=[.!?]\s*$))")
# ", a spokesman for the agency," after a capitalised word: an appositive.
_APPOSITIVE = re.compile(
    r"\b[A-Z][\w'’.-]*(,\s+(?:a|an|the|his|her|their|its)\s+[^,;:\"“”()]{3,100}?,)(?=\s+[a-z])"
)
_PAREN = re.compile(r"\s\([^()\"“”]{1,120}\)(?=[\s,.;:!?])")
# "On Tuesday, " / "Earlier this month, " / "In 2009, " at the start, before a capitalised word.
_LEAD = re.compile(
    r"^(?:On|In|At|Earlier|Last|This|Late|Early|During|After|Since|Before|Later|Meanwhile|Now|Today|"
    r"Yesterday|Overnight|Across|Around|Outside|Inside|According\s+to|Speaking|As|While|When|Despite|"
    r"Following|Under|Amid|Within|Until)\b[^,;:\"“”()]{0,80}?,\s+(?=[A-Z])"
)
# ", as the storm moved north." / ", leaving 12 dead." / ", including two children.": a trailing
# subordinate or participle clause, to the end of the sentence.
_CLAUSE = re.compile(
    r",\s+(?:as|after|while|when|before|because|since|although|though|including|leaving|making|saying|"
    r"adding|prompting|sparking|despite|amid|with|where|following|forcing|causing)\s+[^,;:\"“”()]{3,200}?"
    r"(?=[.!?]\s*$)"
)

# After an appositive comes the verb of the main clause ("John Smith, a spokesman, said"); anything else
# is more likely a list.
_VERB_NEXT = re.compile(
    r"\s+(?:said|says|told|tells|has|had|have|was|is|were|are|will|would|could|can|did|does|do|may|might|"
    r"must|should|also|still|now|[a-z]+ed)\b"
)
_WORD = re.compile(r"[^\W_][\w'’.-]*")
# Before a relative clause: a cleft ("it was Rob, ... who ...") whose clause carries the news.
_CLEFT = re.compile(r"\b(?:it|It)\s+(?:was|is|were|are|will\s+be)\b")
# Before a unit: an introductory phrase (a comma already, or a participle or preposition first), so the
# unit's closing comma still has work to do.
_INTRO = re.compile(r"^(?:[^,]*,|\W*(?:[A-Z]\w*(?:ed|ing)|In|On|At|With|From|After|Before|Despite)\b)")

# " on Monday", " Tuesday night", " last week", " earlier this month": the when of a key point, which the
# article's date already gives (editors drop it from highlights).
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# Only days of the week: "this year", "last month" or "today" often scope a number or a claim ("50 ships
# this year"), and cutting them changes the meaning (tests/golden/compress_cases.jsonl).
_TIME = re.compile(
    r"\s+on\s+(?:late\s+|early\s+)?" + _DAY + r"(?:\s+(?:morning|afternoon|evening|night))?"
    r"(?=\s*[.;!?]|\s*,(?!\s*(?:[A-Z][a-z]+\s+)?\d)|\s+[a-z])(?![\s]*['’]s)"
)

UNIT_KINDS = ("tail", "relative", "appositive", "paren", "lead", "clause", "time")


@dataclass(frozen=True, slots=True)
class Unit:
    """A stretch of a sentence that may be deleted: ``text[start:end]`` (offsets into the sentence)."""

    kind: str
    start: int
    end: int


def candidate_units(text: str) -> list[Unit]:
    """Deletable units of a sentence, in order, non-overlapping (the first found wins)."""
    found: list[Unit] = []
    if _ANY_QUOTE.search(text):
        return found  # quoted words, and a tail that attributes a quote ('"...," one woman told WWL.')
    n_words = len(_WORD.findall(text))
    for kind, pattern in (
        ("lead", _LEAD),
        ("paren", _PAREN),
        ("relative", _RELATIVE),
        ("appositive", _APPOSITIVE),
        ("tail", _TAIL),
        ("clause", _CLAUSE),
        ("time", _TIME),
    ):
        for m in pattern.finditer(text):
            # The unit is group 1 when the pattern needs context around it. A closing comma goes with the
            # clause: "Folda, who leads X, said" -> "Folda said".
            start, end = m.span(1) if m.re.groups else m.span()
            piece = text[start:end]
            if _NEGATION.search(piece) or _NUMBER.search(piece):
                continue
            if any(start < u.end and u.start < end for u in found):
                continue
            n_piece = len(_WORD.findall(piece))
            if n_words - n_piece < MIN_KEPT_WORDS or n_piece > 0.6 * n_words:
                continue  # "For starters, as a new trailer shows, ...": the unit is most of the sentence
            if kind == "time":
                before = text[:start].split()
                if len(before) < 3 or before[-1].endswith(","):
                    continue
            if kind == "relative" and _CLEFT.search(text, 0, start):
                continue  # "it was Rob who drew the attention": the clause is the point of the sentence
            if kind in ("relative", "appositive") and text[end - 1] == ",":
                # Mid-sentence, the clause must sit between the subject and its verb: "Folda, who leads X,
                # said". Anything else ("laundry, which includes an ancestor, Benjamin Cole"; "the
                # Houthis, who are Shiites, still control" after an introductory phrase; a list) stays.
                if "," in text[:start] or _INTRO.search(text, 0, start) or not _VERB_NEXT.match(text[end:]):
                    continue
            elif kind == "appositive":
                continue
            if not text[end:].strip(" .") and text.rstrip().endswith(".") and text[start - 1 : start] == ".":
                end = len(text.rstrip())  # "at 3:18 a.m., the statement said." -> "at 3:18 a.m."
            found.append(Unit(kind, start, end))
    return sorted(found, key=lambda u: u.start)


def keep_spans(text: str, units: list[Unit], offset: int = 0) -> tuple[tuple[int, int], ...]:
    """The character runs of ``text`` left after deleting ``units``, shifted by ``offset`` (the sentence's
    start in the article)."""
    kept = _kept(((0, len(text)),), [(u.start, u.end) for u in units])
    return tuple((a + offset, b + offset) for a, b in kept)


# ------------------------------------------------------------------------------------------ the model

COMPRESS_FEATURE_VERSION = "nutgraf.compress.features.v1"
COMPRESS_FEATURES: tuple[str, ...] = (
    *(f"kind_{k}" for k in UNIT_KINDS),
    "unit_words",
    "sentence_words",
    "unit_share",
    "rel_start",
    "at_end",
    "unit_caps",
    "unit_caps_share",
    "left_caps",
    "right_lower",
    "has_said",
)
_WORDS = re.compile(r"\S+")


def unit_features(text: str, unit: Unit) -> list[float]:
    """What the compressor's model knows about a unit: its kind, size, place, names, attribution."""
    piece = text[unit.start : unit.end]
    words = _WORDS.findall(piece)
    n_words = max(len(_WORDS.findall(text)), 1)
    caps = sum(1 for w in words[1:] if w[:1].isupper())
    left = text[: unit.start].split()
    right = text[unit.end :].split()
    return [
        *(1.0 if unit.kind == k else 0.0 for k in UNIT_KINDS),
        float(len(words)),
        float(n_words),
        len(words) / n_words,
        unit.start / max(len(text), 1),
        1.0 if not text[unit.end :].strip(" .!?") else 0.0,
        float(caps),
        caps / max(len(words), 1),
        1.0 if left and left[-1][:1].isupper() else 0.0,
        1.0 if right and right[0][:1].islower() else 0.0,
        1.0 if re.search(r"\b(?:said|says|told|according)\b", piece) else 0.0,
    ]


_LOCK = threading.Lock()
COMPRESS_MODEL = "compress-v1.json.gz"
COMPRESS_FORMAT = "nutgraf.compress-model.v1"
THRESHOLD = 0.5
"""Delete a unit when the model gives it at least this probability of an editor deleting it."""


@lru_cache(maxsize=1)
def _loaded() -> tuple[Any, str]:
    """The compressor's booster, shipped in ``nutgraf/data`` (``scripts/train_compressor.py`` makes it), and
    its id (``compress@`` and the booster's digest), read and checked once per process."""
    from pathlib import Path

    from nutgraf.model import ModelError, booster_from, read_model_file

    path = Path(str(resources.files("nutgraf") / "data" / COMPRESS_MODEL))
    data = read_model_file(path, COMPRESS_FORMAT)
    if data["metadata"].get("features", {}).get("version") != COMPRESS_FEATURE_VERSION:
        raise ModelError(f"{path} is not a compressor model for {COMPRESS_FEATURE_VERSION}; retrain it")
    return booster_from(data, str(path)), f"compress@{data['metadata']['booster_sha256'][:12]}"


def deletion_scores(text: str, units: list[Unit]) -> list[float]:
    """P(an editor deletes the unit), for each unit of the sentence ``text``."""
    if not units:
        return []
    import numpy as np

    x = np.asarray([unit_features(text, u) for u in units], dtype=np.float64)
    booster = _loaded()[0]
    with _LOCK:  # the service calls this from a thread pool; one prediction at a time, as for the scorer
        p = booster.predict(x, num_threads=1)
    return [round(float(v), 9) for v in p]


def compress_highlight(
    doc: Document, highlight: Highlight, max_words: int | None = None, threshold: float = THRESHOLD
) -> Highlight:
    """The key point with the units the model would delete taken out (and, with ``max_words``, further units
    in order of deletion probability while it is longer than that). Spans stay exact: the text is the join
    of the kept runs of the article."""
    text = doc.article.text
    scored: list[tuple[float, int, int, int]] = []  # (probability, start, end, sentence) in article offsets
    room: dict[int, int] = {}  # words each sentence may still lose
    for i in highlight.sentences:
        s = doc.sentences[i]
        if _inside_quotation(text, s.start):
            continue  # a quotation the segmenter split: this sentence is someone's words
        units = candidate_units(s.text)
        room[i] = len(_WORD.findall(s.text)) - MIN_KEPT_WORDS
        for u, p in zip(units, deletion_scores(s.text, units), strict=True):
            scored.append((p, s.start + u.start, s.start + u.end, i))
    if not scored:
        return highlight
    cut: list[tuple[int, int]] = []

    def take(a: int, b: int, i: int) -> None:
        n = len(_WORD.findall(text, a, b))
        if n <= room[i]:
            room[i] -= n
            cut.append((a, b))

    ordered = sorted(scored, key=lambda x: (-x[0], x[1]))
    for p, a, b, i in ordered:
        if p >= threshold:
            take(a, b, i)
    if max_words is not None:
        for p, a, b, i in ordered:
            if p < threshold and _words(text, _kept(highlight.spans, cut)) > max_words:
                take(a, b, i)
    if not cut:
        return highlight
    spans = _kept(highlight.spans, cut)
    return replace(highlight, text="".join(text[a:b] for a, b in spans), spans=spans)


def _kept(spans: tuple[tuple[int, int], ...], cut: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
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


def _words(text: str, spans: tuple[tuple[int, int], ...]) -> int:
    return len("".join(text[a:b] for a, b in spans).split())


def _inside_quotation(text: str, at: int) -> bool:
    """Whether ``at`` falls inside an open double quotation, counting from the start of its paragraph."""
    start = text.rfind("\n", 0, at) + 1
    return len(_QUOTES.findall(text, start, at)) % 2 == 1


def compress_sentence(text: str, threshold: float = THRESHOLD) -> str:
    """One sentence as the compressor would shorten it (the golden table's view of ``compress_highlight``)."""
    from nutgraf.contracts import Article, Sentence

    doc = Document(Article("s", text), (Sentence(text, 0, len(text), 0, 0),))
    return compress_highlight(doc, Highlight(text, ((0, len(text)),), (0,), 0.0, 1), None, threshold).text


def model_id() -> str:
    """The compressor model's id (its booster's digest): what a batch job's resume fingerprint includes."""
    return _loaded()[1]
