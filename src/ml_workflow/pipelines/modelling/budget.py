"""A hyperparameter search with a time budget (``model_selection.search.max_seconds``).

scikit-learn's searches cannot stop on time: ``RandomizedSearchCV`` fits all
``n_iter`` settings × folds however long each takes. `BudgetedSearch` is a
``BaseSearchCV`` whose ``_run_search`` (scikit-learn's documented hook for a
custom schedule, the one successive halving uses) evaluates the same settings
(``ParameterSampler`` with the same seed, so an unspent budget gives exactly
the unbudgeted search's results) in rounds of as many settings as run in
parallel, and starts no round once the budget is spent. scikit-learn merges
the rounds' results, ranks them (a failed setting last), picks the best and
refits it. Rounds go on past the budget until one setting has been scored, so
a search never ends empty.

scikit-learn raises "All the N fits failed" for one call whose every fit
failed, which for a search in rounds would be one round. As
``RandomizedSearchCV`` raises only when every fit of the whole search failed,
such a round is logged and left out of ``cv_results_`` (a setting that failed
beside one that did not stays in as a failed row), and the search raises
scikit-learn's error only when no round scored any setting.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from joblib import effective_n_jobs
from sklearn.base import BaseEstimator
from sklearn.model_selection import BaseCrossValidator
from sklearn.model_selection._search import BaseSearchCV

logger = logging.getLogger(__name__)

_ALL_FITS_FAILED = re.compile(r"\s*All the \d+ fits failed\.")
"""The start of scikit-learn's error when every fit of one call failed."""


class BudgetedSearch(BaseSearchCV):
    """Cross-validate ``settings`` in rounds until ``max_seconds`` are spent.

    A scikit-learn search: ``cv_results_`` (only the settings tried),
    ``best_params_``, ``best_score_``, ``best_index_`` and, with ``refit``,
    ``best_estimator_`` fitted on every row. ``n_iter`` (the settings planned)
    lets the progress log size its bar.
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
        super().__init__(
            estimator,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            error_score=error_score,
            return_train_score=False,  # as GridSearchCV and RandomizedSearchCV
        )
        self.settings = settings
        self.max_seconds = max_seconds

    @property
    def n_iter(self) -> int:
        """The settings planned, before the budget cuts any."""
        return len(self.settings)

    def _run_search(
        self, evaluate_candidates: Callable[..., Any], *, callback_ctx: Any = None
    ) -> None:
        """Evaluate round after round until the budget is spent."""
        if not self.settings:
            raise ValueError("BudgetedSearch needs at least one setting to try")
        round_size = max(1, effective_n_jobs(self.n_jobs))
        started = time.perf_counter()
        first_failure: ValueError | None = None
        scored = False
        for start in range(0, len(self.settings), round_size):
            spent = time.perf_counter() - started
            if scored and spent >= self.max_seconds:
                logger.warning(
                    "Search stopped after %d of %d settings: its time budget "
                    "(model_selection.search.max_seconds %g) was spent (%.0f s)",
                    start,
                    len(self.settings),
                    self.max_seconds,
                    spent,
                )
                return
            settings = list(self.settings[start : start + round_size])
            try:
                evaluate_candidates(settings)
            except ValueError as error:
                if not _ALL_FITS_FAILED.match(str(error)):
                    raise
                first_failure = first_failure or error
                logger.warning(
                    "Search: every fit of %s failed, so %s left out of the "
                    "results (%s)",
                    settings,
                    "it is" if len(settings) == 1 else "they are",
                    _last_error_line(error),
                )
                continue
            scored = True
        if not scored and first_failure is not None:
            raise first_failure


def _last_error_line(error: ValueError) -> str:
    """The last line of scikit-learn's failure summary: the last fit's error."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[-1] if lines else "no details"


__all__ = ["BudgetedSearch"]
