"""What `kedro variant create` prints about the variant it planned: the task,
how the file is read, repeated rows, what a run would refuse, and each
column's kind with its reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .repeats import keeps_repeats

if TYPE_CHECKING:
    from .variant import VariantPlan


def plan_summary(plan: VariantPlan) -> list[str]:
    """The lines printed after a variant is planned, before the files written."""
    lines = [
        f"Variant '{plan.name}': {plan.task} of '{plan.target}' "
        f"({plan.task_reason}), {plan.rows:,} rows."
    ]
    if plan.load_args and plan.file_format == "csv":
        read_as = ", ".join(f"{key} {value!r}" for key, value in plan.load_args.items())
        lines.append(f"  read as: {read_as} (catalog_{plan.name}.yml reads it so)")
    if plan.repeated_rows:
        kept = keeps_repeats(plan.repeated_rows, bool(plan.features("text")))
        lines.append(
            f"  repeated rows: {plan.repeated_rows:,} "
            + ("(kept: records alike)" if kept else "(cleaning drops them: copies)")
        )
    lines += [
        f"  warning: a run will refuse this data as it is: {refusal}. Lower that "
        f"setting in the schema of parameters_{plan.name}.yml to run it anyway "
        "(scores on so few rows are mostly noise)"
        for refusal in plan.refusals
    ]
    if plan.positive_class is not None:
        lines.append(f"  positive class: {plan.positive_class}")
    elif plan.task == "classification":
        lines.append(f"  multiclass: {len(plan.labels)} classes {plan.labels[:10]}")
    for kind in ("numeric", "categorical", "datetime", "text", "drop"):
        columns = [c for c in plan.columns if c.kind == kind]
        if columns:
            label = "dropped" if kind == "drop" else kind
            lines.append(
                f"  {label}: " + ", ".join(f"{c.name} ({c.reason})" for c in columns)
            )
    return lines


__all__ = ["plan_summary"]
