"""Model cards: every shipped weights file says what it is, what it learned from and what it leans on.

A card has two halves beside the weights `NAME.safetensors`:

- `NAME.card.toml`, written by hand: what the component does, the command that retrains it, and every dataset it
  learned from with its source and terms (credit is owed to each);
- `NAME.json`, written by training: its figures (the keys the card's `figures` names) and `depends_on`, the
  SHA-256 of each file whose change would make it stale (the crisis rules a probe's threshold was set on top of,
  the multilingual model whose layers the Chinese group reader reads). A TOML file is compared by its content, so
  editing a comment stales nothing. (The affect weights a probe reads are held harder still: a probe trained on
  other weights is refused, `safety.probe.load`.)

`changed(card)` names each dependency that no longer matches, and `warn_if_stale` says so once per file when the
reading loads it, with the command that retrains it. `docs/models.md` is generated from the cards
(`python -m visualizer.training.model_cards`), so the page cannot drift from what ships.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from visualizer.errors import UserError

PACKAGE = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Dataset:
    """A dataset a component learned from, credited as its card states."""

    name: str
    use: str      # what the component took from it
    source: str   # paper or origin
    terms: str    # licence or terms of use


@dataclass(frozen=True)
class Card:
    weights: Path
    summary: str
    retrain: str
    datasets: tuple[Dataset, ...]
    figures: dict
    depends_on: dict[str, str]

    @property
    def name(self) -> str:
        return self.weights.name


def card_file(weights: Path) -> Path:
    return weights.with_name(f"{weights.stem}.card.toml")


def read_card(weights: str | Path) -> Card:
    """The card of `weights`; UserError naming the file when either half is missing or malformed."""
    weights = Path(weights)
    path = card_file(weights)
    try:
        with path.open("rb") as handle:
            written = tomllib.load(handle)
        trained = json.loads(weights.with_suffix(".json").read_text(encoding="utf-8"))
        datasets = tuple(Dataset(**entry) for entry in written.get("datasets", []))
        figures = {key: trained[key] for key in written["figures"]}
        return Card(weights, written["summary"].strip(), written["retrain"].strip(), datasets, figures,
                    dict(trained.get("depends_on", {})))
    except (OSError, tomllib.TOMLDecodeError, json.JSONDecodeError, KeyError, TypeError) as error:
        raise UserError(f"{path}: not a usable model card ({type(error).__name__}: {error})") from None


def digest(relative: str) -> str:
    """SHA-256 of a file of the package (`relative` to `visualizer/`): of its bytes, or for TOML of its content."""
    path = PACKAGE / relative
    if path.suffix == ".toml":
        with path.open("rb") as handle:
            content = json.dumps(tomllib.load(handle), sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(content).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def changed(card: Card) -> list[str]:
    """The dependencies of `card` whose file is missing or no longer matches the digest it was trained with."""
    return [relative for relative, wanted in card.depends_on.items()
            if not (PACKAGE / relative).is_file() or digest(relative) != wanted]


@lru_cache(maxsize=None)
def warn_if_stale(weights: Path) -> None:
    """Warn (once per file) when a component loads although something it was trained on top of has changed."""
    card = read_card(weights)
    stale = changed(card)
    if stale:
        warnings.warn(f"{card.name} was trained on an earlier {', '.join(stale)}; it still loads, but its "
                      f"figures were measured with the earlier one (retrain: {card.retrain})", stacklevel=2)
