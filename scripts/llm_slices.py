"""Carve Daily Mail files out of the LLM-summary data, for training and tuning without the test split.

    python scripts/llm_slices.py ../shared/data/cnndm/llm_summaries.jsonl.gz --out build/llm \
        [--validation ../shared/data/cnndm/validation_lower.jsonl.gz]

writes
- ``dm_dev.jsonl.gz``: the Daily Mail articles that have a GPT-4 summary, with that summary's sentences as
  the reference ``highlights``: the Daily Mail development slice (validation stand-in, never trained on);
- ``dm_silver.jsonl.gz``: the other Daily Mail articles that have a ChatGPT summary, with its sentences as
  ``highlights``: silver labels for ``nutgraf train --silver``.

The two files share no article (checked). LLM summaries are not human highlights: they copy the lead more
than editors do, so scores on dm_dev run higher than on real Daily Mail highlights; use it for differences.

The "training articles" of the LLM-summary data are not all training stories: 654 of its 2,000 articles
share 15 words in a row (lower-cased) with an official **validation** story of ``validation_lower``, and 648
are that story (it holds at least half of the article's 15-word runs). With ``--validation`` naming that
file, those 654 articles go to neither slice (a silver row on a validation story would let training see the
validation file), and the Daily Mail ones that are a validation story (625) are written as
- ``dm_cased_dev.jsonl.gz``: real, cased Daily Mail pages with their **human** highlights (from
  ``validation_lower``, PTB tokens undone): the one cased Daily Mail development set with human highlights.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path

from nutgraf.segment import segment

sys.path.insert(0, str(Path(__file__).resolve().parent))
from truecase_lower import detokenize  # scripts/truecase_lower.py

_WORD = re.compile(r"[a-z0-9]+")
SHINGLE = 15
"""Words in a row that identify a story across its cased and its lower-cased, tokenized forms."""


def _shingles(text: str, limit: int | None = None) -> list[str]:
    """The 15-word windows of ``text``'s lower-cased words (those starting in its first ``limit`` words)."""
    words = _WORD.findall(text.lower())
    last = len(words) - SHINGLE if limit is None else min(len(words) - SHINGLE, limit)
    return [" ".join(words[i : i + SHINGLE]) for i in range(0, max(0, last) + 1)]


def validation_stories(path: str) -> dict[str, list[dict[str, object]]]:
    """Two windows of each validation story (past its byline) -> the stories that hold them (a follow-up story
    may repeat a paragraph of an earlier one)."""
    index: dict[str, list[dict[str, object]]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            words = _WORD.findall(row["article"].lower())
            for start in (40, 80):
                if len(words) >= start + SHINGLE:
                    index.setdefault(" ".join(words[start : start + SHINGLE]), []).append(row)
    return index


SAME_STORY = 0.5
"""A validation story is the same story as an article when it holds at least this share of the article's
windows (the same story shares nearly all of them; one that repeats a paragraph, few)."""


def _validation_rows(article: str, index: dict[str, list[dict[str, object]]]) -> tuple[bool, dict | None]:
    """Whether the article shares a window with any validation story (then it is never a training row), and
    the validation story that is the same story, if one is (the one holding most of its windows)."""
    candidates = {id(row): row for shingle in _shingles(article, 200) for row in index.get(shingle, ())}
    if not candidates:
        return False, None
    windows = set(_shingles(article))
    best, best_share = None, 0.0
    for row in sorted(candidates.values(), key=lambda r: str(r["id"])):
        share = len(windows & set(_shingles(str(row["article"])))) / (len(windows) or 1)
        if share > best_share:
            best, best_share = row, share
    return True, best if best_share >= SAME_STORY else None


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
    ap.add_argument("--validation", help="validation_lower.jsonl.gz: keep its stories out of both slices")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    index = validation_stories(args.validation) if args.validation else {}
    dev, silver, cased_dev = [], [], []
    dev_ids: set[str] = set()
    with gzip.open(args.source, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            seen, story = _validation_rows(row["article"], index) if index else (False, None)
            if seen:
                if story is not None and story.get("publisher") == "dailymail" and story["id"] not in dev_ids:
                    dev_ids.add(str(story["id"]))
                    highlights = story.get("highlights") or []
                    cased_dev.append(
                        {
                            "id": str(story["id"]),
                            "article": row["article"],
                            "highlights": [detokenize(str(h)) for h in highlights],
                            "publisher": "dailymail",
                            "text_form": "raw",
                            "source": f"{row.get('source', '')}; highlights: {story.get('source', '')}",
                        }
                    )
                continue
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
    slices = [("dm_dev", dev), ("dm_silver", silver)] + ([("dm_cased_dev", cased_dev)] if index else [])
    for name, rows in slices:
        path = out / f"{name}.jsonl.gz"
        with gzip.GzipFile(path, "wb", mtime=0) as gz:
            for r in rows:
                gz.write((json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
        print(f"{path}: {len(rows)} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
