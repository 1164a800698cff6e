"""The dashboard's scoring answers what the API answers, explains a
prediction by swapping features to their typical values, and scores a file
with batch scoring's rejects."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from ml_workflow.dashboard.card import metrics_table, model_facts
from ml_workflow.dashboard.scoring import (
    RecordRefused,
    local_effects,
    predict_one,
    score_table,
    shown_value,
)
from tests.dashboard.conftest import api_prediction

VARIANTS = ["housing", "spam"]


def _typical(dashboard, name: str) -> dict[str, Any]:
    return dashboard.variants[name].loaded.prediction_reference["record"]


@pytest.mark.parametrize("name", VARIANTS)
def test_the_typical_record_is_valid_and_predicts_as_the_api(
    dashboard, api, name: str
) -> None:
    typical = _typical(dashboard, name)
    assert set(typical) == set(dashboard.variants[name].columns)
    assert (
        predict_one(dashboard.variants[name], typical)
        == api_prediction(api, name, [typical])[0]
    )


def test_the_api_page_gets_the_same_typical_record(dashboard, api) -> None:
    described = api.get("/variants/housing").json()
    assert described["typical_record"] == _typical(dashboard, "housing")
    interval = described["interval"]
    assert interval["low"] < interval["high"] and interval["level"] == 0.9
    title = described["input_schema"]["properties"]["median_income"]["title"]
    assert title == "Median household income (tens of thousands of USD)"


def test_each_effect_is_the_change_from_its_typical_value(dashboard, api) -> None:
    variant = dashboard.variants["housing"]
    typical = _typical(dashboard, "housing")
    record = {**typical, "median_income": typical["median_income"] * 3, "households": 5}
    effects = local_effects(variant, record, typical).set_index("feature")
    assert set(effects.index) == {"median_income", "households"}
    here = api_prediction(api, "housing", [record])[0]["prediction"]
    for feature in effects.index:
        back = api_prediction(api, "housing", [{**record, feature: typical[feature]}])[
            0
        ]
        assert effects.loc[feature, "change"] == pytest.approx(
            here - back["prediction"]
        )
    assert local_effects(variant, typical, typical).empty


def test_a_classifier_explains_the_positive_class_probability(dashboard) -> None:
    variant = dashboard.variants["spam"]
    typical = _typical(dashboard, "spam")
    record = {**typical, "message": "WINNER! Claim your FREE prize now, call 0906"}
    (effect,) = local_effects(variant, record, typical).itertuples(index=False)
    assert effect.feature == "message"
    spam_here = shown_value(variant, predict_one(variant, record))
    spam_typical = shown_value(variant, predict_one(variant, typical))
    assert effect.change == pytest.approx(spam_here - spam_typical)


def test_a_bad_record_is_refused_with_the_apis_reason(dashboard) -> None:
    with pytest.raises(RecordRefused) as refused:
        predict_one(dashboard.variants["spam"], {"message": "   "})
    assert refused.value.problems[0].startswith("message: [not_empty]")


def test_an_uploaded_table_is_scored_and_its_bad_row_rejected(
    dashboard, api, dashboard_project
) -> None:
    variant = dashboard.variants["housing"]
    records = pd.read_csv(dashboard_project / "data/01_raw/housing_new_records.csv")
    records = records.head(5).copy()
    records.loc[2, "longitude"] = 500.0  # outside [-180, 180]
    scored, rejects = score_table(variant, records)
    assert list(rejects.index) == [2]
    assert "longitude" in rejects.loc[2, "reasons"]
    assert list(scored.index) == [0, 1, 3, 4]
    good = records.drop(index=2)
    answer = api_prediction(api, "housing", good.astype(object).to_dict("records"))
    assert scored["predicted"].tolist() == pytest.approx(
        [row["prediction"] for row in answer]
    )


def test_a_table_without_a_feature_column_is_refused_whole(
    dashboard, dashboard_project
) -> None:
    records = pd.read_csv(dashboard_project / "data/01_raw/housing_new_records.csv")
    with pytest.raises(ValueError, match="median_income"):
        score_table(
            dashboard.variants["housing"], records.drop(columns="median_income")
        )


def test_a_multiclass_row_explains_the_predicted_class(dashboard) -> None:
    row = {"prediction": "b", "probabilities": {"a": 0.2, "b": 0.7, "c": 0.1}}
    assert shown_value(dashboard.variants["spam"], row) == 0.7


def test_the_card_shows_metrics_against_the_baseline(dashboard) -> None:
    variant = dashboard.variants["housing"]
    table = metrics_table(variant.metrics).set_index("metric")
    primary = variant.metrics["primary_metric"]
    assert table.loc[primary, "test"] == variant.metrics["test"][primary]
    assert table.loc[primary, "baseline"] == variant.metrics["baseline"][primary]
    facts = model_facts(variant)
    assert facts["diagnosis"] == variant.metrics["diagnosis"]
    assert facts["model version"] == variant.version
    assert model_facts(dashboard.variants["spam"])["decision threshold"] is not None
    assert facts["decision threshold"] is None
