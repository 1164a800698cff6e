"""A column that mirrors the target is left out by `kedro variant create`,
with its reason; informative columns stay."""

from __future__ import annotations

import numpy as np
import pandas as pd
import yaml

from ml_workflow.scaffold.infer import infer_column_kind
from ml_workflow.scaffold.leaks import MAX_ROWS, mirror_reason
from ml_workflow.scaffold.render import render_parameters
from ml_workflow.scaffold.variant import plan_variant

ROWS = 300


def _wages() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    age = rng.uniform(20, 65, ROWS)
    wage = 30 + 2 * age + rng.normal(0, 10, ROWS)
    return pd.DataFrame(
        {
            "rownames": rng.permutation(np.arange(1000, 1000 + ROWS)),
            "age": age,  # informative: rank correlation about 0.9
            "logwage": np.log(wage),  # the target itself, transformed
            "wage": wage,
        }
    )


def test_a_function_of_a_numeric_target_mirrors_it_an_informative_feature_not() -> None:
    frame = _wages()
    reason = mirror_reason(frame["logwage"], frame["wage"], "regression")
    assert reason is not None
    assert "rank correlation +1.000 with 'wage'" in reason
    assert mirror_reason(-frame["logwage"], frame["wage"], "regression") is not None
    correlation = frame["age"].rank().corr(frame["wage"].rank())
    assert 0.8 < correlation < 0.995
    assert mirror_reason(frame["age"], frame["wage"], "regression") is None


def test_a_relabelled_target_mirrors_it_a_feature_that_mostly_agrees_not() -> None:
    rng = np.random.default_rng(1)
    churned = pd.Series(rng.choice(["yes", "no"], ROWS), name="churned")
    flag = churned.map({"yes": "1", "no": "0"})
    assert "each value goes with one 'churned' label" in mirror_reason(
        flag, churned, "classification"
    )
    agrees = flag.where(rng.random(ROWS) > 0.1, "0")  # one in ten rows differ
    assert mirror_reason(agrees, churned, "classification") is None
    ids = pd.Series([f"c{i}" for i in range(ROWS)])  # one value per row
    assert mirror_reason(ids, churned, "classification") is None
    few = churned.head(10)  # too few rows to tell
    assert (
        mirror_reason(few.map({"yes": "1", "no": "0"}), few, "classification") is None
    )


def test_variant_create_leaves_the_mirror_and_the_row_names_out_saying_why() -> None:
    frame = _wages()
    plan = plan_variant(frame, "toy", "wage", "x.csv", "csv")
    kinds = {column.name: column.kind for column in plan.columns}
    assert kinds == {"rownames": "drop", "age": "numeric", "logwage": "drop"}
    text = render_parameters(plan)
    assert "#   logwage: mirrors the target: rank correlation +1.000" in text
    features = yaml.safe_load(text)["toy"]["problem"]["features"]
    assert features == {"numeric": ["age"]}


def test_r_row_names_are_an_identifier_even_out_of_order() -> None:
    shuffled = pd.Series(np.random.default_rng(2).permutation(ROWS), name="rownames")
    assert infer_column_kind(shuffled).kind == "drop"
    counts = pd.Series(np.random.default_rng(2).permutation(ROWS), name="visits")
    assert infer_column_kind(counts).kind == "numeric"  # not by its values alone


def test_a_big_file_is_judged_on_a_sample_with_the_same_answers() -> None:
    rows = MAX_ROWS + 50_000
    rng = np.random.default_rng(3)
    churned = pd.Series(rng.choice(["yes", "no"], rows), name="churned")
    flag = churned.map({"yes": 1, "no": 0})  # numbers relabelling text labels
    assert mirror_reason(flag, churned, "classification") is not None
    noisy = flag.where(rng.random(rows) > 0.01, 1 - flag)  # one row in 100 differs
    assert mirror_reason(noisy, churned, "classification") is None
    price = pd.Series(rng.lognormal(10, 1, rows), name="price")
    assert mirror_reason(np.sqrt(price), price, "regression") is not None
