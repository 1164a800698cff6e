"""Score binary candidates at their own tuned decision threshold.

The chosen model gets its threshold tuned on cross-validated predictions
(``TunedThresholdClassifierCV``), so candidates are compared the same way: a
candidate whose scores rank well but sit on another scale (a linear SVM's
margins, a forest's coarse probabilities) is not judged at a default cut it
will never use. The threshold is chosen as scikit-learn chooses it: the one
that maximises the objective averaged over the folds, on a grid between the
lowest and highest validation score.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import numpy as np

from ml_workflow.core.task.classification import labels_at_threshold

N_THRESHOLDS = 100
"""Thresholds tried, as ``TunedThresholdClassifierCV``'s default."""


def tuned_fold_scores(
    folds: Sequence[tuple[Any, np.ndarray]],
    objective: Callable[[Any, Any], float],
    metric: Callable[[Any, Any], float],
    positive: Any,
    negative: Any,
) -> tuple[float, np.ndarray]:
    """The threshold that maximises the mean ``objective`` over ``folds``, and
    each fold's ``metric`` at it.

    ``folds`` holds, per validation fold, the true labels and the positive
    class's scores (higher means more likely positive); a score at or above
    the threshold predicts ``positive``.
    """
    pooled = np.concatenate([np.asarray(scores, dtype=float) for _, scores in folds])
    grid = np.linspace(pooled.min(), pooled.max(), N_THRESHOLDS)
    labels = partial(labels_at_threshold, positive=positive, negative=negative)
    mean_objective = [
        np.mean([objective(np.asarray(y), labels(s, t)) for y, s in folds])
        for t in grid
    ]
    best = float(grid[int(np.argmax(mean_objective))])
    scores = np.array([metric(np.asarray(y), labels(s, best)) for y, s in folds])
    return best, scores
