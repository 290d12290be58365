"""Compression: deletion only, spans exact, quotes balanced, in every shell."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nutgraf import Article, Options, Summary, summarize_article
from nutgraf.cli import main
from nutgraf.compress import UNIT_KINDS, candidate_units, compress_sentence, keep_spans

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


def _golden() -> list[dict[str, Any]]:
    if not GOLDEN.exists():
        return []
    return [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_golden_table_is_real_and_covers_every_kind() -> None:
    rows = _golden()
    assert len(rows) >= 60
    kinds = {r["kind"] for r in rows}
    assert {"tail", "relative", "appositive", "paren", "lead", "none"} <= kinds
    assert sum(r["kind"] == "none" for r in rows) >= 15


@pytest.mark.parametrize("row", _golden(), ids=lambda r: f"{r['kind']}-{r['id'][:8]}")
def test_golden_compressions(row: dict[str, Any]) -> None:
    """The compressor against an editor's judgement on real sentences. Where they differ (``status``:
    ``missed``, a cut the rules do not find; ``disagree``, a cut the editor would not make) the table pins
    what the compressor does today in ``got``, so that any change is seen and judged; the README counts
    them. Either way nothing but whole units goes, and no negation, number or quote mark."""
    got = compress_sentence(row["sentence"])
    assert got == row.get("got", row["expected"]), row["why"]
    for token in re.findall(r"\b(?:not|never|no)\b|n't|\d(?:[\d,.:]*\d)?|[\"“”]", row["sentence"]):
        assert got.count(token) == row["sentence"].count(token), token


def test_the_compressor_mostly_agrees_with_the_editor() -> None:
    rows = _golden()
    agree = sum("status" not in r for r in rows)
    assert agree / len(rows) >= 0.65  # 59 of 85 on 2026-11-28 (README, Compression)


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
    code, out, _ = run(["summarize", str(story), "--compress", "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    text = story.read_text(encoding="utf-8")
    first = data["highlights"][0]
    assert first["text"] == "Bishop John Folda said the church would help the families."
    assert len(first["spans"]) == 2 and "".join(text[a:b] for a, b in first["spans"]) == first["text"]
    code, out, _ = run(["summarize", str(story), "--no-compress", "--format", "json"], capsys)
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
    with pytest.raises(SystemExit) as exit_info:
        main(["evaluate", str(gate), "--max-words-per-point", "10"])
    assert exit_info.value.code == 2 and "unrecognized arguments" in capsys.readouterr().err
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
