"""What the HTML path costs now against before the web-furniture detector: the 181 benchmark pages end to end.

    .venv/bin/python benchmarks/html_cost.py [--data ../shared/data]

Each page goes through ``from_html`` (trafilatura's extraction) and the default Summarizer, one core, CPU
time, in three set-ups, alternating, best of four runs each, in the same process:

- **before**: the HTML path as it was before the detector: trafilatura parses the page itself and runs its
  full extraction (``fast`` off: it also compares with readability and jusText), no page hints, and a
  detector that marks nothing;
- **fast, no detector**: today's extraction (``ingest.html.EXTRACTION``, ``fast`` on) from our parsed tree,
  without the page hints (``ingest.html.page_hints``) and the detector;
- **now**: today's path, hints and detector included.

Prints ms per page and the ratios: now against before (what a user sees), and now against fast without the
detector (what the detector and its hints cost).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nutgraf.clean as clean_module
import nutgraf.ingest.html as html_module
from nutgraf import Options, Summarizer
from nutgraf.ingest import from_html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from html_check import benchmark_pages  # noqa: E402 - scripts/html_check.py reads the pages the same way


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args(argv)
    pages = [html for _, html, _ in benchmark_pages(args.data / "html" / "article-extraction-benchmark")]
    summarizer = Summarizer(Options())
    detector = clean_module.webfurniture.web_furniture
    hints, parse = html_module.page_hints, html_module.parse

    def run() -> float:
        start = time.process_time()
        for i, page in enumerate(pages):
            summarizer(from_html(page, str(i)))
        return time.process_time() - start

    run()  # warm-up: models and parsers loaded
    full = {**html_module.EXTRACTION, "fast": False}
    fast = dict(html_module.EXTRACTION)
    setups = {
        "before": (full, lambda html: html, lambda tree, doc: None, lambda text, title=None, page=None: []),
        "fast, no detector": (fast, parse, lambda tree, doc: None, lambda text, title=None, page=None: []),
        "now": (fast, parse, hints, detector),
    }
    seconds: dict[str, list[float]] = {name: [] for name in setups}
    try:
        for _ in range(4):
            for name, (options, parser, hinter, marker) in setups.items():
                html_module.EXTRACTION.clear()
                html_module.EXTRACTION.update(options)
                html_module.parse, html_module.page_hints = parser, hinter  # type: ignore[assignment]
                clean_module.webfurniture.web_furniture = marker  # type: ignore[assignment]
                seconds[name].append(run())
    finally:
        html_module.EXTRACTION.clear()
        html_module.EXTRACTION.update(fast)
        html_module.parse, html_module.page_hints = parse, hints
        clean_module.webfurniture.web_furniture = detector
    best = {name: 1000 * min(values) / len(pages) for name, values in seconds.items()}
    print(f"HTML end to end (extraction included), {len(pages)} pages, one core, best of 4 runs\n")
    print("| set-up | ms per page |\n|---|---:|")
    for name, ms in best.items():
        print(f"| {name} | {ms:.1f} |")
    print(
        f"\nnow against before: {best['now'] / best['before'] - 1:+.1%}; "
        f"the detector and its page hints: {best['now'] / best['fast, no detector'] - 1:+.1%}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
