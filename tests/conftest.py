from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the end-to-end golden files in tests/golden/e2e instead of comparing against them",
    )


def load_fixture_articles() -> list[dict[str, Any]]:
    with open(FIXTURES / "articles.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture(scope="session")
def fixture_articles() -> list[dict[str, Any]]:
    return load_fixture_articles()


def edited_model(model: Path, target: Path, edit: Callable[[dict[str, Any]], object]) -> str:
    """A copy of a model file at ``target`` with ``edit`` applied to its parsed JSON (to damage it or make it
    foreign); the path, for ``load_model``."""
    from nutgraf.learned.model import read_model_file

    data = read_model_file(model)
    edit(data)
    target.write_bytes(gzip.compress(json.dumps(data).encode()))
    return str(target)


def halve(key: str) -> Callable[[dict[str, Any]], None]:
    """An ``edited_model`` edit that cuts a booster's text (``key``) in half, as a truncated download would."""

    def edit(data: dict[str, Any]) -> None:
        data[key] = data[key][: len(data[key]) // 2]

    return edit
