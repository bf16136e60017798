"""Batched inference: sentences in, per-sentence and per-entry head outputs out, in one encoder pass.

Whole-entry reading. An entry's V/A/D and stress are the heads on the token-weighted mean of its
sentence embeddings (on multi-sentence EmoBank texts and Dreaddit posts that beats pooling sentence readings).
Its emotions are pooled from the sentence readings instead (`pool_emotions`), because the embedding mean washes
one strong sentence out among ordinary ones ("Grief comes in waves… undid me completely" among sentences about a
birthday read neutral 0.48, sadness 0.13). An entry of one sentence reads exactly as that sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from visualizer.affect.encoder import chunk_texts, encode_windows, pool_by_owner
from visualizer.affect.labels import EMOTIONS
from visualizer.affect.language import detect
from visualizer.affect.model import AffectModel
from visualizer.affect.segment import split_sentences
from visualizer.affect.zh_groups import lead_with


@dataclass
class Readings:
    """Raw head outputs: emotions are probabilities, vad on the 1–5 scale, stress a probability."""

    emotions: np.ndarray  # [n, 28]
    vad: np.ndarray  # [n, 3]
    stress: np.ndarray  # [n]
    crisis: np.ndarray | None = None  # [n] crisis-probe probability of each sentence or entry; None without a probe


@dataclass
class Prediction:
    entries: Readings
    sentences: Readings
    sentence_texts: list[list[str]]  # per entry
    sentence_offsets: list[int]  # entry i's sentences are rows offsets[i]:offsets[i+1] of `sentences`


SALIENCE_POWER = 3.0  # a sentence's weight in the mean: tokens × (its strongest non-neutral probability)³
EVIDENCE_POWER = 2.0  # the max-style term: each label's token-weighted power mean over the sentences
EVIDENCE_SHARE = 0.5  # emotions = (1 − share) · salience-weighted mean + share · evidence
NEUTRAL_POWER = -8.0  # neutral: a soft minimum over the sentences (neutral only when no sentence carries a feeling)
_NEUTRAL = EMOTIONS.index("neutral")


def pool_emotions(probabilities: np.ndarray, tokens: np.ndarray) -> np.ndarray:
    """One entry's 28 probabilities from its sentences' probabilities [n, 28] and token counts [n].

    - salience s_k = the sentence's strongest non-neutral probability; weight w_k = t_k · s_k³, so a sentence
      that carries a feeling counts for far more than the ordinary ones around it;
    - mean = Σ w_k p_k / Σ w_k; evidence = (Σ t_k p_k² / Σ t_k)^½, a power mean that leans to the sentence
      where a label is strongest without the runaway of a noisy-OR over long entries;
      emotions = ½ mean + ½ evidence;
    - neutral = the token-weighted power mean of the sentences' neutral with exponent −8 (a soft minimum).
    One sentence gives back its own probabilities. Constants chosen on `visualizer eval entries` (`entry_dev.py`)
    under the condition that the GoEmotions dev macro-F1 (with the sentence thresholds) stays where it was.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    if len(p) == 1:
        return p[0].copy()
    t = np.maximum(np.asarray(tokens, dtype=np.float64), 1.0)
    salience = np.maximum(np.delete(p, _NEUTRAL, axis=1).max(1), 1e-3)
    w = t * salience ** SALIENCE_POWER
    mean = (w[:, None] * p).sum(0) / w.sum()
    evidence = ((t[:, None] * p ** EVIDENCE_POWER).sum(0) / t.sum()) ** (1.0 / EVIDENCE_POWER)
    pooled = (1.0 - EVIDENCE_SHARE) * mean + EVIDENCE_SHARE * evidence
    neutral = np.maximum(p[:, _NEUTRAL], 1e-6)
    pooled[_NEUTRAL] = ((t * neutral ** NEUTRAL_POWER).sum() / t.sum()) ** (1.0 / NEUTRAL_POWER)
    return np.clip(pooled, 0.0, 1.0)


def native_bf16() -> bool:
    """CPUs with bf16 instructions (AVX512-BF16, AMX) run the encoder about twice as fast in bfloat16;
    probabilities move by under 0.005 and the dev metrics by under 0.005 (see README)."""
    return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())


def _read(model: AffectModel, embedding: torch.Tensor) -> Readings:
    out = model.heads(embedding)
    shift = torch.tensor(model.config.emotion_logit_shift, dtype=out["emotions"].dtype)  # diary priors, not Reddit's
    return Readings(torch.sigmoid(out["emotions"] + shift).numpy(), model.vad_scale(out["vad"]).numpy(),
                    torch.sigmoid(out["stress"]).numpy())


def _branches(model: AffectModel, plain: bool) -> dict[str, torch.nn.ModuleList]:
    """The other top layers run beside the encoder's own (`encoder.token_sums`), by name: the plain encoder's top
    where asked for (`AffectModel.frozen_top`, read by the Chinese group reader), and the crisis probe's own top
    layers where it has them (`safety/probe.py`)."""
    branches = {}
    if plain and model.frozen_top is not None:
        branches["plain"] = model.frozen_top
    if model.crisis_probe is not None and model.crisis_probe.top is not None:
        branches["crisis"] = model.crisis_probe.top
    return branches


def _encode(model: AffectModel, sentences: list[str], max_batch_tokens: int, max_batch_size: int,
            bf16: bool | None, branches: dict[str, torch.nn.ModuleList]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Token sums and counts per window, and each window's sentence; the sums of `branches` follow the encoder's
    own in each row, in their order (`encoder.token_sums`)."""
    bf16 = native_bf16() if bf16 is None else bf16
    chunks = chunk_texts(model.tokenizer, sentences)
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        sums, counts = encode_windows(model.encoder, chunks.input_ids, model.tokenizer.pad_token_id,
                                      max_batch_tokens, max_batch_size, list(branches.values()))
    return sums, counts, torch.tensor(chunks.owner, dtype=torch.long)


@dataclass
class _Encoded:
    """One encoder pass over the sentences of many texts, pooled to sentences and to texts."""

    sentence_texts: list[list[str]]
    offsets: list[int]
    sentence_embedding: torch.Tensor
    entry_embedding: torch.Tensor  # token-weighted mean over all windows of the text's sentences
    tokens: np.ndarray  # per sentence
    # the same two poolings of each branch (`_branches`), by name
    branch_sentence: dict[str, torch.Tensor] = field(default_factory=dict)
    branch_entry: dict[str, torch.Tensor] = field(default_factory=dict)


def _encode_texts(model: AffectModel, texts: list[str], max_batch_tokens: int, max_batch_size: int,
                  bf16: bool | None, plain: bool = False) -> _Encoded:
    sentence_texts = [split_sentences(text) for text in texts]
    flat = [s for sentences in sentence_texts for s in sentences]
    offsets = np.cumsum([0] + [len(s) for s in sentence_texts]).tolist()
    sentence_owner = torch.tensor([i for i, sentences in enumerate(sentence_texts) for _ in sentences], dtype=torch.long)
    branches = _branches(model, plain)
    sums, counts, window_sentence = _encode(model, flat, max_batch_tokens, max_batch_size, bf16, branches)
    sentence_embedding = pool_by_owner(sums, counts, window_sentence, len(flat))
    window_entry = sentence_owner[window_sentence] if flat else window_sentence
    entry_embedding = pool_by_owner(sums, counts, window_entry, len(texts))
    tokens = torch.zeros(len(flat)).index_add_(0, window_sentence, counts[:, 0]).numpy() if flat else np.zeros(0)
    parts = 1 + len(branches)
    sentence_parts, entry_parts = sentence_embedding.chunk(parts, dim=1), entry_embedding.chunk(parts, dim=1)
    return _Encoded(sentence_texts, offsets, sentence_parts[0], entry_parts[0], tokens,
                    dict(zip(branches, sentence_parts[1:])), dict(zip(branches, entry_parts[1:])))


def _crisis_embeddings(encoded: _Encoded) -> tuple[torch.Tensor, torch.Tensor]:
    """What the crisis probe reads of each sentence and each entry: its own top layers' pooling where it has them."""
    return (encoded.branch_sentence.get("crisis", encoded.sentence_embedding),
            encoded.branch_entry.get("crisis", encoded.entry_embedding))


@torch.inference_mode()
def sentence_embeddings(model: AffectModel, sentences: list[str], bf16: bool | None = None) -> torch.Tensor:
    """The pooled embedding of each sentence exactly as `predict` gives it to the heads."""
    sums, counts, owner = _encode(model, sentences, 8192, 256, bf16, {})
    return pool_by_owner(sums, counts, owner, len(sentences))


@torch.inference_mode()
def branch_sentence_embeddings(model: AffectModel, sentences: list[str], top: torch.nn.ModuleList,
                               bf16: bool | None = None) -> torch.Tensor:
    """The pooled embedding of each sentence by the top layers `top` run beside the encoder's own, exactly as
    `predict` computes a branch's (the crisis probe's top layers are trained on these)."""
    sums, counts, owner = _encode(model, sentences, 8192, 256, bf16, {"top": top})
    return pool_by_owner(sums, counts, owner, len(sentences)).chunk(2, dim=1)[1]


@torch.inference_mode()
def entry_embeddings(model: AffectModel, texts: list[str], bf16: bool | None = None) -> torch.Tensor:
    """Each text's embedding exactly as `predict` feeds it to the V/A/D and stress heads (what the heads train on)."""
    return _encode_texts(model, texts, 8192, 256, bf16).entry_embedding


@torch.inference_mode()
def plain_entry_embeddings(model: AffectModel, texts: list[str], bf16: bool | None = None) -> torch.Tensor:
    """Each text's embedding by the plain encoder, exactly as `predict` feeds it to the Chinese group reader."""
    return _encode_texts(model, texts, 8192, 256, bf16, plain=True).branch_entry["plain"]


def _lead_chinese(model: AffectModel, emotions: np.ndarray, texts: list[str], plain: torch.Tensor) -> None:
    """Chinese rows of `emotions` are led by the group reader's feeling (`zh_groups.py`), in place."""
    rows = [i for i, text in enumerate(texts) if detect(text) == "zh"]
    if rows:
        groups = model.groups.probabilities([texts[i] for i in rows], plain[rows].numpy())
        emotions[rows] = lead_with(emotions[rows], groups)


@torch.inference_mode()
def predict(model: AffectModel, texts: list[str], max_batch_tokens: int = 8192, max_batch_size: int = 256,
            bf16: bool | None = None) -> Prediction:
    """Segment, chunk, batch by length, encode once, then pool to sentences and to entries.

    `bf16`: run the encoder under bfloat16 autocast; by default where the CPU has native bf16.
    """
    encoded = _encode_texts(model, texts, max_batch_tokens, max_batch_size, bf16, plain=model.groups is not None)
    offsets, tokens = encoded.offsets, encoded.tokens
    entries, sentences = _read(model, encoded.entry_embedding), _read(model, encoded.sentence_embedding)
    if model.groups is not None:  # Chinese sentences, then (after pooling) Chinese entries
        flat = [s for group in encoded.sentence_texts for s in group]
        _lead_chinese(model, sentences.emotions, flat, encoded.branch_sentence["plain"])
    for i in range(len(texts)):
        if offsets[i + 1] - offsets[i] > 1:  # one sentence: the entry reading already is that sentence's
            rows = slice(offsets[i], offsets[i + 1])
            entries.emotions[i] = pool_emotions(sentences.emotions[rows], tokens[rows])
    if model.groups is not None:
        _lead_chinese(model, entries.emotions, texts, encoded.branch_entry["plain"])
    if model.crisis_probe is not None:  # analyze flags sentences, and an entry through them or its own reading
        sentence_embedding, entry_embedding = _crisis_embeddings(encoded)
        sentences.crisis = model.crisis_probe.scores(sentence_embedding).numpy()
        entries.crisis = model.crisis_probe.entry_scores(entry_embedding).numpy()
    return Prediction(entries, sentences, encoded.sentence_texts, offsets)
