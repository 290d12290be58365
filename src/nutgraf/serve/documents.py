"""The library calls behind the routes: a request's options to ``Options``, its document to an ``Article``
(or uploaded bytes to records, by the CLI's input-format table), the ``Summarizer``, and
``render.result_to_dict``. No policy of the service's own but one: a request never names a file on the
server, so ``model`` may only name the model the server was started with.
"""

from __future__ import annotations

import functools
import gzip
import io
import zlib
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any

from pydantic import ValidationError

from nutgraf.contracts import Article, Options, Rejection
from nutgraf.errors import OptionError, UsageError
from nutgraf.ingest import Reading, from_html, from_text, open_bytes
from nutgraf.learned.model import bundled_model_path
from nutgraf.pipeline import compile_trees, summarizer_for
from nutgraf.registry import get_scorer, method_names
from nutgraf.render import error_dict, result_to_dict
from nutgraf.serve.config import ServeConfig
from nutgraf.serve.schema import FileQuery, SummarizeRequest, describe_errors, encodable


class Refused(UsageError):
    """A request refused as a whole with its own status and reason (413 too_large, 422 too_many_documents);
    any other ``UsageError`` is a 422 ``invalid_request``."""

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ServedModel:
    """The model this server was started with, which is all a request's ``model`` may name."""

    path: str | None = None
    """``ServeConfig.model``: the file given at start, or None for the bundled model."""
    model_id: str | None = None
    """``name@sha256-prefix`` of that model."""

    @classmethod
    def load(cls, path: str | None) -> ServedModel:
        """Build every method's ``Summarizer`` now, so a bad model file fails at start, not on a request."""
        ids = [summarizer_for(_options(method, path)).model_id for method in method_names()]
        compile_trees(_options("default", path))  # the compiled trees now: no request pays for loading them
        return cls(path, next((i for i in ids if i), None))

    @property
    def names(self) -> tuple[str, ...]:
        """What ``model`` may be: the model's id, its name, or the path the server was started with."""
        name = self.model_id.partition("@")[0] if self.model_id else None
        return tuple(dict.fromkeys(n for n in (self.model_id, name, self.path) if n))

    def model_for(self, method: str, requested: str | None) -> str | None:
        """``Options.model`` for a request: the served file for a method that reads a model, else None. A
        ``model`` that names anything else is refused; one given for a method without a model is passed on,
        so that the ``Summarizer`` refuses it as it does for the CLI."""
        if requested is None:
            return self.path if get_scorer(method).uses_model else None
        if requested not in self.names:
            served = " or ".join(repr(n) for n in self.names[:2]) or "its bundled model"
            also = " (or the path it was started with)" if self.path else ""
            raise OptionError(
                f"model {requested!r} is not served here: this server runs {served}{also}; "
                "leave model out to use it (a request cannot load another model file)"
            )
        return self.path or str(bundled_model_path())


def _options(method: str, path: str | None) -> Options:
    return Options(method=method, model=path if get_scorer(method).uses_model else None)


@functools.cache
def _bundled() -> ServedModel:
    return ServedModel.load(None)


def request_options(given: dict[str, Any], served: ServedModel) -> Options:
    """``Options`` from a request's options; raises ``UsageError`` (``OptionError``, ``UnknownName``) with
    the message the CLI would give."""
    model = served.model_for(given.get("method", "default"), given.get("model"))
    return Options(**{**given, "model": model})


def summarize_request(
    req: SummarizeRequest, fallback_id: str = "document", served: ServedModel | None = None
) -> dict[str, Any]:
    """The summary's JSON (as ``nutgraf summarize --format json``, with the extracted ``text`` for HTML) or
    the rejected document's ``{"id", "error": {"reason", "code", "message"}}``. Raises ``UsageError`` for
    options that cannot work."""
    summarizer = summarizer_for(request_options(req.given_options(), served or _bundled()))
    article = _article(req, fallback_id)
    return result_to_dict(summarizer(article), article)


def _article(req: SummarizeRequest, fallback_id: str) -> Article | Rejection:
    doc_id = req.id or fallback_id
    if req.html is None:
        return from_text(req.text or "", doc_id, title=req.title)
    article = from_html(req.html, doc_id)
    if isinstance(article, Article) and req.title and article.title != req.title:
        article = replace(article, title=req.title)
    return article


def summarize_item(raw: dict[str, Any], n: int, served: ServedModel) -> dict[str, Any]:
    """One document of a batch, answered or failed on its own (an invalid one too)."""
    fallback = f"document-{n + 1}"
    try:
        req = SummarizeRequest.model_validate(raw)
    except ValidationError as exc:
        return _invalid(_raw_id(raw, fallback), describe_errors(exc.errors()))
    try:
        return summarize_request(req, fallback, served)
    except UsageError as exc:
        return _invalid(req.id or fallback, str(exc))


def _invalid(doc_id: str, message: str) -> dict[str, Any]:
    return {"id": doc_id, "error": error_dict("invalid_request", message)}


def _raw_id(raw: dict[str, Any], fallback: str) -> str:
    raw_id = raw.get("id")
    if isinstance(raw_id, str) and len(raw_id) <= 500 and encodable(raw_id):
        return raw_id
    return fallback


def summarize_upload(
    data: bytes, query: FileQuery, served: ServedModel, config: ServeConfig
) -> dict[str, Any]:
    """An uploaded file, read as a file of that name would be (``ingest.open_bytes``): ``{"format",
    "results"}`` with one result per record. Refuses more than ``max_batch`` records (counting stops there),
    and a gzipped upload that inflates past the body limit."""
    summarizer = summarizer_for(request_options(query.given_options(), served))
    reading = Reading(query.input_format, query.encoding, config.max_body_bytes)  # UsageError: a 422
    check_inflated_size(data, config.max_body_bytes)
    opened = open_bytes(data, query.filename, reading)
    records = list(islice(opened.records, config.max_batch + 1))
    if len(records) > config.max_batch:
        message = f"at most {config.max_batch} records per upload; this file has more"
        raise Refused(422, "too_many_documents", message)
    return {"format": opened.format, "results": [result_to_dict(summarizer(r), r) for r in records]}


_GZIP = b"\x1f\x8b"


def check_inflated_size(data: bytes, limit: int) -> None:
    """Refuse (413) a gzipped upload whose content is over ``limit`` bytes: the body limit bounds what is
    read, compressed or not. Ingest then reads the bytes as they came, as it reads a .gz file (one level of
    gzip; a corrupt stream is its to report)."""
    if not data.startswith(_GZIP):
        return
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            size = len(stream.read(limit + 1))
    except (OSError, EOFError, zlib.error):
        return
    if size > limit:
        raise Refused(413, "too_large", f"the uploaded file inflates to over {limit:,} bytes")
