"""Matplotlib drawers for the Plotly trace types ``plots.static`` supports.

Each ``draw_*`` function draws one Plotly trace's data on a Matplotlib Axes
with its colours, error bars, labels and legend entry, as Plotly would.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import convert_colors_to_same_type

if TYPE_CHECKING:
    from matplotlib.axes import Axes

_DASHES = {"dash": "--", "dot": ":", "dashdot": "-."}
MAX_CELL_TEXTS = 400
"""Heatmap cells (20 x 20) that get their value written in them. Beyond that
no number can be read at a page's size, and a 200-column table's correlation
matrix (40,401 values) took 68 s to draw and save."""
MAX_TICK_LABELS = 40
"""Tick labels per heatmap axis; more are thinned to every n-th one."""


def plotly_colour(value: Any) -> Any:
    """A Plotly ``rgb(...)`` string as Matplotlib's tuple; anything else as is."""
    if isinstance(value, str) and value.startswith("rgb"):
        return convert_colors_to_same_type([value], "tuple")[0][0]
    return value


def _cmap(colorscale: Sequence[Sequence[Any]] | None, reverse: bool) -> Any:
    if not colorscale:
        return "viridis_r" if reverse else "viridis"
    stops = [
        (float(position), plotly_colour(colour)) for position, colour in colorscale
    ]
    if reverse:
        stops = [(1 - position, colour) for position, colour in reversed(stops)]
    from matplotlib.colors import LinearSegmentedColormap  # noqa: PLC0415

    return LinearSegmentedColormap.from_list("plotly", stops)


def draw_scatter(ax: Axes, trace: go.Scatter) -> None:
    """Draw a scatter trace: lines, markers or both, with its error bars."""
    mode = trace.mode or "lines+markers"
    colour = plotly_colour(
        (trace.line.color if "lines" in mode else None) or trace.marker.color
    )
    style = {
        "label": trace.name if trace.showlegend is not False else None,
        "color": colour if isinstance(colour, str | tuple) else None,
    }
    # a missing point (None in Plotly's JSON, e.g. a failed fit) is a gap
    x, y = np.asarray(trace.x), np.asarray(trace.y, dtype=float)
    error = _error_bars(trace.error_y)
    if error is not None:
        ax.errorbar(
            x,
            y,
            yerr=error,
            fmt="-o" if "lines" in mode else "o",
            capsize=3,
            **style,
        )
        return
    if "lines" in mode:
        ax.plot(
            x,
            y,
            linestyle=_DASHES.get(trace.line.dash, "-"),
            marker="o" if "markers" in mode else None,
            **style,
        )
    else:
        ax.scatter(
            x,
            y,
            s=(trace.marker.size or 6) ** 2 / 2,
            alpha=trace.marker.opacity or 1.0,
            marker="x" if trace.marker.symbol == "x" else "o",
            **style,
        )


def _error_bars(error: Any) -> np.ndarray | None:
    """Plotly's error-bar lengths as floats; a missing one (None, NaN) as 0."""
    if not error or error.array is None:
        return None
    return np.nan_to_num(np.asarray(error.array, dtype=float), nan=0.0)


def draw_bar(ax: Axes, trace: go.Bar, group: tuple[int, int] = (0, 1)) -> None:
    """Draw a bar trace; ``group`` is its (position, count) among grouped bars."""
    colour = trace.marker.color
    colour = (
        [plotly_colour(c) for c in colour]
        if isinstance(colour, Sequence) and not isinstance(colour, str)
        else plotly_colour(colour)
    )
    label = trace.name if trace.showlegend is not False else None
    if trace.orientation == "h":
        error = _error_bars(trace.error_x)
        bars = ax.barh(
            [str(v) for v in trace.y],
            np.asarray(trace.x, dtype=float),
            xerr=error,
            color=colour,
            label=label,
        )
    else:
        error = _error_bars(trace.error_y)
        categories = [str(v) for v in trace.x]
        index, count = group
        width = 0.8 / count
        positions = np.arange(len(categories)) + (index - (count - 1) / 2) * width
        bars = ax.bar(
            positions,
            np.asarray(trace.y, dtype=float),
            width=width,
            yerr=error,
            color=colour,
            label=label,
        )
        ax.set_xticks(np.arange(len(categories)), categories)
        ax.tick_params(axis="x", labelrotation=45)
    if trace.text is not None and not isinstance(trace.text, str):
        ax.bar_label(bars, labels=[str(text) for text in trace.text], fontsize=8)


def _histogram_values(x: Any) -> np.ndarray:
    """Numbers as floats; dates (datetime64 or ISO strings) as datetime64."""
    try:
        values = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        dates = pd.to_datetime(pd.Series(list(x)), errors="coerce").dropna()
        return dates.to_numpy(dtype="datetime64[ns]")
    return values[~np.isnan(values)]


def draw_histogram(ax: Axes, trace: go.Histogram) -> None:
    """Draw a histogram trace with its bins and ``probability`` normalisation."""
    values = _histogram_values(trace.x)
    weights = (
        np.full(len(values), 1 / len(values))
        if trace.histnorm == "probability" and len(values)
        else None
    )
    bins: Any = trace.nbinsx or "auto"
    if trace.xbins and trace.xbins.size:
        bins = np.arange(
            trace.xbins.start, trace.xbins.end + trace.xbins.size, trace.xbins.size
        )
    ax.hist(
        values,
        bins=bins,
        weights=weights,
        alpha=trace.opacity or 1.0,
        color=plotly_colour(trace.marker.color),
        label=trace.name if trace.showlegend is not False else None,
    )


def _thinned(labels: list[str]) -> tuple[list[int], list[str]]:
    """Positions and labels of at most ``MAX_TICK_LABELS`` evenly spaced ticks."""
    step = max(1, -(-len(labels) // MAX_TICK_LABELS))
    positions = list(range(0, len(labels), step))
    return positions, [labels[i] for i in positions]


def draw_heatmap(ax: Axes, trace: go.Heatmap, reversed_y: bool) -> None:
    """Draw a heatmap trace with its labels, cell texts (up to
    ``MAX_CELL_TEXTS`` cells) and colour bar; ``reversed_y``: the first row
    on top, as Plotly's reversed y axis draws it."""
    z = np.asarray(trace.z, dtype=float)
    image = ax.imshow(
        z,
        cmap=_cmap(trace.colorscale, bool(trace.reversescale)),
        aspect="auto",
        origin="upper" if reversed_y else "lower",
        vmin=trace.zmin,
        vmax=trace.zmax,
    )
    x_labels = [str(v) for v in (trace.x if trace.x is not None else range(z.shape[1]))]
    y_labels = [str(v) for v in (trace.y if trace.y is not None else range(z.shape[0]))]
    ax.set_xticks(*_thinned(x_labels), rotation=45, ha="right")
    ax.set_yticks(*_thinned(y_labels))
    if trace.text is not None and z.size <= MAX_CELL_TEXTS:
        small = z.shape[0] > 8
        low, high = image.get_clim()
        for row, texts in enumerate(trace.text):
            for col, text in enumerate(texts):
                # light text on the dark end of the scale, dark text elsewhere
                share = (z[row, col] - low) / (high - low) if high > low else 0.0
                ax.text(
                    col,
                    row,
                    str(text),
                    ha="center",
                    va="center",
                    fontsize=6 if small else 9,
                    color="white" if share > 0.6 else "black",
                )
    if trace.showscale is not False:
        ax.figure.colorbar(image, ax=ax)


__all__ = [
    "plotly_colour",
    "draw_bar",
    "draw_heatmap",
    "draw_histogram",
    "draw_scatter",
]
