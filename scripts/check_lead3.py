"""Calibration: plain Lead-3 through ``nutgraf evaluate`` against an independent computation.

    .venv/bin/python scripts/check_lead3.py [FILE]      # default ../shared/data/cnndm/test.jsonl.gz

The independent side reads the file with gzip+json, takes the first three sentences of each article (the
same segmenter, nutgraf.segment, so that both sides summarize identically) and calls rouge-score directly,
averaging in plain Python. The harness side runs the real command line (``nutgraf evaluate --methods
lead3-plain --format json``) in a subprocess. The two must agree to 4 decimals on R-1, R-2, R-L and R-Lsum
(F, P and R); the script exits 1 if they do not.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from rouge_score import rouge_scorer

from nutgraf.segment import segment

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "data" / "cnndm" / "test.jsonl.gz"
METRICS = ("rouge1", "rouge2", "rougeL", "rougeLsum")


def independent(path: Path) -> dict[str, dict[str, float]]:
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    sums = {m: [0.0, 0.0, 0.0] for m in METRICS}
    n = 0
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            lead3 = [" ".join(s.text.split()) for s in segment(row["article"])[:3]]
            reference = "\n".join(" ".join(h.split()) for h in row["highlights"] if h.strip())
            scores = scorer.score(reference, "\n".join(lead3))
            for m in METRICS:
                sums[m][0] += scores[m].precision
                sums[m][1] += scores[m].recall
                sums[m][2] += scores[m].fmeasure
            n += 1
    return {m: {"p": 100 * p / n, "r": 100 * r / n, "f": 100 * f / n} for m, (p, r, f) in sums.items()}


def harness(path: Path) -> dict[str, dict[str, float]]:
    cmd = [
        sys.executable,
        "-m",
        "nutgraf",
        "evaluate",
        str(path),
        "--methods",
        "lead3-plain",
        "--format",
        "json",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"nutgraf evaluate failed ({proc.returncode}): {proc.stderr.strip()}")
    report = json.loads(proc.stdout)
    return {m: report["methods"]["lead3-plain"][m] for m in METRICS}


def compare(path: Path) -> bool:
    a, b = independent(path), harness(path)
    ok = True
    print(f"{path.name}: plain Lead-3, F/P/R x 100")
    print("| metric | independent F | harness F | independent P / R | harness P / R | agree to 4 decimals |")
    print("|---|---:|---:|---:|---:|---|")
    for m in METRICS:
        agree = all(abs(a[m][x] - b[m][x]) <= 0.5e-4 + 1e-9 for x in ("f", "p", "r"))
        ok &= agree
        print(
            f"| {m} | {a[m]['f']:.4f} | {b[m]['f']:.4f} | {a[m]['p']:.4f} / {a[m]['r']:.4f} | "
            f"{b[m]['p']:.4f} / {b[m]['r']:.4f} | {'yes' if agree else 'NO'} |"
        )
    return ok


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    sys.exit(0 if compare(target) else 1)
