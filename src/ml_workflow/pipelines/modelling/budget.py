"""A hyperparameter search with a time budget (``model_selection.search.max_seconds``).

scikit-learn's searches cannot stop on time: ``RandomizedSearchCV`` fits all
``n_iter`` settings × folds however long each takes. `BudgetedSearch`
cross-validates the same settings (``ParameterSampler`` with the same seed, so
an unspent budget gives exactly the unbudgeted search's results) in rounds of
as many settings as run in parallel, each round a ``GridSearchCV`` over its
settings, and stops starting rounds once the budget is spent: the best setting
found so far wins. The first round always runs, so a search never ends empty.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from joblib import effective_n_jobs
from scipy.stats import rankdata
from sklearn.base import BaseEstimator, clone
from sklearn.model_selection import BaseCrossValidator, GridSearchCV

logger = logging.getLogger(__name__)


class BudgetedSearch:
    """Cross-validate ``settings`` in rounds until ``max_seconds`` are spent.

    The fitted object answers like a scikit-learn search: ``cv_results_``
    (only the settings tried, ranked among themselves), ``best_params_``,
    ``best_score_``, ``best_index_`` and, with ``refit``, ``best_estimator_``
    fitted on every row. ``n_iter`` (the settings planned) lets the progress
    log size its bar.
    """

    def __init__(  # noqa: PLR0913 - scikit-learn's search arguments
        self,
        estimator: BaseEstimator,
        settings: Sequence[Mapping[str, Any]],
        *,
        scoring: Any,
        cv: BaseCrossValidator,
        max_seconds: float,
        n_jobs: int | None = None,
        refit: bool = True,
        error_score: float = np.nan,
    ) -> None:
        self.estimator = estimator
        self.settings = settings
        self.scoring = scoring
        self.cv = cv
        self.max_seconds = max_seconds
        self.n_jobs = n_jobs
        self.refit = refit
        self.error_score = error_score

    @property
    def n_iter(self) -> int:
        """The settings planned, before the budget cuts any."""
        return len(self.settings)

    def fit(self, features: Any, target: Any) -> BudgetedSearch:
        """Cross-validate round after round; refit the best if asked."""
        if not self.settings:
            raise ValueError("BudgetedSearch needs at least one setting to try")
        round_size = max(1, effective_n_jobs(self.n_jobs))
        started = time.perf_counter()
        rounds: list[dict[str, Any]] = []
        for start in range(0, len(self.settings), round_size):
            spent = time.perf_counter() - started
            if rounds and spent >= self.max_seconds:
                logger.warning(
                    "Search stopped after %d of %d settings: its time budget "
                    "(model_selection.search.max_seconds %g) was spent (%.0f s)",
                    start,
                    len(self.settings),
                    self.max_seconds,
                    spent,
                )
                break
            chunk = self.settings[start : start + round_size]
            grid = GridSearchCV(
                self.estimator,
                [
                    {name: [value] for name, value in setting.items()}
                    for setting in chunk
                ],
                scoring=self.scoring,
                cv=self.cv,
                n_jobs=self.n_jobs,
                refit=False,
                error_score=self.error_score,
            )
            grid.fit(features, target)
            rounds.append(grid.cv_results_)
        self.cv_results_ = merge_results(rounds)
        self.best_index_ = int(np.argmin(self.cv_results_["rank_test_score"]))
        self.best_params_ = dict(self.cv_results_["params"][self.best_index_])
        self.best_score_ = float(self.cv_results_["mean_test_score"][self.best_index_])
        if self.refit:
            self.best_estimator_ = (
                clone(self.estimator)
                .set_params(**self.best_params_)
                .fit(features, target)
            )
        return self


def merge_results(rounds: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Concatenate the rounds' ``cv_results_`` and rank every setting anew.

    A setting that failed (NaN score) ranks last, as in scikit-learn.
    """
    keys = [key for key in rounds[0] if key != "rank_test_score"]
    merged: dict[str, Any] = {}
    for key in keys:
        parts = [part[key] for part in rounds]
        if key == "params":
            merged[key] = [setting for part in parts for setting in part]
        elif isinstance(parts[0], np.ma.MaskedArray):
            merged[key] = np.ma.concatenate(parts)
        else:
            merged[key] = np.concatenate(parts)
    scores = np.asarray(merged["mean_test_score"], dtype=float)
    scores = np.where(np.isnan(scores), -np.inf, scores)
    merged["rank_test_score"] = rankdata(-scores, method="min").astype(np.int32)
    return merged


__all__ = ["BudgetedSearch", "merge_results"]
