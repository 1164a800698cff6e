"""Predict on the test split, score the model and diagnose its fit."""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]
