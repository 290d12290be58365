"""Segmentation speed per language, one core: MB/s of ``segment(text, language=code)``.

    .venv/bin/python benchmarks/segment_languages.py [--data ../shared/data]

Two kinds of text:
- **golden**: each language's golden cases (``tests/golden/segment/multilingual.jsonl``; English's 48 golden
  rules) joined by blank lines and repeated to 1 MB. These are dense with abbreviations, quotes and short
  sentences: much slower per byte than news, the same construction for every language, English included;
- **news**: real articles where the shared data has them (English CNN/DailyMail validation, IndoSum and the
  Vietnamese set), 2 MB each.

Best of three runs each (CPU time). Prints a table with each speed as a ratio to English on the same kind of
text.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from nutgraf.segment import segment

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "segment"


def grow(text: str, size: int) -> str:
    while len(text.encode("utf-8")) < size:
        text = text + "\n\n" + text
    return text


def speed(text: str, code: str | None) -> float:
    best = float("inf")
    for _ in range(3):
        t = time.process_time()
        segment(text, language=code)
        best = min(best, time.process_time() - t)
    return len(text.encode("utf-8")) / best / 1e6


def news(path: Path, size: int) -> str:
    out: list[str] = []
    total = 0
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            article = json.loads(line)["article"]
            out.append(article)
            total += len(article.encode("utf-8"))
            if total >= size:
                break
    return "\n\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args(argv)
    by: dict[str, list[str]] = defaultdict(list)
    for line in (GOLDEN / "multilingual.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        by[case["lang"]].append(case["text"])
    english = [
        c["text"] for c in json.loads((GOLDEN / "golden_rules_en.json").read_text(encoding="utf-8"))["cases"]
    ]
    base = speed(grow("\n\n".join(english), 1_000_000), "en")
    rows = [("en", "golden", base, 1.0)]
    for code in sorted(by):
        mbs = speed(grow("\n\n".join(by[code]), 1_000_000), code)
        rows.append((code, "golden", mbs, mbs / base))
    sources = {
        "en": args.data / "cnndm" / "validation.jsonl.gz",
        "id": args.data / "multilingual" / "indosum" / "validation.jsonl.gz",
        "vi": args.data / "multilingual" / "vietnamese" / "validation.jsonl.gz",
    }
    news_base = None
    for code, path in sources.items():
        if not path.exists():
            continue
        mbs = speed(news(path, 2_000_000), code)
        news_base = news_base or mbs
        rows.append((code, "news", mbs, mbs / news_base))
    print("| language | text | MB/s | vs English on the same kind of text |\n|---|---|---:|---:|")
    for code, kind, mbs, ratio in rows:
        print(f"| {code} | {kind} | {mbs:.1f} | {ratio:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
