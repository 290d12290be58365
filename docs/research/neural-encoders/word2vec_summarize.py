"""Tabulate build/exp-emb/results.jsonl: per variant x seed x set, and mean gains over base (paired by seed)."""

import json
from collections import defaultdict

rows = [json.loads(x) for x in open("build/exp-emb/results.jsonl")]
res = {}
for r in rows:
    if "set" in r and r["variant"] != "lead3":
        res[(r["set"], r["variant"], r["seed"])] = (r["rouge1"], r["rouge2"], r["rougeLsum"])
sets = ["valid", "valid_lower", "valid_true"]
variants = ["base", "base+sem", "base+sem+pca"]
seeds = sorted({k[2] for k in res})
print("| set | variant | " + " | ".join(f"seed {s} R-1/R-2/R-Lsum" for s in seeds) + " | mean R-1/R-2/R-Lsum |")
print("|---|---|" + "---|" * (len(seeds) + 1))
for st in sets:
    for v in variants:
        cells = []
        vals = []
        for s in seeds:
            got = res.get((st, v, s))
            cells.append("/".join(f"{x:.2f}" for x in got) if got else "-")
            if got:
                vals.append(got)
        mean = [sum(c) / len(vals) for c in zip(*vals)] if vals else []
        print(f"| {st} | {v} | " + " | ".join(cells) + " | " + "/".join(f"{x:.3f}" for x in mean) + " |")
print()
print("| set | variant | mean gain over base R-1 / R-2 / R-Lsum | per-seed R-1 gains | seeds |")
print("|---|---|---|---|---|")
for st in sets:
    for v in variants[1:]:
        paired = [s for s in seeds if (st, v, s) in res and (st, "base", s) in res]
        gains = [[a - b for a, b in zip(res[(st, v, s)], res[(st, "base", s)])] for s in paired]
        mean = [sum(c) / len(gains) for c in zip(*gains)]
        print(f"| {st} | {v} | " + " / ".join(f"{x:+.3f}" for x in mean)
              + " | " + ", ".join(f"{g[0]:+.2f}" for g in gains) + f" | {paired} |")
