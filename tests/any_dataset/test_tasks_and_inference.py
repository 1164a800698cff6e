"""Multiclass and ordered-label targets, date and duplicate columns, as a new user brings them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from kedro.io.core import DatasetError
from sklearn import metrics
from sklearn.linear_model import LogisticRegression

from ml_workflow.core.config import Problem, load_variant
from ml_workflow.core.task import (
    BinaryClassificationTask,
    MulticlassClassificationTask,
    task_for,
)
from ml_workflow.datasets import ReadOnlyCSVDataset
from ml_workflow.errors import ConfigurationError, DataValidationError
from ml_workflow.scaffold.infer import (
    formatted_numbers,
    infer_column_kind,
    infer_positive_class,
)
from ml_workflow.scaffold.variant import plan_variant, read_data

CANDIDATES = [{"name": "lr", "estimator": "sklearn.linear_model.LogisticRegression"}]


def problem(**overrides: object) -> Problem:
    raw = {"task": "classification", "target": "y", "features": {"numeric": ["x"]}}
    return Problem.model_validate({**raw, **overrides})


def test_a_classification_without_positive_class_is_multiclass() -> None:
    assert isinstance(task_for(problem()), MulticlassClassificationTask)
    assert isinstance(task_for(problem(positive_class="a")), BinaryClassificationTask)


def test_multiclass_defaults_use_macro_f1_and_no_threshold() -> None:
    config = load_variant(
        "toy",
        {"problem": problem().model_dump(exclude_none=True), "candidates": CANDIDATES},
    )
    assert config.evaluation.primary_metric == "f1_macro"
    assert config.model_selection.threshold is None
    assert config.split.stratify is True


def test_a_threshold_for_multiclass_is_a_configuration_error() -> None:
    raw = {
        "problem": problem().model_dump(exclude_none=True),
        "candidates": CANDIDATES,
        "model_selection": {"threshold": {"objective": "f1"}},
    }
    with pytest.raises(ConfigurationError, match=r"toy\.model_selection\.threshold: "):
        load_variant("toy", raw)


def test_multiclass_metrics_match_scikit_learn() -> None:
    rng = np.random.default_rng(0)
    features = pd.DataFrame({"x": rng.normal(size=300), "z": rng.normal(size=300)})
    target = np.select([features.x < -0.4, features.x > 0.4], ["low", "high"], "mid")
    model = LogisticRegression().fit(features, target)
    task = MulticlassClassificationTask(problem())
    predictions = task.predictions(model, features)
    assert [c for c in predictions if c.startswith("probability_")] == [
        "probability_high",
        "probability_low",
        "probability_mid",
    ]
    found = task.metrics(target, predictions)
    assert found["f1_macro"] == pytest.approx(
        metrics.f1_score(target, model.predict(features), average="macro")
    )
    assert found["log_loss"] == pytest.approx(
        metrics.log_loss(target, model.predict_proba(features), labels=model.classes_)
    )
    assert found["roc_auc_ovr"] == pytest.approx(
        metrics.roc_auc_score(target, model.predict_proba(features), multi_class="ovr")
    )
    scorer = task.scorer("f1_macro")
    assert scorer(model, features, target) == pytest.approx(found["f1_macro"])
    extras = task.evaluation_extras(
        pd.Series(target), predictions.assign(actual=target)
    )
    assert np.asarray(extras["confusion_matrix"]["matrix"]).shape == (3, 3)
    assert set(extras["per_class"]) == {"high", "low", "mid"}
    rows = task.prediction_rows(predictions.head(2))
    assert sum(rows[0]["probabilities"].values()) == pytest.approx(1.0)


def test_the_macro_scorer_copes_with_a_fold_holding_two_classes() -> None:
    features = pd.DataFrame({"x": np.arange(20.0)})
    target = np.array(["a"] * 10 + ["b"] * 10)
    model = LogisticRegression().fit(features, target)
    scorer = MulticlassClassificationTask(problem()).scorer("f1_macro")
    assert 0 <= scorer(model, features, target) <= 1


def test_ordered_labels_are_regressed_on_their_rank() -> None:
    ordered = Problem.model_validate(
        {
            "task": "regression",
            "target": "y",
            "target_order": ["low", "mid", "high"],
            "features": {"numeric": ["x"]},
        }
    )
    task = task_for(ordered)
    ranks = task.coerce_target(pd.Series(["high", " low", None, "mid"]))
    assert ranks.tolist()[:2] == [2.0, 0.0] and np.isnan(ranks[2]) and ranks[3] == 1.0
    with pytest.raises(DataValidationError, match=r"label\(s\) \['huge'\]"):
        task.coerce_target(pd.Series(["huge"]))


def test_three_classes_have_no_positive_class_two_do() -> None:
    assert infer_positive_class(pd.Series(["a", "b", "c", "a"])) is None
    assert infer_positive_class(pd.Series(["no", "yes", "no"])) == "yes"


@pytest.mark.parametrize(
    "values",
    [
        ["2023-01-05", "2023-02-11", "2024-07-30", None] * 5,
        ["05/01/2023 10:00", "11/02/2023 11:30", "30/07/2024 08:15"] * 5,
    ],
)
def test_a_date_column_is_inferred_as_datetime(values: list[str | None]) -> None:
    assert infer_column_kind(pd.Series(values, name="arrival")).kind == "datetime"


def test_codes_with_dashes_are_not_mistaken_for_dates() -> None:
    codes = pd.Series([f"AB-{i:03d}-X" for i in range(40)], name="code")
    assert infer_column_kind(codes).kind != "datetime"


def test_text_labels_refuse_task_regression_without_an_order() -> None:
    data = pd.DataFrame({"x": [0.5, 1.5, 2.5] * 20, "y": ["low", "mid", "high"] * 20})
    with pytest.raises(ConfigurationError) as caught:
        plan_variant(data, "grade", "y", "data/01_raw/grade.csv", "csv", "regression")
    message = str(caught.value)
    assert "holds text labels ['high', 'low', 'mid']" in message
    assert "--order" in message
    plan = plan_variant(
        data, "grade", "y", "data/01_raw/grade.csv", "csv", order=("low", "mid", "high")
    )
    assert plan.task == "regression" and plan.target_order == ("low", "mid", "high")


def test_prices_written_as_text_are_refused_with_how_to_write_them() -> None:
    # a price column exported with currency formatting, as spreadsheets do
    prices = [f"${100_000 + 1_237 * i:,}" for i in range(60)]
    data = pd.DataFrame({"rooms": [i % 7 for i in range(60)], "Price": prices})
    with pytest.raises(ConfigurationError) as caught:
        plan_variant(data, "prices", "Price", "data/01_raw/prices.csv", "csv")
    message = str(caught.value)
    assert "'Price' has 60 distinct labels in 60 rows" in message
    assert "'$100,000'" in message  # what was found
    assert "write them as plain numbers (193453, not $193,453)" in message
    assert "--task classification" in message  # the way to insist
    with pytest.raises(ConfigurationError, match="currency signs"):
        plan_variant(data, "prices", "Price", "data/01_raw/p.csv", "csv", "regression")
    # the user can insist on classes; plain numbers are regression
    insisted = plan_variant(
        data, "prices", "Price", "data/01_raw/prices.csv", "csv", "classification"
    )
    assert insisted.task == "classification"
    plain = data.assign(Price=[100_000 + 1_237 * i for i in range(60)])
    assert plan_variant(plain, "p", "Price", "data/01_raw/p.csv", "csv").task == (
        "regression"
    )


def test_identifier_like_labels_are_refused_and_repeated_labels_are_classes() -> None:
    codes = pd.DataFrame(
        {"x": [i % 7 for i in range(50)], "code": [f"K{i:03d}" for i in range(50)]}
    )
    with pytest.raises(ConfigurationError) as caught:
        plan_variant(codes, "codes", "code", "data/01_raw/codes.csv", "csv")
    assert "too many to be classes" in str(caught.value)
    assert "currency" not in str(caught.value)  # not numbers: no such hint
    # 30 classes of 3 rows each, and 10 of 1 (2.5 rows a class): classes
    repeated = pd.DataFrame(
        {
            "x": [i % 7 for i in range(100)],
            "y": [f"c{i // 3}" for i in range(90)] + list("abcdefghij"),
        }
    )
    plan = plan_variant(repeated, "many", "y", "data/01_raw/many.csv", "csv")
    assert plan.task == "classification"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["$1,200", "$3,400.50", "$12"], True),
        (["12.5%", "3%", "100 %"], True),
        (["1 200,50 €", "3 400 €", "12 €"], True),
        (["low", "mid", "high"], False),
        (["A-12", "B-7", "C-3"], False),
    ],
)
def test_formatted_numbers_are_told_from_labels(
    values: list[str], expected: bool
) -> None:
    assert formatted_numbers(pd.Series(values * 10)) is expected


def test_an_order_must_rank_every_label() -> None:
    data = pd.DataFrame({"x": [0.5, 1.5, 2.5] * 20, "y": ["low", "mid", "high"] * 20})
    with pytest.raises(ConfigurationError, match=r"lacks \['mid'\]"):
        plan_variant(data, "g", "y", "raw.csv", "csv", order=("low", "high"))


def test_duplicate_column_names_are_refused_naming_the_column(tmp_path: Path) -> None:
    path = tmp_path / "dupes.csv"
    path.write_text("id,price,price,city\n1,2,3,x\n4,5,6,y\n")
    with pytest.raises(DatasetError, match=r"used more than once: \['price'\]"):
        ReadOnlyCSVDataset(filepath=str(path)).load()
    with pytest.raises(DataValidationError, match=r"more than once: \['price'\]"):
        read_data(path)
