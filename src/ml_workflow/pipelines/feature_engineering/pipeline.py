"""The feature_engineering pipeline: the model's feature transform, and the train/test split."""

from kedro.pipeline import Node, Pipeline

from .nodes import build_feature_transform, split_train_test


def create_pipeline(**kwargs) -> Pipeline:
    """Return the un-namespaced template; the registry instantiates it per variant."""
    return Pipeline(
        [
            Node(
                func=build_feature_transform,
                inputs=["cleaned", "params:derived_features"],
                outputs="feature_transform",
                name="build_feature_transform",
            ),
            Node(
                func=split_train_test,
                inputs=["cleaned", "params:problem", "params:split"],
                outputs=["train", "test"],
                name="split_train_test",
            ),
        ]
    )
