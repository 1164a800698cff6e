"""A real Kedro session of a project copy, run in the test's own process.

For tests about what a failing run reports and leaves behind: the session,
hooks and catalog are those ``kedro run`` uses, without the seconds of a new
interpreter's start-up. A ``kedro run`` subprocess is still what tests of the
CLI's own output use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from kedro.framework.hooks import hook_impl
from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project


def nested(dotted: dict[str, Any]) -> dict[str, Any]:
    """``{"a.b": 1}`` -> ``{"a": {"b": 1}}``, as ``kedro run --params`` passes them."""
    result: dict[str, Any] = {}
    for key, value in dotted.items():
        *parents, last = key.split(".")
        node = result
        for parent in parents:
            node = node.setdefault(parent, {})
        node[last] = value
    return result


class NodeRecorder:
    """Records the name of every node that started (its inputs loaded)."""

    def __init__(self) -> None:
        self.started: list[str] = []

    @hook_impl
    def before_node_run(self, node: Any) -> None:
        self.started.append(node.name)


def failing_session_run(
    project: Path,
    pipeline: str,
    monkeypatch: pytest.MonkeyPatch,
    runtime_params: dict[str, Any] | None = None,
    expected: type[BaseException] = Exception,
) -> tuple[BaseException, list[str]]:
    """Run ``pipeline`` of ``project`` in a Kedro session that must fail with
    ``expected``; return the error and the nodes that started before it."""
    monkeypatch.chdir(project)
    bootstrap_project(project)
    recorder = NodeRecorder()
    with KedroSession.create(project, runtime_params=runtime_params) as session:
        session._hook_manager.register(recorder)
        with pytest.raises(expected) as caught:
            session.run(pipeline_names=[pipeline])
    return caught.value, recorder.started
