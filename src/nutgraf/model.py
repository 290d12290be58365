"""Compatibility names: the learned scorer's model files moved to ``nutgraf.learned.model``."""

from nutgraf.learned.model import BUNDLED_MODEL as BUNDLED_MODEL
from nutgraf.learned.model import MODEL_FORMAT as MODEL_FORMAT
from nutgraf.learned.model import SCORER_NAME as SCORER_NAME
from nutgraf.learned.model import Model as Model
from nutgraf.learned.model import ModelError as ModelError
from nutgraf.learned.model import booster_digest as booster_digest
from nutgraf.learned.model import booster_from as booster_from
from nutgraf.learned.model import bundled_model_path as bundled_model_path
from nutgraf.learned.model import load_model as load_model
from nutgraf.learned.model import read_model_file as read_model_file
from nutgraf.learned.model import set_max_threads as set_max_threads
