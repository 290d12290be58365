"""The learned scorer: its features (``features``), model files (``model``), the scorer that the pipeline
runs (``scorer``) and training (``train``, a tool over the pipeline; import it from ``nutgraf.learned.train``).

It reads the shared stages (clean, segment, features, select, score); no stage imports it, except the
registry's factory for ``gbdt`` and the compatibility names in ``nutgraf.features``, ``nutgraf.model`` and
``nutgraf.train``.
"""

from nutgraf.learned.features import (
    FEATURE_GROUPS,
    FEATURE_NAMES,
    FEATURE_VERSION,
    feature_matrix,
    feature_rows,
)
from nutgraf.learned.model import Model, ModelError, bundled_model_path, load_model
from nutgraf.learned.scorer import GbdtScorer

__all__ = [
    "FEATURE_GROUPS",
    "FEATURE_NAMES",
    "FEATURE_VERSION",
    "GbdtScorer",
    "Model",
    "ModelError",
    "bundled_model_path",
    "feature_matrix",
    "feature_rows",
    "load_model",
]
