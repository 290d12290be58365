"""The learned scorer as a pipeline part, registered as ``nutgraf.scorer.gbdt.v1`` (alias ``gbdt``)."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from nutgraf.contracts import Contribution, Document, Options, SentenceFeatures
from nutgraf.lang import LANGUAGES
from nutgraf.learned.features import feature_matrix
from nutgraf.learned.model import SCORER_NAME, Model, bundled_model_path, load_model
from nutgraf.learned.sets import set_input, sizes_for
from nutgraf.score import BaseScorer
from nutgraf.select import usable


class GbdtScorer(BaseScorer):
    """Gradient-boosted trees over ``learned.features.feature_matrix``, trained by ``nutgraf train`` to predict
    which sentences the greedy ROUGE oracle picks against human highlights. The model file comes from
    ``Options.model`` (default: the one nutgraf ships).

    The loaded models are kept by the instance, by ``Options.model``: scoring an article neither stats nor
    resolves the model file. That is not per-call state: the same model gives the same scores, so one
    instance is still safe to share across threads."""

    name = SCORER_NAME  # "nutgraf.scorer.gbdt.v1": the scorer that model files name
    uses_model = True
    can_explain = True

    def __init__(self) -> None:
        self._models: dict[str | None, Model] = {}
        self._lock = threading.Lock()

    def __reduce__(self) -> tuple[type[GbdtScorer], tuple[()]]:
        """Sent to another process as a fresh instance (a lock does not pickle; the models load there)."""
        return type(self), ()

    def prepare(self, options: Options) -> str:
        """Load the model (raising ``ModelError`` with a message for people), keep it for the articles that
        follow, and return its id. ``load_model`` reads a file once per version: a model retrained in place
        is picked up here, at the start of a run, never halfway through one."""
        model = load_model(options.model)
        with self._lock:
            self._models[options.model] = model
        return model.id

    def model(self, path: str | None) -> Model:
        """The model for ``Options.model == path``: the one ``prepare`` loaded, else loaded now."""
        with self._lock:
            model = self._models.get(path)
        if model is None:
            model = load_model(path)
            with self._lock:
                model = self._models.setdefault(path, model)
        return model

    def model_path(self, language: str | None, options: Options) -> str | None:
        """The model file for a document in ``language``: ``Options.model`` when given, else the bundled
        model of that language (``lang/data/<code>.toml``'s ``model``), else the bundled English one (None)."""
        if options.model is not None or language is None or language not in LANGUAGES:
            return options.model
        name = LANGUAGES[language].model
        return str(bundled_model_path(name)) if name else None

    def model_id_for(self, language: str | None, options: Options) -> str | None:
        """The id of the model that scores a document in ``language`` (what its summary records)."""
        return self.model(self.model_path(language, options)).id

    def __call__(self, doc: Document, feats: SentenceFeatures, options: Options) -> tuple[float, ...]:
        """Scores for the usable sentences (the only ones selection takes, and the only ones the model was
        trained on); 0.0 for the others."""
        x = feature_matrix(doc, feats)
        keep = usable(feats)
        scores = [0.0] * len(x)
        for i, p in zip(
            keep, self.model(self.model_path(doc.language, options)).predict(x[keep]), strict=True
        ):
            scores[i] = p
        return tuple(scores)

    def choose(
        self, doc: Document, feats: SentenceFeatures, scores: Sequence[float], options: Options
    ) -> tuple[int, ...] | None:
        """The key points as a set (``learned.sets``): 2 to 4 sentences when the user gave no ``k``, exactly
        ``k`` when it is 2, 3 or 4; None (top k by score) under a word or character budget, for another
        ``k``, or with a model file that has no set scorer."""
        if options.max_words is not None or options.max_chars is not None:
            return None
        model = self.model(self.model_path(doc.language, options))
        if not model.has_sets:
            return None
        return model.choose(set_input(doc, feats, scores, usable(feats)), sizes_for(options.k))

    def explain(
        self, doc: Document, feats: SentenceFeatures, options: Options, indexes: Sequence[int]
    ) -> list[tuple[Contribution, ...]]:
        """The top feature contributions to the score of each sentence in ``indexes``."""
        x = feature_matrix(doc, feats)
        return self.model(self.model_path(doc.language, options)).contributions(x[list(indexes)])
