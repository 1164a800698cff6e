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

import plotly.graph_objects as go

from ml_workflow.plots.static_traces import (
    draw_bar,
    draw_heatmap,
    draw_histogram,
    draw_scatter,
)

if TYPE_CHECKING:  # Matplotlib is imported when a figure is drawn (see below)
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

SUPPORTED = ("scatter", "bar", "histogram", "heatmap")
MAX_PANELS = 12
"""Panels a PNG draws, in reading order. The report's page has room for about
four rows of three; 48 panels in one PNG collapsed to nothing under
Matplotlib's constrained layout and took 6 s to draw and save."""


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
            draw_heatmap(ax, trace, reversed_y)
        elif trace.type == "bar" and grouped and trace in bars:
            draw_bar(ax, trace, (bars.index(trace), len(bars)))
        else:
            draw = {
                "scatter": draw_scatter,
                "bar": draw_bar,
                "histogram": draw_histogram,
            }
            draw[trace.type](ax, trace)
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

    A grid of more than ``MAX_PANELS`` panels is drawn up to that many, and the
    title says how many the interactive figure has. Raises
    ``UnsupportedFigureError`` for a trace type outside ``SUPPORTED``.
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
    every_row = {d[1] for d in domains.values()}
    # Reading order, top row first; a PNG keeps the first MAX_PANELS.
    order = sorted(panels, key=lambda key: (-domains[key][1][0], domains[key][0][0]))
    shown = order[:MAX_PANELS]
    columns = sorted({domains[key][0] for key in shown})
    rows = sorted({domains[key][1] for key in shown}, reverse=True)
    # Plotly's height, for the rows drawn; bounded so a PNG stays a page.
    plotly_height = float(layout.height or 450) / 100 * len(rows) / len(every_row)
    height = min(max(plotly_height, 4.0), 14.0)
    # Imported here, not at module level: importing Matplotlib costs ~0.3-0.6 s
    # at every `kedro` start-up (the pipeline registry imports this module),
    # and only runs that render the report's PNGs need it.
    from matplotlib.figure import Figure  # noqa: PLC0415

    # A bare Figure, not pyplot: no global figure registry to leak or close.
    result = Figure(figsize=(6 * len(columns), height), layout="constrained")
    grid = result.subplots(len(rows), len(columns), squeeze=False)
    for ax in grid.flat:
        ax.set_visible(False)
    for key in shown:
        traces, (x_domain, y_domain) = panels[key], domains[key]
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
    title = plain(layout.title.text)
    if len(order) > len(shown):
        title += (
            f"\n(the first {len(shown)} of {len(order)} panels; "
            "the interactive plot has every one)"
        )
    result.suptitle(title)
    return result
