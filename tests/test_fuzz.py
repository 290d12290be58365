"""The fuzzing campaign's oracle (``benchmarks/fuzz.py``) on its seed corpus and on seeded mutations of it: the
short run of the corpus that ``make test`` does (the campaign itself runs by hand, with atheris)."""

from __future__ import annotations

import importlib.util
import random
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "tests" / "fuzz" / "seeds").glob("*.bin"))


def _fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("nutgraf_fuzz", ROOT / "benchmarks" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["nutgraf_fuzz"] = module
    spec.loader.exec_module(module)
    return module


FUZZ = _fuzz()


def _mutate(data: bytes, rng: random.Random) -> bytes:
    """libFuzzer-like mutations: flip, insert, delete, splice a slice of itself, or cut."""
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(5)
        at = rng.randrange(len(b) + 1)
        if op == 0 and b:
            b[min(at, len(b) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            b[at:at] = bytes(
                rng.choice(b".\"'<>{}[]\\\n\r\x00\xff\xe2\x80\x9c \t&;") for _ in range(rng.randint(1, 4))
            )
        elif op == 2:
            del b[at : at + rng.randint(1, 64)]
        elif op == 3 and b:
            start = rng.randrange(len(b))
            b[at:at] = b[start : start + rng.randint(1, 256)]
        else:
            del b[at:]
    return bytes(b)


def test_the_seed_corpus_is_there() -> None:
    assert len(SEEDS) >= 10


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_every_seed_keeps_every_promise(seed: Path) -> None:
    assert FUZZ.check(seed.read_bytes()) >= 1


def test_seeded_mutations_keep_every_promise() -> None:
    rng = random.Random(20261129)
    corpus = [p.read_bytes() for p in SEEDS]
    for _ in range(300):
        FUZZ.check(_mutate(rng.choice(corpus), rng))


def test_the_oracle_catches_a_broken_promise(monkeypatch: pytest.MonkeyPatch) -> None:
    """The oracle can fail: a summarizer whose spans are off by one is caught."""
    from nutgraf.contracts import Summary
    from nutgraf.summarizer import Summarizer

    real = Summarizer.__call__

    def shifted(self: Summarizer, record: object) -> object:
        result = real(self, record)  # type: ignore[arg-type]
        if isinstance(result, Summary) and result.highlights:
            h = result.highlights[0]
            moved = replace(h, spans=tuple((s + 1, e + 1) for s, e in h.spans))
            return replace(result, highlights=(moved, *result.highlights[1:]))
        return result

    monkeypatch.setattr(Summarizer, "__call__", shifted)
    with pytest.raises(FUZZ.Broken, match=r"do not join to its text|out of range"):
        FUZZ.check((ROOT / "tests" / "fuzz" / "seeds" / "story.bin").read_bytes())
