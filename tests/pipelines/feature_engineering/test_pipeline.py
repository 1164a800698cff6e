"""feature_engineering through a Kedro runner on samples of the real data."""

from __future__ import annotations

import pytest

from ml_workflow.core.features import DerivedFeatures
from tests.conftest import CONFIGURED_VARIANTS
from tests.kedro_runner import run_pipeline


@pytest.mark.parametrize("variant", CONFIGURED_VARIANTS)
def test_feature_engineering_builds_the_transform_and_splits(
    variant, registry, variant_outputs, fast_parameters
) -> None:
    stage = registry["feature_engineering"].only_nodes_with_namespaces([variant])
    cleaned = variant_outputs[variant][f"{variant}.cleaned"]
    outputs = run_pipeline(stage, {f"{variant}.cleaned": cleaned}, fast_parameters)
    params = fast_parameters[variant]
    problem = params["problem"]
    train, test = outputs[f"{variant}.train"], outputs[f"{variant}.test"]
    transform = outputs[f"{variant}.feature_transform"]
    derived = [spec.name for spec in params["derived_features"]]
    # the derived features are the model's first step, not columns of the split:
    # train and test hold the cleaned declared raw columns and the target
    assert isinstance(transform, DerivedFeatures)
    assert transform.new_columns == derived
    # checked on the cleaned data it was built from (stateless: nothing learned)
    assert transform.feature_names_in_.tolist() == list(map(str, cleaned.columns))
    assert list(train.columns) == list(cleaned.columns)
    assert list(test.columns) == list(cleaned.columns)
    assert not set(derived) & set(train.columns)
    features = transform.fit(train[problem.feature_columns]).transform(
        test[problem.feature_columns]
    )
    assert list(features.columns) == [*problem.feature_columns, *derived]
    assert features.index.equals(test.index)
    # the split
    assert len(train) + len(test) == len(cleaned)
    assert set(train.index).isdisjoint(test.index)
    assert len(test) == pytest.approx(params["split"].test_size * len(cleaned), abs=1)
    if params["split"].stratify:
        target = problem.target
        shares = (
            train[target].value_counts(normalize=True),
            test[target].value_counts(normalize=True),
        )
        assert (shares[0] - shares[1]).abs().max() < 0.02
