"""The bad-input matrix of issue 5: every bad input stops early with a specific message.

Load-time problems (missing, empty, undecodable or mis-split files) are caught by
the raw dataset, configured exactly as in the shipped catalog; content problems
by the schema validation node, configured by the shipped parameters; a
parameter that contradicts the schema by the configuration models, before any
node runs.
"""

from __future__ import annotations

import copy
import csv
import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from kedro.config import OmegaConfigLoader
from kedro.io import AbstractDataset
from kedro.io.core import DatasetError

from ml_workflow.core.config import Candidate, load_variant
from ml_workflow.core.model_builder import candidate_pipeline, feature_transform
from ml_workflow.core.validation import validate_records
from ml_workflow.errors import ConfigurationError, DataValidationError
from ml_workflow.pipelines.data_processing.nodes import (
    clean_raw_data,
    validate_raw_data,
)
from ml_workflow.pipelines.feature_engineering.nodes import split_train_test

# These tests are about the shipped variants; a fork that removes one skips them.
pytestmark = pytest.mark.requires_variants("housing", "spam")

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def catalog_config() -> dict[str, Any]:
    loader = OmegaConfigLoader(
        conf_source=str(PROJECT_ROOT / "conf"), base_env="base", default_run_env="base"
    )
    return dict(loader["catalog"])


def raw_dataset(
    catalog_config, variant: str, path: Path, **load_args
) -> AbstractDataset:
    """The variant's raw dataset as the catalog declares it, reading ``path``."""
    config = {**catalog_config[f"{variant}.raw"], "filepath": str(path)}
    if load_args:
        config["load_args"] = load_args
    return AbstractDataset.from_config(f"{variant}.raw", config)


def validate(params: dict[str, Any], raw: pd.DataFrame) -> pd.DataFrame:
    validated, _ = validate_raw_data(raw, params["problem"], params["schema"])
    return validated


def error_of(params: dict[str, Any], raw: pd.DataFrame) -> str:
    with pytest.raises(DataValidationError) as caught:
        validate(params, raw)
    return str(caught.value)


# --- caught while loading the file ----------------------------------------------


def test_missing_raw_file(catalog_config, tmp_path) -> None:
    dataset = raw_dataset(catalog_config, "housing", tmp_path / "nope.csv")
    with pytest.raises(
        DatasetError,
        match=r"raw data file '.*nope.csv' does not exist: put the raw file there or fix 'filepath'",
    ):
        dataset.load()


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_file(catalog_config, tmp_path, content) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(
        DatasetError, match=r"is empty: expected a header line naming the columns"
    ):
        raw_dataset(catalog_config, "housing", path).load()


def test_non_utf8_bytes_name_the_offset_and_line(catalog_config, tmp_path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(b"a,b\n1,2\n3,caf\xe9\n")
    with pytest.raises(DatasetError) as caught:
        raw_dataset(catalog_config, "housing", path).load()
    assert (
        "is not valid utf-8 text: byte(s) b'\\xe9\\n' at byte offset 13 (line 3) "
        "cannot be decoded. Re-save the file as utf-8, or set load_args.encoding"
    ) in str(caught.value)


def test_sms_file_read_as_csv_points_at_the_delimiter(catalog_config) -> None:
    sms = PROJECT_ROOT / "data" / "01_raw" / "sms_spam.tsv"
    # the housing entry's settings (plain CSV) on the tab-separated SMS file
    with pytest.raises(DatasetError) as caught:
        raw_dataset(catalog_config, "housing", sms).load()
    message = str(caught.value)
    assert "could not be split into columns with sep=','" in message
    assert "the file looks tab-separated, so set load_args.sep to '\\t'" in message


def test_one_column_header_with_tabs_points_at_the_delimiter(
    catalog_config, tmp_path
) -> None:
    path = tmp_path / "tabs.csv"
    path.write_text("label\tmessage\nham\thello there\nspam\twin now\n")
    with pytest.raises(
        DatasetError,
        match=r"was read as ONE column 'label\\tmessage'.*looks tab-separated",
    ):
        raw_dataset(catalog_config, "housing", path).load()


def test_sms_file_with_default_quoting_is_caught_by_single_line(
    catalog_config, spam_params
) -> None:
    sms = PROJECT_ROOT / "data" / "01_raw" / "sms_spam.tsv"
    raw = raw_dataset(catalog_config, "spam", sms, sep="\t").load()  # quoting lost
    message = error_of(spam_params, raw)
    assert "column 'message' [single_line]" in message
    assert "check load_args.quoting" in message
    assert "1 row(s) fail, e.g. row 5081" in message


def test_shipped_files_load_through_the_read_only_dataset(catalog_config) -> None:
    raw = PROJECT_ROOT / "data" / "01_raw"
    assert len(raw_dataset(catalog_config, "spam", raw / "sms_spam.tsv").load()) == 5574
    housing = raw_dataset(catalog_config, "housing", raw / "california_housing.csv")
    assert housing.load().shape == (20640, 10)


# --- caught by schema validation -------------------------------------------------


def test_header_only(housing_params, housing_raw_sample) -> None:
    message = error_of(housing_params, housing_raw_sample.iloc[0:0])
    assert "variant 'housing', dataset 'housing.raw' (0 rows)" in message
    assert (
        "ERROR dataset [rows] expected at least one data row; the file has a header only"
        in message
    )


def test_declared_column_missing(housing_params, housing_raw_sample) -> None:
    message = error_of(
        housing_params, housing_raw_sample.drop(columns=["median_income"])
    )
    assert (
        "ERROR column 'median_income' [present] expected a column named 'median_income'; found columns ['longitude'"
        in message
    )


def test_unexpected_extra_columns_are_ignored_and_logged(
    housing_params, housing_raw_sample, caplog
) -> None:
    raw = housing_raw_sample.assign(surveyor="anna")
    with caplog.at_level(logging.WARNING):
        validated = validate(housing_params, raw)
    assert "housing.raw: ignoring undeclared column(s) ['surveyor']" in caplog.text
    cleaned, report = clean_raw_data(
        validated, housing_params["problem"], housing_params["cleaning"]
    )
    assert "surveyor" not in cleaned.columns
    assert report["ignored_columns"] == ["surveyor"]


def test_numeric_column_holding_text(housing_params, housing_raw_sample) -> None:
    raw = housing_raw_sample.astype({"median_income": object})
    rows = raw.index[[0, 5]]
    raw.loc[rows, "median_income"] = ["high", "n/a"]
    message = error_of(housing_params, raw)
    assert (
        f"ERROR column 'median_income' [is_number] expected a number (float64): "
        f"2 row(s) fail, e.g. row {rows[0]}: 'high', row {rows[1]}: 'n/a'"
    ) in message


def test_all_missing_target(housing_params, housing_raw_sample) -> None:
    message = error_of(
        housing_params, housing_raw_sample.assign(median_house_value=np.nan)
    )
    assert (
        "ERROR dataset [target_present] expected target 'median_house_value' present in some rows; it is missing in all 600 rows"
        in message
    )


def test_some_missing_target_is_a_warning_and_cleaning_drops_them(
    housing_params, housing_raw_sample, caplog
) -> None:
    raw = housing_raw_sample.copy()
    raw.loc[raw.index[:3], "median_house_value"] = np.nan
    with caplog.at_level(logging.WARNING):
        validated = validate(housing_params, raw)
    assert "WARNING column 'median_house_value' [not_nullable]" in caplog.text
    _, report = clean_raw_data(
        validated, housing_params["problem"], housing_params["cleaning"]
    )
    assert report["removed"]["missing_target"] == 3


def test_classification_target_with_one_class(spam_params, spam_raw_sample) -> None:
    message = error_of(spam_params, spam_raw_sample.assign(label="ham"))
    assert (
        "ERROR dataset [classes] expected at least two classes in target 'label' to classify; found only ['ham']"
        in message
    )


def test_classification_target_with_an_unknown_label(
    spam_params, spam_raw_sample
) -> None:
    raw = spam_raw_sample.copy()
    row = raw.index[4]
    raw.loc[row, "label"] = "eggs"
    message = error_of(spam_params, raw)
    assert (
        f"ERROR column 'label' [allowed] expected one of ['ham', 'spam']: 1 row(s) fail, e.g. row {row}: 'eggs'"
        in message
    )
    assert "min_rows_per_class" not in message  # an unknown label is not a class


def test_positive_class_not_among_the_labels(raw_parameters, spam_raw_sample) -> None:
    # Where the schema lists the labels, the configuration is refused at load
    # time, before any node runs.
    spam = copy.deepcopy(raw_parameters["spam"])
    spam["problem"]["positive_class"] = "junk"
    with pytest.raises(
        ConfigurationError,
        match=r"spam\.problem\.positive_class: found 'junk', which is not one of "
        r"the target's allowed labels \['ham', 'spam'\]",
    ):
        load_variant("spam", spam)
    # Where it does not, cleaning refuses it against the labels of the data.
    del spam["schema"]["columns"]["label"]["checks"]["allowed"]
    config = load_variant("spam", spam)
    with pytest.raises(
        DataValidationError,
        match=r"problem.positive_class 'junk' is not a label of target 'label'",
    ):
        clean_raw_data(spam_raw_sample, config.problem, config.cleaning)


def test_fewer_rows_than_split_and_cv_need(housing_params, housing_raw_sample) -> None:
    message = error_of(housing_params, housing_raw_sample.head(20))
    assert (
        "ERROR dataset [min_rows] expected at least 50 rows with a target (schema.min_rows: the train/test split and cross-validation need them); found 20"
        in message
    )


def test_too_few_rows_of_a_class_for_a_stratified_split(
    spam_params, spam_raw_sample
) -> None:
    raw = pd.concat(
        [
            spam_raw_sample[spam_raw_sample.label == "ham"],
            spam_raw_sample[spam_raw_sample.label == "spam"].head(3),
        ]
    )
    message = error_of(spam_params, raw)
    assert (
        "[min_rows_per_class] expected at least 10 rows per class of target 'label'"
        in message
    )
    assert "found {'spam': 3}" in message


def test_split_still_refuses_too_few_rows(housing_params) -> None:
    features = pd.DataFrame({"median_house_value": [1.0, 2.0]})
    with pytest.raises(DataValidationError, match=r"2 row\(s\) are too few to split"):
        split_train_test(features, housing_params["problem"], housing_params["split"])


def test_infinity_in_a_feature(housing_params, housing_raw_sample) -> None:
    raw = housing_raw_sample.copy()
    row = raw.index[2]
    raw.loc[row, "total_rooms"] = np.inf
    message = error_of(housing_params, raw)
    assert (
        f"ERROR column 'total_rooms' [finite] expected a finite number (not inf/-inf): 1 row(s) fail, e.g. row {row}: inf"
        in message
    )


def test_nan_in_a_feature_depends_on_nullable(
    housing_params, housing_raw_sample
) -> None:
    raw = housing_raw_sample.copy()
    raw.loc[raw.index[:2], "total_bedrooms"] = np.nan  # nullable: imputed by the model
    validate(housing_params, raw)
    raw.loc[raw.index[1], "latitude"] = np.nan  # not nullable
    message = error_of(housing_params, raw)
    assert (
        f"ERROR column 'latitude' [not_nullable] expected a value (not missing): 1 row(s) fail, e.g. row {raw.index[1]}: None"
        in message
    )
    assert "total_bedrooms" not in message


def test_empty_and_very_long_text(spam_params, spam_raw_sample) -> None:
    raw = spam_raw_sample.copy()
    empty, long = raw.index[0], raw.index[1]
    raw.loc[empty, "message"] = "   "
    raw.loc[long, "message"] = "win " * 2000
    message = error_of(spam_params, raw)
    assert (
        f"ERROR column 'message' [not_empty] expected non-blank text: 1 row(s) fail, e.g. row {empty}: '   '"
        in message
    )
    assert (
        f"ERROR column 'message' [max_length] expected at most 5000 characters: 1 row(s) fail, e.g. row {long}: 'win win"
        in message
    )
    assert "(8000 characters)" in message


def test_several_problems_are_reported_together(
    housing_params, housing_raw_sample
) -> None:
    raw = housing_raw_sample.astype({"ocean_proximity": object}).copy()
    raw.loc[raw.index[0], "ocean_proximity"] = "ATLANTIS"
    raw.loc[raw.index[1], "housing_median_age"] = -4.0
    raw.loc[raw.index[2], "population"] = np.inf
    message = error_of(housing_params, raw)
    assert "3 error(s)" in message
    for fragment in (
        "'ocean_proximity' [allowed]",
        "'housing_median_age' [min]",
        "'population' [finite]",
    ):
        assert fragment in message


# --- prediction time --------------------------------------------------------------


def test_unseen_category_at_prediction_time_is_handled(
    housing_params, housing_raw_sample, caplog
) -> None:
    params = housing_params
    problem = params["problem"]
    train = housing_raw_sample.dropna(subset=["median_house_value"])
    candidate = Candidate(
        name="boosting",
        estimator="sklearn.ensemble.HistGradientBoostingRegressor",
        hyperparameters={"max_iter": 10},
    )
    model = candidate_pipeline(
        problem,
        feature_transform(params["derived_features"]),
        params["preprocessing"],
        candidate,
    ).fit(train[problem.feature_columns], train[problem.target])
    records = housing_raw_sample.drop(columns=["median_house_value"]).head(3).copy()
    records["ocean_proximity"] = ["ATLANTIS", "INLAND", "MOON"]
    with caplog.at_level(logging.WARNING):
        valid, rejects = validate_records(records, problem, params["schema"])
    assert rejects.empty and len(valid) == 3
    assert (
        "column 'ocean_proximity' [allowed]" in caplog.text
        and "ATLANTIS" in caplog.text
    )
    assert np.isfinite(model.predict(valid)).all()


def test_prediction_records_are_rejected_like_training_rows(spam_params) -> None:
    records = pd.DataFrame({"message": ["hello", "", "x" * 6000, "multi\nline"]})
    valid, rejects = validate_records(
        records, spam_params["problem"], spam_params["schema"]
    )
    assert valid.index.tolist() == [0]
    assert rejects.index.tolist() == [1, 2, 3]
    assert (
        "[not_nullable]" in rejects.loc[1, "reasons"]
        or "[not_empty]" in rejects.loc[1, "reasons"]
    )
    assert "[max_length] expected at most 5000 characters" in rejects.loc[2, "reasons"]
    assert "[single_line]" in rejects.loc[3, "reasons"]


def test_csv_quote_none_constant_matches_the_catalog(catalog_config) -> None:
    assert catalog_config["spam.raw"]["load_args"]["quoting"] == csv.QUOTE_NONE


def test_file_cut_off_mid_record_is_refused(catalog_config, tmp_path) -> None:
    path = tmp_path / "cut.csv"
    shipped = (PROJECT_ROOT / "data/01_raw/california_housing.csv").read_bytes()
    path.write_bytes(shipped[:5000])  # ends in the middle of a line
    with pytest.raises(DatasetError) as caught:
        raw_dataset(catalog_config, "housing", path).load()
    message = str(caught.value)
    assert (
        "looks truncated: it does not end with a line break and its last line has"
        in message
    )
    assert "of the 10 fields the header declares" in message


def test_complete_last_line_without_line_break_is_fine(
    catalog_config, tmp_path
) -> None:
    path = tmp_path / "no_newline.csv"
    path.write_text("a,b\n1,2\n3,4")
    assert raw_dataset(catalog_config, "housing", path).load().shape == (2, 2)
    path.write_text('a,b\n1,"x\ny"\n3,"multi')  # quoted: cannot judge, left to pandas
    with pytest.raises(DatasetError, match="could not be split into columns"):
        raw_dataset(catalog_config, "housing", path).load()
