from __future__ import annotations

import json
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
