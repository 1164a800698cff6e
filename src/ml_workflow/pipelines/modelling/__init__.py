"""Build and fit one scikit-learn Pipeline from raw features to prediction."""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]
