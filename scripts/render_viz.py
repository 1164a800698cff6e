"""Render the kedro-viz DAG and one plot preview to PNG with headless Chromium.

For the docs (``docs/images/``); not part of the test suite. Needs the outputs of
a ``kedro run`` (for the preview) and a Chromium binary (Debian: ``apt-get
install -y chromium``). Run from the project root::

    python scripts/render_viz.py                    # housing DAG + prediction_plot
    python scripts/render_viz.py --variant spam --plot error_plot
"""

from __future__ import annotations

import argparse
import base64
import json
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from websockets.sync.client import connect

PROJECT = Path(__file__).resolve().parents[1]
if str(PROJECT) not in sys.path:  # run as `python scripts/render_viz.py`
    sys.path.insert(0, str(PROJECT))

from tests.process_group import start_process_group, stop_process_group  # noqa: E402


def wait_for_graph(port: int, timeout: float = 120.0) -> dict[str, Any]:
    """Poll kedro-viz's ``/api/main`` until it answers; return the graph."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/api/main", timeout=5
            ) as reply:
                return json.load(reply)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(1)
    raise TimeoutError(f"kedro viz did not answer on port {port} within {timeout:.0f}s")


class Browser:
    """Headless Chromium driven over the DevTools protocol (one page)."""

    def __init__(self, chromium: str, size: tuple[int, int]) -> None:
        self.profile = tempfile.TemporaryDirectory()
        self.process = start_process_group(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--hide-scrollbars",
                f"--user-data-dir={self.profile.name}",
                f"--window-size={size[0]},{size[1]}",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            Path.cwd(),
        )
        port_file = Path(self.profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not open its DevTools port")
            time.sleep(0.2)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as reply:
            page = next(t for t in json.load(reply) if t["type"] == "page")
        self.page_url = page["webSocketDebuggerUrl"]
        self.socket: Any = None  # set by the caller: ``with connect(page_url)``
        self.calls = 0

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one DevTools command and return its result."""
        self.calls += 1
        self.socket.send(
            json.dumps({"id": self.calls, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.calls:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def open(self, url: str, settle: float) -> None:
        self.call("Page.navigate", url=url)
        time.sleep(settle)

    def run(self, script: str) -> None:
        self.call("Runtime.evaluate", expression=script)

    def screenshot(self, target: Path) -> None:
        data = self.call("Page.captureScreenshot", format="png")["data"]
        target.write_bytes(base64.b64decode(data))
        shown = (
            target.relative_to(PROJECT) if target.is_relative_to(PROJECT) else target
        )
        print(f"wrote {shown}")  # noqa: T201

    def close(self) -> None:
        stop_process_group(self.process)
        self.profile.cleanup()


# kedro-viz keeps its settings in localStorage["KedroViz"]: light theme for the
# docs, no feature-tour pop-ups.
SETTINGS = (
    "localStorage.setItem('KedroViz', JSON.stringify(Object.assign("
    "JSON.parse(localStorage.getItem('KedroViz') || '{}'),"
    "{theme: 'light', showFeatureHints: false})))"
)
# The "new version" reminder cannot be turned off in settings: dismiss it.
DISMISS = (
    "[...document.querySelectorAll('button')]"
    ".filter(b => b.textContent.trim() === 'Dismiss').forEach(b => b.click())"
)
# Open the selected dataset's plot in kedro-viz's full-size preview.
EXPAND = (
    "[...document.querySelectorAll('button')]"
    ".filter(b => b.textContent.includes('Expand preview')).forEach(b => b.click())"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default="housing")
    parser.add_argument("--plot", default="prediction_plot", help="dataset to preview")
    parser.add_argument("--port", type=int, default=4155)
    parser.add_argument("--out", type=Path, default=PROJECT / "docs" / "images")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument(
        "--settle", type=float, default=8.0, help="seconds per page load"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    kedro = Path(sys.executable).with_name("kedro")
    command = [str(kedro), "viz", "run", "--no-browser", "--host", "127.0.0.1"]
    server = start_process_group([*command, "--port", str(args.port)], PROJECT)
    try:
        graph = wait_for_graph(args.port)
        dataset = f"{args.variant}.{args.plot}"
        node = next((n for n in graph["nodes"] if n["name"] == dataset), None)
        if node is None:
            raise SystemExit(f"no dataset {dataset!r} in the kedro-viz graph")
        base = f"http://127.0.0.1:{args.port}/"
        dag = {"pid": args.variant, "expandAllPipelines": "true"}
        preview = {**dag, "sid": node["id"], "sn": dataset}
        browser = Browser(args.chromium, (1800, 1100))
        try:
            with connect(browser.page_url, max_size=None) as socket:
                browser.socket = socket
                browser.open(base, args.settle)
                browser.run(SETTINGS)
                browser.open(base + "?" + urllib.parse.urlencode(dag), args.settle)
                browser.run(DISMISS)
                time.sleep(1)
                browser.screenshot(args.out / "kedro_viz_dag.png")
                browser.open(base + "?" + urllib.parse.urlencode(preview), args.settle)
                browser.run(DISMISS)
                browser.run(EXPAND)
                time.sleep(3)
                browser.screenshot(args.out / "kedro_viz_plot_preview.png")
        finally:
            browser.close()
    finally:
        stop_process_group(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
