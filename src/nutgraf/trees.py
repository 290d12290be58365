"""LightGBM boosters, predicted without ``Booster.predict``'s Python layer: the learned scorer's two models
and the web furniture detector each predict a few dozen rows per article, where that layer costs more than
the trees."""

from __future__ import annotations

from typing import Any


class Predictor:
    """A booster's plain predictions, from LightGBM's C function ``LGBM_BoosterPredictForMat`` called directly:
    the very function and parameters ``Booster.predict(x, num_threads=1)`` ends in, so the same numbers, without
    the Python layer ``Booster.predict`` builds on every call (a new inner predictor, its parameters parsed,
    the input checked and copied), which costs more than the trees on a news article's 30 rows. Falls back to
    ``Booster.predict`` where this LightGBM's internals are not the ones it was written against."""

    def __init__(self, booster: Any) -> None:
        import ctypes

        self.booster = booster
        self._lib = None
        try:
            import lightgbm.basic as lgb_basic

            lib = getattr(lgb_basic, "_LIB")  # noqa: B009 - private: mypy knows no such name
            handle = booster._handle
            self._call = lib.LGBM_BoosterPredictForMat
            self._lib = lib
        except AttributeError:  # pragma: no cover - another LightGBM layout
            return
        self._handle = handle
        self._columns = int(booster.num_feature())
        self._iterations = ctypes.c_int(int(getattr(booster, "best_iteration", -1)))
        self._parameters = ctypes.c_char_p(b"num_threads=1")
        self._ctypes = ctypes

    def __call__(self, x: Any) -> Any:
        import numpy as np

        if self._lib is None or x.ndim != 2 or x.shape[1] != self._columns:
            return self.booster.predict(x, num_threads=1)
        ct = self._ctypes
        x = np.ascontiguousarray(x, dtype=np.float64)
        out = np.empty(x.shape[0], dtype=np.float64)
        written = ct.c_int64(0)
        status = self._call(
            self._handle,
            x.ctypes.data_as(ct.c_void_p),
            ct.c_int(1),  # C_API_DTYPE_FLOAT64
            ct.c_int32(x.shape[0]),
            ct.c_int32(x.shape[1]),
            ct.c_int(1),  # C_API_IS_ROW_MAJOR
            ct.c_int(0),  # C_API_PREDICT_NORMAL
            ct.c_int(0),  # start iteration
            self._iterations,
            self._parameters,
            ct.byref(written),
            out.ctypes.data_as(ct.POINTER(ct.c_double)),
        )
        if status != 0 or written.value != x.shape[0]:
            return self.booster.predict(x, num_threads=1)  # let LightGBM raise its own error, or answer
        return out
