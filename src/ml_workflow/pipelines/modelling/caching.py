"""Fit a fold's text preprocessing once, not once per candidate and setting.

Comparing candidates, searching the chosen one and tuning its threshold fit the
same Pipeline steps on the same fold rows again and again: with text features,
fitting the vectorizer (TF-IDF over word pairs) costs far more than fitting a
linear model or naive Bayes on its output. scikit-learn's ``Pipeline(memory=)``
caches each fitted step (all but the estimator) keyed by the step's parameters
and its input, so a fold's preprocessing is read back by every candidate and
search setting that shares it. It is fitted at most twice per fold and node:
the derived-features step's output read back from the cache pickles (and so
hashes) differently from the freshly computed frame, so the first reader of a
read-back frame misses once. The fits are the same, so the scores are too;
the cache lives in a temporary folder for one node and the model that leaves
the node holds no reference to it.

The rows a fold holds out are transformed again by every candidate and
setting that scores them: spam's character n-grams took 0.08-0.1 s a fold, 40
times in a search of 8 settings on 5 folds, and each 1,200 held-out e-mails
took 1.2 s. `HeldOutCache` keys each transform by the fitted preprocessing and
the rows themselves (a SHA-256 of their pickles, 3 ms for spam's 20,000-term
vocabulary), so the same fitted steps on the same rows are transformed once
per node and read back after; scorers then see the Pipeline's final step and
the transformed rows, as the Pipeline's own ``predict`` gives them.

Only variants with text features are cached: numeric and categorical
preprocessing is cheaper to refit than to store (a dense fold of a large table
would fill the temporary disk).
"""

from __future__ import annotations

import hashlib
import io
import pickle
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from joblib import Memory
from sklearn.base import BaseEstimator, clone
from sklearn.pipeline import Pipeline

from ml_workflow.core.config import Problem

CACHE_PREFIX = "ml_workflow_fit_cache_"


@contextmanager
def step_cache(problem: Problem) -> Iterator[str | None]:
    """A temporary folder for the fitted steps of ``problem``'s Pipelines, or
    ``None`` when caching does not pay (no text features); removed on exit."""
    if not problem.features.text:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix=CACHE_PREFIX) as location:
        yield location


def cached(pipeline: Pipeline, location: str | None) -> Pipeline:
    """An unfitted copy of ``pipeline`` that caches its fitted steps in
    ``location`` (None: no cache); ``pipeline`` itself is left as it was."""
    return clone(pipeline).set_params(memory=location)


def without_cache(model: BaseEstimator) -> BaseEstimator:
    """``model`` with no Pipeline in it pointing at a cache folder.

    The model leaves the node, whose cache folder is removed: a later refit of
    it (the learning curve clones it) must not cache into a stale path. Covers
    the Pipeline itself and the one a ``TunedThresholdClassifierCV`` or search
    holds, unfitted and fitted.
    """
    for attribute in (None, "estimator", "estimator_", "best_estimator_"):
        inner = model if attribute is None else getattr(model, attribute, None)
        if isinstance(inner, Pipeline):
            inner.memory = None
    return model


def _fingerprint(preprocessing: Pipeline, features: Any) -> str:
    """SHA-256 of the fitted steps and the rows, pickled without the memo:
    equal bytes, equal fitted state and rows. With the memo, an array that two
    attributes of a fresh fit share pickles once and then as a reference,
    where the same fit read back from the cache holds two copies."""
    digest = hashlib.sha256()
    for part in (preprocessing.steps, features):
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.fast = True  # no memo: every object is written in full
        pickler.dump(part)
        digest.update(buffer.getbuffer())
    return digest.hexdigest()


def _transform(key: str, preprocessing: Pipeline, features: Any) -> Any:
    """``preprocessing.transform(features)``; ``key`` alone names the result."""
    return preprocessing.transform(features)


def transformed(preprocessing: Pipeline, features: Any, location: str) -> Any:
    """``preprocessing.transform(features)``, read back from ``location`` when
    the same fitted steps already transformed the same rows there."""
    try:
        key = _fingerprint(preprocessing, features)
    except (
        pickle.PicklingError,
        TypeError,
        AttributeError,
        ValueError,
        RecursionError,
    ):
        # a step that cannot pickle, or one that refers to itself (no memo)
        return preprocessing.transform(features)
    remembered = Memory(location, verbose=0).cache(
        _transform, ignore=["preprocessing", "features"]
    )
    return remembered(key, preprocessing, features)


@dataclass(frozen=True)
class HeldOutCache:
    """``function(model, features, ...)`` (a scorer, or `Task.positive_scores`)
    with a fitted Pipeline's preprocessing applied through `transformed`: it
    gets the final step and the transformed rows. No ``location``, or a model
    that is not a Pipeline of several steps: ``function`` as it is."""

    function: Callable[..., Any]
    location: str | None

    def __call__(self, model: Any, features: Any, *args: Any, **kwargs: Any) -> Any:
        if self.location is None or not isinstance(model, Pipeline) or len(model) < 2:
            return self.function(model, features, *args, **kwargs)
        rows = transformed(model[:-1], features, self.location)
        return self.function(model[-1], rows, *args, **kwargs)


__all__ = [
    "CACHE_PREFIX",
    "HeldOutCache",
    "cached",
    "step_cache",
    "transformed",
    "without_cache",
]
