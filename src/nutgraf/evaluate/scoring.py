"""ROUGE of every method on every row, in one process or a pool of workers, the same either way.

ROUGE-1/2/L/Lsum from Google's ``rouge-score`` with ``use_stemmer=True`` for English rows, and its scorer with
``evaluate.tokenize.UnicodeTokenizer`` (no stemmer) for rows in other languages; every summary's sentences are
joined by newlines, so ``rougeLsum`` is the summary-level ROUGE-L that papers report (without the newlines
it silently equals ``rougeL``). A method that fails on a valid row scores 0 there and the failure is kept.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from nutgraf.contracts import Options
from nutgraf.errors import WorkerDied
from nutgraf.evaluate.methods import MethodFailed, Producer, base_options, check_options, make_producer
from nutgraf.evaluate.rows import EvalRow
from nutgraf.evaluate.tokenize import (
    ENGLISH_TOKENIZER,
    UNICODE_TOKENIZER,
    UnicodeTokenizer,
    is_english,
    row_language,
)

METRICS = ("rouge1", "rouge2", "rougeL", "rougeLsum")

MIN_ROWS_FOR_WORKERS = 20
"""Below this many rows a pool costs more than it saves: score in this process."""


def summary_text(texts: Iterable[str]) -> str:
    """Sentences joined by newlines (each sentence's own white space folded), as ``rougeLsum`` needs."""
    return "\n".join(" ".join(t.split()) for t in texts)


@dataclass
class _Worker:
    """Every method's producer and the ROUGE scorer, set up once per process."""

    methods: list[str]
    options: Options
    producers: dict[str, Producer] = field(default_factory=dict)
    scorer: Any = None
    unicode_scorer: Any = None

    def setup(self) -> None:
        from rouge_score import rouge_scorer

        self.scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
        self.unicode_scorer = rouge_scorer.RougeScorer(list(METRICS), tokenizer=UnicodeTokenizer())
        self.producers = {m: make_producer(m, options=self.options) for m in self.methods}

    def __call__(self, row: EvalRow) -> dict[str, Any]:
        if self.scorer is None:
            self.setup()
        reference = summary_text(row.references)
        language = row_language(row)
        english = is_english(language)
        scorer = self.scorer if english else self.unicode_scorer
        out: dict[str, Any] = {
            "_language": language,
            "_tokenizer": ENGLISH_TOKENIZER if english else UNICODE_TOKENIZER,
        }
        for method in self.methods:
            failure = None
            try:
                highlights = self.producers[method](row)
            except MethodFailed as exc:
                highlights, failure = [], (exc.reason, str(exc))
            except Exception as exc:  # a peer's bug costs it this row, never the run
                highlights, failure = [], ("method_error", f"{type(exc).__name__}: {exc}")
            scores = scorer.score(reference, summary_text(h["text"] for h in highlights))
            out[method] = {
                "highlights": highlights,
                "scores": {m: (s.precision, s.recall, s.fmeasure) for m, s in scores.items()},
                "failure": failure,
            }
        return out


_WORKER: _Worker | None = None


def _init_worker(methods: list[str], options: Options) -> None:
    global _WORKER
    _WORKER = _Worker(methods, options)
    _WORKER.setup()


def _work(row: EvalRow) -> dict[str, Any]:
    assert _WORKER is not None
    return _WORKER(row)


def score_rows(
    rows: Sequence[EvalRow],
    methods: list[str],
    k: int | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    model: str | None = None,
    compress: bool = False,
    options: Options | None = None,
) -> list[dict[str, Any]]:
    """Per-row results for every method, in row order (the same for any number of workers). ``options`` is
    the base for every nutgraf method (see ``methods.base_options``)."""
    base = base_options(k, model, compress, options)
    check_options(base, methods)  # in the parent: a bad model or a missing peer fails before any row
    if workers <= 1 or len(rows) < MIN_ROWS_FOR_WORKERS:
        worker = _Worker(list(methods), base)
        results: list[dict[str, Any]] = []
        for row in rows:
            results.append(worker(row))
            if progress:
                progress(len(results), len(rows))
        return results
    return _score_in_pool(rows, list(methods), base, workers, progress)


def _score_in_pool(
    rows: Sequence[EvalRow],
    methods: list[str],
    base: Options,
    workers: int,
    progress: Callable[[int, int], None] | None,
) -> list[dict[str, Any]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    chunk = max(1, min(16, len(rows) // (workers * 8)))
    results: list[dict[str, Any]] = []
    try:
        with ProcessPoolExecutor(
            workers, mp_context=ctx, initializer=_init_worker, initargs=(methods, base)
        ) as pool:
            for result in pool.map(_work, rows, chunksize=chunk):
                results.append(result)
                if progress:
                    progress(len(results), len(rows))
    except BrokenProcessPool as exc:
        raise WorkerDied(
            "a worker process died (killed, or out of memory?) while scoring; nothing was reported: run "
            "the same command again, with fewer --workers, or with --workers 1 to see why"
        ) from exc
    return results
