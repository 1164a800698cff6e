"""Load benchmark of the web API: the real server, a client in a second process.

Starts ``kedro serve`` (uvicorn) on a free loopback port for the project's
trained models, then a separate client process sends a bounded number of
POST /variants/<name>/predict requests from several threads over keep-alive
connections, and prints requests/s and p50/p99 latency for 1-record and
100-record requests per variant.

    python benchmarks/api_load.py                      # housing and spam
    python benchmarks/api_load.py --variants housing --requests 3000

Needs trained models (``kedro run``). Figures depend on the machine: the issue's
aim is >= 300 single-record requests/s with p99 < 50 ms for housing on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
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


def start_server(project: Path, port: int, workers: int) -> subprocess.Popen:
    """``kedro serve`` in its own process group (stopped with the whole group)."""
    command = [sys.executable, "-m", "kedro", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers), "--no-access-log"]
    return start_process_group(command, project, stderr=subprocess.PIPE)


def wait_ready(port: int, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"server exited: {server.stderr.read().decode()[-2000:]}"
            )
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status in (200, 503):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("server did not answer /health in time")


def payloads(variant: str, size: int, project: Path) -> list[bytes]:
    """Request bodies of ``size`` real records (features only), cycled."""
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
    rows = json.loads(records.to_json(orient="records"))
    return [
        json.dumps(rows[start : start + size]).encode()
        for start in range(0, len(rows) - size + 1, size)
    ]


def _client(port, variant, bodies, requests, concurrency, results) -> None:
    """Runs in the client process: ``requests`` POSTs from ``concurrency`` threads."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Content-Type": "application/json"}
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            body = bodies[index % len(bodies)]
            start = time.perf_counter()
            connection.request("POST", f"/variants/{variant}/predict", body, headers)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if response.status != 200:
                    errors.append(response.status)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((time.perf_counter() - began, latencies, errors))


def measure(port, variant, bodies, requests, concurrency) -> dict:
    """Warm up, then run the client in a second process and summarise."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    for count in (min(50, requests), requests):  # the first run warms up
        process = context.Process(
            target=_client,
            args=(port, variant, bodies, count, concurrency, results),
        )
        process.start()
        wall, latencies, errors = results.get()
        process.join()
    latencies.sort()
    return {
        "requests": requests,
        "req_per_s": requests / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000,
        "errors": len(errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--variants", nargs="+", default=["housing", "spam"])
    parser.add_argument("--requests", type=int, default=2000, help="1-record requests")
    parser.add_argument("--batch-requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    arguments = parser.parse_args()

    port = free_loopback_port()
    server = start_server(arguments.project, port, arguments.workers)
    try:
        wait_ready(port, server)
        print(
            f"server: kedro serve --workers {arguments.workers}; client: "
            f"{arguments.concurrency} threads in a second process; {os.cpu_count()} CPUs"
        )
        print(
            f"{'variant':<9}{'records':>8}{'requests':>9}{'req/s':>9}"
            f"{'records/s':>11}{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}"
        )
        for variant in arguments.variants:
            for size, count in (
                (1, arguments.requests),
                (100, arguments.batch_requests),
            ):
                bodies = payloads(variant, size, arguments.project)
                row = measure(port, variant, bodies, count, arguments.concurrency)
                print(
                    f"{variant:<9}{size:>8}{row['requests']:>9}{row['req_per_s']:>9.0f}"
                    f"{row['req_per_s'] * size:>11.0f}{row['p50_ms']:>8.1f}"
                    f"{row['p99_ms']:>8.1f}{row['errors']:>7}",
                    flush=True,
                )
    finally:
        stop_process_group(server, timeout=15)


if __name__ == "__main__":
    main()
