"""ml-workflow: the whole machine-learning workflow as a Kedro project."""

__version__ = "0.1.0"
