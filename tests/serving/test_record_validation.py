"""The API rejects exactly the records batch scoring rejects, for the same reasons.

The API parses a request's records with Pydantic (types, required fields),
then runs the project's one validation engine on them
(``serving/records.py record_problems``); batch scoring runs the same engine
on a frame (``validate_records``). Both read the same schema. For every
feature of both shipped variants, each probe value is put into a valid record
and sent through both: the verdicts must agree, and a value check the API
reports must be the very reason batch scoring gives.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
from pydantic import TypeAdapter, ValidationError

from ml_workflow.core.validation import raw_schema, validate_records
from ml_workflow.serving.records import record_model, record_problems

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


def _api_verdict(adapter: TypeAdapter, schema, record: dict[str, Any]) -> list[str]:
    """What the API answers for a one-record request: [] or its problems.

    Type and required-field problems come from parsing; value checks from
    ``record_problems``, as ``serving/app.py`` runs them.
    """
    try:
        records = adapter.validate_python([record])
    except ValidationError as error:
        return [f"parse: {item['msg']}" for item in error.errors()]
    return [f"{p['field']} {p['problem']}" for p in record_problems(records, schema)]


def _batch_reasons(record: dict[str, Any], problem, schema) -> list[str]:
    """Batch scoring's reasons for rejecting the record ([] if it is scored)."""
    _, rejects = validate_records(pd.DataFrame([record]), problem, schema)
    return rejects["reasons"].tolist()


@pytest.mark.parametrize("variant", ["housing", "spam"])
def test_api_and_batch_scoring_agree_on_every_probe(
    variant: str, parameters: dict[str, Any]
) -> None:
    problem = parameters[variant]["problem"]
    schema = parameters[variant]["schema"]
    parsed = raw_schema(problem, schema)
    adapter = TypeAdapter(list[record_model(variant, parsed)])
    disagreements, checked_by_the_engine = [], 0
    probes = 0
    for spec in parsed.without_target():
        values = NUMBERS if spec.numeric else TEXTS
        for value in values:
            record = {**VALID[variant], spec.name: value}
            api = _api_verdict(adapter, parsed, record)
            batch = _batch_reasons(record, problem, schema)
            probes += 1
            if bool(api) != bool(batch):
                disagreements.append((spec.name, value, {"api": api, "batch": batch}))
            engine = [line for line in api if not line.startswith("parse: ")]
            for line in engine:
                # "<field> [check] expected ..., found ..." is batch scoring's
                # "column '<field>' [check] expected ..., found ..." reason
                field, _, text = line.partition(" ")
                if f"column {field!r} {text}" not in "; ".join(batch):
                    disagreements.append((spec.name, value, {"reason": line}))
            checked_by_the_engine += bool(engine)
    assert probes >= len(TEXTS)
    assert checked_by_the_engine > 0  # not every rejection is a parse error
    assert disagreements == []


def test_the_probes_exercise_both_verdicts(parameters: dict[str, Any]) -> None:
    problem = parameters["housing"]["problem"]
    schema = parameters["housing"]["schema"]
    verdicts = {
        not _batch_reasons({**VALID["housing"], "latitude": value}, problem, schema)
        for value in NUMBERS
    }
    assert verdicts == {True, False}
