"""The task of a problem, chosen once: ``task_for(problem)``.

Everything that differs between regression, binary and multiclass
classification (metrics, scorers, folds, baseline, predictions, the
threshold, the plots) is a method or class attribute of the task, so nodes
never compare task names. A classification problem with a ``positive_class``
is binary (the metrics are about that class); without one it is multiclass.
"""

from __future__ import annotations

from typing import Any

from ml_workflow.core.config.problem import Problem

from .base import Task
from .classification import BinaryClassificationTask
from .labels import ClassificationTask, probability_column
from .multiclass import MulticlassClassificationTask
from .regression import RegressionTask


def task_class(problem: Problem | dict[str, Any]) -> type[Task]:
    """The task class of a problem (a model, or its mapping as written)."""
    task = problem.task if isinstance(problem, Problem) else problem.get("task")
    positive = (
        problem.positive_class
        if isinstance(problem, Problem)
        else problem.get("positive_class")
    )
    if task == RegressionTask.NAME:
        return RegressionTask
    return (
        MulticlassClassificationTask if positive is None else BinaryClassificationTask
    )


def task_for(problem: Problem) -> Task:
    """The task of ``problem``."""
    return task_class(problem)(problem)


__all__ = [
    "BinaryClassificationTask",
    "ClassificationTask",
    "MulticlassClassificationTask",
    "RegressionTask",
    "Task",
    "probability_column",
    "task_class",
    "task_for",
]
