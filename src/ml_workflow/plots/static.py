"""Redraw the project's Plotly figures with Matplotlib, for static PNG copies.

Why not Plotly's own image export: it needs Kaleido, which either bundles an
old, deprecated Chromium (0.2.x) or needs a Chrome install at run time (1.x,
and then Plotly >= 6.1). A pipeline run must work offline on a bare machine, so
the report's PNGs are drawn by Matplotlib (already a dependency, Agg backend)
from the figure's own data. Only what the builders in this package use is
supported: scatter (lines/markers, error bars), bar (vertical/horizontal),
histogram and heatmap traces, in a grid of panels made by ``make_subplots``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import convert_colors_to_same_type

if TYPE_CHECKING:  # Matplotlib is imported when a figure is drawn (see below)
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

SUPPORTED = ("scatter", "bar", "histogram", "heatmap")
_DASHES = {"dash": "--", "dot": ":", "dashdot": "-."}


class UnsupportedFigureError(ValueError):
    """The figure holds a trace type this renderer cannot draw."""


def plain(text: str | None) -> str:
    """Return Plotly rich text as plain text (``<br>`` becomes a new line)."""
    return re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", "\n", text or ""))


def _axis_suffix(reference: str | None) -> str:
    return (reference or "x")[1:]


def _domain(layout: go.Layout, name: str) -> tuple[float, float]:
    axis = layout[name] if name in layout else None
    domain = axis.domain if axis is not None and axis.domain else (0.0, 1.0)
    return float(domain[0]), float(domain[1])


def _colour(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("rgb"):
        return convert_colors_to_same_type([value], "tuple")[0][0]
    return value


def _cmap(colorscale: Sequence[Sequence[Any]] | None, reverse: bool) -> Any:
    if not colorscale:
        return "viridis_r" if reverse else "viridis"
    stops = [(float(position), _colour(colour)) for position, colour in colorscale]
    if reverse:
        stops = [(1 - position, colour) for position, colour in reversed(stops)]
    from matplotlib.colors import LinearSegmentedColormap  # noqa: PLC0415

    return LinearSegmentedColormap.from_list("plotly", stops)


def _scatter(ax: Axes, trace: go.Scatter) -> None:
    mode = trace.mode or "lines+markers"
    colour = _colour(
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


def _bar(ax: Axes, trace: go.Bar, group: tuple[int, int] = (0, 1)) -> None:
    """Draw a bar trace; ``group`` is its (position, count) among grouped bars."""
    colour = trace.marker.color
    colour = (
        [_colour(c) for c in colour]
        if isinstance(colour, Sequence) and not isinstance(colour, str)
        else _colour(colour)
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


def _histogram(ax: Axes, trace: go.Histogram) -> None:
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
        color=_colour(trace.marker.color),
        label=trace.name if trace.showlegend is not False else None,
    )


def _heatmap(ax: Axes, trace: go.Heatmap, reversed_y: bool) -> None:
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
    ax.set_xticks(range(len(x_labels)), x_labels, rotation=45, ha="right")
    ax.set_yticks(range(len(y_labels)), y_labels)
    if trace.text is not None:
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


def _panel_title(
    layout: go.Layout, x_domain: tuple[float, float], y_domain: tuple[float, float]
) -> str:
    centre = (x_domain[0] + x_domain[1]) / 2
    for annotation in layout.annotations or ():
        if (
            annotation.xref == "paper"
            and annotation.yref == "paper"
            and abs(float(annotation.x) - centre) < 1e-6
            and abs(float(annotation.y) - y_domain[1]) < 1e-6
        ):
            return plain(annotation.text)
    return ""


def _draw_panel(
    ax: Axes,
    traces: Sequence[Any],
    x_axis: Any,
    y_axis: Any,
    title: str,
    grouped: bool = False,
) -> None:
    """Draw one panel's traces and copy its titles, ranges and legend.

    With ``grouped`` (Plotly's ``barmode: group``), vertical bar traces stand
    side by side instead of on top of each other.
    """
    reversed_y = y_axis.autorange == "reversed"
    bars = [t for t in traces if t.type == "bar" and t.orientation != "h"]
    for trace in traces:
        if trace.type == "heatmap":
            _heatmap(ax, trace, reversed_y)
        elif trace.type == "bar" and grouped and trace in bars:
            _bar(ax, trace, (bars.index(trace), len(bars)))
        else:
            {"scatter": _scatter, "bar": _bar, "histogram": _histogram}[trace.type](
                ax, trace
            )
    if reversed_y and not any(trace.type == "heatmap" for trace in traces):
        ax.invert_yaxis()
    ax.set_xlabel(plain(x_axis.title.text))
    ax.set_ylabel(plain(y_axis.title.text))
    if x_axis.range:
        ax.set_xlim(*x_axis.range)
    if y_axis.range:
        ax.set_ylim(*y_axis.range)
    ax.set_title(title, fontsize=10)
    if ax.get_legend_handles_labels()[1]:
        ax.legend(fontsize=8)


def to_matplotlib(figure: go.Figure) -> Figure:
    """Return a Matplotlib figure drawing the same data as ``figure``.

    Raises ``UnsupportedFigureError`` for a trace type outside ``SUPPORTED``.
    """
    layout = figure.layout
    panels: dict[tuple[str, str], list[Any]] = {}
    for trace in figure.data:
        if trace.type not in SUPPORTED:
            raise UnsupportedFigureError(
                f"cannot draw a {trace.type!r} trace statically; supported: {list(SUPPORTED)}"
            )
        key = (_axis_suffix(trace.xaxis), _axis_suffix(trace.yaxis))
        panels.setdefault(key, []).append(trace)
    if not panels:
        panels[("", "")] = []
    domains = {
        key: (_domain(layout, f"xaxis{key[0]}"), _domain(layout, f"yaxis{key[1]}"))
        for key in panels
    }
    columns = sorted({d[0] for d in domains.values()})
    rows = sorted({d[1] for d in domains.values()}, reverse=True)
    height = min(max(float(layout.height or 450) / 100, 4.0), 14.0)
    # Imported here, not at module level: importing Matplotlib costs ~0.3-0.6 s
    # at every `kedro` start-up (the pipeline registry imports this module),
    # and only runs that render the report's PNGs need it.
    from matplotlib.figure import Figure  # noqa: PLC0415

    # A bare Figure, not pyplot: no global figure registry to leak or close.
    result = Figure(figsize=(6 * len(columns), height), layout="constrained")
    grid = result.subplots(len(rows), len(columns), squeeze=False)
    for ax in grid.flat:
        ax.set_visible(False)
    for key, traces in panels.items():
        x_domain, y_domain = domains[key]
        ax = grid[rows.index(y_domain), columns.index(x_domain)]
        ax.set_visible(True)
        _draw_panel(
            ax,
            traces,
            layout[f"xaxis{key[0]}"],
            layout[f"yaxis{key[1]}"],
            _panel_title(layout, x_domain, y_domain),
            grouped=layout.barmode == "group",
        )
    result.suptitle(plain(layout.title.text))
    return result
