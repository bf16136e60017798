"""`visualizer eval fresh DIR`: the whole reading on a fresh held-back set, counted the way the issue's checks count.

A fresh set is written by someone who saw none of the rules, code or data (`data/evaluation/fresh*/README.md`) and
is run once; after that it is dev. This module runs every file of the set that is there through `analyze`, the
same path the CLI, the UI and the renders take (rules, probe, harm net, language routing), so a figure it prints is
the figure a user's entry would get:

- `crisis_{en,zh}_{lines,entries}.jsonl` (`text`, `crisis`, `kind`): crisis writing flagged, ordinary writing
  flagged, and the kinds of the misses and false flags;
- `harm_wishes.jsonl` (`text`, `harm`): harm wishes that still give a desire or an aversion (the goal is none), and
  ordinary wishes that keep theirs;
- `accounts_{en,zh}.jsonl` (`text`, `label`, one of the seven self-report groups): macro-F1 of the top group,
  the rate read `neutral` first, and the mean normalised valence of each group.
No text is printed, only counts and kinds.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from visualizer.affect.labels import EMOTIONS
from visualizer.errors import UserError
from visualizer.training.datasets import json_lines
from visualizer.training.entry_dev import GROUP_NAMES, LabelledEntry, group_metrics, read_accounts

CRISIS_FILES = ("crisis_en_lines", "crisis_en_entries", "crisis_zh_lines", "crisis_zh_entries")
ACCOUNT_FILES = ("accounts_en", "accounts_zh")
HARM_FILE = "harm_wishes"


def _rows(path: Path, fields: tuple[str, ...]) -> list[dict]:
    """The JSON lines of `path` holding `fields` (a text string among them); a bad line is named by file and line."""
    return [row for row, _ in json_lines(path, fields)]


def crisis_counts(rows: list[dict], flagged: list[bool]) -> dict:
    """Recall on crisis rows, false flags on ordinary ones, and the kinds of each miss and false flag."""
    crisis = [bool(row["crisis"]) for row in rows]
    hits = sum(f and c for f, c in zip(flagged, crisis))
    false = sum(f and not c for f, c in zip(flagged, crisis))
    return {"crisis": sum(crisis), "crisis_flagged": hits, "recall": round(hits / max(sum(crisis), 1), 4),
            "ordinary": len(rows) - sum(crisis), "ordinary_flagged": false,
            "missed_kinds": dict(Counter(r["kind"] for r, f, c in zip(rows, flagged, crisis) if c and not f)),
            "false_flag_kinds": dict(Counter(r["kind"] for r, f, c in zip(rows, flagged, crisis) if f and not c))}


def account_counts(accounts: list[LabelledEntry], states) -> dict:
    """`group_metrics` of the entry reading, and each group's mean normalised valence (−1…1)."""
    labels = [account.group for account in accounts]
    emotions = np.array([[state.emotions.get(name, 0.0) for name in EMOTIONS] for state in states])
    valence = np.array([state.vad.normalised().valence for state in states])
    metrics = group_metrics(emotions, labels)
    metrics["mean_valence"] = {group: round(float(valence[[label == group for label in labels]].mean()), 3)
                               for group in GROUP_NAMES if group in labels}
    return metrics


def evaluate_fresh(directory: str | Path) -> dict:
    """Counts for every fresh-set file found in `directory` (see the module docstring)."""
    from visualizer.affect.reader import analyze

    directory = Path(directory)
    if not directory.is_dir():
        raise UserError(f"eval fresh: {directory} is not a folder")
    report: dict[str, dict] = {}
    for name in CRISIS_FILES:
        if (directory / f"{name}.jsonl").exists():
            rows = _rows(directory / f"{name}.jsonl", ("text", "crisis", "kind"))
            report[name] = crisis_counts(rows, [state.crisis for state in analyze([r["text"] for r in rows])])
    if (directory / f"{HARM_FILE}.jsonl").exists():
        rows = _rows(directory / f"{HARM_FILE}.jsonl", ("text", "harm"))
        gives = [bool(s.desires or s.aversions) for s in analyze([r["text"] for r in rows])]
        harm = [bool(row["harm"]) for row in rows]
        report[HARM_FILE] = {"harm": sum(harm), "harm_with_desire": sum(g and h for g, h in zip(gives, harm)),
                             "ordinary": len(rows) - sum(harm),
                             "ordinary_with_desire": sum(g and not h for g, h in zip(gives, harm))}
    for name in ACCOUNT_FILES:
        if (directory / f"{name}.jsonl").exists():
            accounts = read_accounts(directory / f"{name}.jsonl")
            report[name] = account_counts(accounts, analyze([account.text for account in accounts]))
    if not report:
        raise UserError(f"eval fresh: {directory} holds none of "
                        f"{', '.join(n + '.jsonl' for n in (*CRISIS_FILES, HARM_FILE, *ACCOUNT_FILES))}")
    return report
