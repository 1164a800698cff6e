"""A variant made by ``kedro variant create`` gets its dashboard with no code:
its form starts from its typical record, and Predict answers what the API
answers. The one model trained in the dashboard tests: a small regression
with a categorical column, with the test budgets (``tests.budgets``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project
from sklearn.datasets import load_diabetes

from ml_workflow.core.config import resolve_parameters
from ml_workflow.pipeline_registry import build_pipelines
from ml_workflow.scaffold.variant import create_variant
from ml_workflow.serving.app import create_app
from ml_workflow.variants import load_raw_parameters
from tests.budgets import fast_budgets
from tests.dashboard.conftest import api_prediction
from tests.dashboard.test_app import open_app
from tests.kedro_runner import run_pipeline
from tests.serving.conftest import make_project, save_models, wait_until_ready

pytestmark = pytest.mark.slow  # trains one small model: ~20-40 s here

NAME = "diabetes"
SAVED = ("model", "metrics", "drift_reference", "prediction_reference")


@pytest.fixture(scope="module")
def created_project(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("created"))
    frame = load_diabetes(as_frame=True, scaled=False).frame
    frame["sex"] = frame["sex"].map({1.0: "f", 2.0: "m"})
    data = project.parent / "diabetes.csv"
    frame.to_csv(data, index=False)
    create_variant(project, NAME, data, "target")
    bootstrap_project(project)
    with KedroSession.create(project_path=project) as session:
        raw = session.load_context().catalog.load(f"{NAME}.raw")
    parameters = resolve_parameters(fast_budgets(load_raw_parameters(project)))
    outputs = run_pipeline(
        build_pipelines([NAME])[NAME], {f"{NAME}.raw": raw}, parameters
    )
    save_models(project, {NAME: {name: outputs[f"{NAME}.{name}"] for name in SAVED}})
    return project


def test_a_created_variant_is_prefilled_and_predicts_as_the_api(
    created_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app(created_project, monkeypatch)
    app.sidebar.selectbox(key="variant").select(NAME).run()
    typical = pd.read_json(
        next(
            (created_project / "data/06_models" / NAME).glob(
                "prediction_reference.json/*/prediction_reference.json"
            )
        ),
        typ="series",
    )["record"]
    assert app.number_input(key=f"{NAME}:bmi").value == pytest.approx(typical["bmi"])
    assert app.selectbox(key=f"{NAME}:sex").value == typical["sex"]
    app.button(key="predict").click().run()
    assert not app.exception, app.exception
    with TestClient(create_app(created_project)) as api:
        wait_until_ready(api, path=f"/v2/models/{NAME}/ready")
        expected = api_prediction(api, NAME, [typical])[0]["prediction"]
    assert app.metric[0].value == f"{expected:,.2f}"
