"""The logged model: the run's own skops file behind MLflow's pyfunc interface.

MLflow's scikit-learn flavour would serialise the model a second time (as
skops, its default, or pickle) and, on load, trust the types its own ``MLmodel``
file lists. Instead the registry holds the very file Kedro saved (the same
bytes and SHA-256 as ``data/06_models/<variant>/model.skops/<version>``), and
this class loads it the way the project does: hash first, then only types from
the trusted modules (``ml_workflow.datasets.model.loads_trusted``). It is
logged as code (``model_code.py``, MLflow's "models from code"), so nothing is
pickled, not even this class.

No ``from __future__ import annotations`` here: MLflow reads ``predict``'s
type hints at class creation and warns about string annotations.
"""

from pathlib import Path
from typing import Any

import pandas as pd
from mlflow.pyfunc import PythonModel

from ml_workflow.datasets.model import loads_trusted, sha256_hex

from .model import HASH_ARTIFACT, MODEL_ARTIFACT


class SkopsPyfuncModel(PythonModel):
    """Predict with a skops model file whose recorded SHA-256 it checks first."""

    def load_context(self, context: Any) -> None:
        """Read the model file, refuse it if its hash differs, load trusted types."""
        path = Path(context.artifacts[MODEL_ARTIFACT])
        data = path.read_bytes()
        recorded = Path(context.artifacts[HASH_ARTIFACT]).read_text().strip()
        if sha256_hex(data) != recorded:
            raise ValueError(
                f"logged model file {path} does not match its recorded SHA-256 "
                f"{recorded}: refusing to load it"
            )
        self.model = loads_trusted(data, where=f"logged model file {path}")

    def predict(
        self, context: Any, model_input: pd.DataFrame, params: Any = None
    ) -> Any:
        """The model's predictions for a frame of raw feature columns."""
        return self.model.predict(model_input)


__all__ = ["SkopsPyfuncModel"]
