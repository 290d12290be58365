"""Training the learned scorer: labels from reference highlights, features, LightGBM, a model file.

Not a pipeline stage: a tool over the pipeline. It runs the same cleaner, segmenter and features the
``gbdt`` method runs at summary time, so a model learns from exactly what it will see.

- **Labels**: the greedy ROUGE-1+2 oracle over the usable sentences, stopping when no sentence adds
  (binary labels), plus each sentence's own ROUGE-1 F + ROUGE-2 F (soft labels, kept in ``nutgraf labels``).
  ``labels="beam"`` takes the beam-search oracle's set instead (``score.beam_oracle``: never worse than
  greedy's; measured, not the default: README, "Training").
- **Paragraph breaks**: much real input arrives without them (the validation file, most of the test file),
  so each training article that has breaks is used twice: as it is, and flattened to one line.
- **Model**: LightGBM, binary objective on the oracle labels (it beat LambdaRank and regression on the soft
  labels on validation: docs/research/learned-scorer-feasibility.md).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import platform
import re
import sys
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from nutgraf._version import __version__
from nutgraf.clean import clean
from nutgraf.contracts import Article, Document
from nutgraf.errors import TrainingError as TrainingError  # re-exported: callers import it with train()
from nutgraf.features import sentence_features
from nutgraf.lang import declared_language
from nutgraf.learned.features import FEATURE_GROUPS, FEATURE_NAMES, FEATURE_VERSION, feature_rows
from nutgraf.learned.model import MODEL_FORMAT, SCORE_DIGITS, SCORER_NAME, booster_digest, set_max_threads
from nutgraf.learned.sets import POOL, SET_NAMES, SET_VERSION, SIZES, SetInput, candidate_sets, set_input
from nutgraf.score import LABELERS, beam_oracle, greedy_oracle, rouge_tokens, set_rouge
from nutgraf.segment import segment
from nutgraf.select import usable

LABELS_DOC = LABELERS["greedy"]
"""The default labeller's description."""
LABEL_K = 4
"""At most this many oracle sentences per article (references have 1-5 highlights, mean 3.6)."""

DEFAULT_PARAMS: dict[str, Any] = {
    # Calibrated on validation and the Daily Mail dev slice (docs/research/learned-scorer-feasibility.md):
    # 200-1500 rounds and 15-63 leaves were within the seed noise (+-0.05 R-1); the smallest is fastest.
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "seed": 0,
    "deterministic": True,
    "force_row_wise": True,
    "verbose": -1,
}
DEFAULT_ROUNDS = 200


def flatten(text: str) -> str:
    """The text with its paragraph breaks removed: lines joined by single spaces (the Hugging Face layout)."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


@dataclass(frozen=True, slots=True)
class Example:
    """One training article in one form, with its features and labels (usable sentences only)."""

    article_id: str
    form: str
    """``as_is`` or ``flat``."""
    rows: list[list[float]]
    labels: list[int]
    solo: list[float]
    sentences: list[int]
    """Which sentence each row is."""
    weight: float = 1.0
    picks: list[int] = field(default_factory=list)
    """The oracle's sentences in the order it picked them."""
    spans: list[tuple[int, int]] = field(default_factory=list)
    """Each row's sentence span in the text of its form (the flat form's text is ``flatten(article)``)."""
    view: SetInput | None = None
    """What the set scorer reads (scores left empty: they come from the out-of-fold sentence models)."""
    tokens: list[list[str]] | None = None
    """Each row's sentence tokenized as ``rouge-score`` does, and the references' tokens: the set scorer's
    targets. None for silver examples (their references are not human highlights)."""
    reference: list[str] | None = None


def _job(args: tuple[Article, tuple[str, ...], str, float, bool, str]) -> Example | None:
    article, references, form, weight, targets, labels = args
    language = article_language(article)
    cleaned = clean(article, language)
    sentences = segment(article.text, cleaned.regions, language=language)
    doc = Document(article, sentences, cleaned.furniture, language=language)
    feats = sentence_features(doc)
    keep = usable(feats)
    if not keep:
        return None
    solo: dict[int, float] = {}
    texts = [s.text for s in doc.sentences]
    if labels == "beam":
        picks = beam_oracle(texts, references, keep, LABEL_K, solo=solo, language=language)
    else:
        picks = greedy_oracle(texts, references, keep, LABEL_K, stop_early=True, solo=solo, language=language)
    rows = feature_rows(doc, feats)
    chosen = set(picks)
    return Example(
        article.id,
        form,
        [rows[i] for i in keep],
        [1 if i in chosen else 0 for i in keep],
        [round(solo.get(i, 0.0), 6) for i in keep],
        keep,
        weight,
        picks,
        [(doc.sentences[i].start, doc.sentences[i].end) for i in keep],
        set_input(doc, feats, [0.0] * len(doc.sentences), keep),
        [rouge_tokens(doc.sentences[i].text, language) for i in keep] if targets else None,
        rouge_tokens("\n".join(references), language) if targets else None,
    )


def article_language(article: Article) -> str | None:
    """An example's language: its record's ``language`` (or ``lang``) field; None for English and for a record
    without one (no detector: a training set's examples must not depend on a guess), so English examples are
    built as they always were."""
    code = declared_language(article.metadata)
    return None if code == "en" else code


def _forms(article: Article, both: bool) -> Iterator[tuple[str, Article]]:
    yield "as_is", article
    if both and "\n" in article.text.strip():
        flat = flatten(article.text)
        yield "flat", Article(article.id, flat, article.title, article.metadata)


def read_examples(
    paths: Sequence[str],
    *,
    weight: float = 1.0,
    flat_copies: bool = True,
    workers: int = 1,
    progress: Callable[[str], None] | None = None,
    set_targets: bool = False,
    labels: str = "greedy",
) -> tuple[list[Example], dict[str, Any]]:
    """Examples from JSON Lines files with ``highlights``, and a record of the data (path, SHA-256, rows).
    With ``set_targets``, each keeps the tokens the set scorer's targets are computed from. ``labels``: the
    oracle (``LABELERS``)."""
    if labels not in LABELERS:
        raise TrainingError(f"unknown labels {labels!r}: expected one of {', '.join(LABELERS)}")
    from nutgraf.evaluate import load_rows

    jobs: list[tuple[Article, tuple[str, ...], str, float, bool, str]] = []
    record = []
    for path in paths:
        rows, failures = load_rows([path])
        unreadable = [f for f in failures if f.id == path]
        if unreadable:
            raise TrainingError(unreadable[0].message)
        if not rows:
            raise TrainingError(f"{path} has no rows with an article and reference highlights")
        skipped: dict[str, int] = {}
        for f in failures:
            skipped[f.reason] = skipped.get(f.reason, 0) + 1
        if skipped and progress:
            what = ", ".join(f"{n} {reason}" for reason, n in sorted(skipped.items()))
            progress(f"{path}: skipped {sum(skipped.values())} rows ({what})")
        for row in rows:
            for form, article in _forms(row.article, flat_copies):
                jobs.append((article, row.references, form, weight, set_targets, labels))
        record.append(
            {
                "path": os.path.basename(path),
                "sha256": file_sha256(path),
                "rows": len(rows),
                "skipped": skipped,
            }
        )
    if progress:
        progress(f"labelling {len(jobs):,} article forms from {', '.join(paths)}")
    results = _map(_job, jobs, workers)
    examples = [e for e in results if e is not None]
    unusable = len(results) - len(examples)
    if unusable and progress:
        progress(f"{unusable} article forms have no usable sentence (5-80 words) and were left out")
    return examples, {"files": record, "examples": len(examples), "no_usable_sentence": unusable}


def _map(fn: Callable[[Any], Any], jobs: list[Any], workers: int) -> list[Any]:
    if workers <= 1 or len(jobs) < 50:
        return [fn(j) for j in jobs]
    import multiprocessing

    # Fork before LightGBM has started any OpenMP threads (libgomp is not fork-safe after that).
    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with ctx.Pool(workers) as pool:
        return pool.map(fn, jobs, chunksize=16)


def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def label_records(examples: Sequence[Example], labels: str = "greedy") -> Iterator[dict[str, Any]]:
    """What ``nutgraf labels`` writes: per article and form, the oracle sentences (from ``labels``'s oracle)
    and soft labels."""
    for e in examples:
        yield {
            "id": e.article_id,
            "form": e.form,
            "sentences": e.sentences,
            "spans": [list(span) for span in e.spans],
            "oracle": e.picks,
            "solo_rouge": e.solo,
            "labeller": f"nutgraf {__version__}: {LABELERS[labels]}",
        }


@dataclass
class TrainConfig:
    data: list[str]
    valid: list[str]
    out: str
    silver: list[str] = field(default_factory=list)
    silver_weight: float = 4.0
    """Calibrated on the Daily Mail dev slice: x1/x4/x8 gave -0.77/-0.57/-0.19 R-1 against lead with the
    study's selector, x4 with nutgraf's selector +0.36; validation lost 0.2-0.5 R-1 (feasibility study)."""
    rounds: int = DEFAULT_ROUNDS
    params: dict[str, Any] = field(default_factory=dict)
    drop_groups: list[str] = field(default_factory=list)
    workers: int = 1
    name: str = "gbdt"
    command: str = ""
    validate: bool = True
    sets: bool = True
    """Train the set scorer (``learned.sets``) on out-of-fold sentence scores of the ``data`` articles."""
    set_rounds: int = 300
    labels: str = "greedy"
    """The oracle the binary labels come from (``LABELERS``): ``greedy`` (the bundled model's) or ``beam``."""


def feature_subset(drop_groups: Sequence[str]) -> list[str]:
    unknown = [g for g in drop_groups if g not in FEATURE_GROUPS]
    if unknown:
        raise TrainingError(f"unknown feature group {unknown[0]!r}. Available: {', '.join(FEATURE_GROUPS)}")
    dropped = {n for g in drop_groups for n in FEATURE_GROUPS[g]}
    names = [n for n in FEATURE_NAMES if n not in dropped]
    if not names:
        raise TrainingError("every feature group was dropped; keep at least one")
    return names


def fit(
    examples: Sequence[Example], names: Sequence[str], params: dict[str, Any], rounds: int, threads: int
) -> Any:
    import lightgbm
    import numpy as np

    if not examples:
        raise TrainingError("no training article has a usable sentence (5-80 words): nothing to learn from")
    columns = [FEATURE_NAMES.index(n) for n in names]
    x = np.asarray([r for e in examples for r in e.rows], dtype=np.float64)[:, columns]
    y = np.asarray([v for e in examples for v in e.labels], dtype=np.float64)
    w = np.asarray([e.weight for e in examples for _ in e.rows], dtype=np.float64)
    if y.sum() == 0:
        raise TrainingError(
            "no sentence matched the reference highlights; are the highlights from these articles?"
        )
    merged = {**DEFAULT_PARAMS, **params, "num_threads": threads}
    dataset = lightgbm.Dataset(x, y, weight=w, feature_name=list(names), free_raw_data=True)
    set_max_threads(threads)
    try:
        return lightgbm.train(merged, dataset, num_boost_round=rounds)
    finally:
        set_max_threads(1)


SET_PARAMS: dict[str, Any] = {**DEFAULT_PARAMS, "objective": "regression", "num_leaves": 31}
SET_TARGET = (
    "ROUGE-1 F + ROUGE-2 F over 2, against the references, minus the article's mean over its candidate sets"
)


def _fold(e: Example) -> int:
    """Two folds by article id (both forms of an article fall in the same one)."""
    return zlib.crc32(e.article_id.encode("utf-8")) % 2


def out_of_fold(
    examples: Sequence[Example], names: Sequence[str], params: dict[str, Any], rounds: int, threads: int
) -> list[tuple[float, ...]]:
    """Each example's sentence scores from a model trained on the other fold, rounded as the scorer rounds
    them, so the set scorer learns from scores like those it will see on unseen articles."""
    import numpy as np

    columns = [FEATURE_NAMES.index(n) for n in names]
    out: list[tuple[float, ...]] = [() for _ in examples]
    for f in (0, 1):
        booster = fit([e for e in examples if _fold(e) != f], names, params, rounds, threads)
        held = [i for i, e in enumerate(examples) if _fold(e) == f]
        x = np.asarray([r for i in held for r in examples[i].rows], dtype=np.float64)[:, columns]
        p = booster.predict(x, num_threads=threads) if len(x) else []
        at = 0
        for i in held:
            n = len(examples[i].rows)
            out[i] = tuple(round(float(v), SCORE_DIGITS) for v in p[at : at + n])
            at += n
    return out


def fit_sets(
    examples: Sequence[Example], scores: Sequence[tuple[float, ...]], rounds: int, threads: int, seed: int = 0
) -> tuple[Any, int]:
    """The set scorer: LightGBM regression from each candidate set's features (``learned.sets``) to its
    ROUGE against the human highlights, relative to the article's other candidate sets. Returns the
    booster and the number of articles it learned from."""
    import lightgbm
    import numpy as np

    x: list[list[float]] = []
    y: list[float] = []
    articles = 0
    for e, s in zip(examples, scores, strict=True):
        if e.view is None or e.tokens is None or e.reference is None:
            continue
        sets, rows = candidate_sets(replace(e.view, scores=s), SIZES)
        if not sets:
            continue
        tokens, reference = e.tokens, e.reference
        values = [set_rouge([tokens[i] for i in c], reference) for c in sets]
        mean = sum(values) / len(values)
        x += rows
        y += [v - mean for v in values]
        articles += 1
    if not x:
        raise TrainingError("no training article has enough usable sentences for a set scorer (--no-sets)")
    dataset = lightgbm.Dataset(np.asarray(x), np.asarray(y), feature_name=list(SET_NAMES), free_raw_data=True)
    set_max_threads(threads)
    try:
        params = {**SET_PARAMS, "seed": seed, "num_threads": threads}
        booster = lightgbm.train(params, dataset, num_boost_round=rounds)
    finally:
        set_max_threads(1)
    return booster, articles


# The thread count is how a model was computed, not what it is (the trees are the same for any count); it is
# left out of the file so that `make model` gives the same bytes on any machine.
_THREADS_LINE = re.compile(r"^\[num_threads: \d+\]\n", re.MULTILINE)


def write_model(
    path: str, booster: Any, metadata: dict[str, Any], fmt: str = MODEL_FORMAT, set_booster: Any = None
) -> None:
    """Gzipped JSON, byte-for-byte reproducible (no timestamps in the gzip header), written atomically.
    ``fmt`` names the file's format: the scorer's, or the compressor's. ``set_booster`` (the set scorer)
    is stored beside the sentence booster, its digest in ``metadata["sets"]``."""
    text = _THREADS_LINE.sub("", booster.model_to_string())
    body: dict[str, Any] = {
        "format": fmt,
        "metadata": {**metadata, "booster_sha256": booster_digest(text)},
        "booster": text,
    }
    if set_booster is not None:
        set_text = _THREADS_LINE.sub("", set_booster.model_to_string())
        body["metadata"]["sets"] = {**metadata["sets"], "booster_sha256": booster_digest(set_text)}
        body["set_booster"] = set_text
    raw = json.dumps(body, indent=1, sort_keys=True).encode("utf-8")
    tmp = f"{path}.tmp"
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(tmp, "wb") as fh:
        fh.write(gzip.compress(raw, compresslevel=9, mtime=0))
    os.replace(tmp, path)


def validation_scores(model_path: str, paths: Sequence[str], k: int | None = None) -> dict[str, Any]:
    """ROUGE of the model and of ``lead`` on each validation file (one process: LightGBM has threads)."""
    from nutgraf.evaluate import METRICS, load_rows, score_rows

    out: dict[str, Any] = {}
    names = [os.path.basename(p) for p in paths]
    for path, name in zip(paths, names, strict=True):
        rows, _ = load_rows([path])
        results = score_rows(rows, ["lead", "gbdt"], k=k, workers=1, model=model_path)
        entry: dict[str, Any] = {"file": name, "sha256": file_sha256(path), "rows": len(rows)}
        for method in ("gbdt", "lead"):
            entry[method] = {
                m: round(100 * sum(r[method]["scores"][m][2] for r in results) / max(len(results), 1), 2)
                for m in METRICS
            }
        out[name if names.count(name) == 1 else path] = entry
    return out


def _check_before_work(config: TrainConfig) -> None:
    """What can be known wrong before minutes of labelling: validation files without rows, an output that
    cannot be written."""
    from nutgraf.evaluate import load_rows

    if config.validate:
        for path in config.valid:
            rows, failures = load_rows([path])
            if not rows:
                why = failures[0].message if failures else "no rows"
                raise TrainingError(f"{path}: nothing to validate on ({why})")
    out = Path(config.out)
    if out.is_dir():
        raise TrainingError(f"{out} is a directory; --out names the model file to write")
    if not out.parent.is_dir():
        raise TrainingError(f"cannot write the model to {out}: the directory {out.parent} does not exist")
    try:
        with open(f"{out}.tmp", "wb"):
            pass
        os.unlink(f"{out}.tmp")
    except OSError as exc:
        raise TrainingError(f"cannot write the model to {out}: {exc.strerror or exc}") from None


def train(config: TrainConfig, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Train, validate and write a model file; returns its metadata."""
    say = progress or (lambda _msg: None)
    names = feature_subset(config.drop_groups)
    _check_before_work(config)
    started = time.time()
    examples, data_record = read_examples(
        config.data, workers=config.workers, progress=say, set_targets=config.sets, labels=config.labels
    )
    silver_record: dict[str, Any] | None = None
    if config.silver:
        silver, silver_record = read_examples(
            config.silver,
            weight=config.silver_weight,
            workers=config.workers,
            progress=say,
            labels=config.labels,
        )
        examples += silver
    say(f"training on {sum(len(e.rows) for e in examples):,} sentences of {len(examples):,} article forms")
    set_booster, sets_record = None, None
    if config.sets:
        say("scoring each training article with a model trained on the other half (for the set scorer)")
        oof = out_of_fold(examples, names, config.params, config.rounds, config.workers)
        say("training the set scorer")
        seed = int(config.params.get("seed", DEFAULT_PARAMS["seed"]))
        set_booster, set_articles = fit_sets(examples, oof, config.set_rounds, config.workers, seed)
        sets_record = {
            "version": SET_VERSION,
            "names": list(SET_NAMES),
            "pool": POOL,
            "sizes": list(SIZES),
            "target": SET_TARGET,
            "articles": set_articles,
            "params": {**SET_PARAMS, "seed": seed},
            "rounds": config.set_rounds,
        }
    say(f"training the sentence scorer ({config.rounds} rounds)")
    booster = fit(examples, names, config.params, config.rounds, config.workers)
    import lightgbm

    metadata: dict[str, Any] = {
        "name": config.name,
        "scorer": SCORER_NAME,
        "features": {"version": FEATURE_VERSION, "names": names, "dropped_groups": config.drop_groups},
        "training": {
            "command": config.command,
            "data": data_record,
            "silver": silver_record,
            "silver_weight": config.silver_weight if config.silver else None,
            "labels": LABELERS[config.labels],
            "paragraph_forms": "as_is + flat",
            "params": {**DEFAULT_PARAMS, **config.params},
            "rounds": config.rounds,
            "lightgbm": lightgbm.__version__,
            "nutgraf": __version__,
            "python": platform.python_version(),
        },
        "validation": None,
    }
    if sets_record is not None:
        metadata["sets"] = sets_record
    write_model(config.out, booster, metadata, set_booster=set_booster)
    if config.valid and config.validate:
        say(f"validating on {', '.join(config.valid)}")
        metadata["validation"] = validation_scores(config.out, config.valid)
        write_model(config.out, booster, metadata, set_booster=set_booster)
    metadata["seconds"] = round(time.time() - started, 1)
    return metadata
