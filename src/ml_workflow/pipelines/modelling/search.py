"""Hyperparameter search of one candidate, with the strategy parameters name.

A search space maps a parameter to a list of values, or (``random`` and
``halving`` only) to a distribution ``{distribution: loguniform|uniform|randint,
low: ..., high: ...}``. A plain name (``C``) addresses the estimator; a name
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
    RandomizedSearchCV,
)

from ml_workflow.errors import ConfigurationError

STRATEGIES = ("grid", "random", "halving")
_DISTRIBUTIONS = {
    "loguniform": stats.loguniform,
    "uniform": lambda low, high: stats.uniform(low, high - low),
    "randint": lambda low, high: stats.randint(low, high + 1),
}


def _value(value: Any) -> Any:
    # YAML has no tuples; scikit-learn wants e.g. ngram_range=(1, 2).
    return tuple(value) if isinstance(value, list) else value


def parameter_space(
    space: Mapping[str, Any] | None, pipeline: BaseEstimator, strategy: str
) -> dict[str, Any]:
    """Translate a configured search space into scikit-learn's, checking every key."""
    valid = pipeline.get_params()
    translated: dict[str, Any] = {}
    for key, values in (space or {}).items():
        name = key if "__" in key else f"estimator__{key}"
        if name not in valid:
            raise ConfigurationError(
                f"search_space key {key!r} ({name}) is not a parameter of the model; "
                f"estimator parameters: "
                f"{sorted(k[11:] for k in valid if k.startswith('estimator__'))}"
            )
        if isinstance(values, Mapping):
            if strategy == "grid":
                raise ConfigurationError(
                    f"search_space {key!r} is a distribution, which the 'grid' "
                    "strategy cannot enumerate: give a list of values"
                )
            kind = values.get("distribution")
            if kind not in _DISTRIBUTIONS or not {"low", "high"} <= set(values):
                raise ConfigurationError(
                    f"search_space {key!r}: a distribution needs 'distribution' "
                    f"(one of {sorted(_DISTRIBUTIONS)}), 'low' and 'high'; "
                    f"found {dict(values)}"
                )
            translated[name] = _DISTRIBUTIONS[kind](values["low"], values["high"])
        elif isinstance(values, list) and values:
            translated[name] = [_value(value) for value in values]
        else:
            raise ConfigurationError(
                f"search_space {key!r} must be a non-empty list of values or a "
                f"distribution, found {values!r}"
            )
    return translated


def build_search(
    pipeline: BaseEstimator,
    space: dict[str, Any],
    search: Mapping[str, Any],
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
    ``halving`` one (successive halving over the whole grid).
    """
    strategy = search.get("strategy", "random")
    if strategy not in STRATEGIES:
        raise ConfigurationError(
            "model_selection.search.strategy must be one of "
            f"{[*STRATEGIES, 'none']}, "
            f"found {strategy!r}"
        )
    common = {"scoring": scorer, "cv": cv, "n_jobs": n_jobs, "refit": refit}
    if strategy == "grid" or not space:
        return GridSearchCV(pipeline, space or {}, **common)
    n_iter = search.get("n_iter", 10)
    if not isinstance(n_iter, int) or isinstance(n_iter, bool) or n_iter < 1:
        raise ConfigurationError(
            f"model_selection.search.n_iter must be a positive integer, found {n_iter!r}"
        )
    if strategy == "random" and _grid_size(space) <= n_iter:
        return GridSearchCV(pipeline, space, **common)
    if strategy == "random":
        return RandomizedSearchCV(
            pipeline, space, n_iter=n_iter, random_state=seed, **common
        )
    halving = {
        "factor": search.get("factor", 3),
        # "exhaust": the last round uses every training row
        "min_resources": search.get("min_resources", "exhaust"),
        **common,
    }
    if _grid_size(space) <= n_iter:
        return HalvingGridSearchCV(pipeline, space, **halving)
    return HalvingRandomSearchCV(
        pipeline, space, n_candidates=n_iter, random_state=seed, **halving
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
    hyperparameters: Mapping[str, Any] | None, best_params: Mapping[str, Any]
) -> dict[str, Any]:
    """Return the fixed hyperparameters updated with the search's best values.

    Estimator parameters lose their ``estimator__`` prefix; parameters of other
    steps keep their full name. Values are made JSON-friendly.
    """
    tuned = dict(hyperparameters or {})
    for key, value in sorted(best_params.items()):
        name = key.removeprefix("estimator__")
        tuned[name] = _json_value(value)
    return tuned


def _json_value(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return [_json_value(item) for item in value]
    return value
