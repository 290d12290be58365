"""Draw the sample for a blind read of compressed key points (docs/compression-read/): N key points, at random
with a fixed seed, from those that compression changed when the default method (k = 3) ran over a file.

    python scripts/compression_read_sample.py ../shared/data/cnndm/test.jsonl.gz --n 100 --seed 2026 \
        --out docs/compression-read/read3-sample.jsonl

Each line: the article's id and publisher, the key point as selected ("source") and compressed. The reader
sees only "n", "source" and "compressed".
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys

from nutgraf.contracts import Article, Options, Summary
from nutgraf.pipeline import summarize_article


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data")
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--out", required=True)
    ap.add_argument(
        "--exclude", action="append", default=[], help="an earlier sample: its key points are not drawn again"
    )
    args = ap.parse_args(argv)
    seen = set()
    for path in args.exclude:
        with open(path, encoding="utf-8") as fh:
            seen |= {json.loads(line)["source"] for line in fh if line.strip()}
    changed = []
    with gzip.open(args.data, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            article = Article(str(row["id"]), row["article"])
            plain = summarize_article(article, Options())
            short = summarize_article(article, Options(compress=True))
            if not isinstance(plain, Summary) or not isinstance(short, Summary):
                continue
            for p, s in zip(plain.highlights, short.highlights, strict=True):
                if p.text != s.text and p.text not in seen:
                    changed.append(
                        {
                            "article_id": row["id"],
                            "publisher": row.get("publisher"),
                            "source": p.text,
                            "compressed": s.text,
                        }
                    )
    random.Random(args.seed).shuffle(changed)
    with open(args.out, "w", encoding="utf-8") as fh:
        for n, item in enumerate(changed[: args.n], 1):
            fh.write(json.dumps({**item, "n": n}, ensure_ascii=False) + "\n")
    print(
        f"{len(changed)} key points changed; wrote {min(args.n, len(changed))} to {args.out}", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
