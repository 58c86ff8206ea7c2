"""Train the parser's CRF on anystyle-format labelled references.

Run from the project root (the data stays in ``../shared``, never in the project)::

    python -m refman.parsing.train                 # writes refman/parsing/data/model.crfsuite
    python -m refman.parsing.train --data DIR --output PATH --all
    python -m refman.parsing.train --dev 1 --output /tmp/dev1.crfsuite   # for choices

One reference in ten (a fixed hash of its text) is held out for
``benchmarks/parse_accuracy.py`` unless ``--all`` is given; ``--dev N`` leaves out one
more tenth, a dev split to measure candidate features and parameters on. The run is
deterministic: the same code and data give the same model bytes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from refman.errors import RefmanError
from refman.parsing import dataset
from refman.parsing.crf import model_path, write_attributes
from refman.parsing.features import sequence_features

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = PROJECT_ROOT.parent / "shared" / "data" / "parsing"
"""``../shared/data/parsing`` beside the project checkout (the data is never copied in)."""
TRAINER_PARAMS = {
    "c1": 0.05,
    "c2": 0.005,
    "max_iterations": 200,
    "feature.possible_transitions": True,
}


def load_training_set(
    data: Path, *, include_held_out: bool = False, without_dev: int | None = None
) -> list[dataset.Sequence]:
    """The references to train on: every file under ``data`` minus the held-out split
    (and minus one dev split when choosing features or parameters)."""
    sequences = [seq for path in dataset.data_files(data) for seq in dataset.read_sequences(path)]
    if without_dev is not None:
        return dataset.split(sequences, dev=without_dev)[0]
    train, held_out = dataset.split(sequences)
    return train + held_out if include_held_out else train


def train(sequences: Sequence[dataset.Sequence], output: Path) -> None:
    """Fit the CRF on ``sequences``; write the model file to ``output`` and its attribute
    list beside it."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for sequence in sequences:
        tokens, labels = sequence.tokens_and_labels()
        trainer.append(sequence_features(tokens), labels)
    trainer.set_params(TRAINER_PARAMS)
    output.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(output))
    write_attributes(output)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: parse options, train, say where the model went."""
    parser = argparse.ArgumentParser(prog="python -m refman.parsing.train", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of *.xml files")
    parser.add_argument("--output", type=Path, default=model_path(), help="model file to write")
    parser.add_argument("--all", action="store_true", help="also train on the held-out split")
    parser.add_argument(
        "--dev",
        type=int,
        choices=dataset.DEV_BUCKETS,
        metavar="N",
        help="leave dev split N (1-9) out too, to measure on it",
    )
    args = parser.parse_args(argv)
    try:
        sequences = load_training_set(args.data, include_held_out=args.all, without_dev=args.dev)
        train(sequences, args.output)
    except RefmanError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"trained on {len(sequences)} references -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
