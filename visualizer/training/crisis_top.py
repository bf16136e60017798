"""The crisis probe's own top layers (`safety/probe.py`): a LoRA adapter on a copy of the encoder's top layers,
trained to tell crisis writing from ordinary writing on the probe's material (`crisis_probe.py`).

The states those layers read (the output of the layers below, as `predict` computes them) are computed once per
text window and kept in bfloat16; only the adapter on the copied layers and a linear read-out learn, so an epoch
costs a pass of the copied layers alone. Each window learns the label of its text, weighted as the probe weighs
the text and with the classes balanced. The read-out is dropped afterwards: the probe's two classifiers are then
fit on what the adapted layers give (`crisis_probe.train`). Knobs in `[top]` of `data/crisis_probe.toml`.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable

import torch

from visualizer.affect.encoder import chunk_texts, masked_sums, pad, run_layers
from visualizer.affect.model import AffectModel
from visualizer.affect.predict import native_bf16


@torch.inference_mode()
def _lower_states(model: AffectModel, texts: list[str], layers: int) -> tuple[list[torch.Tensor], list[int]]:
    """Each window's states at the input of the encoder's top `layers` layers (bfloat16, real tokens only), and the
    text each window came from."""
    chunks = chunk_texts(model.tokenizer, texts)
    depth = model.encoder.config.num_hidden_layers - layers
    states = []
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=native_bf16()):
        for start in range(0, len(chunks.input_ids), 64):
            ids, mask = pad(chunks.input_ids[start:start + 64], model.tokenizer.pad_token_id)
            hidden = model.encoder(input_ids=ids, attention_mask=mask, output_hidden_states=True).hidden_states[depth]
            states += [hidden[row, : int(mask[row].sum())].to(torch.bfloat16) for row in range(len(ids))]
    return states, chunks.owner


def _pooled(model: AffectModel, top: torch.nn.ModuleList, states: list[torch.Tensor]) -> torch.Tensor:
    """Mean over real tokens of what `top` makes of a batch of windows' states."""
    width = max(len(s) for s in states)
    hidden = torch.zeros(len(states), width, states[0].shape[1])
    mask = torch.zeros(len(states), width, dtype=torch.long)
    for row, window in enumerate(states):
        hidden[row, : len(window)] = window.float()
        mask[row, : len(window)] = 1
    sums, counts = masked_sums(run_layers(model.encoder, top, hidden, mask), mask)
    return sums / counts


def adapter_tensors(top: torch.nn.Module) -> dict[str, torch.Tensor]:
    """peft's LoRA pairs of `top` under the key names `merge_lora` reads (`<module>.lora_A.weight`)."""
    tensors = {}
    for name, module in top.named_modules():
        if hasattr(module, "lora_A") and "default" in getattr(module, "lora_A", {}):
            tensors[f"{name}.lora_A.weight"] = module.lora_A["default"].weight.detach().clone()
            tensors[f"{name}.lora_B.weight"] = module.lora_B["default"].weight.detach().clone()
    return tensors


def train_top(model: AffectModel, texts: list[str], crisis: list[bool], weights: list[float], knobs: dict,
              seed: int, log: Callable[[str], None] = print) -> dict[str, torch.Tensor]:
    """The adapter (float32 LoRA pairs) of the top `knobs["layers"]` layers, trained on `texts`."""
    from peft import LoraConfig, inject_adapter_in_model

    torch.manual_seed(seed)
    layers = int(knobs["layers"])
    states, owner = _lower_states(model, texts, layers)
    y = torch.tensor(crisis, dtype=torch.float32)
    w = torch.tensor(weights, dtype=torch.float32)
    positive = (w * y).sum() / w.sum()
    w = w * torch.where(y > 0, 0.5 / positive, 0.5 / (1 - positive))
    w /= w.mean()
    owner = torch.tensor(owner)
    config = LoraConfig(r=int(knobs["lora_rank"]), lora_alpha=int(knobs["lora_alpha"]), lora_dropout=knobs["dropout"],
                        target_modules=["query", "key", "value", "dense"])
    top = inject_adapter_in_model(config, copy.deepcopy(model.encoder.encoder.layer[-layers:]))
    for name, parameter in top.named_parameters():
        parameter.requires_grad = "lora_" in name
    readout = torch.nn.Linear(model.encoder.config.hidden_size, 1)
    optimiser = torch.optim.AdamW([{"params": [p for p in top.parameters() if p.requires_grad], "lr": knobs["learning_rate"]},
                                   {"params": readout.parameters(), "lr": knobs["readout_learning_rate"]}],
                                  weight_decay=knobs["weight_decay"])
    rng, batch = random.Random(seed), int(knobs["batch_size"])
    order = list(range(len(states)))
    top.train()
    for epoch in range(int(knobs["epochs"])):
        rng.shuffle(order)
        total = 0.0
        for start in range(0, len(order), 16 * batch):  # similar lengths together within a shuffled stretch
            stretch = sorted(order[start:start + 16 * batch], key=lambda i: len(states[i]))
            for first in range(0, len(stretch), batch):
                rows = stretch[first:first + batch]
                logits = readout(_pooled(model, top, [states[i] for i in rows])).squeeze(-1)
                texts_of = owner[rows]
                loss = (torch.nn.functional.binary_cross_entropy_with_logits(logits, y[texts_of], reduction="none")
                        * w[texts_of]).mean()
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                total += loss.item() * len(rows)
        log(f"crisis top layers: epoch {epoch + 1}, loss {total / len(order):.4f}")
    return adapter_tensors(top)
