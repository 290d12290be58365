"""Which feature groups buy what: the learned scorer retrained without each group, scored on validation.

    python scripts/ablation.py --data ../shared/data/cnndm/train.jsonl.gz \
        --silver build/llm/dm_silver.jsonl.gz \
        --valid ../shared/data/cnndm/validation.jsonl.gz --valid build/llm/dm_dev.jsonl.gz

(``make ablation`` runs exactly this.) The training examples are labelled and featurized once; each row of
the table is a model trained like the bundled one (same parameters, same data) with one feature group left
out, then run through the whole pipeline (cleaning, selection, repair) on each validation file. Gains are
ROUGE F x 100 over ``lead`` on the same rows, k = 3. Prints a Markdown table. Never reads the test split.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

from nutgraf.evaluate import METRICS, load_rows, score_rows
from nutgraf.learned.features import FEATURE_GROUPS, FEATURE_VERSION
from nutgraf.learned.model import SCORER_NAME
from nutgraf.learned.train import DEFAULT_ROUNDS, TrainConfig, feature_subset, fit, read_examples, write_model

HEAD = ("rouge1", "rouge2", "rougeLsum")


def mean_f(results: list[dict[str, object]], method: str) -> dict[str, float]:
    out = {}
    for m in METRICS:
        out[m] = 100 * sum(r[method]["scores"][m][2] for r in results) / len(results)  # type: ignore[index]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", action="append", required=True)
    ap.add_argument("--silver", action="append", default=[])
    ap.add_argument("--silver-weight", type=float, default=TrainConfig.silver_weight)
    ap.add_argument("--valid", action="append", required=True)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS)
    args = ap.parse_args(argv)

    t0 = time.time()
    examples, _ = read_examples(args.data, workers=args.workers)
    if args.silver:
        silver, _ = read_examples(args.silver, weight=args.silver_weight, workers=args.workers)
        examples += silver
    print(
        f"labelled and featurized {len(examples):,} article forms in {time.time() - t0:.0f} s",
        file=sys.stderr,
    )
    valid = {os.path.basename(p): load_rows([p])[0] for p in args.valid}
    lead = {name: mean_f(score_rows(rows, ["lead"]), "lead") for name, rows in valid.items()}

    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for dropped in ["none", *FEATURE_GROUPS]:
            names = feature_subset([] if dropped == "none" else [dropped])
            booster = fit(examples, names, {}, args.rounds, args.workers)
            path = os.path.join(tmp, f"{dropped}.json.gz")
            meta = {
                "name": f"ablation-{dropped}",
                "scorer": SCORER_NAME,
                "features": {"version": FEATURE_VERSION, "names": names},
            }
            write_model(path, booster, meta)
            results[dropped] = {
                name: mean_f(score_rows(rows, ["gbdt"], model=path), "gbdt") for name, rows in valid.items()
            }
            print(f"{dropped}: done at {time.time() - t0:.0f} s", file=sys.stderr)

    names = list(valid)
    header = ["left out"] + [f"{n} dR-1 / dR-2 / dR-Lsum" for n in names]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for dropped, per in results.items():
        cells = []
        for n in names:
            cells.append(" / ".join(f"{per[n][m] - lead[n][m]:+.2f}" for m in HEAD))
        label = "nothing (all features)" if dropped == "none" else dropped
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()
    for n in names:
        print(f"lead on {n} ({len(valid[n])} rows): " + " / ".join(f"{lead[n][m]:.2f}" for m in HEAD))
    return 0


if __name__ == "__main__":
    sys.exit(main())
