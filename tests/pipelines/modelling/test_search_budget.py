"""The search's time budget: the same settings as the unbudgeted search, cut short."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, RandomizedSearchCV

from ml_workflow.core.config import Search
from ml_workflow.core.config.training import Distribution
from ml_workflow.pipelines.modelling.budget import BudgetedSearch
from ml_workflow.pipelines.modelling.search import build_search, parameter_space


def _data() -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(0)
    features = pd.DataFrame(rng.normal(size=(60, 3)), columns=["a", "b", "c"])
    target = features["a"] * 3 - features["b"] + rng.normal(scale=0.5, size=60)
    return features, target


def _search(settings: dict, **kwargs) -> object:
    space = {"alpha": Distribution(distribution="loguniform", low=0.001, high=1000.0)}
    return build_search(
        Ridge(),
        parameter_space(space, prefix=""),
        Search.model_validate(settings),
        "r2",
        KFold(3, shuffle=True, random_state=0),
        seed=7,
        n_jobs=1,
        **kwargs,
    )


def test_an_unspent_budget_gives_the_random_search_its_own_results() -> None:
    features, target = _data()
    plain = _search({"n_iter": 5}, refit=True)
    budgeted = _search({"n_iter": 5, "max_seconds": 3600}, refit=True)
    assert isinstance(plain, RandomizedSearchCV)
    assert isinstance(budgeted, BudgetedSearch)
    plain.fit(features, target)
    budgeted.fit(features, target)
    assert budgeted.cv_results_["params"] == plain.cv_results_["params"]
    np.testing.assert_allclose(
        budgeted.cv_results_["mean_test_score"], plain.cv_results_["mean_test_score"]
    )
    np.testing.assert_array_equal(
        budgeted.cv_results_["rank_test_score"], plain.cv_results_["rank_test_score"]
    )
    assert budgeted.best_params_ == plain.best_params_
    assert budgeted.best_score_ == pytest.approx(plain.best_score_)
    np.testing.assert_allclose(
        budgeted.best_estimator_.coef_, plain.best_estimator_.coef_
    )


def test_a_spent_budget_stops_after_the_first_round(caplog) -> None:
    features, target = _data()
    search = _search({"n_iter": 6, "max_seconds": 1e-9}, refit=False)
    search.fit(features, target)
    assert len(search.cv_results_["params"]) == 1  # one round of n_jobs=1 setting
    assert search.best_index_ == 0
    assert not hasattr(search, "best_estimator_")
    assert "Search stopped after 1 of 6 settings" in caplog.text
    assert "model_selection.search.max_seconds" in caplog.text


def test_rounds_are_ranked_together_with_a_failed_setting_last() -> None:
    """Two settings a round (two jobs): the setting that fails ranks below the
    others, across rounds, and the results keep the settings' order."""
    features, target = _data()
    settings = [{"alpha": 1000.0}, {"alpha": -1.0}, {"alpha": 0.001}]
    search = BudgetedSearch(
        Ridge(),
        settings,
        scoring="r2",
        cv=KFold(3, shuffle=True, random_state=0),
        max_seconds=3600,
        n_jobs=2,
        refit=False,
    )
    with pytest.warns(FitFailedWarning):
        search.fit(features, target)
    assert search.cv_results_["params"] == settings
    assert search.cv_results_["rank_test_score"].tolist() == [2, 3, 1]
    assert isinstance(search.cv_results_["param_alpha"], np.ma.MaskedArray)
    assert search.cv_results_["param_alpha"].tolist() == [1000.0, -1.0, 0.001]
    assert search.best_params_ == {"alpha": 0.001}


def _one_by_one(settings: list[dict], max_seconds: float = 3600) -> BudgetedSearch:
    """A budgeted search of ``settings`` in rounds of one (one job)."""
    return BudgetedSearch(
        Ridge(),
        settings,
        scoring="r2",
        cv=KFold(3, shuffle=True, random_state=0),
        max_seconds=max_seconds,
        n_jobs=1,
        refit=True,
    )


def test_a_round_whose_every_fit_failed_is_left_out_and_the_search_goes_on(
    caplog,
) -> None:
    """One setting a round: a failing setting fails its whole round, which
    scikit-learn raises for; the search logs it and goes on, as
    RandomizedSearchCV does when only some of its fits fail."""
    features, target = _data()
    search = _one_by_one([{"alpha": 1000.0}, {"alpha": -1.0}, {"alpha": 0.001}])
    search.fit(features, target)
    assert search.cv_results_["params"] == [{"alpha": 1000.0}, {"alpha": 0.001}]
    assert search.best_params_ == {"alpha": 0.001}
    assert search.best_estimator_.alpha == 0.001
    assert "every fit of [{'alpha': -1.0}] failed" in caplog.text
    assert "alpha" in caplog.text.split("left out of the results")[1]


def test_a_spent_budget_still_runs_rounds_until_one_setting_is_scored() -> None:
    features, target = _data()
    search = _one_by_one([{"alpha": -1.0}, {"alpha": 1.0}, {"alpha": 2.0}], 1e-9)
    search.fit(features, target)
    assert search.cv_results_["params"] == [{"alpha": 1.0}]


def test_a_search_whose_every_round_failed_raises_scikit_learns_error() -> None:
    features, target = _data()
    search = _one_by_one([{"alpha": -1.0}, {"alpha": -2.0}])
    with pytest.raises(ValueError, match="All the 3 fits failed"):
        search.fit(features, target)


@pytest.mark.parametrize("strategy", ["halving", "none"])
def test_a_budget_is_refused_where_it_cannot_apply(strategy: str) -> None:
    with pytest.raises(ValidationError, match="max_seconds budgets the 'grid'"):
        Search.model_validate({"strategy": strategy, "max_seconds": 10})
