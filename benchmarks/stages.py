"""Where the time goes: a per-stage breakdown of ``Summarizer`` on real articles, one core.

    .venv/bin/python benchmarks/stages.py [--data ../shared/data] [--split test] [--limit 1319] [--method default]
        [--trees compiled|lightgbm]

Runs the Summarizer's stages one by one on every article, in the order ``Summarizer._run`` calls them, and
adds up each stage's CPU time (``time.process_time_ns``, so another busy process on the machine does not
count): ingest (``from_text``), the input checks, cleaning, segmentation, per-sentence features, the learned
scorer's feature rows and its trees, the set scorer's candidate sets and its trees, and selection. Then
it checks that the stages put together give exactly what ``Summarizer`` gives (so the breakdown measures
the real pipeline) and prints a table, with the whole pipeline's articles/s next to nutgraf's own ``lead``
measured the same way.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from nutgraf import Summarizer
from nutgraf.clean import clean
from nutgraf.contracts import Document, Options
from nutgraf.features import sentence_features
from nutgraf.ingest import from_text
from nutgraf.ingest.text import text_problem
from nutgraf.learned.features import feature_matrix
from nutgraf.learned.model import load_model
from nutgraf.learned.scorer import GbdtScorer
from nutgraf.learned.sets import candidate_sets, set_input, sizes_for
from nutgraf.render import result_to_dict
from nutgraf.select import select as select_highlights
from nutgraf.select import usable

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def articles(data: Path, split: str, limit: int) -> list[str]:
    path = data / "cnndm" / f"{split}.jsonl.gz"
    out: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            out.append(json.loads(line)["article"])
            if len(out) >= limit:
                break
    return out


def run_stages(summarizer: Summarizer, texts: list[str], totals: dict[str, int]) -> list[Any]:
    """Each article through the stages of ``Summarizer._run`` (no compression, no explain), timed."""
    plan = summarizer._plan
    options = summarizer.options
    scorer = plan.scorer
    learned = isinstance(scorer, GbdtScorer)
    outputs = []

    def timed(stage: str, fn: Callable[..., T], *args: Any) -> T:
        t = time.process_time_ns()
        out = fn(*args)
        totals[stage] += time.process_time_ns() - t
        return out

    for i, text in enumerate(texts):
        article = timed("ingest", from_text, text, str(i))
        timed("input checks", text_problem, article.text, article.id)
        cleaned = timed("clean", clean, article)
        code, _ = timed("language", summarizer_language, article, options)
        sentences = timed("segment", plan.segmenter, article.text, cleaned.regions, code)
        doc = Document(article=article, sentences=sentences, furniture=cleaned.furniture, language=code)
        feats = timed("sentence features", sentence_features, doc)
        keep = timed("usable", usable, feats)
        if learned:
            assert isinstance(scorer, GbdtScorer)
            x = timed("learned: feature rows", feature_matrix, doc, feats)
            model = scorer.model(scorer.model_path(code, options))
            p = timed("learned: trees", model.predict, x[keep])
            scores_list = [0.0] * len(x)
            for j, v in zip(keep, p, strict=True):
                scores_list[j] = v
            scores: tuple[float, ...] = tuple(scores_list)
            sizes = sizes_for(options.k)
            inp = timed("sets: input", set_input, doc, feats, scores, keep)
            sets, rows = timed("sets: candidates", candidate_sets, inp, sizes)
            preferred = timed("sets: trees", _best, model, inp, sets, rows)
        else:
            scores = timed("scorer", scorer, doc, feats, options)
            preferred = timed("choose", scorer.choose, doc, feats, scores, options)
        highlights, _notices = timed("select", select_highlights, doc, feats, scores, options, preferred)
        outputs.append([(h.text, h.spans) for h in highlights])
    return outputs


def _best(
    model: Any, inp: Any, sets: list[tuple[int, ...]], rows: list[list[float]]
) -> tuple[int, ...] | None:
    """``Model.choose`` after its candidate sets: the trees and the pick."""
    if not sets or model._predict_set is None:
        return None
    import numpy as np

    from nutgraf.learned.model import SCORE_DIGITS

    values = [round(float(v), SCORE_DIGITS) for v in model._predict_set(np.asarray(rows, dtype=np.float64))]
    best = max(range(len(sets)), key=lambda j: (values[j], -j))
    return tuple(inp.sentences[i] for i in sets[best])


def summarizer_language(article: Any, options: Options) -> Any:
    """The Summarizer's language step: ``Options.language``, the record's field, or the detector."""
    from nutgraf.summarizer import _language

    return _language(article, options)


def whole(summarizer: Summarizer, texts: list[str]) -> tuple[float, list[Any]]:
    """Articles/s (CPU time) of the whole pipeline, and its key points."""
    docs = [from_text(t, str(i)) for i, t in enumerate(texts)]
    t = time.process_time_ns()
    results = [summarizer(d) for d in docs]
    seconds = (time.process_time_ns() - t) / 1e9
    points = [
        [(h["text"], [tuple(s) for s in h["spans"]]) for h in result_to_dict(r).get("highlights", [])]
        for r in results
    ]
    return len(texts) / seconds, points


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--split", default="test")
    ap.add_argument("--limit", type=int, default=1319)
    ap.add_argument("--method", default="default")
    ap.add_argument(
        "--trees",
        choices=("compiled", "lightgbm"),
        default="compiled",
        help="predict the learned models' trees with the compiled kernel (what a long job runs) or LightGBM",
    )
    args = ap.parse_args(argv)
    texts = articles(args.data, args.split, args.limit)
    summarizer = Summarizer(Options(method=args.method))
    if isinstance(summarizer._plan.scorer, GbdtScorer):
        load_model().compile(args.trees == "compiled")
    lead = Summarizer(Options(method="lead"))
    summarizer(from_text(texts[0], "warm-up"))
    lead(from_text(texts[0], "warm-up"))
    totals: dict[str, int] = defaultdict(int)
    staged = run_stages(summarizer, texts, totals)
    rate, points = whole(summarizer, texts)
    lead_rate, _ = whole(lead, texts)
    same = sum(
        1 for a, b in zip(staged, points, strict=True) if [(t, [tuple(x) for x in s]) for t, s in a] == b
    )
    total = sum(totals.values())
    print(
        f"{args.method} on {len(texts):,} {args.split} articles, one core, CPU time, {args.trees} trees; "
        "the stages put together "
        f"give the Summarizer's key points for {same:,} of {len(texts):,}\n"
    )
    print("| stage | ms/article | share |\n|---|---:|---:|")
    for stage, ns in totals.items():
        print(f"| {stage} | {ns / len(texts) / 1e6:.3f} | {ns / total:.0%} |")
    print(f"| **all stages** | **{total / len(texts) / 1e6:.3f}** | 100% |")
    print(
        f"\nwhole Summarizer: {args.method} {rate:,.0f} articles/s, lead {lead_rate:,.0f} articles/s "
        f"({rate / lead_rate:.2f}x lead)"
    )
    return 0 if same == len(texts) else 1


if __name__ == "__main__":
    sys.exit(main())
