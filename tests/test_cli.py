from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nutgraf import summarize
from nutgraf.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample_article.txt"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_summarize_prints_the_samples_key_points_as_bullets(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["summarize", str(SAMPLE)], capsys)
    assert code == 0
    lines = out.strip().splitlines()
    # the set scorer chooses how many (2-4); the library and the CLI agree
    assert 2 <= len(lines) <= 4
    assert len(lines) == len(summarize(SAMPLE.read_text(encoding="utf-8")).highlights)
    code, out, _ = run(["summarize", str(SAMPLE), "-k", "3"], capsys)
    assert code == 0 and len(out.strip().splitlines()) == 3
    assert all(line.startswith("- ") for line in lines)
    assert "Harbor City Council voted 7-2" in lines[0]


def test_cli_json_spans_point_into_the_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["summarize", str(SAMPLE), "--format", "json", "-k", "4"], capsys)
    assert code == 0
    data = json.loads(out)
    original = SAMPLE.read_text(encoding="utf-8")
    assert set(data) >= {"id", "method", "version", "highlights", "warnings"}
    assert len(data["highlights"]) == 4
    for h in data["highlights"]:
        assert "".join(original[s:e] for s, e in h["spans"]) == h["text"]
        assert set(h) >= {"text", "spans", "sentences", "score", "rank"}
    assert sorted(h["rank"] for h in data["highlights"]) == [1, 2, 3, 4]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_cli_renders_markdown_and_html(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, _ = run(["summarize", str(SAMPLE), "--format", fmt, "-k", "3"], capsys)
    assert code == 0
    if fmt == "md":
        assert out.count("\n- ") + out.startswith("- ") == 3
        assert "\\$48 million" not in out and "$48 million" in out
    else:
        assert out.startswith('<ul class="nutgraf-key-points"') and out.count("<li ") == 3


def test_cli_textrank_and_default_methods_run(capsys: pytest.CaptureFixture[str]) -> None:
    for method in ("textrank", "default", "lead"):
        code, out, _ = run(["summarize", str(SAMPLE), "--method", method, "--format", "json"], capsys)
        assert code == 0
        assert json.loads(out)["method"] in ("textrank", "gbdt", "lead")


def test_cli_unknown_method_is_a_usage_error_listing_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["summarize", str(SAMPLE), "--method", "gbtd"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "Unknown method 'gbtd'. Available: default, gbdt, lead, oracle, textrank" in err


@pytest.mark.parametrize(
    "argv", [["summarize", "-k", "0"], ["summarize", "--max-words", "-3"], ["summarize", "-k", "x"]]
)
def test_cli_invalid_numbers_are_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([*argv, str(SAMPLE)])
    assert exc.value.code == 2


def test_cli_url_is_a_usage_error_that_says_nutgraf_does_not_fetch(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["summarize", "https://example.com/story"], capsys)
    assert code == 2
    assert out == ""
    assert "no network calls" in err


def test_cli_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["summarize", "/no/such/file.txt"], capsys)
    assert code == 2
    assert "no such file" in err


def test_cli_oracle_uses_references(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    refs = tmp_path / "refs.txt"
    refs.write_text("Residents greeted the vote with applause.\nAn independent panel will review costs.\n")
    code, out, _ = run(
        ["summarize", str(SAMPLE), "--method", "oracle", "--references", str(refs), "-k", "2"], capsys
    )
    assert code == 0
    assert "applause" in out and "independent panel" in out


def test_cli_oracle_without_references_fails_the_record(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["summarize", str(SAMPLE), "--method", "oracle"], capsys)
    assert code == 1
    assert "needs reference highlights" in err


def test_cli_jsonl_input_gives_one_output_row_per_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    src = tmp_path / "in.jsonl"
    src.write_text(
        "\n".join([json.dumps({"id": "a", "text": text}), "{broken", json.dumps({"id": "c", "text": ""})])
        + "\n"
    )
    code, out, err = run(["summarize", str(src), "--format", "json"], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [r["id"] for r in rows] == ["a", "in:2", "c"]
    assert "highlights" in rows[0]
    assert rows[1]["error"]["reason"] == "bad_record" and rows[2]["error"]["reason"] == "empty"
    assert err.count("nutgraf: ") == 2


def test_cli_segment_prints_sentences_with_offsets(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["segment", str(SAMPLE), "--format", "json"], capsys)
    assert code == 0
    original = SAMPLE.read_text(encoding="utf-8")
    sentences = json.loads(out)
    assert len(sentences) > 15
    for s in sentences:
        assert original[s["start"] : s["end"]] == s["text"]
        assert set(s) == {"text", "start", "end", "paragraph"}
    code, out, _ = run(["segment", str(SAMPLE)], capsys)
    assert len(out.splitlines()) == len(sentences)


def test_cli_methods_lists_default_first(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["methods"], capsys)
    assert code == 0
    assert out.splitlines()[0].startswith("default")


# --- bad input, through the real entry point: a defined exit code, a one-line message, never a traceback ---

BAD_INPUTS: list[tuple[str, bytes, int, str]] = [
    ("empty", b"", 1, "empty"),
    ("whitespace", b"   \n\n\t  \n", 1, "whitespace"),
    ("binary", bytes(range(256)) * 40, 1, "binary"),
    ("invalid-utf8", "Caf\u00e9 au lait is served. It is hot.".encode("latin-1"), 1, "not valid UTF-8"),
    ("nul", b"The council met. \x00\x00 It voted.", 1, "NUL"),
    ("no-article-html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", 1, "no article"),
    (
        "no-punctuation",
        b"storm hits coast homes flooded thousands evacuated officials say more rain coming",
        1,
        "punctuation",
    ),
    ("one-huge-sentence", ("word " * 10_000).strip().encode() + b".", 1, "10,000 words"),
    ("headline-only", b"Storm hits coast", 1, "no sentence punctuation"),
]


@pytest.mark.parametrize(("name", "data", "code", "needle"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_cli_bad_input_gets_a_clear_error_and_no_traceback(
    tmp_path: Path, name: str, data: bytes, code: int, needle: str
) -> None:
    suffix = ".html" if name.endswith("html") else ".txt"
    p = tmp_path / f"{name}{suffix}"
    p.write_bytes(data)
    proc = subprocess.run(
        [sys.executable, "-m", "nutgraf", "summarize", str(p)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    assert needle in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert proc.stdout == ""


def test_cli_twenty_megabyte_file_is_refused_by_the_size_limit(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_bytes(b"The council met again today. " * 700_000)  # ~20 MB
    proc = subprocess.run(
        [sys.executable, "-m", "nutgraf", "summarize", str(p)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 1
    assert "5,000,000-byte limit" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "nutgraf", "summarize", str(p), "--max-bytes", "30000000", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 1)
    assert json.loads(proc.stdout)


def test_cli_budget_smaller_than_any_sentence_fails_the_record(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "nutgraf", "summarize", str(SAMPLE), "--max-words", "3"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "no sentence fits within the budget of 3 words" in proc.stderr
    assert proc.stdout == ""


def test_cli_single_sentence_gives_one_key_point_and_a_warning(tmp_path: Path) -> None:
    p = tmp_path / "one.txt"
    p.write_text("The Harbor City Council voted on Tuesday to rebuild the seawall.")
    proc = subprocess.run(
        [sys.executable, "-m", "nutgraf", "summarize", str(p)], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert proc.stdout.count("- ") == 1
    assert "returning 1 key point instead of 3" in proc.stderr


def test_cli_reads_stdin_with_windows_line_endings() -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n")
    proc = subprocess.run(
        [sys.executable, "-m", "nutgraf", "summarize", "-", "--format", "json"],
        input=text.encode(),
        capture_output=True,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    for h in data["highlights"]:
        assert "".join(text[s:e] for s, e in h["spans"]) == h["text"]
        assert "\r" not in h["text"]


def test_cli_non_english_text_works_and_warns(tmp_path: Path) -> None:
    p = tmp_path / "fr.txt"
    p.write_text(
        "Le conseil municipal a approuvé mardi soir un plan de 48 millions de dollars "
        "pour reconstruire la digue. "
        "Les travaux commenceront en mars et dureront deux ans selon la mairie. "
        "La tempête d'octobre dernier avait endommagé plus de six cents maisons et commerces de la ville. "
        "Les habitants du quartier est ont applaudi le vote à la fin de la séance publique. ",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "nutgraf", "summarize", str(p)], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert proc.stdout.count("- ") == 3
    assert "warning: the text is in French" in proc.stderr and "may be poor" in proc.stderr
    as_json = subprocess.run(
        [sys.executable, "-m", "nutgraf", "summarize", str(p), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert json.loads(as_json.stdout)["language"] == "fr"
    forced = subprocess.run(
        [sys.executable, "-m", "nutgraf", "summarize", str(p), "--format", "json", "--lang", "EN"],
        capture_output=True,
        text=True,
    )
    assert json.loads(forced.stdout)["language"] == "en" and "French" not in forced.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "nutgraf", "summarize", str(p), "--lang", "english"],
        capture_output=True,
        text=True,
    )
    assert (
        bad.returncode == 2
        and "not an ISO 639-1 language code" in bad.stderr
        and "Traceback" not in bad.stderr
    )


def test_cli_jsonl_on_stdin_prints_one_line_per_record() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    lines = "".join(json.dumps({"id": f"r{i}", "text": text}) + "\n" for i in range(3))
    proc = subprocess.run(
        [sys.executable, "-m", "nutgraf", "summarize", "-", "--format", "json"],
        input=lines.encode(),
        capture_output=True,
    )
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["id"] for r in rows] == ["r0", "r1", "r2"]


def test_cli_title_keeps_a_repeated_headline_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "t.txt"
    p.write_text(
        "Why the seawall vote matters to the east side\n"
        "The council approved the seawall plan on Tuesday night. "
        "Work will begin in March, officials said. The state will pay most of the cost."
    )
    _, without, _ = run(["summarize", str(p)], capsys)
    _, with_title, _ = run(
        ["summarize", str(p), "--title", "Why the seawall vote matters to the east side"], capsys
    )
    assert "Why the seawall vote matters" in without
    assert "Why the seawall vote matters" not in with_title


def test_cli_escapes_control_characters_in_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "bad\nid", "text": ""}) + "\n")
    code, _, err = run(["summarize", str(src)], capsys)
    assert code == 1
    assert err.count("\n") == 1 and "bad\\nid" in err


STORY = (
    "The council approved the new budget for the city schools on Monday night after a long debate. The mayor "
    "said the plan would hire forty new teachers by the autumn term. Parents welcomed the decision but asked "
    "for smaller classes."
)


def _hostile_jsonl(tmp_path: Path) -> Path:
    rows = [
        {"id": "<script>alert(1)</script>", "text": STORY},
        {"id": "bad\ud800id", "text": STORY},
        {"id": "t", "text": STORY[:60] + "\ud800" + STORY[60:]},
        {"id": "last", "text": STORY},
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["text", "md", "html", "json"])
def test_hostile_ids_and_lone_surrogates_cost_one_record_and_print_safely(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code, out, err = run(["summarize", str(_hostile_jsonl(tmp_path)), "--format", fmt], capsys)
    assert code == 1 and "Traceback" not in err
    assert "lone surrogate (U+D800) at character 60" in err
    out.encode("utf-8")  # everything printed can be written as UTF-8
    assert "\ud800" not in out
    if fmt == "html":
        assert "<script>" not in out and "&lt;script&gt;" in out
        assert out.count('<ul class="nutgraf-key-points"') == 3
    if fmt == "md":
        assert "# \\<script\\>alert(1)\\</script\\>" in out
    if fmt == "json":
        records = [json.loads(line) for line in out.splitlines()]
        assert [r["id"] for r in records] == ["<script>alert(1)</script>", "bad\ud800id", "t", "last"]
        assert records[2]["error"]["reason"] == "not_text"
    assert "last" in out


def test_outputs_are_checked_before_the_work_and_never_create_directories(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gate = Path(__file__).parent / "fixtures" / "validation_gate.jsonl.gz"
    missing = tmp_path / "no" / "such"
    for flag, what in (("--per-article", "the per-article rows"), ("--plot", "the plot")):
        code, out, err = run(["evaluate", str(gate), "--limit", "2", flag, str(missing / "x")], capsys)
        assert code == 2 and out == "" and f"cannot write {what} to" in err and "does not exist" in err
    code, _, err = run(["train", "--data", str(gate), "--out", str(missing / "m.json.gz")], capsys)
    assert code == 2 and "does not exist" in err
    assert not (tmp_path / "no").exists()


def test_a_full_disk_on_standard_output_is_an_error_not_a_bug() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("this system has no /dev/full to fill")
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "nutgraf", "summarize", str(SAMPLE)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert proc.returncode == 1
    assert "cannot write (standard output): No space left on device" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_segment_takes_the_language_or_detects_it(tmp_path: Path) -> None:
    p = tmp_path / "de.txt"
    p.write_text(
        "Am 3. Oktober feiern wir den Tag der Einheit. Dr. Müller kommt auch zum Fest.\n", encoding="utf-8"
    )
    detected = subprocess.run(
        [sys.executable, "-m", "nutgraf", "segment", str(p)], capture_output=True, text=True
    )
    assert detected.stdout.splitlines() == [
        "Am 3. Oktober feiern wir den Tag der Einheit.",
        "Dr. Müller kommt auch zum Fest.",
    ]
    english = subprocess.run(
        [sys.executable, "-m", "nutgraf", "segment", str(p), "--lang", "en"], capture_output=True, text=True
    )
    assert english.stdout.splitlines()[0] == "Am 3."  # English rules: a number's full stop ends a sentence
