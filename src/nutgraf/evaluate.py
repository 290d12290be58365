"""Evaluation people can trust and rerun: ROUGE the standard way, baselines and peers on the same rows.

- ROUGE-1/2/L/Lsum from Google's ``rouge-score`` with ``use_stemmer=True``; every summary's sentences are
  joined by newlines, so ``rougeLsum`` is the summary-level ROUGE-L that papers report (without the
  newlines it silently equals ``rougeL``).
- Means with seeded bootstrap 95% confidence intervals; every method compared with ``lead`` on the same
  rows (mean difference, its bootstrap CI, and a two-sided paired sign-flip randomization test).
- A method that fails on a valid row scores 0 there and the failure is listed: no method dodges a hard
  row, and no row is dropped silently.

The library functions come first (``load_rows``, ``evaluate``, ``measure_speed``); ``nutgraf evaluate`` is
a thin shell over them.
"""

from __future__ import annotations

import contextlib
import math
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from nutgraf.contracts import Article, NutgrafError, Options, Rejection, Summary, UnknownName
from nutgraf.ingest import UsageError, open_input
from nutgraf.registry import method_names, resolve

METRICS = ("rouge1", "rouge2", "rougeL", "rougeLsum")
BASELINE = "lead"
PLAIN_LEAD3 = "lead3-plain"
"""Plain Lead-3: the first three sentences of the raw text (no cleaning, no filters), nutgraf's segmenter.
The baseline that published Lead-3 numbers correspond to."""
COMPRESSED = "+compress"
"""Suffix of a nutgraf method run with compression (``gbdt+compress``): in the same run as the method
itself, the report adds a paired comparison of compression on against off."""
BOOTSTRAP_SAMPLES = 1000
PERMUTATIONS = 5000
SEED = 20261128


class EvaluationError(NutgrafError):
    """Something about the evaluation run itself (not one row) that the user must fix."""


# ----------------------------------------------------------------------------------------------- rows


@dataclass(frozen=True, slots=True)
class EvalRow:
    article: Article
    references: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.article.id

    def column(self, name: str) -> str:
        return self.article.metadata.get(name) or "unknown"


@dataclass(frozen=True, slots=True)
class Failure:
    id: str
    reason: str
    message: str
    method: str | None = None

    def to_dict(self) -> dict[str, str]:
        out = {"id": self.id, "reason": self.reason, "message": self.message}
        if self.method:
            out["method"] = self.method
        return out


def load_rows(paths: Sequence[str], limit: int | None = None) -> tuple[list[EvalRow], list[Failure]]:
    """Rows with an article and reference highlights from JSON Lines files (``.jsonl``, ``.jsonl.gz``).
    A file that is missing or empty and a row without highlights become ``Failure`` records."""
    rows: list[EvalRow] = []
    failures: list[Failure] = []
    for path in paths:
        try:
            source = open_input(path, input_format="jsonl")
        except UsageError as exc:
            failures.append(Failure(path, "unreadable_file", str(exc)))
            continue
        count = 0
        for record in source.records:
            count += 1
            if isinstance(record, Rejection):
                failures.append(Failure(record.article_id, record.reason, record.message))
                continue
            refs = tuple(h for h in record.metadata.get("highlights", "").split("\n") if h.strip())
            if not refs:
                failures.append(
                    Failure(record.id, "no_references", 'row has no reference "highlights" to score against')
                )
                continue
            rows.append(EvalRow(record, refs))
            if limit is not None and len(rows) >= limit:
                return rows, failures
        if count == 0:
            failures.append(Failure(path, "empty_file", f"{path} has no rows"))
    return rows, failures


# -------------------------------------------------------------------------------------------- methods

Producer = Callable[[EvalRow], list[dict[str, Any]]]
"""Turns a row into highlights: dicts with at least ``text`` (and ``spans`` for nutgraf's methods)."""


def available_methods() -> list[str]:
    """Every name ``--methods`` takes, in report order: nutgraf's methods, plain Lead-3, the peers."""
    from nutgraf.peers import PEER_NAMES

    ours = [BASELINE, *(m for m in method_names() if m != BASELINE)]
    return [*ours, PLAIN_LEAD3, *PEER_NAMES]


def expand_methods(spec: str) -> list[str]:
    """``lead,textrank`` -> names; ``all`` -> every nutgraf method, the plain Lead-3 and every peer."""
    from nutgraf.peers import PEER_NAMES

    names: list[str] = []
    for raw in spec.split(","):
        name = raw.strip().lower()
        if not name:
            continue
        if name == "all":
            names.extend(available_methods())
        elif name == "peers":
            names.extend(PEER_NAMES)
        else:
            names.append(name)
    valid = set(available_methods())
    for name in names:
        if name not in valid and not (name.endswith(COMPRESSED) and _ours(name)):
            raise UnknownName(
                f"Unknown method {name!r}. Available: {', '.join(available_methods())}, all, peers "
                f"(and any of nutgraf's methods with {COMPRESSED}, e.g. gbdt{COMPRESSED})"
            )
    out = list(dict.fromkeys(names))
    if BASELINE not in out:
        out.insert(0, BASELINE)  # the paired comparison needs the baseline in the same run
    return out


def make_producer(name: str, k: int, model: str | None = None, compress: bool = False) -> Producer:
    """The function that gives a method's highlights for a row (set up once per process); ``model`` is a
    model file for the learned method (default: the bundled one); ``compress`` shortens nutgraf's key
    points (``Options.compress``), as does the ``+compress`` suffix on a method's name."""
    if name.endswith(COMPRESSED) and _ours(name):
        return make_producer(base_method(name), k, model, compress=True)
    if name == PLAIN_LEAD3:
        from nutgraf.segment import segment

        def lead3(row: EvalRow) -> list[dict[str, Any]]:
            return [{"text": s.text, "spans": [[s.start, s.end]]} for s in segment(row.article.text)[:k]]

        return lead3
    if name in method_names():
        from nutgraf.pipeline import prepare, summarize_article

        options = Options(k=k, method=name, model=model, compress=compress)
        prepare(options)

        def nutgraf_method(row: EvalRow) -> list[dict[str, Any]]:
            result = summarize_article(row.article, replace(options, references=row.references))
            if isinstance(result, Rejection):
                raise MethodFailed(result.reason, result.message)
            assert isinstance(result, Summary)
            return [{"text": h.text, "spans": [list(s) for s in h.spans]} for h in result.highlights]

        return nutgraf_method
    from nutgraf.peers import load_peer

    peer = load_peer(name)

    def peer_method(row: EvalRow) -> list[dict[str, Any]]:
        return [{"text": t} for t in peer(row.article.text, k)]

    return peer_method


class MethodFailed(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


# ------------------------------------------------------------------------------------------- scoring


def summary_text(texts: Iterable[str]) -> str:
    """Sentences joined by newlines (each sentence's own white space folded), as ``rougeLsum`` needs."""
    return "\n".join(" ".join(t.split()) for t in texts)


@dataclass
class _Worker:
    methods: list[str]
    k: int
    model: str | None = None
    compress: bool = False
    producers: dict[str, Producer] = field(default_factory=dict)
    scorer: Any = None

    def setup(self) -> None:
        from rouge_score import rouge_scorer

        self.scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
        self.producers = {m: make_producer(m, self.k, self.model, self.compress) for m in self.methods}

    def __call__(self, row: EvalRow) -> dict[str, Any]:
        if self.scorer is None:
            self.setup()
        reference = summary_text(row.references)
        out: dict[str, Any] = {}
        for method in self.methods:
            failure = None
            try:
                highlights = self.producers[method](row)
            except MethodFailed as exc:
                highlights, failure = [], (exc.reason, str(exc))
            except Exception as exc:  # a peer's bug costs it this row, never the run
                highlights, failure = [], ("method_error", f"{type(exc).__name__}: {exc}")
            scores = self.scorer.score(reference, summary_text(h["text"] for h in highlights))
            out[method] = {
                "highlights": highlights,
                "scores": {m: (s.precision, s.recall, s.fmeasure) for m, s in scores.items()},
                "failure": failure,
            }
        return out


_WORKER: _Worker | None = None


def _init_worker(methods: list[str], k: int, model: str | None, compress: bool) -> None:
    global _WORKER
    _WORKER = _Worker(methods, k, model, compress)
    _WORKER.setup()


def _work(row: EvalRow) -> dict[str, Any]:
    assert _WORKER is not None
    return _WORKER(row)


def score_rows(
    rows: Sequence[EvalRow],
    methods: list[str],
    k: int = 3,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    model: str | None = None,
    compress: bool = False,
) -> list[dict[str, Any]]:
    """Per-row results for every method, in row order (the same for any number of workers)."""
    for name in methods:  # fail early, in the parent, on a peer whose package is missing
        if not _ours(name) and name != PLAIN_LEAD3:
            make_producer(name, k)
    results: list[dict[str, Any]] = []
    if workers <= 1 or len(rows) < 20:
        worker = _Worker(methods, k, model, compress)
        for row in rows:
            results.append(worker(row))
            if progress:
                progress(len(results), len(rows))
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    chunk = max(1, min(16, len(rows) // (workers * 8)))
    try:
        with ProcessPoolExecutor(
            workers, mp_context=ctx, initializer=_init_worker, initargs=(methods, k, model, compress)
        ) as pool:
            for result in pool.map(_work, rows, chunksize=chunk):
                results.append(result)
                if progress:
                    progress(len(results), len(rows))
    except BrokenProcessPool as exc:
        raise EvaluationError(
            "a worker process died (killed, or out of memory?); run again, or with --workers 1 to see why"
        ) from exc
    return results


# -------------------------------------------------------------------------------------------- stats


def _f_matrix(results: list[dict[str, Any]], method: str, metric: str) -> Any:
    import numpy as np

    return np.array([r[method]["scores"][metric] for r in results], dtype=float).reshape(-1, 3) * 100


def _summary_stats(results: list[dict[str, Any]], methods: list[str], idx: Any) -> dict[str, Any]:
    """Means of P/R/F with bootstrap CIs of F, per method and metric; ``idx`` are the resample indexes."""
    import numpy as np

    out: dict[str, Any] = {}
    for method in methods:
        entry: dict[str, Any] = {"n": len(results)}
        counts = [[len(h["text"].split()) for h in r[method]["highlights"]] for r in results]
        points = sum(len(c) for c in counts)
        entry["words_per_point"] = round(sum(map(sum, counts)) / points, 2) if points else None
        for metric in METRICS:
            m = _f_matrix(results, method, metric)
            f = m[:, 2]
            boot = f[idx].mean(axis=1)
            entry[metric] = {
                "f": _r(f.mean()),
                "p": _r(m[:, 0].mean()),
                "r": _r(m[:, 1].mean()),
                "low": _r(np.percentile(boot, 2.5)),
                "high": _r(np.percentile(boot, 97.5)),
            }
        out[method] = entry
    return out


def _r(x: float) -> float:
    return round(float(x), 4)


def _paired(
    results: list[dict[str, Any]], methods: list[str], idx: Any, seed: int, baseline: str = BASELINE
) -> dict[str, Any]:
    """Each method against the baseline on the same rows: mean F difference (points), bootstrap 95% CI of
    the difference, and a two-sided paired sign-flip randomization test."""
    import numpy as np

    out: dict[str, Any] = {}
    n = len(results)
    for method in methods:
        if method == baseline:
            continue
        entry: dict[str, Any] = {"baseline": baseline}
        for metric in ("rouge1", "rouge2", "rougeLsum"):
            d = _f_matrix(results, method, metric)[:, 2] - _f_matrix(results, baseline, metric)[:, 2]
            boot = d[idx].mean(axis=1)
            observed = abs(d.mean())
            rng = np.random.default_rng(seed + 1)
            extreme = 0
            for start in range(0, PERMUTATIONS, 500):
                size = min(500, PERMUTATIONS - start)
                signs = rng.integers(0, 2, size=(size, n)) * 2 - 1
                extreme += int((np.abs((signs * d).mean(axis=1)) >= observed - 1e-12).sum())
            entry[metric] = {
                "diff": _r(d.mean()),
                "low": _r(np.percentile(boot, 2.5)),
                "high": _r(np.percentile(boot, 97.5)),
                "p": round((extreme + 1) / (PERMUTATIONS + 1), 5),
            }
        out[method] = entry
    return out


@dataclass
class Report:
    methods: list[str]
    rows: list[EvalRow]
    results: list[dict[str, Any]]
    failures: list[Failure]
    k: int
    by: list[str]
    seed: int = SEED
    summary: dict[str, Any] = field(default_factory=dict)
    breakdown: dict[str, Any] = field(default_factory=dict)
    breakdown_paired: dict[str, Any] = field(default_factory=dict)
    paired: dict[str, Any] = field(default_factory=dict)
    compression: dict[str, Any] = field(default_factory=dict)
    """``gbdt+compress`` against ``gbdt`` (on against off), paired: ``{"all": {method: ...}, "by": {column:
    {value: {method: ...}}}}``."""
    speed: dict[str, Any] = field(default_factory=dict)
    model: str | None = None
    """The id (name@sha256) of the model the learned method ran with, if it ran."""
    compress: bool = False

    def to_dict(self) -> dict[str, Any]:
        from importlib.metadata import version

        return {
            "methods": self.summary,
            "by": self.breakdown,
            "paired": self.paired,
            "by_paired": self.breakdown_paired,
            "compression": self.compression,
            "failed": [f.to_dict() for f in self.failures],
            "speed": self.speed,
            "settings": {
                "k": self.k,
                "rows": len(self.rows),
                "rouge_score": version("rouge-score"),
                "use_stemmer": True,
                "rougeLsum": "sentences joined by newlines",
                "bootstrap_samples": BOOTSTRAP_SAMPLES,
                "permutations": PERMUTATIONS,
                "seed": self.seed,
                "model": self.model,
                "compress": self.compress,
                "notes": method_notes(self.methods),
            },
        }


def method_notes(methods: Iterable[str]) -> dict[str, str]:
    from nutgraf.peers import PEER_NAMES, peer_note

    notes = {}
    for m in methods:
        if m in PEER_NAMES:
            notes[m] = peer_note(m)
        elif m == PLAIN_LEAD3:
            notes[m] = "first three sentences of the raw text (nutgraf's segmenter, no cleaning or filters)"
        elif m.endswith(COMPRESSED):
            alias, versioned = resolve(base_method(m))
            notes[m] = f"{versioned} with --compress ({_compressor_id()})"
        else:
            alias, versioned = resolve(m)
            notes[m] = versioned if alias == m else f"{versioned} (= {alias})"
    return notes


def base_method(name: str) -> str:
    """``gbdt+compress`` -> ``gbdt``; any other name as it is."""
    return name.removesuffix(COMPRESSED)


def _ours(name: str) -> bool:
    """Whether ``name`` is one of nutgraf's methods, compressed or not."""
    return base_method(name) in method_names()


def _compressor_id() -> str:
    from nutgraf.compress import model_id

    return model_id()


def _compression_pairs(methods: list[str]) -> list[tuple[str, str]]:
    """(``X+compress``, ``X``) for each compressed method whose plain form is in the run too."""
    return [(m, base_method(m)) for m in methods if m.endswith(COMPRESSED) and base_method(m) in methods]


def evaluate(
    rows: Sequence[EvalRow],
    methods: list[str],
    *,
    k: int = 3,
    by: Sequence[str] = (),
    workers: int = 1,
    failures: Sequence[Failure] = (),
    seed: int = SEED,
    progress: Callable[[int, int], None] | None = None,
    model: str | None = None,
    compress: bool = False,
) -> Report:
    """Score every method on every row and compute the statistics."""
    import numpy as np

    if not rows:
        raise EvaluationError(
            "no rows to score: " + ("; ".join(f.message for f in failures[:3]) or "empty input")
        )
    if compress and any(m.endswith(COMPRESSED) for m in methods):
        raise EvaluationError(
            f"--compress compresses every nutgraf method, so {COMPRESSED} would compare compressed with "
            f"compressed; to compare compression on and off, leave out --compress and list e.g. "
            f"gbdt,gbdt{COMPRESSED}"
        )
    results = score_rows(
        rows, methods, k=k, workers=workers, progress=progress, model=model, compress=compress
    )
    report = Report(list(methods), list(rows), results, list(failures), k, list(by), seed)
    report.compress = compress
    if any(_ours(m) and resolve(base_method(m))[1] == "nutgraf.scorer.gbdt.v1" for m in methods):
        from nutgraf.model import load_model

        report.model = load_model(model).id
    for row, result in zip(rows, results, strict=True):
        for method in methods:
            failure = result[method]["failure"]
            if failure is not None:
                report.failures.append(Failure(row.id, failure[0], failure[1], method))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(rows), size=(BOOTSTRAP_SAMPLES, len(rows)))
    report.summary = _summary_stats(results, methods, idx)
    report.paired = _paired(results, methods, idx, seed)
    pairs = _compression_pairs(methods)

    def on_vs_off(sub: list[dict[str, Any]], sub_idx: Any) -> dict[str, Any]:
        return {m: _paired(sub, [m], sub_idx, seed, baseline=b)[m] for m, b in pairs}

    if pairs:
        report.compression["all"] = on_vs_off(results, idx)
    for column in by:
        groups: dict[str, list[int]] = {}
        for i, row in enumerate(rows):
            groups.setdefault(row.column(column), []).append(i)
        report.breakdown[column] = {}
        for value in sorted(groups):
            members = groups[value]
            sub = [results[i] for i in members]
            sub_idx = np.random.default_rng(seed).integers(0, len(sub), size=(BOOTSTRAP_SAMPLES, len(sub)))
            report.breakdown[column][value] = _summary_stats(sub, methods, sub_idx)
            # The paired test per group too: a gain over lead must hold for CNN and Daily Mail separately.
            report.breakdown_paired.setdefault(column, {})[value] = _paired(sub, methods, sub_idx, seed)
            if pairs:
                report.compression.setdefault("by", {}).setdefault(column, {})[value] = on_vs_off(
                    sub, sub_idx
                )
    return report


def per_article_rows(report: Report) -> Iterator[dict[str, Any]]:
    """One row per article and method: the highlights and the three headline ROUGE F-scores (× 100)."""
    for row, result in zip(report.rows, report.results, strict=True):
        for method in report.methods:
            r = result[method]
            out: dict[str, Any] = {"id": row.id, "method": method, "highlights": r["highlights"]}
            for metric in ("rouge1", "rouge2", "rougeLsum"):
                out[metric] = _r(r["scores"][metric][2] * 100)
            if r["failure"]:
                out["error"] = {"reason": r["failure"][0], "message": r["failure"][1]}
            yield out


# -------------------------------------------------------------------------------------------- speed


def _peak_rss_kb() -> int:
    """This process's peak resident memory. Linux's VmHWM belongs to the address space, so it starts afresh
    in a spawned process; ``ru_maxrss`` would carry over the parent's peak from before the exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _speed_child(
    method: str, k: int, rows: list[EvalRow], conn: Any, model: str | None, compress: bool
) -> None:
    try:
        producer = make_producer(method, k, model, compress) if method != "-" else (lambda row: [])
        t0 = time.perf_counter()
        for row in rows:
            with contextlib.suppress(Exception):  # failures are counted by the ROUGE run; this times attempts
                producer(row)
        elapsed = time.perf_counter() - t0
        conn.send((elapsed, _peak_rss_kb()))
    except Exception as exc:  # report, never hang the parent
        conn.send((math.nan, f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def measure_speed(
    rows: Sequence[EvalRow],
    methods: list[str],
    k: int = 3,
    model: str | None = None,
    compress: bool = False,
) -> dict[str, Any]:
    """Articles per second on one core and peak memory, each method in a fresh process of its own on the
    same articles. ``python+articles`` is the same process doing nothing: the memory floor."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    out: dict[str, Any] = {}
    for method in ["-", *methods]:
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_speed_child, args=(method, k, list(rows), child, model, compress))
        proc.start()
        child.close()
        elapsed, peak = math.nan, "the measuring process died before reporting"
        while proc.is_alive() or parent.poll(0):
            if parent.poll(0.5):
                with contextlib.suppress(EOFError):
                    elapsed, peak = parent.recv()
                break
        proc.join()
        name = "python+articles" if method == "-" else method  # the floor: interpreter, nutgraf core, rows
        if isinstance(peak, str):
            out[name] = {"error": peak}
            continue
        out[name] = {
            "articles": len(rows),
            "seconds": round(elapsed, 3),
            "articles_per_second": round(len(rows) / elapsed, 1) if elapsed > 0 and method != "-" else None,
            "peak_rss_mb": round(peak / 1024, 1),
        }
    return out


# ------------------------------------------------------------------------------------------- render

_HEAD = ("rouge1", "rouge2", "rougeLsum")
_LABEL = {"rouge1": "R-1", "rouge2": "R-2", "rougeL": "R-L", "rougeLsum": "R-Lsum"}


def _cell(entry: dict[str, Any]) -> str:
    return f"{entry['f']:.2f} [{entry['low']:.2f}, {entry['high']:.2f}]"


def _table(stats: dict[str, Any], paired: dict[str, Any] | None) -> list[str]:
    header = ["method", "n", *(f"{_LABEL[m]} F [95% CI]" for m in _HEAD), "words/point"]
    if paired is not None:
        header += ["Δ R-1 vs lead (p)", "Δ R-2 vs lead (p)", "Δ R-Lsum vs lead (p)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for method, entry in stats.items():
        words = entry.get("words_per_point")
        cells = [
            method,
            str(entry["n"]),
            *(_cell(entry[m]) for m in _HEAD),
            "—" if words is None else f"{words:.1f}",
        ]
        if paired is not None:
            p = paired.get(method)
            cells += [f"{p[m]['diff']:+.2f} ({_p(p[m]['p'])})" if p else "—" for m in _HEAD]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _p(p: float) -> str:
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def render_report(report: Report, fmt: str) -> str:
    """The report as ``json``, ``md`` (Markdown tables) or ``text`` (the same tables, for a terminal)."""
    import json

    if fmt == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    lines = [
        f"{len(report.rows)} rows, k={report.k}; ROUGE F1 x 100 (rouge-score, use_stemmer=True, "
        f"rougeLsum over newline-joined sentences); 95% bootstrap CIs ({BOOTSTRAP_SAMPLES} resamples, "
        f"seed {report.seed}); "
        f"Δ = paired difference with lead, p from a two-sided sign-flip test ({PERMUTATIONS} permutations).",
        "",
        *_table(report.summary, report.paired),
    ]
    for column, groups in report.breakdown.items():
        for value, stats in groups.items():
            paired = report.breakdown_paired.get(column, {}).get(value)
            lines += ["", f"{column} = {value}", "", *_table(stats, paired)]
    if report.compression:
        lines += [
            "",
            "Compression on against off (paired, same rows; words per key point off -> on):",
            "",
            "| rows | method | words/point | Δ R-1 (p) | Δ R-2 (p) | Δ R-Lsum (p) |",
            "|---|---|---|---|---|---|",
        ]
        groups = [("all", report.compression["all"], report.summary)]
        for column, values in report.compression.get("by", {}).items():
            for value, entries in values.items():
                groups.append((f"{column} = {value}", entries, report.breakdown[column][value]))
        for rows_label, entries, stats in groups:
            for method, p in entries.items():
                off, on = stats[p["baseline"]]["words_per_point"], stats[method]["words_per_point"]
                change = f"{off:.1f} -> {on:.1f} ({(on / off - 1) * 100:+.1f}%)" if off and on else "—"
                cells = [f"{p[m]['diff']:+.2f} ({_p(p[m]['p'])})" for m in _HEAD]
                lines.append(f"| {rows_label} | {method} | {change} | " + " | ".join(cells) + " |")
    if report.speed:
        lines += ["", "| method | articles/s (1 core) | peak RSS MB |", "|---|---:|---:|"]
        for name, s in report.speed.items():
            if "error" in s:
                lines.append(f"| {name} | error: {s['error']} | |")
                continue
            rate = "—" if s["articles_per_second"] is None else f"{s['articles_per_second']:,.1f}"
            lines.append(f"| {name} | {rate} | {s['peak_rss_mb']:.0f} |")
    notes = method_notes(report.methods)
    lines += ["", *(f"- {m}: {n}" for m, n in notes.items())]
    if report.compress:
        lines.append("- nutgraf's methods ran with --compress (key points shortened by deletion)")
    if report.model:
        lines.append(f"- the learned method's model: {report.model}")
    if report.failures:
        lines += ["", f"{len(report.failures)} failures:"]
        for f in report.failures[:20]:
            where = f" [{f.method}]" if f.method else ""
            lines.append(f"- {f.id}{where}: {f.reason}: {f.message}")
        if len(report.failures) > 20:
            lines.append(f"- ... and {len(report.failures) - 20} more (all in --format json)")
    return "\n".join(lines)


def plot_report(report: Report, path: str) -> None:
    """A PNG of methods x ROUGE (F, with 95% CI error bars)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise EvaluationError("--plot needs matplotlib: pip install 'nutgraf[eval]'") from exc
    methods = report.methods
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * len(methods) + 2), 4.2), dpi=120)
    width = 0.8 / len(_HEAD)
    for j, metric in enumerate(_HEAD):
        f = [report.summary[m][metric]["f"] for m in methods]
        lo = [report.summary[m][metric]["f"] - report.summary[m][metric]["low"] for m in methods]
        hi = [report.summary[m][metric]["high"] - report.summary[m][metric]["f"] for m in methods]
        xs = [i + (j - 1) * width for i in range(len(methods))]
        ax.bar(xs, f, width, yerr=[lo, hi], capsize=3, label=_LABEL[metric])
    ax.set_xticks(range(len(methods)))
    ax.set_xticklabels(methods, rotation=30, ha="right")
    ax.set_ylabel("ROUGE F1 x 100 (95% CI)")
    ax.set_title(f"{len(report.rows)} rows, k={report.k}")
    ax.legend(ncols=3, loc="upper left", fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
