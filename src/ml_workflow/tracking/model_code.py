"""The "model from code" file MLflow stores with every logged model.

MLflow runs this file to build the model (``mlflow.models.set_model``) when
the model is logged and when it is loaded, instead of unpickling an object.
"""

from mlflow.models import set_model

from ml_workflow.tracking.pyfunc import SkopsPyfuncModel

set_model(SkopsPyfuncModel())
