"""Project commands, added to the ``kedro`` CLI (Kedro loads ``<package>.cli.cli``).

- ``kedro variant create NAME --data PATH --target COLUMN``: a new variant from a data file;
- ``kedro variant remove NAME``: delete a variant's configuration and raw data;
- ``kedro fork rename PACKAGE``: rename the package and project of a fork;
- ``kedro serve``: start the web API (``docs/deployment.md``);
- ``kedro dashboard``: start the Streamlit prediction dashboard (``docs/dashboard.md``);
- ``kedro experiments compare VARIANT``: the variant's last MLflow runs side
  by side; ``kedro experiments promote VARIANT VERSION``: make a registered
  version the champion by hand (``docs/experiments.md``).

Add a command with ``@cli.command()`` (or a group with ``@cli.group()``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import click

from ml_workflow.errors import ConfigurationError, DataValidationError
from ml_workflow.scaffold.fork import remove_variant, rename_project
from ml_workflow.scaffold.summary import plan_summary
from ml_workflow.scaffold.variant import create_variant


class CommandError(click.ClickException):
    """A refusal of one of the project's commands, printed as its own message.

    Kedro's ``KedroCliError`` prints a traceback read from ``sys.exc_info()``
    after the except block has ended, which shows ``NoneType: None`` instead
    of the message; click's own exception prints ``Error: <message>``.
    """


@click.group(name="ml-workflow")
def cli() -> None:
    """ml-workflow project commands."""


@cli.group()
def variant() -> None:
    """Create or remove a variant (a dataset and its problem)."""


def _project_root(metadata: object | None) -> Path:
    return Path(getattr(metadata, "project_path", None) or Path.cwd())


@variant.command("create")
@click.argument("name")
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV, TSV or Parquet file.",
)
@click.option("--target", required=True, help="The column to predict.")
@click.option(
    "--task",
    type=click.Choice(["regression", "classification"]),
    default=None,
    help="Override the inferred task.",
)
@click.option(
    "--text", multiple=True, help="Treat this column as free text (repeatable)."
)
@click.option("--drop", multiple=True, help="Do not use this column (repeatable).")
@click.option(
    "--order",
    default=None,
    help="Regress on ordered labels: the target's labels, lowest first, "
    "comma-separated (e.g. low,medium,high).",
)
@click.option(
    "--link",
    is_flag=True,
    help="Symlink the file into data/01_raw instead of copying it.",
)
@click.option(
    "--force", is_flag=True, help="Overwrite an existing variant's configuration."
)
@click.pass_obj
def create(metadata, name, data, target, task, text, drop, order, link, force) -> None:  # noqa: PLR0913
    """Infer a variant's configuration from a data file and write it to conf/base."""
    root = _project_root(metadata)
    labels = tuple(label.strip() for label in order.split(",")) if order else ()
    try:
        plan, written = create_variant(
            root, name, data, target, task, text, drop, link, force, labels
        )
    except (ConfigurationError, DataValidationError) as error:
        raise CommandError(str(error)) from error
    for line in plan_summary(plan):
        click.echo(line)
    for path in written:
        click.echo(f"wrote {path.relative_to(root)}")
    click.echo(
        f"Check conf/base/parameters_{name}.yml, then: kedro run --pipelines {name}"
    )


@variant.command("remove")
@click.argument("name")
@click.pass_obj
def remove(metadata, name) -> None:
    """Delete a variant's parameters, raw catalog entry and raw data."""
    root = _project_root(metadata)
    try:
        removed = remove_variant(root, name)
    except ConfigurationError as error:
        raise CommandError(str(error)) from error
    for path in removed:
        click.echo(f"removed {path.relative_to(root)}")


@cli.group()
def fork() -> None:
    """Turn a fork of the template into your own project."""


@fork.command("rename")
@click.argument("package")
@click.option(
    "--project-name",
    default=None,
    help="Distribution and project name (default: the package with '-').",
)
@click.pass_obj
def rename(metadata, package, project_name) -> None:
    """Rename package ml_workflow and project ml-workflow everywhere."""
    root = _project_root(metadata)
    try:
        changed = rename_project(root, package, project_name)
    except ConfigurationError as error:
        raise CommandError(str(error)) from error
    click.echo(
        f"renamed the package to {package} in {len(changed)} file(s) and moved src/{package}"
    )
    click.echo('Reinstall the project: pip install -e ".[dev]"')


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
    """Serve every variant's model over HTTP (FastAPI on uvicorn): the registry's
    champion, or what tracking.serve selects."""
    import uvicorn  # noqa: PLC0415 - only this command needs the server

    from ml_workflow.core.config import load_setting  # noqa: PLC0415
    from ml_workflow.serving.operations import log_config  # noqa: PLC0415
    from ml_workflow.variants import load_raw_parameters  # noqa: PLC0415

    root = _project_root(metadata)
    if env:
        os.environ["KEDRO_ENV"] = env
    # the app factory (in each worker process) reads the project path from here
    os.environ["ML_WORKFLOW_PROJECT"] = str(root)
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # /metrics then sums the counts of every worker process
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(
            prefix="ml_workflow-metrics-"
        )
    serving = load_setting("serving", load_raw_parameters(root, env).get("serving"))
    uvicorn.run(
        "ml_workflow.serving.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        log_config=log_config(),
        # on SIGTERM: stop accepting, finish in-flight requests for this long
        timeout_graceful_shutdown=serving.graceful_shutdown_seconds,
    )


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address.")
@click.option("--port", default=8501, show_default=True, type=int, help="Port.")
@click.option("--env", "-e", default=None, help="Kedro configuration environment.")
@click.pass_obj
def dashboard(metadata: Any, host: str, port: int, env: str | None) -> None:
    """Serve the prediction dashboard (Streamlit) for every variant's served
    model: the registry's champion, or what tracking.serve selects."""
    import sys  # noqa: PLC0415
    from importlib.util import find_spec  # noqa: PLC0415

    if find_spec("streamlit") is None:
        raise CommandError(
            'the dashboard needs Streamlit: pip install -e ".[dashboard]"'
        )
    script = find_spec("ml_workflow.dashboard.app").origin  # its path, not run here
    os.environ["ML_WORKFLOW_PROJECT"] = str(_project_root(metadata))
    if env:
        os.environ["KEDRO_ENV"] = env
    command = [sys.executable, "-m", "streamlit", "run", str(script)]
    command += ["--server.address", host, "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    command += ["--client.toolbarMode", "viewer"]  # no "Deploy" button
    # this process becomes the server: signals (Ctrl-C, SIGTERM) reach it directly
    os.execv(sys.executable, command)


@cli.group()
def experiments() -> None:
    """Compare a variant's tracked runs; promote a registered model version."""


def _tracker(metadata: Any, env: str | None) -> Any:
    """A client for the project's tracking backend (the one ``kedro run`` uses)."""
    from ml_workflow.core.config import load_setting  # noqa: PLC0415
    from ml_workflow.errors import TrackingError  # noqa: PLC0415
    from ml_workflow.tracking.tracker import connect  # noqa: PLC0415
    from ml_workflow.variants import load_raw_parameters  # noqa: PLC0415

    root = _project_root(metadata)
    try:
        raw = load_raw_parameters(root, env)
        settings = load_setting("tracking", raw.get("tracking"))
        if not settings.enabled:
            raise CommandError("tracking is off (tracking.enabled: false)")
        return connect(settings, root)
    except (ConfigurationError, TrackingError) as error:
        raise CommandError(str(error)) from error


@experiments.command("compare")
@click.argument("variant_name", metavar="VARIANT")
@click.option("--last", default=5, show_default=True, type=int, help="Runs shown.")
@click.option("--env", "-e", default=None, help="Kedro configuration environment.")
@click.pass_obj
def compare(metadata: Any, variant_name: str, last: int, env: str | None) -> None:
    """Print the variant's last runs: metric, candidate, registry version and the
    parameters that differ between them."""
    from ml_workflow.tracking.compare import recent_runs  # noqa: PLC0415

    tracker = _tracker(metadata, env)
    table = recent_runs(tracker, variant_name, last)
    if table.empty:
        click.echo(f"No tracked runs of {variant_name!r} at {tracker.uri}.")
        return
    click.echo(table.to_string(index=False))


@experiments.command("promote")
@click.argument("variant_name", metavar="VARIANT")
@click.argument("version", type=int)
@click.option("--env", "-e", default=None, help="Kedro configuration environment.")
@click.pass_obj
def promote(metadata: Any, variant_name: str, version: int, env: str | None) -> None:
    """Give registered VERSION of the variant's model the champion alias."""
    from ml_workflow.errors import TrackingError  # noqa: PLC0415
    from ml_workflow.tracking.registry import promote_by_hand  # noqa: PLC0415

    tracker = _tracker(metadata, env)
    try:
        name = promote_by_hand(tracker, variant_name, version)
    except TrackingError as error:
        raise CommandError(str(error)) from error
    click.echo(f"{name} version {version} is now the champion.")
