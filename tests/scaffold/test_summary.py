"""What `kedro variant create` prints: a run's refusal is said when the
variant is created, in the words of the check that will refuse it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from ml_workflow.core.config import load_variant
from ml_workflow.errors import DataValidationError
from ml_workflow.pipelines.data_processing.nodes import validate_raw_data
from ml_workflow.scaffold.render import render_parameters
from ml_workflow.scaffold.summary import plan_summary
from ml_workflow.scaffold.variant import plan_variant


def _cars(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    weight = rng.uniform(1.5, 5.5, rows)
    return pd.DataFrame(
        {"weight": weight, "mpg": 40 - 5 * weight + rng.normal(size=rows)}
    )


def _refused_by_the_run(frame: pd.DataFrame, target: str) -> str:
    plan = plan_variant(frame, "toy", target, "x.csv", "csv")
    variant = load_variant("toy", yaml.safe_load(render_parameters(plan))["toy"])
    with pytest.raises(DataValidationError) as error:
        validate_raw_data(frame, variant.problem, variant.data_schema)
    return str(error.value)


def test_too_few_rows_are_a_warning_at_create_and_the_runs_refusal() -> None:
    frame = _cars(32)
    plan = plan_variant(frame, "toy", "mpg", "x.csv", "csv")
    refusal = (
        "[min_rows] expected at least 50 rows with a target (schema.min_rows: the "
        "train/test split and cross-validation need them); found 32"
    )
    assert plan.refusals == [refusal]
    warning = [line for line in plan_summary(plan) if "warning" in line]
    assert warning == [
        f"  warning: a run will refuse this data as it is: {refusal}. Lower that "
        "setting in the schema of parameters_toy.yml to run it anyway (scores on "
        "so few rows are mostly noise)"
    ]
    assert f"ERROR dataset {refusal}" in _refused_by_the_run(frame, "mpg")
    assert plan_variant(_cars(60), "toy", "mpg", "x.csv", "csv").refusals == []


def test_a_rare_class_is_a_warning_at_create_and_the_runs_refusal() -> None:
    rng = np.random.default_rng(1)
    weather = ["sun"] * 40 + ["rain"] * 40 + ["snow"] * 4
    frame = pd.DataFrame({"wind": rng.normal(size=84), "weather": weather})
    plan = plan_variant(frame, "toy", "weather", "x.csv", "csv")
    refusal = (
        "[min_rows_per_class] expected at least 10 rows per class of target "
        "'weather' (schema.min_rows_per_class: a stratified split and "
        "cross-validation need them); found {'snow': 4}"
    )
    assert plan.refusals == [refusal]
    assert f"ERROR dataset {refusal}" in _refused_by_the_run(frame, "weather")


def test_the_summary_names_the_task_and_each_column_with_its_reason() -> None:
    plan = plan_variant(_cars(60), "toy", "mpg", "x.csv", "csv")
    lines = plan_summary(plan)
    assert lines[0].startswith("Variant 'toy': regression of 'mpg' (")
    assert lines[0].endswith(", 60 rows.")
    assert lines[1].startswith("  numeric: weight (numbers, 60 distinct values)")
    assert len(lines) == 2
