"""The rows an evaluation scores: an article and its reference highlights, and the failures that are not rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nutgraf.contracts import Article, Rejection
from nutgraf.errors import UsageError
from nutgraf.ingest import open_input


@dataclass(frozen=True, slots=True)
class EvalRow:
    """One scored row. The references are the article's own (``Article.references``: a JSON Lines record's
    ``highlights``), so the oracle method and the ROUGE reference read the same highlights."""

    article: Article

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def references(self) -> tuple[str, ...]:
        return self.article.references

    def column(self, name: str) -> str:
        return self.article.metadata.get(name) or "unknown"


@dataclass(frozen=True, slots=True)
class Failure:
    """A file, a row or a method's attempt at a row that could not be scored, and why."""

    id: str
    reason: str
    message: str
    method: str | None = None

    def to_dict(self) -> dict[str, str]:
        out = {"id": self.id, "reason": self.reason, "message": self.message}
        if self.method:
            out["method"] = self.method
        return out


def load_rows(paths: Sequence[str], limit: int | None = None) -> tuple[list[EvalRow], list[Failure]]:
    """Rows with an article and reference highlights from JSON Lines files (``.jsonl``, ``.jsonl.gz``).
    A file that is missing or empty and a row without highlights become ``Failure`` records."""
    rows: list[EvalRow] = []
    failures: list[Failure] = []
    for path in paths:
        try:
            source = open_input(path, input_format="jsonl")
        except UsageError as exc:
            failures.append(Failure(path, "unreadable_file", str(exc)))
            continue
        count = 0
        for record in source.records:
            count += 1
            if isinstance(record, Rejection):
                failures.append(Failure(record.article_id, record.reason, record.message))
            elif not record.references:
                message = 'row has no reference "highlights" to score against'
                failures.append(Failure(record.id, "no_references", message))
            else:
                rows.append(EvalRow(record))
                if limit is not None and len(rows) >= limit:
                    return rows, failures
        if count == 0:
            failures.append(Failure(path, "empty_file", f"{path} has no rows"))
    return rows, failures
