"""The modelling pipeline: train split -> leaderboard -> tuned, fitted Pipeline."""

from kedro.pipeline import Node, Pipeline

from .nodes import plot_leaderboard, select_model, tune_model

_SETTINGS = [
    "params:problem",
    "params:preprocessing",
    "params:candidates",
    "params:model_selection",
    "params:evaluation",
    "params:compute",
]


def create_pipeline(**kwargs) -> Pipeline:
    """Return the un-namespaced template; the registry instantiates it per variant.

    ``params:compute`` is shared by every variant (the registry keeps it out
    of the namespace).
    """
    return Pipeline(
        [
            Node(
                func=select_model,
                inputs=["train", "feature_transform", *_SETTINGS],
                outputs=["leaderboard", "model_selection_report"],
                name="select_model",
            ),
            Node(
                func=plot_leaderboard,
                inputs="leaderboard",
                outputs="leaderboard_chart",
                name="plot_leaderboard",
            ),
            Node(
                func=tune_model,
                inputs=[
                    "train",
                    "feature_transform",
                    "model_selection_report",
                    *_SETTINGS,
                ],
                outputs=["model", "search_results", "model_summary"],
                name="tune_model",
            ),
        ]
    )
