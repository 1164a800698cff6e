"""The data_processing pipeline: raw -> validated -> cleaned, plus two reports."""

from kedro.pipeline import Node, Pipeline

from .nodes import clean_raw_data, validate_raw_data


def create_pipeline(**kwargs) -> Pipeline:
    """Return the un-namespaced template; the registry instantiates it per variant."""
    return Pipeline(
        [
            Node(
                func=validate_raw_data,
                inputs=["raw", "params:problem", "params:schema"],
                outputs=["validated_raw", "validation_report"],
                name="validate_raw_data",
            ),
            Node(
                func=clean_raw_data,
                inputs=["validated_raw", "params:problem", "params:cleaning"],
                outputs=["cleaned", "cleaning_report"],
                name="clean_raw_data",
            ),
        ]
    )
