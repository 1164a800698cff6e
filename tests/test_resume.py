"""A run that fails at its last node resumes with Kedro's own hint and ends as a
clean run would (RunTransactionHooks, ResumeStash).

Real ``kedro run`` subprocesses in temporary copies of the project, on the
data and small budgets of the session's shared run (``tests.shared_run``),
which is also the clean run to compare with. The failure is injected by a
hook appended to the copy's ``settings.py`` (test code only): it raises
before the node named by ``FAIL_AT_NODE`` runs.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from tests.project_copy import copy_project, write_fast_budgets
from tests.shared_run import TrainedRun, copy_trained, run_kedro, sample_raw_data

pytestmark = [pytest.mark.slow, pytest.mark.requires_variants("housing")]

# The earlier run uses another split, so its results differ from the resumed run's.
EARLIER_PARAMS = "housing.split.seed=7"
LAST_NODE = "housing.render_static_figures"
RESULT_LAYERS = ("06_models", "07_model_output", "08_reporting")
FAILING_HOOK = """

import os as _os

from kedro.framework.hooks import hook_impl as _hook_impl


class _FailAtNode:
    @_hook_impl
    def before_node_run(self, node):
        if node.name == _os.environ.get("FAIL_AT_NODE"):
            raise RuntimeError(f"injected failure at {node.name}")


HOOKS = (*HOOKS, _FailAtNode())
"""


def _project(destination: Path) -> Path:
    project = copy_project(destination)
    sample_raw_data(project)  # the shared run's data and budgets
    write_fast_budgets(project)
    settings = project / "src" / "ml_workflow" / "settings.py"
    settings.write_text(settings.read_text() + FAILING_HOOK)
    return project


def _kedro(project: Path, *args: str, fail_at: str = "") -> str:
    """Run ``kedro run --pipelines housing`` with the copy's own code; return
    its output, lines joined (rich wraps them)."""
    result = run_kedro(
        project,
        *("run", "--pipelines", "housing", *args),
        timeout=600,
        PYTHONPATH=str(project / "src"),
        FAIL_AT_NODE=fail_at,
    )
    output = " ".join((result.stdout + result.stderr).split())
    assert (result.returncode != 0) == bool(fail_at), output[-3000:]
    return output


def _results(project: Path, variant: str = "") -> dict[str, str]:
    """SHA-256 of every result file (models, predictions, reports), or of
    ``variant``'s only."""
    found = {}
    for layer in RESULT_LAYERS:
        for path in sorted((project / "data" / layer / variant).rglob("*")):
            if path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                found[path.relative_to(project).as_posix()] = digest
    return found


def _versions(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _unversioned(results: dict[str, str]) -> dict[str, str]:
    """Result files outside version folders, minus those holding fit times."""
    timed = ("leaderboard.csv", "search_results.csv", "leaderboard_chart.json")
    return {
        name: digest
        for name, digest in results.items()
        if not re.search(r"\.(skops|json)/[^/]+/", name) and not name.endswith(timed)
    }


@pytest.fixture(scope="module")
def clean_run(trained_run: TrainedRun, tmp_path_factory) -> Path:
    """The reference: the shared run, the same data, budgets and code without
    a failure. It ran every variant; housing's results do not depend on the
    others (the comparisons below read housing's files only)."""
    return copy_trained(trained_run, tmp_path_factory.mktemp("clean"))


def test_a_run_failed_at_its_last_node_resumes_with_kedros_hint(
    clean_run, tmp_path
) -> None:
    project = _project(tmp_path)
    _kedro(project, "--params", EARLIER_PARAMS)
    earlier = _results(project)
    models = project / "data/06_models/housing/model.skops"
    (earlier_version,) = _versions(models)

    failed = _kedro(project, fail_at=LAST_NODE)
    assert f"injected failure at {LAST_NODE}" in failed
    assert "earlier results are unchanged" in failed
    assert _results(project) == earlier  # every result byte-identical
    split = project / "data/05_model_input/housing/train.parquet"
    assert split.read_bytes() == (clean_run / split.relative_to(project)).read_bytes()
    manifest = json.loads((project / "data/.resume/manifest.json").read_text())
    assert "housing.model" in manifest["entries"]

    hint = re.search(r'--from-nodes "([^"]+)"', failed)
    assert hint, failed[-3000:]
    assert LAST_NODE in hint.group(1).split(",")
    assert "housing.tune_model" not in hint.group(1)  # no retraining
    resumed = _kedro(project, "--from-nodes", hint.group(1))
    assert "Running node: tune_model" not in resumed
    assert "Resuming run" in resumed

    # The results are those of a clean run of the same command...
    for name in ("metrics.json", "report.md", "feature_importance.json"):
        path = f"data/08_reporting/housing/{name}"
        assert (project / path).read_text() == (clean_run / path).read_text(), name
    predictions = "data/07_model_output/housing/test_predictions.csv"
    pd.testing.assert_frame_equal(
        pd.read_csv(project / predictions), pd.read_csv(clean_run / predictions)
    )
    assert _unversioned(_results(project)) == _unversioned(
        _results(clean_run, "housing")
    )
    # ...with the failed run's model as the latest version, its provenance
    # beside it, and the earlier version kept.
    versions = _versions(models)
    assert len(versions) == 2 and versions[0] == earlier_version
    records = project / "data/08_reporting/housing/provenance.json"
    assert _versions(records) == versions
    record = json.loads((records / versions[1] / "provenance.json").read_text())
    assert record["model"] == {"dataset": "housing.model", "version": versions[1]}
    assert _versions(project / "data/06_models/housing/model_summary.json") == versions
    assert not (project / "data/.resume").exists()
