"""Compatibility names: training the learned scorer moved to ``nutgraf.learned.train``."""

from nutgraf.learned.train import DEFAULT_PARAMS as DEFAULT_PARAMS
from nutgraf.learned.train import DEFAULT_ROUNDS as DEFAULT_ROUNDS
from nutgraf.learned.train import LABEL_K as LABEL_K
from nutgraf.learned.train import LABELS_DOC as LABELS_DOC
from nutgraf.learned.train import Example as Example
from nutgraf.learned.train import TrainConfig as TrainConfig
from nutgraf.learned.train import TrainingError as TrainingError
from nutgraf.learned.train import feature_subset as feature_subset
from nutgraf.learned.train import file_sha256 as file_sha256
from nutgraf.learned.train import fit as fit
from nutgraf.learned.train import flatten as flatten
from nutgraf.learned.train import label_records as label_records
from nutgraf.learned.train import read_examples as read_examples
from nutgraf.learned.train import train as train
from nutgraf.learned.train import validation_scores as validation_scores
from nutgraf.learned.train import write_model as write_model
