"""The inference pipelines: new records -> predictions and rejects.

Run per variant as ``kedro run --pipelines <variant>_inference``. It reads
``<variant>.new_records`` and the latest ``<variant>.model`` version, and
compares the records with the model's training split (``report_drift``).
``<variant>_inference_partitioned`` does the same for a folder of files
(``<variant>.new_records_partitioned``), one file at a time.
"""

from kedro.pipeline import Node, Pipeline

from ml_workflow.core.coercion import coerce_features

from .nodes import (
    predict_records,
    report_drift,
    score_partitions,
    validate_new_records,
)


def create_pipeline(**kwargs) -> Pipeline:
    """Return the un-namespaced template; the registry instantiates it per variant."""
    return Pipeline(
        [
            Node(
                func=validate_new_records,
                inputs=["new_records", "params:problem", "params:schema"],
                outputs=["valid_records", "rejects"],
                name="validate_new_records",
            ),
            Node(
                func=coerce_features,
                inputs=["valid_records", "params:problem"],
                outputs="scoring_features",
                name="coerce_features",
            ),
            Node(
                func=predict_records,
                inputs=["model", "scoring_features", "params:problem"],
                outputs="predictions",
                name="predict_new_records",
            ),
            Node(
                func=report_drift,
                inputs=["scoring_features", "drift_reference", "params:drift"],
                outputs=["drift_report", "drift_plot"],
                name="report_drift",
            ),
        ]
    )


def create_partitioned_pipeline(**kwargs) -> Pipeline:
    """Return the un-namespaced template that scores a partitioned dataset.

    One node: its outputs are lazy (one function per partition), so the
    partitioned output datasets score each partition as they save it.
    """
    return Pipeline(
        [
            Node(
                func=score_partitions,
                inputs=[
                    "new_records_partitioned",
                    "model",
                    "params:problem",
                    "params:schema",
                ],
                outputs=["predictions_partitioned", "rejects_partitioned"],
                name="score_partitions",
            ),
        ]
    )
