"""Choose the compressor's threshold: ROUGE and length of key points with compression on, against off, for a
range of thresholds, on a development file (validation, or the Daily Mail dev slice; never test).

    python scripts/compress_sweep.py ../shared/data/cnndm/validation.jsonl.gz [--thresholds 0.9,0.8,0.7]
        [--sample N --sample-out FILE]     # also write N random compressed key points to read

Each row of the table is compression at that threshold minus no compression (ROUGE F x 100, rouge-score with
the stemmer, rougeLsum over newline-joined sentences), and the mean words per key point.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from typing import Any

from nutgraf import compress as c
from nutgraf.clean import clean
from nutgraf.contracts import Article, Document, Highlight, Options, Summary
from nutgraf.evaluate import summary_text
from nutgraf.pipeline import summarize_article
from nutgraf.segment import segment

Case = tuple[dict[str, Any], Document, tuple[Highlight, ...], dict[int, list[tuple[float, c.Unit]]]]
"""A record, its document, the key points gbdt selects in it, and their sentences' scored units."""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data")
    ap.add_argument("--thresholds", default="0.95,0.9,0.85,0.8,0.75,0.7,0.6,0.5")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--sample-out")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    from rouge_score import rouge_scorer

    cases = load_cases(args.data, args.limit)
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    base, base_words, base_out = measure(cases, scorer, None)
    print(
        f"{args.data}: {len(cases)} articles, gbdt k=3; off: R-1/R-2/R-Lsum "
        f"{base[0]:.2f} / {base[1]:.2f} / {base[2]:.2f}, {base_words:.2f} words per key point"
    )
    print("| threshold | words per key point | ΔR-1 | ΔR-2 | ΔR-Lsum |\n|---|---|---|---|---|")
    for t in (float(x) for x in args.thresholds.split(",")):
        got, w, outs = measure(cases, scorer, t)
        d = [g - b for g, b in zip(got, base, strict=True)]
        print(
            f"| {t:g} | {w:.2f} ({(w / base_words - 1) * 100:+.1f}%) | {d[0]:+.2f} | {d[1]:+.2f} | {d[2]:+.2f} |"
        )
        if args.sample and t == c.THRESHOLD:
            write_sample(args.sample_out or "sample.jsonl", args.sample, args.seed, base_out, outs)
    return 0


def load_cases(path: str, limit: int | None) -> list[Case]:
    """The first ``limit`` records of ``path`` (all without it) that gbdt summarizes, with the scored units
    of their key points' sentences (parsed and scored once, then cut at every threshold)."""
    rows: list[dict[str, Any]] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            if limit and len(rows) >= limit:
                break
    cases: list[Case] = []
    for row in rows:
        article = Article(str(row["id"]), row["article"])
        result = summarize_article(article, Options(method="gbdt"))
        if not isinstance(result, Summary):
            continue
        doc = Document(article, segment(article.text, clean(article).regions))
        scored = c.scored_units(doc, [i for h in result.highlights for i in h.sentences])
        cases.append((row, doc, result.highlights, scored))
    return cases


def measure(
    cases: list[Case], scorer: Any, threshold: float | None
) -> tuple[list[float], float, list[list[str]]]:
    """Mean ROUGE F x 100 (R-1, R-2, R-Lsum) against the references, mean words per key point, and the key
    points' texts, compressed at ``threshold`` (not at all with None)."""
    total = [0.0, 0.0, 0.0]
    words = n = 0
    outs = []
    for row, doc, highlights, scored in cases:
        texts = [
            h.text if threshold is None else c.cut_highlight(doc, h, scored, None, threshold).text
            for h in highlights
        ]
        outs.append(texts)
        s = scorer.score(summary_text(row["highlights"]), summary_text(texts))
        for k, m in enumerate(("rouge1", "rouge2", "rougeLsum")):
            total[k] += s[m].fmeasure * 100 / len(cases)
        words += sum(len(t.split()) for t in texts)
        n += len(texts)
    return total, words / n, outs


def write_sample(path: str, size: int, seed: int, base_out: list[list[str]], outs: list[list[str]]) -> None:
    """``size`` key points that compression changed, drawn at random with ``seed``, as JSON lines to read."""
    pairs = [
        (b, o) for bs, os_ in zip(base_out, outs, strict=True) for b, o in zip(bs, os_, strict=True) if b != o
    ]
    random.Random(seed).shuffle(pairs)
    with open(path, "w", encoding="utf-8") as fh:
        for n, (b, o) in enumerate(pairs[:size], 1):
            fh.write(json.dumps({"n": n, "source": b, "compressed": o}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    sys.exit(main())
