"""Rows that repeat another row: kept as records alike in tabular data, dropped
as copies beside free text, by what `kedro variant create` writes."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import yaml
from click.testing import CliRunner

from ml_workflow.cli import cli
from ml_workflow.core.config import load_variant
from ml_workflow.pipelines.data_processing.nodes import clean_raw_data
from ml_workflow.scaffold.render import render_parameters
from ml_workflow.scaffold.repeats import keeps_repeats, repeated_rows
from ml_workflow.scaffold.variant import plan_variant
from tests.serving.conftest import make_project

ROWS = 300


def _passengers() -> pd.DataFrame:
    """Distinct people (a name each) who share their sex, class and fate:
    once the names are dropped as identifiers, most rows repeat another."""
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "name": [f"passenger {i}" for i in range(ROWS)],
            "sex": rng.choice(["female", "male"], ROWS),
            "class": rng.choice(["1st", "2nd", "3rd"], ROWS),
            "survived": rng.choice(["yes", "no"], ROWS, p=[0.4, 0.6]),
        }
    )


def _variant(frame: pd.DataFrame, target: str) -> tuple[dict, str]:
    plan = plan_variant(frame, "toy", target, "x.csv", "csv")
    text = render_parameters(plan)
    return yaml.safe_load(text)["toy"], text


def test_repeated_rows_count_the_used_columns_of_rows_with_a_target() -> None:
    frame = pd.DataFrame(
        {
            "a": [1, 1, 1, 2, 2],
            "ignored": [0, 1, 2, 3, 4],
            "y": [5.0, 5.0, 6.0, None, None],
        }
    )
    # row 1 repeats row 0 on (a, y), whatever `ignored` says; row 2 differs in
    # its target; rows 3 and 4 have none, so cleaning drops them anyway
    assert repeated_rows(frame, ["a"], "y") == 1
    assert repeated_rows(frame, ["a", "ignored"], "y") == 0


def test_tabular_records_alike_are_kept_through_cleaning() -> None:
    frame = _passengers()
    parameters, text = _variant(frame, "survived")
    assert parameters["cleaning"] == {"drop_duplicates": False}
    repeats = repeated_rows(frame, ["sex", "class"], "survived")
    assert repeats > ROWS * 0.9  # 12 distinct rows at most
    assert f"# {repeats:,} of the {ROWS:,} rows repeat another row" in text
    variant = load_variant("toy", parameters)
    cleaned, report = clean_raw_data(frame, variant.problem, variant.cleaning)
    assert report["rows_out"] == ROWS
    share = (cleaned["survived"] == "yes").mean()
    assert share == (frame["survived"] == "yes").mean()


def test_copies_of_a_text_are_dropped_and_no_repeats_write_nothing() -> None:
    words = [f"message number {i} about prizes and lunch" for i in range(60)]
    texts = pd.DataFrame(
        {"body": words * 2, "label": (["spam", "ham"] * 30) * 2}
    )  # every message twice
    parameters, _ = _variant(texts, "label")
    assert parameters["problem"]["features"]["text"] == ["body"]
    assert "cleaning" not in parameters  # the default: drop the copies
    variant = load_variant("toy", parameters)
    _, report = clean_raw_data(texts, variant.problem, variant.cleaning)
    assert report["removed"]["duplicates"] == 60
    rng = np.random.default_rng(1)
    numbers = pd.DataFrame({"x": rng.normal(size=ROWS), "y": rng.normal(size=ROWS)})
    assert "cleaning" not in _variant(numbers, "y")[0]
    assert not keeps_repeats(0, has_text=False)


def test_the_command_says_how_many_rows_repeat_and_what_cleaning_does(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path / "project")
    data = tmp_path / "passengers.csv"
    _passengers().to_csv(data, index=False)
    result = CliRunner().invoke(
        cli,
        ["variant", "create", "toy", "--data", str(data), "--target", "survived"],
        obj=SimpleNamespace(project_path=project),
    )
    assert result.exit_code == 0, result.output
    repeats = repeated_rows(_passengers(), ["sex", "class"], "survived")
    assert f"repeated rows: {repeats:,} (kept: records alike)" in result.output
    assert "name (identifier-like" in result.output
