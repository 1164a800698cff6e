"""The drift report as a figure: PSI per feature against the threshold."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from .common import COLOURS, new_figure


def drift_figure(report: Mapping[str, Any]) -> go.Figure:
    """One bar per feature (its PSI), red when flagged, and the PSI threshold."""
    features = report["features"]
    names = sorted(features, key=lambda name: -features[name]["psi"])
    figure = new_figure(
        f"Feature drift of {report['records']} new records from the training split",
        "feature",
        "population stability index (PSI)",
    )
    figure.add_trace(
        go.Bar(
            x=names,
            y=[features[name]["psi"] for name in names],
            marker_color=[
                COLOURS[1] if features[name]["drifted"] else COLOURS[0]
                for name in names
            ],
            customdata=[[features[name]["p_value"]] for name in names],
            hovertemplate="%{x}: PSI %{y:.3f}, chi-square p %{customdata[0]:.2g}"
            "<extra></extra>",
            name="PSI",
        )
    )
    threshold = report["thresholds"]["psi_threshold"]
    figure.add_hline(
        y=threshold, line_dash="dash", annotation_text=f"threshold {threshold}"
    )
    return figure


__all__ = ["drift_figure"]
