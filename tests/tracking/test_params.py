"""Parameters flatten to MLflow params: dotted keys, string values."""

from __future__ import annotations

import json

from ml_workflow.tracking.params import (
    MAX_VALUE_LENGTH,
    flatten_parameters,
    variant_parameters,
)


def test_mappings_nest_with_dots_and_scalars_keep_their_yaml_spelling():
    flat = flatten_parameters(
        {"split": {"test_size": 0.2, "stratify": False, "seed": None}, "task": "x"}
    )
    assert flat == {
        "split.test_size": "0.2",
        "split.stratify": "false",
        "split.seed": "null",
        "task": "x",
    }


def test_a_list_of_named_mappings_nests_by_name():
    candidates = [
        {"name": "ridge", "hyperparameters": {"alpha": 1.0}},
        {"name": "tree", "hyperparameters": {}, "search_space": {"depth": [2, 4]}},
    ]
    flat = flatten_parameters({"candidates": candidates})
    assert flat == {
        "candidates.ridge.hyperparameters.alpha": "1.0",
        "candidates.tree.hyperparameters": "{}",
        "candidates.tree.search_space.depth": "[2, 4]",
    }


def test_a_list_of_unnamed_or_duplicate_named_mappings_nests_by_position():
    rows = [{"name": "a", "k": 1}, {"name": "a", "k": 2}]
    assert flatten_parameters({"rows": rows}) == {
        "rows.0.name": "a",
        "rows.0.k": "1",
        "rows.1.name": "a",
        "rows.1.k": "2",
    }


def test_lists_of_scalars_and_empty_lists_stay_one_json_value():
    flat = flatten_parameters({"features": {"numeric": ["a", "b"], "text": []}})
    assert flat == {"features.numeric": '["a", "b"]', "features.text": "[]"}


def test_a_value_longer_than_mlflow_accepts_is_cut():
    flat = flatten_parameters({"columns": ["x" * 100] * 100})
    assert len(flat["columns"]) == MAX_VALUE_LENGTH
    assert flat["columns"].endswith("...")


def test_variant_parameters_are_the_validated_sections_with_defaults(parameters):
    """What the run's nodes received: every default filled in, YAML key names."""

    class Catalog:
        def load(self, name):
            return parameters[name.removeprefix("params:")]

    plain = variant_parameters(Catalog(), "housing")
    assert plain["compute"]["cluster"]["scheduler"] is None
    assert plain["schema"]["min_rows"] == 50  # a default the file does not state
    assert plain["split"]["seed"] == plain["seed"]  # filled from the variant's seed
    flat = flatten_parameters(plain)
    assert flat["split.test_size"] == json.dumps(plain["split"]["test_size"])
    ridge = next(c for c in plain["candidates"] if c["name"] != "linear_regression")
    assert any(key.startswith(f"candidates.{ridge['name']}.") for key in flat)
