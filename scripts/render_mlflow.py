"""Screenshot the MLflow UI comparing a variant's last two runs (headless Chromium).

For the docs (``docs/images/mlflow_compare.png``); not part of the test suite.
Needs at least two tracked runs of the variant in the project's ``mlflow.db``
and a Chromium binary (Debian: ``apt-get install -y chromium``). Starts the one
documented command, ``mlflow ui``, in the project on a free loopback port::

    python scripts/render_mlflow.py                     # housing, this project
    python scripts/render_mlflow.py --project /tmp/copy --variant spam
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from websockets.sync.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_viz import PROJECT, Browser  # noqa: E402

from tests.process_group import (  # noqa: E402
    free_loopback_port,
    start_process_group,
    stop_process_group,
)


def wait_for_ui(url: str, timeout: float = 300.0) -> None:
    """Poll ``/health`` until the UI's server answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(1)
    raise TimeoutError(f"mlflow ui did not answer at {url} within {timeout:.0f}s")


def last_runs(project: Path, variant: str, count: int) -> tuple[str, list[str]]:
    """(experiment id, the last ``count`` finished run ids) of the variant."""
    from mlflow import MlflowClient  # noqa: PLC0415

    client = MlflowClient(f"sqlite:///{project / 'mlflow.db'}")
    experiment = client.get_experiment_by_name(variant)
    if experiment is None:
        raise SystemExit(f"no experiment {variant!r} in {project / 'mlflow.db'}")
    runs = client.search_runs(
        [experiment.experiment_id],
        filter_string="attributes.status = 'FINISHED'",
        order_by=["attributes.start_time DESC"],
        max_results=count,
    )
    if len(runs) < count:
        raise SystemExit(f"{variant!r} has {len(runs)} finished run(s); need {count}")
    return experiment.experiment_id, [run.info.run_id for run in runs]


# Tidy the compare page for the docs: close the assistant panel and show only
# the parameters and metrics that differ.
TIDY = (
    "document.querySelector('button[aria-label=\"Close\"]')?.click();"
    "[...document.querySelectorAll('[role=switch]')].forEach(e => e.click());"
)


def wait_for_text(browser: Browser, text: str, timeout: float = 180.0) -> None:
    """Poll the page until ``text`` shows (the UI renders slowly under load)."""
    deadline = time.monotonic() + timeout
    probe = f"document.body.innerText.includes({json.dumps(text)})"
    while time.monotonic() < deadline:
        found = browser.call("Runtime.evaluate", expression=probe, returnByValue=True)
        if found["result"].get("value"):
            return
        time.sleep(1)
    raise TimeoutError(f"the page did not show {text!r} within {timeout:.0f}s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=PROJECT)
    parser.add_argument("--variant", default="housing")
    parser.add_argument("--out", type=Path, default=PROJECT / "docs" / "images")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument(
        "--settle", type=float, default=10.0, help="seconds after tidying"
    )
    args = parser.parse_args()
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    experiment, runs = last_runs(args.project, args.variant, 2)
    port = free_loopback_port()
    mlflow = Path(sys.executable).with_name("mlflow")
    server = start_process_group(
        [str(mlflow), "ui", "--host", "127.0.0.1", "--port", str(port)], args.project
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_ui(url)
        query = urllib.parse.urlencode(
            {
                "runs": json.dumps(list(reversed(runs))),
                "experiments": json.dumps([experiment]),
            }
        )
        browser = Browser(args.chromium, (1500, 1750))
        try:
            with connect(browser.page_url, max_size=None) as socket:
                browser.socket = socket
                browser.open(f"{url}/#/compare-runs?{query}", 1.0)
                wait_for_text(browser, "Show diff only")
                browser.run(TIDY)
                time.sleep(args.settle)
                args.out.mkdir(parents=True, exist_ok=True)
                browser.screenshot(args.out / "mlflow_compare.png")
        finally:
            browser.close()
    finally:
        stop_process_group(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
