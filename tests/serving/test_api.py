"""The web API through FastAPI's test client, on models trained on samples."""

from __future__ import annotations

import math
import shutil
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from ml_workflow.core.coercion import coerce_features
from ml_workflow.serving.app import build_app, create_app
from ml_workflow.serving.registry import load_served_variants
from tests.conftest import RAW

from .conftest import copy_served


def wait_for_load(client: TestClient) -> None:
    """Wait until the background load has tried every variant (ready or failed)."""
    for _ in range(600):
        described = [client.get(f"/variants/{v}").json() for v in ("housing", "spam")]
        if all(v["status"] == "ready" or v["error"] for v in described):
            return
        time.sleep(0.05)
    raise AssertionError("the models were never loaded")


def housing_records(n: int) -> list[dict[str, Any]]:
    frame = pd.read_csv(RAW / "housing_new_records.csv").head(n)
    return [
        {
            k: (None if isinstance(v, float) and math.isnan(v) else v)
            for k, v in r.items()
        }
        for r in frame.to_dict(orient="records")
    ]


def test_health_and_variants_list_both_variants(client: TestClient) -> None:
    assert client.get("/health").json() == {
        "status": "ok",
        "variants": {"housing": "ready", "spam": "ready"},
    }
    listed = {v["name"]: v for v in client.get("/variants").json()}
    assert set(listed) == {"housing", "spam"}
    assert listed["spam"]["task"] == "classification"
    assert all(v["status"] == "ready" and v["model_version"] for v in listed.values())


def test_variant_description_has_version_time_metrics_and_schema(
    client: TestClient, served_project: Path
) -> None:
    info = client.get("/variants/housing").json()
    (version_dir,) = (served_project / "data/06_models/housing/model.skops").iterdir()
    assert info["model"]["version"] == version_dir.name
    assert info["model"]["trained_at"].startswith(version_dir.name[:10])
    recorded = (version_dir / "model.skops.sha256").read_text().strip()
    assert info["model"]["sha256"] == recorded
    assert info["metrics"]["primary_metric"] == "r2"
    assert "r2" in info["metrics"]["test"]
    properties = info["input_schema"]["properties"]
    assert "median_house_value" not in properties  # the target is not an input
    assert properties["latitude"]["minimum"] == -90
    assert properties["latitude"]["type"] == "number"  # not nullable
    assert "ISLAND" in properties["ocean_proximity"]["examples"]
    assert info["input_schema"]["required"] == ["longitude", "latitude"]


def test_housing_predictions_are_the_models_own(
    client: TestClient, trained: dict[str, Any], parameters: dict[str, Any]
) -> None:
    records = housing_records(5)
    response = client.post("/variants/housing/predict", json=records)
    assert response.status_code == 200, response.text
    body = response.json()
    expected = trained["housing"]["model"].predict(
        coerce_features(pd.DataFrame(records), parameters["housing"]["problem"])
    )
    assert [p["prediction"] for p in body["predictions"]] == pytest.approx(
        list(expected)
    )
    assert body["model_version"]


def test_spam_predictions_carry_the_positive_class_probability(
    client: TestClient,
) -> None:
    messages = [
        "WINNER!! You have won a FREE prize of 1000 cash. Call 09061701461 now",
        "ok see you at lunch tomorrow",
    ]
    response = client.post(
        "/variants/spam/predict", json=[{"message": m} for m in messages]
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["positive_class"] == "spam"
    spam, ham = body["predictions"]
    assert spam["prediction"] == "spam" and ham["prediction"] == "ham"
    assert spam["probability"] > 0.5 > ham["probability"]
    for prediction in body["predictions"]:
        assert prediction["probabilities"]["spam"] == prediction["probability"]
        assert sum(prediction["probabilities"].values()) == pytest.approx(1)


def test_an_empty_list_gets_no_predictions(client: TestClient) -> None:
    response = client.post("/variants/spam/predict", json=[])
    assert response.status_code == 200
    assert response.json()["predictions"] == []


def _problems(response) -> list[tuple[Any, Any, str]]:
    assert response.status_code == 422, response.text
    return [(p["record"], p["field"], p["problem"]) for p in response.json()["detail"]]


def test_a_bad_record_gets_422_naming_record_field_and_problem(
    client: TestClient,
) -> None:
    good, bad, worse = housing_records(3)
    bad["median_income"] = -1
    worse["latitude"] = None
    worse["housing_median_age"] = "old"
    response = client.post("/variants/housing/predict", json=[good, bad, worse])
    problems = _problems(response)
    assert (1, "median_income", "[min] expected >= 0, found -1.0") in problems
    assert {(r, f) for r, f, _ in problems} == {
        (1, "median_income"),
        (2, "latitude"),
        (2, "housing_median_age"),
    }
    assert response.json()["message"].startswith("record 1, field 'median_income'")


@pytest.mark.parametrize(
    ("record", "field", "problem"),
    [
        ({"message": "   "}, "message", "[not_empty] expected non-blank text"),
        ({"message": "x" * 5001}, "message", "[max_length] expected at most 5000"),
        ({"message": "two\nlines"}, "message", "[single_line] expected one line"),
        ({"message": None}, "message", "valid string"),
        ({}, "message", "Field required"),
        ({"message": "hi", "label": "ham"}, "label", "Extra inputs are not permitted"),
    ],
)
def test_each_schema_check_is_a_422(
    client: TestClient, record: dict, field: str, problem: str
) -> None:
    response = client.post("/variants/spam/predict", json=[{"message": "ok"}, record])
    ((index, named, text),) = _problems(response)
    assert (index, named) == (1, field)
    assert problem in text


@pytest.mark.parametrize(
    ("body", "expected"),
    [(b"{not json", "not valid JSON"), (b'{"message": "hi"}', "JSON list of records")],
)
def test_a_body_that_is_not_a_list_of_records_is_a_422(
    client: TestClient, body: bytes, expected: str
) -> None:
    response = client.post(
        "/variants/spam/predict",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert expected in response.json()["detail"]


def test_an_unknown_variant_is_a_404(client: TestClient) -> None:
    for response in (
        client.post("/variants/weather/predict", json=[]),
        client.get("/variants/weather"),
    ):
        assert response.status_code == 404
        assert "unknown variant 'weather'" in response.json()["detail"]
        assert "['housing', 'spam']" in response.json()["detail"]


def test_an_oversized_batch_is_a_413(served_project: Path) -> None:
    variants, settings = load_served_variants(served_project)
    app = build_app(variants, settings.model_copy(update={"max_batch_records": 3}))
    with TestClient(app) as small:
        ok = small.post("/variants/housing/predict", json=housing_records(3))
        too_many = small.post("/variants/housing/predict", json=housing_records(4))
    assert ok.status_code == 200
    assert too_many.status_code == 413
    assert "batch of 4 records exceeds the limit of 3" in too_many.json()["detail"]


def test_an_oversized_body_is_a_413(served_project: Path) -> None:
    variants, settings = load_served_variants(served_project)
    app = build_app(variants, settings.model_copy(update={"max_body_bytes": 100}))
    with TestClient(app) as small:
        response = small.post("/variants/spam/predict", json=[{"message": "x" * 200}])
    assert response.status_code == 413


def test_the_batch_limit_comes_from_parameters(client: TestClient) -> None:
    assert client.get("/variants/spam").json()["max_batch_records"] == 1000
    response = client.post("/variants/spam/predict", json=[{"message": "a"}] * 1001)
    assert response.status_code == 413


def test_openapi_describes_every_variants_request(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for variant, field in (("housing", "median_income"), ("spam", "message")):
        operation = spec["paths"][f"/variants/{variant}/predict"]["post"]
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        assert body["type"] == "array" and body["maxItems"] == 1000
        assert field in body["items"]["properties"]
        assert {"413", "422"} <= set(operation["responses"])
    assert "/variants/{name}" in spec["paths"]


def test_the_prediction_page_is_served(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="variant"' in response.text and "/predict" in response.text


def test_a_model_whose_hash_does_not_match_is_refused(
    tmp_path: Path, served_project: Path
) -> None:
    project = copy_served(served_project, tmp_path / "project")
    (model_file,) = (project / "data/06_models/housing/model.skops").rglob(
        "model.skops"
    )
    shutil.copy(  # swap in another model file: valid skops, wrong hash
        next((project / "data/06_models/spam/model.skops").rglob("model.skops")),
        model_file,
    )
    with TestClient(create_app(project)) as tampered:
        wait_for_load(tampered)
        health = tampered.get("/health")
        info = tampered.get("/variants/housing").json()
        response = tampered.post("/variants/housing/predict", json=housing_records(1))
        spam = tampered.post("/variants/spam/predict", json=[{"message": "hello"}])
    assert health.status_code == 503
    assert health.json()["variants"] == {"housing": "unavailable", "spam": "ready"}
    assert info["status"] == "unavailable"
    assert "does not match its recorded SHA-256" in info["error"]
    assert response.status_code == 503
    assert "does not match its recorded SHA-256" in response.json()["detail"]
    assert spam.status_code == 200  # the other variant is still served
