"""What a batch job is, for either engine: its inputs, the summarizer, one row per record, and the
fingerprint a resumed run must match."""

from __future__ import annotations

import gzip
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from nutgraf._version import __version__
from nutgraf.contracts import Article, Options, Rejection
from nutgraf.errors import BatchError as BatchError
from nutgraf.errors import WorkerDied as WorkerDied
from nutgraf.ingest import Reading, check_path, open_inputs
from nutgraf.ingest.formats import FORMAT, directory_member, sniff
from nutgraf.ingest.sources import directory_files
from nutgraf.pipeline import summarizer_for
from nutgraf.render import rejection_to_dict, result_to_dict, to_json
from nutgraf.summarizer import Summarizer, bug_rejection

Record = Article | Rejection
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Job:
    """A batch job: summarize every record of ``paths`` into ``out`` with ``options``."""

    paths: tuple[str, ...]
    out: str
    options: Options
    reading: Reading = field(default_factory=Reading)
    workers: int = 1
    resume: bool = False
    overwrite: bool = False

    def __post_init__(self) -> None:
        check_output(self.paths, self.out)

    @property
    def gz(self) -> bool:
        return self.out.endswith(".gz")

    def files(self) -> list[Path]:
        """Every input file (directories expanded, ``-`` kept), checked before any work starts."""
        out: list[Path] = []
        for raw in self.paths:
            check_path(raw, directories=True)
            out.extend(directory_files(raw) if raw != "-" and Path(raw).is_dir() else [Path(raw)])
        return out

    def records(self) -> Iterator[Record]:
        return open_inputs(self.paths, self.reading)

    def fingerprint(self) -> str:
        """What a resumed run must share with the run it continues: the inputs (names and contents: an edit
        that keeps the size and the modification time is still seen), the options, how inputs are read, and
        the summarizer's identity (version, scorer, models)."""
        h = hashlib.sha256()
        for path in self.files():
            h.update(f"{path}\0{_content_digest(path)}\n".encode())
        reading = f"{self.reading.input_format}\0{self.reading.encoding}\0{self.reading.max_bytes}"
        h.update(
            f"{self.options!r}\0{reading}\0nutgraf {__version__}\0{'gz' if self.gz else 'plain'}".encode()
        )
        # The models themselves, not their paths: a model retrained in place must not be mixed into one output.
        h.update(f"\0{summarizer_for(self.options).identity}".encode())
        return h.hexdigest()

    def count(self) -> int | None:
        """How many records the inputs hold (for the ETA), or None when that would mean reading stdin or
        parsing a feed."""
        total = 0
        for path in self.files():
            if str(path) == "-":
                return None
            if not path.is_file():  # its error row (never opened: a FIFO would block)
                total += 1
                continue
            fmt = self.reading.input_format
            if fmt == "auto":
                with _open_binary(path) as fh:
                    fmt = sniff(fh.read(_PEEK), str(path), _PEEK)
            if fmt == "jsonl":
                with _open_binary(path) as fh:
                    total += _count_lines(fh)
            elif FORMAT[fmt].many:
                return None
            else:
                total += 1
        return total


def _count_lines(fh: IO[bytes], block: int = 1 << 20) -> int:
    """The non-blank lines of a stream, read a block at a time: a gzip file that inflates to one 2 GB
    line costs a megabyte of memory here, not 2 GB."""
    count = 0
    pending = False  # the line still open at the end of the last block has a non-blank byte
    while chunk := fh.read(block):
        *complete, last = chunk.split(b"\n")
        for part in complete:
            count += pending or bool(part.strip())
            pending = False
        pending = pending or bool(last.strip())
    return count + pending


def _content_digest(path: Path) -> str:
    """A digest of a regular file's bytes (BLAKE2b, about a second per GB); ``-`` for standard input and
    ``not-a-file`` for what is not one (a FIFO, a dangling link: never opened, they get error rows)."""
    if str(path) == "-":
        return "-"
    if not path.is_file():
        return "not-a-file"
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "blake2b").hexdigest()
    except OSError as exc:
        return f"unreadable:{exc.errno}"  # its error row says why; a resumed run sees the same


def _open_binary(path: Path) -> IO[bytes]:
    with open(path, "rb") as fh:
        gz = fh.read(2) == b"\x1f\x8b"
    return cast(IO[bytes], gzip.open(path, "rb")) if gz else open(path, "rb")


_PEEK = 65536


def process_record(
    record: Record, options: Options, summarizer: Summarizer | None = None
) -> tuple[str, bool]:
    """One input record to one output line (no newline) and whether it succeeded. Engines pass the
    ``summarizer`` they built once for the job (per worker process); without one, a cached one is used."""
    try:
        result = (summarizer or summarizer_for(options))(record)
        return to_json(result_to_dict(result, record)), not isinstance(result, Rejection)
    except Exception as exc:  # a bug must cost one row, never the job (and never stall a resume)
        doc_id = record.id if isinstance(record, Article) else record.article_id
        return to_json(rejection_to_dict(bug_rejection(doc_id, exc))), False


_BUG_ROW = '"error": {"reason": "internal"'


def is_bug(line: str, ok: bool) -> bool:
    """Whether a row is the ``internal`` error of a record that hit a bug in nutgraf (its traceback is in
    the log)."""
    return not ok and _BUG_ROW in line


def encode_row(line: str) -> bytes:
    """A row as UTF-8 bytes with its newline. A lone surrogate (possible in a JSON id) becomes its JSON
    escape instead of failing the job."""
    return line.encode("utf-8", "backslashreplace") + b"\n"


@dataclass
class Tally:
    records: int = 0
    ok: int = 0
    failed: int = 0
    bugs: int = 0
    """Failed rows whose reason is ``internal``: a bug in nutgraf (the job goes on; exit code 3)."""
    skipped: int = 0
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        rate = (self.records - self.skipped) / self.seconds if self.seconds > 0 else 0.0
        resumed = f", {self.skipped} already done (resumed)" if self.skipped else ""
        bugs = f" ({self.bugs} of them by a bug in nutgraf: see the tracebacks above)" if self.bugs else ""
        return (
            f"nutgraf batch: {self.records} records: {self.ok} summarized, {self.failed} failed{bugs}{resumed}; "
            f"{self.seconds:.1f} s ({rate:,.0f} records/s)"
        )


def make_job(
    paths: Sequence[str],
    out: str,
    options: Options,
    *,
    workers: int = 1,
    resume: bool = False,
    overwrite: bool = False,
    max_bytes: int | None = None,
    reading: Reading | None = None,
) -> Job:
    if reading is None:
        reading = Reading(max_bytes=max_bytes) if max_bytes else Reading()
    return Job(tuple(paths), out, options, reading, workers, resume, overwrite)


def check_output(paths: Sequence[str], out: str) -> None:
    """Refuse an output that is one of the inputs (by any name: a symlink or a hard link is the same file)
    or that an input directory would read as one of its files: writing it would destroy or feed back what
    the job reads."""
    target = Path(out)
    resolved = target.resolve()
    for path in paths:
        if path == "-":
            continue
        source = Path(path)
        try:
            if source.is_dir():
                if resolved.is_relative_to(source.resolve()) and directory_member(target.name):
                    raise BatchError(
                        f"the output {out} is inside the input directory {path}: a later run would read it "
                        "as input. Write it somewhere else"
                    )
            elif target.exists() and source.exists() and os.path.samefile(source, target):
                raise BatchError(
                    f"the output {out} is the input {path} (the same file): writing it would destroy the "
                    "records before they are read. Write it somewhere else"
                )
        except OSError:
            continue  # an unreadable input is reported by the reader, with its own message
