"""``kedro airflow create`` turns the project's pipelines into Airflow DAG files.

Airflow itself is not installed here: the generated files are parsed, not
imported, and their tasks and dependencies are read from the syntax tree.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ml_workflow.pipeline_registry import build_pipelines
from tests.conftest import CONFIGURED_VARIANTS
from tests.project_copy import copy_project

pytest.importorskip("kedro_airflow")
slugify = pytest.importorskip("slugify").slugify  # kedro-airflow names tasks with it

pytestmark = pytest.mark.slow  # runs the real kedro CLI


def _create_dag(project: Path, target: Path, *arguments: str) -> Path:
    """Run ``kedro airflow create`` in ``project``; return the one DAG file made."""
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("kedro")),
            "airflow",
            "create",
            "--target-dir",
            str(target),
            *arguments,
        ],
        cwd=project,
        env={**os.environ, "KEDRO_DISABLE_TELEMETRY": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    (dag,) = sorted(target.glob("*_dag.py"))
    return dag


def _tasks_and_edges(dag: Path) -> tuple[dict[str, str], set[tuple[str, str]]]:
    """Read a generated DAG: task id -> the Kedro call it makes, and the edges.

    The file must be valid Python (it is compiled here as Airflow would).
    """
    source = dag.read_text()
    compile(source, str(dag), "exec")
    tree = ast.parse(source)
    tasks: dict[str, str] = {}
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        for decorator in function.decorator_list:
            if isinstance(decorator, ast.Call) and getattr(
                decorator.func, "id", None
            ) == ("task"):
                (task_id,) = [k.value.value for k in decorator.keywords]
                tasks[task_id] = ast.unparse(function.body[0])
    edges = {
        (expression.left.slice.value, expression.right.slice.value)
        for expression in ast.walk(tree)
        if isinstance(expression, ast.BinOp) and isinstance(expression.op, ast.RShift)
    }
    return tasks, edges


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("airflow"))


def test_default_pipeline_grouped_by_namespace_is_one_task_per_variant(
    project: Path, tmp_path: Path
) -> None:
    dag = _create_dag(
        project, tmp_path, "--pipelines", "__default__", "--group-by", "namespace"
    )
    tasks, edges = _tasks_and_edges(dag)
    # One task per variant, running that variant's namespace of the pipeline;
    # variants share no data, so no task waits for another.
    assert set(tasks) == set(CONFIGURED_VARIANTS)
    for variant, call in tasks.items():
        assert call == f"_run_kedro_node(namespaces=[{variant!r}])"
    assert edges == set()
    source = dag.read_text()
    assert 'pipeline_name = "__default__"' in source
    # Scheduling comes from conf/base/airflow.yml.
    assert 'schedule="@weekly"' in source
    assert "max_active_runs=1," in source


@pytest.mark.requires_variants("housing")  # conf/base/airflow.yml names its pipeline
def test_pipeline_settings_in_airflow_yml_override_the_default(
    project: Path, tmp_path: Path
) -> None:
    variant = "housing"
    pipeline = f"{variant}_inference_partitioned"
    dag = _create_dag(project, tmp_path, "--pipelines", pipeline, "-g", "namespace")
    tasks, _ = _tasks_and_edges(dag)
    assert tasks == {variant: f"_run_kedro_node(namespaces=[{variant!r}])"}
    assert 'schedule="@daily"' in dag.read_text()


def test_ungrouped_variant_pipeline_is_one_task_per_node_with_its_dependencies(
    project: Path, tmp_path: Path
) -> None:
    variant = CONFIGURED_VARIANTS[0]
    dag = _create_dag(project, tmp_path, "--pipelines", variant)
    tasks, edges = _tasks_and_edges(dag)
    pipeline = build_pipelines(CONFIGURED_VARIANTS)[variant]
    assert set(tasks) == {slugify(node.name) for node in pipeline.nodes}
    producers = {output: node for node in pipeline.nodes for output in node.outputs}
    expected = {
        (slugify(producers[name].name), slugify(node.name))
        for node in pipeline.nodes
        for name in node.inputs
        if name in producers
    }
    assert edges == expected
    node = pipeline.nodes[0]
    assert tasks[slugify(node.name)] == f"_run_kedro_node(node_names=[{node.name!r}])"
