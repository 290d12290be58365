"""The learned scorer's features: one row of numbers per sentence, each column a named function.

The table of columns is a model file's contract: ``FEATURE_NAMES`` and ``FEATURE_GROUPS`` are read off it, in
the order the ``@feature`` functions below are declared, so a name cannot drift from the column it names.
Change a column's values, add one or reorder them, and ``FEATURE_VERSION`` must change with it (old models
then refuse to load with a message saying so, instead of scoring garbage).

Built for speed (about half a millisecond for a news article on one core): ``_Article`` computes once per article what
several columns share (document frequencies, one tokenization per sentence, paragraph runs); each column is
then one list comprehension over it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from nutgraf.contracts import Document, Sentence, SentenceFeatures
from nutgraf.features import content_terms
from nutgraf.lang import LANGUAGES, Language, language

FEATURE_VERSION = "nutgraf.features.v2"

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_QUOTE_CHARS = ('"', "“", "”")
_OPEN_QUOTES = frozenset("\"“'‘")
_CLOSE_QUOTES = frozenset("\"”'’")
# Furniture kinds (see clean.RULES) that only Daily Mail pages carry: the model may learn the house style.
_DM_FURNITURE = frozenset(("byline", "timestamp", "promo", "share", "caption"))
# The selector's usable range (select.MIN_WORDS/MAX_WORDS; a test checks that they agree). Written out, not
# imported: changing it changes the features, so it must come with a new FEATURE_VERSION.
_MIN_WORDS, _MAX_WORDS = 5, 80

# The cue columns' word lists are English's (``nutgraf.lang.en``): changing one changes the features, so it
# must come with a new FEATURE_VERSION too. A document in a language whose file gives its own cue lists
# (``lang/data/<code>.toml``, ``[cues]``) is read with those; its model (the language's own) was trained so.
_EN = language("en")


def _cues(code: str | None) -> Language:
    """The language whose cue lists the columns read for a document in ``code``: its own when its file gives
    them, else English's."""
    if code is None or code == "en" or code not in LANGUAGES:
        return _EN
    lang = LANGUAGES[code]
    return lang if lang.attribution_verbs else _EN


@dataclass(frozen=True, slots=True)
class _Tokens:
    """One tokenization per sentence, and what the entity, quote and cue columns read from it."""

    caps: list[int]
    """Tokens after the first that start with a capital letter."""
    nums: list[int]
    """Tokens that start with a digit."""
    lower_sets: list[set[str]]
    first_words: list[str]
    attr_pos: list[float]
    """Relative position of the first attribution verb, or -1.0."""


@dataclass(frozen=True, slots=True)
class _Article:
    """What the columns share, computed once per article; every list has one entry per sentence."""

    n: int
    sentences: tuple[Sentence, ...]
    texts: list[str]
    words: tuple[int, ...]
    denominators: list[int]
    """Word counts, at least 1: the per-word densities divide by them."""
    terms: tuple[frozenset[str], ...]
    uidx: list[int]
    """Index among the usable sentences, or -1."""
    n_usable: int
    first: int
    """The first usable sentence (0 when there is none)."""
    lead_terms: frozenset[str]
    """Content terms of the first three usable sentences."""
    title_terms: frozenset[str]
    para_first: list[int]
    """Where each sentence's run of one paragraph number starts."""
    para_size: dict[int, int]
    n_para: int
    body_start: int
    body_len: int
    """Characters from the first sentence's start to the last one's end (at least 1)."""
    furniture_kinds: frozenset[str]
    n_furniture: int
    centrality: tuple[list[float], list[float], list[float]]
    """Cosine to the rest of the document, share of terms seen elsewhere, mean document frequency."""
    tokens: _Tokens
    neighbours: tuple[list[float], list[float]]
    cues: Language
    """Whose cue lists the cue columns read (``_cues``)."""
    """Novelty: the largest overlap with a sentence just before, and with one just after."""


def _article(doc: Document, feats: SentenceFeatures) -> _Article:
    sentences = doc.sentences
    wc, terms = feats.word_counts, feats.terms
    uidx: list[int] = []
    usable_idx: list[int] = []
    for i, w in enumerate(wc):
        uidx.append(len(usable_idx) if _MIN_WORDS <= w <= _MAX_WORDS else -1)
        if uidx[-1] >= 0:
            usable_idx.append(i)
    title = doc.article.title
    texts = [s.text for s in sentences]
    cues = _cues(doc.language)
    return _Article(
        n=len(sentences),
        sentences=sentences,
        texts=texts,
        words=wc,
        denominators=[w if w > 0 else 1 for w in wc],
        terms=terms,
        uidx=uidx,
        n_usable=len(usable_idx),
        first=usable_idx[0] if usable_idx else 0,
        lead_terms=frozenset().union(*(terms[i] for i in usable_idx[:3])),
        title_terms=content_terms(title) if title else frozenset(),
        para_first=_paragraph_runs(sentences),
        para_size=_paragraph_sizes(sentences),
        n_para=sentences[-1].paragraph - sentences[0].paragraph + 1,
        body_start=sentences[0].start,
        body_len=max(sentences[-1].end - sentences[0].start, 1),
        furniture_kinds=frozenset(f.kind for f in doc.furniture),
        n_furniture=len(doc.furniture),
        centrality=_centrality(terms),
        tokens=_tokenize(texts, cues, feats),
        neighbours=_neighbour_overlaps(terms),
        cues=cues,
    )


def _paragraph_runs(sentences: Sequence[Sentence]) -> list[int]:
    out: list[int] = []
    start, current = -1, None
    for i, s in enumerate(sentences):
        if s.paragraph != current:
            start, current = i, s.paragraph
        out.append(start)
    return out


def _paragraph_sizes(sentences: Sequence[Sentence]) -> dict[int, int]:
    size: dict[int, int] = {}
    for s in sentences:
        size[s.paragraph] = size.get(s.paragraph, 0) + 1
    return size


def _centrality(terms: Sequence[frozenset[str]]) -> tuple[list[float], list[float], list[float]]:
    """Centrality is similarity to the rest of the document: each sentence's term vector against the
    document frequencies of all the other sentences' terms."""
    n = len(terms)
    df = Counter(x for t in terms for x in t)
    d2 = sum(c * c for c in df.values())
    cos: list[float] = []
    share: list[float] = []
    mean: list[float] = []
    for st in terms:
        nt = len(st)
        if not nt:
            cos.append(0.0)
            share.append(0.0)
            mean.append(0.0)
            continue
        counts = list(map(df.__getitem__, st))
        dot = sum(counts) - nt  # the other sentences' counts: each term's minus this sentence's own
        shared = nt - counts.count(1)  # terms that some other sentence has too
        rest2 = d2 - 2 * dot - nt
        cos.append(dot / math.sqrt(nt * rest2) if rest2 > 0 else 0.0)
        share.append(shared / nt)
        mean.append(dot / nt / (n - 1) if n > 1 else 0.0)
    return cos, share, mean


def _tokenize(texts: Sequence[str], cues: Language = _EN, feats: SentenceFeatures | None = None) -> _Tokens:
    """What the entity, quote and cue columns read, from the tokens ``sentence_features`` kept (``feats``)
    or, without them, from a tokenization of its own (the same tokens: ``_TOKEN`` is ``features.words``'s)."""
    out = _Tokens([], [], [], [], [])
    if feats is not None and feats.tokens and len(feats.tokens) == len(texts):
        pairs: Iterable[tuple[Sequence[str], Sequence[str]]] = zip(feats.tokens, feats.lowered, strict=True)
    else:
        pairs = ((t, [w.lower() for w in t]) for t in map(_TOKEN.findall, texts))
    verbs = cues.attribution_verbs
    for tokens, lowered in pairs:
        initials = [t[0] for t in tokens]
        # No character is both upper case and a digit, so the two counts cannot take the same token.
        out.caps.append(sum(map(str.isupper, initials[1:])))  # the first word is capitalized anyway
        out.nums.append(sum(map(str.isdigit, initials)))
        lower_set = set(lowered)
        attr_pos = -1.0
        if not verbs.isdisjoint(lower_set):
            attr_pos = next(j for j, t in enumerate(lowered) if t in verbs) / len(tokens)
        out.lower_sets.append(lower_set)
        out.first_words.append(lowered[0] if lowered else "")
        out.attr_pos.append(attr_pos)
    return out


def _neighbour_overlaps(terms: Sequence[frozenset[str]]) -> tuple[list[float], list[float]]:
    """Each sentence's largest overlap coefficient with any of the 5 sentences before it, and with any of the
    3 after it (0.0 when either has no terms). The coefficient is symmetric: each pair is computed once."""
    n = len(terms)
    before = [0.0] * n
    after = [0.0] * n
    sizes = [len(t) for t in terms]
    for i, st in enumerate(terms):
        nt = sizes[i]
        if not nt:
            continue
        best = 0.0
        for j in range(max(0, i - 5), i):
            no = sizes[j]
            if no:
                v = len(st & terms[j]) / (nt if nt < no else no)
                if v > best:
                    best = v
                if i - j <= 3 and v > after[j]:
                    after[j] = v
        before[i] = best
    return before, after


# ------------------------------------------------------------------------------------------ the table

Column = Callable[[_Article], Sequence[float]]


@dataclass(frozen=True, slots=True)
class Feature:
    """One column of the learned scorer's rows: its name (in model files), its group (for ablations) and
    the function that computes it for every sentence of an article."""

    name: str
    group: str
    column: Column


_TABLE: list[Feature] = []


def feature(name: str, group: str) -> Callable[[Column], Column]:
    """Declare the function below as the next column of every row, named ``name``, in ``group``."""

    def declare(column: Column) -> Column:
        if any(f.name == name for f in _TABLE):
            raise ValueError(f"feature {name!r} is declared twice")
        if _TABLE and _TABLE[-1].group != group and any(f.group == group for f in _TABLE):
            raise ValueError(f"feature {name!r}: the columns of group {group!r} must be declared together")
        _TABLE.append(Feature(name, group, column))
        return column

    return declare


# position


@feature("idx", "position")
def _idx(a: _Article) -> Sequence[float]:
    return range(a.n)


@feature("rel", "position")
def _rel(a: _Article) -> Sequence[float]:
    return [i / a.n for i in range(a.n)]


@feature("uidx", "position")
def _uidx(a: _Article) -> Sequence[float]:
    return a.uidx


@feature("n_sent", "position")
def _n_sent(a: _Article) -> Sequence[float]:
    return [a.n] * a.n


@feature("n_usable", "position")
def _n_usable(a: _Article) -> Sequence[float]:
    return [a.n_usable] * a.n


@feature("body_rel", "position")
def _body_rel(a: _Article) -> Sequence[float]:
    """Character position within the body, from the first sentence's start to the last one's end: furniture
    before and after is outside it, and sentence counts hide long and short sentences."""
    return [(s.start - a.body_start) / a.body_len for s in a.sentences]


# paragraph


@feature("para", "paragraph")
def _para(a: _Article) -> Sequence[float]:
    p0 = a.sentences[0].paragraph
    return [s.paragraph - p0 for s in a.sentences]


@feature("para_rel", "paragraph")
def _para_rel(a: _Article) -> Sequence[float]:
    p0 = a.sentences[0].paragraph
    return [(s.paragraph - p0) / a.n_para for s in a.sentences]


@feature("in_para", "paragraph")
def _in_para(a: _Article) -> Sequence[float]:
    return [i - start for i, start in enumerate(a.para_first)]


@feature("para_init", "paragraph")
def _para_init(a: _Article) -> Sequence[float]:
    return [1.0 if i == start else 0.0 for i, start in enumerate(a.para_first)]


@feature("has_para", "paragraph")
def _has_para(a: _Article) -> Sequence[float]:
    return [1.0 if a.n_para > 1 else 0.0] * a.n


@feature("n_para", "paragraph")
def _n_para(a: _Article) -> Sequence[float]:
    return [a.n_para] * a.n


@feature("para_len", "paragraph")
def _para_len(a: _Article) -> Sequence[float]:
    return [a.para_size[s.paragraph] for s in a.sentences]


# length


@feature("words", "length")
def _words(a: _Article) -> Sequence[float]:
    return a.words


@feature("chars", "length")
def _chars(a: _Article) -> Sequence[float]:
    return [len(text) for text in a.texts]


@feature("w_rel", "length")
def _w_rel(a: _Article) -> Sequence[float]:
    mean_w = sum(a.words) / a.n
    return [w / mean_w if mean_w else 0.0 for w in a.words]


# centrality


# The first three columns are the article's centrality table as it is (``_Article.centrality``).
feature("cent_cos", "centrality")(lambda a: a.centrality[0])
feature("df_share", "centrality")(lambda a: a.centrality[1])
feature("df_mean", "centrality")(lambda a: a.centrality[2])


@feature("cent_rank", "centrality")
def _cent_rank(a: _Article) -> Sequence[float]:
    """Rank by centrality over the number of sentences (0 for the most central; ties by position)."""
    cos, n = a.centrality[0], a.n
    out = [0.0] * n
    # Descending centrality; a stable sort keeps equal ones in document order, even reversed.
    for r, i in enumerate(sorted(range(n), key=cos.__getitem__, reverse=True)):
        out[i] = r / n
    return out


@feature("cent_rel", "centrality")
def _cent_rel(a: _Article) -> Sequence[float]:
    """Centrality against the document's most central sentence: comparable across short and long articles."""
    cos = a.centrality[0]
    top = max(cos)
    return [c / top for c in cos] if top > 0 else [0.0] * a.n


# lead overlap


@feature("ov_first", "lead_overlap")
def _ov_first(a: _Article) -> Sequence[float]:
    ft = a.terms[a.first]
    return [(1.0 if i == a.first else len(st & ft) / len(st)) if st else 0.0 for i, st in enumerate(a.terms)]


@feature("ov_lead3", "lead_overlap")
def _ov_lead3(a: _Article) -> Sequence[float]:
    lead = a.lead_terms
    return [len(st & lead) / len(st) if st else 0.0 for st in a.terms]


@feature("ov_title", "lead_overlap")
def _ov_title(a: _Article) -> Sequence[float]:
    title = a.title_terms
    if not title:
        return [0.0] * a.n
    return [len(st & title) / len(st) if st else 0.0 for st in a.terms]


# entities and numbers


def _per_word(counts: Sequence[int], a: _Article) -> list[float]:
    return [c / d for c, d in zip(counts, a.denominators, strict=True)]


feature("cap_dens", "entity_number")(lambda a: _per_word(a.tokens.caps, a))
feature("n_caps", "entity_number")(lambda a: a.tokens.caps)
feature("num_dens", "entity_number")(lambda a: _per_word(a.tokens.nums, a))
feature("n_nums", "entity_number")(lambda a: a.tokens.nums)


# quotes and attribution


@feature("n_quote", "quote_attr")
def _n_quote(a: _Article) -> Sequence[float]:
    return [sum(map(text.count, _QUOTE_CHARS)) for text in a.texts]


@feature("starts_quote", "quote_attr")
def _starts_quote(a: _Article) -> Sequence[float]:
    return [1.0 if text[:1] in _OPEN_QUOTES else 0.0 for text in a.texts]


@feature("quote_end", "quote_attr")
def _quote_end(a: _Article) -> Sequence[float]:
    return [1.0 if text.rstrip()[-1:] in _CLOSE_QUOTES else 0.0 for text in a.texts]


@feature("attr", "quote_attr")
def _attr(a: _Article) -> Sequence[float]:
    return [1.0 if p >= 0 else 0.0 for p in a.tokens.attr_pos]


@feature("attr_pos", "quote_attr")
def _attr_pos(a: _Article) -> Sequence[float]:
    return a.tokens.attr_pos


@feature("first_person", "quote_attr")
def _first_person(a: _Article) -> Sequence[float]:
    return [
        len(s & a.cues.first_person) / d for s, d in zip(a.tokens.lower_sets, a.denominators, strict=True)
    ]


# cue phrases and openers


@feature("pron_start", "cue_opener")
def _pron_start(a: _Article) -> Sequence[float]:
    return [1.0 if w in a.cues.pronoun_starts else 0.0 for w in a.tokens.first_words]


@feature("conn_start", "cue_opener")
def _conn_start(a: _Article) -> Sequence[float]:
    return [1.0 if w in a.cues.connective_starts else 0.0 for w in a.tokens.first_words]


@feature("cue", "cue_opener")
def _cue(a: _Article) -> Sequence[float]:
    return [len(s & a.cues.cue_words) / d for s, d in zip(a.tokens.lower_sets, a.denominators, strict=True)]


@feature("qmark", "cue_opener")
def _qmark(a: _Article) -> Sequence[float]:
    return [1.0 if "?" in text else 0.0 for text in a.texts]


@feature("colon_end", "cue_opener")
def _colon_end(a: _Article) -> Sequence[float]:
    return [1.0 if text.rstrip().endswith(":") else 0.0 for text in a.texts]


@feature("paren", "cue_opener")
def _paren(a: _Article) -> Sequence[float]:
    return [1.0 if "(" in text else 0.0 for text in a.texts]


@feature("time_ref", "cue_opener")
def _time_ref(a: _Article) -> Sequence[float]:
    return [1.0 if s & a.cues.time_words else 0.0 for s in a.tokens.lower_sets]


# novelty against the sentences around it


# The word overlap with the sentence before and after (``_Article.neighbours``).
feature("prev_ov", "novelty")(lambda a: a.neighbours[0])
feature("next_ov", "novelty")(lambda a: a.neighbours[1])


# source style


@feature("has_dateline", "source")
def _has_dateline(a: _Article) -> Sequence[float]:
    return [1.0 if "dateline" in a.furniture_kinds else 0.0] * a.n


@feature("dm_furniture", "source")
def _dm_furniture(a: _Article) -> Sequence[float]:
    return [1.0 if a.furniture_kinds & _DM_FURNITURE else 0.0] * a.n


@feature("n_furniture", "source")
def _n_furniture(a: _Article) -> Sequence[float]:
    return [float(a.n_furniture)] * a.n


# ------------------------------------------------------------------------------- derived from the table

FEATURES: tuple[Feature, ...] = tuple(_TABLE)
"""Every column, in row order."""

FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)

FEATURE_GROUPS: dict[str, tuple[str, ...]] = {
    group: tuple(f.name for f in FEATURES if f.group == group)
    for group in dict.fromkeys(f.group for f in FEATURES)
}
"""Feature groups, for the README's ablation table and ``nutgraf train --drop-groups``."""


def feature_matrix(doc: Document, feats: SentenceFeatures) -> Any:
    """The learned scorer's features as a float64 array: one row (``FEATURE_NAMES`` order) per sentence of
    ``doc``, built column by column (no per-row Python lists) and converted in one call."""
    import numpy as np

    if not doc.sentences:
        return np.zeros((0, len(FEATURES)), dtype=np.float64)
    article = _article(doc, feats)
    return np.array([f.column(article) for f in FEATURES], dtype=np.float64).T


def feature_rows(doc: Document, feats: SentenceFeatures) -> list[list[float]]:
    """The learned scorer's features, one row (``FEATURE_NAMES`` order) per sentence of ``doc``."""
    return feature_matrix(doc, feats).tolist()  # type: ignore[no-any-return]
