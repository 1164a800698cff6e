"""The API's request models accept and reject exactly what batch scoring does.

The API checks one JSON value at a time (``validation/scalar.py``), batch
scoring checks columns (``validate_records``); both read the same schema. For
every feature of both shipped variants, each probe value is put into a valid
record and sent through both: the verdicts must agree.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
from pydantic import ValidationError

from ml_workflow.serving.records import record_model
from ml_workflow.validation import parse_schema, validate_records

NUMBERS = [None, -1e9, -181.0, -180.0, -90.5, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5]
NUMBERS += [89.9, 90.0, 180.0, 180.5, 1e9, math.inf, -math.inf]
TEXTS = [None, "", " ", "\t", "a", " INLAND ", "INLAND", "ATLANTIS", "two\nlines"]
TEXTS += ["tab\there", "x" * 5000, "x" * 5001, "NA"]

VALID = {
    "housing": {
        "longitude": -122.0,
        "latitude": 37.0,
        "housing_median_age": 20.0,
        "total_rooms": 1000.0,
        "total_bedrooms": 200.0,
        "population": 500.0,
        "households": 180.0,
        "median_income": 3.5,
        "ocean_proximity": "INLAND",
    },
    "spam": {"message": "see you soon"},
}


def _api_accepts(model: Any, record: dict[str, Any]) -> bool:
    try:
        model.model_validate(record)
    except ValidationError:
        return False
    return True


def _batch_accepts(record: dict[str, Any], problem, schema) -> bool:
    frame = pd.DataFrame([record])
    _, rejects = validate_records(frame, problem, schema)
    return rejects.empty


@pytest.mark.parametrize("variant", ["housing", "spam"])
def test_api_and_batch_scoring_agree_on_every_probe(
    variant: str, parameters: dict[str, Any]
) -> None:
    problem = parameters[variant]["problem"]
    schema = parameters[variant]["schema"]
    model = record_model(variant, parse_schema(problem, schema))
    disagreements = []
    probes = 0
    for spec in parse_schema(problem, schema).without_target():
        values = NUMBERS if spec.kind == "numeric" else TEXTS
        for value in values:
            record = {**VALID[variant], spec.name: value}
            api, batch = (
                _api_accepts(model, record),
                _batch_accepts(record, problem, schema),
            )
            probes += 1
            if api != batch:
                disagreements.append((spec.name, value, {"api": api, "batch": batch}))
    assert probes >= len(TEXTS)
    assert disagreements == []


def test_the_probes_exercise_both_verdicts(parameters: dict[str, Any]) -> None:
    problem = parameters["housing"]["problem"]
    schema = parameters["housing"]["schema"]
    verdicts = {
        _batch_accepts({**VALID["housing"], "latitude": value}, problem, schema)
        for value in NUMBERS
    }
    assert verdicts == {True, False}
