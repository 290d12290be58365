"""Sentence segmentation for news text, with exact character offsets.

One compiled regex finds candidate boundaries (a run of ``. ! ? …`` plus closing quotes/brackets, followed
by whitespace; or a CJK full stop); a few cheap checks on the word before and the word after decide each
candidate. Paragraph and line breaks, and the edges of the body regions, are hard boundaries found before
that. Nothing is rewritten: every sentence is ``text[start:end]``, trimmed of surrounding whitespace.

Rules and word lists (English's, in ``nutgraf.lang.en``) were tuned against the Pragmatic Segmenter golden
rules and the 250 ``sentence_lines`` articles of ``cnndm/test.jsonl.gz`` (used only as segmentation gold);
re-run ``tests/test_segment.py`` and ``benchmarks/segmenters.py`` after changing any of them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from nutgraf.contracts import Sentence, Span
from nutgraf.lang import LANGUAGES, UNSPACED, Segmentation, language

__all__ = ["NewsSegmenter", "segment"]

# A candidate boundary. ``p`` is the terminal punctuation: a run of . ! ? … that may continue as a spaced
# ellipsis (". . ."); ``c`` the closing quotes/brackets after it, including a quote that stands alone
# between spaces (PTB-tokenized `` ''``, Daily Mail ``said. ' Then``: the news gold puts it with the
# sentence before, and so do we). The leading lookahead lets the regex engine skip fast to punctuation;
# the lookbehinds stop a scan from restarting inside a run, and the possessive/atomic groups stop
# backtracking, so a long run of dots or a 10,000-word sentence is scanned in linear time.
_CANDIDATE = re.compile(
    r"(?=[.!?…。！？])(?:"
    r"(?P<p>(?>[.!?…](?<![.!?…].)(?<![.!?…] .)[.!?…]*+(?: \.)*+))"
    r"(?P<c>[\"'”’»)\]]*+(?: (?:''|[\"'‘’“”])(?=\s|$))?+)"
    r"(?=\s|$)"
    r"|(?P<cjk>[。！？]++[」』”’)）]*+))"
)
# Marks that end a sentence wherever they stand, with no space after and no capital letter to follow (no
# script that uses them has case): the CJK full stop, exclamation and question marks and the full-width
# full stop; the Devanagari danda (Hindi, Marathi), the Urdu full stop and the Arabic question mark; the
# Ethiopic full stop and question mark (Amharic); the Burmese and Armenian full stops.
_HARD_MARKS = "。！？．।॥۔؟።፧။։"
_HARD_CLOSERS = "」』”’)）》»›\"'"
# Quotations and brackets whose inner punctuation ends no sentence in the languages after English (the
# Pragmatic Segmenter's rule): « », „ “, ,, “, " ", “ ”, ( ), 「 」, 『 』, 《 》, ‹ ›; at most 400 characters.
_QUOTED = re.compile(
    r"«[^«»\n]{1,400}»|„[^„“”\n]{1,400}[“”]|,,[^“”\n]{1,400}[“”]|“[^“”\n]{1,400}”|\"[^\"\n]{1,400}\""
    r"|\([^()\n]{1,400}\)|「[^「」\n]{1,400}」|『[^『』\n]{1,400}』|《[^《》\n]{1,400}》|‹[^‹›\n]{1,400}›"
)
_ROMAN = re.compile(r"[IVXLC]{1,6}")
_DASHES = "–—-"


def _candidate_pattern(marks: str) -> re.Pattern[str]:
    """The candidate boundaries of a language other than English: English's, plus the marks that always end
    a sentence (``_HARD_MARKS``) and the language's own marks (Greek's ``;``, Armenian's ``:``); closing
    quotes of every style."""
    soft = re.escape(".!?…" + marks)
    hard = re.escape(_HARD_MARKS)
    return re.compile(
        rf"(?=[{soft}{hard}])(?:"
        rf"(?P<p>(?>[{soft}](?<![{soft}].)(?<![{soft}] .)[{soft}]*+(?: \.)*+))"
        r"(?P<c>[\"'”’“»«›‹)\]]*+(?: (?:''|[\"'‘’“”])(?=\s|$))?+)"
        r"(?=\s|$)"
        rf"|(?P<cjk>[{hard}]++[{re.escape(_HARD_CLOSERS)}]*+))"
    )


# The word after a candidate: skip whitespace and opening quotes/brackets, take up to 24 characters.
_NEXT = re.compile(r"\s*(?:``|[(\[\"'“‘«`])*(\S{0,24})")
# A block that opens with a list marker: "1.", "2)", "3.)", "a.", "• 9.", "⁃9.", or a bare bullet.
_LIST_START = re.compile(r"\s*+(?:(?P<b>[•⁃▪◦‣])\s*)?(?:(?P<n>\d{1,2}|[a-z])(?P<s>\.\)|\.|\)))?(?=\s)")
_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n)+")
_BULLET_LINE = re.compile(r"[^\S\n]*(?:[•⁃▪◦‣*\-–]|\d{1,2}[.)])\s")
# Abbreviations made of one- or two-letter parts joined by dots: U.S, U.S.A, a.m, Ph.D, D.C, e.g.
_DOTTED = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")

_OPENERS = "\"'“‘([{«`"
_BULLETS = "•⁃▪◦‣*-–"


_TERMINAL_END = frozenset(".!?:;\"'”’)»…。！？")

# The abbreviations and sentence openers are English's (``nutgraf.lang.en``, with the notes on how they were
# tuned): titles ("Mr"), abbreviations that may end a sentence ("Inc") or take a number ("No"), words that
# open a sentence, words that continue a time after "a.m.", and the clock abbreviations themselves.
_ABBREVIATIONS = language("en").segmentation
_KNOWN = _ABBREVIATIONS.titles | _ABBREVIATIONS.sometimes_final
_UPPER = re.compile(r"[A-Z]")
# Other languages' abbreviations made of short parts joined by dots, in any alphabet ("z.B", "т.е", "π.χ").
_DOTTED_ANY = re.compile(r"(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3}")


@dataclass(frozen=True, slots=True)
class _Rules:
    """One language's segmentation: its candidate pattern, abbreviations and which English-only habits apply."""

    candidate: re.Pattern[str]
    abbr: Segmentation
    known: frozenset[str]
    dotted: re.Pattern[str]
    english: bool
    """English's own rules: lower-cased archives, list markers, times ("5 p.m. Monday")."""
    ordinals: bool
    """A number's full stop is an ordinal ("am 3. Oktober", "3. maj"), not an end, unless the next word opens
    a sentence of its own."""
    full_stop: bool = True
    """Whether "." ends a sentence at all (not in Armenian)."""
    folded: frozenset[str] = frozenset()
    """Every abbreviation lower-cased: other languages' lists are matched whatever the case ("Kv", "кв")."""


_ENGLISH_RULES = _Rules(_CANDIDATE, _ABBREVIATIONS, _KNOWN, _DOTTED, True, False)


@lru_cache(maxsize=64)
def _rules(code: str | None) -> _Rules:
    """The segmentation rules for a language code (English's for None, "en" and any language without rules)."""
    if code is None or code == "en" or code not in LANGUAGES:
        return _ENGLISH_RULES
    lang = LANGUAGES[code]
    abbr = lang.segmentation
    return _Rules(
        _candidate_pattern(lang.question_marks + lang.sentence_marks),
        abbr,
        abbr.titles | abbr.sometimes_final,
        _DOTTED_ANY,
        False,
        lang.ordinal_numbers,
        lang.full_stop,
        frozenset(w.lower() for w in abbr.titles | abbr.numeric),
    )


def _is_uncased(text: str) -> bool:
    """Lower-cased text (some corpora ship it so): under one capital letter per 1,000 characters, where
    English news has about 30."""
    return len(text) >= 200 and len(_UPPER.findall(text)) * 1000 < len(text)


def _is_hard_wrapped(text: str) -> bool:
    """Whether most line breaks inside paragraphs fall mid-sentence (text wrapped at a fixed width)."""
    lines = text.split("\n")
    inside = ended_mid = lower_next = 0
    for i in range(len(lines) - 1):
        this = lines[i].rstrip()
        nxt = lines[i + 1].lstrip()
        if not this or not nxt or _BULLET_LINE.match(nxt):
            continue
        inside += 1
        if this[-1] not in _TERMINAL_END:
            ended_mid += 1
            lower_next += nxt[0].islower()
    # Calibrated by hand on made-up cases (see tests): wrapped prose has a majority of lines ending
    # mid-sentence, and many of them go on with a lower-case word; stacked headlines or bullet items
    # without full stops start every line with a capital.
    return inside >= 2 and ended_mid * 2 > inside and lower_next * 4 >= ended_mid


class NewsSegmenter:
    """Splits news text into sentences. Stateless: one instance can be shared across threads."""

    name = "nutgraf.segmenter.news.v1"

    def __call__(
        self, text: str, regions: Sequence[Span] | None = None, language: str | None = None
    ) -> tuple[Sentence, ...]:
        """The sentences of ``text`` (of its ``regions`` only, when given), by the rules of ``language`` (an
        ISO 639-1 code; English's for None or a language nutgraf has no rules for)."""
        n = len(text)
        spans = _normalise_regions(regions, n)
        if not spans:
            return ()
        rules = _rules(language)
        para_ends, hard = _breaks(text, rules.english)
        uncased = rules.english and _is_uncased(text)
        out: list[Sentence] = []
        for rs, re_ in spans:
            lo = bisect_left(hard, (rs, -1))
            pos = rs
            for bs, be in hard[lo:]:
                if bs >= re_:
                    break
                if bs > pos:
                    _segment_block(text, pos, bs, para_ends, out, uncased, rules)
                pos = max(pos, be)
            if pos < re_:
                _segment_block(text, pos, re_, para_ends, out, uncased, rules)
        return tuple(out)


def _normalise_regions(regions: Sequence[Span] | None, n: int) -> list[Span]:
    if regions is None:
        return [(0, n)] if n else []
    clipped = sorted((max(0, s), min(n, e)) for s, e in regions)
    merged: list[Span] = []
    for s, e in clipped:
        if s >= e:
            continue
        # Touching regions stay separate (their shared edge is still a boundary); overlapping ones merge.
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _breaks(text: str, english: bool = True) -> tuple[list[int], list[Span]]:
    """Paragraph-break end offsets (for numbering) and all hard-break spans (paragraph and line breaks). In
    the languages after English a single line break inside a sentence (the line before ends without a mark
    and the next goes on in lower case, or both sides are letters of an unspaced script) is no break."""
    if "\n" not in text:
        return [], []
    if not english:
        ends, breaks = _breaks(text)
        return ends, [(s, e) for s, e in breaks if e - s != 1 or not _wrapped_at(text, s)]
    first = len(text) - len(text.lstrip())
    hard: list[Span] = []
    para_ends: list[int] = []
    wrapped = _is_hard_wrapped(text)
    if _BLANK_LINES.search(text):
        for m in _BLANK_LINES.finditer(text):
            hard.append(m.span())
            if m.start() > first:
                para_ends.append(m.end())
        # A single line break inside a paragraph ends a sentence unless the text is hard-wrapped; before a
        # bullet line it always does.
        for m in re.finditer("\n", text):
            i = m.start()
            if wrapped and not _BULLET_LINE.match(text, i + 1):
                continue
            k = bisect_right(hard, (i, len(text) + 1)) - 1
            if k >= 0 and hard[k][0] <= i < hard[k][1]:
                continue
            hard.append((i, i + 1))
        hard.sort()
    else:
        for m in re.finditer("\n", text):
            i = m.start()
            if wrapped and not _BULLET_LINE.match(text, i + 1):
                continue
            hard.append((i, i + 1))
            if i > first and not wrapped:
                para_ends.append(i + 1)
    return para_ends, hard


def _wrapped_at(text: str, i: int) -> bool:
    """Whether the single line break at ``i`` falls inside a sentence (looking only at the two lines' edges)."""
    j = i - 1
    while j >= 0 and text[j] in " \t\r":
        j -= 1
    k = i + 1
    while k < len(text) and text[k] in " \t":
        k += 1
    if j < 0 or k >= len(text) or text[j] in _TERMINAL_END or text[j] == "\n" or text[k] == "\n":
        return False
    if _BULLET_LINE.match(text, i + 1):
        return False
    return text[k].islower() or bool(UNSPACED.match(text[j]) and UNSPACED.match(text[k]))


def _list_splits(text: str, a: int, b: int) -> list[int]:
    """Where inline list items start, for a block that opens with a list marker ("1. x 2. y", "• x • y")."""
    m = _LIST_START.match(text, a, b)
    if m is None or (m.group("b") is None and m.group("s") is None):
        return []
    splits: list[int] = []
    bullet = m.group("b")
    if bullet is not None:
        i = text.find(bullet, m.end(), b)
        while i != -1:
            if text[i - 1].isspace():
                splits.append(i)
            i = text.find(bullet, i + 1, b)
        return splits
    label, style = m.group("n"), m.group("s")
    i = m.end()
    while True:
        label = str(int(label) + 1) if label.isdigit() else chr(ord(label) + 1)
        j = text.find(f"{label}{style}", i, b)
        while j != -1 and not (
            text[j - 1].isspace()
            and (j + len(label) + len(style) >= b or text[j + len(label) + len(style)].isspace())
        ):
            j = text.find(f"{label}{style}", j + 1, b)
        if j == -1:
            return splits
        splits.append(j)
        i = j + 1


def _segment_block(
    text: str,
    a: int,
    b: int,
    para_ends: list[int],
    out: list[Sentence],
    uncased: bool = False,
    rules: _Rules = _ENGLISH_RULES,
) -> None:
    """Append the sentences of ``text[a:b]``, a stretch with no hard break inside."""
    cuts: list[int] = []
    extra = _list_splits(text, a, b)
    ei = 0
    sent_start = a
    quoted = [] if rules.english else [q.span() for q in _QUOTED.finditer(text, a, b)]
    for m in rules.candidate.finditer(text, a, b):
        pos = m.start()
        if quoted and _inside(quoted, pos, m.end()):
            continue
        while ei < len(extra) and extra[ei] <= pos:
            cuts.append(extra[ei])
            sent_start = extra[ei]
            ei += 1
        cut = _decide(text, m, b, sent_start, uncased, rules)
        if cut:
            cuts.append(cut)
            sent_start = cut
    cuts.extend(extra[ei:])
    cuts.append(b)
    start = a
    for end in cuts:
        if end <= start:
            continue
        piece = text[start:end]
        body = piece.strip()
        if body:
            s = start + len(piece) - len(piece.lstrip())
            out.append(Sentence(body, s, s + len(body), bisect_right(para_ends, s), len(out)))
        start = end


def _inside(quoted: list[Span], pos: int, end: int) -> bool:
    """Whether a candidate at ``pos`` (its closers ending at ``end``) stands inside a quotation and does not
    close it."""
    k = bisect_right(quoted, (pos, 1 << 62)) - 1
    return k >= 0 and quoted[k][0] < pos and end < quoted[k][1]


def _decide(
    text: str,
    m: re.Match[str],
    b: int,
    sent_start: int,
    uncased: bool = False,
    rules: _Rules = _ENGLISH_RULES,
) -> int:
    """The offset where a sentence ends at candidate ``m``, or 0 when it is not a boundary.

    In ``uncased`` text (lower-cased corpora) capitalisation says nothing, so the next word is judged as if
    it were capitalised and abbreviations are looked up capitalised."""
    abbr = rules.abbr
    end = m.end()
    nm = _NEXT.match(text, end, b)
    if nm is None or (nm.end() >= b and not nm.group(1)):
        return 0  # nothing follows in this block: the block end closes the sentence anyway
    if m.group("cjk"):
        return _decide_hard(text, m, nm)
    nxt = nm.group(1)
    c = nxt[:1]
    if not c:
        c = text[nm.end() - 1] if nm.end() > end else " "
    if c in ".!?…":
        return 0  # more punctuation follows (PTB "U.S. ."): let the next candidate decide
    if not rules.english and _goes_on(text, m, nm.end(), b, c, rules):
        return 0
    if c.islower():
        if not uncased:
            return 0
        c, nxt = c.upper(), nxt.capitalize()
    p = m.group("p")
    pos = m.start()
    if p[0] != ".":
        return end
    if len(p) > 1:
        return _decide_ellipsis(text, p, pos, end, c)
    # A single full stop: look at the word before it.
    lo = max(sent_start, pos - 64)
    if pos == lo or text[pos - 1].isspace():
        return end  # a stand-alone stop: PTB " . ", or Daily Mail "video\xa0. Filmmaker"
    closers = m.group("c")
    w = text[lo:pos].split()[-1].lstrip(_OPENERS)
    core = w.lstrip(_BULLETS)
    if not rules.english:
        core = core.rsplit("'", 1)[-1].rsplit("’", 1)[-1]  # "l'Ing." -> "Ing", "dell'Avv." -> "Avv"
    if (
        len(core) <= 2
        and (core.isdigit() or (len(core) == 1 and core.isalpha()))
        and closers in ("", ")")
        and not text[sent_start : pos - len(core)].strip().strip(_BULLETS)
    ):
        return 0  # "1. The first item", "a. The first item", "1.) The first item": a list marker
    if closers:
        return end
    if "-" in core and core[0].isalpha():
        core = core.rsplit("-", 1)[1]  # "R-Ariz" -> "Ariz"
    if uncased and core.islower() and core not in abbr.numeric:
        core = core.capitalize() if core.capitalize() in rules.known else core
    digit = c.isdigit()
    if not rules.english and _abbreviated(core, nxt, rules):
        return 0
    if core in abbr.titles:
        return 0
    if core in abbr.numeric:
        return 0 if digit else end
    ambiguous = core in abbr.sometimes_final or (len(core) == 1 and core.isalpha())
    if not ambiguous and "." in core and rules.dotted.fullmatch(core):
        if core in abbr.clock_abbreviations:
            if uncased:
                return 0  # "at 5 p.m. on friday": without capitals, keep the time with its sentence
            return _decide_time(text, nxt, sent_start, pos, end, digit, abbr)
        ambiguous = True
    if ambiguous:
        if digit:
            return 0
        return end if _starter(nxt, abbr) else 0
    return end


def _decide_hard(text: str, m: re.Match[str], nm: re.Match[str]) -> int:
    """A mark that always ends a sentence (``_HARD_MARKS``), except a full-width decimal point and a closing
    quotation the sentence goes on after."""
    mark = m.group("cjk")
    if mark[0] == "．" and text[m.start() - 1 : m.start()].isdigit() and nm.group(1)[:1].isdigit():
        return 0  # "３．２９": a full-width decimal point
    if mark[-1] in "」』》）)" and UNSPACED.match(text, m.end()):
        return 0  # 「我来了。」然后走了。: a quotation inside the sentence that goes on
    return m.end()


def _goes_on(text: str, m: re.Match[str], after: int, b: int, c: str, rules: _Rules) -> bool:
    """In the languages after English: whether the sentence goes on past candidate ``m`` whatever the word
    before it, because of what follows (``c`` is its first character)."""
    if c in ",;:№" or (c in _DASHES and _lower_after_dash(text, after, b)):
        return True  # ",,Das", "№ 70", "? – спросила мама"
    return not rules.full_stop and m.group("p")[0] == "."  # Armenian: "." is a pause


def _abbreviated(core: str, nxt: str, rules: _Rules) -> bool:
    """In the languages after English: whether ``core.`` is an ordinal or a title or numeric abbreviation."""
    if (
        rules.ordinals
        and ((core.isdigit() and len(core) <= 2) or _ROMAN.fullmatch(core))
        and not _starter(nxt, rules.abbr)
    ):
        return True  # "am 3. Oktober", "XII. Pluku": an ordinal, unless a word follows that opens a sentence
    # "Kv. 234", "пгт. Брагиновка": a title or numeric abbreviation in any case
    return core.lower() in rules.folded and core not in rules.abbr.sometimes_final


def _lower_after_dash(text: str, i: int, b: int) -> bool:
    """Whether a dash at ``i - 1`` is followed by a lower-case word: direct speech goes on ("– спросила")."""
    j = i
    while j < b and text[j] in _DASHES:
        j += 1
    while j < b and text[j].isspace():
        j += 1
    return j < b and text[j].islower()


def _starter(word: str, abbr: Segmentation = _ABBREVIATIONS) -> bool:
    for sep in "'’,;:.!?\")”":
        word = word.split(sep, 1)[0]
    return word in abbr.starters


def _decide_time(
    text: str, nxt: str, sent_start: int, pos: int, end: int, digit: bool, abbr: Segmentation = _ABBREVIATIONS
) -> int:
    """ "a.m."/"p.m." end a sentence before a capitalised word unless it continues the time expression."""
    if digit:
        return 0
    if _starter(nxt, abbr):
        return end
    word = nxt.rstrip(",;:.!?\"')”’")
    if word in abbr.time_continuations:
        return 0
    # "At 5 a.m. Mr. Smith went": a fronted time adverbial (three words or fewer so far) is no sentence.
    if text.count(" ", sent_start, pos) < 3:
        return 0
    return end


def _decide_ellipsis(text: str, p: str, pos: int, end: int, c: str) -> int:
    """Ellipses, after the Pragmatic Segmenter rules: "that.... She" and "period . . . . Next" end a
    sentence, "is . . . I didn't" and "[...]" do not, and "compounds. . . . The" ends after the first stop."""
    if not (c.isupper() or c.isdigit() or not c.isalpha()):
        return 0
    if pos > 0 and text[pos - 1] == "[":
        return 0
    if " " in p:
        dots = p.count(".")
        if pos > 0 and not text[pos - 1].isspace():
            return pos + 1 if dots >= 4 else 0
        return end if dots >= 4 else 0
    return end


segment = NewsSegmenter()
