"""The problem definition: what is predicted (the target, the task) from what.

``problem.features`` lists the raw columns the model may use, by kind; every
other raw column is ignored. The rules that make a problem well posed (known
task, a target that is not also a feature, each column of one kind) are stated
here once, and checked before any node runs.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import field_validator, model_validator

from .base import ColumnName, ConfigModel

TASKS = ("regression", "classification")
FEATURE_KINDS = ("numeric", "categorical", "datetime", "text")


def _label(value: Any) -> Any:
    """Class labels are compared as text (``1`` in YAML is the label ``"1"``)."""
    return None if value is None else str(value).strip()


class Features(ConfigModel):
    """The raw feature columns, by kind."""

    numeric: tuple[ColumnName, ...] = ()
    """Numbers: imputed and scaled inside the model."""
    categorical: tuple[ColumnName, ...] = ()
    """Labels: imputed and one-hot encoded (or ordinal, for estimators that
    handle categories natively), unseen categories ignored."""
    datetime: tuple[ColumnName, ...] = ()
    """Dates and times: expanded inside the model into year, month, day of
    week, ordinal time..., never one-hot encoded as raw values."""
    text: tuple[ColumnName, ...] = ()
    """Free text: one TF-IDF vectorizer per column."""

    @model_validator(mode="after")
    def _each_column_once(self) -> Features:
        columns = self.columns
        repeated = sorted({c for c in columns if columns.count(c) > 1})
        if repeated:
            raise ValueError(
                f"columns {repeated} are declared more than once; give each "
                "column one kind"
            )
        if not columns:
            raise ValueError("no feature column is declared")
        return self

    @property
    def columns(self) -> list[str]:
        """Every feature column: numeric, categorical, datetime, then text."""
        return [c for kind in FEATURE_KINDS for c in getattr(self, kind)]

    def kind_of(self, column: str) -> str | None:
        """The kind ``column`` is declared as, or None."""
        return next((k for k in FEATURE_KINDS if column in getattr(self, k)), None)


class Problem(ConfigModel):
    """What is learned: the task, the target and the feature columns."""

    task: Literal["regression", "classification"]
    """The kind of prediction."""
    target: ColumnName
    """The column to predict."""
    positive_class: str | None = None
    """Binary classification: the class precision, recall, F1, ROC-AUC and the
    decision threshold are about. Classification without it is multiclass
    (macro-averaged metrics, every class alike)."""
    features: Features
    """The raw columns the model may use, by kind."""
    target_order: tuple[str, ...] | None = None
    """Regression on ordered labels: the target's labels from lowest to highest
    (``[low, medium, high]``); the model predicts their rank (0, 1, 2, ...)."""

    _label = field_validator("positive_class", mode="before")(_label)

    @field_validator("target_order", mode="before")
    @classmethod
    def _labels(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return tuple(_label(item) for item in value)
        return value

    @model_validator(mode="after")
    def _well_posed(self) -> Problem:
        if self.target in self.features.columns:
            raise ValueError(
                f"the target {self.target!r} is also declared as a feature: the "
                "model would be given the answer; remove it from problem.features"
            )
        if self.task == "regression" and self.positive_class is not None:
            raise ValueError(
                "positive_class applies to classification only; set it to null "
                "for regression"
            )
        if self.target_order is not None:
            if self.task != "regression":
                raise ValueError(
                    "target_order applies to regression on ordered labels; a "
                    "classification needs no order"
                )
            if (
                len(set(self.target_order)) != len(self.target_order)
                or len(self.target_order) < 2
            ):  # noqa: PLR2004
                raise ValueError(
                    "target_order must list at least two distinct labels, lowest first"
                )
        return self

    @property
    def feature_columns(self) -> list[str]:
        """Every raw feature column, in kind order."""
        return self.features.columns


__all__ = ["FEATURE_KINDS", "TASKS", "Features", "Problem"]
