"""The data_processing pipeline: raw -> cleaned, plus a cleaning report."""

from kedro.pipeline import Node, Pipeline

from .nodes import clean_raw_data


def create_pipeline(**kwargs) -> Pipeline:
    """Return the un-namespaced template; the registry instantiates it per variant."""
    return Pipeline(
        [
            Node(
                func=clean_raw_data,
                inputs=["raw", "params:problem", "params:cleaning"],
                outputs=["cleaned", "cleaning_report"],
                name="clean_raw_data",
            ),
        ]
    )
