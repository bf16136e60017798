"""A learned crisis cue beside the rules: small classifiers on the embeddings `predict` already has.

The rules in `signs.py` miss paraphrases they were never written for ("the tablets are in a shoebox, from
different shops", "I've made my peace"); a classifier on the adapted encoder's embedding reads meaning rather
than wording and costs a dot product (or one tiny layer) per sentence, so reading speed is kept. Two read each
entry: one every sentence, one the whole entry's embedding (a crisis said across sentences, or one sentence whose
meaning the day around it makes plain). A sentence is flagged when the rules or the sentence classifier flag it;
an entry when one of its sentences is, or when the entry classifier does (then its highest-scoring sentence
carries the flag). The thresholds are chosen out of fold on the training material (`visualizer.training.
crisis_probe`; dev figures in `weights/crisis_probe*.json`).

The English probe has top layers of its own: a copy of the encoder's top two layers with a LoRA adapter trained
for crisis (`[top]` in `training/data/crisis_probe.toml`), run on the states the encoder's own top layers read
(`encoder.token_sums`). The pooled sentence embedding is a summary made for emotions, and paraphrased plans and
means sit close to ordinary heavy days in it; layers tuned for the task pull them apart (dev figures in
`docs/safety.md`), at the cost of those two layers only. A probe without them reads the encoder's embedding.

The classifiers read one encoder and one adapter, so the probe's metadata records `embedding_digest`, the digest
of what decides the embedding (the encoder's name, the adapter's rank and scale, and its `lora.*` tensors), and
`load` refuses a probe trained on another embedding (the rules still run). A refit of the affect heads leaves the
embedding, and so the probe, as it was. Retrain it after retraining the adapter (`visualizer train --crisis`).
This module needs torch and safetensors, nothing of the reading.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import load_file

EMBEDDING_CONFIG = ("encoder", "lora_rank", "lora_alpha", "lora_from")  # affect config keys that shape the embedding


@dataclass(frozen=True)
class Head:
    """P(crisis) = sigmoid(w · h(x) + b), h the identity (logistic) or one ReLU layer."""

    weight: torch.Tensor  # [dim] or [hidden]
    bias: float
    hidden_weight: torch.Tensor | None = None  # [hidden, dim]
    hidden_bias: torch.Tensor | None = None    # [hidden]

    @classmethod
    def from_tensors(cls, tensors: dict[str, torch.Tensor]) -> "Head":
        hidden = tensors.get("hidden.weight")
        return cls(tensors["weight"].float(), float(tensors["bias"].reshape(-1)[0]),
                   None if hidden is None else hidden.float(),
                   None if hidden is None else tensors["hidden.bias"].float())

    def scores(self, embedding: torch.Tensor) -> torch.Tensor:
        x = embedding.float()
        if self.hidden_weight is not None:
            x = torch.relu(x @ self.hidden_weight.T + self.hidden_bias)
        return torch.sigmoid(x @ self.weight + self.bias)


@dataclass(frozen=True)
class CrisisProbe:
    """The sentence and the entry classifier, each with its threshold."""

    sentence: Head
    entry: Head
    threshold: float        # a sentence is flagged at or above it
    entry_threshold: float  # an entry is flagged at or above it
    top: torch.nn.ModuleList | None = None  # its own top layers (adapter merged); None: it reads the encoder's output

    def scores(self, embedding: torch.Tensor) -> torch.Tensor:
        """P(crisis) of each sentence embedding [n, dim]."""
        return self.sentence.scores(embedding)

    def entry_scores(self, embedding: torch.Tensor) -> torch.Tensor:
        """P(crisis) of each entry embedding [n, dim]."""
        return self.entry.scores(embedding)


def embedding_digest(affect: str | Path) -> str:
    """SHA-256 of what decides the embedding of the affect weights at `affect`: the config's encoder and adapter
    settings and the adapter's tensors, by sorted name (the heads are left out, so refitting them stales nothing)."""
    affect = Path(affect)
    config = json.loads(affect.with_suffix(".json").read_text(encoding="utf-8"))
    # a file written before `lora_from` existed adapted every layer: its absence reads as AffectConfig's default, 0
    shape = {k: config.get(k, 0 if k == "lora_from" else None) for k in EMBEDDING_CONFIG}
    digest = hashlib.sha256(json.dumps(shape, sort_keys=True).encode("utf-8"))
    with safe_open(str(affect), "pt") as tensors:
        for name in sorted(k for k in tensors.keys() if k.startswith("lora.")):
            tensor = tensors.get_tensor(name)
            digest.update(f"{name}:{tensor.dtype}:{tuple(tensor.shape)}".encode("utf-8"))
            digest.update(tensor.reshape(-1).view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


TopBuilder = Callable[[dict[str, torch.Tensor], int, float], torch.nn.ModuleList]


def load(path: str | Path, affect: str | Path | None = None, build_top: TopBuilder | None = None
         ) -> CrisisProbe | None:
    """The probe at `path`, or None when there is none or it was trained on another embedding than `affect`'s.

    `build_top` makes its own top layers, where it has them, from their stored LoRA pairs, how many of the
    encoder's top layers they adapt and the LoRA scale (the model passes `encoder.adapted_top` over its encoder);
    such a probe cannot load without one, since its classifiers read what those layers give.
    """
    path = Path(path)
    if not path.exists():
        return None
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    if affect is not None and meta.get("embedding_sha256") != embedding_digest(affect):
        warnings.warn(f"{path.name} was trained on another encoder or adapter; crisis signs use the rules only "
                      "(retrain with `visualizer train --crisis`)", stacklevel=2)
        return None
    tensors = load_file(str(path))
    head = {part: Head.from_tensors({k[len(part) + 1:]: v for k, v in tensors.items() if k.startswith(part + ".")})
            for part in ("sentence", "entry")}
    top = meta.get("top")
    if top and build_top is None:
        raise ValueError(f"{path.name} has top layers of its own: load it with `build_top`")
    layers = build_top({k[len("top."):]: v for k, v in tensors.items() if k.startswith("top.")}, int(top["layers"]),
                       top["lora_alpha"] / top["lora_rank"]) if top else None
    return CrisisProbe(head["sentence"], head["entry"], float(meta["threshold"]), float(meta["entry_threshold"]), layers)
