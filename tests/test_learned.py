"""The learned scorer: features, labels, training, model files, --model, --explain, in every shell."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nutgraf import Article, Options, Summary, summarize_article
from nutgraf.clean import clean
from nutgraf.cli import main
from nutgraf.contracts import Document, Sentence
from nutgraf.features import FEATURE_GROUPS, FEATURE_NAMES, FEATURE_VERSION, feature_rows, sentence_features
from nutgraf.model import ModelError, bundled_model_path, load_model, read_model_file
from nutgraf.registry import resolve
from nutgraf.score import _rouge_tokenizer, _SetScorer, beam_oracle, greedy_oracle
from nutgraf.segment import segment
from nutgraf.select import usable
from nutgraf.train import TrainConfig, TrainingError, flatten, read_examples, train

from .conftest import edited_model, halve

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
GATE = FIXTURES / "validation_gate.jsonl.gz"
ARTICLES = FIXTURES / "articles.jsonl"
SAMPLE = ROOT / "examples" / "sample_article.txt"


def _doc(text: str, title: str | None = None) -> tuple[Document, Any]:
    article = Article("a", text, title)
    cleaned = clean(article)
    doc = Document(article, segment(text, cleaned.regions), cleaned.furniture)
    return doc, sentence_features(doc)


def _rows(doc: Document, feats: Any) -> list[dict[str, float]]:
    return [dict(zip(FEATURE_NAMES, r, strict=True)) for r in feature_rows(doc, feats)]


STORY = (
    "(CNN) -- Firefighters rescued 12 people from a burning tower in Leeds on Monday, police said.\n\n"
    'The fire started on the fourth floor. "We saw smoke everywhere," said resident Anna Cole.\n\n'
    "Officials said the cause of the fire in the Leeds tower is under investigation. It was the third "
    "fire this year.\n"
)


# ------------------------------------------------------------------------------------------- features


def test_features_one_row_per_sentence_in_the_declared_order() -> None:
    doc, feats = _doc(STORY)
    rows = feature_rows(doc, feats)
    assert len(rows) == len(doc.sentences) == 5
    assert all(len(r) == len(FEATURE_NAMES) for r in rows)
    assert tuple(n for g in FEATURE_GROUPS.values() for n in g) == FEATURE_NAMES
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)


def test_features_say_what_the_sentence_is() -> None:
    doc, feats = _doc(STORY)
    r = _rows(doc, feats)
    first, quote, officials, it_was = r[0], r[2], r[3], r[4]
    assert first["idx"] == 0 and first["para_init"] == 1 and first["has_para"] == 1
    assert first["has_dateline"] == 1  # the "(CNN) --" dateline is furniture the model may condition on
    assert first["n_nums"] == 1 and first["attr"] == 1 and first["time_ref"] == 1
    assert quote["starts_quote"] == 1 and quote["n_quote"] == 2
    assert quote["quote_end"] == 0 and r[1]["quote_end"] == 0
    assert first["body_rel"] == 0 and 0 < quote["body_rel"] < officials["body_rel"] < 1
    assert max(x["cent_rel"] for x in r) == 1
    assert it_was["pron_start"] == 1
    assert officials["ov_first"] > 0.3  # fire, leeds, tower repeat the first sentence's terms
    assert sorted(x["cent_rank"] for x in r) == [i / 5 for i in range(5)]
    assert 0 <= min(x["cent_cos"] for x in r) <= max(x["cent_cos"] for x in r) <= 1


def test_features_see_missing_paragraph_breaks() -> None:
    doc, feats = _doc(flatten(STORY))
    r = _rows(doc, feats)
    assert {x["has_para"] for x in r} == {0.0}
    assert [x["in_para"] for x in r] == [0, 1, 2, 3, 4]


def test_features_use_the_title_when_there_is_one() -> None:
    with_title = _rows(*_doc(STORY, title="Leeds tower fire"))
    without = _rows(*_doc(STORY))
    assert with_title[3]["ov_title"] > 0 and without[3]["ov_title"] == 0


def test_the_feature_matrix_is_the_rows_as_an_array() -> None:
    from nutgraf.learned import feature_matrix

    doc, feats = _doc(STORY, title="Fire crews fight a blaze")
    x = feature_matrix(doc, feats)
    assert x.shape == (len(doc.sentences), len(FEATURE_NAMES)) and str(x.dtype) == "float64"
    assert x.tolist() == feature_rows(doc, feats) and x[2, FEATURE_NAMES.index("idx")] == 2.0


def test_features_of_an_empty_document_are_empty() -> None:
    doc, feats = _doc("")
    assert feature_rows(doc, feats) == []


# --------------------------------------------------------------------------------------------- labels


def test_memoised_rouge_tokenizer_gives_rouge_scores_own_tokens(
    fixture_articles: list[dict[str, Any]],
) -> None:
    from rouge_score import tokenizers

    plain = tokenizers.DefaultTokenizer(use_stemmer=True)
    ours = _rouge_tokenizer()
    for row in fixture_articles[:20]:
        assert ours.tokenize(row["article"]) == plain.tokenize(row["article"])


def test_greedy_oracle_picks_the_matching_sentences_and_stops_when_nothing_adds() -> None:
    sentences = [
        "The mayor opened a new bridge over the river on Tuesday.",
        "Traffic was light in the morning.",
        "The bridge cost 40 million dollars and took three years to build.",
        "Local bakeries sold out of bread.",
    ]
    refs = ["Mayor opens new bridge over the river.", "The bridge cost 40 million dollars."]
    solo: dict[int, float] = {}
    picks = greedy_oracle(sentences, refs, range(4), 4, stop_early=True, solo=solo)
    assert picks[:2] == [2, 0] or picks[:2] == [0, 2]
    assert len(picks) == 2  # neither remaining sentence raises ROUGE-1 + ROUGE-2
    assert solo[1] < solo[0] and solo[3] < solo[2]


def test_the_beam_oracle_finds_the_pair_greedy_misses() -> None:
    """Greedy takes the sentence that matches most on its own and cannot let it go; the beam search finds
    the two sentences that match the highlight together."""
    sentences = [
        "Alpha beta gamma zeta eta.",  # the best single sentence
        "Alpha beta.",
        "Gamma delta.",
    ]
    refs = ["Alpha beta gamma delta."]
    greedy = greedy_oracle(sentences, refs, range(3), 4, stop_early=True)
    solo: dict[int, float] = {}
    beam = beam_oracle(sentences, refs, range(3), 4, solo=solo)
    assert greedy == [0, 2]
    assert sorted(beam) == [1, 2]
    score = _SetScorer(sentences, refs, range(3), None)
    assert score(beam) > score(greedy)
    # solo is greedy's, and one sentence or none when nothing matches
    greedy_solo: dict[int, float] = {}
    greedy_oracle(sentences, refs, range(3), 4, stop_early=True, solo=greedy_solo)
    assert solo == greedy_solo
    assert beam_oracle(["Nothing here matches."], refs, [0], 4) == []


def test_the_beam_oracle_is_never_worse_than_greedy(fixture_articles: list[dict[str, Any]]) -> None:
    """On real articles: the beam's set scores at least as high as greedy's (its ROUGE, counted the same
    way), holds at most k usable sentences, and is better on some."""
    better = 0
    for row in fixture_articles[:60]:
        doc, feats = _doc(row["article"])
        keep = usable(feats)
        texts = [s.text for s in doc.sentences]
        greedy = greedy_oracle(texts, row["highlights"], keep, 4, stop_early=True)
        beam = beam_oracle(texts, row["highlights"], keep, 4)
        score = _SetScorer(texts, row["highlights"], keep, None)
        assert len(beam) <= 4 and set(beam) <= set(keep) and len(set(beam)) == len(beam)
        assert score(beam) >= score(greedy)
        better += score(beam) > score(greedy)
    assert better >= 1


def test_read_examples_labels_both_forms_and_records_the_data(tmp_path: Path) -> None:
    path = tmp_path / "tiny.jsonl"
    rows = [
        {"id": "x", "article": STORY, "highlights": ["Firefighters rescued 12 people from a burning tower."]}
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    examples, record = read_examples([str(path)])
    assert [e.form for e in examples] == ["as_is", "flat"]
    assert examples[0].labels[0] == 1 and sum(examples[0].labels) >= 1
    assert record["files"][0]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert record["files"][0]["rows"] == 1


def test_read_examples_refuses_a_file_without_highlights(tmp_path: Path) -> None:
    path = tmp_path / "nohl.jsonl"
    path.write_text(json.dumps({"id": "x", "article": STORY}) + "\n", encoding="utf-8")
    with pytest.raises(TrainingError, match="no rows with an article and reference highlights"):
        read_examples([str(path)])


# ------------------------------------------------------------------------------------------- training


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small model trained on the 200-row gate slice (one thread: the tests later fork workers)."""
    out = tmp_path_factory.mktemp("model") / "tiny.json.gz"
    config = TrainConfig(
        data=[str(GATE)],
        valid=[str(ARTICLES)],
        out=str(out),
        rounds=30,
        workers=1,
        name="tiny",
        command="pytest tiny model",
    )
    train(config)
    return out


def test_training_writes_a_model_with_its_provenance(tiny_model: Path) -> None:
    data = read_model_file(tiny_model)
    meta = data["metadata"]
    assert meta["name"] == "tiny" and meta["scorer"] == "nutgraf.scorer.gbdt.v1"
    assert meta["features"]["version"] == FEATURE_VERSION
    assert meta["features"]["names"] == list(FEATURE_NAMES)
    training = meta["training"]
    assert training["command"] == "pytest tiny model"
    assert training["data"]["files"][0]["sha256"] == hashlib.sha256(GATE.read_bytes()).hexdigest()
    assert training["rounds"] == 30
    valid = meta["validation"]["articles.jsonl"]
    assert valid["rows"] == 35  # the 25 validation and 10 train rows that have highlights
    assert set(valid) >= {"gbdt", "lead", "sha256"}
    assert 0 < valid["gbdt"]["rouge1"] < 100


def test_training_is_reproducible_byte_for_byte(tiny_model: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.json.gz"
    config = TrainConfig(
        data=[str(GATE)],
        valid=[str(ARTICLES)],
        out=str(again),
        rounds=30,
        workers=1,
        name="tiny",
        command="pytest tiny model",
    )
    train(config)
    assert again.read_bytes() == tiny_model.read_bytes()


def test_dropping_a_feature_group_trains_a_model_without_it(tmp_path: Path) -> None:
    out = tmp_path / "nocent.json.gz"
    train(
        TrainConfig(data=[str(GATE)], valid=[], out=str(out), rounds=5, workers=1, drop_groups=["centrality"])
    )
    model = load_model(str(out))
    assert not set(model.features) & set(FEATURE_GROUPS["centrality"])
    doc, feats = _doc(STORY)
    assert len(model.predict(feature_rows(doc, feats))) == 5
    with pytest.raises(TrainingError, match=r"unknown feature group 'nope'\. Available: position"):
        train(TrainConfig(data=[str(GATE)], valid=[], out=str(out), drop_groups=["nope"]))


def test_training_on_beam_labels_says_so_in_the_model_file(tmp_path: Path) -> None:
    out = tmp_path / "beam.json.gz"
    meta = train(TrainConfig(data=[str(GATE)], valid=[], out=str(out), rounds=5, workers=1, labels="beam"))
    assert meta["training"]["labels"].startswith("beam-search")
    assert load_model(str(out)).metadata["training"]["labels"] == meta["training"]["labels"]
    with pytest.raises(TrainingError, match="unknown labels 'best'"):
        train(TrainConfig(data=[str(GATE)], valid=[], out=str(out), labels="best"))


# ---------------------------------------------------------------------------------------- model files


def test_a_model_from_other_features_is_refused_with_what_to_do(tiny_model: Path, tmp_path: Path) -> None:
    old = edited_model(tiny_model, tmp_path / "old.json.gz", _set_features_version("nutgraf.features.v0"))
    with pytest.raises(
        ModelError, match=r"trained on features 'nutgraf\.features\.v0'.*retrain it with 'nutgraf train'"
    ):
        load_model(old)


def _set_features_version(version: str) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        data["metadata"]["features"]["version"] = version

    return edit


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "model file not found"),
        (b"hello", "is not a nutgraf model file"),
        (gzip.compress(b'{"format": "something else"}'), "is not a nutgraf model file"),
    ],
)
def test_unusable_model_files_are_refused_clearly(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "m.json.gz"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ModelError, match=message):
        load_model(str(path))


def test_the_bundled_model_is_small_pinned_and_beats_lead_on_validation() -> None:
    path = bundled_model_path()
    assert path.stat().st_size <= 5_000_000
    meta = load_model().metadata
    assert meta["features"]["version"] == FEATURE_VERSION
    assert meta["training"]["command"].startswith("nutgraf train ")
    files = {f["path"]: f for f in meta["training"]["data"]["files"]}
    assert "train.jsonl.gz" in files and len(files["train.jsonl.gz"]["sha256"]) == 64
    valid = meta["validation"]["validation.jsonl.gz"]
    assert valid["gbdt"]["rouge1"] > valid["lead"]["rouge1"]
    assert valid["gbdt"]["rouge2"] > valid["lead"]["rouge2"]
    # the learned method is the default exactly because its record says it beats lead on validation
    assert resolve("default") == ("gbdt", "nutgraf.scorer.gbdt.v1")


def test_learned_key_points_keep_exact_spans(fixture_articles: list[dict[str, Any]]) -> None:
    for row in fixture_articles:
        article = Article(row["id"], row["article"])
        result = summarize_article(article, Options(method="gbdt"))
        assert isinstance(result, Summary)
        assert result.model == load_model().id
        for h in result.highlights:
            assert "".join(article.text[s:e] for s, e in h.spans) == h.text
            assert 0.0 <= h.score <= 1.0


# ------------------------------------------------------------------------------------------- shells


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_model_option_uses_that_model(tiny_model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["summarize", str(SAMPLE), "--method", "gbdt", "--model", str(tiny_model), "--format", "json"], capsys
    )
    assert code == 0
    data = json.loads(out)
    assert data["model"] == load_model(str(tiny_model)).id != load_model().id
    assert data["model"].startswith("tiny@")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--model", "/nonexistent/model.json.gz"], "model file not found: /nonexistent/model.json.gz"),
        (["--method", "lead", "--model", "MODEL"], "--model only applies to the learned method (gbdt)"),
        (
            ["--method", "lead", "--explain"],
            "--explain needs the learned method (gbdt); lead has no features",
        ),
    ],
)
def test_cli_model_and_explain_mistakes_are_usage_errors(
    tiny_model: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    argv = [str(tiny_model) if a == "MODEL" else a for a in argv]
    code, out, err = run(["summarize", str(SAMPLE), *argv], capsys)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_cli_explain_shows_score_and_top_features(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["summarize", str(SAMPLE), "--method", "gbdt", "--explain", "-k", "3"], capsys)
    assert code == 0
    lines = out.strip().splitlines()
    assert [ln.startswith("- ") for ln in lines] == [True, False] * 3
    assert all(ln.startswith("  score ") and ln.count("=") == 3 for ln in lines[1::2])
    code, out, _ = run(
        ["summarize", str(SAMPLE), "--method", "gbdt", "--explain", "--format", "json"], capsys
    )
    data = json.loads(out)
    model = load_model()
    for h in data["highlights"]:
        assert len(h["explanation"]) == 3
        assert all(c["feature"] in model.features for c in h["explanation"])
        sizes = [abs(c["contribution"]) for c in h["explanation"]]
        assert sizes == sorted(sizes, reverse=True)


def test_explanations_are_the_models_own_contributions() -> None:
    """SHAP values plus the bias add up to the raw score (log-odds) the model gave the sentence."""
    import math

    doc, feats = _doc(SAMPLE.read_text(encoding="utf-8"))
    model = load_model()
    rows = feature_rows(doc, feats)
    full = model.booster.predict([rows[0]], pred_contrib=True, num_threads=1)[0]
    p = model.predict([rows[0]])[0]
    assert math.isclose(1 / (1 + math.exp(-sum(full))), p, abs_tol=1e-6)
    top = model.contributions([rows[0]], top=3)[0]
    assert [c.feature for c in top] == [
        model.features[j] for j in sorted(range(len(full) - 1), key=lambda j: -abs(full[j]))[:3]
    ]


def test_batch_and_evaluate_take_a_model(
    tiny_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    code, _, _ = run(
        [
            "batch",
            str(ARTICLES),
            "--out",
            str(out),
            "--method",
            "gbdt",
            "--model",
            str(tiny_model),
            "--workers",
            "2",
        ],
        capsys,
    )
    assert code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 50 and {r["model"] for r in rows} == {load_model(str(tiny_model)).id}
    code, report, _ = run(
        [
            "evaluate",
            str(GATE),
            "--limit",
            "40",
            "--methods",
            "lead,gbdt",
            "--model",
            str(tiny_model),
            "--workers",
            "2",
            "--format",
            "json",
        ],
        capsys,
    )
    assert code == 0
    assert json.loads(report)["methods"]["gbdt"]["n"] == 40


def test_same_input_and_model_give_the_same_bytes_in_a_fresh_process() -> None:
    cmd = [sys.executable, "-m", "nutgraf", "summarize", str(SAMPLE), "--method", "gbdt", "--format", "json"]
    first = subprocess.run(cmd, capture_output=True, check=True).stdout
    second = subprocess.run(cmd, capture_output=True, check=True).stdout
    assert first == second and b'"model": "gbdt@' in first


def test_cli_train_and_model_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.json.gz"
    code, stdout, _ = run(
        [
            "train",
            "--data",
            str(GATE),
            "--valid",
            str(ARTICLES),
            "--out",
            str(out),
            "--rounds",
            "5",
            "--leaves",
            "7",
            "--workers",
            "1",
        ],
        capsys,
    )
    assert code == 0 and out.exists()
    assert "articles.jsonl (35 rows)" in stdout and "gbdt" in stdout and "lead" in stdout
    code, stdout, _ = run(["model", str(out)], capsys)
    info = json.loads(stdout)
    assert code == 0 and info["training"]["rounds"] == 5 and info["id"].startswith("gbdt@")
    assert info["training"]["params"]["num_leaves"] == 7
    code, _, err = run(["train", "--data", str(tmp_path / "missing.jsonl"), "--out", str(out)], capsys)
    assert code == 2 and "no such file" in err


def test_cli_labels_writes_oracle_and_soft_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "labels.jsonl.gz"
    code, _, _ = run(["labels", str(ARTICLES), "--out", str(out), "--workers", "1"], capsys)
    assert code == 0
    with gzip.open(out, "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    assert {r["form"] for r in records} >= {"as_is"}
    for r in records:
        assert set(r["oracle"]) <= set(r["sentences"])
        assert len(r["solo_rouge"]) == len(r["sentences"])
        assert 1 <= len(r["oracle"]) <= 4


def test_quote_end_marks_a_sentence_that_closes_a_quotation() -> None:
    doc, feats = _doc('The minister spoke at noon. She said: "We will not stop until the job is done."')
    r = _rows(doc, feats)
    assert [x["quote_end"] for x in r] == [0, 1]


# ------------------------------------------------------------------------------- review regressions


def test_a_forked_worker_can_load_another_model_after_the_parent_loaded_one(tiny_model: Path) -> None:
    """LightGBM reads a model with OpenMP threads; a forked child hangs if the parent started a pool."""
    code = (
        "from nutgraf.evaluate import load_rows, score_rows\n"
        "from nutgraf.model import load_model\n"
        "load_model()\n"
        f"rows, _ = load_rows([{str(GATE)!r}], limit=30)\n"
        f"out = score_rows(rows, ['gbdt'], workers=2, model={str(tiny_model)!r})\n"
        "print(len(out))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "30"


def test_retraining_in_place_is_seen_by_the_same_process(tmp_path: Path) -> None:
    out = tmp_path / "m.json.gz"
    first = train(TrainConfig(data=[str(GATE)], valid=[str(ARTICLES)], out=str(out), rounds=3, workers=1))
    id_first = load_model(str(out)).id
    second = train(TrainConfig(data=[str(GATE)], valid=[str(ARTICLES)], out=str(out), rounds=60, workers=1))
    assert load_model(str(out)).id != id_first
    assert load_model(str(out)).booster.num_trees() == 60
    assert first["validation"] != second["validation"]


def test_a_damaged_booster_is_refused_not_crashed_on(tiny_model: Path, tmp_path: Path) -> None:
    cut = edited_model(tiny_model, tmp_path / "cut.json.gz", halve("booster"))
    with pytest.raises(ModelError, match="does not match the checksum"):
        load_model(cut)

    def swap_first_two(data: dict[str, Any]) -> None:
        names = data["metadata"]["features"]["names"]
        names[0:2] = names[1::-1]

    swapped = edited_model(tiny_model, tmp_path / "swapped.json.gz", swap_first_two)
    with pytest.raises(ModelError, match="features differ"):
        load_model(swapped)


def test_model_files_do_not_depend_on_the_thread_count(tiny_model: Path, tmp_path: Path) -> None:
    two = tmp_path / "two.json.gz"
    config = TrainConfig(
        data=[str(GATE)],
        valid=[str(ARTICLES)],
        out=str(two),
        rounds=30,
        workers=2,
        name="tiny",
        command="pytest tiny model",
    )
    train(config)
    assert two.read_bytes() == tiny_model.read_bytes()


def test_training_checks_its_inputs_before_the_work(tmp_path: Path) -> None:
    nohl = tmp_path / "nohl.jsonl"
    nohl.write_text(json.dumps({"id": "x", "article": STORY}) + "\n", encoding="utf-8")
    with pytest.raises(TrainingError, match="nothing to validate on"):
        train(TrainConfig(data=[str(GATE)], valid=[str(nohl)], out=str(tmp_path / "m.json.gz")))
    with pytest.raises(TrainingError, match="is a directory"):
        train(TrainConfig(data=[str(GATE)], valid=[], out=str(tmp_path)))


def test_model_option_takes_any_spelling_of_the_learned_method(
    tiny_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for method in ("GBDT", "nutgraf.scorer.gbdt.v1", "default"):
        code, _, err = run(["summarize", str(SAMPLE), "--method", method, "--model", str(tiny_model)], capsys)
        assert code == 0, err


def test_explain_travels_in_html_and_the_evaluation_names_its_model(
    tiny_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["summarize", str(SAMPLE), "--explain", "--format", "html", "-k", "3"], capsys)
    assert code == 0 and out.count(' title="score ') == 3
    code, out, _ = run(
        [
            "evaluate",
            str(GATE),
            "--limit",
            "20",
            "--methods",
            "gbdt",
            "--model",
            str(tiny_model),
            "--workers",
            "1",
            "--format",
            "json",
        ],
        capsys,
    )
    assert json.loads(out)["settings"]["model"] == load_model(str(tiny_model)).id


def test_labels_are_reproducible_and_keep_the_pick_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz"
    for out in (a, b):
        assert run(["labels", str(ARTICLES), "--out", str(out), "--workers", "1"], capsys)[0] == 0
    assert a.read_bytes() == b.read_bytes()
    with gzip.open(a, "rt", encoding="utf-8") as fh:
        first = json.loads(fh.readline())
    rows = {
        json.loads(line)["id"]: json.loads(line) for line in ARTICLES.read_text(encoding="utf-8").splitlines()
    }
    row = rows[first["id"]]
    doc, _ = _doc(row["article"])
    texts = [s.text for s in doc.sentences]
    assert first["oracle"] == greedy_oracle(texts, row["highlights"], first["sentences"], 4, stop_early=True)
    assert "greedy" in first["labeller"]
    assert [list(s) for s in first["spans"]] == [
        [doc.sentences[i].start, doc.sentences[i].end] for i in first["sentences"]
    ]
    # --labels beam: the beam oracle's sets, said so in every record
    beam = tmp_path / "beam.jsonl"
    argv = ["labels", str(ARTICLES), "--out", str(beam), "--workers", "1", "--labels", "beam"]
    assert run(argv, capsys)[0] == 0
    records = {
        (r["id"], r["form"]): r for r in map(json.loads, beam.read_text(encoding="utf-8").splitlines())
    }
    again = records[(first["id"], first["form"])]
    assert again["oracle"] == beam_oracle(texts, row["highlights"], first["sentences"], 4)
    assert "beam-search" in again["labeller"]


def test_the_features_usable_range_is_the_selectors() -> None:
    from nutgraf import select

    doc, feats = _doc("Short one. " + " ".join(["word"] * 81) + ". A sentence with exactly five words.")
    r = _rows(doc, feats)
    assert [x["uidx"] for x in r] == [
        0 if select.MIN_WORDS <= w <= select.MAX_WORDS else -1 for w in feats.word_counts
    ]


def test_resume_refuses_when_the_model_changed_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "m.json.gz"
    train(TrainConfig(data=[str(GATE)], valid=[], out=str(model), rounds=3, workers=1))
    out = tmp_path / "out.jsonl"
    argv = ["batch", str(ARTICLES), "--out", str(out), "--model", str(model), "--workers", "1"]
    assert run(argv, capsys)[0] == 0
    train(TrainConfig(data=[str(GATE)], valid=[], out=str(model), rounds=6, workers=1))
    code, _, err = run([*argv, "--resume"], capsys)
    assert code == 2 and "written from other inputs or options" in err


def test_serve_checks_its_model_before_starting_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NUTGRAF_MODEL", str(tmp_path / "gone.json.gz"))
    code, _, err = run(["serve", "--workers", "2"], capsys)
    assert code == 2 and "model file not found" in err and "Traceback" not in err


def test_a_gzip_bomb_model_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    import tracemalloc

    from nutgraf.learned.model import MODEL_MAX_BYTES

    bomb = tmp_path / "bomb.json.gz"
    with gzip.open(bomb, "wb", compresslevel=1) as fh:
        for _ in range(MODEL_MAX_BYTES // (1 << 20) + 8):
            fh.write(b" " * (1 << 20))
    tracemalloc.start()
    with pytest.raises(ModelError, match="inflates to more than"):
        load_model(str(bomb))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2 * MODEL_MAX_BYTES


def test_the_direct_predictor_gives_lightgbms_numbers_exactly() -> None:
    """``trees.Predictor`` (the learned model's predictor) calls LightGBM's C function without
    ``Booster.predict``'s Python layer: the same numbers, bit for bit, on real rows, on rows with missing
    values, for both boosters; any other shape goes to ``Booster.predict`` (and its error)."""
    import numpy as np

    model = load_model()
    rows = []
    for text in (STORY, STORY.upper(), STORY.replace(".", "!")):
        doc, feats = _doc(text, title="Fire crews fight a blaze")
        rows.extend(feature_rows(doc, feats))
    rng = np.random.default_rng(7)
    x = np.vstack([np.asarray(rows), rng.normal(0, 50, (200, len(FEATURE_NAMES)))])
    x[rng.random(x.shape) < 0.05] = np.nan
    direct = model._predict(x)
    assert np.array_equal(direct, model.booster.predict(x, num_threads=1))
    assert model.set_booster is not None and model._predict_set is not None
    s = rng.normal(0, 10, (60, model.set_booster.num_feature()))
    assert np.array_equal(model._predict_set(s), model.set_booster.predict(s, num_threads=1))
    with pytest.raises(Exception, match="number of features"):
        model._predict(x[:, :5])


@pytest.mark.parametrize(("code", "data"), [("id", "indosum"), ("vi", "vietnamese")])
def test_each_language_model_is_pinned_and_scores_its_language(code: str, data: str) -> None:
    """``lang/data/<code>.toml`` names a model in ``nutgraf/data``: trained on that language's news (its
    data hashes and command recorded), better than lead on its validation file, and the one that scores a
    document in that language, whose summary records it; English documents keep the English model."""
    from nutgraf import Summarizer
    from nutgraf.ingest import from_text
    from nutgraf.lang import LANGUAGES

    name = LANGUAGES[code].model
    assert name is not None and LANGUAGES[code].learned
    path = bundled_model_path(name)
    assert path.stat().st_size <= 5_000_000
    model = load_model(str(path))
    meta = model.metadata
    assert meta["name"] == f"gbdt-{code}" and meta["features"]["version"] == FEATURE_VERSION
    assert f"multilingual/{data}/train.jsonl.gz" in meta["training"]["command"]
    assert all(len(f["sha256"]) == 64 for f in meta["training"]["data"]["files"])
    valid = meta["validation"]["validation.jsonl.gz"]
    assert valid["gbdt"]["rouge1"] > valid["lead"]["rouge1"]
    text = {
        "id": "Pemerintah kota menyetujui rencana pembangunan kembali tanggul laut pada hari Selasa pagi. "
        "Pekerjaan akan dimulai pada bulan Maret dan memakan waktu dua tahun, kata wali kota. "
        "Warga menyambut baik keputusan itu setelah banjir besar tahun lalu merusak ratusan rumah.",
        "vi": "Hội đồng thành phố đã thông qua kế hoạch xây dựng lại đê biển vào sáng thứ Ba vừa qua. "
        "Công việc sẽ bắt đầu vào tháng Ba và kéo dài hai năm, thị trưởng cho biết sau cuộc bỏ phiếu. "
        "Người dân hoan nghênh quyết định này sau trận lũ lớn năm ngoái làm hư hại hàng trăm ngôi nhà.",
    }[code]
    summary = Summarizer()(from_text(text, "x"))
    assert isinstance(summary, Summary) and summary.language == code
    assert summary.model == model.id and summary.model.startswith(f"gbdt-{code}@")
    english = Summarizer()(from_text(STORY, "en"))
    assert isinstance(english, Summary) and english.model == load_model().id
    # a resumed batch job sees a retrained language model
    assert f"{code}:{model.id}" in Summarizer().identity


def test_a_language_with_its_own_cue_lists_is_read_with_them() -> None:
    """The cue columns read the document's language's lists when its file gives them (Indonesian's "kata"
    is an attribution verb), English's otherwise; English documents are unchanged."""
    from nutgraf.features import sentence_features
    from nutgraf.learned.features import FEATURE_NAMES, feature_rows

    text = "Kami akan membangun kembali tanggul itu, kata wali kota kepada wartawan di balai kota pada Senin."
    article = Article("x", text)
    rows = {}
    for language in ("id", None):
        doc = Document(article, (Sentence(text, 0, len(text), 0, 0),), language=language)
        rows[language] = dict(zip(FEATURE_NAMES, feature_rows(doc, sentence_features(doc))[0], strict=True))
    assert rows["id"]["attr"] == 1.0 and rows[None]["attr"] == 0.0
    assert rows["id"]["first_person"] > 0 and rows[None]["first_person"] == 0
    assert rows["id"]["time_ref"] == 1.0 and rows[None]["time_ref"] == 0.0


def test_llm_slices_keep_validation_stories_out_of_training_and_make_them_a_cased_dev_set(
    tmp_path: Path,
) -> None:
    """``scripts/llm_slices.py --validation``: an LLM-summary article that shares 15 words in a row with a
    lower-cased, tokenized validation row becomes no silver row; one that is that story (most of its
    15-word runs) is written, cased, with the validation row's human highlights, PTB tokens undone."""
    root = Path(__file__).resolve().parent.parent
    words = [f"word{i}" for i in range(120)]
    story = "By Daily Mail Reporter. " + " ".join(
        w.capitalize() if i % 10 == 0 else w for i, w in enumerate(words)
    )
    other = "Another story entirely. " + " ".join(f"term{i}" for i in range(120)) + "."
    # A follow-up story that repeats one paragraph of the validation story: kept out of training, but it is
    # not that story, so it does not take the story's highlights.
    follow = " ".join(f"new{i}" for i in range(20)) + " " + " ".join(words[30:90]) + " "
    follow += " ".join(f"more{i}" for i in range(100))
    lower = " ".join(words).lower()
    validation = tmp_path / "validation_lower.jsonl.gz"
    with gzip.open(validation, "wt") as fh:
        row = {"id": "val-1", "article": f"by daily mail reporter . {lower}", "publisher": "dailymail"}
        fh.write(json.dumps({**row, "highlights": ["it did n't rain -lrb- again -rrb- ."]}) + "\n")
    llm = tmp_path / "llm.jsonl.gz"
    with gzip.open(llm, "wt") as fh:
        for i, text in enumerate((follow, story, other)):
            summaries = {"chatgpt/train": "A summary sentence here. Another one."}
            row = {"id": f"s{i}", "article": text, "publisher": "dailymail", "llm_summaries": summaries}
            fh.write(json.dumps(row) + "\n")
    out = tmp_path / "out"
    script = str(root / "scripts" / "llm_slices.py")
    args = [sys.executable, script, str(llm), "--out", str(out), "--validation", str(validation)]
    subprocess.run(args, check=True, capture_output=True)

    def read(name: str) -> list[dict[str, Any]]:
        with gzip.open(out / f"{name}.jsonl.gz", "rt") as fh:
            return [json.loads(line) for line in fh]

    assert [r["id"] for r in read("dm_silver")] == ["s2"]
    dev = read("dm_cased_dev")
    assert [r["id"] for r in dev] == ["val-1"] and dev[0]["article"] == story
    assert dev[0]["highlights"] == ["it didn't rain (again)."]
    # Without --validation both articles are silver rows, as before.
    subprocess.run([sys.executable, script, str(llm), "--out", str(out)], check=True, capture_output=True)
    assert [r["id"] for r in read("dm_silver")] == ["s0", "s1", "s2"]


def test_one_tokenization_gives_the_same_terms_and_rows_as_tokenizing_each_time() -> None:
    """``sentence_features`` tokenizes an English sentence once for the content terms and the learned
    columns. Where lower-casing changes the tokens (a dotted capital İ becomes two characters; a capital
    sigma's lower case depends on what follows the word) the terms come from the lower-cased text, as
    ``content_terms`` reads it; and the rows equal those built from a tokenization of their own."""
    from dataclasses import replace

    from nutgraf.features import content_terms
    from nutgraf.learned.features import feature_matrix

    text = (
        "İSTANBUL police said 12 people were hurt on Monday's march. The ΟΔΥΣΣΕΑΣ.Β ferry’s crew "
        "said the fire was out. Officials’ reports said it's under investigation. "
        "Ministers met on Tuesday and said the talks would go on for weeks."
    )
    for t in (text, STORY, STORY.upper()):
        doc, feats = _doc(t, title="Fire crews fight a blaze")
        assert feats.tokens and len(feats.tokens) == len(doc.sentences)
        assert feats.terms == tuple(content_terms(s.text) for s in doc.sentences)
        assert feats.lowered == tuple(tuple(w.lower() for w in ts) for ts in feats.tokens)
        alone = feature_matrix(doc, replace(feats, tokens=(), lowered=()))
        assert feature_matrix(doc, feats).tobytes() == alone.tobytes()
    doc, feats = _doc(text)
    # Lower-cased, İ is "i" and a combining dot, which ends a word: content_terms reads "stanbul", where
    # lower-casing the token would give "i̇stanbul".
    assert "stanbul" in feats.terms[0] and "i̇stanbul" in feats.lowered[0]
