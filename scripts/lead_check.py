"""Does cleaning help Lead-3? ``lead`` (cleaned, filtered, repaired) against plain Lead-3 on uncleaned text.

Both use nutgraf's segmenter; plain Lead-3 takes the first three sentences of the raw text, furniture and all.
ROUGE with Google's rouge-score (use_stemmer=True; rougeLsum over newline-joined sentences).

    .venv/bin/python scripts/lead_check.py                       # validation (all CNN)
    .venv/bin/python scripts/lead_check.py --split dm-dev        # Daily Mail dev slice (GPT-4 references)
    .venv/bin/python scripts/lead_check.py --split test --publisher dailymail   # reporting only

Tune on validation and dm-dev only; the test split is for the report.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rouge_score import rouge_scorer

from nutgraf import Article, Options, Rejection, summarize_article
from nutgraf.segment import segment

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "cnndm"


def rows(split: str, publisher: str | None, limit: int | None) -> Iterator[dict[str, Any]]:
    name = "llm_summaries" if split == "dm-dev" else split
    n = 0
    with gzip.open(DATA / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if split == "dm-dev":
                # GPT-4 summaries of Daily Mail training articles stand in for references (the test file's
                # Daily Mail rows are for reporting only).
                if row.get("publisher") != "dailymail":
                    continue
                gpt4 = next((v for k, v in row["llm_summaries"].items() if k.startswith("gpt4")), None)
                if not isinstance(gpt4, str) or not gpt4.strip():
                    continue
                row["highlights"] = [s.text for s in segment(gpt4)]
            elif publisher and row.get("publisher") != publisher:
                continue
            yield row
            n += 1
            if limit and n >= limit:
                return


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="validation", choices=("validation", "train", "test", "dm-dev"))
    ap.add_argument("--publisher", help="only rows of this publisher (cnn, dailymail)")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--method", default="lead")
    args = ap.parse_args(argv)
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    totals: dict[str, dict[str, list[float]]] = {"plain-lead3": {}, args.method: {}}
    failed = 0
    for row in rows(args.split, args.publisher, args.limit):
        ref = "\n".join(h.strip() for h in row["highlights"])
        sents = segment(row["article"])
        outputs = {"plain-lead3": "\n".join(" ".join(s.text.split()) for s in sents[:3])}
        result = summarize_article(Article(str(row["id"]), row["article"]), Options(method=args.method))
        if isinstance(result, Rejection):
            failed += 1
            outputs[args.method] = ""
        else:
            outputs[args.method] = "\n".join(" ".join(h.text.split()) for h in result.highlights)
        for name, text in outputs.items():
            for key, score in scorer.score(ref, text).items():
                totals[name].setdefault(key, []).append(score.fmeasure * 100)
    n = len(next(iter(totals["plain-lead3"].values()), []))
    print(f"{args.split}{' ' + args.publisher if args.publisher else ''}: {n} rows, {failed} rejected")
    print("| method | R-1 | R-2 | R-Lsum |\n|---|---:|---:|---:|")
    for name, scores in totals.items():
        cells = " | ".join(f"{statistics.fmean(scores[k]):.2f}" for k in ("rouge1", "rouge2", "rougeLsum"))
        print(f"| {name} | {cells} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
