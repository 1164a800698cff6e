"""Nodes that write the model report (Markdown) and its static figure copies.

The report is generated from the run's own outputs (metrics, cleaning report,
diagnostics, parameters), never written by hand. Markdown viewers cannot show
Plotly JSON, so every figure is also redrawn as a PNG by Matplotlib
(``plots.static``) and saved by the ``<variant>.report_figures`` dataset into
the ``figures/`` folder next to ``report.md``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go

from ml_workflow.core.config import DerivedFeature, Problem
from ml_workflow.core.config.problem import FEATURE_KINDS
from ml_workflow.core.task import task_for
from ml_workflow.plots.static import plain, to_matplotlib

if TYPE_CHECKING:  # plots.static imports Matplotlib only when it draws
    from matplotlib.figure import Figure

# Where ``<variant>.report_figures`` saves the PNGs, relative to report.md
# (see conf/base/catalog.yml); the report links them by this path.
FIGURES_FOLDER = "figures"


def render_static_figures(**figures: go.Figure) -> dict[str, Figure]:
    """Redraw each Plotly figure with Matplotlib, keyed ``<name>.png``."""
    return {f"{name}.png": to_matplotlib(figure) for name, figure in figures.items()}


def _number(value: Any) -> str:
    """Format a cell: thousands separators for large numbers, 4 significant digits
    else; a list or mapping (a meta-estimator's members) as inline JSON."""
    if isinstance(value, list | tuple | dict):
        return f"`{json.dumps(value, default=str)}`"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if value != value:  # noqa: PLR0124 (NaN is the only value unequal to itself)
        return "n/a"
    if isinstance(value, int) or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_number(cell) for cell in row) + " |" for row in rows]
    return lines + [""]


def _problem_section(problem: Problem, derived: Sequence[DerivedFeature]) -> list[str]:
    lines = [
        "## Problem",
        "",
        f"- **Task:** {problem.task}",
        f"- **Target:** `{problem.target}`",
    ]
    if problem.positive_class is not None:
        lines.append(f"- **Positive class:** `{problem.positive_class}`")
    for kind in FEATURE_KINDS:
        columns = getattr(problem.features, kind)
        if columns:
            lines.append(
                f"- **{kind.capitalize()} features ({len(columns)}):** "
                + ", ".join(f"`{c}`" for c in columns)
            )
    if derived:
        lines.append(
            f"- **Derived features ({len(derived)}), computed inside the model:** "
            + ", ".join(f"`{spec.name}` ({spec.kind})" for spec in derived)
        )
    return [*lines, ""]


def _data_section(
    cleaning_report: Mapping[str, Any],
    cleaned: pd.DataFrame,
    problem: Problem,
    rows: Mapping[str, int],
) -> list[str]:
    lines = ["## Data", ""]
    removed = cleaning_report.get("removed", {})
    lines += _table(
        ["step", "rows"],
        [["rows in (raw)", cleaning_report["rows_in"]]]
        + [
            [f"removed: {rule.replace('_', ' ')}", -count]
            for rule, count in removed.items()
        ]
        + [
            ["rows out (cleaned)", cleaning_report["rows_out"]],
            ["train split", rows.get("train")],
            ["test split", rows.get("test")],
        ],
    )
    missing = cleaning_report.get("missing_values") or {}
    if missing:
        lines += [
            "Missing values left for the model's imputers: "
            + ", ".join(f"`{c}` {n}" for c, n in missing.items()),
            "",
        ]
    target = cleaned[problem.target]
    if task_for(problem).CATEGORICAL_TARGET:
        counts = target.value_counts()
        lines += ["Class balance (cleaned data):", ""]
        lines += _table(
            ["class", "rows", "share"],
            [[str(k), int(v), f"{v / counts.sum():.1%}"] for k, v in counts.items()],
        )
    else:
        summary = target.describe()
        lines += [f"Target `{target.name}` (cleaned data):", ""]
        lines += _table(
            ["mean", "std", "min", "median", "max"],
            [[float(summary[k]) for k in ("mean", "std", "min", "50%", "max")]],
        )
    return lines


def _model_section(metrics: Mapping[str, Any]) -> list[str]:
    model = metrics["model"]
    lines = [
        "## Model",
        "",
        f"`{model['estimator']}`, one scikit-learn Pipeline from raw columns to prediction, fitted on the training split only.",
        "",
    ]
    if model["hyperparameters"]:
        lines += _table(
            ["hyperparameter", "value"], list(model["hyperparameters"].items())
        )
    primary = metrics["primary_metric"]
    lines += [
        "## Metrics",
        "",
        f"Primary metric: **{primary}**. Baseline: a scikit-learn dummy model fitted on the training target.",
        "",
    ]
    lines += _table(
        ["metric", "train", "test", "baseline"],
        [
            [
                f"**{m}**" if m == primary else m,
                metrics["train"][m],
                metrics["test"][m],
                metrics["baseline"][m],
            ]
            for m in metrics["test"]
        ],
    )
    per_class = metrics.get("per_class")
    if per_class:
        lines += ["Per class (test split):", ""]
        lines += _table(
            ["class", "precision", "recall", "f1", "rows"],
            [
                [
                    label,
                    row["precision"],
                    row["recall"],
                    row["f1-score"],
                    int(row["support"]),
                ]
                for label, row in per_class.items()
            ],
        )
    detail = metrics["diagnosis_detail"]
    thresholds = detail["thresholds"]
    lines += [
        "## Diagnosis",
        "",
        f"**{metrics['diagnosis']}** on {primary}: train {_number(detail['train'])}, test {_number(detail['test'])}, "
        f"baseline {_number(detail['baseline'])}; train-test gap {_number(detail['train_test_gap'])} "
        f"(overfitting above {_number(thresholds['max_train_test_gap'])}), gain over baseline "
        f"{_number(detail['gain_over_baseline'])} (underfitting below {_number(thresholds['min_gain_over_baseline'])}).",
        "",
    ]
    return lines


def _diagnostics_section(
    importance: Mapping[str, Any], curve: Mapping[str, Any]
) -> list[str]:
    lines = [
        "## Feature importance",
        "",
        f"Loss in {importance['metric']} when one column is shuffled ({importance['n_repeats']} repeats, "
        f"{importance['scored_rows']} test rows); top 10:",
        "",
    ]
    lines += _table(
        ["feature", "importance", "std"],
        [[r["feature"], r["mean"], r["std"]] for r in importance["permutation"][:10]],
    )
    tokens = importance.get("tokens")
    if tokens:
        lines += [
            f"Most informative tokens ({tokens['source']}; {tokens['weight_meaning']}):",
            "",
        ]
        lines += _table(
            ["column", "token", "weight"],
            [[t["column"], f"`{t['token']}`", t["weight"]] for t in tokens["items"]],
        )
    if importance.get("note"):
        lines += [f"Note: {importance['note']}.", ""]
    lines += [
        "## Learning curve",
        "",
        f"{curve['cv']}-fold cross-validation on {curve['rows_used']} training rows ({curve['metric']}):",
        "",
    ]
    lines += _table(
        ["training rows", "train", "cross-validated"],
        list(
            zip(
                curve["train_sizes"],
                curve["train_mean"],
                curve["validation_mean"],
                strict=True,
            )
        ),
    )
    return lines


def _plots_section(figures: Mapping[str, go.Figure]) -> list[str]:
    lines = [
        "## Plots",
        "",
        "Interactive versions: `<name>.json` beside this report (Plotly JSON, previewed in `kedro viz run`).",
        "",
    ]
    for name, figure in figures.items():
        title = plain(figure.layout.title.text).split("\n")[0] or name
        lines += [f"### {title}", "", f"![{title}]({FIGURES_FOLDER}/{name}.png)", ""]
    return lines


def build_report(
    metrics: Mapping[str, Any],
    cleaning_report: Mapping[str, Any],
    cleaned: pd.DataFrame,
    importance: Mapping[str, Any],
    curve: Mapping[str, Any],
    problem: Problem,
    derived_features: Sequence[DerivedFeature],
    **figures: go.Figure,
) -> str:
    """Return the model card as Markdown: problem, data, model, metrics, diagnosis,
    diagnostics and the plots (as links to their static PNG copies).
    """
    lines = [
        f"# Model report: {problem.task} of `{problem.target}`",
        "",
        f"Diagnosis: **{metrics['diagnosis']}**. Generated by the `build_report` node from this run's outputs; do not edit.",
        "",
    ]
    lines += _problem_section(problem, list(derived_features))
    lines += _data_section(cleaning_report, cleaned, problem, metrics["rows"])
    lines += _model_section(metrics)
    lines += _diagnostics_section(importance, curve)
    lines += _plots_section(figures)
    return "\n".join(lines).rstrip() + "\n"
