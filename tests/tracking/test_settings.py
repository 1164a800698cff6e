"""The ``tracking`` settings: defaults, validation, where the backend is."""

from __future__ import annotations

from pathlib import Path

import pytest

from ml_workflow.core.config import Tracking, load_setting, resolve_parameters
from ml_workflow.errors import ConfigurationError
from ml_workflow.tracking.location import local_tracking_uri, resolve_tracking_uri


def test_no_section_means_tracking_into_the_project_champion_served():
    settings = resolve_parameters({})["tracking"]
    assert isinstance(settings, Tracking)
    assert settings.enabled and settings.uri is None
    assert settings.selector("housing") == "champion"
    assert settings.promotion.tolerance == 0.0


def test_the_shipped_section_validates(parameters):
    assert parameters["tracking"] == Tracking()  # the file states the defaults


@pytest.mark.parametrize(
    ("section", "path"),
    [
        ({"on_unreachable": "retry"}, r"tracking\.on_unreachable"),
        ({"promotion": {"tolrance": 0.1}}, r"tracking\.promotion\.tolrance"),
        ({"promotion": {"tolerance": -1}}, r"tracking\.promotion\.tolerance"),
        ({"promotion": {"tolerance": True}}, r"tracking\.promotion\.tolerance"),
        ({"serve": 0}, r"tracking\.serve"),
        ({"serve": True}, r"tracking\.serve"),
        ({"serve_overrides": {"housing": ""}}, r"tracking\.serve_overrides"),
        ({"connect_timeout": 0}, r"tracking\.connect_timeout"),
    ],
)
def test_a_wrong_key_or_value_names_the_key(section, path):
    with pytest.raises(ConfigurationError, match=path):
        load_setting("tracking", section)


def test_overrides_choose_per_variant_and_names_take_the_prefix():
    settings = Tracking(
        serve="latest", serve_overrides={"housing": 3}, name_prefix="team/"
    )
    assert settings.selector("housing") == 3
    assert settings.selector("spam") == "latest"
    assert settings.registered_name("spam") == "team/spam"


@pytest.mark.parametrize(
    ("selector", "parsed"),
    [("champion", "champion"), ("latest", "latest"), ("3", 3), (3, 3), (" 7 ", 7)],
)
def test_selectors_are_aliases_or_version_numbers(selector, parsed):
    """``--params tracking.serve=3`` may arrive as a string: it is version 3."""
    assert Tracking(serve=selector).serve == parsed
    assert Tracking(serve_overrides={"a": selector}).selector("a") == parsed


def test_config_beats_the_environment_which_beats_the_local_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    assert resolve_tracking_uri(Tracking(), tmp_path) == local_tracking_uri(tmp_path)
    assert local_tracking_uri(tmp_path) == f"sqlite:///{tmp_path.resolve()}/mlflow.db"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://env:5000")
    assert resolve_tracking_uri(Tracking(), tmp_path) == "http://env:5000"
    configured = Tracking(uri="http://config:5000")
    assert resolve_tracking_uri(configured, tmp_path) == "http://config:5000"


def test_a_relative_sqlite_path_is_relative_to_the_project(tmp_path: Path):
    settings = Tracking(uri="sqlite:///runs/other.db")
    uri = resolve_tracking_uri(settings, tmp_path)
    assert uri == f"sqlite:///{(tmp_path / 'runs/other.db').resolve()}"
