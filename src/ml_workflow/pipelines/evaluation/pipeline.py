"""The evaluation pipeline: model + splits -> test predictions and metrics.json."""

from kedro.pipeline import Node, Pipeline

from .nodes import evaluate_model, predict


def create_pipeline(**kwargs) -> Pipeline:
    """Return the un-namespaced template; the registry instantiates it per variant."""
    return Pipeline(
        [
            Node(
                func=predict,
                inputs=["model", "test", "params:problem"],
                outputs="test_predictions",
                name="predict_test",
            ),
            Node(
                func=evaluate_model,
                inputs=[
                    "model",
                    "train",
                    "test",
                    "test_predictions",
                    "params:problem",
                    "model_summary",
                    "params:evaluation",
                ],
                outputs="metrics",
                name="evaluate_model",
            ),
        ]
    )
