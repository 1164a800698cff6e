"""The prediction dashboard: a Streamlit app beside the web API (docs/dashboard.md).

``kedro dashboard`` (or ``streamlit run src/ml_workflow/dashboard/app.py``)
serves it. It reads what the API reads, through the serving code: the model
version ``ServedVersions`` chooses (the registry's champion by default), its
metrics and its prediction reference (``ml_workflow.core.typical``); records
are checked and scored by the API's and batch scoring's own functions. Only
``app.py`` and ``widgets.py`` import Streamlit.
"""
