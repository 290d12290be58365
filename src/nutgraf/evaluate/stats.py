"""The statistics of a run: means with seeded bootstrap 95% confidence intervals, and every method compared
with ``lead`` on the same rows (mean difference, its bootstrap CI, and a two-sided paired sign-flip
randomization test), overall and per breakdown group. ``evaluate`` is the library's entry point."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from nutgraf.contracts import Options
from nutgraf.errors import EvaluationError
from nutgraf.evaluate.methods import (
    BASELINE,
    PLAIN_LEAD3,
    base_options,
    compression_pairs,
    method_notes,
    model_id,
)
from nutgraf.evaluate.rows import EvalRow, Failure
from nutgraf.evaluate.scoring import METRICS, score_rows

BOOTSTRAP_SAMPLES = 1000
PERMUTATIONS = 5000
SEED = 20261128
PAIRED_METRICS = ("rouge1", "rouge2", "rougeLsum")
_REPORTED_OPTIONS = ("max_words", "max_chars", "order", "redundancy", "repair", "max_words_per_point")
"""Options recorded in a report's settings besides ``k``, ``model`` and ``compress``, which have their own."""


@dataclass
class Report:
    """A run's rows, per-row results and statistics; ``to_dict`` is the JSON report."""

    methods: list[str]
    rows: list[EvalRow]
    results: list[dict[str, Any]]
    failures: list[Failure]
    k: int | None
    """The run's ``k``; None: each method's own (3, or the 2-4 a set scorer chooses)."""
    by: list[str]
    seed: int = SEED
    summary: dict[str, Any] = field(default_factory=dict)
    breakdown: dict[str, Any] = field(default_factory=dict)
    breakdown_paired: dict[str, Any] = field(default_factory=dict)
    paired: dict[str, Any] = field(default_factory=dict)
    plain: dict[str, Any] = field(default_factory=dict)
    """Each method against plain Lead-3 (``lead3-plain``, the baseline published gains are measured from),
    paired, when it is in the run: ``{"all": {method: ...}, "by": {column: {value: {method: ...}}}}``."""
    compression: dict[str, Any] = field(default_factory=dict)
    """``gbdt+compress`` against ``gbdt`` (on against off), paired: ``{"all": {method: ...}, "by": {column:
    {value: {method: ...}}}}``."""
    speed: dict[str, Any] = field(default_factory=dict)
    model: str | None = None
    """The id (name@sha256) of the model the learned method ran with, if it ran."""
    compress: bool = False
    options: Options | None = None
    """The base options every nutgraf method ran with."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "methods": self.summary,
            "by": self.breakdown,
            "paired": self.paired,
            "by_paired": self.breakdown_paired,
            "vs_lead3_plain": self.plain,
            "compression": self.compression,
            "failed": [f.to_dict() for f in self.failures],
            "speed": self.speed,
            "settings": self.settings(),
        }

    def tokenizers(self) -> dict[str, dict[str, Any]]:
        """Which tokenizer ROUGE used (``evaluate.tokenize``), on how many rows, of which languages."""
        out: dict[str, dict[str, Any]] = {}
        for result in self.results:
            entry = out.setdefault(result.get("_tokenizer", ""), {"rows": 0, "languages": {}})
            entry["rows"] += 1
            language = result.get("_language") or "unknown"
            entry["languages"][language] = entry["languages"].get(language, 0) + 1
        return out

    def settings(self) -> dict[str, Any]:
        from importlib.metadata import version

        options = self.options or Options()
        return {
            "k": self.k,
            "rows": len(self.rows),
            "rouge_score": version("rouge-score"),
            "use_stemmer": True,
            "tokenizers": self.tokenizers(),
            "rougeLsum": "sentences joined by newlines",
            "bootstrap_samples": BOOTSTRAP_SAMPLES,
            "permutations": PERMUTATIONS,
            "seed": self.seed,
            "model": self.model,
            "compress": self.compress,
            "options": {name: getattr(options, name) for name in _REPORTED_OPTIONS},
            "notes": method_notes(self.methods),
        }


def evaluate(
    rows: Sequence[EvalRow],
    methods: list[str],
    *,
    k: int | None = None,
    by: Sequence[str] = (),
    workers: int = 1,
    failures: Sequence[Failure] = (),
    seed: int = SEED,
    progress: Callable[[int, int], None] | None = None,
    model: str | None = None,
    compress: bool = False,
    options: Options | None = None,
) -> Report:
    """Score every method on every row and compute the statistics. ``options`` is the base for every
    nutgraf method (its ``k`` is the run's); without it ``k``, ``model`` and ``compress`` make one."""
    base = base_options(k, model, compress, options)
    if not rows:
        raise EvaluationError(
            "no rows to score: " + ("; ".join(f.message for f in failures[:3]) or "empty input")
        )
    results = score_rows(rows, methods, workers=workers, progress=progress, options=base)
    report = Report(list(methods), list(rows), results, list(failures), base.k, list(by), seed)
    report.options, report.compress, report.model = base, base.compress, model_id(base, methods)
    for row, result in zip(rows, results, strict=True):
        for method in methods:
            failure = result[method]["failure"]
            if failure is not None:
                report.failures.append(Failure(row.id, failure[0], failure[1], method))
    _statistics(report)
    return report


def _statistics(report: Report) -> None:
    results, methods, seed = report.results, report.methods, report.seed
    idx = _resample(len(results), seed)
    report.summary = summary_stats(results, methods, idx)
    report.paired = paired(results, methods, idx, seed)
    if PLAIN_LEAD3 in methods:
        report.plain["all"] = paired(results, methods, idx, seed, PLAIN_LEAD3)
    pairs = compression_pairs(methods)
    if pairs:
        report.compression["all"] = _on_vs_off(results, pairs, idx, seed)
    for column in report.by:
        _breakdown(report, column, pairs)


def _breakdown(report: Report, column: str, pairs: list[tuple[str, str]]) -> None:
    """The statistics per value of ``column``, with the paired tests per group too: a gain over lead must
    hold for CNN and Daily Mail separately."""
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(report.rows):
        groups.setdefault(row.column(column), []).append(i)
    report.breakdown[column] = {}
    for value in sorted(groups):
        sub = [report.results[i] for i in groups[value]]
        sub_idx = _resample(len(sub), report.seed)
        report.breakdown[column][value] = summary_stats(sub, report.methods, sub_idx)
        report.breakdown_paired.setdefault(column, {})[value] = paired(
            sub, report.methods, sub_idx, report.seed
        )
        if PLAIN_LEAD3 in report.methods:
            by_plain = report.plain.setdefault("by", {}).setdefault(column, {})
            by_plain[value] = paired(sub, report.methods, sub_idx, report.seed, PLAIN_LEAD3)
        if pairs:
            by_column = report.compression.setdefault("by", {}).setdefault(column, {})
            by_column[value] = _on_vs_off(sub, pairs, sub_idx, report.seed)


def _resample(n: int, seed: int) -> Any:
    """Bootstrap resample indexes, ``BOOTSTRAP_SAMPLES`` x ``n``; the same seed gives the same draws."""
    import numpy as np

    return np.random.default_rng(seed).integers(0, n, size=(BOOTSTRAP_SAMPLES, n))


def _on_vs_off(
    results: list[dict[str, Any]], pairs: list[tuple[str, str]], idx: Any, seed: int
) -> dict[str, Any]:
    return {on: paired(results, [on], idx, seed, baseline=off)[on] for on, off in pairs}


def _f_matrix(results: list[dict[str, Any]], method: str, metric: str) -> Any:
    import numpy as np

    return np.array([r[method]["scores"][metric] for r in results], dtype=float).reshape(-1, 3) * 100


def _r(x: float) -> float:
    return round(float(x), 4)


def summary_stats(results: list[dict[str, Any]], methods: list[str], idx: Any) -> dict[str, Any]:
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


def paired(
    results: list[dict[str, Any]], methods: list[str], idx: Any, seed: int, baseline: str = BASELINE
) -> dict[str, Any]:
    """Each method against the baseline on the same rows: mean F difference (points), bootstrap 95% CI of
    the difference, and a two-sided paired sign-flip randomization test."""
    out: dict[str, Any] = {}
    for method in methods:
        if method == baseline:
            continue
        entry: dict[str, Any] = {"baseline": baseline}
        for metric in PAIRED_METRICS:
            d = _f_matrix(results, method, metric)[:, 2] - _f_matrix(results, baseline, metric)[:, 2]
            entry[metric] = _paired_difference(d, idx, seed)
        out[method] = entry
    return out


def _paired_difference(d: Any, idx: Any, seed: int) -> dict[str, float]:
    import numpy as np

    boot = d[idx].mean(axis=1)
    observed = abs(d.mean())
    rng = np.random.default_rng(seed + 1)
    extreme = 0
    for start in range(0, PERMUTATIONS, 500):
        size = min(500, PERMUTATIONS - start)
        signs = rng.integers(0, 2, size=(size, len(d))) * 2 - 1
        extreme += int((np.abs((signs * d).mean(axis=1)) >= observed - 1e-12).sum())
    return {
        "diff": _r(d.mean()),
        "low": _r(np.percentile(boot, 2.5)),
        "high": _r(np.percentile(boot, 97.5)),
        "p": round((extreme + 1) / (PERMUTATIONS + 1), 5),
    }
