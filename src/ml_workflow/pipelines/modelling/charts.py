"""The leaderboard as a Plotly figure: mean ± std of the metric, and fit time."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

_CHOSEN = "#2a9d8f"
_OTHER = "#8d99ae"


def leaderboard_figure(leaderboard: pd.DataFrame) -> go.Figure:
    """Return bars of each candidate's cross-validated score (± one std, left)
    and mean fit time per fold (right), the chosen candidate highlighted."""
    metric = str(leaderboard["metric"].iloc[0]) if len(leaderboard) else "score"
    colours = [_CHOSEN if chosen else _OTHER for chosen in leaderboard["chosen"]]
    figure = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=(f"cross-validated {metric} (mean ± std)", "fit time (s/fold)"),
        horizontal_spacing=0.15,
    )
    figure.add_trace(
        go.Bar(
            x=leaderboard["candidate"],
            y=leaderboard["mean"],
            error_y={"type": "data", "array": leaderboard["std"].tolist()},
            marker_color=colours,
            name=metric,
        ),
        row=1,
        col=1,
    )
    figure.add_trace(
        go.Bar(
            x=leaderboard["candidate"],
            y=leaderboard["fit_time_seconds"],
            marker_color=colours,
            name="fit time",
        ),
        row=1,
        col=2,
    )
    figure.update_layout(
        title="Candidate leaderboard (chosen model highlighted)",
        showlegend=False,
        template="plotly_white",
    )
    return figure
