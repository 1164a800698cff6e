"""Shared helpers of the benchmark scripts: a throw-away copy of the project with
a generated Kedro environment, and the wall time and peak memory of one command.

Every measured command runs as its own child process. Peak memory is sampled
with psutil every 0.1 s as the SUM of the resident set sizes of the process
and all its descendants (joblib workers included): "tree peak". The largest
single process's own peak (``ru_maxrss`` of the waited-for children) is
reported beside it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python benchmarks/<script>.py`
    sys.path.insert(0, str(ROOT))

from tests.project_copy import copy_project as copy_test_project  # noqa: E402

MEMORY_METHOD = (
    "peak RSS summed over the process tree (psutil, sampled every 0.1 s); "
    "max single process = ru_maxrss of the waited-for children"
)


@dataclass
class Measurement:
    """Wall time and memory of one finished command."""

    seconds: float
    tree_peak_bytes: int
    process_peak_bytes: int
    returncode: int
    cpu_seconds: float = 0.0  # user + system time of the command's processes

    @property
    def tree_peak_mb(self) -> float:
        return self.tree_peak_bytes / 2**20

    @property
    def process_peak_mb(self) -> float:
        return self.process_peak_bytes / 2**20


def load_average() -> str:
    """The 1-minute load average, for the figures' context (2 cores here)."""
    return f"{os.getloadavg()[0]:.2f}"


def copy_project(destination: Path | None = None) -> Path:
    """Copy the project's code, configuration and raw data into a fresh folder,
    so a benchmark never overwrites ``data/`` of the working copy. The tests'
    copy helper does the copying: benchmarks and tests run the same project."""
    destination = destination or Path(tempfile.mkdtemp(prefix="ml_workflow_bench_"))
    return copy_test_project(destination)


def base_parameters(variant: str) -> dict[str, Any]:
    """The shipped ``conf/base/parameters_<variant>.yml`` section of a variant."""
    path = ROOT / "conf" / "base" / f"parameters_{variant}.yml"
    return yaml.safe_load(path.read_text())[variant]


def write_environment(
    project: Path,
    env: str,
    catalog: Mapping[str, Any],
    parameters: Mapping[str, Mapping[str, Any]],
) -> Path:
    """Write ``conf/<env>/catalog.yml`` and the variants' WHOLE parameter sections.

    Kedro merges parameters over ``conf/base`` key by key (the project's
    ``soft`` strategy), so an environment cannot remove a shipped key (e.g.
    ``min_df`` when the benchmark switches to the hashing vectorizer). Each
    section given (the shipped one with the benchmark's changes) therefore
    replaces the variant's ``conf/base/parameters_<name>.yml`` in this
    throw-away copy, as it stands for the run that follows.
    """
    folder = project / "conf" / env
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "catalog.yml").write_text(yaml.safe_dump(dict(catalog)))
    for name, section in parameters.items():
        shipped = project / "conf" / "base" / f"parameters_{name}.yml"
        if not shipped.is_file():
            raise FileNotFoundError(f"{shipped}: no shipped parameters to replace")
        shipped.write_text(yaml.safe_dump({name: dict(section)}))
    return folder


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


# A fresh wrapper process per measurement runs the command, so the waited-for
# children's ru_maxrss is that command's own largest process.
# Its children's CPU time (user + system, of every waited-for process: joblib's
# loky workers are reaped by the command itself, so theirs is included only
# when the command waits for them) is less sensitive than wall time to the
# other work of a shared machine.
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:])\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "cpu = usage.ru_utime + usage.ru_stime\n"
    "sys.stderr.write(f'\\nCPU_S={cpu}\\nMAXRSS_KIB={usage.ru_maxrss}\\n')\n"
    "sys.exit(code)\n"
)


def measure(command: Sequence[str], cwd: Path) -> Measurement:
    """Run ``command`` in ``cwd``; return its wall time and peak memory."""
    environment = {**os.environ, "KEDRO_DISABLE_TELEMETRY": "1"}
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", _WRAPPER, *command],
        cwd=cwd,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    watched = psutil.Process(child.pid)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(watched))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = child.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    head, _, tail = errors.rpartition("MAXRSS_KIB=")
    head, _, cpu = head.rpartition("CPU_S=")
    if child.returncode != 0:
        sys.stderr.write(head[-4000:])
    return Measurement(
        seconds=seconds,
        tree_peak_bytes=peak,
        process_peak_bytes=int(tail.strip() or 0) * 1024,  # KiB on Linux
        returncode=child.returncode,
        cpu_seconds=float(cpu.strip() or 0),
    )


def kedro_run(arguments: Sequence[str]) -> list[str]:
    """The ``kedro run`` command line with this interpreter."""
    return [sys.executable, "-m", "kedro", "run", *arguments]


def print_row(cells: Sequence[Any], widths: Sequence[int]) -> None:
    """Print one table row, flushed (long runs print as they go)."""
    print(  # noqa: T201
        "  ".join(
            str(cell).rjust(width) for cell, width in zip(cells, widths, strict=True)
        ),
        flush=True,
    )
