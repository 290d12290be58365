"""The service's request and response models, and its one error response.

The option fields of a request are not typed here: they are built from ``contracts.OPTION_SPECS`` (name,
help, limits, choices), so an option added there appears in the JSON body, the file upload's query
parameters and the OpenAPI schema without a line changed here. The limits in the schema document the API
and refuse the obvious early; ``Options`` and ``Summarizer`` still validate everything, as for the CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

from fastapi.responses import JSONResponse
from pydantic import AfterValidator, AliasChoices, BaseModel, ConfigDict, Field, create_model, model_validator
from pydantic.config import JsonDict

from nutgraf.contracts import OPTION_SPEC, OPTION_SPECS, OptionSpec
from nutgraf.errors import NutgrafError
from nutgraf.ingest import INPUT_FORMATS
from nutgraf.registry import method_names
from nutgraf.render import error_dict


def encodable(value: str) -> bool:
    """Whether a string can be written as UTF-8 (JSON's ``\\ud800`` escapes give lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _valid_unicode(value: str) -> str:
    if not encodable(value):
        raise ValueError("contains a lone surrogate (an invalid \\ud800-\\udfff escape): not valid Unicode")
    return value


Text = Annotated[str, AfterValidator(_valid_unicode)]
"""Every string a request carries: valid Unicode, so that it can be echoed back in an answer."""

_TYPES: dict[str, Any] = {"int": int, "float": float, "bool": bool, "str": Text, "strs": list[Text]}


def _limits(spec: OptionSpec) -> dict[str, float]:
    def number(x: float) -> float:
        return int(x) if spec.kind == "int" else x

    limits: dict[str, float] = {}
    if spec.minimum is not None:
        limits["gt" if spec.exclusive_minimum else "ge"] = number(spec.minimum)
    if spec.maximum is not None:
        limits["le"] = number(spec.maximum)
    return limits


def option_field(spec: OptionSpec, *, strict: bool) -> tuple[Any, Any]:
    """A pydantic field for one option: optional (unset means the ``Options`` default), with the spec's help
    as description and its limits. ``strict`` (JSON) refuses ``"2"``, ``true`` or ``2.5`` for a number;
    query parameters are strings, so they are converted."""
    if spec.kind == "choice":
        base: Any = cast(Any, Literal)[spec.choices]
    else:
        base = _TYPES[spec.kind]
    numeric = spec.kind in ("int", "float", "bool")
    typed = Annotated[base, Field(strict=strict if numeric else None, **_limits(spec))]
    extra = _method_names if spec.name == "method" else None
    # Unset is None, the default, which is never validated: an explicit null is refused like any other
    # value of the wrong type, as the schema says.
    if spec.name == "language":  # "lang" in a request, as --lang on the command line; "language" works too
        return typed, Field(
            None,
            description=spec.help,
            validation_alias=AliasChoices("lang", "language"),
            serialization_alias="lang",
        )
    return typed, Field(None, description=spec.help, json_schema_extra=extra)


def _method_names(schema: JsonDict) -> None:
    """The method's choices come from the registry, not the spec (GET /v1/methods describes them)."""
    schema["enum"] = [name for name in method_names()]


def _with_options(name: str, base: type[BaseModel], doc: str, *, strict: bool) -> type[BaseModel]:
    fields: dict[str, Any] = {spec.name: option_field(spec, strict=strict) for spec in OPTION_SPECS}
    return create_model(name, __base__=base, __doc__=doc, __module__=__name__, **fields)


def _no_null(schema: JsonDict) -> None:
    """Document an optional field without its ``null``: a document is ``text`` or ``html``, and a ``null``
    one of them would satisfy both branches of the ``oneOf``. A null is still taken as leaving it out."""
    members = schema.pop("anyOf", None)
    kept = (
        [m for m in members if isinstance(m, dict) and m.get("type") != "null"]
        if isinstance(members, list)
        else []
    )
    if kept:
        schema.update(kept[0])
    schema.pop("default", None)


class _OptionsGiven(BaseModel):
    def given_options(self) -> dict[str, Any]:
        """The options this request sets (the others keep their ``Options`` defaults)."""
        values = ((name, getattr(self, name, None)) for name in OPTION_SPEC)
        return {name: value for name, value in values if value is not None}


class DocumentFields(_OptionsGiven):
    """One document: its ``text`` or its ``html`` (not both); the options are added from OPTION_SPECS."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"oneOf": [{"required": ["text"]}, {"required": ["html"]}]}
    )

    text: Text | None = Field(None, description="the article as plain text", json_schema_extra=_no_null)
    html: Text | None = Field(
        None,
        description="the article page as HTML (never a URL: nutgraf fetches nothing)",
        json_schema_extra=_no_null,
    )
    title: Annotated[Text, Field(max_length=1000)] | None = Field(None, json_schema_extra=_no_null)
    id: Annotated[Text, Field(max_length=500)] | None = Field(
        None, description="echoed back as the result's id", json_schema_extra=_no_null
    )

    @model_validator(mode="after")
    def one_source(self) -> DocumentFields:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of 'text' or 'html'")
        return self


class FileFields(_OptionsGiven):
    """How to read an uploaded file; the options are added from OPTION_SPECS."""

    model_config = ConfigDict(extra="forbid")

    filename: Annotated[Text, Field(max_length=1000)] = Field(
        "",
        description="the file's name: its suffix decides the format as for a file on disk (.txt, .html, "
        ".jsonl, .json, .rss/.atom/.xml, each optionally .gz); without one the content decides",
    )
    input_format: Literal[INPUT_FORMATS] = Field(  # type: ignore[valid-type]
        "auto", description="the format, when the name and content should not decide"
    )
    encoding: Annotated[Text, Field(max_length=100)] | None = Field(
        None,
        description="the text's encoding, when it is not UTF-8 or marked by a BOM (e.g. cp1252)",
        json_schema_extra=_no_null,
    )


# mypy cannot see fields made at run time; the routes read the options through ``given_options``.
if TYPE_CHECKING:
    SummarizeRequest = DocumentFields
    FileQuery = FileFields
else:
    SummarizeRequest = _with_options(
        "SummarizeRequest",
        DocumentFields,
        "One document: its text or its html (not both), and any option of the CLI's summarize.",
        strict=True,
    )
    FileQuery = _with_options(
        "FileQuery",
        FileFields,
        "How to read an uploaded file, and any option of the CLI's summarize.",
        strict=False,
    )


class ContributionOut(BaseModel):
    feature: str
    value: float
    contribution: float


class HighlightOut(BaseModel):
    text: str
    spans: list[tuple[int, int]]
    sentences: list[int]
    score: float
    rank: int
    explanation: list[ContributionOut] | None = Field(None, description="with explain: true")


class NoticeOut(BaseModel):
    code: str
    message: str


class SummaryOut(BaseModel):
    id: str
    method: str
    scorer: str
    version: str
    model: str | None = Field(None, description="the model file that scored (learned method): name@sha256")
    language: str | None = Field(
        None,
        description="the article's language, ISO 639-1 (as requested in lang, or detected); null: unknown",
    )
    highlights: list[HighlightOut]
    warnings: list[NoticeOut]
    title: str | None = None
    text: str | None = Field(None, description="for html input: the extracted text the spans point into")


class ErrorDetail(BaseModel):
    reason: str = Field(description="machine-readable: empty, not_text, too_large, invalid_request, ...")
    code: str = Field(description="the same value as reason, under its old name", deprecated=True)
    message: str = Field(description="for people: what is wrong and what to do")


class ErrorOut(BaseModel):
    error: ErrorDetail


class RejectedOut(BaseModel):
    """A document nutgraf could not summarize: the same object as a JSON error row of the CLI or batch."""

    id: str
    error: ErrorDetail


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[dict[str, Any]] = Field(
        ...,
        min_length=1,
        description="Each a SummarizeRequest object. Each is validated and answered on its own: an invalid one "
        "gets its own error in the results while the others are summarized, so the schema here accepts any "
        "object.",
    )


class BatchOut(BaseModel):
    results: list[SummaryOut | RejectedOut]


class FileOut(BaseModel):
    format: str = Field(description="the input format nutgraf decided on (text, html, jsonl, json, feed)")
    results: list[SummaryOut | RejectedOut] = Field(description="one per record: a feed entry, a JSON line")


class MethodOut(BaseModel):
    name: str
    scorer: str


class MethodsOut(BaseModel):
    default: str
    model: str | None = Field(
        None, description="the learned method's model (name@sha256): what 'model' may name"
    )
    methods: list[MethodOut]


class HealthOut(BaseModel):
    status: str
    version: str


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "malformed JSON"},
    413: {"model": ErrorOut, "description": "request body too large"},
    415: {"model": ErrorOut, "description": "the body is not JSON"},
    422: {
        "model": ErrorOut | RejectedOut,
        "description": "invalid request ({'error'}), or a document nutgraf cannot summarize ({'id', 'error'})",
    },
    504: {"model": ErrorOut, "description": "over the per-request time limit"},
}


def error_response(status: int, reason: str, message: str) -> JSONResponse:
    """An error in the one shape, ``{"error": {"reason", "code", "message"}}``; the ``x-nutgraf-error``
    header tells the metrics its reason."""
    return JSONResponse({"error": error_dict(reason, message)}, status_code=status, headers=_reason(reason))


def rejection_response(body: dict[str, Any]) -> JSONResponse:
    """A rejected document: exactly ``render.result_to_dict(rejection)``, ``{"id", "error"}``."""
    return JSONResponse(body, status_code=422, headers=_reason(body["error"]["reason"]))


def _reason(reason: str) -> dict[str, str]:
    return {"x-nutgraf-error": reason}


def describe_errors(errors: Any) -> str:
    """Pydantic's validation errors as one line for people: ``k: Input should be ...; ...``. An option out of
    its limits gets the option spec's own message, the one the CLI and the library give."""
    parts = []
    for e in list(errors)[:5]:
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("body", "query"))
        message = _spec_message(where, e.get("input")) or str(e.get("msg", "invalid")).removeprefix(
            "Value error, "
        )
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts) or "invalid request"


def _spec_message(name: str, value: Any) -> str | None:
    spec = OPTION_SPEC.get(name)
    if spec is None:
        return None
    if isinstance(value, str) and spec.kind in ("int", "float"):  # a query parameter
        try:
            value = int(value) if spec.kind == "int" else float(value)
        except ValueError:
            return None  # not a number at all: pydantic's "Input should be a valid integer" says it
    try:
        spec.check(value)
    except NutgrafError as exc:
        return str(exc)
    return None
