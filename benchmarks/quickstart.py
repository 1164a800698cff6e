"""The README's Quick start figures: the default ``kedro run`` and the test suite.

Each command runs in a fresh throw-away copy of the project's tracked files
(``git ls-files``: code, configuration, raw data, tests, docs), so nothing
from earlier runs (models, reports, caches) helps it, as in a fresh clone.
The copy's own ``src`` comes first on ``PYTHONPATH``.

    python benchmarks/quickstart.py                  # kedro run only
    python benchmarks/quickstart.py --fast-tests     # + pytest -m "not slow"
    python benchmarks/quickstart.py --tests          # + the whole pytest

Prints the machine (cores, CPU, memory, load averages before and after each
command), a table of wall times, and a line to paste into the README. The
machine is shared and timings are noisy: quote the load with the figure.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from harness import ROOT, print_row

WIDTHS = (26, 9, 5, 11, 11, 40)
# pytest's last line, "408 passed, 27 deselected in 61.2s (0:01:01)", with or
# without the "=" rule around it (-q drops it).
_SUMMARY = re.compile(
    r"^=*\s*(\d+ (?:passed|failed|errors?)\b.*? in [\d.]+s.*?)\s*=*\s*$", re.MULTILINE
)


@dataclass
class Timing:
    """One command's wall time, exit code and the loads around it."""

    name: str
    seconds: float
    returncode: int
    load_before: float
    load_after: float
    note: str


def tracked_files() -> list[str]:
    """The project's files as a fresh clone has them (git's tracked files)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    return [name for name in listed.decode().split("\0") if name]


def fresh_copy() -> Path:
    """A new folder with the tracked files of the working tree."""
    destination = Path(tempfile.mkdtemp(prefix="ml_workflow_quickstart_"))
    for name in tracked_files():
        source = ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    (destination / "conf" / "local").mkdir(parents=True, exist_ok=True)
    return destination


def machine() -> str:
    """Cores, CPU model, memory and Python of this machine."""
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 2**20:.0f} GiB"
                break
    except OSError:
        pass
    # Without a bytecode cache every process compiles the project and pytest
    # rewrites every test module again: about 5 s more per test worker here.
    cache = ", no bytecode cache" if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}, "
        f"Python {platform.python_version()}, {platform.system()}{cache}"
    )


def timed(name: str, command: list[str], project: Path) -> Timing:
    """Run ``command`` in ``project``; time it; keep pytest's summary line."""
    environment = {
        **os.environ,
        "KEDRO_DISABLE_TELEMETRY": "1",
        "PYTHONPATH": os.pathsep.join(
            [str(project / "src"), str(project), os.environ.get("PYTHONPATH", "")]
        ),
    }
    before = os.getloadavg()[0]
    start = time.perf_counter()
    result = subprocess.run(
        command,
        check=False,
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    found = _SUMMARY.findall(result.stdout)
    note = found[-1] if found else ""
    if result.returncode != 0:
        sys.stderr.write((result.stdout + result.stderr)[-3000:])
    return Timing(name, seconds, result.returncode, before, os.getloadavg()[0], note)


def readme_line(timings: list[Timing], where: str) -> str:
    """What the README quotes: each figure, the machine and the load."""
    figures = "; ".join(
        f"{t.name}: {t.seconds:.0f} s (load {t.load_before:.1f}→{t.load_after:.1f})"
        for t in timings
    )
    return f"{figures}. Measured by `python benchmarks/quickstart.py` on {where}."


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[1:]),
    )
    parser.add_argument(
        "--fast-tests", action="store_true", help='also time pytest -m "not slow"'
    )
    parser.add_argument("--tests", action="store_true", help="also time pytest")
    parser.add_argument(
        "--no-run", action="store_true", help="skip the kedro run (tests only)"
    )
    arguments = parser.parse_args()

    commands: list[tuple[str, list[str]]] = []
    if not arguments.no_run:
        commands.append(("kedro run", [sys.executable, "-m", "kedro", "run"]))
    pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    if arguments.fast_tests:
        commands.append(('pytest -m "not slow"', [*pytest, "-m", "not slow"]))
    if arguments.tests:
        commands.append(("pytest", pytest))

    where = f"{machine()}, {datetime.now(UTC):%Y-%m-%d}"
    print(f"machine: {where}")  # noqa: T201
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # noqa: T201
    print_row(
        ("command", "seconds", "exit", "load before", "load after", "result"), WIDTHS
    )
    timings = []
    for name, command in commands:
        project = fresh_copy()
        try:
            timing = timed(name, command, project)
        finally:
            shutil.rmtree(project, ignore_errors=True)
        timings.append(timing)
        print_row(
            (
                name,
                f"{timing.seconds:.1f}",
                timing.returncode,
                f"{timing.load_before:.2f}",
                f"{timing.load_after:.2f}",
                timing.note[:40],
            ),
            WIDTHS,
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # noqa: T201
    print(f"README: {readme_line(timings, where)}")  # noqa: T201


if __name__ == "__main__":
    main()
