"""What the web-furniture detector costs on HTML: the 181 benchmark pages end to end, with it and without it.

    .venv/bin/python benchmarks/html_cost.py [--data ../shared/data]

Each page goes through ``from_html`` (trafilatura's extraction) and the default Summarizer, one core, CPU
time; the detector is switched off by replacing it with one that marks nothing. Best of two runs each, in
the same process. Prints ms per page both ways and the ratio.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nutgraf.clean as clean_module
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

    def run() -> float:
        start = time.process_time()
        for i, page in enumerate(pages):
            summarizer(from_html(page, str(i)))
        return time.process_time() - start

    run()  # warm-up: models and parsers loaded
    seconds: dict[str, list[float]] = {"off": [], "on": []}
    try:
        for name in ("off", "on", "off", "on"):
            clean_module.webfurniture.web_furniture = (  # type: ignore[assignment]
                detector if name == "on" else (lambda text, title=None: [])
            )
            seconds[name].append(run())
    finally:
        clean_module.webfurniture.web_furniture = detector
    off, on = min(seconds["off"]), min(seconds["on"])
    print(
        f"HTML end to end (extraction included), {len(pages)} pages, one core: without the detector "
        f"{1000 * off / len(pages):.1f} ms/page, with it {1000 * on / len(pages):.1f} ms/page ({on / off - 1:+.1%})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
