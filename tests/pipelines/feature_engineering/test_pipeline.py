"""feature_engineering through a Kedro runner on samples of the real data."""

from __future__ import annotations

import pytest

from tests.conftest import CONFIGURED_VARIANTS, run_pipeline


@pytest.mark.parametrize("variant", CONFIGURED_VARIANTS)
def test_feature_engineering_derives_and_splits(
    variant, registry, variant_outputs, parameters
) -> None:
    stage = registry["feature_engineering"].only_nodes_with_namespaces([variant])
    cleaned = variant_outputs[variant][f"{variant}.cleaned"]
    outputs = run_pipeline(stage, {f"{variant}.cleaned": cleaned}, parameters)
    params = parameters[variant]
    train, test = outputs[f"{variant}.train"], outputs[f"{variant}.test"]
    derived = [spec["name"] for spec in params["derived_features"]]
    assert set(derived) <= set(train.columns)
    assert len(train) + len(test) == len(cleaned)
    assert set(train.index).isdisjoint(test.index)
    assert len(test) == pytest.approx(
        params["split"]["test_size"] * len(cleaned), abs=1
    )
    if params["split"]["stratify"]:
        target = params["problem"]["target"]
        shares = (
            train[target].value_counts(normalize=True),
            test[target].value_counts(normalize=True),
        )
        assert (shares[0] - shares[1]).abs().max() < 0.02
