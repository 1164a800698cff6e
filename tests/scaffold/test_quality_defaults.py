"""What `kedro variant create` proposes follows the data: a log target for a
skewed price, class weights for rare positives, bounded text features."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import yaml

from ml_workflow.core.config import load_variant
from ml_workflow.scaffold.budgets import (
    LEARNING_CURVE_TEXT_CHARACTERS,
    LONG_TEXT_CHARACTERS,
    MIN_LEARNING_CURVE_ROWS,
)
from ml_workflow.scaffold.infer import target_skewness
from ml_workflow.scaffold.render import render_parameters
from ml_workflow.scaffold.variant import plan_variant

ROWS = 200


def _tabular(target: np.ndarray) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "size": rng.uniform(1, 9, ROWS),
            "kind": rng.choice(["a", "b"], ROWS),
            "y": target,
        }
    )


def _candidates(frame: pd.DataFrame, **kwargs: object) -> dict[str, dict]:
    plan = plan_variant(frame, "toy", "y", "x.csv", "csv", **kwargs)
    parameters = yaml.safe_load(render_parameters(plan))["toy"]
    load_variant("toy", parameters)  # a valid variant
    return {c["name"]: c for c in parameters["candidates"]}


def test_a_skewed_positive_target_gets_a_log_target_candidate() -> None:
    price = np.random.default_rng(1).lognormal(12, 0.8, ROWS)
    assert target_skewness(pd.Series(price)) > 1
    candidates = _candidates(_tabular(price))
    assert candidates["hist_gradient_boosting_log"]["target_transform"] == "log"
    assert "target_transform" not in candidates["hist_gradient_boosting"]


def test_a_skewed_target_with_negative_values_gets_a_power_transform() -> None:
    price = np.random.default_rng(1).lognormal(1, 0.8, ROWS) - 3.0
    candidates = _candidates(_tabular(price))
    assert candidates["hist_gradient_boosting_log"]["target_transform"] == "power"


def test_a_symmetric_target_gets_no_target_transform() -> None:
    candidates = _candidates(_tabular(np.random.default_rng(1).normal(0, 1, ROWS)))
    assert "hist_gradient_boosting_log" not in candidates
    assert all("target_transform" not in c for c in candidates.values())


@pytest.mark.parametrize(("positives", "weighted"), [(8, True), (60, False)])
def test_rare_positives_add_a_class_weighted_boosting(
    positives: int, weighted: bool
) -> None:
    labels = np.array(["yes"] * positives + ["no"] * (ROWS - positives))
    candidates = _candidates(_tabular(labels))
    assert ("hist_gradient_boosting_balanced" in candidates) is weighted
    if weighted:
        balanced = candidates["hist_gradient_boosting_balanced"]
        assert balanced["hyperparameters"]["class_weight"] == "balanced"


def _texts(words_per_row: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    vocabulary = np.array([f"word{i}" for i in range(500)])
    return pd.DataFrame(
        {
            "body": [
                " ".join(rng.choice(vocabulary, words_per_row)) for _ in range(ROWS)
            ],
            "y": rng.choice(["spam", "ham"], ROWS),
        }
    )


def test_short_texts_get_a_capped_vocabulary_and_a_linear_svm() -> None:
    frame = _texts(10)
    plan = plan_variant(frame, "toy", "y", "x.csv", "csv")
    parameters = yaml.safe_load(render_parameters(plan))["toy"]
    vectorizer = parameters["preprocessing"]["text_vectorizer"]
    assert vectorizer["max_features"] == 100_000 and vectorizer["min_df"] == 2
    assert parameters["preprocessing"]["numeric_scaler"] == "minmax"
    names = [c["name"] for c in parameters["candidates"]]
    assert {"linear_svm", "random_forest"} <= set(names)


def test_long_texts_are_hashed_and_skip_the_forest() -> None:
    words = LONG_TEXT_CHARACTERS // (ROWS * 6) + 1  # "wordNN " is 6-8 characters
    frame = _texts(words)
    plan = plan_variant(frame, "toy", "y", "x.csv", "csv")
    assert plan.text_characters > LONG_TEXT_CHARACTERS
    parameters = yaml.safe_load(render_parameters(plan))["toy"]
    vectorizer = parameters["preprocessing"]["text_vectorizer"]
    assert vectorizer["kind"] == "hashing"
    # each linear model holds arrays this long: 2**20 cost L-BFGS 289 MB more
    assert vectorizer["n_features"] <= 2**18
    assert parameters["preprocessing"]["numeric_scaler"] == "minmax"
    names = [c["name"] for c in parameters["candidates"]]
    assert "random_forest" not in names and "linear_svm" in names
    assert "only_without_long_text" not in render_parameters(plan)


@pytest.mark.parametrize(
    ("rows", "characters", "expected"),
    [
        (6046, 32_500_000, 1800),  # the e-mails: 5,375 characters a row
        (6046, 600_000, None),  # short messages: the default 4,000 rows
        (1000, 12_000_000, 800),  # 833 rows fit the budget, rounded down
        (1000, 8_000_000, None),  # 1,250 rows fit: more than the data holds
        (20_000, 2_000_000_000, 500),  # 100,000 characters a row: the floor
    ],
)
def test_the_learning_curve_samples_long_texts_by_their_volume(
    rows: int, characters: int, expected: int | None
) -> None:
    plan = replace(
        plan_variant(_texts(10), "toy", "y", "x.csv", "csv"),
        rows=rows,
        text_characters=characters,
    )
    parameters = yaml.safe_load(render_parameters(plan))["toy"]
    curve = parameters.get("evaluation", {}).get("learning_curve", {})
    assert curve.get("max_rows") == expected
    if expected is not None and expected > MIN_LEARNING_CURVE_ROWS:
        assert expected * characters / rows <= LEARNING_CURVE_TEXT_CHARACTERS
    load_variant("toy", parameters)


BOOSTING = ("hist_gradient_boosting", "hist_gradient_boosting_log")
GROUPING = "preprocess__categorical__encode__min_frequency"


def test_boosting_stops_early_only_on_big_data() -> None:
    """A 10 % hold-out and a stop after 10 idle rounds cost small data
    cross-validated score: scikit-learn's "auto" stops early above 10,000 rows."""
    price = np.random.default_rng(1).lognormal(12, 0.8, ROWS)
    candidates = _candidates(_tabular(price))
    labels = np.array(["yes"] * 8 + ["no"] * (ROWS - 8))
    candidates |= {
        f"{name}_binary": c for name, c in _candidates(_tabular(labels)).items()
    }
    boosting = [c for c in candidates.values() if "HistGradient" in c["estimator"]]
    assert len(boosting) == 4  # plain and log; plain and balanced
    for candidate in boosting:
        assert "early_stopping" not in candidate["hyperparameters"]
        assert candidate["hyperparameters"]["max_iter"] >= 300


def test_boosting_searches_how_rare_a_category_may_be_only_with_categories() -> None:
    price = np.random.default_rng(1).lognormal(12, 0.8, ROWS)
    with_categories = _candidates(_tabular(price))
    without = _candidates(_tabular(price).drop(columns="kind"))
    for name in BOOSTING:
        assert with_categories[name]["search_space"][GROUPING] == [None, 20, 100]
        assert GROUPING not in without[name]["search_space"]
        # the rest of the space is the same
        assert set(with_categories[name]["search_space"]) - {GROUPING} == set(
            without[name]["search_space"]
        )


def test_the_shared_boosting_space_is_written_out_in_full() -> None:
    """The defaults share one search space through a YAML alias; each
    candidate of the written file has its own copy, not an alias."""
    price = np.random.default_rng(1).lognormal(12, 0.8, ROWS)
    plan = plan_variant(_tabular(price), "toy", "y", "x.csv", "csv")
    text = render_parameters(plan)
    assert "&id" not in text and "*id" not in text
    written = yaml.safe_load(text)["toy"]["candidates"]
    spaces = [c["search_space"] for c in written if c["name"] in BOOSTING]
    assert len(spaces) == 2 and spaces[0] == spaces[1]
    assert "max_features" in spaces[0]
