"""The prediction page in headless Chromium: pick a variant, see the generated
form start from the typical record, change it, see the prediction. Driven with
Selenium against the API served over HTTP by uvicorn, as ``kedro serve``
serves it (``app_server``; test_live_server.py runs the command itself).

Skips, saying why, when Chromium, its driver or Selenium is missing (install
with ``apt-get install -y chromium chromium-driver``; CI does).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed (pip install -e .[dev])"
)
if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip(
        f"headless Chromium not available ({CHROMIUM}, {CHROMEDRIVER}): "
        "apt-get install -y chromium chromium-driver",
        allow_module_level=True,
    )

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from .conftest import app_server  # noqa: E402

HOUSE = {
    "longitude": "-122.23",
    "latitude": "37.88",
    "housing_median_age": "41",
    "total_rooms": "880",
    "total_bedrooms": "129",
    "population": "322",
    "households": "126",
    "median_income": "8.3252",
}


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--no-first-run",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(
        options=options, service=webdriver.ChromeService(executable_path=CHROMEDRIVER)
    )
    try:
        yield driver
    finally:
        driver.quit()


def _prediction(browser: Any) -> str:
    browser.find_element(By.ID, "predict").click()
    WebDriverWait(browser, 30).until(
        lambda b: b.find_element(By.ID, "prediction").text.startswith(
            ("Prediction:", "Error")
        )
    )
    return browser.find_element(By.ID, "prediction").text


@pytest.fixture(scope="module")
def page_url(served_project: Path) -> Iterator[str]:
    with app_server(served_project) as url:
        yield url


def test_a_person_gets_a_prediction_from_the_page(browser: Any, page_url: str) -> None:
    url = page_url
    browser.get(url + "/")
    wait = WebDriverWait(browser, 30)
    wait.until(
        lambda b: b.find_element(By.TAG_NAME, "body").get_attribute("data-ready")
    )

    variant = Select(browser.find_element(By.ID, "variant"))
    assert [o.get_attribute("value") for o in variant.options] == ["housing", "spam"]

    # housing: the form was generated from the schema and starts from the
    # typical record saved with the model, labelled from the schema
    typical = httpx.get(f"{url}/variants/housing").json()["typical_record"]
    income = browser.find_element(By.ID, "field-median_income")
    assert float(income.get_attribute("value")) == pytest.approx(
        typical["median_income"]
    )
    label = browser.find_element(By.CSS_SELECTOR, "label[for=field-median_income]")
    assert label.text.startswith("Median household income (tens of thousands of USD)")
    assert "median_income" in label.text  # the column name, in the hint
    for name, value in HOUSE.items():
        field = browser.find_element(By.ID, f"field-{name}")
        field.clear()
        field.send_keys(value)
    Select(browser.find_element(By.ID, "field-ocean_proximity")).select_by_value(
        "NEAR BAY"
    )
    text = _prediction(browser)
    expected = httpx.post(
        f"{url}/variants/housing/predict",
        json=[
            {**{k: float(v) for k, v in HOUSE.items()}, "ocean_proximity": "NEAR BAY"}
        ],
    ).json()["predictions"][0]["prediction"]
    shown = float(text.splitlines()[0].removeprefix("Prediction: ").replace(",", ""))
    assert shown == pytest.approx(expected, abs=0.01)

    # spam: switching variant rebuilds the form with a text area
    variant.select_by_value("spam")
    message = wait.until(
        expected_conditions.presence_of_element_located((By.ID, "field-message"))
    )
    assert message.tag_name == "textarea"
    message.clear()
    message.send_keys("WINNER! Claim your FREE prize now, call 09061701461")
    text = _prediction(browser)
    assert text.startswith("Prediction: spam")
    assert "Probability of spam: " in text

    # a bad record shows the API's 422 message, naming the field
    message.clear()
    message.send_keys("   ")
    assert "field 'message': [not_empty]" in _prediction(browser)
