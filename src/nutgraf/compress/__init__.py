"""Compress: cut from a key point what a reader of the key-points box does not need, never adding a word.

A key point is shortened only by deleting whole units that rules find in its sentence (an attribution tail
", police said", a relative or appositive clause between commas, a parenthetical, a leading time phrase) or
that a dependency parse finds (an adjunct phrase, a title before a full name, an optional "that"). Whether
a unit goes is decided by a small model learned from CNN highlights aligned with their source sentences
(``scripts/train_compressor.py``). Every kept run of characters keeps its span into the article, so a
compressed key point is the join of several spans; quotations, negations and numbers are never cut into.

The package is layered so that no module imports a later one: ``rules`` (regular expressions, no parser)
← ``syntax`` (spaCy's parse, loaded only when compression runs, from the ``compress`` extra) ← ``model``
(unit features and the booster) ← ``compressor`` (``DeletionCompressor``). Importing it never imports spaCy.
"""

from nutgraf.compress.compressor import CAP_ONLY as CAP_ONLY
from nutgraf.compress.compressor import DeletionCompressor as DeletionCompressor
from nutgraf.compress.compressor import compress_highlight as compress_highlight
from nutgraf.compress.compressor import compress_highlights as compress_highlights
from nutgraf.compress.compressor import compress_sentence as compress_sentence
from nutgraf.compress.compressor import cut_highlight as cut_highlight
from nutgraf.compress.model import ALL_KINDS as ALL_KINDS
from nutgraf.compress.model import COMPRESS_FEATURE_VERSION as COMPRESS_FEATURE_VERSION
from nutgraf.compress.model import COMPRESS_FEATURES as COMPRESS_FEATURES
from nutgraf.compress.model import COMPRESS_FORMAT as COMPRESS_FORMAT
from nutgraf.compress.model import COMPRESS_MODEL as COMPRESS_MODEL
from nutgraf.compress.model import RULE_KINDS as RULE_KINDS
from nutgraf.compress.model import THRESHOLD as THRESHOLD
from nutgraf.compress.model import ArticleContext as ArticleContext
from nutgraf.compress.model import deletion_scores as deletion_scores
from nutgraf.compress.model import model_id as model_id
from nutgraf.compress.model import scored_units as scored_units
from nutgraf.compress.model import unit_features as unit_features
from nutgraf.compress.rules import MIN_KEPT_WORDS as MIN_KEPT_WORDS
from nutgraf.compress.rules import UNIT_KINDS as UNIT_KINDS
from nutgraf.compress.rules import Unit as Unit
from nutgraf.compress.rules import candidate_units as candidate_units
from nutgraf.compress.rules import inside_quotation as inside_quotation
from nutgraf.compress.rules import keep_spans as keep_spans
from nutgraf.compress.rules import kept_runs as kept_runs
from nutgraf.compress.syntax import sentence_units as sentence_units
