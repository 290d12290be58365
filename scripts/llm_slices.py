"""Carve two Daily Mail files out of the LLM-summary data, for training and tuning without the test split.

    python scripts/llm_slices.py ../shared/data/cnndm/llm_summaries.jsonl.gz --out build/llm

writes
- ``dm_dev.jsonl.gz``: the Daily Mail articles that have a GPT-4 summary, with that summary's sentences as
  the reference ``highlights``: the Daily Mail development slice (validation stand-in, never trained on);
- ``dm_silver.jsonl.gz``: the other Daily Mail articles that have a ChatGPT summary, with its sentences as
  ``highlights``: silver labels for ``nutgraf train --silver``.

The two files share no article (checked). LLM summaries are not human highlights: they copy the lead more
than editors do, so scores on dm_dev run higher than on real Daily Mail highlights; use it for differences.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

from nutgraf.segment import segment


def _summary(summaries: dict[str, object], prefix: str) -> str | None:
    for key in sorted(summaries):
        value = summaries[key]
        if key.startswith(prefix) and isinstance(value, str) and value.strip():
            return value
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", help="llm_summaries.jsonl.gz")
    ap.add_argument("--out", default="build/llm", help="output directory (default build/llm)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    dev, silver = [], []
    with gzip.open(args.source, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row.get("publisher") != "dailymail":
                continue
            summaries = row.get("llm_summaries") or {}
            gpt4 = _summary(summaries, "gpt4")
            target, summary = (dev, gpt4) if gpt4 else (silver, _summary(summaries, "chatgpt"))
            if not summary:
                continue
            target.append(
                {
                    "id": str(row["id"]),
                    "article": row["article"],
                    "highlights": [s.text for s in segment(summary)],
                    "publisher": "dailymail",
                    "source": row.get("source", ""),
                }
            )
    assert not {r["id"] for r in dev} & {r["id"] for r in silver}
    for name, rows in (("dm_dev", dev), ("dm_silver", silver)):
        path = out / f"{name}.jsonl.gz"
        with gzip.GzipFile(path, "wb", mtime=0) as gz:
            for r in rows:
                gz.write((json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
        print(f"{path}: {len(rows)} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
