"""A variant's whole configuration: its sections, their defaults and the checks across them.

``VariantConfig.model_validate(parameters, context={"variant": name})`` is the
one place a variant's parameters are read: it refuses unknown keys and wrong
values with the key path, fills every default (the seeds from ``seed``, the
per-task defaults from the problem's task) and checks what no single section
can (a derived feature that reads the target, a positive class outside the
target's allowed labels, a search key that addresses no pipeline step...;
`cross_checks`).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .base import ConfigModel, Seed, at
from .cross_checks import (
    derived_problems,
    schema_problems,
    search_problems,
    task_of,
    task_problems,
)
from .derived import DerivedFeature
from .evaluation import Evaluation
from .problem import Problem
from .schema import Schema
from .selection import ModelSelection, Threshold
from .training import Candidate, Cleaning, Preprocessing, Split


class VariantConfig(ConfigModel):
    """Everything one variant's parameters file says, with the defaults filled in."""

    seed: Seed = 42
    """The default of every seed below (split, folds, search, diagnostics)."""
    problem: Problem
    data_schema: Schema = Field(Schema(), alias="schema")
    """The raw data's schema (``schema`` in the parameters)."""
    cleaning: Cleaning = Cleaning()
    derived_features: tuple[DerivedFeature, ...] = ()
    """Row-wise features computed inside the model from raw columns."""
    split: Split = Split()
    preprocessing: Preprocessing = Preprocessing()
    candidates: tuple[Candidate, ...] = Field(min_length=1)
    """The estimators compared, simplest first."""
    model_selection: ModelSelection = ModelSelection()
    evaluation: Evaluation = Evaluation()

    @field_validator("candidates")
    @classmethod
    def _unique_names(cls, candidates: tuple[Candidate, ...]) -> Any:
        names = [candidate.name for candidate in candidates]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"candidate names {repeated} are used more than once")
        return candidates

    @model_validator(mode="after")
    def _resolve(self, info: ValidationInfo) -> VariantConfig:
        problems = [
            *schema_problems(self),
            *derived_problems(self),
            *task_problems(self),
        ]
        if problems:
            raise ValueError(_located(problems))
        resolved = _with_defaults(self, (info.context or {}).get("variant"))
        pipeline_problems = search_problems(resolved)  # needs the resolved seed
        if pipeline_problems:
            raise ValueError(_located(pipeline_problems))
        return resolved

    def sections(self) -> dict[str, Any]:
        """The sections by their parameters key (``schema``, not ``data_schema``)."""
        return {
            (field.alias or name): getattr(self, name)
            for name, field in type(self).model_fields.items()
        }

    def candidate(self, name: str) -> Candidate:
        """The candidate called ``name``."""
        return next(c for c in self.candidates if c.name == name)


def _located(problems: list[str]) -> str:
    """``"<key path>: <message>"`` lines in the form ``describe_errors`` reads."""
    return "\n".join(at(*problem.split(": ", 1)) for problem in problems)


def _with_defaults(config: VariantConfig, variant: str | None) -> VariantConfig:
    """Fill the defaults that depend on the variant's seed, task or name."""
    task, seed = task_of(config), config.seed
    selection, evaluation = config.model_selection, config.evaluation
    threshold = selection.threshold
    metric = evaluation.primary_metric or task.DEFAULT_METRIC
    diagnosis = evaluation.diagnosis
    if diagnosis.min_train_score is None and "min_train_score" not in (
        diagnosis.model_fields_set
    ):
        diagnosis = diagnosis.model_copy(
            update={"min_train_score": None if metric in task.LOWER_IS_BETTER else 0.5}
        )
    if (
        threshold is None
        and task.TUNES_THRESHOLD
        and "threshold" not in (selection.model_fields_set)
    ):
        threshold = Threshold()
    return config.model_copy(
        update={
            "data_schema": config.data_schema.model_copy(
                update={"dataset": config.data_schema.dataset or f"{variant}.raw"}
            ),
            "split": config.split.model_copy(
                update={
                    "seed": _or(config.split.seed, seed),
                    "stratify": _or(config.split.stratify, task.STRATIFIES),
                }
            ),
            "model_selection": selection.model_copy(
                update={
                    "seed": _or(selection.seed, seed),
                    "threshold": threshold,
                    "search": selection.search.model_copy(
                        update={
                            "cv_folds": _or(
                                selection.search.cv_folds, selection.cv_folds
                            )
                        }
                    ),
                }
            ),
            "evaluation": evaluation.model_copy(
                update={
                    "primary_metric": evaluation.primary_metric or task.DEFAULT_METRIC,
                    "baseline_strategy": evaluation.baseline_strategy
                    or task.DEFAULT_BASELINE,
                    "permutation_importance": evaluation.permutation_importance.model_copy(
                        update={
                            "seed": _or(evaluation.permutation_importance.seed, seed)
                        }
                    ),
                    "learning_curve": evaluation.learning_curve.model_copy(
                        update={"seed": _or(evaluation.learning_curve.seed, seed)}
                    ),
                }
            ),
        }
    )


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


__all__ = ["VariantConfig"]
