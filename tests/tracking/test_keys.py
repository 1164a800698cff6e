"""Keys made from a team's own names are keys MLflow accepts, and stay apart.

Checked with MLflow's own validators (``mlflow.utils.validation``), the ones
its stores run on every logged param, metric and tag.
"""

from __future__ import annotations

import pytest
from mlflow.exceptions import MlflowException
from mlflow.utils.validation import (
    _validate_metric_name,
    _validate_param_name,
    _validate_tag_name,
)

from ml_workflow.tracking.keys import mlflow_key, unique_keys
from ml_workflow.tracking.params import flatten_parameters

REFUSED = [
    "schema.columns.Monthly Spend ($).kind",
    "per_class.<=50K.f1",
    "a//b",
    "/leading",
    "trailing/",
    "./here",
    "up/../there",
    "tab\there",
    "smile 🙂",
]


@pytest.mark.parametrize("name", REFUSED)
def test_a_name_mlflow_refuses_becomes_a_key_it_accepts(name: str) -> None:
    with pytest.raises(MlflowException):
        _validate_param_name(name)
    key = mlflow_key(name)
    for validate in (_validate_param_name, _validate_metric_name, _validate_tag_name):
        validate(key)
    assert mlflow_key(key) == key  # made once, kept


def test_what_mlflow_allows_is_kept_as_written() -> None:
    for name in ("cv_a-b.c/d e:f", "test_r2", "raw_data.housing.raw.sha256", "é"):
        assert mlflow_key(name) == name
    assert mlflow_key("Spend ($)") == "Spend ___"


@pytest.mark.parametrize("tail", ["/x", "/.hidden", "/..x", "//"])
def test_a_key_cut_to_length_ends_in_a_step_mlflow_accepts(tail: str) -> None:
    name = "a" * 8 + tail
    key = mlflow_key(name, max_length=10)
    assert len(key) <= 10
    _validate_param_name(key)


def test_repeated_keys_are_numbered_in_order() -> None:
    assert unique_keys(["a", "b", "a", "a"]) == ["a", "b", "a_2", "a_3"]


def test_parameters_with_any_column_names_log_every_value_under_an_accepted_key():
    parameters = {
        "schema": {
            "columns": {
                "Spend ($)": {"kind": "numeric"},
                "Spend (€)": {"kind": "numeric"},  # the same key once made safe
                "Region/Zone": {"kind": "categorical"},
            }
        },
        "split": {"test_size": 0.2},
    }
    flat = flatten_parameters(parameters)
    assert flat == {
        "schema.columns.Spend ___.kind": "numeric",
        "schema.columns.Spend ___.kind_2": "numeric",
        "schema.columns.Region/Zone.kind": "categorical",
        "split.test_size": "0.2",
    }
    for key in flat:
        _validate_param_name(key)
