"""The modelling pipeline: train split -> fitted scikit-learn Pipeline."""

from kedro.pipeline import Node, Pipeline

from .nodes import train_model


def create_pipeline(**kwargs) -> Pipeline:
    """Return the un-namespaced template; the registry instantiates it per variant."""
    return Pipeline(
        [
            Node(
                func=train_model,
                inputs=[
                    "train",
                    "params:problem",
                    "params:derived_features",
                    "params:preprocessing",
                    "params:model",
                ],
                outputs="model",
                name="train_model",
            ),
        ]
    )
