"""Feature importance and learning-curve figures draw the tables they are given."""

from __future__ import annotations

from ml_workflow.plots import model_agnostic

IMPORTANCE = {
    "metric": "r2",
    "scored_rows": 100,
    "permutation": [
        {"feature": "a", "mean": 0.5, "std": 0.1},
        {"feature": "b", "mean": 0.2, "std": 0.05},
        {"feature": "c", "mean": 0.01, "std": 0.0},
    ],
    "tokens": None,
    "note": None,
}


def test_importance_shows_top_features_largest_on_top() -> None:
    figure = model_agnostic.feature_importance_figure(IMPORTANCE, top_n=2)
    (bar,) = figure.data
    assert bar.orientation == "h"
    assert list(bar.y) == ["b", "a"]  # plotly draws the last bar on top
    assert list(bar.x) == [0.2, 0.5]
    assert list(bar.error_x.array) == [0.05, 0.1]
    assert figure.layout.xaxis.title.text == "drop in r2 when shuffled"


def test_importance_adds_a_token_panel_for_text_models() -> None:
    importance = dict(
        IMPORTANCE,
        tokens={
            "source": "model coefficient",
            "weight_meaning": "+ favours 'spam'",
            "items": [
                {"column": "msg", "token": "free", "weight": 2.0},
                {"column": "msg", "token": "mum", "weight": -1.0},
            ],
        },
    )
    figure = model_agnostic.feature_importance_figure(importance)
    permutation, tokens = figure.data
    assert tokens.xaxis == "x2"
    assert list(tokens.y) == ["mum (msg)", "free (msg)"]
    assert list(tokens.x) == [-1.0, 2.0]
    assert "Most informative tokens" in figure.layout.annotations[1].text


def test_importance_title_carries_the_note() -> None:
    figure = model_agnostic.feature_importance_figure(
        dict(IMPORTANCE, note="tokens skipped: X")
    )
    assert "tokens skipped: X" in figure.layout.title.text


def test_learning_curve_plots_train_and_validation_by_size() -> None:
    curve = {
        "metric": "f1",
        "cv": 3,
        "rows_used": 90,
        "train_sizes": [10, 30, 60],
        "train_mean": [1.0, 0.95, 0.9],
        "train_std": [0.0, 0.01, 0.01],
        "validation_mean": [0.5, 0.7, 0.8],
        "validation_std": [0.1, 0.05, 0.02],
    }
    figure = model_agnostic.learning_curve_figure(curve)
    train, validation = figure.data
    assert train.name == "training score"
    assert validation.name == "cross-validated score"
    assert list(train.x) == [10, 30, 60]
    assert list(validation.y) == [0.5, 0.7, 0.8]
    assert list(validation.error_y.array) == [0.1, 0.05, 0.02]
    assert figure.layout.xaxis.title.text == "training rows"
    assert figure.layout.yaxis.title.text == "f1"
