"""The modelling pipeline: train split -> leaderboard -> tuned, fitted Pipeline."""

from kedro.pipeline import Node, Pipeline

from .nodes import plot_leaderboard, select_model, tune_model


def create_pipeline(**kwargs) -> Pipeline:
    """Return the un-namespaced template; the registry instantiates it per variant."""
    return Pipeline(
        [
            Node(
                func=select_model,
                inputs=[
                    "train",
                    "params:problem",
                    "params:derived_features",
                    "params:preprocessing",
                    "params:candidates",
                    "params:model_selection",
                    "params:evaluation",
                ],
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
                    "model_selection_report",
                    "params:problem",
                    "params:derived_features",
                    "params:preprocessing",
                    "params:candidates",
                    "params:model_selection",
                    "params:evaluation",
                ],
                outputs=["model", "search_results", "model_summary"],
                name="tune_model",
            ),
        ]
    )
