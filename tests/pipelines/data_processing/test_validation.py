"""Schema validation: config parsing, lazy collection, severities, messages, records."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
import pytest

from ml_workflow.errors import ConfigurationError, DataValidationError
from ml_workflow.pipelines.data_processing.nodes import validate_raw_data
from ml_workflow.validation import parse_schema, validate_raw, validate_records

PROBLEM: dict[str, Any] = {
    "task": "regression",
    "target": "price",
    "features": {"numeric": ["size"], "categorical": ["city"], "text": ["note"]},
}
SCHEMA: dict[str, Any] = {
    "dataset": "toy.raw",
    "min_rows": 3,
    "columns": {
        "size": {"nullable": False, "checks": {"min": 0, "max": 1000, "finite": True}},
        "city": {"checks": {"allowed": ["Paris", "Oslo"]}},
        "note": {"checks": {"not_empty": True, "max_length": 20}},
        "price": {"checks": {"min": 0}},
    },
}


def frame(**overrides: list[Any]) -> pd.DataFrame:
    data: dict[str, list[Any]] = {
        "size": [10.0, 20.0, 30.0, 40.0],
        "city": ["Paris", "Oslo", "Paris", "Oslo"],
        "note": ["fine", "ok", "nice", "good"],
        "price": [1.0, 2.0, 3.0, 4.0],
    }
    data.update(overrides)
    return pd.DataFrame(data)


def test_clean_frame_passes_and_reports_no_violation() -> None:
    result = validate_raw(frame(), PROBLEM, SCHEMA)
    assert result.violations == []
    assert result.rows == 4


def test_every_violation_is_collected_not_only_the_first() -> None:
    raw = frame(
        size=[10.0, -5.0, np.inf, None],
        city=["Paris", "Rome", "Paris", "Oslo"],
        note=["fine", "  ", "x" * 30, "good"],
    )
    with pytest.raises(DataValidationError) as caught:
        validate_raw(raw, PROBLEM, SCHEMA)
    message = str(caught.value)
    assert "variant 'toy', dataset 'toy.raw'" in message
    assert "6 error(s)" in message
    assert (
        "column 'size' [min] expected >= 0: 1 row(s) fail, e.g. row 1: -5.0" in message
    )
    assert "column 'size' [finite]" in message and "row 2: inf" in message
    assert "column 'size' [not_nullable] expected a value (not missing)" in message
    assert "column 'city' [allowed]" in message and "row 1: 'Rome'" in message
    assert "column 'note' [not_empty] expected non-blank text" in message
    assert (
        "column 'note' [max_length] expected at most 20 characters: 1 row(s) fail, "
        "e.g. row 2: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'"
    ) in message
    # infinity is reported once, by `finite`, not again by the range check
    assert "[max]" not in message


def test_row_count_and_examples_are_exact() -> None:
    raw = frame(size=["a", "b", "7", "c"])
    with pytest.raises(DataValidationError) as caught:
        validate_raw(raw, PROBLEM, SCHEMA)
    message = str(caught.value)
    assert (
        "column 'size' [is_number] expected a number (float64): 3 row(s) fail, "
        "e.g. row 0: 'a', row 1: 'b', row 3: 'c'"
    ) in message


def test_long_example_values_are_cut() -> None:
    raw = frame(note=["fine", "y" * 500, "nice", "good"])
    with pytest.raises(DataValidationError, match=r"yyy\.\.\. \(500 characters\)"):
        validate_raw(raw, PROBLEM, SCHEMA)


def test_warning_severity_logs_and_continues(caplog) -> None:
    schema = {
        **SCHEMA,
        "columns": {
            **SCHEMA["columns"],
            "size": {"severity": "warning", "checks": {"max": 15}},
        },
    }
    with caplog.at_level(logging.WARNING):
        result = validate_raw(frame(), PROBLEM, schema)
    assert [v.check for v in result.warnings] == ["max"]
    assert result.warnings[0].failing_rows == 3
    assert "WARNING column 'size' [max] expected <= 15: 3 row(s) fail" in caplog.text


def test_a_check_can_override_its_column_severity() -> None:
    schema = {
        **SCHEMA,
        "columns": {
            **SCHEMA["columns"],
            "city": {
                "checks": {"allowed": {"value": ["Paris"], "severity": "warning"}}
            },
        },
    }
    result = validate_raw(frame(), PROBLEM, schema)
    assert [(v.column, v.check, v.severity) for v in result.violations] == [
        ("city", "allowed", "warning")
    ]


def test_warnings_are_listed_with_errors_when_the_run_stops() -> None:
    schema = {
        **SCHEMA,
        "columns": {
            **SCHEMA["columns"],
            "size": {"checks": {"max": {"value": 15, "severity": "warning"}}},
        },
    }
    raw = frame(city=["Paris", "Rome", "Paris", "Oslo"])
    with pytest.raises(DataValidationError) as caught:
        validate_raw(raw, PROBLEM, schema)
    assert "1 error(s), 1 warning(s)" in str(caught.value)
    assert "WARNING column 'size' [max]" in str(caught.value)


def test_integer_dtype_rejects_fractions() -> None:
    schema = {**SCHEMA, "columns": {"size": {"dtype": "int64"}}}
    with pytest.raises(
        DataValidationError,
        match=r"\[is_integer\] expected a whole number: 1 row\(s\) fail, e.g. row 1: 2.5",
    ):
        validate_raw(frame(size=[1.0, 2.5, 3.0, 4.0]), PROBLEM, schema)


def test_without_a_schema_section_declared_columns_and_types_are_still_checked() -> (
    None
):
    with pytest.raises(DataValidationError, match=r"column 'size' \[is_number\]"):
        validate_raw(frame(size=["1", "x", "2", "3"]), PROBLEM, None)
    assert validate_raw(frame(), PROBLEM, None).violations == []


@pytest.mark.parametrize(
    ("schema", "fragment"),
    [
        (
            {"columns": {"size": {"kind": "text"}}},
            "kind is 'text' but problem declares",
        ),
        (
            {"columns": {"size": {"checks": {"allowed": ["a"]}}}},
            "does not apply to a numeric column",
        ),
        (
            {"columns": {"note": {"checks": {"min": 0}}}},
            "does not apply to a text column",
        ),
        ({"columns": {"size": {"checks": {"min": "zero"}}}}, "must be a number"),
        ({"columns": {"ghost": {}}}, "which problem does not declare"),
        ({"severity": "fatal"}, "severity must be one of ['error', 'warning']"),
        (
            {"columns": {"size": {"dtype": "str"}}},
            "dtype must be one of ['float64', 'int64']",
        ),
        ({"min_rows": 0}, "schema.min_rows must be a positive integer"),
        ({"colums": {}}, "unknown key(s) ['colums']"),
        (
            {"columns": {"size": {"checks": {"min": {"severity": "warning"}}}}},
            "needs a 'value' key",
        ),
        (
            {"columns": {"note": {"checks": {"max_length": 0}}}},
            "must be a positive integer",
        ),
    ],
)
def test_malformed_schema_is_a_configuration_error(schema, fragment) -> None:
    with pytest.raises(ConfigurationError) as caught:
        parse_schema(PROBLEM, schema)
    assert fragment in str(caught.value)


def test_kind_and_dtype_default_from_the_problem() -> None:
    parsed = parse_schema(PROBLEM, {})
    kinds = {spec.name: (spec.kind, spec.dtype) for spec in parsed.columns}
    assert kinds == {
        "size": ("numeric", "float64"),
        "city": ("categorical", "str"),
        "note": ("text", "str"),
        "price": ("target", "float64"),
    }
    classification = {**PROBLEM, "task": "classification"}
    assert parse_schema(classification, {}).column("price").dtype == "str"


def test_validate_raw_data_node_passes_the_frame_through_with_a_report() -> None:
    raw = frame(extra=[1, 2, 3, 4])
    validated, report = validate_raw_data(raw, PROBLEM, SCHEMA)
    pd.testing.assert_frame_equal(validated, raw)
    assert report["dataset"] == "toy.raw"
    assert report["ignored_columns"] == ["extra"]
    assert report["errors"] == [] and report["warnings"] == []


# --- prediction-time records -----------------------------------------------------


def records(**overrides: list[Any]) -> pd.DataFrame:
    data = frame(**overrides).drop(columns=["price"])
    data.index = pd.Index([10, 11, 12, 13], name="request")
    return data


def test_records_without_target_split_into_valid_and_rejects() -> None:
    valid, rejects = validate_records(
        records(size=[10.0, -1.0, "big", 40.0], note=["ok", "ok", "", "ok"]),
        PROBLEM,
        SCHEMA,
    )
    assert valid.index.tolist() == [10, 13]
    assert rejects.index.tolist() == [11, 12]
    assert rejects.loc[11, "reasons"] == (
        "column 'size' [min] expected >= 0, found -1.0"
    )
    assert (
        "column 'size' [is_number] expected a number (float64), found 'big'"
        in (rejects.loc[12, "reasons"])
    )
    assert "column 'note' [not_empty]" in rejects.loc[12, "reasons"]
    assert list(valid.columns) == ["size", "city", "note"]


def test_unseen_category_at_prediction_time_is_a_warning_not_a_reject(caplog) -> None:
    with caplog.at_level(logging.WARNING):
        valid, rejects = validate_records(
            records(city=["Paris", "Lima", "Oslo", "Paris"]), PROBLEM, SCHEMA
        )
    assert len(valid) == 4 and rejects.empty
    assert "column 'city' [allowed]" in caplog.text and "Lima" in caplog.text


def test_records_missing_a_feature_column_are_refused() -> None:
    with pytest.raises(
        DataValidationError, match=r"lack the feature column\(s\) \['note'\]"
    ):
        validate_records(records().drop(columns=["note"]), PROBLEM, SCHEMA)


def test_records_missing_values_in_a_required_column_are_rejected() -> None:
    valid, rejects = validate_records(
        records(size=[1.0, None, 3.0, 4.0]), PROBLEM, SCHEMA
    )
    assert rejects.index.tolist() == [11]
    assert "[not_nullable] expected a value (not missing)" in rejects.loc[11, "reasons"]


# --- the shipped configuration ---------------------------------------------------


@pytest.mark.parametrize("variant", ["housing", "spam"])
def test_shipped_schema_names_its_catalog_dataset(parameters, variant) -> None:
    assert parameters[variant]["schema"]["dataset"] == f"{variant}.raw"
    parse_schema(parameters[variant]["problem"], parameters[variant]["schema"])


def test_real_samples_pass_their_schema(
    housing_params, spam_params, housing_raw_sample, spam_raw_sample
) -> None:
    for params, sample in (
        (housing_params, housing_raw_sample),
        (spam_params, spam_raw_sample),
    ):
        result = validate_raw(sample, params["problem"], params["schema"])
        assert result.errors == []


def test_missing_columns_from_a_mis_split_header_point_at_the_delimiter() -> None:
    raw = pd.DataFrame({"size\tcity\tnote\tprice": ["1\tParis\tok\t2"]})
    with pytest.raises(DataValidationError) as caught:
        validate_raw(raw, PROBLEM, SCHEMA)
    message = str(caught.value)
    assert "4 error(s)" in message  # every declared column is reported
    assert "[present] expected a column named 'size'" in message
    assert (
        "the header was read as ONE column containing '\\t': the file looks "
        "tab-separated, so check load_args.sep"
    ) in message
