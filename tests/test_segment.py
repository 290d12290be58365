"""Tests for nutgraf.segment: golden tables, real-news accuracy floor, and span invariants."""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nutgraf.contracts import Sentence, Span
from nutgraf.segment import NewsSegmenter, segment

GOLDEN_DIR = Path(__file__).parent / "golden" / "segment"
REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("NUTGRAF_DATA", REPO_ROOT.parent / "shared" / "data"))


def texts(text: str, regions: Sequence[Span] | None = None) -> list[str]:
    return [s.text for s in segment(text, regions)]


# --- The Pragmatic Segmenter golden rules --------------------------------------------------------------
# tests/golden/segment/golden_rules_en.json holds the 48 English golden rules of Kevin Dias's
# pragmatic_segmenter (MIT) exactly as pySBD (MIT) uses them in tests/lang/test_english.py; see its
# "provenance" field. A rule passes only when the list of stripped sentences matches exactly.
GOLDEN_RULES = json.loads((GOLDEN_DIR / "golden_rules_en.json").read_text(encoding="utf-8"))["cases"]


def test_segment_passes_the_golden_rules() -> None:
    failures = []
    for case in GOLDEN_RULES:
        got = [t.strip() for t in texts(case["text"])]
        if got != case["sentences"]:
            failures.append(f"{case['text']!r}\n    expected {case['sentences']!r}\n    got      {got!r}")
    rate = 1 - len(failures) / len(GOLDEN_RULES)
    assert len(GOLDEN_RULES) == 48
    assert rate >= 0.97, f"{len(failures)} golden rules fail:\n" + "\n".join(failures)


# --- The golden rules of 22 other languages -----------------------------------------------------------
# tests/golden/segment/multilingual.jsonl: the 278 cases of pySBD's (MIT) tests/lang/test_<language>.py for
# am ar bg da de el es fa fr hi hy it ja kk mr my nl pl ru sk ur zh (the Pragmatic Segmenter's golden rules
# and pySBD's additions), each with its "source" (repository@commit:path). A case passes when the sentences,
# white space folded (nutgraf never rewrites the text: pySBD's "clean" cases join lines), match exactly.
MULTILINGUAL = [
    json.loads(line)
    for line in (GOLDEN_DIR / "multilingual.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
_UNSPACED_GAP = re.compile(r"(?<=[\u3040-\u30ff\u4e00-\u9fff]) (?=[\u3040-\u30ff\u4e00-\u9fff])")


def _folded(sentence: str) -> str:
    return _UNSPACED_GAP.sub("", " ".join(sentence.split()))


def test_segment_passes_the_golden_rules_of_22_more_languages() -> None:
    by_language: dict[str, list[int]] = {}
    failures = []
    for case in MULTILINGUAL:
        got = [_folded(s.text) for s in segment(case["text"], language=case["lang"])]
        want = [_folded(e) for e in case["expected"] if e.strip()]
        tally = by_language.setdefault(case["lang"], [0, 0])
        tally[1] += 1
        if got == want:
            tally[0] += 1
        else:
            failures.append(
                f"{case['lang']}: {case['text'][:80]!r}\n    expected {want!r}\n    got      {got!r}"
            )
    assert len(by_language) == 22 and len(MULTILINGUAL) == 278
    rate = sum(t[0] for t in by_language.values()) / len(MULTILINGUAL)
    assert rate >= 0.95, f"{rate:.1%} right; failing:\n" + "\n".join(failures)
    # Without the language (English rules) most of the other scripts' cases fail: the rules are what pass them.
    english_rules = sum(
        [_folded(s.text) for s in segment(c["text"])] == [_folded(e) for e in c["expected"] if e.strip()]
        for c in MULTILINGUAL
    )
    assert english_rules / len(MULTILINGUAL) < 0.75


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("hi", "यह एक वाक्य है। यह दूसरा वाक्य है।", ["यह एक वाक्य है।", "यह दूसरा वाक्य है।"]),
        ("ur", "یہ پہلا جملہ ہے۔ یہ دوسرا جملہ ہے؟", ["یہ پہلا جملہ ہے۔", "یہ دوسرا جملہ ہے؟"]),
        ("am", "ይህ አንድ ነው። ይህ ሁለት ነው፧", ["ይህ አንድ ነው።", "ይህ ሁለት ነው፧"]),
        ("my", "ဒါကစာကြောင်းပါ။ ဒါကနောက်တစ်ကြောင်းပါ။", ["ဒါကစာကြောင်းပါ။", "ဒါကနောက်တစ်ကြောင်းပါ။"]),
        ("hy", "Սա առաջինն է։ Սա երկրորդն է:", ["Սա առաջինն է։", "Սա երկրորդն է:"]),
        ("el", "Τι κάνεις; Καλά είμαι.", ["Τι κάνεις;", "Καλά είμαι."]),
        ("zh", "他说：「我来了。」然后走了。", ["他说：「我来了。」然后走了。"]),
        (
            "de",
            "Am 3. Oktober feiern wir. Wir haben 1.000.000 Euro.",
            ["Am 3. Oktober feiern wir.", "Wir haben 1.000.000 Euro."],
        ),
        (
            "ru",
            "«Ты готов? – спросила мама. – Пора». Он кивнул.",
            ["«Ты готов? – спросила мама. – Пора».", "Он кивнул."],
        ),
        ("it", "Ho visto l'Avv. Rossi. Poi sono uscito.", ["Ho visto l'Avv. Rossi.", "Poi sono uscito."]),
    ],
)
def test_each_languages_marks_quotes_and_abbreviations(language: str, text: str, expected: list[str]) -> None:
    sentences = segment(text, language=language)
    assert [s.text for s in sentences] == expected
    assert all(text[s.start : s.end] == s.text for s in sentences)


# --- News cases written for nutgraf ---------------------------------------------------------------------
NEWS_CASES: list[tuple[str, list[str]]] = [
    # abbreviations and titles
    (
        "U.S. officials met on Monday. The U.N. Security Council voted.",
        ["U.S. officials met on Monday.", "The U.N. Security Council voted."],
    ),
    (
        "Gen. David Petraeus resigned. Sen. John McCain, R-Ariz., and Rep. Nancy Pelosi reacted.",
        ["Gen. David Petraeus resigned.", "Sen. John McCain, R-Ariz., and Rep. Nancy Pelosi reacted."],
    ),
    (
        "Gov. Jerry Brown signed it. Mr. Smith and Mrs. Jones objected, said Dr. Lee.",
        ["Gov. Jerry Brown signed it.", "Mr. Smith and Mrs. Jones objected, said Dr. Lee."],
    ),
    (
        "He moved from St. Louis to Main St. The house is big.",
        ["He moved from St. Louis to Main St.", "The house is big."],
    ),
    (
        "Apple Inc. Chief Executive Tim Cook spoke. He works for Acme Co. The firm declined to comment.",
        [
            "Apple Inc. Chief Executive Tim Cook spoke.",
            "He works for Acme Co.",
            "The firm declined to comment.",
        ],
    ),
    ("Acme Corp. and Widget Ltd. merged in 2010.", ["Acme Corp. and Widget Ltd. merged in 2010."]),
    (
        "It happened on Jan. 5. Police arrived on Feb. 12 and Sept. 3.",
        ["It happened on Jan. 5.", "Police arrived on Feb. 12 and Sept. 3."],
    ),
    (
        "He lived at No. 10 Downing Street. It was grand.",
        ["He lived at No. 10 Downing Street.", "It was grand."],
    ),
    ("It was Liverpool vs. Chelsea. Liverpool won.", ["It was Liverpool vs. Chelsea.", "Liverpool won."]),
    ("They bought apples, pears, etc. and left.", ["They bought apples, pears, etc. and left."]),
    ("He moved to the U.S. In 2010 he married.", ["He moved to the U.S.", "In 2010 he married."]),
    # a.m. / p.m.
    (
        "The blast happened at 5 a.m. Sunday. Nobody was hurt.",
        ["The blast happened at 5 a.m. Sunday.", "Nobody was hurt."],
    ),
    (
        "The store closed at 9 p.m. The police arrived later.",
        ["The store closed at 9 p.m.", "The police arrived later."],
    ),
    ("It starts at 8 p.m. ET on CNN.", ["It starts at 8 p.m. ET on CNN."]),
    ("At 5 a.m. Mr. Smith left home.", ["At 5 a.m. Mr. Smith left home."]),
    # initials, decimals, money
    ("J.K. Rowling wrote it. George W. Bush read it.", ["J.K. Rowling wrote it.", "George W. Bush read it."]),
    (
        "Prices rose 1.5% to $3.5 million. Shares fell 2.3 points.",
        ["Prices rose 1.5% to $3.5 million.", "Shares fell 2.3 points."],
    ),
    ("The temperature was 98.6 degrees. It fell.", ["The temperature was 98.6 degrees.", "It fell."]),
    # quotes
    ('"It is over," he said. "We lost."', ['"It is over," he said.', '"We lost."']),
    ('He said: "It is over." Then he left.', ['He said: "It is over."', "Then he left."]),
    (
        '"It was bad. We lost. It is over," she said.',
        ['"It was bad.', "We lost.", 'It is over," she said.'],
    ),
    ("He said: “It is over.” Then he left.", ["He said: “It is over.”", "Then he left."]),
    ("'It was terrible,' she said. 'I cried.'", ["'It was terrible,' she said.", "'I cried.'"]),
    ("She said: 'It is over.' Then she left.", ["She said: 'It is over.'", "Then she left."]),
    (
        "‘We’re delighted,’ said Mr. Smith. ‘It’s wonderful.’",
        ["‘We’re delighted,’ said Mr. Smith.", "‘It’s wonderful.’"],
    ),
    ('"Why?" he asked. "Because."', ['"Why?" he asked.', '"Because."']),
    # ellipses, ? and !
    ("He paused... Then he spoke.", ["He paused...", "Then he spoke."]),
    ("He paused... and then spoke.", ["He paused... and then spoke."]),
    ("Really? Yes! It was.", ["Really?", "Yes!", "It was."]),
    # bullets and headlines (line breaks)
    ("• First point\n• Second point", ["• First point", "• Second point"]),
    ("- One thing\n- Another thing", ["- One thing", "- Another thing"]),
    ("* One thing\n* Another thing", ["* One thing", "* Another thing"]),
    ("1. First thing\n2. Second thing", ["1. First thing", "2. Second thing"]),
    (
        "Storm hits coast\nThousands lose power. Roads closed.",
        ["Storm hits coast", "Thousands lose power.", "Roads closed."],
    ),
    # PTB-tokenized text
    (
        "He said , `` it 's over . '' Then he left .",
        ["He said , `` it 's over . ''", "Then he left ."],
    ),
    ("The U.S. economy grew . It was good .", ["The U.S. economy grew .", "It was good ."]),
    # URLs and e-mail
    (
        "Visit example.com for details. Or email info@example.com. Thanks.",
        ["Visit example.com for details.", "Or email info@example.com.", "Thanks."],
    ),
    # Daily Mail flat text with a non-breaking space before the caption's full stop
    (
        "Scroll down for video\xa0. Filmmaker Michael König made it.",
        ["Scroll down for video\xa0.", "Filmmaker Michael König made it."],
    ),
    (
        "(CNN) -- The U.S. Embassy declined to comment. It was final.",
        ["(CNN) -- The U.S. Embassy declined to comment.", "It was final."],
    ),
    # CJK full stops
    ("这是第一句。这是第二句！", ["这是第一句。", "这是第二句！"]),
]


@pytest.mark.parametrize(("text", "expected"), NEWS_CASES, ids=[c[0][:40] for c in NEWS_CASES])
def test_segment_handles_news_text(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_segment_keeps_abbreviations_together() -> None:
    text = "Sen. Smith met Gov. Jones and Dr. Brown of Acme Inc. in Washington, D.C. on Friday."
    assert texts(text) == [text]


def test_segment_does_not_split_hard_wrapped_lines() -> None:
    text = (
        "The committee said on Tuesday that it would hold hearings on the bill\n"
        "before the end of the month, and that the chairman expected a vote in\n"
        "the spring. Critics said the timetable was too short for a proper\n"
        "review of the proposals.\n"
    )
    assert texts(text) == [
        "The committee said on Tuesday that it would hold hearings on the bill\n"
        "before the end of the month, and that the chairman expected a vote in\n"
        "the spring.",
        "Critics said the timetable was too short for a proper\nreview of the proposals.",
    ]
    assert {s.paragraph for s in segment(text)} == {0}


def test_segment_numbers_paragraphs_by_blank_lines() -> None:
    text = "First one. Second one.\r\n\r\nThird one.\r\nFourth one\r\n\r\n\r\nFifth one."
    got = segment(text)
    assert [(s.text, s.paragraph) for s in got] == [
        ("First one.", 0),
        ("Second one.", 0),
        ("Third one.", 1),
        ("Fourth one", 1),
        ("Fifth one.", 2),
    ]
    assert [s.index for s in got] == [0, 1, 2, 3, 4]


def test_segment_treats_each_line_as_a_paragraph_without_blank_lines() -> None:
    text = "Headline here\nFirst sentence. Second sentence.\nThird sentence."
    got = segment(text)
    assert [(s.text, s.paragraph) for s in got] == [
        ("Headline here", 0),
        ("First sentence.", 1),
        ("Second sentence.", 1),
        ("Third sentence.", 2),
    ]


def test_segment_flat_text_is_one_paragraph() -> None:
    got = segment("One sentence. Another sentence. A third sentence.")
    assert [s.paragraph for s in got] == [0, 0, 0]


def test_segment_region_edges_are_hard_boundaries() -> None:
    text = "By a Reporter. The minister of state said that the plan would work. Share this article"
    cut = text.index("that")
    regions = [(15, cut), (cut, text.index(" Share"))]
    got = segment(text, regions)
    assert [s.text for s in got] == ["The minister of state said", "that the plan would work."]
    assert all(any(a <= s.start and s.end <= b for a, b in regions) for s in got)
    assert [s.index for s in got] == [0, 1]


def test_segment_counts_paragraphs_across_regions() -> None:
    text = "Furniture line.\n\nBody one.\n\nMore furniture.\n\nBody two."
    body1 = (text.index("Body one"), text.index("Body one") + len("Body one."))
    body2 = (text.index("Body two"), len(text))
    got = segment(text, [body1, body2])
    assert [(s.text, s.paragraph, s.index) for s in got] == [("Body one.", 1, 0), ("Body two.", 3, 1)]


def test_segment_of_empty_or_blank_text_is_empty() -> None:
    assert segment("") == ()
    assert segment(" \n\r\n\xa0 ") == ()
    assert segment("Some text.", [(3, 3)]) == ()


def test_segment_long_text_without_punctuation_is_one_sentence() -> None:
    text = " ".join(f"word{i % 97}" for i in range(10_000))
    got = segment(text)
    assert len(got) == 1 and got[0].text == text


def test_segment_long_runs_of_punctuation_do_not_blow_up() -> None:
    assert len(segment("." * 100_000 + "x")) == 1
    assert len(segment(". " * 50_000 + "x")) >= 1
    assert len(segment("a." * 50_000)) == 1


# --- Invariants -----------------------------------------------------------------------------------------
def check_invariants(text: str, got: tuple[Sentence, ...], regions: Sequence[Span] | None = None) -> None:
    spans = [(0, len(text))] if regions is None else list(regions)
    prev_end = 0
    prev_par = 0
    for i, s in enumerate(got):
        assert text[s.start : s.end] == s.text
        assert s.text and s.text == s.text.strip()
        assert s.start >= prev_end, "sentences overlap or are out of order"
        assert s.index == i
        assert s.paragraph >= prev_par
        assert any(a <= s.start and s.end <= b for a, b in spans), "sentence crosses a region edge"
        prev_end, prev_par = s.end, s.paragraph


WORDS = [
    "the",
    "U.S.",
    "Mr.",
    "said",
    "It",
    "a.m.",
    "J.K.",
    "3.5",
    "$100.00",
    "example.com",
    "I",
    "No.",
    "etc.",
    "Über",
    "naïve",
    "这是",
    "``",
    "''",
    "1.",
    "•",
    "-",
    "Co.",
]
PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(
        [
            " ",
            "  ",
            "\n",
            "\n\n",
            "\r\n",
            "\r\n\r\n",
            "\xa0",
            "\t",
            " . ",
            ". ",
            "? ",
            "! ",
            "...",
            ". . .",
            "'",
            '"',
            "“",
            "”",
            "‘",
            "’",
            "(",
            ")",
            "。",
            "…",
            ", ",
        ]
    ),
    st.text(min_size=1, max_size=6),
)
RANDOM_TEXT = st.lists(PIECES, max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(RANDOM_TEXT)
def test_segment_spans_round_trip_on_random_text(text: str) -> None:
    check_invariants(text, segment(text))


@st.composite
def text_and_regions(draw: st.DrawFn) -> tuple[str, list[Span]]:
    text = draw(RANDOM_TEXT)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=6)))
    regions = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
    return text, regions


@settings(max_examples=300, deadline=None)
@given(text_and_regions())
def test_segment_stays_inside_regions(case: tuple[str, list[Span]]) -> None:
    text, regions = case
    check_invariants(text, segment(text, regions), regions)


HAND_MADE_ARTICLES = [
    "(CNN) -- The U.S. Embassy declined to comment.\n\nGen. John Allen, who led NATO forces, said: "
    '"We will not leave." He added, "It is over."\n\nEXCLUSIVE: The last Americans in Afghanistan\n\n'
    "The talks resumed at 9 a.m. Monday. Officials said progress was made.",
    "By . Daily Mail Reporter . PUBLISHED: . 12:17 EST, 3 May 2013 . | . UPDATED: . 13:00 EST, 3 May 2013 . "
    "'It was terrible,' she said. 'We could not believe it.' Scroll down for video\xa0. The pair, both 32, "
    "met in 2010... Then they married.",
    "Ten people , including four children , have been hurt in a crash in Brisbane 's west . "
    "`` It 's bad , '' he said . They 've been taken to hospital .",
]


@pytest.mark.parametrize("text", HAND_MADE_ARTICLES)
def test_segment_spans_round_trip_on_articles(text: str) -> None:
    got = segment(text)
    check_invariants(text, got)
    assert len(got) >= 3


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(HAND_MADE_ARTICLES), st.data())
def test_segment_spans_round_trip_on_article_regions(text: str, data: st.DataObject) -> None:
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    check_invariants(text, segment(text, [(a, b)]), [(a, b)])


def test_segment_instance_is_stateless() -> None:
    seg = NewsSegmenter()
    first = seg("One. Two.")
    seg("Something else entirely. With more.")
    assert seg("One. Two.") == first == segment("One. Two.")


# --- Real news accuracy --------------------------------------------------------------------------------
def news_accuracy(seg: NewsSegmenter) -> tuple[float, float]:
    """Sentence exact-match rate and boundary F1 on the 250 ``sentence_lines`` articles of the test file.

    This is test-split data, used here only as segmentation gold (the only gold we have), never for
    highlights or ROUGE. Gold lines are joined with single spaces; the gold itself is noisy (captions and
    headlines without full stops, opening quotes left on the previous line), so 1.0 is out of reach.
    """
    path = DATA_DIR / "cnndm" / "test.jsonl.gz"
    exact = total = tp = fp = fn = 0
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["text_form"] != "sentence_lines":
                continue
            gold_lines = [x.strip() for x in row["article"].split("\n") if x.strip()]
            text = " ".join(gold_lines)
            gold: set[Span] = set()
            pos = 0
            for g in gold_lines:
                gold.add((pos, pos + len(g)))
                pos += len(g) + 1
            got = {(s.start, s.end) for s in seg(text)}
            exact += len(gold & got)
            total += len(gold)
            gold_cuts = {e for _, e in gold} - {len(text)}
            got_cuts = {e for _, e in got} - {len(text)}
            tp += len(gold_cuts & got_cuts)
            fp += len(got_cuts - gold_cuts)
            fn += len(gold_cuts - got_cuts)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return exact / total, 2 * precision * recall / (precision + recall)


@pytest.mark.slow
@pytest.mark.skipif(not (DATA_DIR / "cnndm" / "test.jsonl.gz").exists(), reason="shared data not found")
def test_segment_real_news_accuracy_floor() -> None:
    # Floors pinned a little under the measured 0.652 exact / 0.876 boundary F1 (pySBD 0.42 / 0.70, trained
    # nltk Punkt 0.65 / 0.88: see benchmarks/segmenters.py). Re-run the benchmark after any change to
    # segment.py; lower a floor only deliberately.
    exact, f1 = news_accuracy(segment)
    assert exact >= 0.64
    assert f1 >= 0.86


UNCASED = (
    "five prisoners - including an islamic extremist - have been killed in southern india . "
    "prisoner syed viqaruddin is understood to have asked mr. smith for help . "
    "police said it happened at 5 p.m. on friday . the u.s. embassy said gate no. 5 was closed . "
    "officials did not comment on the case and the inquiry goes on into next week."
)


def test_segment_splits_lower_cased_tokenized_text() -> None:
    got = [s.text for s in segment(UNCASED)]
    assert got == [
        "five prisoners - including an islamic extremist - have been killed in southern india .",
        "prisoner syed viqaruddin is understood to have asked mr. smith for help .",
        "police said it happened at 5 p.m. on friday .",
        "the u.s. embassy said gate no. 5 was closed .",
        "officials did not comment on the case and the inquiry goes on into next week.",
    ]


def test_segment_keeps_lower_case_continuations_in_cased_text() -> None:
    text = "He paid $5 a day. for years it was enough, he said. Then prices rose."
    assert [s.text for s in segment(text)] == [
        "He paid $5 a day. for years it was enough, he said.",
        "Then prices rose.",
    ]
