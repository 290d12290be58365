from __future__ import annotations

import gzip
import json
import re
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rouge_score import rouge_scorer

from nutgraf import evaluate as ev
from nutgraf.contracts import Article, Options, Summary, UnknownName
from nutgraf.errors import EvaluationError, ModelError, OptionError, UsageError, WorkerDied
from nutgraf.evaluate import scoring
from nutgraf.pipeline import summarize_article

ROOT = Path(__file__).resolve().parent.parent
GATE = ROOT / "tests" / "fixtures" / "validation_gate.jsonl.gz"


@pytest.fixture(scope="module")
def gate_rows() -> list[ev.EvalRow]:
    rows, failures = ev.load_rows([str(GATE)])
    assert len(rows) == 200 and failures == []
    return rows


@pytest.fixture(scope="module")
def gate_report(gate_rows: list[ev.EvalRow]) -> ev.Report:
    return ev.evaluate(gate_rows, ["lead", "textrank", "lead3-plain"], by=["publisher"], workers=2)


def test_harness_rouge_equals_rouge_score_called_directly(
    gate_rows: list[ev.EvalRow], gate_report: ev.Report
) -> None:
    scorer = rouge_scorer.RougeScorer(list(ev.METRICS), use_stemmer=True)
    sums: dict[str, list[list[float]]] = {m: [] for m in ev.METRICS}
    for row in gate_rows:
        result = summarize_article(row.article, Options(k=3, method="lead"))
        assert isinstance(result, Summary)
        prediction = "\n".join(" ".join(h.text.split()) for h in result.highlights)
        reference = "\n".join(" ".join(h.split()) for h in row.references)
        for m, s in scorer.score(reference, prediction).items():
            sums[m].append([s.precision, s.recall, s.fmeasure])
    for m in ev.METRICS:
        for j, key in enumerate(("p", "r", "f")):
            direct = 100 * statistics.fmean(v[j] for v in sums[m])
            assert gate_report.summary["lead"][m][key] == pytest.approx(direct, abs=0.5e-4), (m, key)


def test_rougelsum_differs_from_rougel_because_sentences_are_newline_separated(
    gate_report: ev.Report,
) -> None:
    lead = gate_report.summary["lead"]
    assert lead["rougeLsum"]["f"] > lead["rougeL"]["f"] + 1.0


def test_confidence_intervals_bracket_the_mean(gate_report: ev.Report) -> None:
    for stats in gate_report.summary.values():
        for m in ev.METRICS:
            assert 0 <= stats[m]["low"] <= stats[m]["f"] <= stats[m]["high"] <= 100
            assert stats[m]["high"] - stats[m]["low"] < 6


def test_paired_comparison_against_lead(gate_report: ev.Report) -> None:
    assert "lead" not in gate_report.paired
    tr = gate_report.paired["textrank"]
    direct = gate_report.summary["textrank"]["rouge1"]["f"] - gate_report.summary["lead"]["rouge1"]["f"]
    assert tr["rouge1"]["diff"] == pytest.approx(direct, abs=2e-4)
    assert tr["rouge1"]["low"] <= tr["rouge1"]["diff"] <= tr["rouge1"]["high"]
    assert 0 < tr["rouge1"]["p"] <= 1


def test_breakdown_by_publisher_covers_every_row(gate_report: ev.Report) -> None:
    groups = gate_report.breakdown["publisher"]
    assert sum(g["lead"]["n"] for g in groups.values()) == 200


def test_each_breakdown_group_has_its_own_paired_test(gate_report: ev.Report) -> None:
    """On the all-CNN gate slice the one group's paired test is the overall one (same rows, same seed)."""
    group = gate_report.breakdown_paired["publisher"]["cnn"]
    assert group["textrank"]["rouge1"] == gate_report.paired["textrank"]["rouge1"]
    text = ev.render_report(gate_report, "md")
    section = text.split("publisher = cnn")[1]
    assert "Δ R-1 vs lead (p)" in section.split("\n\n")[1]


def test_json_report_has_the_documented_shape(gate_report: ev.Report) -> None:
    data = json.loads(ev.render_report(gate_report, "json"))
    assert set(data) >= {"methods", "by", "paired", "failed", "compression"}
    assert set(data["methods"]["lead"]) == {"n", "words_per_point", *ev.METRICS}
    assert 10 < data["methods"]["lead"]["words_per_point"] < 60
    assert set(data["methods"]["lead"]["rouge1"]) == {"f", "p", "r", "low", "high"}
    assert data["by"]["publisher"]["cnn"]["lead"]["n"] == 200


def test_results_do_not_depend_on_the_number_of_workers(gate_rows: list[ev.EvalRow]) -> None:
    one = ev.evaluate(gate_rows[:60], ["lead", "textrank"], workers=1)
    two = ev.evaluate(gate_rows[:60], ["lead", "textrank"], workers=2)
    assert one.summary == two.summary and one.paired == two.paired


def test_every_peer_runs_on_the_same_rows(gate_rows: list[ev.EvalRow]) -> None:
    methods = ev.expand_methods("peers")
    report = ev.evaluate(gate_rows[:25], methods, workers=1)
    assert methods[0] == "lead"
    assert {report.summary[m]["n"] for m in methods} == {25}
    assert all(report.summary[m]["rouge1"]["f"] > 10 for m in methods)


def test_a_method_that_fails_on_a_row_scores_zero_there_and_is_listed(
    gate_rows: list[ev.EvalRow], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = ev.make_producer

    def flaky(
        name: str,
        k: int = 3,
        model: str | None = None,
        compress: bool = False,
        options: Options | None = None,
    ) -> ev.Producer:
        produce = real(name, k, model, compress, options)
        if name != "textrank":
            return produce

        def wrapped(row: ev.EvalRow) -> list[dict[str, object]]:
            if row.id == gate_rows[0].id:
                raise RuntimeError("boom")
            return produce(row)

        return wrapped

    monkeypatch.setattr(scoring, "make_producer", flaky)
    report = ev.evaluate(gate_rows[:10], ["lead", "textrank"], workers=1)
    assert report.results[0]["textrank"]["scores"]["rouge1"][2] == 0.0
    assert [(f.id, f.method, f.reason) for f in report.failures] == [
        (gate_rows[0].id, "textrank", "method_error")
    ]
    assert report.summary["textrank"]["n"] == 10


def test_expand_methods_adds_the_baseline_and_rejects_unknown_names() -> None:
    assert ev.expand_methods("textrank") == ["lead", "textrank"]
    with pytest.raises(UnknownName, match="Unknown method 'gbtd'"):
        ev.expand_methods("lead,gbtd")


def test_a_compressed_method_is_compared_with_itself_uncompressed(gate_rows: list[ev.EvalRow]) -> None:
    assert ev.expand_methods("gbdt,gbdt+compress") == ["lead", "gbdt", "gbdt+compress"]
    with pytest.raises(UnknownName, match="Unknown method 'lede\\+compress'"):
        ev.expand_methods("lede+compress")  # a peer's text has no spans to cut
    rows = gate_rows[:25]
    report = ev.evaluate(rows, ["lead", "gbdt", "gbdt+compress"], workers=1, by=["publisher"])
    on, off = report.summary["gbdt+compress"], report.summary["gbdt"]
    assert on["words_per_point"] < off["words_per_point"]
    pair = report.compression["all"]["gbdt+compress"]
    assert pair["baseline"] == "gbdt"
    diff = on["rouge1"]["f"] - off["rouge1"]["f"]
    assert abs(pair["rouge1"]["diff"] - diff) < 0.01
    assert "gbdt+compress" in report.compression["by"]["publisher"]["cnn"]
    for result in report.results:  # the compressed key points are the plain ones with words deleted
        plain = [h["text"] for h in result["gbdt"]["highlights"]]
        short = [h["text"] for h in result["gbdt+compress"]["highlights"]]
        assert len(plain) == len(short)
        for a, b in zip(plain, short, strict=True):
            words = iter(re.findall(r"\w+", a))
            assert all(w in words for w in re.findall(r"\w+", b)), (a, b)  # a subsequence of the words
    text = ev.render_report(report, "md")
    assert "Compression on against off" in text and "| all | gbdt+compress |" in text
    assert "| publisher = cnn | gbdt+compress |" in text
    assert "with --compress (compress@" in text
    with pytest.raises(ev.EvaluationError, match="compressed with compressed"):
        ev.evaluate(rows[:3], ["lead", "gbdt", "gbdt+compress"], workers=1, compress=True)


def test_model_is_accepted_for_a_compressed_learned_method(tmp_path: Path) -> None:
    from nutgraf.cli import main

    model = ROOT / "src" / "nutgraf" / "data" / "gbdt-v1.json.gz"
    out = tmp_path / "r.json"
    code = main(
        [
            "evaluate",
            str(GATE),
            "--limit",
            "5",
            "--methods",
            "gbdt+compress",
            "--model",
            str(model),
            "--workers",
            "1",
            "--format",
            "json",
            "--per-article",
            str(out),
        ]
    )
    assert code == 0 and out.exists()


def _texts(report: ev.Report, method: str) -> list[list[str]]:
    return [[h["text"] for h in result[method]["highlights"]] for result in report.results]


def test_base_options_k_applies_to_every_method(gate_rows: list[ev.EvalRow]) -> None:
    report = ev.evaluate(gate_rows[:10], ["lead", "textrank", "lead3-plain"], workers=1, options=Options(k=2))
    assert report.k == 2
    for method in ("lead", "textrank", "lead3-plain"):
        counts = [len(t) for t in _texts(report, method)]
        assert max(counts) == 2, method
    assert "10 rows, k=2;" in ev.render_report(report, "text")


def test_base_options_budget_and_redundancy_change_what_lead_picks(gate_rows: list[ev.EvalRow]) -> None:
    rows = gate_rows[:10]
    plain = _texts(ev.evaluate(rows, ["lead"], workers=1), "lead")
    budget = ev.evaluate(rows, ["lead"], workers=1, options=Options(k=3, max_words=40))
    assert all(sum(len(t.split()) for t in texts) <= 40 for texts in _texts(budget, "lead"))
    assert _texts(budget, "lead") != plain
    assert json.loads(ev.render_report(budget, "json"))["settings"]["options"]["max_words"] == 40
    assert "- nutgraf's methods ran with --max-words 40" in ev.render_report(budget, "md")
    strict = _texts(ev.evaluate(rows, ["lead"], workers=1, options=Options(k=3, redundancy=0.1)), "lead")
    assert strict != plain


def test_base_options_reach_the_worker_processes(gate_rows: list[ev.EvalRow]) -> None:
    options = Options(k=2, max_words=40)
    one = ev.evaluate(gate_rows[:24], ["lead", "textrank"], workers=1, options=options)
    two = ev.evaluate(gate_rows[:24], ["lead", "textrank"], workers=2, options=options)
    assert one.results == two.results


def test_options_and_the_old_keywords_together_are_refused(gate_rows: list[ev.EvalRow]) -> None:
    with pytest.raises(OptionError, match="inside options"):
        ev.evaluate(gate_rows[:3], ["lead"], workers=1, compress=True, options=Options(k=2))


def test_check_options_refuses_a_model_that_no_method_in_the_run_uses() -> None:
    model = str(ROOT / "src" / "nutgraf" / "data" / "gbdt-v1.json.gz")
    with pytest.raises(
        UsageError, match=r"--model only applies to the learned method \(gbdt\); lead, textrank"
    ):
        ev.check_options(Options(model=model), ["lead", "textrank"])
    ev.check_options(Options(model=model), ["lead", "gbdt+compress"])  # the learned method takes it


def test_check_options_loads_the_model_before_any_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json.gz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelError):
        ev.check_options(Options(model=str(bad)), ["lead", "gbdt"])


def test_check_options_refuses_compress_with_a_compressed_method() -> None:
    with pytest.raises(EvaluationError, match="compressed with compressed"):
        ev.check_options(Options(compress=True), ["lead", "gbdt+compress"])


def test_row_references_come_from_the_articles_highlights(tmp_path: Path) -> None:
    with gzip.open(GATE, "rt", encoding="utf-8") as fh:
        article = json.loads(next(fh))["article"]
    highlights = ["The first highlight\nruns over two lines .", "The second highlight ."]
    data = write_jsonl(
        tmp_path / "refs.jsonl",
        [{"id": "list", "article": article, "highlights": highlights}, {"id": "lines", "article": article,
         "highlights": "One per line .\nAnother one ."}],
    )  # fmt: skip
    rows, failures = ev.load_rows([str(data)])
    assert failures == []
    assert rows[0].references == tuple(highlights) == rows[0].article.references
    assert rows[1].references == ("One per line .", "Another one .")
    report = ev.evaluate(rows, ["lead", "oracle"], workers=1)
    assert report.failures == []
    assert all(1 <= len(t) <= 3 for t in _texts(report, "oracle"))


@pytest.mark.skipif(sys.platform == "win32", reason="the test kills a forked worker")
def test_a_dead_worker_raises_worker_died(
    gate_rows: list[ev.EvalRow], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    def dying(name: str, k: int = 3, model: str | None = None, compress: bool = False,
              options: Options | None = None) -> ev.Producer:  # fmt: skip
        def produce(row: ev.EvalRow) -> list[dict[str, object]]:
            os._exit(1)

        return produce

    monkeypatch.setattr(scoring, "make_producer", dying)
    with pytest.raises(WorkerDied, match="--workers 1"):
        ev.evaluate(gate_rows[:40], ["lead"], workers=2)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet="abcdefgh XYZ", min_size=1, max_size=40), min_size=1, max_size=4))
def test_rouge_is_in_unit_range_and_one_on_identical_text(sentences: list[str]) -> None:
    scorer = rouge_scorer.RougeScorer(list(ev.METRICS), use_stemmer=True)
    text = ev.summary_text(sentences)
    same = scorer.score(text, text)
    other = scorer.score(text, ev.summary_text(["completely unrelated words here"]))
    tokens = len(text.split())
    for m in ev.METRICS:
        assert 0.0 <= other[m].fmeasure <= 1.0
        if tokens >= 2 or (tokens == 1 and m != "rouge2"):
            assert same[m].fmeasure == pytest.approx(1.0)


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def test_cli_evaluate_reports_bad_rows_and_files_and_scores_the_rest(tmp_path: Path) -> None:
    with gzip.open(GATE, "rt", encoding="utf-8") as fh:
        good = [json.loads(next(fh)) for _ in range(30)]
    data = write_jsonl(
        tmp_path / "mixed.jsonl",
        [*good, {"id": "nohl", "article": good[0]["article"]}, "{not json", {"id": "empty", "article": ""}],
    )
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    out = tmp_path / "per.jsonl"
    png = tmp_path / "plot.png"
    proc = subprocess.run(
        [
            sys.executable, "-m", "nutgraf", "evaluate",
            str(data), str(empty), str(tmp_path / "missing.jsonl"),
            "--methods", "lead,textrank", "--format", "json", "--per-article", str(out), "--plot", str(png),
            "--workers", "2",
        ],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    assert report["methods"]["lead"]["n"] == 30
    reasons = {f["id"]: f["reason"] for f in report["failed"]}
    assert reasons["nohl"] == "no_references"
    assert reasons["mixed:32"] == "bad_record"
    assert reasons["empty"] == "empty"
    assert reasons[str(empty)] == "empty_file"
    assert reasons[str(tmp_path / "missing.jsonl")] == "unreadable_file"
    per = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(per) == 60 and set(per[0]) >= {"id", "method", "highlights", "rouge1", "rouge2", "rougeLsum"}
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_evaluate_with_nothing_to_score_fails_cleanly(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    proc = subprocess.run(
        [sys.executable, "-m", "nutgraf", "evaluate", str(empty)], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "no rows to score" in proc.stderr and "Traceback" not in proc.stderr


def test_measure_speed_reports_rate_and_memory_per_method(gate_rows: list[ev.EvalRow]) -> None:
    speed = ev.measure_speed(gate_rows[:20], ["lead", "lead3-plain"])
    assert set(speed) == {"python+articles", "lead", "lead3-plain"}
    assert speed["lead"]["articles_per_second"] > 0
    assert speed["lead"]["peak_rss_mb"] >= speed["python+articles"]["peak_rss_mb"] * 0.5


def test_independent_lead3_check_agrees_with_the_harness() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_lead3.py"), str(GATE)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("| yes |") == 4


def test_paragraph_leads_take_the_first_sentence_of_each_paragraph() -> None:
    text = (
        "First lead sentence of the story is here. Its second sentence adds detail.\n\n"
        "Second paragraph opens with news. And then elaborates on it.\n\n"
        "Third paragraph lead says more. A follow-up sentence.\n\n"
        "Fourth paragraph lead."
    )
    row = ev.EvalRow(Article("p", text, references=("x",)))
    got = [h["text"] for h in ev.make_producer(ev.PARA_LEADS)(row)]
    assert got == [
        "First lead sentence of the story is here.",
        "Second paragraph opens with news.",
        "Third paragraph lead says more.",
    ]
    for h in ev.make_producer(ev.PARA_LEADS)(row):
        start, end = h["spans"][0]
        assert text[start:end] == h["text"]
    # without breaks it is plain Lead-3
    flat = ev.EvalRow(Article("f", " ".join(text.split()), references=("x",)))
    assert [h["text"] for h in ev.make_producer(ev.PARA_LEADS)(flat)] == [
        h["text"] for h in ev.make_producer(ev.PLAIN_LEAD3)(flat)
    ]


def test_without_k_baselines_take_three_and_the_report_says_who_chooses(gate_rows: list[ev.EvalRow]) -> None:
    report = ev.evaluate(gate_rows[:10], ["lead", "lead3-plain", "para-leads"], workers=1)
    assert report.k is None
    for method in ("lead", "lead3-plain", "para-leads"):
        assert max(len(t) for t in _texts(report, method)) == 3, method
    assert "10 rows, k=3 (the learned method's set scorer chooses 2-4 per article);" in ev.render_report(
        report, "text"
    )


def test_with_plain_lead3_in_the_run_every_method_is_paired_against_it(gate_report: ev.Report) -> None:
    plain = gate_report.plain["all"]
    assert set(plain) == {"lead", "textrank"}
    summary = gate_report.summary
    for method in ("lead", "textrank"):
        want = summary[method]["rouge1"]["f"] - summary["lead3-plain"]["rouge1"]["f"]
        assert plain[method]["rouge1"]["diff"] == pytest.approx(want, abs=0.011)
        assert 0 < plain[method]["rouge1"]["p"] <= 1
    assert set(gate_report.plain["by"]["publisher"]) == set(gate_report.breakdown["publisher"])
    text = ev.render_report(gate_report, "text")
    assert "Against lead3-plain (paired, same rows):" in text and "| all | lead | +" in text
    assert ev.evaluate(gate_report.rows[:5], ["lead"], workers=1).plain == {}


def test_rouge_outside_english_uses_a_unicode_tokenizer_and_the_report_names_it(
    gate_report: ev.Report,
) -> None:
    """``rouge-score``'s tokenizer keeps only [a-z0-9]: "Trên" becomes "tr n" and Chinese has no token. A row
    in another language is scored with ``UnicodeTokenizer``; English rows keep ``rouge-score``'s (the gate
    report is English only, and says so)."""
    from nutgraf.evaluate.tokenize import ENGLISH_TOKENIZER, UNICODE_TOKENIZER, UnicodeTokenizer

    tok = UnicodeTokenizer()
    assert tok.tokenize("Trên đường phố, 3,5 triệu người!") == [
        "trên",
        "đường",
        "phố",
        "3",
        "5",
        "triệu",
        "người",
    ]
    assert tok.tokenize("市议会批准") == ["市", "议", "会", "批", "准"]
    assert rouge_scorer.RougeScorer(["rouge1"]).score("Trên đường", "Trên đường")["rouge1"].fmeasure == 1.0
    assert rouge_scorer.RougeScorer(["rouge1"]).score("Trên", "tr n")["rouge1"].fmeasure == 1.0  # the bug
    used = gate_report.tokenizers()
    assert list(used) == [ENGLISH_TOKENIZER] and set(used[ENGLISH_TOKENIZER]["languages"]) == {"en"}
    text = (
        "Hội đồng thành phố đã thông qua kế hoạch xây dựng lại đê biển vào sáng thứ Ba vừa qua. "
        "Công việc sẽ bắt đầu vào tháng Ba và kéo dài hai năm, thị trưởng cho biết sau cuộc bỏ phiếu. "
        "Người dân hoan nghênh quyết định này sau trận lũ lớn năm ngoái làm hư hại hàng trăm ngôi nhà."
    )
    row = ev.EvalRow(
        Article(
            "vi-1", text, metadata={"language": "vi"}, references=("Hội đồng thông qua kế hoạch đê biển.",)
        )
    )
    report = ev.evaluate([row], ["lead"], k=1)
    assert report.tokenizers() == {UNICODE_TOKENIZER: {"rows": 1, "languages": {"vi": 1}}}
    assert (
        report.summary["lead"]["rouge1"]["f"] > 20
    )  # with rouge-score's tokenizer the Vietnamese words vanish
    assert "tokenizer: nutgraf Unicode words" in ev.render_report(report, "md")
