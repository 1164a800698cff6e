"""Load benchmark of the web API with wrk, beside a bare FastAPI endpoint.

Starts two servers on free loopback ports: ``kedro serve`` (the project's API)
and ``benchmarks/bare_api.py`` (FastAPI + uvicorn calling the same model's
``predict`` on a DataFrame of the request, nothing else). Then, for each
variant and for 1 and 100 records per request, ``wrk`` (16 connections over
keep-alive, 2 threads) posts real records for a fixed time to each server in
turn, and the table shows requests/s, records/s, p50 and p99 latency and
errors (non-2xx answers and socket errors), with the 1-minute load average
when each row started. Ratios to the bare endpoint survive a noisy machine
better than absolute figures.

    python benchmarks/api_load.py                       # housing and spam
    python benchmarks/api_load.py --workers 2 --seconds 20 --repeat 2
    python benchmarks/api_load.py --profile /tmp/serve.txt  # py-spy of the server

Needs trained models (``kedro run``) and wrk (``apt-get install wrk``).
Goals on 2 cores: >= 400 single-record requests/s with p99 <= 50 ms for both
variants, >= 20,000 records/s in batches of 100 for housing.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python benchmarks/api_load.py`
    sys.path.insert(0, str(ROOT))

from tests.process_group import (  # noqa: E402
    free_loopback_port,
    start_process_group,
    stop_process_group,
)

WRK_SCRIPT = """
local bodies, counter = {}, 0
function init(args)
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  counter = math.random(#bodies)
end
function request()
  counter = counter % #bodies + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[counter])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %d, "seconds": %f, "p50_ms": %f, '
    .. '"p99_ms": %f, "errors": %d}\\n', summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status))
end
"""


def start(command: list[str], project: Path) -> subprocess.Popen:
    return start_process_group(command, project)


def wait_ready(
    port: int, path: str, server: subprocess.Popen, timeout: float = 180
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server on port {port} exited")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server on port {port} not ready in time")


def bodies(variant: str, size: int, project: Path, folder: Path) -> Path:
    """A file of request bodies of ``size`` real records (features only), one a line."""
    if variant == "spam":
        raw = pd.read_csv(
            project / "data/01_raw/sms_spam.tsv",
            sep="\t",
            quoting=csv.QUOTE_NONE,
            keep_default_na=False,
        )
        records = raw[["message"]].head(2000)
    else:
        raw = pd.read_csv(project / "data/01_raw/california_housing.csv")
        records = raw.drop(columns=["median_house_value"]).head(2000)
    rows = json.loads(records.to_json(orient="records"))  # NaN -> null
    path = folder / f"{variant}-{size}.txt"
    path.write_text(
        "\n".join(
            json.dumps(rows[i : i + size]) for i in range(0, len(rows) - size + 1, size)
        )
        + "\n"
    )
    return path


def run_wrk(
    url: str, body_file: Path, script: Path, seconds: int, connections: int
) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    command += ["-s", str(script)]
    output = subprocess.run(
        [*command, url, "--", str(body_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--variants", nargs="+", default=["housing", "spam"])
    parser.add_argument("--seconds", type=int, default=15, help="per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1, help="kedro serve processes")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of the table")
    parser.add_argument(
        "--profile", type=Path, help="py-spy raw profile of kedro serve"
    )
    arguments = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    folder = Path(tempfile.mkdtemp(prefix="api_load-"))
    script = folder / "post.lua"
    script.write_text(WRK_SCRIPT)
    # the servers inherit these: the bare app's models, and benchmarks/ importable
    os.environ["BARE_PROJECT"] = str(arguments.project)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), os.environ.get("PYTHONPATH", "")]
    )
    ports = {"kedro serve": free_loopback_port()}
    servers = {
        "kedro serve": start(
            [
                sys.executable,
                "-m",
                "kedro",
                "serve",
                "--port",
                str(ports["kedro serve"]),
            ]
            + ["--workers", str(arguments.workers), "--no-access-log"],
            arguments.project,
        )
    }
    ports["bare FastAPI"] = free_loopback_port()
    servers["bare FastAPI"] = start(
        [sys.executable, "-m", "uvicorn", "benchmarks.bare_api:app", "--port"]
        + [str(ports["bare FastAPI"]), "--no-access-log"],
        arguments.project,
    )
    try:
        wait_ready(ports["kedro serve"], "/v2/health/ready", servers["kedro serve"])
        wait_ready(ports["bare FastAPI"], "/docs", servers["bare FastAPI"])
        profiler = None
        if arguments.profile:
            profiler = subprocess.Popen(
                [
                    "py-spy",
                    "record",
                    "-r",
                    "200",
                    "-f",
                    "raw",
                    "-o",
                    str(arguments.profile),
                ]
                + ["--subprocesses", "--pid", str(servers["kedro serve"].pid)]
            )
        print(
            f"wrk -t2 -c{arguments.connections} -d{arguments.seconds}s on 127.0.0.1; "
            f"kedro serve --workers {arguments.workers}; {os.cpu_count()} CPUs"
        )
        print(
            f"{'server':<13}{'variant':<9}{'records':>8}{'req/s':>8}{'records/s':>10}"
            f"{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}{'load':>6}{'vs bare':>8}"
        )
        for _ in range(arguments.repeat):
            for variant in arguments.variants:
                for size in (1, 100):
                    body_file = bodies(variant, size, arguments.project, folder)
                    reference = None
                    for server in ("bare FastAPI", "kedro serve"):
                        load = os.getloadavg()[0]
                        url = f"http://127.0.0.1:{ports[server]}/variants/{variant}/predict"
                        row = run_wrk(
                            url,
                            body_file,
                            script,
                            arguments.seconds,
                            arguments.connections,
                        )
                        rate = row["requests"] / row["seconds"]
                        ratio = "" if reference is None else f"{rate / reference:.1f}x"
                        reference = rate if reference is None else reference
                        print(
                            f"{server:<13}{variant:<9}{size:>8}{rate:>8.0f}{rate * size:>10.0f}"
                            f"{row['p50_ms']:>8.1f}{row['p99_ms']:>8.1f}{row['errors']:>7}"
                            f"{load:>6.1f}{ratio:>8}",
                            flush=True,
                        )
        if profiler is not None:
            profiler.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
            profiler.wait(timeout=60)
    finally:
        for server in servers.values():
            stop_process_group(server, timeout=15)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
