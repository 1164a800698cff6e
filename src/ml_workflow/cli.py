"""Project commands, added to ``kedro`` (Kedro loads ``ml_workflow.cli.cli``).

- ``kedro serve``: start the web API (``docs/deployment.md``).

Add a command with ``@cli.command()`` (or a group with ``@cli.group()``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click


@click.group(name="ml_workflow")
def cli() -> None:
    """ml-workflow project commands."""


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port.")
@click.option("--env", "-e", default=None, help="Kedro configuration environment.")
@click.option(
    "--workers", default=1, show_default=True, type=int, help="Server processes."
)
@click.option("--access-log/--no-access-log", default=True, help="Log every request.")
@click.pass_obj  # Kedro passes the project's metadata
def serve(
    metadata: Any, host: str, port: int, env: str | None, workers: int, access_log: bool
) -> None:
    """Serve every variant's latest model over HTTP (FastAPI on uvicorn)."""
    import uvicorn  # noqa: PLC0415 - only this command needs the server

    if env:
        os.environ["KEDRO_ENV"] = env
    # the app factory (in each worker process) reads the project path from here
    os.environ["ML_WORKFLOW_PROJECT"] = str(
        getattr(metadata, "project_path", None) or Path.cwd()
    )
    uvicorn.run(
        "ml_workflow.serving.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
    )
