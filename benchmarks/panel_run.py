"""Run one command of the panel: timeout, log file, wall time, tree peak memory.

``harness.measure`` has no timeout and keeps no log; the panel needs both (a
run that hangs must not stop the panel, and a failed run's first error line
goes into the table). Memory is measured the same way: the resident set sizes
of the process and all its descendants, summed, sampled every 0.1 s.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

# Rich (Kedro's logging) wraps at the terminal width: wide lines keep an error whole.
_ENVIRONMENT = {"KEDRO_DISABLE_TELEMETRY": "1", "COLUMNS": "400", "NO_COLOR": "1"}
_EXCEPTION = re.compile(
    r"\b((?:[A-Za-z_][\w]*\.)*[A-Z]\w*(?:Error|Exception|Exit)): (.+)"
)
_FAILED_NODE = re.compile(r"Node (?:[\w.]+\.)?(\w+): .* failed with error")
HIDDEN = (
    "NoneType: None"  # what kedro 1.7 + click 8.5 print for a KedroCliError (issue 14)
)
# The project's CLI without click's standalone error handling: the refusal
# propagates and Python prints it. Used only to reveal a hidden message.
_REVEAL = (
    "import sys\n"
    "from ml_workflow.cli import cli\n"
    "cli.main(sys.argv[1:], prog_name='kedro', standalone_mode=False)\n"
)


@dataclass
class StepResult:
    """What one command did."""

    seconds: float
    tree_peak_bytes: int
    returncode: int | None  # None: killed at the timeout
    log: str

    @property
    def timed_out(self) -> bool:
        return self.returncode is None

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def tree_peak_mb(self) -> float:
        return self.tree_peak_bytes / 2**20


def tree_rss(process: psutil.Process) -> int:
    """Resident set size of ``process`` and all its descendants, in bytes."""
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def run_step(
    command: Sequence[str], cwd: Path, timeout: float, log: Path
) -> StepResult:
    """Run ``command`` in ``cwd`` as its own process group, output to ``log``.

    At ``timeout`` seconds the whole group is stopped (SIGTERM, then SIGKILL).
    Memory is sampled every 0.1 s, so a step shorter than that may show none.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with log.open("w") as output:
        child = subprocess.Popen(
            list(command),
            cwd=cwd,
            env={**os.environ, **_ENVIRONMENT},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: a timeout stops its workers too
        )
        watched = psutil.Process(child.pid)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_rss(watched))
                done.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            returncode: int | None = child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            returncode = None
            _stop_group(child)
        except BaseException:  # Ctrl-C or SIGTERM of the panel: stop the run too
            _stop_group(child)
            raise
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
    return StepResult(seconds, peak, returncode, log.read_text(errors="replace"))


def _stop_group(child: subprocess.Popen[bytes]) -> None:
    for sent in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(child.pid, sent)
        except ProcessLookupError:
            return
        try:
            child.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


def error_line(log: str) -> str:
    """The first line naming an exception (the root of a chained traceback),
    else the last non-empty line; box-drawing characters stripped."""
    lines = [line.strip(" │|\t") for line in log.splitlines()]
    for line in lines:
        match = _EXCEPTION.search(line)
        if match and not match.group(1).endswith("KedroCliError"):
            return f"{match.group(1).rsplit('.', 1)[-1]}: {match.group(2).strip()}"
    for line in lines:
        match = _EXCEPTION.search(line)
        if match:
            return f"{match.group(1).rsplit('.', 1)[-1]}: {match.group(2).strip()}"
    if HIDDEN in lines:
        return HIDDEN
    present = [line for line in lines if line]
    return present[-1] if present else "(no output)"


def failed_node(log: str) -> str | None:
    """The name of the Kedro node whose failure stopped the run, if it says."""
    match = _FAILED_NODE.search(log)
    return match.group(1) if match else None


def reveal_hidden(arguments: Sequence[str], cwd: Path, timeout: float) -> str | None:
    """The message a project command's refusal hid behind ``NoneType: None``.

    Re-runs the command through the project's click group without click's
    error handling; ``None`` if that shows nothing better.
    """
    result = subprocess.run(
        [sys.executable, "-c", _REVEAL, *arguments],
        cwd=cwd,
        env={**os.environ, **_ENVIRONMENT},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    line = error_line(result.stderr)
    return None if result.returncode == 0 or HIDDEN in line else line
