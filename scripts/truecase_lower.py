"""Research: detokenize and truecase lower-cased, PTB-tokenized CNN/DailyMail rows with a unigram model of case
learned from the cased stories we have (``train`` articles and ``llm_summaries`` articles).

    .venv/bin/python scripts/truecase_lower.py IN.jsonl.gz --out OUT.jsonl.gz [--cased FILE ...]

Each word takes its most frequent cased form in the cased corpus (as is when unseen); the first word of a
sentence and of a quotation is capitalized. PTB tokens are undone: ``-lrb-``/``-rrb-``, ````` `` `````/``''``,
spaces before punctuation and inside contractions (``did n't`` -> ``didn't``). Highlights get the same
treatment, so the oracle labels are computed on the text the features see.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

_WORD = re.compile(r"[A-Za-z][A-Za-z'.\-]*")
_DETOK = (
    (re.compile(r"-lrb-"), "("),
    (re.compile(r"-rrb-"), ")"),
    (re.compile(r"-lsb-"), "["),
    (re.compile(r"-rsb-"), "]"),
    (re.compile(r"``\s*"), '"'),
    (re.compile(r"\s*''"), '"'),
    (re.compile(r"\s+(n't|'s|'re|'ve|'ll|'d|'m)\b"), r"\1"),
    (re.compile(r"\(\s+"), "("),
    (re.compile(r"\s+\)"), ")"),
    (re.compile(r"\s+([,.;:!?%])"), r"\1"),
    (re.compile(r"\$\s+(?=\d)"), "$"),
    (re.compile(r"(\d)\s+-\s+(?=\w)"), r"\1-"),
    (re.compile(r"(\w)\s+-\s+(?=\w)"), r"\1-"),
)
_SENTENCE_START = re.compile(r"(^|[.!?]\s+|\(CNN\)\s+|--\s+)([a-z])")


def case_model(paths: list[str]) -> dict[str, str]:
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line)["article"]
                words = _WORD.findall(text)
                for w in words:
                    forms[w.lower()][w] += 1
    # A word seen capitalized only at sentence starts is mostly lower-case: count its lower form twice.
    return {
        low: max(c, key=lambda f: (c[f] * (2 if f == low else 1), f == low, f)) for low, c in forms.items()
    }


def detokenize(text: str) -> str:
    """PTB tokens undone: brackets, quotes, spaces before punctuation and inside contractions."""
    for pattern, repl in _DETOK:
        text = pattern.sub(repl, text)
    return text


def truecase(text: str, model: dict[str, str]) -> str:
    text = detokenize(text)
    text = _WORD.sub(lambda m: model.get(m.group(0), m.group(0)), text)
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--out", required=True)
    ap.add_argument(
        "--cased",
        action="append",
        help="a cased JSON Lines file to learn case from (repeatable; default: the shared train and "
        "llm_summaries files)",
    )
    args = ap.parse_args()
    model = case_model(
        args.cased or ["../shared/data/cnndm/train.jsonl.gz", "../shared/data/cnndm/llm_summaries.jsonl.gz"]
    )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    n = 0
    # mtime=0: the same input gives the same bytes (a model's metadata records this file's SHA-256)
    with (
        gzip.open(args.data, "rt", encoding="utf-8") as src,
        open(args.out, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=6) as packed,
        io.TextIOWrapper(packed, encoding="utf-8", newline="\n") as out,
    ):
        for line in src:
            row = json.loads(line)
            row["article"] = truecase(row["article"], model)
            row["highlights"] = [truecase(h, model) for h in row["highlights"]]
            row["text_form"] = "truecased"
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    print(f"{args.out}: {n} rows, case model of {len(model):,} words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
