"""The evaluation pipeline: model + splits -> predictions, metrics, diagnostics,
plots and the model report."""

from kedro.pipeline import Node, Pipeline

from ml_workflow.pipelines.data_processing.pipeline import PROFILE_PLOTS

from .diagnostics import feature_importance, learning_curve_table
from .nodes import evaluate_model, predict
from .plot_nodes import (
    plot_errors,
    plot_feature_importance,
    plot_learning_curve,
    plot_predictions,
)
from .report import build_report, render_static_figures

MODEL_PLOTS = (
    "prediction_plot",
    "error_plot",
    "feature_importance_plot",
    "learning_curve_plot",
)
# Every figure the report shows, in report order.
REPORT_PLOTS = (*PROFILE_PLOTS, *MODEL_PLOTS)


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
            Node(
                func=plot_predictions,
                inputs=["test_predictions", "params:problem"],
                outputs="prediction_plot",
                name="plot_predictions",
            ),
            Node(
                func=plot_errors,
                inputs=["test_predictions", "model", "params:problem"],
                outputs="error_plot",
                name="plot_errors",
            ),
            Node(
                func=feature_importance,
                inputs=[
                    "model",
                    "test",
                    "params:problem",
                    "params:evaluation",
                    "params:compute",
                ],
                outputs="feature_importance",
                name="compute_feature_importance",
            ),
            Node(
                func=plot_feature_importance,
                inputs=["feature_importance", "params:evaluation"],
                outputs="feature_importance_plot",
                name="plot_feature_importance",
            ),
            Node(
                func=learning_curve_table,
                inputs=[
                    "model",
                    "train",
                    "params:problem",
                    "params:evaluation",
                    "params:compute",
                ],
                outputs="learning_curve",
                name="compute_learning_curve",
            ),
            Node(
                func=plot_learning_curve,
                inputs="learning_curve",
                outputs="learning_curve_plot",
                name="plot_learning_curve",
            ),
            Node(
                func=render_static_figures,
                inputs={name: name for name in REPORT_PLOTS},
                outputs="report_figures",
                name="render_static_figures",
            ),
            Node(
                func=build_report,
                inputs={
                    "metrics": "metrics",
                    "cleaning_report": "cleaning_report",
                    "cleaned": "cleaned",
                    "importance": "feature_importance",
                    "curve": "learning_curve",
                    "problem": "params:problem",
                    "derived_features": "params:derived_features",
                    **{name: name for name in REPORT_PLOTS},
                },
                outputs="report",
                name="build_report",
            ),
        ]
    )
