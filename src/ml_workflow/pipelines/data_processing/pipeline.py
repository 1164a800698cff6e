"""The data_processing pipeline: raw -> validated -> cleaned, two reports and a data profile."""

from kedro.pipeline import Node, Pipeline

from .nodes import clean_raw_data, validate_raw_data
from .profile_nodes import (
    plot_column_profile,
    plot_correlations,
    plot_feature_distributions,
    plot_target,
)

# Profile figures drawn from the cleaned data, before the split: dataset -> node function.
PROFILE_PLOTS = {
    "column_profile_plot": plot_column_profile,
    "feature_distribution_plot": plot_feature_distributions,
    "correlation_plot": plot_correlations,
    "target_plot": plot_target,
}


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
            *(
                Node(
                    func=function,
                    inputs=["cleaned", "params:problem"],
                    outputs=dataset,
                    name=f"plot_{dataset.removesuffix('_plot')}",
                )
                for dataset, function in PROFILE_PLOTS.items()
            ),
        ]
    )
