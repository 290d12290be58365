"""Label and featurize JSON Lines files once, for experiments with the learned scorer (research tool).

    .venv/bin/python scripts/cache_examples.py FILE.jsonl.gz --out build/cache/NAME.pkl [--no-flat] [--workers 2]

Writes a pickle of ``(examples, record, texts)``: ``learned.train.Example`` objects (feature rows of the current
``FEATURE_VERSION``, oracle labels, spans) and, per example, the texts of its usable sentences (for lexical
models built outside the feature table).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time

from nutgraf.evaluate import load_rows
from nutgraf.learned.train import flatten, read_examples


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--out", required=True)
    ap.add_argument("--no-flat", dest="flat", action="store_false")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--weight", type=float, default=1.0)
    args = ap.parse_args()
    t0 = time.time()
    rows, _ = load_rows([args.data])
    text_of = {r.article.id: r.article.text for r in rows}
    examples, record = read_examples(
        [args.data], weight=args.weight, flat_copies=args.flat, workers=args.workers
    )
    texts = []
    for e in examples:
        text = text_of[e.article_id] if e.form == "as_is" else flatten(text_of[e.article_id])
        texts.append([text[s:t] for s, t in e.spans])
    with open(args.out, "wb") as fh:
        pickle.dump((examples, record, texts), fh, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"{args.data}: {len(examples)} examples in {time.time() - t0:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
