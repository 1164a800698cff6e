"""The web API: every configured variant's latest model behind FastAPI.

Start it with ``kedro serve`` (see ``docs/deployment.md``).
"""
