"""Re-pin what the compressor does on the golden table (tests/golden/compress_cases.jsonl) after a change to
its rules or model. The editor's ``expected`` column is never touched; ``status`` and ``got`` record where
the compressor differs from it (``missed``: no cut where the editor cuts; ``partial``: less than the editor
cuts; ``disagree``: a cut the editor would not make). Read the diff before committing it.

    python scripts/update_compress_golden.py
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from nutgraf.compress import compress_sentence

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "golden" / "compress_cases.jsonl"


def main() -> int:
    rows = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]
    counts: Counter[str] = Counter()
    for row in rows:
        row.pop("status", None)
        row.pop("got", None)
        got = compress_sentence(row["sentence"])
        if got != row["expected"]:
            if got == row["sentence"]:
                row["status"] = "missed"
            elif row["expected"] != row["sentence"] and len(got) > len(row["expected"]):
                row["status"] = "partial"
            else:
                row["status"] = "disagree"
            row["got"] = got
        counts[row.get("status", "agree")] += 1
    GOLDEN.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(dict(sorted(counts.items())), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
