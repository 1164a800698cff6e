"""The Streamlit page, driven by ``streamlit.testing.v1.AppTest`` (no browser):
the form is pre-filled, Predict answers what the API answers, a bad record
is refused with its reason, and the model card shows the diagnosis.

``AppTest`` cannot drive ``st.file_uploader``; the function behind the
upload (``score_table``) is tested in ``test_scoring.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from ml_workflow.dashboard.card import interval_text
from tests.dashboard.conftest import APP, api_prediction

TIMEOUT = 120  # the first run loads the project and its models


def open_app(project: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The page, run once. Streamlit installs the script as ``__main__`` and
    never puts the old one back; ``monkeypatch`` does at teardown. Left in
    place, every process spawned later in this worker (Dask's and joblib's
    workers) would run the dashboard script on start-up: 8-14 s per cluster."""
    monkeypatch.setenv("ML_WORKFLOW_PROJECT", str(project))
    monkeypatch.delenv("KEDRO_ENV", raising=False)
    monkeypatch.setitem(sys.modules, "__main__", sys.modules["__main__"])
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    app.run()
    assert not app.exception, app.exception
    return app


def _api(api, name: str, record: dict[str, Any]) -> dict[str, Any]:
    return api_prediction(api, name, [record])[0]


def _predict(app: AppTest) -> AppTest:
    app.button(key="predict").click().run()
    assert not app.exception, app.exception
    return app


def test_the_form_is_prefilled_and_predicts_as_the_api(
    dashboard_project, dashboard, api, monkeypatch
) -> None:
    app = open_app(dashboard_project, monkeypatch)
    typical = dashboard.variants["housing"].loaded.prediction_reference["record"]
    assert app.number_input(key="housing:median_income").value == pytest.approx(
        typical["median_income"]
    )
    assert (
        app.selectbox(key="housing:ocean_proximity").value
        == (typical["ocean_proximity"])
    )
    assert app.number_input(key="housing:median_income").label == (
        "Median household income (tens of thousands of USD)"
    )
    assert not app.metric  # nothing predicted before Predict
    _predict(app)
    expected = _api(api, "housing", typical)["prediction"]
    assert app.metric[0].value == f"{expected:,.2f}"
    interval = dashboard.variants["housing"].loaded.prediction_reference["interval"]
    assert interval_text(interval, expected) in [c.value for c in app.caption]

    # what-if: change one input, the prediction follows without pressing again
    app.number_input(key="housing:median_income").set_value(
        typical["median_income"] * 2
    ).run()
    changed = _api(
        api, "housing", {**typical, "median_income": typical["median_income"] * 2}
    )["prediction"]
    assert app.metric[0].value == f"{changed:,.2f}"


def test_a_classifier_shows_its_class_and_a_bad_text_is_refused(
    dashboard_project, api, monkeypatch
) -> None:
    app = open_app(dashboard_project, monkeypatch)
    app.sidebar.selectbox(key="variant").select("spam").run()
    message = "WINNER! Claim your FREE prize now, call 09061701461"
    app.text_area(key="spam:message").input(message)
    _predict(app)
    assert app.metric[0].value == _api(api, "spam", {"message": message})["prediction"]
    app.text_area(key="spam:message").input("   ").run()
    assert "message: [not_empty]" in app.error[0].value


def test_the_model_card_shows_the_diagnosis(
    dashboard_project, dashboard, monkeypatch
) -> None:
    app = open_app(dashboard_project, monkeypatch)
    verdict = dashboard.variants["housing"].metrics["diagnosis"]
    shown = [element.value for element in [*app.success, *app.warning]]
    assert f"Diagnosis: {verdict}" in shown
    assert app.dataframe  # the metrics against the baseline


def test_running_the_page_leaves_this_process_main_module_as_it_was(
    dashboard_project,
) -> None:
    before = sys.modules["__main__"]
    with pytest.MonkeyPatch.context() as patch:
        open_app(dashboard_project, patch)
        assert sys.modules["__main__"] is not before  # what Streamlit does
    assert sys.modules["__main__"] is before
