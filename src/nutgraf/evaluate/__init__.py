"""Evaluation people can trust and rerun: ROUGE the standard way, baselines and peers on the same rows.

- ROUGE-1/2/L/Lsum from Google's ``rouge-score`` with ``use_stemmer=True``, ``rougeLsum`` over
  newline-joined sentences (``scoring``).
- Means with seeded bootstrap 95% confidence intervals; every method compared with ``lead`` on the same
  rows (mean difference, its bootstrap CI, and a two-sided paired sign-flip randomization test) (``stats``).
- A method that fails on a valid row scores 0 there and the failure is listed: no method dodges a hard
  row, and no row is dropped silently.
- One base ``Options`` for every nutgraf method of a run (``methods``).

The modules, each importing only those before it: ``rows`` and ``peers`` ← ``methods`` ← ``scoring`` ←
``stats`` ← ``speed``, ``report``. The library functions come first (``load_rows``, ``check_options``,
``evaluate``, ``measure_speed``); ``nutgraf evaluate`` is a thin shell over them.
"""

from nutgraf.errors import EvaluationError as EvaluationError
from nutgraf.errors import WorkerDied as WorkerDied
from nutgraf.evaluate.methods import BASELINE as BASELINE
from nutgraf.evaluate.methods import COMPRESSED as COMPRESSED
from nutgraf.evaluate.methods import PARA_LEADS as PARA_LEADS
from nutgraf.evaluate.methods import PLAIN_LEAD3 as PLAIN_LEAD3
from nutgraf.evaluate.methods import MethodFailed as MethodFailed
from nutgraf.evaluate.methods import Producer as Producer
from nutgraf.evaluate.methods import available_methods as available_methods
from nutgraf.evaluate.methods import base_method as base_method
from nutgraf.evaluate.methods import base_options as base_options
from nutgraf.evaluate.methods import check_options as check_options
from nutgraf.evaluate.methods import expand_methods as expand_methods
from nutgraf.evaluate.methods import make_producer as make_producer
from nutgraf.evaluate.methods import method_notes as method_notes
from nutgraf.evaluate.methods import method_options as method_options
from nutgraf.evaluate.report import per_article_rows as per_article_rows
from nutgraf.evaluate.report import plot_report as plot_report
from nutgraf.evaluate.report import render_report as render_report
from nutgraf.evaluate.rows import EvalRow as EvalRow
from nutgraf.evaluate.rows import Failure as Failure
from nutgraf.evaluate.rows import load_rows as load_rows
from nutgraf.evaluate.scoring import METRICS as METRICS
from nutgraf.evaluate.scoring import score_rows as score_rows
from nutgraf.evaluate.scoring import summary_text as summary_text
from nutgraf.evaluate.speed import measure_speed as measure_speed
from nutgraf.evaluate.stats import BOOTSTRAP_SAMPLES as BOOTSTRAP_SAMPLES
from nutgraf.evaluate.stats import PERMUTATIONS as PERMUTATIONS
from nutgraf.evaluate.stats import SEED as SEED
from nutgraf.evaluate.stats import Report as Report
from nutgraf.evaluate.stats import evaluate as evaluate
