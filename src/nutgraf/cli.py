"""The ``nutgraf`` command: a thin shell over ``nutgraf.pipeline``.

Exit codes: 0 everything summarized; 1 some input could not be summarized (each one reported on stderr, and
as an error row in JSON output); 2 usage error (bad option, missing file, URL). No traceback for user
mistakes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, NoReturn

from nutgraf._version import __version__
from nutgraf.contracts import MAX_K, Article, NutgrafError, Options, Rejection
from nutgraf.features import FEATURE_GROUPS
from nutgraf.ingest import INPUT_FORMATS, Input, UsageError, max_bytes_from_env, open_input
from nutgraf.progress import Progress
from nutgraf.registry import method_names, resolve
from nutgraf.render import FORMATS, rejection_to_dict, render, sentences_to_json

GBDT = "nutgraf.scorer.gbdt.v1"

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _positive_int(limit: int | None = None) -> type[int]:
    class PositiveInt(int):
        def __new__(cls, raw: str) -> PositiveInt:
            try:
                value = int(raw)
            except ValueError:
                raise argparse.ArgumentTypeError(f"expected a whole number, got {raw!r}") from None
            if value < 1 or (limit is not None and value > limit):
                bound = f"between 1 and {limit}" if limit else "at least 1"
                raise argparse.ArgumentTypeError(f"must be {bound}, got {value}")
            return int.__new__(cls, value)

    return PositiveInt


def _positive_seconds(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {raw!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {raw}")
    return value


def _method(raw: str) -> str:
    try:
        resolve(raw)
    except NutgrafError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return raw


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"nutgraf: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="nutgraf",
        description="Key points for news articles: highlight sentences taken from the article's own words, "
        "each with character spans back into the input. No network access, ever.",
        epilog="Exit codes: 0 ok, 1 some input could not be summarized, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"nutgraf {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add_input(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "file", nargs="?", default="-", metavar="FILE", help="input file, or - for stdin (default)"
        )
        p.add_argument(
            "--input-format",
            choices=INPUT_FORMATS,
            default="auto",
            help="text, html (article body extracted with trafilatura), jsonl (one record per line: "
            '{"id", "text" or "article", "title"?}); auto (default) decides by file name and content',
        )
        p.add_argument("--encoding", help="decode the input with this encoding (default: UTF-8, or a BOM's)")
        add_max_bytes(p)

    def add_model(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--model",
            metavar="PATH",
            default=None,
            help="model file for the learned method (gbdt), e.g. one trained on your archive with "
            "'nutgraf train' (default: the model nutgraf ships)",
        )

    def add_compress(p: argparse.ArgumentParser, cap: bool = True) -> None:
        p.add_argument(
            "--compress",
            action=argparse.BooleanOptionalAction,
            default=False,
            help="shorten each key point by deleting what editors delete (attribution tails, relative and "
            "appositive clauses, parentheticals, leading time phrases); never adds a word (default: off)",
        )
        if not cap:
            return
        p.add_argument(
            "--max-words-per-point",
            type=_positive_int(),
            default=None,
            metavar="N",
            help="delete further such units while a key point is longer than N words",
        )

    def add_workers(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--workers",
            type=_positive_int(),
            default=os.cpu_count() or 1,
            help="processes (default: all cores)",
        )

    def add_max_bytes(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--max-bytes",
            type=_positive_int(),
            default=None,
            help="largest document accepted, in bytes (default 5,000,000, or $NUTGRAF_MAX_BYTES)",
        )

    s = sub.add_parser(
        "summarize",
        help="print the key points of an article",
        description="Print the key points of an article (or of every record of a JSON Lines file).",
    )
    add_input(s)
    s.add_argument("-k", type=_positive_int(MAX_K), default=None, help="number of key points (default 3)")
    s.add_argument(
        "--max-words",
        type=_positive_int(),
        default=None,
        help="word budget for all key points together; sentences are never cut",
    )
    s.add_argument("--max-chars", type=_positive_int(), default=None, help="character budget, likewise")
    s.add_argument(
        "--method",
        type=_method,
        default="default",
        help=f"how to score sentences: {', '.join(method_names())} (default: default)",
    )
    s.add_argument("--format", choices=FORMATS, default="text", help="output format (default text)")
    s.add_argument(
        "--order",
        choices=("doc", "score"),
        default="doc",
        help="key points in document order (default) or by score",
    )
    s.add_argument(
        "--no-repair",
        dest="repair",
        action="store_false",
        help="only warn about key points that open with a dangling pronoun or connective, do not repair them",
    )
    s.add_argument(
        "--references",
        metavar="FILE",
        help="reference highlights, one per line, for --method oracle on a single text/HTML document",
    )
    s.add_argument(
        "--title", help="the article's title (used to keep a repeated headline out of the key points)"
    )
    s.add_argument(
        "--explain",
        action="store_true",
        help="show each key point's score and the features that moved it most (learned method)",
    )
    add_model(s)
    add_compress(s)

    g = sub.add_parser(
        "segment",
        help="print an article's sentences",
        description="Print the sentences of a text, one per line, or as JSON with character offsets.",
    )
    add_input(g)
    g.add_argument("--format", choices=("text", "json"), default="text")
    g.add_argument("--clean", action="store_true", help="leave out page furniture (datelines, bylines, ...)")

    e = sub.add_parser(
        "evaluate",
        help="ROUGE of methods, baselines and peers on reference highlights",
        description="Score methods, baselines and peers with ROUGE (Google's rouge-score, stemming on; "
        "rougeLsum over newline-joined sentences) on JSON Lines rows with 'article' (or 'text') and "
        "'highlights'. Means with bootstrap 95%% CIs and a paired comparison with lead.",
    )
    e.add_argument("data", nargs="+", metavar="DATA", help="JSON Lines files (.jsonl or .jsonl.gz)")
    e.add_argument(
        "--methods",
        default="lead,textrank,oracle",
        help="comma-separated: nutgraf methods (default, lead, textrank, oracle), lead3-plain, peers "
        "(sumy-lexrank, sumy-textrank, sumy-lsa, lede), or 'all' (default: lead,textrank,oracle)",
    )
    e.add_argument("-k", type=_positive_int(MAX_K), default=3, help="key points per article (default 3)")
    e.add_argument("--limit", type=_positive_int(), default=None, help="score only the first N rows")
    e.add_argument(
        "--by", action="append", default=[], metavar="COLUMN", help="breakdown by a column (repeatable)"
    )
    e.add_argument("--format", choices=("text", "json", "md"), default="text")
    e.add_argument("--per-article", metavar="OUT.jsonl", help="write one row per article and method")
    e.add_argument("--plot", metavar="OUT.png", help="write a bar chart of methods x ROUGE with 95%% CIs")
    add_workers(e)
    e.add_argument(
        "--speed", action="store_true", help="also measure articles/s per core and peak memory per method"
    )
    e.add_argument("--seed", type=int, default=None, help="bootstrap seed (default fixed)")
    add_model(e)
    add_compress(e, cap=False)

    b = sub.add_parser(
        "batch",
        help="summarize many articles into one JSON Lines file, crash-safely",
        description="Summarize every record of the inputs into OUT (JSON Lines; .gz for gzip), in input order, "
        "one row per record: the summary (as summarize --format json) or {id, error: {reason, message}}. "
        "Safe to kill at any moment: --resume continues where the last run stopped.",
    )
    b.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="JSON Lines (.jsonl, .jsonl.gz; '-' for stdin), a directory of .txt/.html files, or RSS/Atom feed files",
    )
    b.add_argument("--out", required=True, metavar="OUT", help="output JSON Lines file (.jsonl or .jsonl.gz)")
    add_workers(b)
    b.add_argument("--resume", action="store_true", help="continue an interrupted job with the same command")
    b.add_argument("--overwrite", action="store_true", help="replace an existing output instead of refusing")
    b.add_argument("-k", type=_positive_int(MAX_K), default=None, help="key points per article (default 3)")
    b.add_argument("--max-words", type=_positive_int(), default=None, help="word budget per article")
    b.add_argument(
        "--method", type=_method, default="default", help=f"{', '.join(method_names())} (default: default)"
    )
    b.add_argument(
        "--engine", choices=("local", "dask"), default="local", help="local processes, or a Dask cluster"
    )
    b.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="Dask scheduler (default: a local cluster)")
    b.add_argument(
        "--shard-size", type=_positive_int(), default=1000, help="records per Dask shard (default 1000)"
    )
    add_max_bytes(b)
    add_model(b)
    add_compress(b)

    v = sub.add_parser(
        "serve",
        help="run the HTTP API and the editors' web page",
        description="Run nutgraf's HTTP service (POST /v1/summarize, /v1/summarize/batch, GET /v1/methods, "
        "/healthz, /metrics, /docs) and the web page at /. Needs: pip install 'nutgraf[serve]'.",
    )
    v.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    v.add_argument("--port", type=_positive_int(65535), default=8080, help="port (default 8080)")
    v.add_argument("--workers", type=_positive_int(), default=1, help="server processes (default 1)")
    v.add_argument(
        "--max-body-bytes", type=_positive_int(), default=None, help="largest request body (default 2 MB)"
    )
    v.add_argument(
        "--max-batch", type=_positive_int(), default=None, help="documents per batch request (default 32)"
    )
    v.add_argument("--timeout", type=_positive_seconds, default=None, help="seconds per request (default 10)")
    v.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    add_model(v)

    t = sub.add_parser(
        "train",
        help="train the learned scorer on articles with highlights (e.g. your own archive)",
        description="Train the learned scorer (LightGBM over nutgraf's sentence features) on JSON Lines rows "
        "with 'article' (or 'text') and 'highlights', validate it against lead, and write a model file "
        "for --model. The file records the data's SHA-256, the feature version, this command and the "
        "validation scores.",
    )
    t.add_argument(
        "--data", action="append", required=True, metavar="TRAIN", help="training file (repeatable)"
    )
    t.add_argument(
        "--valid", action="append", default=[], metavar="VALID", help="validation file (repeatable)"
    )
    t.add_argument("--out", required=True, metavar="MODEL", help="the model file to write (.json.gz)")
    t.add_argument(
        "--silver",
        action="append",
        default=[],
        metavar="FILE",
        help="extra rows whose highlights are machine-written (silver labels), down- or up-weighted",
    )
    t.add_argument("--silver-weight", type=float, default=4.0, help="weight of a silver sentence (default 4)")
    t.add_argument("--rounds", type=_positive_int(), default=200, help="boosting rounds (default 200)")
    t.add_argument(
        "--drop-groups",
        default="",
        metavar="G1,G2",
        help="feature groups to leave out (for ablations): " + ", ".join(FEATURE_GROUPS),
    )
    t.add_argument("--name", default="gbdt", help="the model's name, recorded in every summary it makes")
    add_workers(t)

    lab = sub.add_parser(
        "labels",
        help="write the training labels (greedy-oracle sentences and per-sentence ROUGE) of articles",
        description="For every row (article + highlights) and form (as is, and flattened when it has "
        "paragraph breaks): the usable sentences, the greedy ROUGE-1+2 oracle's picks (binary labels) and "
        "each sentence's own ROUGE-1 F + ROUGE-2 F against the highlights (soft labels).",
    )
    lab.add_argument("data", nargs="+", metavar="DATA", help="JSON Lines files with highlights")
    lab.add_argument("--out", required=True, metavar="OUT", help="output JSON Lines (.jsonl or .jsonl.gz)")
    lab.add_argument(
        "--no-flat", dest="flat", action="store_false", help="only the text as it is, no flattened copy"
    )
    add_workers(lab)

    mi = sub.add_parser(
        "model",
        help="show a model file's metadata",
        description="Show what a model file records: name, features, training data and command, validation.",
    )
    mi.add_argument(
        "path", nargs="?", default=None, metavar="MODEL", help="model file (default: the bundled one)"
    )

    sub.add_parser("methods", help="list the available methods", description="List the available methods.")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "methods":
            return _methods()
        if args.command == "evaluate":
            return _evaluate(args)
        if args.command == "batch":
            return _batch(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "train":
            return _train(args)
        if args.command == "labels":
            return _labels(args)
        if args.command == "model":
            return _model_info(args)
        if getattr(args, "file", None) == "-" and sys.stdin.isatty():
            raise UsageError(
                "no input: pass a FILE, or pipe the article into nutgraf (… | nutgraf summarize -)"
            )
        if args.command == "segment":
            return _segment(args)
        return _summarize(args)
    except (NutgrafError, ValueError) as exc:
        print(f"nutgraf: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (``nutgraf ... | head``): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("nutgraf: interrupted", file=sys.stderr)
        return 130


def _methods() -> int:
    for name in method_names():
        alias, versioned = resolve(name)
        suffix = f" (= {alias})" if name == "default" else ""
        if versioned == GBDT and name != "default":
            from nutgraf.model import load_model

            suffix = f", model {load_model().id} (bundled)"
        print(f"{name:10s} {versioned}{suffix}")
    return EXIT_OK


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _printable(doc_id: str) -> str:
    """An id as it may appear in a one-line message: control characters (a newline in an id) escaped."""
    return _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], doc_id)


def _report(rejection: Rejection) -> None:
    doc_id = _printable(rejection.article_id)
    print(f"nutgraf: {doc_id}: {rejection.message} [{rejection.reason}]", file=sys.stderr)


def _open(args: argparse.Namespace) -> Input:
    return open_input(
        args.file,
        input_format=args.input_format,
        encoding=args.encoding,
        max_bytes=args.max_bytes or max_bytes_from_env(),
    )


def _summarize(args: argparse.Namespace) -> int:
    from nutgraf.pipeline import prepare, summarize_article

    references: tuple[str, ...] = ()
    if args.references:
        try:
            with open(args.references, encoding="utf-8") as fh:
                references = tuple(line.strip() for line in fh if line.strip())
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{args.references}: cannot read the references ({exc})") from exc
    options = Options(
        k=args.k,
        max_words=args.max_words,
        max_chars=args.max_chars,
        method=args.method,
        order=args.order,
        repair=args.repair,
        references=references,
        model=args.model,
        explain=args.explain,
        compress=args.compress,
        max_words_per_point=args.max_words_per_point,
    )
    _check_model(args.model, [args.method])
    prepare(options)
    source = _open(args)
    failed = 0
    count = 0
    many = source.format == "jsonl"
    for record in source.records:
        count += 1
        if args.title and isinstance(record, Article) and not record.title:
            record = replace(record, title=args.title)
        result = record if isinstance(record, Rejection) else summarize_article(record, options)
        if isinstance(result, Rejection):
            failed += 1
            _report(result)
            if args.format == "json":
                print(json.dumps(rejection_to_dict(result), ensure_ascii=False), flush=many)
            continue
        article = record if isinstance(record, Article) else None
        for notice in result.warnings:
            print(f"nutgraf: {_printable(result.article_id)}: warning: {notice.message}", file=sys.stderr)
        if args.format == "json":
            print(render(result, "json", article, indent=None if many else 2), flush=many)
        else:
            if many:
                print(("\n" if count > 1 else "") + f"# {_printable(result.article_id)}")
            print(render(result, args.format, article), flush=many)
    if count == 0:
        print("nutgraf: no records in the input", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_FAILED if failed else EXIT_OK


def _evaluate(args: argparse.Namespace) -> int:
    from nutgraf import evaluate as ev

    methods = ev.expand_methods(args.methods)
    _check_model(args.model, methods)
    rows, failures = ev.load_rows(args.data, args.limit)
    for f in failures:
        print(f"nutgraf: {_printable(f.id)}: {f.message} [{f.reason}]", file=sys.stderr)
    if not rows:
        print("nutgraf: error: no rows to score (see the messages above)", file=sys.stderr)
        return EXIT_FAILED
    for column in args.by:
        if all(column not in row.article.metadata for row in rows):
            print(
                f"nutgraf: warning: no row has a {column!r} column; its breakdown has one group, 'unknown'",
                file=sys.stderr,
            )
    report = ev.evaluate(
        rows,
        methods,
        k=args.k,
        by=args.by,
        workers=args.workers,
        failures=failures,
        seed=ev.SEED if args.seed is None else args.seed,
        progress=Progress("scoring"),
        model=args.model,
        compress=args.compress,
    )
    if args.speed:
        report.speed = ev.measure_speed(rows, methods, k=args.k, model=args.model, compress=args.compress)
    if args.per_article:
        with open(args.per_article, "w", encoding="utf-8") as out:
            for row in ev.per_article_rows(report):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    if args.plot:
        ev.plot_report(report, args.plot)
    print(ev.render_report(report, args.format))
    method_failures = [f for f in report.failures if f.method]
    if method_failures:
        print(f"nutgraf: {len(method_failures)} method failures on valid rows (scored 0)", file=sys.stderr)
    return EXIT_FAILED if report.failures else EXIT_OK


def _batch(args: argparse.Namespace) -> int:
    # An absolute path: batch workers (and Dask workers on other machines) may run elsewhere.
    model = os.path.abspath(os.path.expanduser(args.model)) if args.model else None
    options = Options(
        k=args.k,
        max_words=args.max_words,
        method=args.method,
        model=model,
        compress=args.compress,
        max_words_per_point=args.max_words_per_point,
    )
    _check_model(args.model, [args.method])
    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler goes with --engine dask")
    progress = Progress("nutgraf batch", unit="records")
    common = {
        "resume": args.resume,
        "overwrite": args.overwrite,
        "max_bytes": args.max_bytes or max_bytes_from_env(),
        "progress": progress if progress.enabled else None,  # no bar, no extra pass to count records
    }
    from nutgraf.batch import WorkerDied

    try:
        tally = _run_batch(args, options, common)
    except WorkerDied as exc:
        progress.close()
        print(f"nutgraf: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        raise UsageError(f"cannot write the output {args.out}: {exc.strerror or exc}") from exc
    progress.close()
    print(tally.line(), file=sys.stderr)
    if tally.records == 0:
        print("nutgraf: no records in the input", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_FAILED if tally.failed else EXIT_OK


def _run_batch(args: argparse.Namespace, options: Options, common: dict[str, Any]) -> Any:
    if args.engine == "dask":
        from nutgraf.dask_engine import run_dask

        return run_dask(
            args.inputs,
            args.out,
            options,
            scheduler=args.scheduler,
            workers=args.workers,
            shard_size=args.shard_size,
            **common,
        )
    from nutgraf.batch import run_local

    return run_local(args.inputs, args.out, options, workers=args.workers, **common)


def _serve(args: argparse.Namespace) -> int:
    # Limits travel by environment so that every --workers process builds the same app.
    for flag, name in (
        ("max_body_bytes", "NUTGRAF_SERVE_MAX_BODY_BYTES"),
        ("max_batch", "NUTGRAF_SERVE_MAX_BATCH"),
        ("timeout", "NUTGRAF_SERVE_TIMEOUT"),
    ):
        value = getattr(args, flag)
        if value is not None:
            os.environ[name] = str(value)
    if args.model:
        _check_model(args.model, ["gbdt"])
        os.environ["NUTGRAF_MODEL"] = os.path.abspath(os.path.expanduser(args.model))
    try:
        from nutgraf.serve import ServeConfig
        from nutgraf.serve import main as serve_main
    except ImportError as exc:
        raise UsageError(
            f"nutgraf serve needs the serve extra: pip install 'nutgraf[serve]' ({exc})"
        ) from exc
    # Check the whole configuration (limits, NUTGRAF_MODEL) here, once: a worker process that fails at
    # start would be restarted by uvicorn forever.
    from nutgraf.pipeline import prepare

    config = ServeConfig.from_env()
    prepare(Options(method="gbdt", model=config.model))
    serve_main(args.host, int(args.port), int(args.workers), args.log_level)
    return EXIT_OK


def _scorer_of(method: str) -> str | None:
    from nutgraf.evaluate import base_method

    try:
        return resolve(base_method(method))[1]
    except NutgrafError:
        return None  # a peer or lead3-plain


def _check_model(model: str | None, methods: Sequence[str]) -> None:
    """Fail before any work when a model file is given but unusable, or given to methods that ignore it."""
    if model is None:
        return
    from nutgraf.model import load_model

    learned = [m for m in methods if _scorer_of(m) == GBDT]
    if not learned:
        raise UsageError(
            f"--model only applies to the learned method (gbdt); {', '.join(methods)} would ignore it"
        )
    load_model(model)


def _train(args: argparse.Namespace) -> int:
    import shlex

    from nutgraf.train import TrainConfig, train

    config = TrainConfig(
        data=args.data,
        valid=args.valid,
        out=args.out,
        silver=args.silver,
        silver_weight=args.silver_weight,
        rounds=args.rounds,
        drop_groups=[g.strip() for g in args.drop_groups.split(",") if g.strip()],
        workers=args.workers,
        name=args.name,
        command=shlex.join(["nutgraf", *sys.argv[1:]]) if sys.argv[1:2] == ["train"] else "nutgraf train",
    )
    for path in [*config.data, *config.valid, *config.silver]:
        if not os.path.isfile(path):
            raise UsageError(f"{path}: no such file")
    meta = train(config, progress=lambda msg: print(f"nutgraf: {msg}", file=sys.stderr))
    print(f"wrote {args.out} ({os.path.getsize(args.out):,} bytes) in {meta['seconds']} s")
    for name, entry in (meta.get("validation") or {}).items():
        print(f"{name} ({entry['rows']} rows)   R-1 / R-2 / R-Lsum")
        for method in ("gbdt", "lead"):
            v = entry[method]
            print(f"  {method:5s} {v['rouge1']:6.2f} {v['rouge2']:6.2f} {v['rougeLsum']:6.2f}")
    return EXIT_OK


def _labels(args: argparse.Namespace) -> int:
    import gzip

    from nutgraf.train import label_records, read_examples

    for path in args.data:
        if not os.path.isfile(path):
            raise UsageError(f"{path}: no such file")
    examples, _ = read_examples(args.data, flat_copies=args.flat, workers=args.workers)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in label_records(examples)).encode("utf-8")
    try:
        with open(args.out, "wb") as fh:
            fh.write(gzip.compress(lines, mtime=0) if args.out.endswith(".gz") else lines)
    except OSError as exc:
        raise UsageError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    print(f"wrote {len(examples):,} labelled article forms to {args.out}", file=sys.stderr)
    return EXIT_OK


def _model_info(args: argparse.Namespace) -> int:
    from nutgraf.model import load_model

    model = load_model(args.path)
    meta = dict(model.metadata)
    print(json.dumps({"path": model.source, "id": model.id, **meta}, indent=2, ensure_ascii=False))
    return EXIT_OK


def _segment(args: argparse.Namespace) -> int:
    from nutgraf.clean import clean
    from nutgraf.segment import segment

    failed = 0
    for record in _open(args).records:
        if isinstance(record, Rejection):
            failed += 1
            _report(record)
            continue
        regions = clean(record).regions if args.clean else None
        sentences = segment(record.text, regions)
        if args.format == "json":
            print(sentences_to_json(sentences))
        else:
            for s in sentences:
                print(" ".join(s.text.split()))
    return EXIT_FAILED if failed else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
