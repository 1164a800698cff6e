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

Only variants with text features are cached: numeric and categorical
preprocessing is cheaper to refit than to store (a dense fold of a large table
would fill the temporary disk).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

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


__all__ = ["CACHE_PREFIX", "cached", "step_cache", "without_cache"]
