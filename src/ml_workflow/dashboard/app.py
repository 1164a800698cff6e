"""The Streamlit entry point: ``streamlit run src/ml_workflow/dashboard/app.py``.

``kedro dashboard`` runs this file. The project is ``$ML_WORKFLOW_PROJECT``
(default: the Kedro project of the working directory), the environment
``$KEDRO_ENV``. The page itself is ``layout.py``.
"""

from ml_workflow.dashboard.layout import main

main()
