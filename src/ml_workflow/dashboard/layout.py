"""The dashboard's page: pick a variant; predict, explain, score a file, read
the model card.

The prediction is recomputed on every change of the form once *Predict* has
been pressed, so the form itself is the what-if tool: change one input and
the prediction, its interval or probabilities, and the change against the
previous prediction move at once.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from ml_workflow.serving.registry import ServedVariant
from ml_workflow.variants import project_path as default_project_path

from .card import interval_text, metrics_table, model_facts, threshold_of
from .charts import effects_figure, probability_figure
from .loading import Dashboard, load_dashboard
from .scoring import RecordRefused, local_effects, predict_one, score_table
from .widgets import record_form, training_categories

# a bigger file belongs to `kedro run --pipelines <variant>_inference`
MAX_UPLOAD_ROWS = 100_000


@st.cache_resource(show_spinner="Loading the served models...")
def _dashboard(project: str, env: str | None) -> Dashboard:
    return load_dashboard(Path(project), env)


def _project() -> tuple[str, str | None]:
    path = os.environ.get("ML_WORKFLOW_PROJECT") or str(default_project_path())
    return path, os.environ.get("KEDRO_ENV") or None


def _sidebar(dashboard: Dashboard) -> ServedVariant:
    names = list(dashboard.variants)
    name = st.sidebar.selectbox("Variant", names, key="variant")
    variant = dashboard.variants[name]
    facts = model_facts(variant)
    st.sidebar.markdown(
        f"**{facts['task']}** of `{facts['target']}`  \n"
        f"model version `{facts['model version']}`"
        + (
            f"  \nregistry version {facts['registry version']}"
            if facts["registry version"]
            else ""
        )
    )
    if st.sidebar.button("Reload the models", help="Read the served versions again"):
        _dashboard.clear()
        st.rerun()
    return variant


def _what(variant: ServedVariant) -> str:
    positive = variant.problem.positive_class
    if not variant.task.CATEGORICAL_TARGET:
        return variant.problem.target
    return f"P({positive})" if positive else "the class's probability"


def _previous(key: str, prediction: Any) -> Any:
    """The prediction before the last change of the form (None at first)."""
    before, last = st.session_state.get(key, (None, None))
    if prediction != last:
        before, last = last, prediction
        st.session_state[key] = (before, last)
    return before


def _show_prediction(variant: ServedVariant, row: dict[str, Any]) -> None:
    prediction = row["prediction"]
    previous = _previous(f"{variant.name}:predictions", prediction)
    reference = variant.loaded.prediction_reference or {}
    if not variant.task.CATEGORICAL_TARGET:
        delta = None if previous is None else f"{prediction - previous:+,.2f}"
        st.metric(
            f"Predicted {variant.problem.target}", f"{prediction:,.2f}", delta=delta
        )
        text = interval_text(reference.get("interval"), prediction)
        if text:
            st.caption(text)
        return
    st.metric(f"Predicted {variant.problem.target}", str(prediction))
    probabilities = row.get("probabilities")
    if probabilities:
        st.plotly_chart(
            probability_figure(
                probabilities, threshold_of(variant), variant.problem.positive_class
            ),
            key=f"{variant.name}:probabilities",
        )


def _predict_tab(variant: ServedVariant) -> None:
    reference = variant.loaded.prediction_reference or {}
    typical = reference.get("record") or {}
    form, result = st.columns([3, 2])
    with form:
        st.caption(
            "The form starts from a typical record of the training data "
            "(medians and most frequent values). Press Predict, then change "
            "any input: the prediction follows."
        )
        record = record_form(
            variant.schema.without_target(),
            typical,
            variant.name,
            training_categories(variant.loaded.drift_reference),
        )
        pressed = st.button("Predict", key="predict", type="primary")
    if pressed:
        st.session_state[f"{variant.name}:predicting"] = True
    if not st.session_state.get(f"{variant.name}:predicting"):
        return
    with result:
        try:
            row = predict_one(variant, record)
        except RecordRefused as refused:
            st.error(
                "This record cannot be scored:\n\n- " + "\n- ".join(refused.problems)
            )
            return
        except ValueError as error:  # the model refuses a value (the API's 422)
            st.error(f"The model cannot score this record: {error}")
            return
        _show_prediction(variant, row)
        st.subheader("Why")
        effects = local_effects(variant, record, typical)
        if effects.empty:
            st.write("Every input is at its typical value.")
            return
        st.caption(
            "Each bar: how much the prediction changes when that one input is "
            "set back to its typical value."
        )
        st.plotly_chart(
            effects_figure(
                effects, _what(variant), percent=variant.task.CATEGORICAL_TARGET
            ),
            key=f"{variant.name}:effects",
        )


def _batch_tab(variant: ServedVariant) -> None:
    st.write(
        "Upload a CSV of records (one column per feature). Valid rows are "
        "scored; the others are listed with the reason."
    )
    upload = st.file_uploader("Records (CSV)", type=["csv"], key=f"{variant.name}:csv")
    if upload is None:
        return
    try:
        records = pd.read_csv(upload, nrows=MAX_UPLOAD_ROWS)
        scored, rejects = score_table(variant, records)
    except (RecordRefused, ValueError) as error:  # unreadable, a missing column
        st.error(f"This file cannot be scored: {error}")
        return
    st.write(f"{len(scored)} scored, {len(rejects)} rejected.")
    _table_with_download(scored, "the scored table", f"{variant.name}_predictions")
    if not rejects.empty:
        st.subheader("Rejects")
        _table_with_download(rejects, "the rejects", f"{variant.name}_rejects")


def _table_with_download(table: pd.DataFrame, what: str, name: str) -> None:
    """``table`` on the page and a button to download it as ``name``.csv."""
    st.dataframe(table, key=f"{name}:table")
    st.download_button(
        f"Download {what}",
        table.to_csv(index=True, index_label="row").encode(),
        file_name=f"{name}.csv",
        mime="text/csv",
    )


def _card_tab(dashboard: Dashboard, variant: ServedVariant) -> None:
    facts = model_facts(variant)
    verdict = facts["diagnosis"]
    if verdict:
        (st.success if verdict == "good fit" else st.warning)(f"Diagnosis: {verdict}")
    st.table(pd.DataFrame({"": list(facts), "value": [str(v) for v in facts.values()]}))
    st.subheader("Metrics against the baseline")
    st.dataframe(metrics_table(variant.metrics), hide_index=True)
    for name, figure in dashboard.figures(variant.name).items():
        st.subheader(name.removesuffix("_plot").replace("_", " ").capitalize())
        st.plotly_chart(figure, key=f"{variant.name}:{name}")


def main() -> None:
    """Draw the page (Streamlit runs this on every interaction)."""
    st.set_page_config(page_title="ml-workflow: predictions", layout="wide")
    dashboard = _dashboard(*_project())
    if not dashboard.variants:
        st.error("This project configures no variant.")
        return
    variant = _sidebar(dashboard)
    st.title(f"{variant.name}: predict {variant.problem.target}")
    if variant.loaded is None:
        st.error(f"No usable model: {variant.error}")
        return
    predict, batch, card = st.tabs(["Predict", "Batch", "Model card"])
    with predict:
        _predict_tab(variant)
    with batch:
        _batch_tab(variant)
    with card:
        _card_tab(dashboard, variant)


__all__ = ["main"]
