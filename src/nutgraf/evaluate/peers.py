"""Peer summarizers (sumy's LexRank, TextRank and LSA; lede) behind one calling convention, for evaluation.

``load_peer(name)`` returns ``(article_text, k) -> sentences``: at most ``k`` sentences, in document order,
each an exact substring of the article so the caller can recover its span. The peers are optional
(``nutgraf[eval]``) and imported only inside ``load_peer``; setup (stemmer, stop words, summarizer
objects) happens once per ``load_peer`` call, not once per article.

Two things are done differently from the peers' own front doors, both because the front doors cannot be
used here:

- sumy's ``Tokenizer("english")`` needs NLTK's punkt data, which cannot be downloaded offline. We build
  sumy's document model ourselves, with sentences (and paragraphs) from nutgraf's segmenter and words from a
  regex tokenizer; sumy's own Snowball stemmer and English stop-word list are used unchanged.
- ``lede.summarize`` only takes a character budget. We run lede's own default-mode pipeline (its sentence
  splitter, heading separation, section map and scorer) and take the top ``k`` by lede's own ranking (score
  descending, position ascending, headings never) -- the same order its greedy character-budget selector
  walks. Those are private lede functions, pinned to what lede 0.5.1 has; ``load_peer`` checks they exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import import_module, metadata
from types import ModuleType
from typing import Any

from nutgraf.errors import PeerUnavailable as PeerUnavailable  # defined with the other errors
from nutgraf.errors import UnknownName
from nutgraf.segment import segment

__all__ = ["INSTALL_LINE", "PEER_NAMES", "Peer", "PeerUnavailable", "load_peer", "peer_note"]

Peer = Callable[[str, int], list[str]]
"""``(article_text, k) -> up to k sentences``, in document order, each a substring of ``article_text``."""

PEER_NAMES: tuple[str, ...] = ("lede", "sumy-lexrank", "sumy-lsa", "sumy-textrank")

INSTALL_LINE = "pip install 'nutgraf[eval]'"

_SUMY_CLASSES = {
    "sumy-lexrank": ("sumy.summarizers.lex_rank", "LexRankSummarizer", "LexRank"),
    "sumy-textrank": ("sumy.summarizers.text_rank", "TextRankSummarizer", "TextRank"),
    "sumy-lsa": ("sumy.summarizers.lsa", "LsaSummarizer", "LSA"),
}
# lede 0.5.1's private pipeline pieces that its default mode runs (lede/tfidf.py: _select_default).
_LEDE_PRIVATE = ("_separate_heading_lines", "_build_section_map", "_composite_score_default")
# Below this many sentences lede does not rank at all: summarize() returns the text unchanged
# (lede.tfidf._MIN_SENTENCES = 3).
_LEDE_MIN_SENTENCES = 3

# Words as sumy's Tokenizer keeps them (its _WORD_PATTERN: letters, with inner apostrophes and hyphens),
# found directly instead of filtering NLTK's word_tokenize output. Apostrophes stay inside the word
# ("don't", "Broussard's"); the Snowball stemmer strips a possessive 's.
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _unknown(name: str) -> UnknownName:
    return UnknownName(f"Unknown peer {name!r}. Available: {', '.join(sorted(PEER_NAMES))}")


def _import(peer: str, module: str) -> ModuleType:
    try:
        return import_module(module)
    except ImportError as exc:
        missing = exc.name or module
        raise PeerUnavailable(
            f"Peer {peer!r} needs the {missing.split('.')[0]!r} package, which is not installed. "
            f"Install the peers with: {INSTALL_LINE}"
        ) from exc


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "(not installed)"


def peer_note(name: str) -> str:
    """One line for reports: which package and version, and how nutgraf drives it."""
    if name not in PEER_NAMES:
        raise _unknown(name)
    if name == "lede":
        return (
            f"lede {_version('lede')} default mode, top-k sentences by lede's own scorer and ranking instead "
            "of its character budget (private lede API), mapped back to the article's text"
        )
    label = _SUMY_CLASSES[name][2]
    return (
        f"sumy {_version('sumy')} {label} (English Snowball stemmer and stop words), sentences from "
        "nutgraf's segmenter (sumy's NLTK tokenizer needs data that cannot be downloaded offline)"
    )


def load_peer(name: str) -> Peer:
    """The peer registered under ``name``, set up once. ``PeerUnavailable`` if its package is missing."""
    if name not in PEER_NAMES:
        raise _unknown(name)
    if name == "lede":
        return _load_lede()
    return _load_sumy(name)


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be a positive number, got {k}")


# --- sumy ---------------------------------------------------------------------------------------------------


class _SegmenterTokenizer:
    """What sumy asks of a tokenizer (``language``, ``to_sentences``, ``to_words``), without NLTK data."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(s.text for s in segment(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


def _load_sumy(name: str) -> Peer:
    module, cls_name, _ = _SUMY_CLASSES[name]
    # sumy imports numpy softly and fails only when summarizing; check it now, with the install line.
    numpy = _import(name, "numpy")
    summarizer_cls = getattr(_import(name, module), cls_name)
    dom = _import(name, "sumy.models.dom")
    stemmers = _import(name, "sumy.nlp.stemmers")
    utils = _import(name, "sumy.utils")

    summarizer: Any = summarizer_cls(stemmers.Stemmer("english"))
    summarizer.stop_words = utils.get_stop_words("english")
    tokenizer = _SegmenterTokenizer()
    sumy_sentence, sumy_paragraph, sumy_document = dom.Sentence, dom.Paragraph, dom.ObjectDocumentModel

    def run(text: str, k: int) -> list[str]:
        _check_k(k)
        sentences = segment(text)
        if not sentences:
            return []
        objects = [sumy_sentence(s.text, tokenizer) for s in sentences]
        paragraphs: list[list[Any]] = []
        last = None
        for s, obj in zip(sentences, objects, strict=True):
            if s.paragraph != last:
                paragraphs.append([])
                last = s.paragraph
            paragraphs[-1].append(obj)
        document = sumy_document([sumy_paragraph(p) for p in paragraphs])
        # When no term has a positive idf (two sentences, or nothing shared), LexRank's power method divides
        # 0 by 0: every rating is NaN and sumy's stable sort falls back to document order. That is sumy's
        # answer; the RuntimeWarning it raises on the way is noise (errstate is thread-local).
        with numpy.errstate(invalid="ignore", divide="ignore"):
            chosen = summarizer(document, k)
        # sumy returns the very Sentence objects it was given; identity (not text, which sumy hashes and
        # compares on) tells repeated sentences apart.
        index = {id(obj): i for i, obj in enumerate(objects)}
        picked = sorted(index[id(obj)] for obj in chosen)
        return [sentences[i].text for i in picked]

    return run


# --- lede ---------------------------------------------------------------------------------------------------


def _load_lede() -> Peer:
    tfidf = _import("lede", "lede.tfidf")
    splitter = _import("lede", "lede.sentences")
    missing = [f for f in _LEDE_PRIVATE if not hasattr(tfidf, f)]
    if missing or not hasattr(splitter, "split_sentences"):
        raise PeerUnavailable(
            f"lede {_version('lede')} lacks {', '.join(missing or ['split_sentences'])}: "
            "nutgraf's lede adapter was written against lede 0.5.1 (pip install 'lede==0.5.1')"
        )
    separate = tfidf._separate_heading_lines
    section_map = tfidf._build_section_map
    score = tfidf._composite_score_default
    split = splitter.split_sentences
    neg_inf = float("-inf")

    def run(text: str, k: int) -> list[str]:
        _check_k(k)
        sentences: list[str] = split(separate(text))
        spans = _map_back(text, sentences)
        picked: list[int] = []
        if len(sentences) >= _LEDE_MIN_SENTENCES:
            scores: list[float] = score(sentences, section_map(sentences))
            ranked = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
            # Headings (to lede: also any sentence with under four words of 3+ letters) score -inf and are
            # never picked, as in lede's own selector.
            picked = sorted([i for i in ranked if scores[i] != neg_inf][:k])
        if not picked:
            # Too few sentences to rank, or all of them headings: lede.summarize then returns the text
            # unchanged (or cut to the budget), so its count-based equivalent is the first k sentences.
            picked = list(range(min(k, len(sentences))))
        # A sentence that cannot be found in the article is dropped, not replaced: fewer than k come back.
        return [text[span[0] : span[1]] for i in picked if (span := spans[i]) is not None]

    return run


def _map_back(text: str, sentences: list[str]) -> list[tuple[int, int] | None]:
    """Where each of lede's sentences is in ``text``, searching forward in order.

    lede splits a copy of the text with blank lines inserted after heading-like lines and strips each
    sentence, so its sentences are normally verbatim substrings; the only rewrite is dropping NUL
    characters. A sentence not found verbatim is looked for ignoring whitespace and NULs, then given up on.
    """
    out: list[tuple[int, int] | None] = []
    pos = 0
    for s in sentences:
        i = text.find(s, pos)
        if i >= 0:
            out.append((i, i + len(s)))
            pos = i + len(s)
            continue
        words = ["\x00*".join(map(re.escape, w)) for w in s.split()]
        m = re.compile(r"[\s\x00]+".join(words)).search(text, pos) if words else None
        if m is None:
            out.append(None)
        else:
            out.append(m.span())
            pos = m.end()
    return out
