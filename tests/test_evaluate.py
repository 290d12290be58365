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
from nutgraf.contracts import Options, Summary, UnknownName
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

    def flaky(name: str, k: int, model: str | None = None, compress: bool = False) -> ev.Producer:
        produce = real(name, k, model, compress)
        if name != "textrank":
            return produce

        def wrapped(row: ev.EvalRow) -> list[dict[str, object]]:
            if row.id == gate_rows[0].id:
                raise RuntimeError("boom")
            return produce(row)

        return wrapped

    monkeypatch.setattr(ev, "make_producer", flaky)
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
