"""Per-sentence features shared by the scorers and the selector: content terms, word counts, language.

Cheap on purpose: one regex pass per sentence, no stemmer, so the whole pipeline stays at milliseconds per
article.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from nutgraf.contracts import Document, SentenceFeatures

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)

# A compact English stopword list (function words only). Used to keep similarity on content words and to
# tell English text from other languages.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "said",
        "says",
        "say",
        "s",
        "t",
        "would've",
        "it's",
        "he's",
        "she's",
        "they're",
        "we're",
        "i'm",
        "don't",
        "didn't",
        "doesn't",
        "won't",
        "can't",
        "isn't",
        "wasn't",
        "weren't",
        "aren't",
    ]
)

# Function words that are very frequent in English and rare elsewhere; their share of tokens separates
# English from other languages well (English news prose: 0.35-0.5; French/German/Spanish: < 0.08).
_ENGLISH_MARKERS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "was",
        "that",
        "for",
        "on",
        "with",
        "as",
        "by",
        "at",
        "from",
        "are",
        "be",
        "this",
        "have",
        "has",
        "had",
        "it",
        "he",
        "she",
        "they",
        "not",
        "but",
        "which",
        "were",
        "been",
    ]
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits, keeping internal apostrophes)."""
    return _WORD.findall(text.lower())


def content_terms(text: str) -> frozenset[str]:
    """The set of non-stopword terms of a sentence, with a crude plural fold (``talks`` -> ``talk``)."""
    out = set()
    for w in words(text):
        if w in STOPWORDS or len(w) < 2:
            continue
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return frozenset(out)


def word_count(text: str) -> int:
    return len(text.split())


def sentence_features(doc: Document) -> SentenceFeatures:
    return SentenceFeatures(
        terms=tuple(content_terms(s.text) for s in doc.sentences),
        word_counts=tuple(word_count(s.text) for s in doc.sentences),
        char_counts=tuple(len(s.text) for s in doc.sentences),
    )


def english_share(texts: Iterable[str], limit: int = 400) -> tuple[float, int]:
    """Share of the first ``limit`` word tokens that are common English function words, and the count."""
    seen = 0
    hits = 0
    for text in texts:
        for w in words(text):
            seen += 1
            hits += w in _ENGLISH_MARKERS
            if seen >= limit:
                return hits / seen, seen
    return (hits / seen if seen else 0.0), seen


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap coefficient |a ∩ b| / min(|a|, |b|): 1.0 when one sentence's terms are inside the other's."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


# ---------------------------------------------------------------------------------------------------------
# The learned scorer's features: one row of numbers per sentence. The names and their order are part of a
# model file's contract: change anything here and FEATURE_VERSION must change with it (old models then
# refuse to load with a message saying so, instead of scoring garbage).

FEATURE_VERSION = "nutgraf.features.v2"

FEATURE_GROUPS: dict[str, tuple[str, ...]] = {
    "position": ("idx", "rel", "uidx", "n_sent", "n_usable", "body_rel"),
    "paragraph": ("para", "para_rel", "in_para", "para_init", "has_para", "n_para", "para_len"),
    "length": ("words", "chars", "w_rel"),
    "centrality": ("cent_cos", "df_share", "df_mean", "cent_rank", "cent_rel"),
    "lead_overlap": ("ov_first", "ov_lead3", "ov_title"),
    "entity_number": ("cap_dens", "n_caps", "num_dens", "n_nums"),
    "quote_attr": ("n_quote", "starts_quote", "quote_end", "attr", "attr_pos", "first_person"),
    "cue_opener": ("pron_start", "conn_start", "cue", "qmark", "colon_end", "paren", "time_ref"),
    "novelty": ("prev_ov", "next_ov"),
    "source": ("has_dateline", "dm_furniture", "n_furniture"),
}
"""Feature groups, for the README's ablation table and ``nutgraf train --drop-groups``."""

FEATURE_NAMES: tuple[str, ...] = tuple(name for group in FEATURE_GROUPS.values() for name in group)

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_ATTRIBUTION = frozenset(
    "said says told added stated explained claimed announced reported according insisted warned "
    "confirmed revealed admitted tweeted wrote".split()
)
_FIRST_PERSON = frozenset("i me my we our us you your".split())
_PRONOUN_START = frozenset("he she it they this that these those his her their its we i you there".split())
_CONNECTIVE_START = frozenset(
    "but however and also meanwhile still yet so then instead moreover furthermore besides although though "
    "while because nevertheless nonetheless otherwise thus therefore later earlier".split()
)
_CUE = frozenset(
    "killed dead died death arrested charged police official officials authorities president government "
    "announced investigation accused court percent million billion first new will won lost attack crash "
    "sentenced suspect victim victims injured found report study".split()
)
_TIME = frozenset("monday tuesday wednesday thursday friday saturday sunday yesterday today tonight".split())
_QUOTE_CHARS = ('"', "“", "”")
_OPEN_QUOTES = frozenset("\"“'‘")
_CLOSE_QUOTES = frozenset("\"”'’")
# Furniture kinds (see clean.RULES) that only Daily Mail pages carry: the model may learn the house style.
_DM_FURNITURE = frozenset(("byline", "timestamp", "promo", "share", "caption"))


def feature_rows(doc: Document, feats: SentenceFeatures) -> list[list[float]]:
    """The learned scorer's features, one row (``FEATURE_NAMES`` order) per sentence of ``doc``.

    Built for speed (about a millisecond for a news article): one tokenization per sentence, set operations
    for the lexicons, and document-level counts computed once.
    """
    sentences = doc.sentences
    n = len(sentences)
    if n == 0:
        return []
    wc = feats.word_counts
    terms = feats.terms
    is_usable = [5 <= w <= 80 for w in wc]  # select.MIN_WORDS/MAX_WORDS (select imports this module)
    n_usable = sum(is_usable)
    # Document frequency of each content term: centrality is similarity to the rest of the document.
    df: dict[str, int] = {}
    for t in terms:
        for x in t:
            df[x] = df.get(x, 0) + 1
    d2 = sum(c * c for c in df.values())
    usable_idx = [i for i in range(n) if is_usable[i]]
    first = usable_idx[0] if usable_idx else 0
    first_terms = terms[first]
    lead_terms = frozenset().union(*(terms[i] for i in usable_idx[:3]))
    title = doc.article.title
    title_terms = content_terms(title) if title else frozenset()
    mean_w = sum(wc) / n
    p0 = sentences[0].paragraph
    n_para = sentences[-1].paragraph - p0 + 1
    para_size: dict[int, int] = {}
    for s in sentences:
        para_size[s.paragraph] = para_size.get(s.paragraph, 0) + 1
    kinds = {f.kind for f in doc.furniture}
    has_dateline = 1.0 if "dateline" in kinds else 0.0
    dm_furniture = 1.0 if kinds & _DM_FURNITURE else 0.0
    n_furniture = float(len(doc.furniture))
    # Character position within the body: from the first sentence's start to the last one's end (furniture
    # before and after is outside it; sentence counts hide long and short sentences).
    body_start = sentences[0].start
    body_len = max(sentences[-1].end - body_start, 1)

    rows: list[list[float]] = []
    cents: list[float] = []
    uidx = 0
    para_first = -1
    prev_para = None
    for i, s in enumerate(sentences):
        text = s.text
        st = terms[i]
        nt = len(st)
        w = wc[i]
        nw = w if w > 0 else 1
        if s.paragraph != prev_para:
            para_first, prev_para = i, s.paragraph
        # Centrality: cosine between the sentence's term vector and the rest of the document's df vector.
        if nt:
            dot = 0
            shared = 0
            for x in st:
                c = df[x]
                dot += c - 1
                shared += c > 1
            rest2 = d2 - 2 * dot - nt
            cent = dot / math.sqrt(nt * rest2) if rest2 > 0 else 0.0
            df_share = shared / nt
            df_mean = dot / nt / (n - 1) if n > 1 else 0.0
            ov_first = 1.0 if i == first else len(st & first_terms) / nt
            ov_lead = len(st & lead_terms) / nt
            ov_title = len(st & title_terms) / nt if title_terms else 0.0
        else:
            cent = df_share = df_mean = ov_first = ov_lead = ov_title = 0.0
        cents.append(cent)
        tokens = _TOKEN.findall(text)
        n_caps = 0
        n_nums = 0
        for t in tokens[1:]:
            c0 = t[0]
            if c0.isupper():
                n_caps += 1
            elif c0.isdigit():
                n_nums += 1
        if tokens and tokens[0][0].isdigit():
            n_nums += 1
        lower = [t.lower() for t in tokens]
        lower_set = set(lower)
        attr_pos = -1.0
        if lower_set & _ATTRIBUTION:
            attr_pos = next(j for j, t in enumerate(lower) if t in _ATTRIBUTION) / len(lower)
        first_word = lower[0] if lower else ""
        prev_ov = 0.0
        if nt:
            for j in range(max(0, i - 5), i):
                o = terms[j]
                if o:
                    prev_ov = max(prev_ov, len(st & o) / min(nt, len(o)))
        next_ov = 0.0
        if nt:
            for j in range(i + 1, min(n, i + 4)):
                o = terms[j]
                if o:
                    next_ov = max(next_ov, len(st & o) / min(nt, len(o)))
        u = uidx if is_usable[i] else -1
        rows.append(
            [
                # position
                i,
                i / n,
                u,
                n,
                n_usable,
                (s.start - body_start) / body_len,
                # paragraph
                s.paragraph - p0,
                (s.paragraph - p0) / n_para,
                i - para_first,
                1.0 if i == para_first else 0.0,
                1.0 if n_para > 1 else 0.0,
                n_para,
                para_size[s.paragraph],
                # length
                w,
                len(text),
                w / mean_w if mean_w else 0.0,
                # centrality (cent_rank and cent_rel are filled in below)
                cent,
                df_share,
                df_mean,
                0.0,
                0.0,
                # lead overlap
                ov_first,
                ov_lead,
                ov_title,
                # entities and numbers
                n_caps / nw,
                n_caps,
                n_nums / nw,
                n_nums,
                # quotes and attribution
                sum(text.count(q) for q in _QUOTE_CHARS),
                1.0 if text[:1] in _OPEN_QUOTES else 0.0,
                1.0 if text.rstrip()[-1:] in _CLOSE_QUOTES else 0.0,
                1.0 if attr_pos >= 0 else 0.0,
                attr_pos,
                len(lower_set & _FIRST_PERSON) / nw,
                # cue phrases and openers
                1.0 if first_word in _PRONOUN_START else 0.0,
                1.0 if first_word in _CONNECTIVE_START else 0.0,
                len(lower_set & _CUE) / nw,
                1.0 if "?" in text else 0.0,
                1.0 if text.rstrip().endswith(":") else 0.0,
                1.0 if "(" in text else 0.0,
                1.0 if lower_set & _TIME else 0.0,
                # novelty against the sentences around it
                prev_ov,
                next_ov,
                # source style
                has_dateline,
                dm_furniture,
                n_furniture,
            ]
        )
        if is_usable[i]:
            uidx += 1
    rank_col = FEATURE_NAMES.index("cent_rank")
    for r, i in enumerate(sorted(range(n), key=lambda i: (-cents[i], i))):
        rows[i][rank_col] = r / n
    # Centrality against the document's most central sentence: comparable across short and long articles.
    top = max(cents)
    if top > 0:
        rel_col = FEATURE_NAMES.index("cent_rel")
        for i in range(n):
            rows[i][rel_col] = cents[i] / top
    return rows
