"""Hyperparameter search of one candidate, with the strategy parameters name.

A search space maps a parameter to a list of values, or (``random`` and
``halving`` only) to a distribution ``{distribution: loguniform|uniform|randint,
low: ..., high: ...}`` (``ml_workflow.core.config.training.Distribution``). A plain name (``C``) addresses the estimator; a name
with ``__`` addresses any step of the model's Pipeline, e.g.
``preprocess__text_message__tfidf__ngram_range``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.base import BaseEstimator
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import (
    BaseCrossValidator,
    GridSearchCV,
    HalvingGridSearchCV,
    HalvingRandomSearchCV,
    ParameterGrid,
    ParameterSampler,
    RandomizedSearchCV,
)

from ml_workflow.core.config import Search
from ml_workflow.core.config.training import Distribution

from .budget import BudgetedSearch

_DISTRIBUTIONS = {
    "loguniform": stats.loguniform,
    "uniform": lambda low, high: stats.uniform(low, high - low),
    "randint": lambda low, high: stats.randint(low, high + 1),
}


def _value(value: Any) -> Any:
    # YAML has no tuples; scikit-learn wants e.g. ngram_range=(1, 2).
    return tuple(value) if isinstance(value, list) else value


def parameter_space(
    space: Mapping[str, Any], prefix: str = "estimator__"
) -> dict[str, Any]:
    """Translate a configured search space into scikit-learn's.

    A plain name (``C``) addresses the estimator (through ``prefix``, see
    `ml_workflow.core.target.estimator_prefix`), a name with ``__`` any
    Pipeline step; the configuration has already checked every key.
    """
    translated: dict[str, Any] = {}
    for key, values in space.items():
        name = key if "__" in key else f"{prefix}{key}"
        if isinstance(values, Distribution):
            translated[name] = _DISTRIBUTIONS[values.distribution](
                values.low, values.high
            )
        else:
            translated[name] = [_value(value) for value in values]
    return translated


def build_search(
    pipeline: BaseEstimator,
    space: dict[str, Any],
    search: Search,
    scorer: Any,
    cv: BaseCrossValidator,
    seed: int,
    n_jobs: int | None,
    refit: bool,
) -> BaseEstimator:
    """Return the unfitted search object ``search.strategy`` names.

    ``n_iter`` budgets ``random`` (settings sampled) and ``halving`` (first-round
    candidates, then successive halving on the number of rows). An empty space
    is a plain cross-validation of the fixed hyperparameters; a ``random``
    space of lists with no more settings than ``n_iter`` is searched
    exhaustively (the same settings, in a deterministic order), and so is a
    ``halving`` one (successive halving over the whole grid). With
    ``max_seconds`` (``grid`` and ``random``), the same settings are tried in
    rounds that stop once the budget is spent (`budget.BudgetedSearch`).
    """
    # A setting that fails to fit scores NaN and loses; the others go on.
    common = {
        "scoring": scorer,
        "cv": cv,
        "n_jobs": n_jobs,
        "refit": refit,
        "error_score": np.nan,
    }
    if search.max_seconds is not None and space and search.strategy != "halving":
        exhaustive = search.strategy == "grid" or _grid_size(space) <= search.n_iter
        settings = (
            list(ParameterGrid(space))
            if exhaustive
            else list(ParameterSampler(space, search.n_iter, random_state=seed))
        )
        return BudgetedSearch(
            pipeline, settings, max_seconds=search.max_seconds, **common
        )
    if search.strategy == "grid" or not space:
        return GridSearchCV(pipeline, space, **common)
    if search.strategy == "random" and _grid_size(space) <= search.n_iter:
        return GridSearchCV(pipeline, space, **common)
    if search.strategy == "random":
        return RandomizedSearchCV(
            pipeline, space, n_iter=search.n_iter, random_state=seed, **common
        )
    halving = {
        "factor": search.factor,
        # "exhaust": the last round uses every training row
        "min_resources": search.min_resources,
        **common,
    }
    if _grid_size(space) <= search.n_iter:
        return HalvingGridSearchCV(pipeline, space, **halving)
    return HalvingRandomSearchCV(
        pipeline, space, n_candidates=search.n_iter, random_state=seed, **halving
    )


def _grid_size(space: Mapping[str, Any]) -> float:
    if not all(isinstance(values, list) for values in space.values()):
        return float("inf")
    return float(len(ParameterGrid(dict(space))))


def _cell(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return str(value)


def search_results_frame(cv_results: Mapping[str, Any]) -> pd.DataFrame:
    """Return ``cv_results_`` as a table, best first, one row per setting tried
    (per round, for successive halving)."""
    frame = pd.DataFrame(
        {
            key: [_cell(value) for value in np.asarray(values, dtype=object)]
            for key, values in cv_results.items()
        }
    )
    # Successive halving: the last round (most rows) first, as it decides.
    order = (["iter"] if "iter" in frame else []) + ["rank_test_score"]
    ascending = ([False] if "iter" in frame else []) + [True]
    return frame.sort_values(order, ascending=ascending, kind="stable").reset_index(
        drop=True
    )


def tuned_hyperparameters(
    hyperparameters: Mapping[str, Any],
    best_params: Mapping[str, Any],
    prefix: str = "estimator__",
) -> dict[str, Any]:
    """Return the fixed hyperparameters updated with the search's best values.

    Estimator parameters lose their ``prefix``; parameters of other steps keep
    their full name. Values are made JSON-friendly.
    """
    tuned = dict(hyperparameters)
    for key, value in sorted(best_params.items()):
        name = key.removeprefix(prefix)
        tuned[name] = _json_value(value)
    return tuned


def _json_value(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return [_json_value(item) for item in value]
    return value
