"""End-to-end golden files: article -> key points JSON. Rewritten only with ``pytest --update-golden``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nutgraf.contracts import Article, Options, Summary
from nutgraf.pipeline import summarize_article
from nutgraf.render import summary_to_dict

from .conftest import load_fixture_articles

GOLDEN = Path(__file__).parent / "golden" / "e2e"
SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sample_article.txt"

CASES: list[tuple[str, Article]] = [("sample", Article("sample_article", SAMPLE.read_text(encoding="utf-8")))]
for _row in load_fixture_articles():
    if (_row["split"] == "validation" and len(CASES) < 6) or (
        _row["split"] == "llm_summaries" and len(CASES) < 10
    ):
        CASES.append((_row["id"][:16], Article(_row["id"], _row["article"])))


@pytest.mark.parametrize("method", ["lead", "textrank", "gbdt"])
@pytest.mark.parametrize(("name", "article"), CASES, ids=[c[0] for c in CASES])
def test_golden_key_points(name: str, article: Article, method: str, request: pytest.FixtureRequest) -> None:
    result = summarize_article(article, Options(method=method))
    assert isinstance(result, Summary)
    got = summary_to_dict(result)
    got.pop("version")  # the golden files survive a version bump; the output may not change silently
    path = GOLDEN / f"{name}.{method}.json"
    if request.config.getoption("--update-golden"):
        path.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert path.exists(), f"{path} is missing; run pytest --update-golden and review the diff"
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert got == expected, (
        f"{path.name} changed; if intended, run pytest --update-golden and review the diff"
    )
