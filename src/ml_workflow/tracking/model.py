"""Log a run's trained model to MLflow with a signature and an input example.

The logged model is ``ml_workflow.tracking.pyfunc.SkopsPyfuncModel`` around
this run's own skops file and its ``.sha256`` (never a pickle). Its input
example is the first rows of the test split's raw feature columns (what
serving receives), its signature is inferred from them and the test
predictions. MLflow checks the example against the model while logging it, by
loading the model once through the same code.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from ml_workflow.datasets.model import HASH_SUFFIX
from ml_workflow.errors import TrackingError

from .artifacts import saved_path
from .tracker import Tracker, import_mlflow

# Names of the two files inside the logged model (pyfunc's ``context.artifacts``).
MODEL_ARTIFACT = "model"
HASH_ARTIFACT = "sha256"
MODEL_CODE = Path(__file__).with_name("model_code.py")
EXAMPLE_ROWS = 5
# What loading the logged model needs besides the project's own package (whose
# transformers the model holds).
REQUIREMENTS = ("scikit-learn", "skops", "numpy", "pandas", "scipy", "kedro", "mlflow")


@dataclass(frozen=True)
class LoggedModel:
    """What the registry needs to know about a logged model."""

    model_id: str
    model_uri: str
    kedro_version: str
    sha256: str


def _requirements() -> list[str]:
    pinned = []
    for name in REQUIREMENTS:
        try:
            pinned.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            continue
    return pinned


def input_example(catalog: Any, variant: str) -> Any:
    """The first rows of the test split's raw feature columns (what serving
    receives: the model derives its own features)."""
    columns = catalog.load(f"params:{variant}.problem").feature_columns
    return catalog.load(f"{variant}.test")[columns].head(EXAMPLE_ROWS)


def log_model(
    tracker: Tracker,
    run_id: str,
    experiment_id: str,
    catalog: Any,
    variant: str,
) -> LoggedModel:
    """Log this run's ``<variant>.model`` file as the run's MLflow model."""
    mlflow = import_mlflow()
    from mlflow.models import Model, infer_signature  # noqa: PLC0415

    dataset = catalog.get(f"{variant}.model")
    path = saved_path(catalog, f"{variant}.model")
    if path is None or not Path(f"{path}{HASH_SUFFIX}").is_file():
        raise TrackingError(
            f"the model file {variant}.model saved by this run was not found on "
            "the local disk, so it cannot be logged to MLflow"
        )
    digest = Path(f"{path}{HASH_SUFFIX}").read_text().strip()
    kedro_version = dataset.resolve_save_version()
    example = input_example(catalog, variant)
    predicted = catalog.load(f"{variant}.test_predictions")["predicted"]
    signature = infer_signature(example, predicted.head(len(example)))

    with tracker.process_wide():
        logged = tracker.client.create_logged_model(
            experiment_id,
            name="model",
            source_run_id=run_id,
            tags={"kedro_model_version": kedro_version, "model_sha256": digest},
        )
        info = Model.log(
            artifact_path=None,
            name="model",
            flavor=mlflow.pyfunc,
            run_id=run_id,
            model_id=logged.model_id,
            python_model=str(MODEL_CODE),
            artifacts={
                MODEL_ARTIFACT: str(path),
                HASH_ARTIFACT: f"{path}{HASH_SUFFIX}",
            },
            signature=signature,
            input_example=example,
            pip_requirements=_requirements(),
            metadata={"kedro_model_version": kedro_version, "model_sha256": digest},
        )
    return LoggedModel(
        model_id=logged.model_id,
        model_uri=info.model_uri,
        kedro_version=kedro_version,
        sha256=digest,
    )


__all__ = ["LoggedModel", "input_example", "log_model"]
