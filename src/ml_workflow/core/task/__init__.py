"""The task of a problem, chosen once: ``task_for(problem)``.

Everything that differs between regression and classification (metrics,
scorers, folds, baseline, predictions, the threshold) is a method or class
attribute of the task, so nodes never compare task names.
"""

from __future__ import annotations

from ml_workflow.core.config.problem import Problem

from .base import Task
from .classification import BinaryClassificationTask, probability_column
from .regression import RegressionTask

TASKS: dict[str, type[Task]] = {
    RegressionTask.NAME: RegressionTask,
    BinaryClassificationTask.NAME: BinaryClassificationTask,
}


def task_type(name: str) -> type[Task]:
    """The task class of ``problem.task``."""
    return TASKS[name]


def task_for(problem: Problem) -> Task:
    """The task of ``problem``."""
    return task_type(problem.task)(problem)


__all__ = [
    "TASKS",
    "BinaryClassificationTask",
    "RegressionTask",
    "Task",
    "probability_column",
    "task_for",
    "task_type",
]
