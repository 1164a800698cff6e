"""Schema validation: config checks, every violation collected, severities,
messages, records to score, and the one engine's checks on arrays."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
import pytest

from ml_workflow.core.config import Problem, Schema, load_variant
from ml_workflow.core.validation import (
    Check,
    raw_schema,
    record_failures,
    validate_raw,
    validate_records,
)
from ml_workflow.core.validation.checks import RULES
from ml_workflow.core.validation.engine import failures
from ml_workflow.errors import ConfigurationError, DataValidationError
from ml_workflow.pipelines.data_processing.nodes import validate_raw_data

PROBLEM_SPEC: dict[str, Any] = {
    "task": "regression",
    "target": "price",
    "features": {"numeric": ["size"], "categorical": ["city"], "text": ["note"]},
}
PROBLEM = Problem.model_validate(PROBLEM_SPEC)
CANDIDATES = [{"name": "linear", "estimator": "sklearn.linear_model.LinearRegression"}]
SCHEMA_SPEC: dict[str, Any] = {
    "dataset": "toy.raw",
    "min_rows": 3,
    "columns": {
        "size": {"nullable": False, "checks": {"min": 0, "max": 1000, "finite": True}},
        "city": {"checks": {"allowed": ["Paris", "Oslo"]}},
        "note": {"checks": {"not_empty": True, "max_length": 20}},
        "price": {"checks": {"min": 0}},
    },
}
SCHEMA = Schema.model_validate(SCHEMA_SPEC)


def schema_with(**columns: Any) -> Schema:
    """SCHEMA with some columns' rules replaced, checked with the problem as a
    variant's parameters are."""
    spec = {**SCHEMA_SPEC, "columns": {**SCHEMA_SPEC["columns"], **columns}}
    config = load_variant(
        "toy", {"problem": PROBLEM_SPEC, "schema": spec, "candidates": CANDIDATES}
    )
    return config.data_schema


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
    schema = schema_with(size={"severity": "warning", "checks": {"max": 15}})
    with caplog.at_level(logging.WARNING):
        result = validate_raw(frame(), PROBLEM, schema)
    assert [v.check for v in result.warnings] == ["max"]
    assert result.warnings[0].failing_rows == 3
    assert "WARNING column 'size' [max] expected <= 15: 3 row(s) fail" in caplog.text


def test_a_check_can_override_its_column_severity() -> None:
    schema = schema_with(
        city={"checks": {"allowed": {"value": ["Paris"], "severity": "warning"}}}
    )
    result = validate_raw(frame(), PROBLEM, schema)
    assert [(v.column, v.check, v.severity) for v in result.violations] == [
        ("city", "allowed", "warning")
    ]


def test_warnings_are_listed_with_errors_when_the_run_stops() -> None:
    schema = schema_with(size={"checks": {"max": {"value": 15, "severity": "warning"}}})
    raw = frame(city=["Paris", "Rome", "Paris", "Oslo"])
    with pytest.raises(DataValidationError) as caught:
        validate_raw(raw, PROBLEM, schema)
    assert "1 error(s), 1 warning(s)" in str(caught.value)
    assert "WARNING column 'size' [max]" in str(caught.value)


def test_integer_dtype_rejects_fractions() -> None:
    schema = Schema.model_validate(
        {**SCHEMA_SPEC, "columns": {"size": {"dtype": "int64"}}}
    )
    with pytest.raises(
        DataValidationError,
        match=r"\[is_integer\] expected a whole number: 1 row\(s\) fail, e.g. row 1: 2.5",
    ):
        validate_raw(frame(size=[1.0, 2.5, 3.0, 4.0]), PROBLEM, schema)


def test_without_a_schema_section_declared_columns_and_types_are_still_checked() -> (
    None
):
    # a variant without a `schema` section gets the default Schema
    default = load_variant(
        "toy", {"problem": PROBLEM_SPEC, "candidates": CANDIDATES}
    ).data_schema
    assert default.columns == {}
    with pytest.raises(DataValidationError, match=r"column 'size' \[is_number\]"):
        validate_raw(frame(size=["1", "x", "2", "3"]), PROBLEM, default)
    with pytest.raises(DataValidationError, match=r"\[present\] expected a column"):
        validate_raw(frame().drop(columns="note"), PROBLEM, default)
    # the default schema.min_rows (50) applies too
    with pytest.raises(DataValidationError, match=r"\[min_rows\].*found 4"):
        validate_raw(frame(), PROBLEM, default)
    enough = pd.concat([frame()] * 13, ignore_index=True)
    assert validate_raw(enough, PROBLEM, default).violations == []


@pytest.mark.parametrize(
    ("schema", "fragment"),
    [
        (
            {"columns": {"size": {"kind": "text"}}},
            "toy.schema.columns.size.kind: found 'text', but problem declares the "
            "column as 'numeric'",
        ),
        (
            {"columns": {"size": {"checks": {"allowed": ["a"]}}}},
            "toy.schema.columns.size.checks.allowed: does not apply to a numeric column",
        ),
        (
            {"columns": {"note": {"checks": {"min": 0}}}},
            "toy.schema.columns.note.checks.min: does not apply to a text column",
        ),
        (
            {"columns": {"size": {"checks": {"min": "zero"}}}},
            "toy.schema.columns.size.checks.min: Input should be a valid number",
        ),
        (
            {"columns": {"ghost": {}}},
            "toy.schema.columns.ghost: 'ghost' is not a declared feature or the target",
        ),
        (
            {"severity": "fatal"},
            "toy.schema.severity: Input should be 'error' or 'warning' (found 'fatal')",
        ),
        (
            {"columns": {"size": {"dtype": "str"}}},
            "toy.schema.columns.size.dtype: found 'str'; expected one of "
            "['float64', 'int64']",
        ),
        (
            {"min_rows": 0},
            "toy.schema.min_rows: Input should be greater than or equal to 1",
        ),
        ({"colums": {}}, "toy.schema.colums: unknown key (misspelt?)"),
        (
            {"columns": {"size": {"checks": {"min": {"severity": "warning"}}}}},
            "toy.schema.columns.size.checks.min.value: Field required",
        ),
        (
            {"columns": {"note": {"checks": {"max_length": 0}}}},
            "toy.schema.columns.note.checks.max_length: Input should be greater than "
            "or equal to 1",
        ),
    ],
)
def test_malformed_schema_is_a_configuration_error(schema, fragment) -> None:
    """Schema mistakes are refused when the parameters are loaded, before any node."""
    with pytest.raises(ConfigurationError) as caught:
        load_variant(
            "toy", {"problem": PROBLEM_SPEC, "schema": schema, "candidates": CANDIDATES}
        )
    assert fragment in str(caught.value)


def test_kind_and_dtype_default_from_the_problem() -> None:
    parsed = raw_schema(PROBLEM, Schema())
    kinds = {spec.name: (spec.kind, spec.dtype) for spec in parsed.columns}
    assert kinds == {
        "size": ("numeric", "float64"),
        "city": ("categorical", "str"),
        "note": ("text", "str"),
        "price": ("target", "float64"),
    }
    classification = Problem.model_validate(
        {**PROBLEM_SPEC, "task": "classification", "positive_class": "1"}
    )
    assert raw_schema(classification, Schema()).column("price").dtype == "str"


def test_schema_defaults_name_the_variant_dataset_and_the_row_minimums() -> None:
    config = load_variant("toy", {"problem": PROBLEM_SPEC, "candidates": CANDIDATES})
    schema = config.data_schema
    assert (schema.dataset, schema.min_rows, schema.min_rows_per_class) == (
        "toy.raw",
        50,
        10,
    )
    assert raw_schema(PROBLEM, schema).dataset == "toy.raw"


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
    schema = parameters[variant]["schema"]
    assert schema.dataset == f"{variant}.raw"
    parsed = raw_schema(parameters[variant]["problem"], schema)
    assert parsed.dataset == f"{variant}.raw"
    assert {spec.name for spec in parsed.columns} == set(schema.columns)


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


# --- the one engine: each check on arrays of values --------------------------

CHECK_CASES = [
    ("is_number", "float64", ["1", "x", None, 2.5], [False, True, False, False]),
    ("is_integer", None, [1.0, 2.5, None, "3"], [False, True, False, False]),
    # infinity is the `finite` check's to report, not a range check's
    ("min", 0, [-1, 0, "x", None, -np.inf], [True, False, False, False, False]),
    ("max", 10, [11, 10.0, np.inf, None], [True, False, False, False]),
    (
        "finite",
        True,
        [np.inf, -np.inf, 1.0, None, "inf"],
        [True, True, False, False, True],
    ),
    # an unreadable date is is_datetime's to report, not a range check's
    ("is_datetime", True, ["2024-05-31", "31st May", None], [False, True, False]),
    (
        "min_date",
        "2024-01-01",
        ["2023-12-31", "2024-01-01 00:00", "x", None],
        [True, False, False, False],
    ),
    (
        "max_date",
        "2024-01-01",
        ["2024-01-02", "2023-06-30", None],
        [True, False, False],
    ),
    (
        "allowed",
        ["a", "b"],
        ["a", " b ", "c", None, 1],
        [False, False, True, False, True],
    ),
    ("not_empty", True, ["x", "  ", "", None], [False, True, True, False]),
    ("max_length", 3, ["abc", "abcd", None], [False, True, False]),
    (
        "single_line",
        True,
        ["a", "a\nb", "a\tb", "a\rb", None],
        [False, True, True, True, False],
    ),
]


def test_every_check_has_a_case_here() -> None:
    assert sorted(name for name, *_ in CHECK_CASES) == sorted(RULES)


@pytest.mark.parametrize(("name", "argument", "values", "expected"), CHECK_CASES)
def test_each_check_finds_the_failing_values_of_an_array(
    name: str, argument: Any, values: list[Any], expected: list[bool]
) -> None:
    check = Check("column", name, "error", argument)
    failing = check.failing(np.asarray(values, dtype=object))
    assert failing.dtype == bool
    assert failing.tolist() == expected
    # missing values never fail a value check: `nullable` is about them
    assert check.failing(np.asarray([None, np.nan], dtype=object)).tolist() == [
        False,
        False,
    ]


def test_checks_read_typed_arrays_as_well_as_raw_objects() -> None:
    values = np.asarray([-1.0, 2.0, np.nan])
    assert Check("x", "min", "error", 0).failing(values).tolist() == [
        True,
        False,
        False,
    ]
    assert Check("x", "is_number", "error", "float64").failing(values).tolist() == [
        False,
        False,
        False,
    ]


def test_a_check_states_what_passes_and_its_json_schema() -> None:
    assert Check("x", "min", "error", 0).expected == ">= 0"
    assert Check("x", "allowed", "error", ["b", "a"]).expected == "one of ['a', 'b']"
    assert Check("x", "max_length", "error", 5).json_schema() == {"maxLength": 5}
    assert Check("x", "allowed", "error", ["a", 1]).json_schema() == {
        "examples": ["a", "1"]
    }
    assert Check("x", "finite", "error", True).json_schema() == {}


def test_engine_reports_failing_positions_per_check_and_relaxes_on_request() -> None:
    specs = raw_schema(PROBLEM, SCHEMA).columns
    columns = {
        "size": np.asarray([1.0, -1.0, None], dtype=object),
        "city": np.asarray(["Paris", "Lima", "Oslo"], dtype=object),
        # "note" and "price" are absent: presence is the caller's concern
    }
    found = failures(columns, specs)
    assert [(f.column, f.check, f.severity, f.positions.tolist()) for f in found] == [
        ("size", "not_nullable", "error", [2]),
        ("size", "min", "error", [1]),
        ("city", "allowed", "error", [1]),
    ]
    relaxed = failures(columns, specs, relax=frozenset({"allowed"}))
    assert [f.severity for f in relaxed if f.check == "allowed"] == ["warning"]


def test_record_failures_gives_each_record_its_reasons() -> None:
    reasons, warnings = record_failures(
        records(size=[10.0, -1.0, None, 40.0], city=["Paris", "Lima", "Oslo", "Oslo"]),
        raw_schema(PROBLEM, SCHEMA),
    )
    assert reasons[0] == [] and reasons[3] == []
    (too_small,) = reasons[1]
    assert too_small.startswith("column 'size' [min] expected >= 0, found ")
    assert "-1.0" in too_small
    (absent,) = reasons[2]
    assert absent.startswith(
        "column 'size' [not_nullable] expected a value (not missing), found "
    )
    # an unseen category is a warning for records, never a reason to reject
    assert [(w.column, w.check, w.positions.tolist()) for w in warnings] == [
        ("city", "allowed", [1])
    ]
