"""Score what the dashboard's user enters: one record, its explanation, a batch.

No second copy of the checks or the features: one record goes through the
API's own steps (``serving.body.validate_records``: the strict record model,
then the schema's checks; ``serving.scoring.score_records``: the features and
the model), so the dashboard and ``POST /variants/<name>/predict`` give the
same answer for the same record. An uploaded table goes through batch
scoring's ``score_records`` (``pipelines/inference``): valid rows are scored,
the others come back as rejects with their reasons.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ml_workflow.pipelines.inference.nodes import score_records as score_batch
from ml_workflow.serving.body import RequestRefused, validate_records
from ml_workflow.serving.registry import ServedVariant
from ml_workflow.serving.scoring import score_records


class RecordRefused(Exception):
    """The record fails the variant's schema: one message per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def predict_rows(variant: ServedVariant, records: list[dict[str, Any]]) -> list[dict]:
    """The API's prediction rows for ``records`` (raises ``RecordRefused``)."""
    try:
        parsed = validate_records(variant, records)
    except RequestRefused as refused:
        detail = refused.detail
        problems = detail if isinstance(detail, list) else [{"problem": str(detail)}]
        raise RecordRefused(
            [
                f"{problem.get('field') or 'record'}: {problem['problem']}"
                for problem in problems
            ]
        ) from None
    rows, _ = score_records(variant, parsed)
    return rows


def predict_one(variant: ServedVariant, record: dict[str, Any]) -> dict[str, Any]:
    """The API's prediction row of one record."""
    return predict_rows(variant, [record])[0]


def shown_value(variant: ServedVariant, row: dict[str, Any]) -> float:
    """The number an explanation moves: the prediction (regression), the
    positive class's probability (binary) or the predicted class's (multiclass)."""
    if not variant.task.CATEGORICAL_TARGET:
        return float(row["prediction"])
    if "probability" in row:
        return float(row["probability"])
    if "probabilities" in row:
        return float(row["probabilities"][row["prediction"]])
    return float(row["score"])


def local_effects(
    variant: ServedVariant, record: dict[str, Any], typical: dict[str, Any]
) -> pd.DataFrame:
    """How much each feature moved this prediction, model-agnostically.

    Each feature in turn is set back to its typical value (the training
    median or mode, ``core.typical``); ``change`` is this record's value minus
    that record's: positive means the feature's value pushed the prediction up.
    One batch of n + 1 records; sorted by the size of the change.
    """
    changed = [c for c in variant.columns if record.get(c) != typical.get(c)]
    if not changed:
        return pd.DataFrame(columns=["feature", "value", "typical", "change"])
    swapped = [{**record, column: typical.get(column)} for column in changed]
    rows = predict_rows(variant, [record, *swapped])
    here = shown_value(variant, rows[0])
    table = pd.DataFrame(
        {
            "feature": changed,
            "value": [record.get(c) for c in changed],
            "typical": [typical.get(c) for c in changed],
            "change": [here - shown_value(variant, row) for row in rows[1:]],
        }
    )
    order = table["change"].abs().sort_values(ascending=False, kind="stable").index
    return table.loc[order].reset_index(drop=True)


def score_table(
    variant: ServedVariant, records: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(scored rows: the record and its prediction columns; rejects with their
    reasons), by batch scoring's own function."""
    if variant.loaded is None or variant.data_schema is None:
        raise RecordRefused([f"variant {variant.name!r} has no usable model"])
    predictions, rejects = score_batch(
        records, variant.loaded.model, variant.problem, variant.data_schema
    )
    scored = records.loc[predictions.index].join(predictions)
    return scored, rejects


__all__ = [
    "RecordRefused",
    "local_effects",
    "predict_one",
    "predict_rows",
    "score_table",
    "shown_value",
]
