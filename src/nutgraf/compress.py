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
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from nutgraf.contracts import Document, Highlight
from nutgraf.syntax import DEP_KINDS

# Words a unit may never take away: negations change the meaning.
_NEGATION = re.compile(
    r"\b(?:not|no|never|nobody|nothing|none|neither|nor|without|cannot|nowhere)\b|n['’]t\b", re.IGNORECASE
)
_QUOTES = re.compile(r"[\"“”]")
# Any quotation mark, double or single (Daily Mail quotes in single marks): a sentence that holds one is
# never cut, since the rules cannot tell a quotation's words from the reporter's.
_ANY_QUOTE = re.compile(r"[\"“”‘«»„‹›]|(?:^|(?<=[\s(:]))['’]|['’](?=[\s,.;:!?)]|$)")
# A single quotation mark that opens (after a space, a bracket or a colon) or closes (before a space or
# punctuation): how a quotation in single marks is followed across sentences. A plural possessive
# ("the players' union") reads as a close, which can only end a quotation early, never start one.
_SINGLE_OPEN = re.compile(r"‘|(?:^|(?<=[\s(:]))'")
_SINGLE_CLOSE = re.compile(r"['’](?=[\s,.;:!?)]|$)")
# Numbers, in digits or in words: a key point's numbers are never cut.
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|"
    r"thousands?|millions?|billions?|trillions?|dozens?|half|first|second|third|fourth|fifth|sixth|seventh|"
    r"eighth|ninth|tenth|eleventh|twelfth|twentieth|hundredth|thousandth|millionth|once|twice|thrice|zero)\b",
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
# Whose word a tail may drop: an institution's, on the record. A named person's claim, an anonymous source's,
# an activist group's or an expert's keeps its attribution (the validation read, docs/compression-read).
_INSTITUTION = frozenset(
    "police authorities officials officers investigators prosecutors statement report spokesman spokeswoman "
    "spokesperson ministry department agency company government military office service coroner sheriff's "
    "center centre council court commission embassy committee bureau administration command navy army".split()
)
_UNSOURCED = re.compile(
    r"\b(?:sources?|activists?|groups?|witnesses|experts?|analysts?|observers?|monitors?|insiders?|"
    r"but|and|yet|so|or|while|although)\b",
    re.IGNORECASE,
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
    r"Yesterday|Overnight|Across|Around|Outside|Inside|Speaking|As|While|When|Despite|"
    r"Following|Under|Amid|Within|Until)\b[^,;:\"“”()]{0,80}?,\s+(?=[A-Z])"
)
# Openers that scope the claim ("As a rule, Biden does better"): without them it says more than the source.
_HEDGED_OPENER = re.compile(
    r"(?:As\s+a\s+rule|In\s+general|Generally|Usually|Often|For\s+now|So\s+far|At\s+least|At\s+times|"
    r"In\s+(?:some|most|many|rare)\s+cases|In\s+theory|In\s+practice|Until\s+now|Under)\b",
    re.IGNORECASE,
)
_DATED = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December|year|month|"
    r"week|season|summer|winter|spring|fall|autumn)s?\b",
    re.IGNORECASE,
)
_SOFTENER = re.compile(
    r"\b(?:kind\s+of|sort\s+of|maybe|perhaps|probably|possibly|apparently|reportedly|allegedly|said|says|say|"
    r"told|tell|tells|according|claimed|claims)\b|\?",
    re.IGNORECASE,
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
            if kind == "tail" and not _institutional(piece):
                continue
            if kind == "lead" and _HEDGED_OPENER.match(piece):
                continue
            if kind in ("lead", "time") and _NUMBER.search(text) and _DATED.search(piece):
                continue  # "In January and February, Clinton headlined three events": the time scopes a count
            if kind in ("paren", "clause") and _SOFTENER.search(piece):
                continue  # "(kind of)", ", as they've told authorities": a hedge or an attribution
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
    kept = _kept(((0, len(text)),), [(u.start, u.end) for u in units])
    return tuple((a + offset, b + offset) for a, b in kept)


def sentence_units(text: str, parsed: Any) -> list[Unit]:
    """Every deletable unit of a parsed sentence: the rules' units (``candidate_units``) and the parse's
    constituents (``nutgraf.syntax``), possibly nested; none in a sentence that holds a quotation mark, nor
    in one the parser cannot be trusted with (``syntax.parseable``)."""
    from nutgraf.syntax import opener_ends_at_subject, parseable, syntax_units

    if _ANY_QUOTE.search(text) or not parseable(text):
        return []  # quoted words; or tokenized or lower-case text, whose parse is not to be trusted

    units = [u for u in candidate_units(text) if u.kind != "lead" or opener_ends_at_subject(parsed, u.end)]
    seen = {(u.start, u.end) for u in units}
    units += [Unit(kind, a, b) for kind, a, b in syntax_units(parsed, text) if (a, b) not in seen]
    return units


# ------------------------------------------------------------------------------------------ the model

COMPRESS_FEATURE_VERSION = "nutgraf.compress.features.v2"
ALL_KINDS = (*UNIT_KINDS, *DEP_KINDS)
_POS = ("VERB", "AUX", "NOUN", "PROPN", "ADJ", "ADV", "ADP", "PRON", "SCONJ", "CCONJ", "DET", "NUM")
_HEAD_DEPS = (
    "ROOT", "nsubj", "nsubjpass", "dobj", "pobj", "conj", "ccomp", "xcomp", "advcl", "relcl", "acl", "attr", "appos"
)  # fmt: skip
_FIRST_WORDS = (
    "in", "on", "at", "for", "with", "by", "from", "to", "after", "before", "during", "as", "while", "when",
    "since", "because", "who", "which", "where", "into", "over", "under", "against", "amid", "despite", "near",
    "across", "through", "and", "but", "including", "according", "like",
)  # fmt: skip
COMPRESS_FEATURES: tuple[str, ...] = (
    *(f"kind_{k}" for k in ALL_KINDS),
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
    *(f"top_pos_{p}" for p in _POS),
    *(f"head_pos_{p}" for p in _POS),
    *(f"head_dep_{d}" for d in _HEAD_DEPS),
    *(f"first_{w}" for w in _FIRST_WORDS),
    "depth",
    "n_propn",
    "n_verbs",
    "comma_before",
    "comma_after",
    "head_is_root",
    "has_pronoun",
    "sentence_tokens",
    "article_mean_tf",
    "article_max_tf",
    "article_share_seen",
    "article_share_lead",
    "content_words",
)
_WORDS = re.compile(r"\S+")
_LOWER_WORD = re.compile(r"[a-z0-9]+")
_FUNCTION = frozenset(
    "the a an of to in and or for on at by with from as is was were be been are that this it its he she they "
    "his her their has had have will would said says".split()
)


@dataclass(frozen=True, slots=True)
class ArticleContext:
    """What the compressor's model knows of the article around a sentence: how often each word occurs in
    it, and the words of its opening (about its first 600 characters)."""

    counts: Counter[str]
    lead: frozenset[str]

    @classmethod
    def of(cls, article_text: str) -> ArticleContext:
        return cls(
            Counter(_LOWER_WORD.findall(article_text.lower())),
            frozenset(_LOWER_WORD.findall(article_text[:600].lower())),
        )


def unit_features(text: str, unit: Unit, parsed: Any, context: ArticleContext) -> list[float]:
    """What the compressor's model knows about a unit: its kind, size and place, its names and attribution,
    its head in the parse, and how much the rest of the article repeats its words."""
    from nutgraf.syntax import top_token

    piece = text[unit.start : unit.end]
    words = _WORDS.findall(piece)
    n_words = max(len(_WORDS.findall(text)), 1)
    caps = sum(1 for w in words[1:] if w[:1].isupper())
    left = text[: unit.start].split()
    right = text[unit.end :].split()
    row = [
        *(1.0 if unit.kind == k else 0.0 for k in ALL_KINDS),
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
    top = top_token(parsed, unit.start, unit.end)
    inside = [t for t in parsed if unit.start <= t.idx < unit.end and not t.is_punct]
    first = inside[0].lower_ if inside else ""
    if top is None:
        row += [0.0] * (2 * len(_POS) + len(_HEAD_DEPS) + len(_FIRST_WORDS) + 8)
    else:
        depth, t = 0, top
        while t.head is not t and depth < 20:
            t, depth = t.head, depth + 1
        before, after = text[: unit.start].rstrip(), text[unit.end :].lstrip()
        row += [
            *(1.0 if top.pos_ == p else 0.0 for p in _POS),
            *(1.0 if top.head.pos_ == p else 0.0 for p in _POS),
            *(1.0 if top.head.dep_ == d else 0.0 for d in _HEAD_DEPS),
            *(1.0 if first == w else 0.0 for w in _FIRST_WORDS),
            float(depth),
            float(sum(t.pos_ == "PROPN" for t in inside)),
            float(sum(t.pos_ == "VERB" for t in inside)),
            1.0 if piece.startswith(",") or before.endswith(",") else 0.0,
            1.0 if after.startswith(",") or piece.endswith(",") else 0.0,
            1.0 if top.head.dep_ == "ROOT" else 0.0,
            1.0 if any(t.pos_ == "PRON" for t in inside) else 0.0,
            float(len(parsed)),
        ]
    content = [w for w in _LOWER_WORD.findall(piece.lower()) if w not in _FUNCTION]
    if not content:
        row += [0.0] * 5
    else:
        own = Counter(_LOWER_WORD.findall(text.lower()))
        seen = [max(context.counts[w] - own[w], 0) for w in content]  # elsewhere in the article
        row += [
            sum(seen) / len(content),
            float(max(seen)),
            sum(1 for v in seen if v > 0) / len(content),
            sum(1 for w in content if w in context.lead) / len(content),
            float(len(content)),
        ]
    return row


_LOCK = threading.Lock()
COMPRESS_MODEL = "compress-v2.json.gz"
COMPRESS_FORMAT = "nutgraf.compress-model.v1"
THRESHOLD = 0.85
"""Delete a unit when the model gives it at least this probability of an editor deleting it (chosen on
validation: ``scripts/compress_sweep.py``)."""


_LOAD_LOCK = threading.Lock()


def _loaded() -> tuple[Any, str]:
    """``_load``, once: the first requests of a service may come from several threads at once."""
    with _LOAD_LOCK:
        return _load()


@lru_cache(maxsize=1)
def _load() -> tuple[Any, str]:
    """The compressor's booster, shipped in ``nutgraf/data`` (``scripts/train_compressor.py`` makes it), and
    its id (``compress@`` and the booster's digest), read and checked once per process; the parser is loaded
    here too, so that a missing one fails before any article is read."""
    from pathlib import Path

    from nutgraf.model import ModelError, booster_from, read_model_file
    from nutgraf.syntax import PARSER_PACKAGE, parser

    path = Path(str(resources.files("nutgraf") / "data" / COMPRESS_MODEL))
    data = read_model_file(path, COMPRESS_FORMAT)
    if data["metadata"].get("features", {}).get("version") != COMPRESS_FEATURE_VERSION:
        raise ModelError(f"{path} is not a compressor model for {COMPRESS_FEATURE_VERSION}; retrain it")
    booster = booster_from(data, str(path))
    nlp = parser()
    # The id names the parser too: its parses are the model's input, so a batch resumed under another
    # parser build must not mix the two.
    return (
        booster,
        f"compress@{data['metadata']['booster_sha256'][:12]}+{PARSER_PACKAGE}-{nlp.meta.get('version')}",
    )


def deletion_scores(rows: list[list[float]]) -> list[float]:
    """P(an editor deletes the unit), for each row of ``unit_features``."""
    if not rows:
        return []
    import numpy as np

    booster = _loaded()[0]
    with _LOCK:  # the service calls this from a thread pool; one prediction at a time, as for the scorer
        p = booster.predict(np.asarray(rows, dtype=np.float64), num_threads=1)
    return [round(float(v), 9) for v in p]


RULE_KINDS = {"that": 1.0}
"""Units that go by rule, not by the model (the probability they are given): an optional "that" carries no
content, so the references cannot teach the model about it."""


def scored_units(doc: Document, sentences: list[int]) -> dict[int, list[tuple[float, Unit]]]:
    """For each of the given sentences of ``doc``, its deletable units with P(an editor deletes it). The
    sentences are parsed in one batch; one inside a quotation, or holding a quotation mark, has none."""
    from nutgraf.syntax import parse

    text = doc.article.text
    wanted = [
        i
        for i in sorted(set(sentences))
        if not _inside_quotation(text, doc.sentences[i].start)
        and not _ANY_QUOTE.search(doc.sentences[i].text)
    ]
    if not wanted:
        return {}
    context = ArticleContext.of(text)
    units: dict[int, list[Unit]] = {}
    rows: list[list[float]] = []
    for i, parsed in zip(wanted, parse([doc.sentences[i].text for i in wanted]), strict=True):
        s = doc.sentences[i].text
        units[i] = sentence_units(s, parsed)
        rows += [unit_features(s, u, parsed, context) for u in units[i] if u.kind not in RULE_KINDS]
    scores = iter(deletion_scores(rows))
    return {
        i: [(RULE_KINDS[u.kind] if u.kind in RULE_KINDS else next(scores), u) for u in units[i]]
        for i in wanted
    }


def compress_highlights(
    doc: Document,
    highlights: tuple[Highlight, ...] | list[Highlight],
    max_words: int | None = None,
    threshold: float = THRESHOLD,
) -> tuple[Highlight, ...]:
    """The key points with the units the model would delete taken out (and, with ``max_words``, further units
    in order of deletion probability while a key point is longer than that). Spans stay exact: each text is
    the join of the kept runs of the article. The sentences of all the key points are parsed in one batch."""
    scored = scored_units(doc, [i for h in highlights for i in h.sentences])
    if not scored:
        return tuple(highlights)
    return tuple(_cut(doc, h, scored, max_words, threshold) for h in highlights)


def _cut(
    doc: Document,
    highlight: Highlight,
    scored: dict[int, list[tuple[float, Unit]]],
    max_words: int | None,
    threshold: float,
) -> Highlight:
    text = doc.article.text
    # (probability, start, end, sentence), in article offsets
    candidates: list[tuple[float, int, int, int]] = []
    for i in highlight.sentences:
        s = doc.sentences[i]
        candidates += [(p, s.start + u.start, s.start + u.end, i) for p, u in scored.get(i, [])]
    if not candidates:
        return highlight
    cut: list[tuple[int, int]] = []

    def take(a: int, b: int, i: int) -> None:
        # Units may nest or overlap: count what the union would leave of the sentence.
        s = doc.sentences[i]
        kept = "".join(text[x:y] for x, y in _kept(((s.start, s.end),), [*cut, (a, b)]))
        if len(_WORD.findall(kept)) >= MIN_KEPT_WORDS:
            cut.append((a, b))

    ordered = sorted(candidates, key=lambda x: (-x[0], x[1], x[2]))
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


def compress_highlight(
    doc: Document, highlight: Highlight, max_words: int | None = None, threshold: float = THRESHOLD
) -> Highlight:
    """One key point, compressed (``compress_highlights`` for one)."""
    return compress_highlights(doc, (highlight,), max_words, threshold)[0]


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
    """Whether ``at`` falls inside an open quotation, in double or single marks, counting from the start of
    its paragraph."""
    start = text.rfind("\n", 0, at) + 1
    if len(_QUOTES.findall(text, start, at)) % 2 == 1:
        return True
    return len(_SINGLE_OPEN.findall(text, start, at)) > len(_SINGLE_CLOSE.findall(text, start, at))


def compress_sentence(text: str, threshold: float = THRESHOLD) -> str:
    """One sentence as the compressor would shorten it, the sentence being its own article (the golden
    table's view of ``compress_highlight``)."""
    from nutgraf.contracts import Article, Sentence

    doc = Document(Article("s", text), (Sentence(text, 0, len(text), 0, 0),))
    return compress_highlight(doc, Highlight(text, ((0, len(text)),), (0,), 0.0, 1), None, threshold).text


def model_id() -> str:
    """The compressor model's id (its booster's digest): what a batch job's resume fingerprint includes."""
    return _loaded()[1]
