"""The stage-1 training recipes of the shipped models, read from `data/recipes.toml`.

A module of its own, free of torch, so `visualizer train --help` can quote the defaults it documents from the
same file the trainer reads, and the two cannot drift.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

RECIPES_FILE = Path(__file__).with_name("data") / "recipes.toml"


@cache
def recipes() -> dict[str, dict[str, float | int | bool]]:
    """{"english": {...}, "multilingual": {...}}: each model's values for the `TrainOptions` left as None."""
    with RECIPES_FILE.open("rb") as handle:
        return tomllib.load(handle)
