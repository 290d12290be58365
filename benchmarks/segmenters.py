"""Compare nutgraf's sentence segmenter with its peers, side by side, in one run.

    .venv/bin/python benchmarks/segmenters.py [--data DIR]

For every segmenter: the Pragmatic Segmenter golden rules (exact sentence lists), accuracy on the 250
``sentence_lines`` articles of ``cnndm/test.jsonl.gz`` (gold lines joined by single spaces; test-split data
used only as segmentation gold, never for highlights or ROUGE), and speed in MB/s on one core on a fixed
sample of real articles. Prints a Markdown table. Peers come from ``pip install -e '.[bench]'``.

Accuracy columns: "exact" is the share of gold sentences reproduced with exactly the same span; "F1" is
the F1 of sentence-end offsets; "F1~" is the same F1 with each boundary moved over punctuation and spaces
(counted as the number of letters and digits before it), so that the gold's habit of leaving a new
sentence's opening quote on the previous line (``... he said. '`` / ``Then ...``) does not count as an error.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

from nutgraf.segment import NewsSegmenter  # noqa: E402

Spans = list[tuple[int, int]]
SegmentFn = Callable[[str], Spans]
INSTALL = "pip install -e '.[bench]'"
SPEED_ARTICLES = 500  # 250 validation + 250 test articles, in file order: about 1.8 MB
SPEED_BUDGET_S = 4.0  # a peer slower than this on one pass is timed on the articles it got through
NLTK_TRAIN_ARTICLES = 2000  # train-split articles to train Punkt on


def read_rows(path: Path) -> Iterator[dict[str, object]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def strip_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    piece = text[start:end]
    body = piece.strip()
    if not body:
        return None
    s = start + len(piece) - len(piece.lstrip())
    return s, s + len(body)


def spans_from_strings(text: str, sentences: Iterable[str]) -> Spans:
    """Offsets for peers that return only strings: find each one after the previous (skipped if altered)."""
    out: Spans = []
    cursor = 0
    for sent in sentences:
        body = sent.strip()
        if not body:
            continue
        i = text.find(body, cursor)
        if i == -1:
            continue
        out.append((i, i + len(body)))
        cursor = i + len(body)
    return out


def tidy(text: str, spans: Iterable[tuple[int, int]]) -> Spans:
    out: Spans = []
    for s, e in spans:
        t = strip_span(text, s, e)
        if t is not None:
            out.append(t)
    return out


# --- Segmenters ------------------------------------------------------------------------------------------
def make_nutgraf() -> SegmentFn:
    seg = NewsSegmenter()
    return lambda text: [(s.start, s.end) for s in seg(text)]


def make_pysbd() -> SegmentFn:
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
    return lambda text: tidy(text, ((s.start, s.end) for s in seg.segment(text)))


def make_syntok() -> SegmentFn:
    import syntok.segmenter as syn

    def run(text: str) -> Spans:
        out: Spans = []
        for paragraph in syn.analyze(text):
            for sentence in paragraph:
                first, last = sentence[0], sentence[-1]
                out.append((first.offset, last.offset + len(last.value)))
        return tidy(text, out)

    return run


def make_blingfire() -> SegmentFn:
    import blingfire

    return lambda text: tidy(text, blingfire.text_to_sentences_and_offsets(text)[1]) if text.strip() else []


def make_nltk_untrained() -> SegmentFn:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    tok = PunktSentenceTokenizer()
    return lambda text: tidy(text, tok.span_tokenize(text))


def make_nltk_trained(data: Path) -> tuple[SegmentFn, float]:
    from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

    texts = []
    for i, row in enumerate(read_rows(data / "cnndm" / "train.jsonl.gz")):
        if i >= NLTK_TRAIN_ARTICLES:
            break
        texts.append(str(row["article"]))
    t0 = time.perf_counter()
    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = True
    trainer.train("\n\n".join(texts), finalize=True)
    tok = PunktSentenceTokenizer(trainer.get_params())
    return (lambda text: tidy(text, tok.span_tokenize(text))), time.perf_counter() - t0


def make_segtok() -> SegmentFn:
    from segtok.segmenter import split_multi

    return lambda text: spans_from_strings(text, split_multi(text))


def make_sentencex() -> SegmentFn:
    import sentencex

    def run(text: str) -> Spans:
        bounds = sentencex.get_sentence_boundaries("en", text)
        return tidy(text, ((b["start_index"], b["end_index"]) for b in bounds))

    return run


# --- Measures --------------------------------------------------------------------------------------------
def golden_rules(fn: SegmentFn) -> tuple[int, int, list[str]]:
    path = REPO / "tests" / "golden" / "segment" / "golden_rules_en.json"
    cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
    failed = []
    for case in cases:
        text = case["text"]
        got = [text[s:e].strip() for s, e in fn(text)]
        if got != case["sentences"]:
            failed.append(text)
    return len(cases) - len(failed), len(cases), failed


class NewsGold:
    """The sentence_lines articles, with gold spans and a letters-and-digits index for lenient boundaries."""

    def __init__(self, data: Path) -> None:
        self.items: list[tuple[str, set[tuple[int, int]], list[int]]] = []
        for row in read_rows(data / "cnndm" / "test.jsonl.gz"):
            if row["text_form"] != "sentence_lines":
                continue
            lines = [x.strip() for x in str(row["article"]).split("\n") if x.strip()]
            text = " ".join(lines)
            gold = set()
            pos = 0
            for line in lines:
                gold.add((pos, pos + len(line)))
                pos += len(line) + 1
            alnum = [0] * (len(text) + 1)
            count = 0
            for i, ch in enumerate(text):
                alnum[i] = count
                count += ch.isalnum()
            alnum[len(text)] = count
            self.items.append((text, gold, alnum))

    def score(self, fn: SegmentFn) -> tuple[float, float, float]:
        exact = total = 0
        strict = [0, 0, 0]
        lenient = [0, 0, 0]
        for text, gold, alnum in self.items:
            got = set(fn(text))
            exact += len(gold & got)
            total += len(gold)
            n = len(text)
            for counts, index in ((strict, list(range(n + 1))), (lenient, alnum)):
                ends = {index[0], index[n]}
                g = {index[e] for _, e in gold} - ends
                p = {index[e] for _, e in got} - ends
                counts[0] += len(g & p)
                counts[1] += len(p - g)
                counts[2] += len(g - p)
        return exact / total, f1(*strict), f1(*lenient)


def f1(tp: int, fp: int, fn: int) -> float:
    if tp == 0:
        return 0.0
    p, r = tp / (tp + fp), tp / (tp + fn)
    return 2 * p * r / (p + r)


def speed(fn: SegmentFn, articles: list[str]) -> tuple[float, bool]:
    """MB/s (UTF-8) on one core, best of 3 passes; a slow peer gets one pass cut off at the time budget."""
    best = float("inf")
    done_bytes = 0
    for _ in range(3):
        done_bytes = 0
        t0 = time.perf_counter()
        for text in articles:
            fn(text)
            done_bytes += len(text.encode("utf-8"))
            if time.perf_counter() - t0 > SPEED_BUDGET_S:
                return done_bytes / (time.perf_counter() - t0) / 1e6, True
        best = min(best, time.perf_counter() - t0)
    return done_bytes / best / 1e6, False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data", help="data directory")
    args = parser.parse_args(argv)
    data: Path = args.data
    if not (data / "cnndm" / "test.jsonl.gz").exists():
        print(f"error: {data / 'cnndm' / 'test.jsonl.gz'} not found; pass --data DIR", file=sys.stderr)
        return 2

    val = [str(r["article"]) for r in read_rows(data / "cnndm" / "validation.jsonl.gz")]
    test = [str(r["article"]) for r in read_rows(data / "cnndm" / "test.jsonl.gz")]
    sample = val[: SPEED_ARTICLES // 2] + test[: SPEED_ARTICLES // 2]
    sample_mb = sum(len(t.encode("utf-8")) for t in sample) / 1e6
    news = NewsGold(data)

    makers: list[tuple[str, Callable[[], SegmentFn]]] = [
        ("nutgraf NewsSegmenter", make_nutgraf),
        ("pysbd 0.3 (clean=False, char_span)", make_pysbd),
        ("syntok", make_syntok),
        ("blingfire", make_blingfire),
        ("nltk Punkt (untrained)", make_nltk_untrained),
        ("segtok", make_segtok),
        ("sentencex", make_sentencex),
    ]
    notes: list[str] = []
    rows: list[tuple[str, str, float, float, float, float, bool]] = []

    def run(name: str, fn: SegmentFn) -> None:
        passed, n, _ = golden_rules(fn)
        exact, strict, lenient = news.score(fn)
        mbps, partial = speed(fn, sample)
        rows.append((name, f"{passed}/{n} ({passed / n:.0%})", exact, strict, lenient, mbps, partial))
        print(f"  measured {name}", file=sys.stderr)

    for name, make in makers:
        try:
            fn = make()
        except ImportError:
            notes.append(f"{name}: not installed, skipped ({INSTALL})")
            print(f"{name} is not installed: {INSTALL}", file=sys.stderr)
            continue
        run(name, fn)
        if name.startswith("nltk"):
            try:
                trained, seconds = make_nltk_trained(data)
            except ImportError:
                continue
            notes.append(
                f"nltk Punkt (trained): trained in-process on {NLTK_TRAIN_ARTICLES} train-split articles "
                f"in {seconds:.1f} s (not included in its MB/s)"
            )
            run("nltk Punkt (trained on train split)", trained)

    base = rows[0][5]
    half = SPEED_ARTICLES // 2
    print(f"Speed sample: {len(sample)} articles ({half} validation + {half} test), {sample_mb:.2f} MB,")
    print(f"one core, best of 3. News gold: {len(news.items)} sentence_lines test articles.\n")
    print("| segmenter | golden rules | news exact | news F1 | news F1~ | MB/s | speed vs nutgraf |")
    print("|---|---|---|---|---|---|---|")
    for name, golden, exact, strict, lenient, mbps, partial in rows:
        star = "*" if partial else ""
        print(
            f"| {name} | {golden} | {exact:.3f} | {strict:.3f} | {lenient:.3f} | {mbps:.2f}{star} "
            f"| {mbps / base:.2f}x |"
        )
    if any(r[6] for r in rows):
        notes.append(
            f"* timed on the articles done within {SPEED_BUDGET_S:.0f} s of one pass (too slow for all)"
        )
    for note in notes:
        print(f"\n- {note}", end="")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
