"""``nutgraf.trees``: the compiled kernel gives LightGBM's doubles bit for bit, the policy decides when it is
used, and models the kernel cannot walk the way LightGBM does stay with LightGBM."""

from __future__ import annotations

import numpy as np
import pytest

from nutgraf.errors import OptionError
from nutgraf.learned.model import load_model, read_model_file
from nutgraf.trees import COMPILED_AFTER, Predictor, _kernel, parse_forest, policy
from nutgraf.webfurniture import read_model as read_web_model

lightgbm = pytest.importorskip("lightgbm")


def _awkward_rows(text: str, rows: int, seed: int) -> np.ndarray:
    """Rows that sit on the model's own thresholds (the ``<=`` edge), just either side of them, at zero, near
    zero (LightGBM reads |x| <= 1e-35 as 0), NaN, infinities and large values."""
    forest = parse_forest(text)
    assert forest is not None
    rng = np.random.default_rng(seed)
    splits = np.isfinite(forest.threshold)
    by_feature: dict[int, np.ndarray] = {
        f: forest.threshold[splits & (forest.feature == f)] for f in range(forest.features)
    }
    x = np.empty((rows, forest.features))
    for j in range(forest.features):
        thresholds = by_feature[j] if by_feature[j].size else np.zeros(1)
        pick = rng.choice(thresholds, rows)
        x[:, j] = pick + rng.choice([0.0, 0.0, -1e-12, 1e-12], rows)
    mask = rng.random(x.shape)
    x[mask < 0.03] = np.nan
    x[(mask >= 0.03) & (mask < 0.05)] = 0.0
    x[(mask >= 0.05) & (mask < 0.06)] = 5e-36
    x[(mask >= 0.06) & (mask < 0.07)] = -0.0
    x[(mask >= 0.07) & (mask < 0.075)] = np.inf
    x[(mask >= 0.075) & (mask < 0.08)] = -np.inf
    x[(mask >= 0.08) & (mask < 0.09)] = rng.normal(0, 1e6, int(((mask >= 0.08) & (mask < 0.09)).sum()))
    return x


def _texts() -> list[tuple[str, str]]:
    data = read_model_file(str(load_model().source))
    return [
        ("sentence scorer", data["booster"]),
        ("set scorer", data["set_booster"]),
        ("web furniture detector", read_web_model()["booster"]),
    ]


@pytest.mark.skipif(_kernel() is None, reason="numba is a core dependency; this checks it is importable")
@pytest.mark.parametrize(("name", "text"), _texts(), ids=lambda v: v if len(v) < 40 else "text")
def test_the_compiled_kernel_gives_lightgbms_doubles_bit_for_bit(name: str, text: str) -> None:
    booster = lightgbm.Booster(model_str=text)
    compiled = Predictor(text=text, compiled=True)
    assert compiled.compiled
    for seed in range(3):
        x = _awkward_rows(text, 700, seed)
        expected = booster.predict(x, num_threads=1)
        assert np.array_equal(compiled(x), expected), name
        assert np.array_equal(Predictor(text=text, compiled=False)(x), expected), name
    # Any row count, including none and fewer than a block of 16; a column slice is made contiguous.
    x = _awkward_rows(text, 40, 9)
    for n in (0, 1, 15, 16, 17):
        assert np.array_equal(compiled(x[:n]), booster.predict(x[:n], num_threads=1) if n else np.empty(0))
    wide = np.hstack([x, x])[:, : x.shape[1]]
    assert np.array_equal(compiled(wide), booster.predict(x, num_threads=1))


def test_the_kernel_is_there() -> None:
    """numba is a core dependency: a machine without it runs every test above on LightGBM alone, so say so."""
    assert _kernel() is not None


def test_the_policy_moves_to_the_kernel_after_its_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _texts()[1][1]
    x = _awkward_rows(text, 30, 1)
    monkeypatch.delenv("NUTGRAF_COMPILED_TREES", raising=False)
    assert policy() == "auto"
    auto = Predictor(text=text)
    for _ in range(COMPILED_AFTER - 1):
        auto(x)
    assert not auto.compiled
    before = auto(x)
    assert auto.compiled
    assert np.array_equal(before, auto(x))
    monkeypatch.setenv("NUTGRAF_COMPILED_TREES", "on")
    assert Predictor(text=text).compiled
    monkeypatch.setenv("NUTGRAF_COMPILED_TREES", "0")
    off = Predictor(text=text)
    for _ in range(COMPILED_AFTER + 1):
        off(x)
    assert not off.compiled
    monkeypatch.setenv("NUTGRAF_COMPILED_TREES", "fast")
    with pytest.raises(OptionError, match="expected auto, on or off"):
        Predictor(text=text)


def test_a_model_the_kernel_cannot_walk_stays_with_lightgbm() -> None:
    """Categorical splits and missing values sent one way are walked by LightGBM, with the same numbers."""
    rng = np.random.default_rng(3)
    x = rng.normal(0, 1, (400, 4))
    x[:, 3] = rng.integers(0, 6, 400)
    x[rng.random(x.shape) < 0.1] = np.nan
    y = (np.nan_to_num(x[:, 0]) + (x[:, 3] == 2) > 0.5).astype(float)
    params = {"objective": "binary", "num_leaves": 7, "verbose": -1, "num_threads": 1, "seed": 1}
    booster = lightgbm.train(params, lightgbm.Dataset(x, y, categorical_feature=[3]), num_boost_round=5)
    text = booster.model_to_string()
    assert parse_forest(text) is None
    predictor = Predictor(text=text, compiled=True)
    assert not predictor.compiled
    assert np.array_equal(predictor(x), booster.predict(x, num_threads=1))


def test_damaged_model_text_is_refused() -> None:
    text = _texts()[1][1]
    with pytest.raises(ValueError):
        parse_forest(text.replace("left_child=", "left_child=999 ", 1))
    with pytest.raises(ValueError):
        parse_forest(text.split("\nTree=")[0])
    with pytest.raises(ValueError, match="not LightGBM model text"):
        parse_forest(text.replace("num_leaves=", "leaves=", 1))


def test_a_service_starts_on_the_compiled_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server moves the served model to the kernel at start, so no request pays for loading it."""
    pytest.importorskip("fastapi")
    from nutgraf.serve.app import create_app

    monkeypatch.delenv("NUTGRAF_COMPILED_TREES", raising=False)
    create_app()
    model = load_model()
    assert model._predict.compiled
    assert model._predict_set is not None and model._predict_set.compiled


def test_compile_moves_a_predictor_either_way_with_the_same_numbers() -> None:
    text = _texts()[0][1]
    x = _awkward_rows(text, 50, 4)
    predictor = Predictor(text=text, compiled=False)
    lightgbm_numbers = predictor(x)
    assert not predictor.compile()  # compiled=False is off for good
    predictor = Predictor(text=text, compiled=True)
    assert predictor.compiled and np.array_equal(predictor(x), lightgbm_numbers)
    assert not predictor.compile(False)
    assert np.array_equal(predictor(x), lightgbm_numbers)
    assert predictor.compile()  # and back
    assert np.array_equal(predictor(x), lightgbm_numbers)


def test_text_lightgbm_reads_but_the_kernel_refuses_stays_on_lightgbm_under_auto(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A booster with no trees: LightGBM reads it (and predicts its base score), the kernel's reader
    refuses it. Under ``auto`` the 256th call keeps LightGBM instead of failing an article; an explicit
    move (``on``, ``compile``) says what is wrong."""
    text = _texts()[0][1]
    head, _, rest = text.partition("\nTree=")
    head = "\n".join(line for line in head.splitlines() if not line.startswith("tree_sizes="))
    empty = head + "\nend of trees\n" + rest.split("end of trees", 1)[1]
    booster = lightgbm.Booster(model_str=empty)
    x = np.zeros((3, booster.num_feature()))
    monkeypatch.delenv("NUTGRAF_COMPILED_TREES", raising=False)
    predictor = Predictor(text=empty)
    for _ in range(COMPILED_AFTER + 3):
        out = predictor(x)
    assert not predictor.compiled and np.array_equal(out, booster.predict(x, num_threads=1))
    with pytest.raises(ValueError, match="no trees"):
        Predictor(text=empty, compiled=True)


def test_a_damaged_feature_count_is_refused_at_load_under_every_policy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = _texts()[1][1]
    damaged = text.replace("max_feature_idx=26", "max_feature_idx=200", 1)
    assert damaged != text
    for mode in ("auto", "on", "off"):
        monkeypatch.setenv("NUTGRAF_COMPILED_TREES", mode)
        with pytest.raises(ValueError):
            Predictor(text=damaged)
