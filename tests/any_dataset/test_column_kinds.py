"""Every column kind reaches every kind of estimator in the form it can take."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.compose import ColumnTransformer

from ml_workflow.core.coercion import as_datetimes, as_numbers, typed_features
from ml_workflow.core.config import Candidate, Preprocessing, Problem
from ml_workflow.core.dates import DateTimeFeatures, parse_datetimes
from ml_workflow.core.model_builder import candidate_pipeline, feature_transform
from ml_workflow.core.text import TextComponents
from ml_workflow.errors import DataValidationError

PROBLEM = Problem.model_validate(
    {
        "task": "classification",
        "target": "label",
        "positive_class": "yes",
        "features": {
            "numeric": ["size"],
            "categorical": [f"c{i}" for i in range(12)],
            "datetime": ["signed"],
            "text": ["note"],
        },
    }
)


def frame(rows: int = 200, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data: dict[str, Any] = {"size": rng.normal(size=rows)}
    for i in range(12):
        data[f"c{i}"] = [f"v{v}" for v in rng.integers(0, 30, rows)]
    data["signed"] = (
        np.datetime64("2022-01-01")
        + rng.integers(0, 700, rows).astype("timedelta64[D]")
    ).astype(str)
    data["note"] = [
        " ".join(rng.choice(["late", "great", "refund", "ok", "never"], 5))
        for _ in range(rows)
    ]
    data["label"] = np.where(rng.random(rows) > 0.5, "yes", "no")
    raw = pd.DataFrame(data)
    typed = typed_features(raw, PROBLEM.features)
    typed["label"] = raw["label"]
    return typed


def pipeline_for(estimator: str, **preprocessing: Any) -> Any:
    candidate = Candidate(name="c", estimator=estimator)
    return candidate_pipeline(
        PROBLEM,
        feature_transform(()),
        Preprocessing(**preprocessing),
        candidate,
        seed=0,
    )


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return frame()


def test_dates_are_typed_as_datetimes_not_labels(data: pd.DataFrame) -> None:
    assert pd.api.types.is_datetime64_any_dtype(data["signed"])


def test_histogram_boosting_gets_dense_features_and_native_categories(
    data: pd.DataFrame,
) -> None:
    model = pipeline_for("sklearn.ensemble.HistGradientBoostingClassifier")
    model.fit(data[PROBLEM.feature_columns], data["label"])
    preprocess: ColumnTransformer = model.named_steps["preprocess"]
    output = preprocess.transform(data[PROBLEM.feature_columns])
    assert not sparse.issparse(output)
    assert preprocess.transformers_[0][0] == "categorical"
    estimator = model.named_steps["estimator"]
    assert list(estimator.categorical_features) == list(range(12))
    assert estimator.is_categorical_.sum() == 12
    # text reduced to dense components, dates expanded into numbers
    assert "components" in preprocess.named_transformers_["text_note"].named_steps
    names = preprocess.get_feature_names_out()
    assert "datetime__signed_month" in names and "datetime__signed_days" in names
    assert not any(name.startswith("categorical__c0_v") for name in names)


def test_sparse_estimators_get_capped_one_hot_and_sparse_text(
    data: pd.DataFrame,
) -> None:
    model = pipeline_for("sklearn.linear_model.LogisticRegression", max_categories=10)
    model.fit(data[PROBLEM.feature_columns], data["label"])
    preprocess = model.named_steps["preprocess"]
    assert sparse.issparse(preprocess.transform(data[PROBLEM.feature_columns]))
    encoder = preprocess.named_transformers_["categorical"].named_steps["encode"]
    # 30 levels capped at 10 columns per feature: 9 frequent + "infrequent"
    assert all(len(levels) <= 30 for levels in encoder.categories_)
    widths = [
        len(names)
        for names in np.split(encoder.get_feature_names_out(), np.cumsum([10] * 11))
    ]
    assert widths == [10] * 12
    assert "components" not in preprocess.named_transformers_["text_note"].named_steps


def test_unseen_categories_and_dates_still_predict(data: pd.DataFrame) -> None:
    model = pipeline_for("sklearn.ensemble.HistGradientBoostingClassifier")
    model.fit(data[PROBLEM.feature_columns], data["label"])
    new = data[PROBLEM.feature_columns].head(3).copy()
    new["c0"] = "never seen"
    new["signed"] = pd.to_datetime(["2031-06-01", None, "2019-02-02"])
    assert len(model.predict(new)) == 3


def test_target_encoding_is_available_for_high_cardinality(data: pd.DataFrame) -> None:
    model = pipeline_for(
        "sklearn.linear_model.LogisticRegression", categorical_encoder="target"
    )
    model.fit(data[PROBLEM.feature_columns], data["label"])
    encoder = model.named_steps["preprocess"].named_transformers_["categorical"]
    assert type(encoder.named_steps["encode"]).__name__ == "TargetEncoder"


def test_target_encoding_of_a_whole_number_price_is_one_column_each() -> None:
    """Prices in whole numbers look like class labels to scikit-learn: the
    encoder must still give one mean per category, not one per price."""
    rng = np.random.default_rng(0)
    rows = 300
    raw = pd.DataFrame(
        {
            "area": [f"a{v}" for v in rng.integers(0, 20, rows)],
            "size": rng.normal(size=rows),
            "price": rng.integers(100_000, 400_000, rows).astype(float),
        }
    )
    problem = Problem.model_validate(
        {
            "task": "regression",
            "target": "price",
            "features": {"numeric": ["size"], "categorical": ["area"]},
        }
    )
    candidate = Candidate(name="ridge", estimator="sklearn.linear_model.Ridge")
    model = candidate_pipeline(
        problem,
        feature_transform(()),
        Preprocessing(categorical_encoder="target"),
        candidate,
        seed=0,
    ).fit(raw[["area", "size"]], raw["price"])
    encoder = model.named_steps["preprocess"].named_transformers_["categorical"]
    assert encoder.named_steps["encode"].target_type_ == "continuous"
    assert model.named_steps["preprocess"].transform(raw[["area", "size"]]).shape == (
        rows,
        2,
    )


def test_date_parts_cycles_and_missing_dates() -> None:
    dates = pd.DataFrame({"d": ["2024-12-31", "2025-01-01 06:00", None]})
    expand = DateTimeFeatures().fit(dates)
    values = pd.DataFrame(
        expand.transform(dates), columns=expand.get_feature_names_out()
    )
    assert values.loc[0, "d_month"] == 12 and values.loc[1, "d_month"] == 1
    assert values.loc[1, "d_hour"] == 6 and values.loc[1, "d_day_of_week"] == 2
    assert values.loc[1, "d_days"] - values.loc[0, "d_days"] == pytest.approx(1.25)
    # December and January are neighbours on the month cycle
    december = values.loc[0, ["d_month_sin", "d_month_cos"]].to_numpy()
    january = values.loc[1, ["d_month_sin", "d_month_cos"]].to_numpy()
    assert np.linalg.norm(december - january) < 0.6
    assert values.loc[2].isna().all()


def test_dates_in_several_formats_parse_alike() -> None:
    parsed = parse_datetimes(
        pd.Series(["2024-03-05", "2024/03/05", "5 March 2024", "x"])
    )
    assert parsed.iloc[:3].nunique() == 1 and pd.isna(parsed.iloc[3])


def test_text_components_never_ask_for_more_than_the_vocabulary() -> None:
    matrix = sparse.random(30, 5, density=0.5, random_state=0, format="csr")
    reduced = TextComponents(n_components=100).fit(matrix)
    assert reduced.transform(matrix).shape == (30, 4)


@pytest.mark.parametrize(
    ("coerce", "values", "message"),
    [
        (
            as_numbers,
            ["1", "x", None],
            "column 'c' is declared numeric but holds 1 value(s) that are not "
            "numbers, e.g. ['x'] at rows [1]",
        ),
        (
            as_datetimes,
            ["2024-01-01", "nope", None],
            "column 'c' is declared datetime but holds 1 value(s) that are not "
            "dates, e.g. ['nope'] at rows [1]",
        ),
    ],
)
def test_present_values_that_cannot_be_read_are_refused_by_name(
    coerce, values: list, message: str
) -> None:
    with pytest.raises(DataValidationError) as refused:
        coerce(pd.Series(values), "c")
    assert str(refused.value) == message
