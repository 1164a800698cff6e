"""Generate SMS-like messages, N times the shipped SMS Spam Collection.

Plain resampling would give exact duplicates, which cleaning drops. Each
generated message is instead a real message (drawn with replacement, seeded,
keeping its label) with seeded token-level changes WITHIN its class:

- each word is swapped, with probability 0.15 (at least one word per
  message), for a word drawn from a random message of the same class
  (recombination: spam words stay spammy);
- each run of digits (phone numbers, short codes, prices) is replaced by new
  random digits of the same length, as new real messages bring new numbers;
- with probability 0.1 one word is dropped and with 0.1 one is repeated.

The first copy of the data is the real data unchanged, so factor 1 gives
exactly the shipped messages. Remaining exact duplicates are few and
cleaning drops them, as it does in the real data.

    python benchmarks/generate_spam.py --factor 10 --out /tmp/sms10.parquet
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "01_raw" / "sms_spam.tsv"
_DIGITS = re.compile(r"\d+")


def load_sms() -> pd.DataFrame:
    """The shipped SMS data, read as its catalog entry reads it."""
    return pd.read_csv(
        SOURCE,
        sep="\t",
        quoting=csv.QUOTE_NONE,
        keep_default_na=False,
        na_values=[""],
    )


def _variant(
    words: list[str], pool: list[list[str]], generator: np.random.Generator
) -> str:
    swaps = generator.random(len(words)) < 0.15
    if len(words) and not swaps.any():  # at least one change per message
        swaps[generator.integers(len(words))] = True
    out = []
    for original, swap in zip(words, swaps, strict=True):
        word = original
        if swap:
            donor = pool[generator.integers(len(pool))]
            word = donor[generator.integers(len(donor))] if donor else original
        out.append(
            _DIGITS.sub(
                lambda match: "".join(
                    map(str, generator.integers(0, 10, len(match.group())))
                ),
                word,
            )
        )
    if len(out) > 2 and generator.random() < 0.1:
        out.pop(int(generator.integers(len(out))))
    if out and generator.random() < 0.1:
        position = int(generator.integers(len(out)))
        out.insert(position, out[position])
    return " ".join(out)


def generate_spam(factor: int, seed: int = 0) -> pd.DataFrame:
    """Return ``factor`` x the shipped rows: the real ones, then variants."""
    real = load_sms()
    if factor <= 1:
        return real
    generator = np.random.default_rng(seed)
    messages = real["message"].fillna("").astype(str)
    words = [message.split() for message in messages]
    pools = {
        label: [words[i] for i in np.flatnonzero(real["label"].to_numpy() == label)]
        for label in real["label"].unique()
    }
    extra = len(real) * (factor - 1)
    picks = generator.integers(0, len(real), size=extra)
    labels = real["label"].to_numpy()[picks]
    generated = [
        _variant(words[index], pools[label], generator)
        for index, label in zip(picks, labels, strict=True)
    ]
    return pd.concat(
        [real, pd.DataFrame({"label": labels, "message": generated})],
        ignore_index=True,
    )


def main() -> None:
    """Write the generated messages to ``--out`` (Parquet or TSV by suffix)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, required=True, help="x shipped rows")
    parser.add_argument("--out", type=Path, required=True, help=".parquet or .tsv")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    arguments = parser.parse_args()
    frame = generate_spam(arguments.factor, arguments.seed)
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    if arguments.out.suffix == ".parquet":
        frame.to_parquet(arguments.out, index=False)
    else:
        frame.to_csv(arguments.out, sep="\t", quoting=csv.QUOTE_NONE, index=False)
    print(f"wrote {len(frame):,} rows to {arguments.out}")  # noqa: T201


if __name__ == "__main__":
    main()
