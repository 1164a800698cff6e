"""Pure figure builders: tables and arrays in, Plotly figures out.

No I/O and no Kedro here: the pipelines' nodes call these builders and the Data
Catalog saves what they return (``plotly.JSONDataset``, previewed by kedro-viz).
``static`` redraws any of these figures with Matplotlib for Markdown reports.
"""
