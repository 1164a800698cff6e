"""The dashboard in headless Chromium, served by the real ``kedro dashboard``
command: the pre-filled form predicts what the API predicts, for both
variants. Saves a screenshot of each variant (to ``$DASHBOARD_SCREENSHOTS``
when set: that is how docs/images/dashboard_*.png are made).

Skips like tests/serving/test_browser.py when Chromium or Selenium is missing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.dashboard.conftest import api_prediction
from tests.process_group import (
    free_loopback_port,
    start_process_group,
    stop_process_group,
)

# This import skips the module (as tests/serving/test_browser.py does) when
# Chromium or Selenium is missing, so Selenium is imported after it.
# isort: off
from tests.serving.test_browser import browser  # noqa: F401 - the fixture
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

# isort: on

pytestmark = pytest.mark.slow  # a Streamlit server and a browser: ~20 s


@pytest.fixture(scope="module")
def dashboard_server(dashboard_project: Path) -> Iterator[str]:
    """``kedro dashboard`` on a free loopback port, until Streamlit is healthy."""
    port = free_loopback_port()
    log = dashboard_project / f"dashboard-{port}.log"
    with log.open("w") as output:
        process = start_process_group(
            [sys.executable, "-m", "kedro", "dashboard", "--port", str(port)],
            dashboard_project,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, log.read_text()[-3000:]
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "dashboard did not start in 120 s"
            time.sleep(0.3)
        yield url
    finally:
        stop_process_group(process)


def _button(driver: Any, text: str) -> Any:
    return WebDriverWait(driver, 60).until(
        lambda b: b.find_element(By.XPATH, f"//button[normalize-space()='{text}']")
    )


def _screenshot(driver: Any, name: str, tmp_path: Path, charts: int) -> None:
    """Once ``charts`` Plotly charts are drawn, save the page."""
    WebDriverWait(driver, 60).until(
        lambda d: (
            len(d.find_elements(By.CSS_SELECTOR, ".js-plotly-plot .main-svg")) >= charts
        )
    )
    time.sleep(1)  # their transitions end
    target = Path(os.environ.get("DASHBOARD_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(target / f"dashboard_{name}.png"))


def _metric(driver: Any, expected: str) -> str:
    """The shown prediction once it reads ``expected`` (or after 60 s, whatever
    it reads then: the assertion shows it)."""
    shown = ""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        values = driver.find_elements(By.CSS_SELECTOR, "[data-testid=stMetricValue]")
        shown = values[0].text if values else ""
        if shown == expected:
            break
        time.sleep(0.3)
    return shown


def _enter(driver: Any, label: str, value: str, tag: str = "input") -> None:
    """Type ``value`` into the widget labelled ``label`` and commit it (blur)."""
    field = WebDriverWait(driver, 30).until(
        lambda d: d.find_element(By.CSS_SELECTOR, f'{tag}[aria-label="{label}"]')
    )
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(value)
    driver.find_element(By.TAG_NAME, "h1").click()


def test_a_person_predicts_both_variants_in_the_browser(
    browser: Any,  # noqa: F811
    dashboard_server: str,
    dashboard,
    api,
    tmp_path: Path,
) -> None:
    browser.set_window_size(1400, 1300)
    browser.get(dashboard_server)
    typical = dashboard.variants["housing"].loaded.prediction_reference["record"]
    expected = api_prediction(api, "housing", [typical])[0]["prediction"]
    _button(browser, "Predict").click()
    assert _metric(browser, f"{expected:,.2f}") == f"{expected:,.2f}"
    assert "Likely between" in browser.find_element(By.TAG_NAME, "body").text

    # what-if: one input changed, the prediction follows (no second press)
    _enter(browser, "Median household income (tens of thousands of USD)", "6.5")
    _enter(browser, "Median age of the houses (years)", "45")
    record = {**typical, "median_income": 6.5, "housing_median_age": 45}
    expected = api_prediction(api, "housing", [record])[0]["prediction"]
    assert _metric(browser, f"{expected:,.2f}") == f"{expected:,.2f}"
    _screenshot(browser, "housing", tmp_path, charts=1)

    browser.find_element(
        By.CSS_SELECTOR, "[data-testid=stSidebar] [data-testid=stSelectbox]"
    ).click()
    WebDriverWait(browser, 30).until(
        lambda b: b.find_element(
            By.XPATH, "//*[@role='option'][normalize-space()='spam']"
        )
    ).click()
    WebDriverWait(browser, 60).until(
        lambda b: "spam: predict label" in b.find_element(By.TAG_NAME, "h1").text
    )
    message = "Are we still on for lunch tomorrow? I can pick you up at 12"
    _enter(browser, "The text message (SMS)", message, tag="textarea")
    _button(browser, "Predict").click()
    expected = api_prediction(api, "spam", [{"message": message}])[0]["prediction"]
    assert _metric(browser, expected) == expected
    _screenshot(browser, "spam", tmp_path, charts=2)
