"""The quality gate: pinned ROUGE floors on a fixed validation slice (tests/golden/quality_floors.json).

A method that drops below its floor by more than epsilon fails the build. Raising a floor is a commit that
states the newly measured number; lowering one is a deliberate, explained change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nutgraf import evaluate as ev

ROOT = Path(__file__).resolve().parent.parent
FLOORS = json.loads((ROOT / "tests" / "golden" / "quality_floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report() -> ev.Report:
    rows, failures = ev.load_rows([str(ROOT / "tests" / "fixtures" / "validation_gate.jsonl.gz")])
    assert not failures
    return ev.evaluate(rows, list(FLOORS["floors"]), k=FLOORS["k"], workers=2)


@pytest.mark.parametrize("method", list(FLOORS["floors"]))
def test_quality_gate_method_stays_above_its_rouge_floor(report: ev.Report, method: str) -> None:
    for metric, floor in FLOORS["floors"][method].items():
        got = report.summary[method][metric]["f"]
        assert got >= floor - FLOORS["epsilon"], f"{method} {metric}: {got:.2f} < floor {floor:.2f}"


def test_quality_gate_oracle_is_the_ceiling(report: ev.Report) -> None:
    for method in FLOORS["floors"]:
        assert report.summary["oracle"]["rouge1"]["f"] >= report.summary[method]["rouge1"]["f"]
