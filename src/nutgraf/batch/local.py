"""Batch: many inputs to one JSON Lines output, in input order, exactly one row per record, crash-safe.

Inputs are JSON Lines files (``.jsonl``, ``.jsonl.gz``), directories of ``.txt``/``.html`` files, and
RSS/Atom feed files. Records stream through a bounded window, so memory stays flat however large the input.

Never losing a record: rows are appended in input order and, after every window, the output is flushed
and fsynced and a checkpoint (``OUT.checkpoint``: records done, bytes written) is atomically replaced.
After a crash or ``kill -9`` the output's complete rows are all valid; ``resume`` truncates the output to
the checkpoint's byte count and skips that many records, so nothing is lost or written twice and the final
rows equal those of an uninterrupted run.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any, cast

from nutgraf.contracts import Article, NutgrafError, Options, Rejection
from nutgraf.ingest import UsageError, check_path, from_text, open_input
from nutgraf.render import rejection_to_dict, summary_to_dict

Record = Article | Rejection

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
WINDOW_PER_WORKER = 64
"""Records handed to each worker per window: large enough to keep workers busy, small enough that a
window's rows are a few hundred kilobytes."""


class BatchError(NutgrafError):
    """The batch job as a whole cannot run (bad resume state, output exists)."""


class WorkerDied(BatchError):
    """A worker process died mid-job; what was written stays valid and --resume continues."""


# ------------------------------------------------------------------------------------------ inputs


def _is_feed(path: Path) -> bool:
    if path.suffix.lower() in FEED_SUFFIXES:
        return True
    with open(path, "rb") as fh:
        head = fh.read(2048).lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head)


def describe_inputs(paths: Sequence[str]) -> list[tuple[str, Path]]:
    """``(kind, path)`` for every input, expanding directories (sorted, so the order is stable).
    Raises ``UsageError`` for a missing path: a batch job with a typo in its input should not start."""
    out: list[tuple[str, Path]] = []
    for raw in paths:
        if raw != "-" and Path(raw).is_dir():
            files = sorted(
                p
                for p in Path(raw).rglob("*")
                if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES
            )
            if not files:
                raise UsageError(f"{raw}: no .txt or .html files in this directory")
            out.extend(("file", p) for p in files)
            continue
        check_path(raw)
        path = Path(raw)
        if raw == "-":
            out.append(("jsonl", path))
        elif path.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES:
            out.append(("file", path))
        elif _is_feed(path):
            out.append(("feed", path))
        else:
            out.append(("jsonl", path))
    return out


def iter_records(inputs: Sequence[tuple[str, Path]], *, max_bytes: int) -> Iterator[Record]:
    """Every record of every input, in order; bad ones as ``Rejection`` so each still gets its row."""
    for kind, path in inputs:
        name = str(path)
        if kind == "feed":
            yield from _feed_records(path)
        elif kind == "file":
            for record in open_input(name, max_bytes=max_bytes).records:
                yield _with_id(record, name)
        else:
            yield from open_input(name, input_format="jsonl", max_bytes=max_bytes).records


def _with_id(record: Record, doc_id: str) -> Record:
    if isinstance(record, Rejection):
        return Rejection(doc_id, record.reason, record.message)
    return Article(doc_id, record.text, record.title, record.metadata)


def _feed_records(path: Path) -> Iterator[Record]:
    try:
        import feedparser
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise UsageError("feed input needs feedparser: pip install feedparser") from exc
    parsed = feedparser.parse(path.read_bytes())
    if not parsed.get("entries") and (parsed.get("bozo") or not parsed.get("feed")):
        why = parsed.get("bozo_exception") or "no channel or feed element"
        yield Rejection(str(path), "bad_record", f"not a readable RSS/Atom feed ({why})")
        return
    for n, entry in enumerate(parsed.get("entries", []), start=1):
        doc_id = str(entry.get("id") or entry.get("link") or f"{path}#{n}")
        title = entry.get("title") or None
        contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
        body = contents[0] if contents else entry.get("summary", "")
        text = html_fragment_text(body) if body else ""
        if not text.strip():
            yield Rejection(doc_id, "empty", "feed entry has no content or summary")
            continue
        metadata = {"link": str(entry.get("link", ""))} if entry.get("link") else {}
        yield from_text(text, doc_id, title=title, metadata=metadata)


_BLOCKS = frozenset("p div br li h1 h2 h3 h4 h5 h6 blockquote section article tr pre".split())


def html_fragment_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed entry's body), one paragraph per line. A fragment is a body
    already: no boilerplate to remove, so no trafilatura, just the text with block breaks kept."""
    if "<" not in fragment:
        return fragment.strip()
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several parser errors on junk markup
        return ""
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    parts: list[str] = []

    def walk(node: Any) -> None:
        block = isinstance(node.tag, str) and node.tag.lower() in _BLOCKS
        if block:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def count_records(inputs: Sequence[tuple[str, Path]]) -> int | None:
    """How many records the inputs hold (for the ETA), or None when that would mean reading stdin."""
    total = 0
    for kind, path in inputs:
        if kind == "file":
            total += 1
        elif str(path) == "-" or kind == "feed":
            return None
        else:
            with _open_binary(path, _is_gzip(path)) as fh:
                total += sum(1 for line in fh if line.strip())
    return total


def _open_binary(path: Path | str, gz: bool) -> IO[bytes]:
    if gz:
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path, "rb")


def _is_gzip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


# ------------------------------------------------------------------------------------------ process


def process_record(record: Record, options: Options) -> tuple[str, bool]:
    """One input record to one output line (no newline) and whether it succeeded."""
    from nutgraf.pipeline import summarize_article

    try:
        result = record if isinstance(record, Rejection) else summarize_article(record, options)
        if isinstance(result, Rejection):
            return json.dumps(rejection_to_dict(result), ensure_ascii=False), False
        article = record if isinstance(record, Article) else None
        return json.dumps(summary_to_dict(result, article), ensure_ascii=False), True
    except Exception as exc:  # a bug must cost one row, never the job (and never stall a resume)
        doc_id = record.id if isinstance(record, Article) else record.article_id
        message = f"internal error ({type(exc).__name__}: {exc}); please report it with this input"
        return json.dumps({"id": doc_id, "error": {"reason": "internal", "message": message}}), False


def encode_row(line: str) -> bytes:
    """A row as UTF-8 bytes with its newline. A lone surrogate (possible in a JSON id) becomes its JSON
    escape instead of failing the job."""
    return line.encode("utf-8", "backslashreplace") + b"\n"


_OPTIONS: Options | None = None


def _init(options: Options) -> None:
    global _OPTIONS
    _OPTIONS = options


def _work(record: Record) -> tuple[str, bool]:
    assert _OPTIONS is not None
    return process_record(record, _OPTIONS)


def map_ordered(
    records: Iterable[Record], options: Options, workers: int
) -> Iterator[list[tuple[str, bool]]]:
    """Rows for the records, in input order, one window at a time; at most one window in flight, so
    memory stays flat for any input size."""
    window = max(1, workers) * WINDOW_PER_WORKER
    iterator = iter(records)
    if workers <= 1:
        while chunk := list(islice(iterator, window)):
            yield [process_record(r, options) for r in chunk]
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init, initargs=(options,)) as pool:
        while chunk := list(islice(iterator, window)):
            try:
                yield list(pool.map(_work, chunk, chunksize=max(1, len(chunk) // (workers * 4))))
            except BrokenProcessPool as exc:
                raise WorkerDied(
                    "a worker process died (killed, or out of memory?) while summarizing; every row written "
                    "so far is valid: run the same command again with --resume"
                ) from exc


# ------------------------------------------------------------------------------------ checkpointing


def _fingerprint(inputs: Sequence[tuple[str, Path]], options: Options, gz: bool, max_bytes: int) -> str:
    """What a resumed run must share with the run it continues: the inputs (names, sizes, times) and the
    options. A different fingerprint means the rows already written would not match."""
    h = hashlib.sha256()
    for kind, path in inputs:
        stat = path.stat() if str(path) != "-" else None
        h.update(
            f"{kind}\0{path}\0{stat.st_size if stat else '-'}\0{stat.st_mtime_ns if stat else '-'}\n".encode()
        )
    from nutgraf._version import __version__

    h.update(f"{options!r}\0{max_bytes}\0nutgraf {__version__}\0{'gz' if gz else 'plain'}".encode())
    # The model itself, not its path: a model retrained in place must not be mixed into one output.
    from nutgraf.pipeline import prepare

    h.update(f"\0model {prepare(options)}".encode())
    if options.compress or options.max_words_per_point:
        from nutgraf.compress import model_id

        h.update(f"\0{model_id()}".encode())
    return h.hexdigest()


@dataclass
class Checkpoint:
    path: Path
    fingerprint: str
    records: int = 0
    ok: int = 0
    failed: int = 0
    bytes: int = 0
    complete: bool = False

    def save(self) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        data = {
            "fingerprint": self.fingerprint,
            "records": self.records,
            "ok": self.ok,
            "failed": self.failed,
            "bytes": self.bytes,
            "complete": self.complete,
        }
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    @classmethod
    def load(cls, path: Path) -> Checkpoint | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return cls(
            path,
            data["fingerprint"],
            data["records"],
            data.get("ok", 0),
            data.get("failed", 0),
            data["bytes"],
            data.get("complete", False),
        )


class _Output:
    """Appends rows; for ``.gz`` each flush closes a gzip member, so every flushed byte count is a valid
    gzip file on its own."""

    def __init__(self, path: Path, offset: int) -> None:
        self.path = path
        self.gz = path.name.endswith(".gz")
        self.raw = open(path, "r+b" if path.exists() else "wb")  # noqa: SIM115 - closed in close()
        self.raw.truncate(offset)
        self.raw.seek(offset)
        self.buffer = io.BytesIO()

    def write(self, line: str) -> None:
        self.buffer.write(encode_row(line))

    def flush(self) -> int:
        data = self.buffer.getvalue()
        self.buffer = io.BytesIO()
        if data:
            self.raw.write(gzip.compress(data, mtime=0) if self.gz else data)
        self.raw.flush()
        os.fsync(self.raw.fileno())
        return self.raw.tell()

    def close(self) -> None:
        self.raw.close()


# --------------------------------------------------------------------------------------------- run


@dataclass
class Tally:
    records: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        rate = (self.records - self.skipped) / self.seconds if self.seconds > 0 else 0.0
        resumed = f", {self.skipped} already done (resumed)" if self.skipped else ""
        return (
            f"nutgraf batch: {self.records} records: {self.ok} summarized, {self.failed} failed{resumed}; "
            f"{self.seconds:.1f} s ({rate:,.0f} records/s)"
        )


def run_local(
    paths: Sequence[str],
    out: str,
    options: Options,
    *,
    workers: int = 1,
    resume: bool = False,
    overwrite: bool = False,
    max_bytes: int,
    progress: Callable[[int, int | None], None] | None = None,
) -> Tally:
    """Summarize every record of ``paths`` into ``out`` (JSON Lines, ``.gz`` for gzip), crash-safely."""
    inputs = describe_inputs(paths)
    out_path = Path(out)
    gz = out_path.name.endswith(".gz")
    fingerprint = _fingerprint(inputs, options, gz, max_bytes)
    ckpt_path = out_path.with_name(out_path.name + ".checkpoint")
    checkpoint = Checkpoint(ckpt_path, fingerprint)
    if resume and any(str(path) == "-" for _, path in inputs):
        raise BatchError(
            "--resume cannot continue a job that reads standard input: nutgraf cannot tell whether the same "
            "records come again. Save the input to a file and run from that"
        )
    if resume:
        previous = Checkpoint.load(ckpt_path)
        if previous is None:
            if out_path.exists() and out_path.stat().st_size:
                raise BatchError(
                    f"{out}: no checkpoint ({ckpt_path.name}) to resume from; run without --resume to start "
                    "over (add --overwrite to replace the file)"
                )
        elif previous.fingerprint != fingerprint:
            raise BatchError(
                f"{out} was written from other inputs or options; --resume needs the same command. "
                "Run without --resume and with --overwrite to start over"
            )
        else:
            size = out_path.stat().st_size if out_path.exists() else -1
            if size < previous.bytes:
                raise BatchError(
                    f"{out} is {'missing' if size < 0 else 'shorter than its checkpoint says'}, so the rows it "
                    "should hold are gone; run without --resume and with --overwrite to start over"
                )
            checkpoint = previous
    elif out_path.exists() and not overwrite:
        raise BatchError(f"{out} exists; pass --resume to continue that job, or --overwrite to replace it")
    else:
        ckpt_path.unlink(missing_ok=True)  # a fresh job: an old checkpoint must never describe the new output
    tally = Tally(records=checkpoint.records, ok=checkpoint.ok, failed=checkpoint.failed)
    tally.skipped = checkpoint.records
    if checkpoint.complete:
        return tally
    total = count_records(inputs) if progress else None
    start = time.perf_counter()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    output = _Output(out_path, checkpoint.bytes)
    try:
        checkpoint.save()
        records = islice(iter_records(inputs, max_bytes=max_bytes), checkpoint.records, None)
        for rows in map_ordered(records, options, workers):
            for line, ok in rows:
                output.write(line)
                tally.ok += ok
                tally.failed += not ok
            tally.records += len(rows)
            checkpoint.bytes = output.flush()
            checkpoint.records, checkpoint.ok, checkpoint.failed = tally.records, tally.ok, tally.failed
            checkpoint.save()
            if progress:
                progress(tally.records, total)
        checkpoint.complete = True
        checkpoint.save()
    finally:
        output.close()
        tally.seconds = time.perf_counter() - start
    return tally


def read_rows(path: str) -> Iterator[dict[str, Any]]:
    """The complete rows of a batch output (plain or gzip), stopping quietly at a torn last row."""
    with _open_binary(path, path.endswith(".gz")) as fh:
        try:
            for line in fh:
                if not line.endswith(b"\n"):
                    return
                yield json.loads(line)
        except (EOFError, gzip.BadGzipFile):
            return
