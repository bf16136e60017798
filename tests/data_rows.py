"""The JSON-lines sets the tests read, read one way: our evaluation sets (data/evaluation) and the lines the models
and rules were trained or tuned on (data/training), each file named once in one of the two folders."""

from __future__ import annotations

from pathlib import Path

from visualizer.training.datasets import json_lines

DATA = Path(__file__).resolve().parents[1] / "data"
EVALUATION, TRAINING = DATA / "evaluation", DATA / "training"


def read_rows(path: str | Path) -> list[dict]:
    """One dict per non-blank line; a bare file name is looked up in data/evaluation, then data/training."""
    if isinstance(path, str):
        path = next((folder / path for folder in (EVALUATION, TRAINING) if (folder / path).is_file()), EVALUATION / path)
    return [row for row, _ in json_lines(path, ())]
