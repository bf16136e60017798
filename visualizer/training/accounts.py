"""First-person accounts of emotional events as training material for the emotion head (`data/accounts.toml`).

The heads first learned from Reddit comments, and a diary is not a comment: writers tell what happened and let
the feeling show. crowd-enVENT (6,548 accounts of real events, 13 emotions, with a reader-validated test split)
and enISEAR (995 accounts, 7 emotions, emotion words blanked) are written that way. Each account's label is the
feeling its writer reported; it trains the sum of a group of the 28 labels (`account_loss` in `affect_heads`).

The same accounts teach the valence head how their writers felt about the event (`read_account_valence`): EmoBank's
readers rated news, letters and fiction, and a loss told plainly ("found his handwriting on a shopping list") read
as mildly pleasant to a head that learned from them alone.

Dev figures come from enVENT's test split (`envent_split`), which never trains the shipped head.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from visualizer.training.datasets import Example, labelled_lines

ACCOUNTS_FILE = Path(__file__).with_name("data") / "accounts.toml"


@cache
def _table() -> dict:
    with ACCOUNTS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def account_groups() -> dict[str, tuple[str, ...]]:
    """Writer's label → the GoEmotions labels whose sum it trains."""
    return {label: tuple(members) for label, members in _table()["groups"].items()}


def _labelled(path: Path) -> Iterator[tuple[dict, list[float] | None]]:
    """Each account row and its one-hot target over `account_groups()` (None for a label left out)."""
    groups = tuple(account_groups())
    for row, column in labelled_lines(path, groups + tuple(_table()["training"]["left_out"])):
        yield row, [float(i == column) for i in range(len(groups))] if column < len(groups) else None


def envent_split(data: str | Path, split: str) -> list[dict]:
    """crowd-enVENT rows of one `split_suggestion` (`train` or `test`, the reader-validated one)."""
    path = Path(data) / "envent" / "crowd_envent.jsonl"
    return [row for row, _ in _labelled(path) if row.get("split_suggestion") == split]


def read_account_valence(data: str | Path) -> list[Example]:
    """enVENT's train split as written, each with its writer's valence on EmoBank's 1–5 scale (`[valence]` of
    data/accounts.toml: 3 + scale · (pleasantness − unpleasantness) / 4, from the writer's own appraisal ratings)."""
    scale = float(_table()["valence"]["scale"])
    examples = []
    for row, _ in _labelled(Path(data) / "envent" / "crowd_envent.jsonl"):
        appraisals = row.get("appraisals_1to5") or {}
        if row.get("split_suggestion") != "train" or not {"pleasantness", "unpleasantness"} <= appraisals.keys():
            continue
        examples.append(Example(row["text"],
                                [3.0 + scale * (appraisals["pleasantness"] - appraisals["unpleasantness"]) / 4]))
    return examples


def account_valence_weight() -> float:
    """How much one account weighs in the valence head's loss, against one EmoBank sentence."""
    return float(_table()["valence"]["weight"])


def read_accounts(data: str | Path) -> list[Example]:
    """enVENT's train split (as written and, with `masked_copies`, with its emotion words blanked) and all of
    enISEAR, as one-hot targets over `account_groups()`; labels without a group (boredom) are left out."""
    masked = bool(_table()["training"]["masked_copies"])
    examples = []
    for row, target in _labelled(Path(data) / "envent" / "crowd_envent.jsonl"):
        if target is None or row.get("split_suggestion") != "train":
            continue
        examples.append(Example(row["text"], target))
        if masked and row.get("text_masked") and row["text_masked"] != row["text"]:
            examples.append(Example(row["text_masked"], target))
    for row, target in _labelled(Path(data) / "enisear" / "enisear.jsonl"):
        if target is not None:
            examples.append(Example(row["text"], target))
    return examples
