"""Classification figures: confusion matrices, ROC and PR curves, operating point."""

from __future__ import annotations

import numpy as np
import pytest

from ml_workflow.plots import classification

ACTUAL = ["spam", "spam", "ham", "ham", "ham", "spam"]
PREDICTED = ["spam", "ham", "ham", "spam", "ham", "spam"]
IS_POSITIVE = [True, True, False, False, False, True]
SCORE = [0.9, 0.4, 0.1, 0.6, 0.2, 0.8]


def test_confusion_matrix_counts_and_normalised() -> None:
    figure = classification.confusion_matrix_figure(ACTUAL, PREDICTED, ["ham", "spam"])
    counts, normalised = figure.data
    assert counts.type == normalised.type == "heatmap"
    assert list(counts.x) == ["ham", "spam"] == list(counts.y)
    np.testing.assert_array_equal(np.asarray(counts.z), [[2, 1], [1, 2]])
    np.testing.assert_allclose(
        np.asarray(normalised.z), [[2 / 3, 1 / 3], [1 / 3, 2 / 3]]
    )
    assert normalised.text[0][0] == "66.7%"
    assert figure.layout.xaxis.title.text == "predicted class"
    assert figure.layout.yaxis.title.text == "actual class"


def test_operating_point_counts_scores_at_or_above_threshold() -> None:
    point = classification.operating_point(IS_POSITIVE, SCORE, threshold=0.5)
    # flagged: 0.9, 0.6, 0.8 -> two true positives of three flagged, of three positives
    assert point["precision"] == pytest.approx(2 / 3)
    assert point["recall"] == pytest.approx(2 / 3)
    assert point["false_positive_rate"] == pytest.approx(1 / 3)


def test_roc_and_pr_curves_mark_the_threshold() -> None:
    figure = classification.roc_pr_figure(
        IS_POSITIVE, SCORE, threshold=0.7, positive_class="spam"
    )
    names = [trace.name for trace in figure.data]
    assert names[:3] == ["ROC curve", "no skill", "threshold 0.7"]
    roc, _, roc_point, pr, prevalence, pr_point = figure.data
    assert roc.x[0] == 0 and roc.x[-1] == 1 and roc.y[-1] == 1
    assert pr.xaxis == "x2"
    assert list(prevalence.y) == [0.5, 0.5]
    # at 0.7: flagged 0.9, 0.8 -> precision 1, recall 2/3, no false positive
    assert list(roc_point.x) == [0.0]
    assert roc_point.y[0] == pytest.approx(2 / 3)
    assert list(pr_point.y) == [1.0]
    assert pr_point.x[0] == pytest.approx(2 / 3)
    assert figure.layout.xaxis.title.text == "false positive rate"
    assert figure.layout.xaxis2.title.text == "recall"
    assert figure.layout.yaxis2.title.text == "precision"
    assert "AUC 0.889" in figure.layout.annotations[0].text
