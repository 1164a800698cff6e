"""The exploration notebook runs headless, top to bottom, on the real data."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "01_exploration.ipynb"
KERNEL = "ml-workflow-tests"


@pytest.fixture
def kernel_of_this_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A kernelspec that runs this very interpreter (the test venv), not whatever
    ``python3`` kernel the machine happens to have installed.
    """
    spec = tmp_path / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [
                    sys.executable,
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                ],
                "display_name": "ml-workflow tests",
                "language": "python",
            }
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setenv("KEDRO_DISABLE_TELEMETRY", "1")
    return KERNEL


@pytest.mark.slow
def test_exploration_notebook_executes(kernel_of_this_python: str) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # appended in memory only: which interpreter ran the cells
    notebook.cells.append(
        nbformat.v4.new_code_cell("import sys; print('kernel:', sys.executable)")
    )
    client = NotebookClient(
        notebook,
        kernel_name=kernel_of_this_python,
        timeout=300,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell

    printed = "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )
    assert "housing: regression of 'median_house_value'" in printed
    assert "rows, columns: (20640, 10)" in printed
    assert f"kernel: {sys.executable}" in printed
