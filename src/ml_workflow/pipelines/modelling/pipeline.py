"""The modelling pipeline: train split -> leaderboard -> tuned, fitted Pipeline,
the training split's per-feature drift reference, and its prediction reference
(a typical record and a residual interval, for the web page and the dashboard)."""

from kedro.pipeline import Node, Pipeline

from ml_workflow.core.drift import fit_reference
from ml_workflow.core.typical import fit_prediction_reference

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

    ``params:compute`` and ``params:drift`` are shared by every variant (the
    registry keeps them out of the namespace).
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
            # Saved beside the model, versioned with it: what batch scoring and
            # the API compare new records with (ml_workflow.core.drift).
            Node(
                func=fit_reference,
                inputs=["train", "params:problem", "params:drift"],
                outputs="drift_reference",
                name="fit_drift_reference",
            ),
            # Versioned with the model too: the typical record the forms start
            # from, and a regression's interval (ml_workflow.core.typical).
            Node(
                func=fit_prediction_reference,
                inputs=["train", "model", "params:problem", "params:split"],
                outputs="prediction_reference",
                name="fit_prediction_reference",
            ),
        ]
    )
