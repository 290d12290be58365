"""Run every page of the article-extraction benchmark through ``nutgraf summarize`` as HTML input.

    .venv/bin/python scripts/html_check.py [--data ../shared/data]

Reports how many pages give key points, why the others are rejected, how much of the human-labelled
article body the extracted text covers (token recall and precision), and whether every key point comes
from inside the labelled body. A smoke test for the HTML path on real pages, not a tuned benchmark.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import re
import statistics
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nutgraf import Options, Rejection, summarize_article
from nutgraf.ingest import decode, from_html

ROOT = Path(__file__).resolve().parent.parent
_TOKEN = re.compile(r"\w+")


def benchmark_pages(base: Path) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every page of the article-extraction benchmark at ``base``, in key order: its key, its HTML as text
    (decoded as nutgraf's input reader does, else UTF-8 with replacements) and its ground-truth record."""
    truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    for key, gt in sorted(truth.items()):
        raw = gzip.decompress((base / "html" / f"{key}.html.gz").read_bytes())
        text = decode(raw, key)
        yield key, text if not isinstance(text, Rejection) else raw.decode("utf-8", errors="replace"), gt


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args(argv)
    base = args.data / "html" / "article-extraction-benchmark"
    reasons: collections.Counter[str] = collections.Counter()
    recall, precision = [], []
    inside = total = pages = 0
    for key, text, gt in benchmark_pages(base):
        pages += 1
        article = from_html(text, key)
        if isinstance(article, Rejection):
            reasons[article.reason] += 1
            continue
        gold = collections.Counter(_TOKEN.findall(gt["articleBody"].lower()))
        got = collections.Counter(_TOKEN.findall(article.text.lower()))
        common = sum((gold & got).values())
        recall.append(common / max(1, sum(gold.values())))
        precision.append(common / max(1, sum(got.values())))
        result = summarize_article(article, Options())
        if isinstance(result, Rejection):
            reasons[result.reason] += 1
            continue
        reasons["ok"] += 1
        body = " ".join(gt["articleBody"].split())
        for h in result.highlights:
            total += 1
            inside += " ".join(h.text.split()) in body
    print(f"{pages} pages: " + ", ".join(f"{k} {v}" for k, v in reasons.most_common()))
    print(
        f"extracted text vs labelled body (token bag): recall {statistics.fmean(recall):.3f}, "
        f"precision {statistics.fmean(precision):.3f} (mean over {len(recall)} pages)"
    )
    print(f"key points found verbatim inside the labelled body: {inside}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
