"""Multi-sentence dev sets for the whole-entry reading.

The heads are trained on single Reddit comments; a diary entry is several sentences of which often one carries the
feeling. `build_entries` assembles such entries from the GoEmotions dev split: one emotional sentence (sometimes
two of the same group) among 2–5 sentences labelled only `neutral`, shuffled with a fixed seed. The emotional
sentences are grouped into the seven self-report emotions of first-person accounts (joy, fear, anger, sadness,
disgust, shame, guilt) by summing GoEmotions labels (`GROUPS`); an entry's reading is scored by its top group
(macro-F1 over the seven) and by how often `neutral` is its top label (it never should be: every entry holds a
feeling). `read_accounts` reads hand-written accounts (`data/evaluation/entries_dev.jsonl`) scored the same way.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from visualizer.training.datasets import DatasetError, labelled_lines, read_goemotions
from visualizer.affect.labels import EMOTIONS, group_matrix

GROUPS: dict[str, tuple[str, ...]] = {
    "joy": ("joy", "amusement", "approval", "excitement", "gratitude", "love", "optimism", "relief", "pride",
            "admiration", "caring"),
    "fear": ("fear", "nervousness"),
    "anger": ("anger", "annoyance", "disapproval"),
    "sadness": ("sadness", "disappointment", "grief"),
    "disgust": ("disgust",),
    "shame": ("embarrassment",),
    "guilt": ("remorse",),
}
GROUP_NAMES: tuple[str, ...] = tuple(GROUPS)
_GROUP_OF = {label: group for group, labels in GROUPS.items() for label in labels}
_NEUTRAL = EMOTIONS.index("neutral")


@dataclass(frozen=True)
class LabelledEntry:
    text: str
    group: str  # one of GROUP_NAMES


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text[-1:] in ".!?…" else text + "."


def build_entries(goemotions_dev: str | Path, seed: int = 10, per_group: int = 150, pair_rate: float = 0.3,
                  filler: tuple[int, int] = (2, 5)) -> list[LabelledEntry]:
    """Entries of one emotional dev sentence (two of the same group at `pair_rate`) among 2–5 neutral ones.

    Emotional sentences are those whose labels all fall in one group (none `neutral`); each is used at most once,
    at most `per_group` entries per group. Filler sentences are dev rows labelled `neutral` alone, of 4+ words.
    Deterministic for a given file and seed.
    """
    examples = read_goemotions(goemotions_dev)
    rng = random.Random(seed)
    neutral, by_group = [], {g: [] for g in GROUP_NAMES}
    for example in examples:
        labels = {EMOTIONS[i] for i, t in enumerate(example.target) if t}
        if not example.text.strip():
            continue
        if labels == {"neutral"}:
            if len(example.text.split()) >= 4:
                neutral.append(_sentence(example.text))
            continue
        groups = {_GROUP_OF.get(label) for label in labels}
        if len(groups) == 1 and None not in groups:
            by_group[groups.pop()].append(_sentence(example.text))
    if not neutral:
        raise DatasetError(f"{goemotions_dev}: no neutral sentences to use as filler")
    entries = []
    for group in GROUP_NAMES:
        pool = by_group[group][:]
        rng.shuffle(pool)
        made = 0
        while pool and made < per_group:
            feeling = [pool.pop()]
            if len(pool) > 0 and rng.random() < pair_rate:
                feeling.append(pool.pop())
            sentences = rng.sample(neutral, rng.randint(*filler)) + feeling
            rng.shuffle(sentences)
            entries.append(LabelledEntry(" ".join(sentences), group))
            made += 1
    return entries


def read_accounts(path: str | Path) -> list[LabelledEntry]:
    """JSON lines `{"text", "label"}` with a label among GROUP_NAMES; a bad line is named by file and line."""
    return [LabelledEntry(row["text"], row["label"]) for row, _ in labelled_lines(path, GROUP_NAMES)]


def group_metrics(emotions: np.ndarray, groups: list[str]) -> dict:
    """Top-group macro-F1 over the groups the entries hold (a group no entry holds has no F1), per-group F1, and the
    rate of entries whose top label is neutral."""
    from sklearn.metrics import f1_score

    emotions = np.asarray(emotions).reshape(-1, len(EMOTIONS))
    predicted = (emotions @ group_matrix(GROUPS)).argmax(1)
    truth = np.array([GROUP_NAMES.index(g) for g in groups], dtype=int)
    held = np.unique(truth)
    scores = f1_score(truth, predicted, labels=held, average=None, zero_division=0)
    f1 = {GROUP_NAMES[k]: float(score) for k, score in zip(held, scores)}
    return {"macro_f1_groups": float(scores.mean()),
            "neutral_top_rate": float((emotions.argmax(1) == _NEUTRAL).mean()),
            "n": int(len(emotions)), "f1_by_group": {k: round(v, 4) for k, v in f1.items()}}
