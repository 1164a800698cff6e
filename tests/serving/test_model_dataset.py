"""SkopsModelDataset: models round-trip, a changed file or an untrusted type is refused."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from kedro.io.core import DatasetError, Version
from sklearn.ensemble import ExtraTreesRegressor
from sklearn.linear_model import LinearRegression

from ml_workflow.datasets import SkopsModelDataset
from ml_workflow.datasets import model as model_module
from ml_workflow.datasets.model import loads_trusted


class Sneaky:
    """A type no allowlist names: loading it would import this test module."""

    def __init__(self) -> None:
        self.payload = "anything"


def _versioned(path: Path) -> SkopsModelDataset:
    return SkopsModelDataset(filepath=str(path), version=Version(None, None))


@pytest.mark.parametrize("variant", ["housing", "spam"])
def test_trained_pipelines_round_trip_with_their_project_types(
    variant: str,
    tmp_path: Path,
    trained: dict[str, Any],
    parameters: dict[str, Any],
    housing_raw_sample: pd.DataFrame,
    spam_raw_sample: pd.DataFrame,
) -> None:
    model = trained[variant]["model"]
    SkopsModelDataset(filepath=str(tmp_path / "model.skops")).save(model)
    # another instance: rebuilt from the file, not the copy the saver keeps
    loaded = SkopsModelDataset(filepath=str(tmp_path / "model.skops")).load()
    sample = {"housing": housing_raw_sample, "spam": spam_raw_sample}[variant]
    features = sample[parameters[variant]["problem"].feature_columns].head(50)
    assert list(loaded.predict(features)) == list(model.predict(features))
    # the project's own transformers are rebuilt, not replaced
    types = sio.get_untrusted_types(file=tmp_path / "model.skops")
    project_types = [t for t in types if t.startswith("ml_workflow.")]
    assert project_types, types
    assert (tmp_path / "model.skops.sha256").read_text().strip() != ""


def test_versions_accumulate_and_the_latest_loads(tmp_path: Path) -> None:
    frame = pd.DataFrame({"x": [0.0, 1.0]})
    first = LinearRegression().fit(frame, [0.0, 1.0])
    second = LinearRegression().fit(frame, [0.0, 5.0])
    _versioned(tmp_path / "model.skops").save(first)
    _versioned(tmp_path / "model.skops").save(second)
    versions = sorted((tmp_path / "model.skops").iterdir())
    assert len(versions) == 2
    assert all((v / "model.skops.sha256").is_file() for v in versions)
    assert _versioned(tmp_path / "model.skops").load().coef_[0] == pytest.approx(5.0)


def test_a_changed_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.skops"
    dataset = SkopsModelDataset(filepath=str(path))
    dataset.save(LinearRegression().fit(pd.DataFrame({"x": [0.0, 1.0]}), [0, 1]))
    path.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(DatasetError, match="does not match its recorded SHA-256"):
        dataset.load()


def _fitted(slope: float) -> LinearRegression:
    return LinearRegression().fit(pd.DataFrame({"x": [0.0, 1.0]}), [0.0, slope])


def _counting_rebuilds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one each time a model is rebuilt from a file."""
    rebuilt: list[int] = []
    real_loads = model_module.loads_trusted

    def counting_loads(*args: Any, **kwargs: Any) -> Any:
        rebuilt.append(1)
        return real_loads(*args, **kwargs)

    monkeypatch.setattr(model_module, "loads_trusted", counting_loads)
    return rebuilt


def test_loads_after_a_save_are_separate_copies_of_the_saved_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rebuilt = _counting_rebuilds(monkeypatch)
    path = tmp_path / "model.skops"
    dataset = SkopsModelDataset(filepath=str(path))
    saved = _fitted(2.0)
    dataset.save(saved)
    saved.coef_[0] = 77.0  # the caller changing its model after the save
    first, second = dataset.load(), dataset.load()
    assert rebuilt == []  # the bytes were just written from this model
    assert first is not second
    first.coef_[0] = 99.0  # a node changing its copy changes no other load
    assert second.coef_[0] == pytest.approx(2.0)
    assert dataset.load().coef_[0] == pytest.approx(2.0)

    dataset.save(_fitted(3.0))
    assert dataset.load().coef_[0] == pytest.approx(3.0)
    assert rebuilt == []
    path.write_bytes(path.read_bytes() + b"\0")  # the hash is checked every time
    with pytest.raises(DatasetError, match="does not match its recorded SHA-256"):
        dataset.load()


def test_another_instance_rebuilds_the_file_once_then_copies_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "model.skops"
    SkopsModelDataset(filepath=str(path)).save(_fitted(2.0))
    rebuilt = _counting_rebuilds(monkeypatch)
    reader = SkopsModelDataset(filepath=str(path))  # another node or process
    first, second = reader.load(), reader.load()
    assert len(rebuilt) == 1
    assert first is not second
    assert first.coef_[0] == second.coef_[0] == pytest.approx(2.0)
    SkopsModelDataset(filepath=str(path)).save(_fitted(3.0))  # new bytes
    assert reader.load().coef_[0] == pytest.approx(3.0)
    assert len(rebuilt) == 2


def test_a_file_without_a_recorded_hash_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.skops"
    path.write_bytes(sio.dumps(LinearRegression()))
    with pytest.raises(DatasetError, match="has no recorded hash"):
        SkopsModelDataset(filepath=str(path)).load()


def test_an_untrusted_type_is_refused_at_save_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    path = tmp_path / "model.skops"
    with pytest.raises(DatasetError, match=r"types outside the trusted modules") as err:
        SkopsModelDataset(filepath=str(path)).save({"model": Sneaky()})
    assert f"{__name__}.Sneaky" in str(err.value)
    assert "model.skops" in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_an_untrusted_type_is_refused_at_load_even_with_a_matching_hash(
    tmp_path: Path,
) -> None:
    path = tmp_path / "model.skops"
    payload = sio.dumps({"model": Sneaky()})  # written by something else
    path.write_bytes(payload)
    Path(f"{path}.sha256").write_text(model_module.sha256_hex(payload) + "\n")
    with pytest.raises(DatasetError, match=r"types outside the trusted modules") as err:
        SkopsModelDataset(filepath=str(path)).load()
    assert f"{__name__}.Sneaky" in str(err.value)


def test_the_allowlist_is_configurable(tmp_path: Path) -> None:
    data = sio.dumps({"model": Sneaky()})
    loaded = loads_trusted(data, ("sklearn.", f"{__name__}."))
    assert isinstance(loaded["model"], Sneaky)
    with pytest.raises(DatasetError, match="Sneaky"):
        loads_trusted(data, ("sklearn.",))


def test_a_missing_model_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="model.skops"):
        SkopsModelDataset(filepath=str(tmp_path / "model.skops")).load()


def test_models_are_deflated_unless_save_args_say_otherwise(tmp_path: Path) -> None:
    """Tree node arrays compress well: a forest's file is deflated by default,
    stored as it is with ``compression: 0``, and both load the same model."""
    rng = np.random.default_rng(0)
    rows, target = rng.normal(size=(400, 3)), rng.normal(size=400)
    forest = ExtraTreesRegressor(n_estimators=5, random_state=0).fit(rows, target)
    sizes = {}
    for name, save_args in (("deflated", None), ("stored", {"compression": 0})):
        path = tmp_path / f"{name}.skops"
        dataset = SkopsModelDataset(filepath=str(path), save_args=save_args)
        dataset.save(forest)
        with zipfile.ZipFile(path) as archive:
            kinds = {member.compress_type for member in archive.infolist()}
        expected = zipfile.ZIP_STORED if save_args else zipfile.ZIP_DEFLATED
        assert kinds == {expected}, (name, kinds)
        from_file = SkopsModelDataset(filepath=str(path)).load()  # rebuilt
        assert list(from_file.predict(rows)) == list(forest.predict(rows))
        sizes[name] = path.stat().st_size
    assert sizes["deflated"] < sizes["stored"] / 2, sizes
