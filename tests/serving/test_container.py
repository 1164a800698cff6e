"""The Dockerfile, tested without a Docker daemon.

What can be checked here: the image runs as a non-root user with a health
check, and its command, run the way the image runs it (the project's wheel
installed in a clean virtual environment, the image's /app laid out from the
files the Dockerfile copies), starts the API, passes its own health check and
predicts.
"""

from __future__ import annotations

import json
import re
import shutil
import site
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import PROJECT_ROOT
from tests.process_group import (
    free_loopback_port,
    start_process_group,
    stop_process_group,
)

pytestmark = pytest.mark.slow  # builds a wheel and starts a server
DOCKERFILE = PROJECT_ROOT / "Dockerfile"


def instruction(name: str) -> str:
    """The last ``name`` instruction of the final stage (continuations joined)."""
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    final_stage = text.rsplit("\nFROM ", 1)[1]
    lines = [line.strip() for line in final_stage.splitlines()]
    return [line for line in lines if line.startswith(name + " ")][-1]


def exec_form(line: str) -> list[str]:
    return json.loads(line[line.index("[") :])


def test_the_image_runs_as_a_non_root_user_with_a_health_check() -> None:
    assert instruction("USER").split()[1] not in ("root", "0")
    health = instruction("HEALTHCHECK")
    assert "/v2/health/ready" in health and "--interval" in health
    assert exec_form(instruction("CMD"))[:2] == ["kedro", "serve"]


@pytest.fixture(scope="module", autouse=True)
def no_inherited_pythonpath() -> Iterator[None]:
    """A container starts without ``PYTHONPATH``. Kedro's ``bootstrap_project``,
    run in this process by other tests, exports a project copy's ``src`` in
    it, which would shadow the wheel in every child process."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PYTHONPATH", raising=False)
        yield


@pytest.fixture(scope="module")
def clean_venv(tmp_path_factory) -> Path:
    """A new virtual environment holding the project's wheel.

    The dependencies come from this environment's site-packages through a
    ``.pth`` line (installing them all again would take minutes); ``.pth``
    files there are not run, so the editable install of the source tree is
    not seen: ``ml_workflow`` is the wheel's.
    """
    folder = tmp_path_factory.mktemp("container")
    wheels = folder / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps"]
        + ["--wheel-dir", str(wheels), str(PROJECT_ROOT)],
        check=True,
        capture_output=True,
    )
    venv = folder / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True
    )
    python = venv / "bin" / "python"
    packages = Path(
        subprocess.run(
            [
                str(python),
                "-c",
                "import sysconfig; print(sysconfig.get_path('purelib'))",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (packages / "dependencies.pth").write_text(site.getsitepackages()[0] + "\n")
    (wheel,) = wheels.glob("ml_workflow-*.whl")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(packages)]
        + [str(wheel)],
        check=True,
        capture_output=True,
    )
    where = subprocess.run(
        [str(python), "-c", "import ml_workflow; print(ml_workflow.__file__)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(packages)), where
    return venv


def image_app(destination: Path, project: Path) -> Path:
    """/app as the Dockerfile lays it out, from a trained project."""
    app = destination / "app"
    app.mkdir()
    shutil.copy(PROJECT_ROOT / "pyproject.toml", app / "pyproject.toml")
    shutil.copytree(PROJECT_ROOT / "conf" / "base", app / "conf" / "base")
    shutil.copytree(project / "data" / "06_models", app / "data" / "06_models")
    (app / "src").mkdir()
    (app / "conf" / "local").mkdir()
    return app


def test_the_image_command_serves_from_the_wheel_and_passes_its_health_check(
    tmp_path: Path, served_project: Path, clean_venv: Path
) -> None:
    app = image_app(tmp_path, served_project)
    port = free_loopback_port()
    # the image's command, on a loopback port instead of 0.0.0.0:8000
    command = exec_form(instruction("CMD"))
    command[command.index("--host") + 1] = "127.0.0.1"
    command[command.index("--port") + 1] = str(port)
    # `kedro` is the dependencies' console script: run it with the clean venv's python
    command = [str(clean_venv / "bin" / "python"), "-m", *command]
    health = exec_form(instruction("HEALTHCHECK"))
    health = [
        re.sub(r"127\.0\.0\.1:8000", f"127.0.0.1:{port}", part) for part in health
    ]
    health[0] = str(clean_venv / "bin" / "python")
    log = tmp_path / "server.log"
    with log.open("w") as output:
        server = start_process_group(
            command, app, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 120
        while subprocess.run(health, check=False, capture_output=True).returncode != 0:
            assert server.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "the health check never passed"
            time.sleep(0.5)
        response = httpx.post(
            f"http://127.0.0.1:{port}/variants/spam/predict", json=[{"message": "hi"}]
        )
        assert response.status_code == 200, response.text
    finally:
        stop_process_group(server, timeout=20)
    assert str(clean_venv) in command[0]
