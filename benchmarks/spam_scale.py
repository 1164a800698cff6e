"""Spam at N times the shipped data: TF-IDF against the hashing vectorizer.

For each factor, messages from benchmarks/generate_spam.py (factor 1: the
shipped file itself) are the raw data of a throw-away copy of the project,
and ``kedro run --env <generated> --pipelines spam`` runs as its own process,
once with the shipped TF-IDF vectorizer and once with
``preprocessing.text_vectorizer: {kind: hashing, n_features: 262144, ...}``
(the shipped ngram_range and sublinear_tf kept; min_df dropped, hashing has
no vocabulary to prune).

The parameters are the shipped ones plus these scale settings, printed with
the table: ``candidates`` limited to the shipped naive_bayes (the model the
shipped data chooses; its alpha search and decision threshold tuning stay),
``model_selection.max_rows: 20000`` and ``evaluation.learning_curve.max_rows:
20000``. ``--all-candidates`` keeps all four shipped candidates.

    python benchmarks/spam_scale.py                    # 1x 10x 100x
    python benchmarks/spam_scale.py --factors 1 10

By default each run stops at ``spam.metrics`` (``--to-outputs``: validate,
clean, split, select/tune, fit, evaluate), the part whose cost the text
vectorizer drives; ``--full`` adds the plots, diagnostics and report.

Prints time, peak memory, model file size and test F1 per run; asserts nothing.
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil

from generate_spam import generate_spam
from harness import (
    MEMORY_METHOD,
    base_parameters,
    copy_project,
    kedro_run,
    load_average,
    measure,
    print_row,
    write_environment,
)

VARIANT = "spam"
RAW = "data/01_raw/spam_generated.parquet"
WIDTHS = (7, 9, 11, 9, 10, 11, 9, 7, 6)


def parameters_for(kind: str, all_candidates: bool) -> dict:
    """The shipped spam parameters with the scale settings and vectorizer."""
    parameters = copy.deepcopy(base_parameters(VARIANT))
    if not all_candidates:
        parameters["candidates"] = [
            c for c in parameters["candidates"] if c["name"] == "naive_bayes"
        ]
    # a section the shipped file leaves out keeps its defaults (the models')
    parameters.setdefault("model_selection", {})["max_rows"] = 20_000
    evaluation = parameters.setdefault("evaluation", {})
    evaluation.setdefault("learning_curve", {})["max_rows"] = 20_000
    if kind == "hashing":
        preprocessing = parameters.setdefault("preprocessing", {})
        shipped = preprocessing.get("text_vectorizer") or {}
        preprocessing["text_vectorizer"] = {
            "kind": "hashing",
            "n_features": 2**18,
            **{k: shipped[k] for k in ("ngram_range", "sublinear_tf") if k in shipped},
        }
    return parameters


def main() -> None:
    """Measure every factor with both vectorizers; print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[1:]),
    )
    parser.add_argument(
        "--factors", type=int, nargs="+", default=[1, 10, 100], help="x shipped rows"
    )
    parser.add_argument(
        "--vectorizers", nargs="+", default=["tfidf", "hashing"], help="kinds"
    )
    parser.add_argument(
        "--all-candidates", action="store_true", help="keep the four candidates"
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="run the whole spam pipeline (default: up to metrics.json)",
    )
    arguments = parser.parse_args()

    project = copy_project()
    print(f"project copy: {project}")  # noqa: T201
    for kind in arguments.vectorizers:
        shown = parameters_for(kind, arguments.all_candidates)
        print(  # noqa: T201
            f"{kind}: text_vectorizer={shown['preprocessing']['text_vectorizer']}; "
            f"candidates={[c['name'] for c in shown['candidates']]}; "
            "model_selection.max_rows=20000; learning_curve.max_rows=20000"
        )
    print(  # noqa: T201
        "pipeline: "
        + ("whole spam pipeline" if arguments.full else "--to-outputs spam.metrics")
    )
    print(f"memory: {MEMORY_METHOD}")  # noqa: T201
    print_row(
        (
            "factor",
            "rows",
            "vectorizer",
            "seconds",
            "tree MB",
            "process MB",
            "model MB",
            "test F1",
            "load",
        ),
        WIDTHS,
    )
    for factor in arguments.factors:
        data = generate_spam(factor)
        catalog = {}
        if factor > 1:
            data.to_parquet(project / RAW, index=False)
            catalog[f"{VARIANT}.raw"] = {
                "type": "ml_workflow.datasets.ReadOnlyParquetDataset",
                "filepath": RAW,
            }
        for kind in arguments.vectorizers:
            env = f"spam_{kind}"
            write_environment(
                project,
                env,
                catalog,
                {VARIANT: parameters_for(kind, arguments.all_candidates)},
            )
            for folder in ("06_models", "08_reporting"):
                shutil.rmtree(project / "data" / folder, ignore_errors=True)
            command = ["--env", env, "--pipelines", VARIANT]
            if not arguments.full:
                command += ["--to-outputs", f"{VARIANT}.metrics"]
            result = measure(kedro_run(command), project)
            load = load_average()
            metrics_path = project / "data/08_reporting" / VARIANT / "metrics.json"
            models = list((project / "data/06_models" / VARIANT).rglob("model.skops"))
            if result.returncode == 0 and metrics_path.exists():
                f1 = f"{json.loads(metrics_path.read_text())['test']['f1']:.4f}"
            else:
                f1 = f"exit {result.returncode}"
            size = sum(path.stat().st_size for path in models) / 2**20
            print_row(
                (
                    f"{factor}x",
                    f"{len(data):,}",
                    kind,
                    f"{result.seconds:.1f}",
                    f"{result.tree_peak_mb:,.0f}",
                    f"{result.process_peak_mb:,.0f}",
                    f"{size:.1f}",
                    f1,
                    load,
                ),
                WIDTHS,
            )
    shutil.rmtree(project, ignore_errors=True)


if __name__ == "__main__":
    main()
