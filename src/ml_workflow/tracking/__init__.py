"""Experiment tracking and the model registry, on MLflow (docs/experiments.md).

Every ``kedro run`` that trains a variant is one MLflow run in that variant's
experiment; the trained model is registered as a new version of the variant's
registered model and becomes its ``champion`` only if it scores at least as well
as the current one (within a tolerance). Serving and batch scoring load the
version that ``tracking.serve`` selects. The settings are
``ml_workflow.core.config.Tracking``.

MLflow is imported only when it is used (a variant trains, a model version is
looked up): importing it costs seconds, which every other ``kedro`` command
would otherwise pay. Nothing in this package's ``__init__`` imports it.
"""
