"""Drift reference and report on generated records: a shifted feature is flagged,
an unshifted one is not; through the inference pipeline's node as well."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ml_workflow.core.config import Drift, Problem
from ml_workflow.core.drift import bin_counts, drift_report, fit_reference, psi
from ml_workflow.pipelines.inference.nodes import report_drift

PROBLEM = Problem.model_validate(
    {
        "task": "regression",
        "target": "y",
        "features": {
            "numeric": ["income", "age"],
            "categorical": ["region"],
            "datetime": ["sold_on"],
            "text": ["note"],
        },
    }
)
SETTINGS = Drift()


def records(  # noqa: PLR0913 - one knob per shifted feature
    rows: int,
    seed: int,
    income_shift: float = 0.0,
    north: float = 0.5,
    days_later: int = 0,
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 365, rows) + days_later
    return pd.DataFrame(
        {
            "income": rng.normal(3.0 + income_shift, 1.0, rows),
            "age": rng.uniform(0, 50, rows),
            "region": rng.choice(["north", "south"], rows, p=[north, 1 - north]),
            # dates as raw text, as a CSV gives them
            "sold_on": [
                str(pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(d)))
                for d in days
            ],
            "note": ["x" * int(n) for n in rng.integers(1, 40, rows)],
            "y": rng.normal(size=rows),
        }
    )


@pytest.fixture(scope="module")
def reference() -> dict:
    return fit_reference(records(5000, seed=0), PROBLEM, SETTINGS)


def test_the_reference_holds_bins_and_shares_of_every_feature(reference: dict) -> None:
    assert reference["rows"] == 5000
    assert set(reference["features"]) == {"income", "age", "region", "sold_on", "note"}
    income = reference["features"]["income"]
    assert len(income["edges"]) == 9 and income["labels"][-1] == "(missing)"
    assert sum(income["shares"]) == pytest.approx(1)
    assert income["shares"][:-1] == pytest.approx([0.1] * 10, abs=0.01)
    region = reference["features"]["region"]
    assert region["categories"] == ["north", "south"] or region["categories"] == [
        "south",
        "north",
    ]
    json.dumps(reference)  # stored as JSON beside the model


def test_a_shifted_feature_is_flagged_and_the_unshifted_ones_are_not(
    reference: dict,
) -> None:
    report = drift_report(records(2000, seed=1, income_shift=1.0), reference, SETTINGS)
    assert report["drifted"] == ["income"]
    assert report["features"]["income"]["psi"] > 0.2
    assert report["features"]["income"]["p_value"] < 1e-6
    for name in ("age", "region", "sold_on", "note"):
        assert report["features"][name]["psi"] < 0.05, name
        assert not report["features"][name]["drifted"]


def test_a_shifted_category_mix_and_more_missing_values_are_drift(
    reference: dict,
) -> None:
    new = records(2000, seed=2, north=0.9)
    new.loc[: len(new) // 2, "age"] = np.nan  # half the ages go missing
    report = drift_report(new, reference, SETTINGS)
    assert report["drifted"] == ["age", "region"]


def test_records_from_a_later_period_drift_in_their_date(reference: dict) -> None:
    later = records(2000, seed=5, days_later=400)  # none inside the training year
    report = drift_report(later, reference, SETTINGS)
    assert report["drifted"] == ["sold_on"]
    typed = later.assign(sold_on=pd.to_datetime(later["sold_on"]))  # as coerced
    assert drift_report(typed, reference, SETTINGS)["drifted"] == ["sold_on"]


def test_a_small_sample_does_not_raise_a_false_alarm(reference: dict) -> None:
    """20 unshifted records: PSI is noisy, the chi-square test is not fooled."""
    report = drift_report(records(20, seed=3), reference, SETTINGS)
    assert report["drifted"] == []


def test_psi_is_zero_for_equal_shares_and_grows_with_the_difference() -> None:
    same = np.array([0.25, 0.25, 0.5])
    assert psi(same, same) == pytest.approx(0)
    assert psi(same, np.array([0.3, 0.2, 0.5])) < psi(same, np.array([0.6, 0.1, 0.3]))


def test_unseen_categories_and_missing_values_get_their_own_bins(
    reference: dict,
) -> None:
    spec = reference["features"]["region"]
    counts = bin_counts(pd.Series(["north", "east", None, "south"]), spec)
    assert counts.tolist()[-2:] == [1.0, 1.0]  # (other), (missing)
    assert counts.sum() == 4


def test_the_inference_node_writes_the_report_and_its_figure(
    reference: dict, caplog: pytest.LogCaptureFixture
) -> None:
    report, figure = report_drift(
        records(500, seed=4, income_shift=2.0), reference, SETTINGS
    )
    assert report["drifted"] == ["income"]
    assert "feature 'income' drifted from the training split" in caplog.text
    (bars,) = figure.data
    assert list(bars.x)[0] == "income"  # sorted by PSI, largest first
