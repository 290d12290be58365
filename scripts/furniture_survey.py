"""Survey the furniture rules of ``nutgraf.clean`` over the shared CNN/DailyMail files.

For each rule: how many articles it fires on (per file), how many of its matches share a run of words with
the article's reference highlights (editors quote body sentences, not furniture, so a high share is a sign
of false positives), and random samples with context for a person to read. Also times the cleaner.

    .venv/bin/python scripts/furniture_survey.py [--samples 8] [--seed 0] [--rule promo_scroll]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from nutgraf.clean import clean
from nutgraf.contracts import Article

DATA = Path("/work/shared/data/cnndm")
FILES = ("train", "validation", "test", "llm_summaries")
WORD = re.compile(r"\w+")
OVERLAP_N = 5  # a shared run of 5 words with a highlight counts as overlap


def rows(files: tuple[str, ...] = FILES) -> Iterator[tuple[str, dict[str, object]]]:
    for name in files:
        with gzip.open(DATA / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                yield name, json.loads(line)


def ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    words = WORD.findall(text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", type=int, default=8, help="random matches to print per rule")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rule", action="append", help="only print samples for these rules")
    ap.add_argument("--context", type=int, default=70)
    ap.add_argument("--overlaps", action="store_true", help="print every match that overlaps a highlight")
    args = ap.parse_args(argv)

    articles: Counter[str] = Counter()
    per_file: dict[str, Counter[str]] = defaultdict(Counter)
    matches: Counter[str] = Counter()
    with_refs: Counter[str] = Counter()
    overlaps: Counter[str] = Counter()
    samples: dict[str, list[tuple[str, str, str, str, str]]] = defaultdict(list)
    seen: Counter[str] = Counter()
    rng = random.Random(args.seed)
    total = 0
    for fname, row in rows():
        total += 1
        text = str(row["article"])
        highlights = [str(h) for h in row.get("highlights") or []]  # type: ignore[attr-defined]
        ref = set().union(*(ngrams(h, OVERLAP_N) for h in highlights)) if highlights else set()
        fired: set[str] = set()
        for rule, start, end in clean.find_rules(text):
            fired.add(rule)
            matches[rule] += 1
            if highlights:
                with_refs[rule] += 1
                if ngrams(text[start:end], OVERLAP_N) & ref:
                    overlaps[rule] += 1
                    if args.overlaps:
                        print(f"OVERLAP {rule} {fname}:{row['id']} {text[start:end]!r} ~ {highlights}")
            # Reservoir sample so every match has the same chance to be shown.
            seen[rule] += 1
            item = (
                fname,
                str(row["id"]),
                text[max(0, start - args.context) : start],
                text[start:end],
                text[end : end + args.context],
            )
            if len(samples[rule]) < args.samples:
                samples[rule].append(item)
            else:
                j = rng.randrange(seen[rule])
                if j < args.samples:
                    samples[rule][j] = item
        for rule in fired:
            articles[rule] += 1
            per_file[rule][fname] += 1

    print(f"{total} articles in {', '.join(FILES)}\n")
    print(f"{'rule':22} {'articles':>8} {'matches':>8} {'hl-overlap':>11}  per file")
    for rule in sorted(articles, key=lambda r: -articles[r]):
        share = f"{overlaps[rule]}/{with_refs[rule]}"
        files = ", ".join(f"{f}={per_file[rule][f]}" for f in FILES if per_file[rule][f])
        print(f"{rule:22} {articles[rule]:8} {matches[rule]:8} {share:>11}  {files}")

    for rule in sorted(samples):
        if args.rule and rule not in args.rule:
            continue
        print(f"\n=== {rule}")
        for fname, aid, before, hit, after in samples[rule]:
            print(f"{fname}:{aid}  {before!r} [[{hit!r}]] {after!r}")

    texts = [str(row["article"]) for _, row in rows(("validation", "test"))]
    docs = [Article(id=str(i), text=t) for i, t in enumerate(texts)]
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for doc in docs:
            clean(doc)
        best = min(best, time.perf_counter() - t0)
    print(f"\nspeed: {best / len(docs) * 1e6:.1f} µs/article over {len(docs)} validation+test articles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
