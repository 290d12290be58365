"""A ``Report`` for people and programs: JSON, Markdown or terminal tables, a chart, and per-article rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nutgraf.contracts import DEFAULT_K, Options
from nutgraf.errors import EvaluationError
from nutgraf.evaluate.methods import PLAIN_LEAD3, method_notes
from nutgraf.evaluate.stats import BOOTSTRAP_SAMPLES, PAIRED_METRICS, PERMUTATIONS, Report
from nutgraf.learned.sets import SIZES

_HEAD = PAIRED_METRICS
_LABEL = {"rouge1": "R-1", "rouge2": "R-2", "rougeL": "R-L", "rougeLsum": "R-Lsum"}
MAX_LISTED_FAILURES = 20


def per_article_rows(report: Report) -> Iterator[dict[str, Any]]:
    """One row per article and method: the highlights and the three headline ROUGE F-scores (× 100)."""
    for row, result in zip(report.rows, report.results, strict=True):
        for method in report.methods:
            r = result[method]
            out: dict[str, Any] = {
                "id": row.id,
                "method": method,
                "language": result.get("_language"),
                "highlights": r["highlights"],
            }
            for metric in _HEAD:
                out[metric] = round(float(r["scores"][metric][2] * 100), 4)
            if r["failure"]:
                out["error"] = {"reason": r["failure"][0], "message": r["failure"][1]}
            yield out


def _k_label(k: int | None) -> str:
    if k is not None:
        return f"k={k}"
    return f"k={DEFAULT_K} (the learned method's set scorer chooses {min(SIZES)}-{max(SIZES)} per article)"


def _tokenizer_label(report: Report) -> str:
    """ "tokenizer: NAME" for one tokenizer, else each with its rows and languages."""
    used = report.tokenizers()
    if len(used) == 1:
        ((name, entry),) = used.items()
        languages = ", ".join(sorted(entry["languages"]))
        return f"tokenizer: {name}; languages: {languages}"
    parts = []
    for name, entry in used.items():
        languages = ", ".join(f"{code} {n:,}" for code, n in sorted(entry["languages"].items()))
        parts.append(f"{name} for {entry['rows']:,} rows ({languages})")
    return "tokenizers: " + "; ".join(parts)


def render_report(report: Report, fmt: str) -> str:
    """The report as ``json``, ``md`` (Markdown tables) or ``text`` (the same tables, for a terminal)."""
    import json

    if fmt == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    lines = [
        f"{len(report.rows)} rows, {_k_label(report.k)}; ROUGE F1 x 100 (rouge-score; {_tokenizer_label(report)}; "
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
    for part in (_plain_lines, _compression_lines, _speed_lines, _notes, _failure_lines):
        lines += part(report)
    return "\n".join(lines)


def _cell(entry: dict[str, Any]) -> str:
    return f"{entry['f']:.2f} [{entry['low']:.2f}, {entry['high']:.2f}]"


def _p(p: float) -> str:
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _diffs(paired: dict[str, Any]) -> list[str]:
    return [f"{paired[m]['diff']:+.2f} ({_p(paired[m]['p'])})" for m in _HEAD]


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
            cells += _diffs(p) if p else ["—"] * len(_HEAD)
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _plain_lines(report: Report) -> list[str]:
    """Each method against plain Lead-3, paired on the same rows: the gain that published systems report."""
    if not report.plain:
        return []
    lines = [
        "",
        f"Against {PLAIN_LEAD3} (paired, same rows):",
        "",
        "| rows | method | Δ R-1 (p) | Δ R-2 (p) | Δ R-Lsum (p) |",
        "|---|---|---|---|---|",
    ]
    groups = [("all", report.plain["all"])]
    for column, values in report.plain.get("by", {}).items():
        groups += [(f"{column} = {value}", entries) for value, entries in values.items()]
    for rows_label, entries in groups:
        for method, p in entries.items():
            lines.append(f"| {rows_label} | {method} | " + " | ".join(_diffs(p)) + " |")
    return lines


def _compression_lines(report: Report) -> list[str]:
    if not report.compression:
        return []
    lines = [
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
            lines.append(f"| {rows_label} | {method} | {change} | " + " | ".join(_diffs(p)) + " |")
    return lines


def _speed_lines(report: Report) -> list[str]:
    if not report.speed:
        return []
    lines = ["", "| method | articles/s (1 core) | peak RSS MB |", "|---|---:|---:|"]
    for name, s in report.speed.items():
        if "error" in s:
            lines.append(f"| {name} | error: {s['error']} | |")
            continue
        rate = "—" if s["articles_per_second"] is None else f"{s['articles_per_second']:,.1f}"
        lines.append(f"| {name} | {rate} | {s['peak_rss_mb']:.0f} |")
    return lines


def _notes(report: Report) -> list[str]:
    lines = ["", *(f"- {m}: {n}" for m, n in method_notes(report.methods).items())]
    changed = _changed_options(report.options)
    if changed:
        lines.append(f"- nutgraf's methods ran with {changed}")
    if report.compress:
        lines.append("- nutgraf's methods ran with --compress (key points shortened by deletion)")
    if report.model:
        lines.append(f"- the learned method's model: {report.model}")
    return lines


def _changed_options(options: Options | None) -> str:
    """The selection options that differ from the defaults, as flags (``--redundancy 0.5 --order score``)."""
    if options is None:
        return ""
    default = Options()
    flags = []
    for name in ("max_words", "max_chars", "order", "redundancy", "max_words_per_point"):
        value = getattr(options, name)
        if value != getattr(default, name):
            flags.append(f"--{name.replace('_', '-')} {value}")
    if not options.repair:
        flags.append("--no-repair")
    return " ".join(flags)


def _failure_lines(report: Report) -> list[str]:
    if not report.failures:
        return []
    lines = ["", f"{len(report.failures)} failures:"]
    for f in report.failures[:MAX_LISTED_FAILURES]:
        where = f" [{f.method}]" if f.method else ""
        lines.append(f"- {f.id}{where}: {f.reason}: {f.message}")
    if len(report.failures) > MAX_LISTED_FAILURES:
        lines.append(f"- ... and {len(report.failures) - MAX_LISTED_FAILURES} more (all in --format json)")
    return lines


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
    ax.set_title(f"{len(report.rows)} rows, {_k_label(report.k)}")
    ax.legend(ncols=3, loc="upper left", fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
