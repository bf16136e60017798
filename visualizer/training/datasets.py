"""Readers for the training/evaluation sets; malformed rows are reported by file and line."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from visualizer.affect.labels import EMOTIONS, WEIBO_GROUPS
from visualizer.errors import UserError


class DatasetError(UserError):
    """A dataset file that cannot be used, with the file and line at fault."""


@dataclass
class Example:
    text: str
    target: list[float]


def _open(path: str | Path):
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    try:
        return path.open(encoding="utf-8", newline="")
    except OSError as error:
        raise DatasetError(f"{path}: {error.strerror}") from error


def _rows(path: str | Path, reader_factory) -> list[tuple[int, list[str] | dict]]:
    with _open(path) as handle:
        try:
            reader = reader_factory(handle)
            return [(reader.line_num, row) for row in reader]
        except UnicodeDecodeError as error:
            raise DatasetError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from error
        except csv.Error as error:
            raise DatasetError(f"{path}: {error}") from error


def read_goemotions(path: str | Path) -> list[Example]:
    """`text<TAB>comma-separated label ids<TAB>id` rows → multi-hot targets over the 28 labels."""
    examples = []
    for line, row in _rows(path, lambda h: csv.reader(h, delimiter="\t", quoting=csv.QUOTE_NONE)):
        if len(row) < 2:
            raise DatasetError(f"{path}:{line}: expected text<TAB>label ids<TAB>id, got {len(row)} column(s)")
        target = [0.0] * len(EMOTIONS)
        try:
            for label in row[1].split(","):
                target[int(label)] = 1.0
        except (ValueError, IndexError) as error:
            raise DatasetError(f"{path}:{line}: bad label ids {row[1]!r} (expected 0–27)") from error
        examples.append(Example(row[0], target))
    return examples


def read_emobank(path: str | Path, split: str | None = None) -> list[Example]:
    """`id,split,V,A,D,text` rows (optionally of one split) → [V, A, D] targets on the 1–5 scale."""
    examples = []
    for line, row in _rows(path, csv.DictReader):
        if split and row.get("split") != split:
            continue
        try:
            target = [float(row["V"]), float(row["A"]), float(row["D"])]
            text = row["text"]
        except (KeyError, TypeError, ValueError) as error:
            raise DatasetError(f"{path}:{line}: expected columns id,split,V,A,D,text with numeric V/A/D") from error
        examples.append(Example(text or "", target))
    return examples


def read_dreaddit(path: str | Path) -> list[Example]:
    """CSV with `text` and `label` (1 stressed, 0 not) columns."""
    examples = []
    for line, row in _rows(path, csv.DictReader):
        try:
            label = int(row["label"])
            text = row["text"]
        except (KeyError, TypeError, ValueError) as error:
            raise DatasetError(f"{path}:{line}: expected columns text,label with label 0 or 1") from error
        if label not in (0, 1):
            raise DatasetError(f"{path}:{line}: label must be 0 or 1, got {label}")
        examples.append(Example(text or "", [float(label)]))
    return examples


def json_lines(path: str | Path, fields: tuple[str, ...], expected: str | None = None) -> Iterator[tuple[dict, int]]:
    """Each non-blank JSON line of `path` that is an object holding `fields`, with its line number; a line without
    them, or whose `text` is not a string, is reported by file and line (`expected`: how to describe a good line,
    by default the fields)."""
    expected = expected or "{" + ", ".join(f'"{name}": ...' for name in fields) + "}"
    with _open(path) as handle:
        try:
            for line, raw in enumerate(handle, 1):
                if not raw.strip():
                    continue
                try:
                    row = json.loads(raw)
                    if not isinstance(row, dict) or not all(name in row for name in fields):
                        raise KeyError(fields)
                except (json.JSONDecodeError, KeyError, TypeError) as error:
                    raise DatasetError(f"{path}:{line}: expected {expected}") from error
                if "text" in fields and not isinstance(row["text"], str):
                    raise DatasetError(f"{path}:{line}: expected a text string, got {type(row['text']).__name__}")
                yield row, line
        except UnicodeDecodeError as error:
            raise DatasetError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from error


def labelled_lines(path: str | Path, labels: tuple[str, ...], fields: tuple[str, ...] = ("text",)
                    ) -> Iterator[tuple[dict, int]]:
    """Each non-blank JSON line of `path` with its `fields` and a `label` among `labels`: the row and the label's
    index; a line without them is reported by file and line."""
    expected = "{" + ", ".join([f'"{name}": ...' for name in fields] + [f'"label": one of {", ".join(labels)}']) + "}"
    for row, line in json_lines(path, (*fields, "label"), expected):
        if not isinstance(row["label"], str) or row["label"] not in labels:
            raise DatasetError(f"{path}:{line}: label {row['label']!r} is not one of {', '.join(labels)}")
        yield row, labels.index(row["label"])


def read_zh_emotions(path: str | Path) -> list[Example]:
    """JSON lines `{"text": ..., "label": ...}` with one of the seven Weibo labels → one-hot targets over
    `WEIBO_GROUPS`."""
    labels = tuple(WEIBO_GROUPS)
    return [Example(row["text"], [float(i == column) for i in range(len(labels))])
            for row, column in labelled_lines(path, labels)]


def split_dev(examples: list[Example], fraction: float = 0.15, seed: int = 13) -> tuple[list[Example], list[Example]]:
    """A seeded, label-stratified dev split carved from a train file (Dreaddit and the Chinese posts ship none)."""
    rng = random.Random(seed)
    train, dev = [], []
    for label in sorted({tuple(e.target) for e in examples}):
        group = [e for e in examples if tuple(e.target) == label]
        rng.shuffle(group)
        cut = round(len(group) * fraction)
        dev += group[:cut]
        train += group[cut:]
    return train, dev


def weibo_split(data: str | Path) -> tuple[list[Example], list[Example]]:
    """Train and dev parts of the Chinese posts under `data` (85/15, stratified, seeded): the file ships only a
    dev set, so our training and our dev figures both come from it, never from the same posts."""
    return split_dev(read_zh_emotions(Path(data) / "zh_emotions" / "dev.jsonl"))


SMP2020_LABELS: tuple[str, ...] = ("happy", "angry", "sad", "fear", "surprise", "neutral")  # SMP2020-EWECT's classes


def read_smp2020(path: str | Path, subsets: tuple[str, ...] = ("usual",)) -> list[Example]:
    """SMP2020-EWECT Weibo posts (JSON lines `text`, `label`, `subset`) of the given subsets → one-hot targets over
    `SMP2020_LABELS`. Why subsets: "usual" is general Weibo, "virus" COVID-19 posts, less often first-person."""
    return [Example(row["text"], [float(i == column) for i in range(len(SMP2020_LABELS))])
            for row, column in labelled_lines(path, SMP2020_LABELS, ("text", "subset")) if row["subset"] in subsets]
