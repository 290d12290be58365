"""One Summarizer for every front end: the same options, results, errors and input formats in the library,
the CLI's summarize and batch, and a scorer registered from outside running through all of them."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import nutgraf
from nutgraf import BaseScorer, Options, Summarizer
from nutgraf.batch import read_rows
from nutgraf.cli import build_parser, main
from nutgraf.cli.common import options_from_args
from nutgraf.contracts import OPTION_SPECS, Article, Document, SentenceFeatures
from nutgraf.errors import EXIT_BUG, EXIT_FAILED, EXIT_OK, EXIT_USAGE, OptionError
from nutgraf.render import rejection_to_dict

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample_article.txt"

# A valid, non-default value for every option, as a flag and as the value Options should then hold.
VALUES: dict[str, tuple[list[str], Any]] = {
    "k": (["-k", "2"], 2),
    "max_words": (["--max-words", "120"], 120),
    "max_chars": (["--max-chars", "900"], 900),
    "method": (["--method", "gbdt"], "gbdt"),
    "order": (["--order", "score"], "score"),
    "redundancy": (["--redundancy", "0.5"], 0.5),
    "repair": (["--no-repair"], False),
    "references": (["--references", "REFS"], ("First reference.", "Second reference.")),
    "model": (["--model", "MODEL"], "MODEL"),
    "explain": (["--explain"], True),
    "compress": (["--compress"], True),
    "max_words_per_point": (["--max-words-per-point", "30"], 30),
    "language": (["--lang", "DE"], "de"),
}


def test_the_table_of_values_covers_every_option() -> None:
    assert set(VALUES) == {s.name for s in OPTION_SPECS}


@pytest.mark.parametrize("command", ["summarize", "batch"])
@pytest.mark.parametrize("name", [s.name for s in OPTION_SPECS])
def test_every_option_reaches_options_from_the_cli(command: str, name: str, tmp_path: Path) -> None:
    refs = tmp_path / "refs.txt"
    refs.write_text("First reference.\nSecond reference.\n", encoding="utf-8")
    model = str(nutgraf_bundled_model())
    flags, expected = VALUES[name]
    flags = [refs.as_posix() if f == "REFS" else model if f == "MODEL" else f for f in flags]
    expected = model if expected == "MODEL" else expected
    base = [command, str(SAMPLE)] + (["--out", str(tmp_path / "o.jsonl")] if command == "batch" else [])
    args = build_parser().parse_args([*base, *flags])
    options = options_from_args(args)
    assert getattr(options, name) == expected
    assert getattr(options_from_args(build_parser().parse_args(base)), name) == getattr(Options(), name)


def nutgraf_bundled_model() -> Path:
    from nutgraf.learned.model import bundled_model_path

    return bundled_model_path()


def test_every_option_is_a_keyword_of_the_library_call() -> None:
    parameters = inspect.signature(nutgraf.summarize).parameters
    assert {s.name for s in OPTION_SPECS} <= set(parameters)
    summary = nutgraf.summarize(SAMPLE.read_text(), method="lead", k=1, order="score", redundancy=0.5)
    assert len(summary.highlights) == 1


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["-k", "0"], "k must be between 1 and 50"),
        (["--redundancy", "0"], "redundancy must be in (0, 1]"),
        (["--max-words-per-point", "0"], "max-words-per-point must be between 1 and 1000"),
        (["--order", "random"], "invalid choice"),
    ],
)
def test_cli_refuses_an_out_of_range_option_with_the_specs_message(
    flags: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["summarize", str(SAMPLE), *flags])
    assert exc.value.code == EXIT_USAGE
    assert message in capsys.readouterr().err


def test_summarizer_validates_options_against_the_scorer_once() -> None:
    with pytest.raises(OptionError, match="--model only applies to the learned method"):
        Summarizer(method="lead", model=str(nutgraf_bundled_model()))
    with pytest.raises(OptionError, match="--explain needs the learned method"):
        Summarizer(method="textrank", explain=True)
    with pytest.raises(OptionError, match="redundancy"):
        Summarizer(redundancy=1.5)


def test_summarizer_never_raises_for_bad_input_and_passes_rejections_through() -> None:
    summarizer = Summarizer(method="lead")
    empty = summarizer(Article("e", "   "))
    assert isinstance(empty, nutgraf.Rejection) and empty.reason == "empty"
    rejection = nutgraf.Rejection("x", "empty", "input is empty")
    assert summarizer(rejection) is rejection


# ------------------------------------------------------------------------------ a scorer from outside


class LastFirst(BaseScorer):
    """Scores later sentences higher: the opposite of lead, so its key points are easy to recognise."""

    name = "tests.scorer.last-first.v1"

    def __call__(self, doc: Document, feats: SentenceFeatures, options: Options) -> tuple[float, ...]:
        return tuple(float(i) for i in range(len(doc.sentences)))


@pytest.fixture(autouse=True)
def registry_as_it_was() -> Iterator[None]:
    """What a test registers is gone after it: other tests see the built-in methods only."""
    from nutgraf import registry

    table = registry._SCORERS
    saved = (dict(table.factories), dict(table.aliases), dict(table.instances), registry._entry_points_loaded)
    yield
    table.factories, table.aliases, table.instances = (dict(saved[0]), dict(saved[1]), dict(saved[2]))
    registry._entry_points_loaded = saved[3]


@pytest.fixture
def last_first() -> Any:
    nutgraf.register_scorer(LastFirst.name, LastFirst, alias="last-first")
    return LastFirst


def test_a_registered_scorer_runs_through_the_cli(
    last_first: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "last-first" in nutgraf.method_names()
    assert (
        main(["summarize", str(SAMPLE), "--method", "last-first", "-k", "1", "--format", "json"]) == EXIT_OK
    )
    out = json.loads(capsys.readouterr().out)
    assert out["scorer"] == "tests.scorer.last-first.v1" and out["method"] == "last-first"
    lead = nutgraf.summarize(SAMPLE.read_text(), method="lead", k=1)
    (point,) = out["highlights"]
    assert point["text"] != lead.highlights[0].text
    assert point["sentences"][0] > lead.highlights[0].sentences[0]
    assert main(["methods"]) == EXIT_OK
    assert "last-first" in capsys.readouterr().out


def test_a_registered_scorer_runs_through_batch(last_first: Any, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert (
        main(["batch", str(SAMPLE), "--out", str(out), "--method", "last-first", "--workers", "1"]) == EXIT_OK
    )
    (row,) = list(read_rows(str(out)))
    assert row["scorer"] == "tests.scorer.last-first.v1"


def test_a_registered_scorer_refuses_options_it_cannot_honour(last_first: Any) -> None:
    with pytest.raises(OptionError, match="last-first"):
        Summarizer(method="last-first", explain=True)


def test_scorers_from_the_entry_point_group_are_found(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    from nutgraf import registry

    entry = metadata.EntryPoint("from-plugin", "tests.test_frontends:LastFirst", registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "_entry_points_loaded", False)
    monkeypatch.setattr(
        registry.metadata, "entry_points", lambda group: [entry] if group == entry.group else []
    )
    alias, versioned = registry.resolve("from-plugin")
    assert alias == "from-plugin" and registry.get_scorer(versioned).name == LastFirst.name


# ------------------------------------------------------------------------------------ errors and exits


def test_cli_json_error_has_the_one_error_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["summarize", str(empty), "--format", "json"]) == EXIT_FAILED
    row = json.loads(capsys.readouterr().out)
    expected = rejection_to_dict(nutgraf.Rejection("empty", "empty", "input is empty"))
    assert set(row) == set(expected) == {"id", "error"}
    assert set(row["error"]) == set(expected["error"]) == {"reason", "code", "message"}
    assert row["error"]["reason"] == row["error"]["code"] == "empty"


def test_a_bug_is_a_bug_not_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import nutgraf.cli.summarize as command

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("something inside nutgraf went wrong")

    monkeypatch.setattr(command, "open_input", broken)
    assert main(["summarize", str(SAMPLE)]) == EXIT_BUG
    err = capsys.readouterr().err
    assert "Traceback" in err and "a bug, please report it" in err and "usage" not in err


def test_a_usage_error_has_no_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", "/no/such/file.txt"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "no such file" in err and "Traceback" not in err


# -------------------------------------------------------------------------------------- input formats

RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Wire</title>
<item><guid>urn:1</guid><title>Seawall</title><description><![CDATA[{body}]]></description></item>
<item><guid>urn:2</guid><title>Empty</title></item>
</channel></rss>"""


@pytest.mark.parametrize("name", ["wire.rss", "wire.xml", "wire-no-suffix"])
def test_summarize_gives_a_feeds_entries_their_own_key_points(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "".join(f"<p>{p}</p>" for p in SAMPLE.read_text().split("\n\n")[1:])
    feed = tmp_path / name
    feed.write_text(RSS.format(body=body), encoding="utf-8")
    assert main(["summarize", str(feed), "--method", "lead", "--format", "json"]) == EXIT_FAILED
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["id"] == "urn:1" and first["title"] == "Seawall" and len(first["highlights"]) == 3
    assert all("<" not in h["text"] for h in first["highlights"])
    for h in first["highlights"]:
        assert "".join(first["text"][s:e] for s, e in h["spans"]) == h["text"]
    assert second == {
        "id": "urn:2",
        "error": {"reason": "empty", "code": "empty", "message": second["error"]["message"]},
    }


def test_summarize_and_batch_read_a_directory_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(SAMPLE.read_text(), encoding="utf-8")
    (folder / "b.txt").write_text("", encoding="utf-8")
    (folder / "notes.csv").write_text("x,y", encoding="utf-8")
    assert main(["summarize", str(folder), "--method", "lead", "--format", "json"]) == EXIT_FAILED
    summarized = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    out = tmp_path / "out.jsonl"
    assert (
        main(["batch", str(folder), "--out", str(out), "--method", "lead", "--workers", "1"]) == EXIT_FAILED
    )
    assert list(read_rows(str(out))) == summarized
    assert [Path(r["id"]).name for r in summarized] == ["a.txt", "b.txt"]


def test_compress_without_the_extra_says_what_to_install() -> None:
    code = (
        "import sys\n"
        "sys.modules['spacy'] = None  # as if the compress extra were not installed\n"
        "from nutgraf.cli import main\n"
        "sys.exit(main(['summarize', sys.argv[1], '--compress']))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLE)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == EXIT_USAGE, proc.stderr
    assert "pip install 'nutgraf[compress]'" in proc.stderr and "Traceback" not in proc.stderr


def test_batch_applies_every_kind_of_option_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    flags = [
        "-k",
        "2",
        "--order",
        "score",
        "--explain",
        "--no-repair",
        "--redundancy",
        "0.9",
        "--max-chars",
        "600",
    ]
    assert main(["batch", str(SAMPLE), "--out", str(out), "--workers", "1", *flags]) == EXIT_OK
    (row,) = list(read_rows(str(out)))
    expected = nutgraf.summarize(
        SAMPLE.read_text(), k=2, order="score", explain=True, repair=False, redundancy=0.9, max_chars=600
    )
    assert [h["text"] for h in row["highlights"]] == [h.text for h in expected.highlights]
    assert len(row["highlights"]) == 2 and all(h["explanation"] for h in row["highlights"])
    assert [h["rank"] for h in row["highlights"]] == [1, 2]  # score order
    assert sum(len(h["text"]) for h in row["highlights"]) <= 600


# ------------------------------------------------------------------------------- found by a second read


def test_a_feed_whose_bytes_spell_a_path_is_parsed_not_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.rss"
    secret.write_text(RSS.format(body="<p>" + SAMPLE.read_text() + "</p>"), encoding="utf-8")
    trap = tmp_path / "trap.rss"
    trap.write_bytes(str(secret).encode())  # feedparser would open a path given as bytes
    assert main(["summarize", str(trap), "--format", "json"]) == EXIT_FAILED
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["error"]["reason"] == "bad_record" and "urn:1" not in json.dumps(row)


def test_a_hand_built_article_gets_the_same_checks_as_ingested_text() -> None:
    summarizer = Summarizer(method="lead")
    for text, reason in [
        ("", "empty"),
        ("a\x00b c d e f g. h i j k l m.", "not_text"),
        ("https://x.org/a", "url"),
    ]:
        result = summarizer(Article("a", text))
        assert isinstance(result, nutgraf.Rejection) and result.reason == reason, (text, result)


def test_a_bug_inside_one_record_is_reported_as_a_bug(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import nutgraf.summarizer as summarizer_module

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("a selection bug")

    monkeypatch.setattr(summarizer_module, "select_highlights", broken)
    assert main(["summarize", str(SAMPLE), "--method", "lead", "--format", "json"]) == EXIT_BUG
    captured = capsys.readouterr()
    assert json.loads(captured.out)["error"]["reason"] == "internal"
    assert "Traceback" in captured.err and "a selection bug" in captured.err
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(SAMPLE), "--out", str(out), "--method", "lead", "--workers", "1"]) == EXIT_BUG
    assert [r["error"]["reason"] for r in read_rows(str(out))] == ["internal"]
    assert "1 of them by a bug in nutgraf" in capsys.readouterr().err


def test_entry_point_scorers_are_listed_and_evaluated(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from importlib import metadata

    from nutgraf import evaluate, registry

    entry = metadata.EntryPoint("from-plugin", "tests.test_frontends:LastFirst", registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "_entry_points_loaded", False)
    monkeypatch.setattr(
        registry.metadata, "entry_points", lambda group: [entry] if group == entry.group else []
    )
    assert "from-plugin" in nutgraf.method_names()
    assert evaluate.expand_methods("from-plugin") == ["lead", "from-plugin"]


def test_summarize_refuses_options_and_keywords_together() -> None:
    with pytest.raises(OptionError, match="not both"):
        nutgraf.summarize(SAMPLE.read_text(), options=Options(k=2), k=5)
    assert len(nutgraf.summarize(SAMPLE.read_text(), options=Options(k=2, method="lead")).highlights) == 2


def test_the_library_keywords_default_to_the_options_defaults() -> None:
    parameters = inspect.signature(nutgraf.summarize).parameters
    for spec in OPTION_SPECS:
        assert parameters[spec.name].default == getattr(Options(), spec.name), spec.name


def test_batch_refuses_dask_flags_on_the_local_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "o.jsonl")
    assert main(["batch", str(SAMPLE), "--out", out, "--shard-size", "10"]) == EXIT_USAGE
    assert "--engine dask" in capsys.readouterr().err


@pytest.mark.parametrize(("name", "value"), [("k", 0), ("redundancy", 1.5), ("max_words_per_point", 0)])
def test_the_service_and_the_library_word_an_out_of_range_option_alike(name: str, value: Any) -> None:
    from fastapi.testclient import TestClient

    from nutgraf.serve import create_app

    with pytest.raises(OptionError) as library:
        Options(**{name: value})
    response = TestClient(create_app()).post("/v1/summarize", json={"text": SAMPLE.read_text(), name: value})
    assert response.status_code == 422
    assert str(library.value) in response.json()["error"]["message"]
