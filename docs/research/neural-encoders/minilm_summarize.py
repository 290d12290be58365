"""Tables from experiment logs: per variant x seed x set, and the mean gain over base (per seed pairs).

    python3 docs/research/neural-encoders/minilm_summarize.py build/exp-minilm/exp_*.log
"""

import ast
import re
import statistics
import sys
from collections import defaultdict

LINE = re.compile(r"^(valid|valid_true) (\S+) (\S+) (\{.*\})$")
res = defaultdict(dict)  # (set, variant) -> seed -> dict
for path in sys.argv[1:]:
    for line in open(path):
        m = LINE.match(line.strip())
        if m:
            res[(m[1], m[2])][m[3]] = ast.literal_eval(m[4])
M = ("rouge1", "rouge2", "rougeLsum")
print("| set | variant | seed | R-1 | R-2 | R-Lsum | n |\n|---|---|---|---|---|---|---|")
for (s, v), seeds in sorted(res.items()):
    for seed, d in sorted(seeds.items()):
        print(f"| {s} | {v} | {seed} | " + " | ".join(f"{d[m]:.2f}" for m in M) + f" | {d['n']} |")
print("\nGain over base (same seed), mean over seeds [min, max]:\n")
print("| set | variant | seeds | dR-1 | dR-2 | dR-Lsum | mean R-1 |\n|---|---|---|---|---|---|---|")
for (s, v), seeds in sorted(res.items()):
    if v in ("base", "lead(usable)"):
        continue
    base = res.get((s, "base"), {})
    common = sorted(set(seeds) & set(base))
    if not common:
        continue
    cells = []
    for m in M:
        g = [seeds[k][m] - base[k][m] for k in common]
        cells.append(f"{statistics.mean(g):+.2f} [{min(g):+.2f}, {max(g):+.2f}]")
    r1 = statistics.mean(seeds[k]["rouge1"] for k in common)
    print(f"| {s} | {v} | {','.join(common)} | " + " | ".join(cells) + f" | {r1:.2f} |")
for s in ("valid", "valid_true"):
    base = res.get((s, "base"), {})
    if base:
        print(f"\n{s} base over seeds: " + ", ".join(
            f"{m} {statistics.mean(d[m] for d in base.values()):.2f} (spread {max(d[m] for d in base.values()) - min(d[m] for d in base.values()):.2f})"
            for m in M))
