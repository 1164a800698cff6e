"""The feature_engineering pipeline: cleaned -> features -> train/test split."""

from kedro.pipeline import Node, Pipeline

from .nodes import build_features, split_train_test


def create_pipeline(**kwargs) -> Pipeline:
    """Return the un-namespaced template; the registry instantiates it per variant."""
    return Pipeline(
        [
            Node(
                func=build_features,
                inputs=["cleaned", "params:problem", "params:derived_features"],
                outputs="features",
                name="build_features",
            ),
            Node(
                func=split_train_test,
                inputs=["features", "params:problem", "params:split"],
                outputs=["train", "test"],
                name="split_train_test",
            ),
        ]
    )
