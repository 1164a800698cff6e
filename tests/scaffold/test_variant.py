"""Planning and writing a new variant's configuration from a data frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from ml_workflow.core.config import load_variant
from ml_workflow.datasets import ReadOnlyCSVDataset
from ml_workflow.errors import ConfigurationError, DataValidationError
from ml_workflow.scaffold.csv_dialect import csv_load_args, text_encoding
from ml_workflow.scaffold.render import (
    render_catalog,
    render_parameters,
    variant_parameters,
)
from ml_workflow.scaffold.variant import create_variant, file_format, plan_variant


def _frame(rows: int = 120) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "Unnamed: 0": range(rows),
            "age": rng.integers(18, 90, rows),
            "plan": rng.choice(["basic", "pro", "team"], rows),
            "note": [
                f"customer wrote a long complaint number {i}" for i in range(rows)
            ],
            "churned": rng.choice(["yes", "no"], rows, p=[0.2, 0.8]),
            "spend": rng.normal(100, 20, rows),
        }
    )


def test_plan_infers_kinds_task_and_positive_class() -> None:
    plan = plan_variant(_frame(), "churn", "churned", "data/01_raw/churn.csv", "csv")
    assert plan.task == "classification"
    assert plan.positive_class == "yes"
    assert plan.labels == ["no", "yes"]
    assert plan.features("numeric") == ["age", "spend"]
    assert plan.features("categorical") == ["plan"]
    assert plan.features("text") == ["note"]
    assert plan.features("drop") == ["Unnamed: 0"]


def test_overrides_win_over_inference() -> None:
    plan = plan_variant(
        _frame(),
        "churn",
        "spend",
        "data/01_raw/churn.csv",
        "csv",
        text=["plan"],
        drop=["note"],
    )
    assert plan.task == "regression"
    assert plan.features("text") == ["plan"]
    assert "note" in plan.features("drop")
    stars = _frame().assign(stars=lambda f: f["age"] % 5 + 1)  # 5 integer levels
    forced = plan_variant(stars, "rating", "stars", "x.csv", "csv", task="regression")
    assert forced.task == "regression"
    assert forced.task_reason.startswith(
        "set by --task (the data suggested classification"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "Churn"}, "lower-case Python identifier"),
        ({"target": "nope"}, r"\['nope'\] are not in the data"),
        ({"drop": ["churned"]}, "cannot also be --text or --drop"),
        ({"name": "modelling"}, "'modelling' is taken by a pipeline or a settings"),
        ({"name": "compute"}, "'compute' is taken by a pipeline or a settings"),
    ],
)
def test_bad_requests_are_refused(kwargs: dict, message: str) -> None:
    arguments = {"name": "churn", "target": "churned", **kwargs}
    with pytest.raises(ConfigurationError, match=message):
        plan_variant(_frame(), raw_filepath="x.csv", file_kind="csv", **arguments)


def test_a_target_of_three_classes_plans_a_multiclass_variant() -> None:
    frame = _frame().assign(plan_target=lambda f: f["plan"])
    plan = plan_variant(frame, "tiers", "plan_target", "x.csv", "csv")
    config = load_variant("tiers", variant_parameters(plan))
    assert config.problem.task == "classification"
    assert config.problem.positive_class is None  # several classes, none positive
    assert config.evaluation.primary_metric == "f1_macro"


def test_rendered_parameters_are_a_complete_valid_variant() -> None:
    plan = plan_variant(_frame(), "churn", "churned", "data/01_raw/churn.csv", "csv")
    text = render_parameters(plan)
    assert "# free text" in text and "identifier-like" in text  # reasons are shown
    parameters = yaml.safe_load(text)["churn"]
    # only what the data says is written; every other section keeps its default
    assert set(parameters) == {
        "problem",
        "schema",
        "derived_features",
        "preprocessing",
        "candidates",
    }
    assert parameters == variant_parameters(plan)  # the comments change nothing
    config = load_variant("churn", parameters)
    features = config.problem.features
    assert (features.numeric, features.categorical, features.text) == (
        ("age", "spend"),
        ("plan",),
        ("note",),
    )
    assert config.problem.positive_class == "yes"
    assert config.split.stratify is True
    assert config.data_schema.dataset == "churn.raw"
    assert parameters["schema"]["columns"]["churned"]["checks"]["allowed"] == [
        "no",
        "yes",
    ]
    assert {c.name for c in config.candidates} >= {
        "naive_bayes",
        "logistic_regression",
    }
    assert config.model_selection.threshold.objective == "f1"
    assert config.evaluation.primary_metric == "f1"
    assert config.derived_features
    assert all(spec.column == "note" for spec in config.derived_features)


def test_rendered_regression_parameters_are_valid_and_short() -> None:
    plan = plan_variant(
        _frame(), "spend", "spend", "data/01_raw/spend.csv", "csv", drop=["note"]
    )
    parameters = yaml.safe_load(render_parameters(plan))["spend"]
    # no text column: nothing derived, no text preprocessing
    assert set(parameters) == {"problem", "schema", "candidates"}
    assert "positive_class" not in parameters["problem"]
    config = load_variant("spend", parameters)
    assert config.split.stratify is False
    assert config.model_selection.threshold is None
    assert config.evaluation.primary_metric == "r2"


def test_a_plan_that_makes_no_valid_variant_is_refused_with_the_runs_message() -> None:
    plan = plan_variant(_frame(), "churn", "churned", "data/01_raw/churn.csv", "csv")
    plan.positive_class = "maybe"  # not one of the target's labels
    with pytest.raises(
        ConfigurationError, match=r"churn\.problem\.positive_class: found 'maybe'"
    ):
        render_parameters(plan)


def test_create_variant_writes_nothing_when_the_variant_would_be_invalid(
    tmp_path,
) -> None:
    # a column already named like the derived feature of the text column
    data = tmp_path / "incoming.csv"
    frame = _frame()
    frame["note_length"] = frame["spend"] * 2  # a real numeric column
    frame.to_csv(data, index=False)
    project = tmp_path / "project"
    (project / "conf" / "base").mkdir(parents=True)
    with pytest.raises(ConfigurationError, match=r"'note_length' is already used"):
        create_variant(project, "churn", data, "churned")
    assert sorted(p.name for p in project.rglob("*") if p.is_file()) == []


def test_a_settings_name_is_refused_even_with_force_and_its_file_is_kept(
    tmp_path,
) -> None:
    data = tmp_path / "incoming.csv"
    _frame().to_csv(data, index=False)
    conf = tmp_path / "project" / "conf" / "base"
    conf.mkdir(parents=True)
    settings = conf / "parameters_tracking.yml"
    settings.write_text("tracking:\n  enabled: true\n")
    with pytest.raises(ConfigurationError, match="'tracking' is taken"):
        create_variant(tmp_path / "project", "tracking", data, "churned", force=True)
    assert settings.read_text() == "tracking:\n  enabled: true\n"
    assert sorted(p.name for p in conf.iterdir()) == ["parameters_tracking.yml"]


def test_default_candidates_follow_the_feature_kinds() -> None:
    with_text = plan_variant(_frame(), "churn", "churned", "x.csv", "csv")
    without_text = plan_variant(
        _frame(), "churn", "churned", "x.csv", "csv", drop=["note"]
    )
    names = {
        plan.features("text") and "text" or "no text": [
            c["name"]
            for c in yaml.safe_load(render_parameters(plan))["churn"]["candidates"]
        ]
        for plan in (with_text, without_text)
    }
    assert (
        names["text"][0] == "naive_bayes"
        and "hist_gradient_boosting" not in names["text"]
    )
    assert (
        "naive_bayes" not in names["no text"]
        and "hist_gradient_boosting" in names["no text"]
    )
    raw = render_parameters(with_text)
    assert "only_with_text" not in raw and "only_without_text" not in raw


def test_rendered_catalog_is_read_only_and_keeps_tsv_settings() -> None:
    plan = plan_variant(_frame(), "churn", "churned", "data/01_raw/churn.tsv", "tsv")
    entry = yaml.safe_load(render_catalog(plan))["churn.raw"]
    assert entry["type"] == "ml_workflow.datasets.ReadOnlyCSVDataset"
    assert entry["load_args"] == {"sep": "\t", "quoting": 3}
    assert entry["metadata"]["kedro-viz"]["layer"] == "raw"


def test_file_format_refuses_unknown_suffixes(tmp_path) -> None:
    assert file_format(tmp_path / "a.PARQUET") == "parquet"
    with pytest.raises(ConfigurationError, match="'.xlsx'"):
        file_format(tmp_path / "a.xlsx")


def test_create_variant_copies_the_data_and_writes_config(tmp_path) -> None:
    data = tmp_path / "incoming.tsv"
    _frame().to_csv(data, sep="\t", index=False)
    project = tmp_path / "project"
    (project / "conf" / "base").mkdir(parents=True)
    plan, written = create_variant(project, "churn", data, "churned")
    raw = project / "data" / "01_raw" / "churn.tsv"
    assert raw.read_bytes() == data.read_bytes()
    assert written == [
        raw,
        project / "conf/base/parameters_churn.yml",
        project / "conf/base/catalog_churn.yml",
        project / "data" / "01_raw" / "churn_new_records.csv",
    ]
    examples = pd.read_csv(written[-1])
    assert "churned" not in examples.columns  # records to score have no target
    assert list(examples.columns) == [c for c in _frame().columns if c != "churned"]
    with pytest.raises(ConfigurationError, match="already exists"):
        create_variant(project, "churn", data, "churned")
    create_variant(project, "churn", data, "churned", force=True, link=True)
    assert raw.is_symlink()


def test_a_semicolon_csv_with_decimal_commas_is_read_as_written(tmp_path) -> None:
    # as a spreadsheet in much of Europe exports it: ';' between fields, ','
    # before the decimals, '.' between thousands, labels with stray spaces
    frame = pd.DataFrame(
        {
            "Größe": [171.9, 164.8, 1650.5, 145.6] * 10,
            "Stadt": ["Köln", "Berlin", "München", "Köln"] * 10,
            "Kauf": ["ja ", "nein", " nein", "ja"] * 10,
        }
    )
    data = tmp_path / "export.csv"
    frame.to_csv(data, sep=";", decimal=",", index=False)
    text = data.read_text(encoding="utf-8").replace("1650,5", "1.650,5")
    data.write_text(text, encoding="utf-8")
    assert csv_load_args(data) == {"sep": ";", "decimal": ",", "thousands": "."}

    project = tmp_path / "project"
    (project / "conf" / "base").mkdir(parents=True)
    plan, written = create_variant(project, "euro", data, "Kauf")
    assert plan.features("numeric") == ["Größe"]
    assert plan.task == "classification" and plan.labels == ["ja", "nein"]
    entry = yaml.safe_load(written[2].read_text(encoding="utf-8"))["euro.raw"]
    assert entry["load_args"] == {"sep": ";", "decimal": ",", "thousands": "."}
    # the pipeline's raw entry reads the numbers the spreadsheet held
    raw = ReadOnlyCSVDataset(
        filepath=str(project / entry["filepath"]), load_args=entry["load_args"]
    ).load()
    pd.testing.assert_series_equal(raw["Größe"], frame["Größe"])


def test_a_comma_csv_and_a_semicolon_csv_with_points_keep_their_decimals(
    tmp_path,
) -> None:
    plain = tmp_path / "plain.csv"
    _frame().to_csv(plain, index=False)
    assert csv_load_args(plain) == {}
    points = tmp_path / "points.csv"
    pd.DataFrame({"a": [1.5, 2.25], "b": ["x;y", "z"]}).to_csv(
        points, sep=";", index=False
    )
    assert csv_load_args(points) == {"sep": ";"}


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", None), ("utf-8-sig", None), ("cp1252", "cp1252")],
)
def test_the_file_is_read_in_the_encoding_it_was_written_in(
    tmp_path, encoding: str, expected: str | None
) -> None:
    # Excel's plain "CSV" on Windows writes Windows-1252; "CSV UTF-8" adds a BOM
    frame = pd.DataFrame(
        {"Stadt": ["Köln", "Zürich", "Škoda"] * 10, "Kauf": ["ja", "nein"] * 15}
    )
    data = tmp_path / "export.csv"
    frame.to_csv(data, index=False, encoding=encoding)
    assert text_encoding(data) == expected
    project = tmp_path / "project"
    (project / "conf" / "base").mkdir(parents=True)
    _, written = create_variant(project, "towns", data, "Kauf")
    entry = yaml.safe_load(written[2].read_text(encoding="utf-8"))["towns.raw"]
    assert entry.get("load_args", {}).get("encoding") == expected
    raw = ReadOnlyCSVDataset(
        filepath=str(project / entry["filepath"]), load_args=entry.get("load_args")
    ).load()
    assert raw["Stadt"].tolist() == frame["Stadt"].tolist()


def test_a_file_in_no_known_text_encoding_is_refused_with_where(tmp_path) -> None:
    data = tmp_path / "binary.csv"
    data.write_bytes(b"a,b\n1,\x81\x00\x9d\n")  # not UTF-8; NUL and 0x81 not text
    with pytest.raises(DataValidationError) as caught:
        create_variant(tmp_path, "binary", data, "a")
    assert "is not UTF-8 text (byte 0x81 near byte 6)" in str(caught.value)
    assert "CSV UTF-8" in str(caught.value)
    utf16 = tmp_path / "unicode.csv"
    pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}).to_csv(utf16, encoding="utf-16")
    with pytest.raises(DataValidationError, match="is UTF-16 text"):
        create_variant(tmp_path, "unicode", utf16, "a")
