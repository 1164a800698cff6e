"""Run a pipeline through a Kedro runner on in-memory data, every output kept.

The stage, serving and scoring tests run the real pipelines this way, with
``params:`` entries exactly as a Kedro session gives them, and check on the
way that no node changed a dataset it read.
"""

from __future__ import annotations

import hashlib
import pickle
from typing import Any

from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.runner import SequentialRunner
from kedro.validation.utils import get_typed_fields


def _fingerprint(data: Any) -> str:
    """A digest of ``data``'s pickle (joblib.hash cannot sort matplotlib's Axes)."""
    return hashlib.sha256(
        pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    ).hexdigest()


class _KeptDataset(MemoryDataset):
    """A MemoryDataset the runner cannot release, so tests can read every output.

    Every node reading it gets the saved object itself, not a deep copy: Kedro's
    default deep-copies a figure or a model on every load, which was most of the
    time of a small pipeline run (a toy run's CPU time 4.4 s -> 1.6 s). Nodes
    are pure, and this checks it instead of hiding it: the object's hash is
    taken when it is saved, and ``unchanged`` compares it after the run.
    """

    def __init__(self) -> None:
        super().__init__(copy_mode="assign")
        self._saved_hash: str | None = None

    def save(self, data: Any) -> None:
        super().save(data)
        first, second = _fingerprint(data), _fingerprint(data)
        # a matplotlib figure pickles differently each time: it is not checked
        self._saved_hash = first if first == second else None

    def unchanged(self) -> bool:
        """Whether the object still hashes as when it was saved."""
        if self._saved_hash is None:
            return True
        return _fingerprint(self.load()) == self._saved_hash

    def _release(self) -> None:
        pass


def run_pipeline(
    pipeline: Pipeline, inputs: dict[str, Any], parameters: dict[str, Any]
) -> dict[str, Any]:
    """Run ``pipeline`` with a Kedro runner on in-memory data; return every output.

    ``parameters`` is the full (validated) parameters mapping; it is exposed as
    ``params:`` entries (nested keys and model fields included) exactly as a
    Kedro session would.
    """
    catalog = DataCatalog()
    for name, value in inputs.items():
        catalog[name] = MemoryDataset(value)
    for name, value in parameter_entries(parameters).items():
        catalog[f"params:{name}"] = MemoryDataset(value, copy_mode="deepcopy")
    outputs = {name: _KeptDataset() for name in pipeline.all_outputs()}
    for name, dataset in outputs.items():
        catalog[name] = dataset
    SequentialRunner().run(pipeline, catalog)
    changed = sorted(
        name for name, dataset in outputs.items() if not dataset.unchanged()
    )
    assert not changed, f"a node changed these datasets it read: {changed}"
    return {name: dataset.load() for name, dataset in outputs.items()}


def parameter_entries(parameters: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Kedro's ``params:`` names: nested dict keys and model fields, dotted."""
    flat: dict[str, Any] = {}
    for key, value in parameters.items():
        name = f"{prefix}{key}"
        flat[name] = value
        fields = value if isinstance(value, dict) else get_typed_fields(value)
        if fields is not None:
            flat.update(parameter_entries(fields, f"{name}."))
    return flat
