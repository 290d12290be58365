from __future__ import annotations

import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nutgraf.batch import html_fragment_text, read_rows, run_local
from nutgraf.contracts import Options

from .conftest import load_fixture_articles

ARTICLES = [row["article"] for row in load_fixture_articles()]


def make_jsonl(path: Path, n: int, bad: bool = True) -> list[str]:
    """n good records (the fixture articles repeated under new ids) and, with ``bad``, one of each bad kind;
    returns the ids in input order (bad JSON gets its file:line id)."""
    ids: list[str] = []
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"r{i}", "text": ARTICLES[i % len(ARTICLES)]}) + "\n")
            ids.append(f"r{i}")
        if bad:
            fh.write("{not json\n")
            ids.append(f"{path.stem}:{n + 1}")
            fh.write(json.dumps({"id": "no-text", "title": "x"}) + "\n")
            ids.append("no-text")
            fh.write(json.dumps({"id": "binary", "text": "\x00\x01\x02 binary"}) + "\n")
            ids.append("binary")
    return ids


def batch(*args: str, check: int | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "nutgraf", "batch", *args], capture_output=True, text=True, timeout=300
    )
    if check is not None:
        assert proc.returncode == check, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc


def test_batch_writes_one_row_per_record_in_input_order(tmp_path: Path) -> None:
    ids = make_jsonl(tmp_path / "in.jsonl", 150)
    proc = batch(str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out.jsonl"), "--workers", "2", check=1)
    rows = list(read_rows(str(tmp_path / "out.jsonl")))
    assert [r["id"] for r in rows] == ids
    assert all("highlights" in r for r in rows[:150])
    assert [r["error"]["reason"] for r in rows[150:]] == ["bad_record", "bad_record", "not_text"]
    assert "153 records: 150 summarized, 3 failed" in proc.stderr


def test_batch_exit_code_is_zero_when_every_record_succeeds(tmp_path: Path) -> None:
    make_jsonl(tmp_path / "in.jsonl", 5, bad=False)
    batch(str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out.jsonl.gz"), check=0)
    assert len(list(read_rows(str(tmp_path / "out.jsonl.gz")))) == 5


def test_batch_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    proc = batch(str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "out.jsonl"), check=2)
    assert "no such file" in proc.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_batch_refuses_to_overwrite_without_being_told(tmp_path: Path) -> None:
    make_jsonl(tmp_path / "in.jsonl", 3, bad=False)
    (tmp_path / "out.jsonl").write_text("precious\n")
    proc = batch(str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out.jsonl"), check=2)
    assert "--resume" in proc.stderr and "--overwrite" in proc.stderr
    assert (tmp_path / "out.jsonl").read_text() == "precious\n"
    batch(str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out.jsonl"), "--overwrite", check=0)
    assert len(list(read_rows(str(tmp_path / "out.jsonl")))) == 3


def test_batch_resume_refuses_a_different_command(tmp_path: Path) -> None:
    make_jsonl(tmp_path / "in.jsonl", 3, bad=False)
    batch(str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out.jsonl"), check=0)
    proc = batch(
        str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out.jsonl"), "--resume", "-k", "5", check=2
    )
    assert "same command" in proc.stderr


def test_batch_reads_a_directory_of_text_and_html_files(tmp_path: Path) -> None:
    d = tmp_path / "docs"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLES[0])
    (d / "b.html").write_text(
        "<html><body><article>"
        + "".join(f"<p>{p}</p>" for p in ARTICLES[1].split(". "))
        + "</article></body></html>"
    )
    (d / "c.txt").write_bytes(b"")
    (d / "notes.csv").write_text("ignored")
    batch(str(d), "--out", str(tmp_path / "out.jsonl"), check=1)
    rows = list(read_rows(str(tmp_path / "out.jsonl")))
    assert [Path(r["id"]).name for r in rows] == ["a.txt", "b.html", "c.txt"]
    assert "highlights" in rows[0] and "highlights" in rows[1] and "text" in rows[1]
    assert rows[2]["error"]["reason"] == "empty"


RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Wire</title>
<item><guid>urn:1</guid><title>Seawall</title><link>https://example.com/1</link>
<description><![CDATA[<p>{a}</p>]]></description></item>
<item><guid>urn:2</guid><title>Empty</title><link>https://example.com/2</link></item>
<item><title>No guid</title><link>https://example.com/3</link>
<description>{b}</description></item>
</channel></rss>"""


def test_batch_reads_rss_feeds_and_reports_entries_without_content(tmp_path: Path) -> None:
    feed = tmp_path / "wire.rss"
    feed.write_text(
        RSS.format(a=ARTICLES[0][:1500], b=ARTICLES[2][:1500].replace("&", "and").replace("<", ""))
    )
    batch(str(feed), "--out", str(tmp_path / "out.jsonl"), check=1)
    rows = list(read_rows(str(tmp_path / "out.jsonl")))
    assert [r["id"] for r in rows] == ["urn:1", "urn:2", "https://example.com/3"]
    assert rows[0]["title"] == "Seawall" and 2 <= len(rows[0]["highlights"]) <= 4  # the set scorer chooses
    message = "feed entry has no content or summary"
    assert rows[1]["error"] == {"reason": "empty", "code": "empty", "message": message}


def test_html_fragment_text_keeps_paragraphs_and_drops_scripts() -> None:
    html = "<p>First para.</p><script>var x;</script><div>Second <b>bold</b> para.</div>tail"
    assert html_fragment_text(html) == "First para.\nSecond bold para.\ntail"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["good", "badjson", "notext", "empty", "binary"]), min_size=1, max_size=40))
def test_batch_output_count_equals_input_count(tmp_path: Path, kinds: list[str]) -> None:
    src = tmp_path / "prop.jsonl"
    out = tmp_path / "prop.out.jsonl"
    lines = {
        "good": json.dumps({"id": "g", "text": ARTICLES[3]}),
        "badjson": "{oops",
        "notext": json.dumps({"id": "n"}),
        "empty": json.dumps({"id": "e", "text": "  "}),
        "binary": json.dumps({"id": "b", "text": "a\x00b"}),
    }
    src.write_text("".join(lines[k] + "\n" for k in kinds))
    tally = run_local([str(src)], str(out), Options(), workers=1, overwrite=True, max_bytes=5_000_000)
    rows = list(read_rows(str(out)))
    assert len(rows) == len(kinds) == tally.records
    assert tally.failed == sum(k != "good" for k in kinds)
    assert [("error" in r) for r in rows] == [k != "good" for k in kinds]


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
def test_batch_survives_kill_9_at_random_moments_and_resumes_to_the_same_output(
    tmp_path: Path, suffix: str
) -> None:
    """Kill real runs with SIGKILL several times at random moments, resume each time, and compare the final
    output with an uninterrupted run: nothing lost, nothing duplicated, every complete row valid throughout."""
    src = tmp_path / "in.jsonl"
    ids = make_jsonl(src, 2500)
    reference = tmp_path / f"ref{suffix}"
    batch(str(src), "--out", str(reference), "--workers", "2", check=1)
    out = tmp_path / f"out{suffix}"
    checkpoint = tmp_path / f"out{suffix}.checkpoint"
    rng = random.Random(20261128 + len(suffix))
    # Kill points spread over the job: each run is killed a random few milliseconds after it has passed a
    # random number of records, so kills land mid-window, mid-write and mid-checkpoint alike.
    targets = sorted(rng.sample(range(100, len(ids) - 300), 5))
    kills = 0
    for target in targets:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "nutgraf",
                "batch",
                str(src),
                "--out",
                str(out),
                "--workers",
                "2",
                "--resume",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        while proc.poll() is None and _records_done(checkpoint) < target:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.08))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the batch process and its workers, like a crashed machine
            kills += 1
        proc.wait()
        done = list(read_rows(str(out))) if out.exists() else []
        assert [r["id"] for r in done] == ids[: len(done)]  # complete rows are valid and in order
    assert kills >= 4, "the runs finished before they could be killed; the test proved nothing"
    batch(str(src), "--out", str(out), "--workers", "2", "--resume", check=1)
    assert list(read_rows(str(out))) == list(read_rows(str(reference)))
    if suffix == ".jsonl":
        assert out.read_bytes() == reference.read_bytes()
    else:
        assert gzip.decompress(out.read_bytes()) == gzip.decompress(reference.read_bytes())


def _records_done(checkpoint: Path) -> int:
    try:
        return int(json.loads(checkpoint.read_text())["records"])
    except (OSError, ValueError, KeyError):
        return 0


def test_batch_dask_engine_gives_the_local_engine_rows(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    make_jsonl(src, 120)
    batch(str(src), "--out", str(tmp_path / "local.jsonl"), check=1)
    proc = batch(
        str(src), "--out", str(tmp_path / "dask.jsonl"), "--engine", "dask", "--workers", "2", "--shard-size", "50",
        check=1,
    )  # fmt: skip
    assert "123 records: 120 summarized, 3 failed" in proc.stderr
    from nutgraf.dask_engine import read_parts

    local = (tmp_path / "local.jsonl").read_text().splitlines()
    assert read_parts(str(tmp_path / "dask.jsonl")) == local
    manifest = json.loads((tmp_path / "dask.jsonl.parts" / "manifest.json").read_text())
    assert manifest["complete"] and [p["records"] for p in manifest["parts"]] == [50, 50, 23]
    # Resume keeps finished parts: delete one, resume, and only that one is recomputed.
    (tmp_path / "dask.jsonl.parts" / "part-00001.jsonl").unlink()
    before = (tmp_path / "dask.jsonl.parts" / "part-00000.jsonl").stat().st_mtime_ns
    batch(
        str(src), "--out", str(tmp_path / "dask.jsonl"), "--engine", "dask", "--workers", "2", "--shard-size", "50",
        "--resume", check=1,
    )  # fmt: skip
    assert (tmp_path / "dask.jsonl.parts" / "part-00000.jsonl").stat().st_mtime_ns == before
    assert read_parts(str(tmp_path / "dask.jsonl")) == local


def test_batch_resume_refuses_when_the_output_is_missing_or_short(tmp_path: Path) -> None:
    make_jsonl(tmp_path / "in.jsonl", 10, bad=False)
    out = tmp_path / "out.jsonl"
    batch(str(tmp_path / "in.jsonl"), "--out", str(out), check=0)
    out.unlink()
    proc = batch(str(tmp_path / "in.jsonl"), "--out", str(out), "--resume", check=2)
    assert "missing" in proc.stderr and not out.exists()
    batch(str(tmp_path / "in.jsonl"), "--out", str(out), "--overwrite", check=0)
    out.write_bytes(out.read_bytes()[:100])
    proc = batch(str(tmp_path / "in.jsonl"), "--out", str(out), "--resume", check=2)
    assert "shorter than its checkpoint" in proc.stderr


def test_batch_overwrite_starts_a_fresh_checkpoint(tmp_path: Path) -> None:
    make_jsonl(tmp_path / "in.jsonl", 4, bad=False)
    out = tmp_path / "out.jsonl"
    batch(str(tmp_path / "in.jsonl"), "--out", str(out), check=0)
    (tmp_path / "out.jsonl.checkpoint").write_text(
        json.dumps({"fingerprint": "x", "records": 99, "bytes": 0})
    )
    batch(str(tmp_path / "in.jsonl"), "--out", str(out), "--overwrite", check=0)
    assert json.loads((tmp_path / "out.jsonl.checkpoint").read_text())["records"] == 4


def test_batch_resume_refuses_standard_input(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "nutgraf", "batch", "-", "--out", str(tmp_path / "o.jsonl"), "--resume"],
        input=json.dumps({"id": "a", "text": ARTICLES[0]}) + "\n",
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "standard input" in proc.stderr


def test_batch_keeps_going_past_a_lone_surrogate_in_an_id(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": "odd-\\ud800", "text": '
        + json.dumps(ARTICLES[0])
        + "}\n"
        + json.dumps({"id": "ok", "text": ARTICLES[1]})
        + "\n"
    )
    batch(str(src), "--out", str(tmp_path / "out.jsonl"), check=0)
    rows = list(read_rows(str(tmp_path / "out.jsonl")))
    assert [r["id"] for r in rows] == ["odd-\ud800", "ok"]


def test_batch_reports_an_xml_file_that_is_not_a_feed(tmp_path: Path) -> None:
    (tmp_path / "config.xml").write_text('<?xml version="1.0"?><config><a>1</a></config>')
    batch(str(tmp_path / "config.xml"), "--out", str(tmp_path / "out.jsonl"), check=1)
    (row,) = list(read_rows(str(tmp_path / "out.jsonl")))
    assert row["error"]["reason"] == "bad_record" and "feed" in row["error"]["message"]


def test_batch_unwritable_output_is_a_usage_error(tmp_path: Path) -> None:
    make_jsonl(tmp_path / "in.jsonl", 2, bad=False)
    (tmp_path / "dir.jsonl").mkdir()
    proc = batch(str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "dir.jsonl"), "--overwrite", check=2)
    assert "cannot write the output" in proc.stderr


KILLER = """
import os, signal, sys
import nutgraf.batch as b
import nutgraf.batch.local as local
from nutgraf.contracts import Options
real = local.process_record
def dying(record, *args):
    if getattr(record, "id", "") == "r40":
        os.kill(os.getpid(), signal.SIGKILL)
    return real(record, *args)
local.process_record = dying
try:
    b.run_local([sys.argv[1]], sys.argv[2], Options(), workers=2, overwrite=True, max_bytes=5_000_000)
except b.WorkerDied as exc:
    print("died:", exc)
"""


def test_batch_stops_with_a_clear_error_when_a_worker_dies(tmp_path: Path) -> None:
    make_jsonl(tmp_path / "in.jsonl", 300, bad=False)
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, str(tmp_path / "in.jsonl"), str(tmp_path / "out.jsonl")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "died: a worker process died" in proc.stdout, proc.stderr
    rows = list(read_rows(str(tmp_path / "out.jsonl")))
    assert [r["id"] for r in rows] == [f"r{i}" for i in range(len(rows))]


class _Killed(Exception):
    """Stands in for distributed's KilledWorker."""


class _FakeDask:
    """A Dask stand-in whose every task's worker dies: what run_dask_job does with distributed's error."""

    KilledWorker = _Killed

    class _Future:
        def result(self) -> Any:
            raise _Killed("worker died")

    class Client:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def scheduler_info(self) -> dict[str, Any]:
            return {"workers": {"w": 1}}

        def submit(self, *args: Any, **kwargs: Any) -> Any:
            return _FakeDask._Future()

        def close(self) -> None:
            pass

    @staticmethod
    def wait(futures: list[Any], return_when: str = "ALL_COMPLETED") -> tuple[list[Any], list[Any]]:
        return futures, []


def test_a_dead_dask_worker_is_a_stopped_job_not_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nutgraf.batch.dask as engine
    from nutgraf.cli import main
    from nutgraf.errors import EXIT_FAILED, WorkerDied

    make_jsonl(tmp_path / "in.jsonl", 3, bad=False)
    monkeypatch.setattr(engine, "_distributed", lambda: _FakeDask)
    with pytest.raises(WorkerDied, match="--resume"):
        engine.run_dask([str(tmp_path / "in.jsonl")], str(tmp_path / "o.jsonl"), Options(method="lead"),
                        scheduler="tcp://fake:1", shard_size=1)  # fmt: skip
    out = str(tmp_path / "p.jsonl")
    args = [
        "batch",
        str(tmp_path / "in.jsonl"),
        "--out",
        out,
        "--engine",
        "dask",
        "--scheduler",
        "tcp://fake:1",
    ]
    assert main([*args, "--method", "lead"]) == EXIT_FAILED


def test_an_output_that_is_the_input_by_any_name_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    from nutgraf.cli import main
    from nutgraf.errors import EXIT_USAGE

    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": "a", "text": "The council approved the budget on Monday after a long debate."})
        + "\n",
        encoding="utf-8",
    )
    before = source.read_bytes()
    (tmp_path / "link.jsonl").symlink_to(source)
    os.link(source, tmp_path / "hard.jsonl")
    for out in ("in.jsonl", "link.jsonl", "hard.jsonl"):
        assert main(["batch", str(source), "--out", str(tmp_path / out), "--overwrite"]) == EXIT_USAGE
        assert source.read_bytes() == before, out
    stories = tmp_path / "stories"
    stories.mkdir()
    (stories / "a.txt").write_text("The council approved the budget on Monday after a long debate.\n")
    assert main(["batch", str(stories), "--out", str(stories / "out.txt")]) == EXIT_USAGE
    assert not (stories / "out.txt").exists()
    assert main(["batch", str(stories), "--out", str(stories / "out.jsonl")]) in (0, 1)  # not read back


def test_a_fifo_and_a_dangling_link_in_a_directory_get_error_rows_and_never_block(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    stories.mkdir()
    (stories / "a.txt").write_text(
        "The council approved the budget on Monday after a long debate, officials said.\n"
    )
    os.mkfifo(stories / "pipe.txt")  # opening it for reading would wait for a writer forever
    (stories / "dead.txt").symlink_to(tmp_path / "nowhere.txt")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "nutgraf", "batch", str(stories), "--out", str(out)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    rows = {json.loads(line)["id"]: json.loads(line) for line in out.read_text().splitlines()}
    assert set(rows) == {str(stories / n) for n in ("a.txt", "pipe.txt", "dead.txt")}
    assert "dangling symbolic link" in rows[str(stories / "dead.txt")]["error"]["message"]
    assert "not a regular file" in rows[str(stories / "pipe.txt")]["error"]["message"]
    assert "highlights" in rows[str(stories / "a.txt")]


def test_batch_resume_sees_an_edit_that_keeps_the_size_and_the_modification_time(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    make_jsonl(src, 3, bad=False)
    out = tmp_path / "out.jsonl"
    batch(str(src), "--out", str(out), check=0)
    stat = src.stat()
    data = src.read_bytes()
    at = data.index(b'"text": "') + 9
    edited = data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :]  # one letter's case flipped
    assert edited != data and len(edited) == len(data)
    src.write_bytes(edited)
    os.utime(src, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the same size and the same time
    proc = batch(str(src), "--out", str(out), "--resume", check=2)
    assert "same command" in proc.stderr


def _processes_mentioning(marker: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc; the guarantee is Linux's prctl"
)
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_a_batch_job_leaves_no_worker_behind(tmp_path: Path, sig: int) -> None:
    src = tmp_path / "in.jsonl"
    make_jsonl(src, 3000, bad=False)
    out = tmp_path / f"killed-{sig}.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "nutgraf", "batch", str(src), "--out", str(out), "--workers", "2"],
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline and len(_processes_mentioning(str(out))) < 3:
        time.sleep(0.05)
    assert len(_processes_mentioning(str(out))) >= 3, "the job and its two workers never all started"
    proc.send_signal(sig)
    proc.wait(timeout=30)
    deadline = time.time() + 10
    while time.time() < deadline and _processes_mentioning(str(out)):
        time.sleep(0.1)
    assert _processes_mentioning(str(out)) == [], "workers outlived the killed job"


def test_ctrl_c_stops_a_batch_job_with_one_line_and_no_worker_traceback(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    make_jsonl(src, 3000, bad=False)
    out = tmp_path / "int.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "nutgraf", "batch", str(src), "--out", str(out), "--workers", "2"],
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.time() + 60
    while time.time() < deadline and not (out.exists() and out.stat().st_size):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in err and "nutgraf: interrupted" in err


@given(st.binary(max_size=200), st.integers(1, 8))
@settings(max_examples=200, deadline=None)
def test_counting_records_in_blocks_counts_the_non_blank_lines(data: bytes, block: int) -> None:
    import io

    from nutgraf.batch.job import _count_lines

    assert _count_lines(io.BytesIO(data), block) == sum(1 for line in io.BytesIO(data) if line.strip())


def test_counting_records_of_a_gzip_bomb_line_takes_bounded_memory(tmp_path: Path) -> None:
    import tracemalloc

    from nutgraf.batch.job import _count_lines, _open_binary

    bomb = tmp_path / "bomb.jsonl.gz"
    with gzip.open(bomb, "wb", compresslevel=1) as fh:
        for _ in range(64):
            fh.write(b"a" * (1 << 20))  # one 64 MB line
        fh.write(b"\n{}\n")
    tracemalloc.start()
    with _open_binary(bomb) as fh:
        assert _count_lines(fh) == 2
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8 << 20, f"peak {peak:,} bytes"


def test_an_unreadable_file_in_a_directory_is_one_error_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nutgraf.ingest.sources as sources
    from nutgraf.errors import UsageError

    stories = tmp_path / "stories"
    stories.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (stories / name).write_text(
            "The council approved the budget on Monday after a long debate, officials said.\n"
        )
    real = sources.open_input

    def locked(path: str, *args: Any, **kwargs: Any) -> Any:
        if path.endswith("b.txt"):  # as a file without read permission answers (the tests run as root)
            raise UsageError(f"{path}: permission denied")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(sources, "open_input", locked)
    out = tmp_path / "out.jsonl"
    tally = run_local([str(stories)], str(out), Options(method="lead"))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"].rsplit("/", 1)[-1] for r in rows] == ["a.txt", "b.txt", "c.txt"]
    assert "permission denied" in rows[1]["error"]["message"] and tally.records == 3


def test_a_corrupt_checkpoint_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    make_jsonl(tmp_path / "in.jsonl", 3, bad=False)
    out = tmp_path / "out.jsonl"
    batch(str(tmp_path / "in.jsonl"), "--out", str(out), check=0)
    (tmp_path / "out.jsonl.checkpoint").write_bytes(b"\x00{not json")
    proc = batch(str(tmp_path / "in.jsonl"), "--out", str(out), "--resume", check=2)
    assert "Traceback" not in proc.stderr and "checkpoint" in proc.stderr
