"""A learned crisis cue beside the rules: a logistic probe on the sentence embedding `predict` already has.

The rules in `signs.py` miss paraphrases they were never written for ("disappointed that I woke up", "the
pills are ready"); a linear probe on the adapted encoder's sentence embedding reads meaning rather than
wording and costs one dot product per sentence, so reading speed is kept. A sentence is flagged when the
rules OR the probe flag it. The threshold is chosen by cross-validation on the training material alone: the
highest recall for which the probe adds at most `figure_rate` of the figures of speech ("dying to see it").
Figures of speech lie close to crisis lines in this embedding, so the English threshold is high and its gain
small (cross-validated figures in `weights/crisis_probe.json`); the Chinese rules miss far more, so the
multilingual probe trades a few more figures for recall (`ProbeOptions.figure_rate`).

The probe reads one particular encoder + adapter, so its metadata records the affect weights' digest and
`load` refuses a probe trained on other weights (the rules still run). Retrain it after `visualizer train`
(`visualizer.training.crisis_probe`). The probe is a vector and a number: this module needs torch and
safetensors, nothing of the reading.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import load_file

@dataclass(frozen=True)
class CrisisProbe:
    """P(crisis) = sigmoid(embedding · weight + bias); flag at `threshold`."""

    weight: torch.Tensor  # [dim]
    bias: float
    threshold: float

    def scores(self, embedding: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(embedding.float() @ self.weight + self.bias)


def digest(path: str | Path) -> str:
    """The affect weights a probe was trained on (their embedding is what it reads)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load(path: str | Path, affect: str | Path | None = None) -> CrisisProbe | None:
    """The probe at `path`, or None when there is none or it was trained on other affect weights than `affect`."""
    path = Path(path)
    if not path.exists():
        return None
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    if affect is not None and meta["affect_sha256"] != digest(affect):
        warnings.warn(f"{path.name} was trained on other affect weights; crisis signs use the rules only "
                      "(retrain with `visualizer train --crisis`)", stacklevel=2)
        return None
    tensors = load_file(str(path))
    return CrisisProbe(tensors["weight"].float(), float(tensors["bias"]), float(meta["threshold"]))
