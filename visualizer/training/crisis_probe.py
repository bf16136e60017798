"""Training the crisis probe (`visualizer.safety.probe`): `visualizer train --crisis [--multilingual]`.

The probe learns from the lines we wrote (`OWN_DATA`: crisis lines, figures of speech and ordinary heavy lines,
labelled by kind) and from everyday writing as negatives (GoEmotions and Dreaddit, or Weibo posts for the
multilingual probe). Its threshold is chosen by cross-validation (folds stratified by kind) on that material alone:
the highest recall for which the probe adds at most `figure_rate` of the figures of speech beyond the rules.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file

from visualizer.affect.cards import digest as card_digest
from visualizer.safety.probe import digest
from visualizer.training.paths import OWN_DATA, SHARED_DATA

RULES = "safety/data/crisis.toml"  # the rules the threshold is set on top of: a card dependency (affect/cards.py)

ENGLISH_LINES = [OWN_DATA / name for name in ("crisis_en.jsonl", "crisis_dev.jsonl", "crisis_heldout.jsonl")]
# the multilingual probe learns from Chinese lines only: their training set, the dev lines and the held-back sets 1
# to 4, tuned on since (never from data/evaluation/zh_crisis_heldout5.jsonl, 6 or 7, which stay held back). Trained
# on English lines as well, its threshold sat among the English figures of speech and it added 1 line of 55 to the
# rules on unseen Chinese writing; trained on Chinese alone, see `ProbeOptions.figure_rate` (2026-11-25)
CHINESE_LINES = [OWN_DATA / f"{name}.jsonl" for name in ("crisis_zh", "zh_crisis_dev", "zh_crisis_heldout",
                                                         "zh_crisis_heldout2", "zh_crisis_heldout3",
                                                         "zh_crisis_heldout4")]


@dataclass
class ProbeOptions:
    data: Path = SHARED_DATA
    out: Path | None = None  # default: beside the affect weights it reads (`model.probe_name`)
    multilingual: bool = False  # the probe of the multilingual model: Chinese lines and Weibo posts instead
    seed: int = 13
    goemotions: int = 3000        # English: GoEmotions train comments sampled as negatives
    dreaddit: int = 600           # English: Dreaddit train posts sampled as negatives (each sentence one example)
    weibo: int = 1500             # multilingual: Chinese posts (train split of ../shared/data/zh_emotions) as negatives
    folds: int = 5
    # most figures of speech the probe may flag beyond the rules (cross-validated); None: 0.01 for English, 0.03 for
    # the multilingual probe, whose rules find under half of unseen Chinese crisis writing. With Chinese set 4 and
    # the lines written after it left out, 0.01 / 0.03 / 0.06 lifted that set from the rules' 24/55 to 25 / 30 /
    # 40 of 55, flagging none of its figures or ordinary lines more; trained on all, they flagged 1 / 4 / 17 of
    # the 594 ordinary Weibo posts of our dev split beyond the rules (2026-11-25): 0.06 would put the help line
    # under one ordinary Chinese entry in 35
    figure_rate: float | None = None
    weight_decay: float = 1e-3
    epochs: int = 400
    threads: int | None = None

    def __post_init__(self) -> None:
        if self.figure_rate is None:
            self.figure_rate = 0.03 if self.multilingual else 0.01


@dataclass
class _Example:
    sentences: list[str]
    crisis: bool
    kind: str  # crisis kinds, "figure", "ordinary", or "corpus" for GoEmotions/Dreaddit


def _own_examples(paths: list[Path]) -> list[_Example]:
    from visualizer.affect.segment import split_sentences

    rows = [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [_Example(split_sentences(r["text"]), r["crisis"], r["kind"]) for r in rows]


def _corpus_examples(options: ProbeOptions) -> list[_Example]:
    """Sentences of everyday writing as negatives (Reddit text; Weibo posts for the multilingual probe); the few
    the rules flag may be real crisis text: dropped."""
    from visualizer.safety.signs import sentence_has_sign
    from visualizer.training.datasets import read_dreaddit, read_goemotions, weibo_split
    from visualizer.affect.segment import split_sentences

    rng = random.Random(options.seed)
    if options.multilingual:
        texts = [e.text for e in rng.sample(weibo_split(options.data)[0], options.weibo)]
    else:
        comments = rng.sample(read_goemotions(options.data / "goemotions" / "train.tsv"), options.goemotions)
        posts = rng.sample(read_dreaddit(options.data / "dreaddit" / "train.csv"), options.dreaddit)
        texts = [e.text for e in comments + posts]
    sentences = [s for text in texts for s in split_sentences(text)]
    return [_Example([s], False, "corpus") for s in dict.fromkeys(sentences) if not sentence_has_sign(s)]


def _fit(x: torch.Tensor, owner: torch.Tensor, y: torch.Tensor, options: ProbeOptions) -> tuple[torch.Tensor, float]:
    """Logistic regression on each example's highest-scoring sentence (a crisis line need not be crisis in
    every sentence), classes balanced, on standardised features folded back into one weight vector."""
    torch.manual_seed(options.seed)
    mean, std = x.mean(0), x.std(0).clamp(min=1e-6)
    z = (x - mean) / std
    linear = torch.nn.Linear(x.shape[1], 1)
    optimiser = torch.optim.Adam(linear.parameters(), lr=0.01, weight_decay=options.weight_decay)
    positive = y.float().mean()
    weights = torch.where(y, 0.5 / positive, 0.5 / (1 - positive))
    for _ in range(int(options.epochs)):
        optimiser.zero_grad()
        logits = _max_by_owner(linear(z).squeeze(-1), owner, len(y))
        loss = (torch.nn.functional.binary_cross_entropy_with_logits(logits, y.float(), reduction="none") * weights).mean()
        loss.backward()
        optimiser.step()
    weight = linear.weight.detach()[0] / std
    return weight, float(linear.bias.detach()[0] - (weight * mean).sum())


def _max_by_owner(values: torch.Tensor, owner: torch.Tensor, n: int) -> torch.Tensor:
    return torch.full((n,), -torch.inf).scatter_reduce(0, owner, values, "amax", include_self=True)


def _threshold(scores: np.ndarray, rules: np.ndarray, examples: list[_Example], rate: float) -> float:
    """The lowest threshold at which the probe flags at most `rate` of the figures of speech the rules leave.

    Counted beyond the rules because the rules alone may already pass `rate` (they flag 2 of the 174
    figures: "I'll shoot myself" about a song, "sleep forever" about a lie-in); the probe must not add more.
    """
    figures = np.array([e.kind == "figure" for e in examples]) & ~rules
    allowed = int(np.floor(rate * figures.sum()))
    for threshold in np.unique(scores):
        if ((scores >= threshold) & figures).sum() <= allowed:
            return float(threshold)
    return 1.0


def _rates(flags: np.ndarray, examples: list[_Example]) -> dict[str, float]:
    crisis = np.array([e.crisis for e in examples])
    kind = np.array([e.kind for e in examples])
    return {"recall": float(flags[crisis].mean()), "figures_flagged": float(flags[kind == "figure"].mean()),
            "ordinary_flagged": float(flags[kind == "ordinary"].mean()), "corpus_flagged": float(flags[kind == "corpus"].mean())}


def train(options: ProbeOptions, log=print) -> dict[str, float]:
    """Embed the material once with the shipped model, cross-validate the threshold, fit on all, save."""
    from sklearn.model_selection import StratifiedKFold

    from visualizer.safety.signs import find_signs
    from visualizer.affect.model import MULTILINGUAL_WEIGHTS, WEIGHTS, AffectModel, probe_name
    from visualizer.affect.predict import sentence_embeddings

    if options.threads:
        torch.set_num_threads(options.threads)
    affect = MULTILINGUAL_WEIGHTS if options.multilingual else WEIGHTS
    own = CHINESE_LINES if options.multilingual else ENGLISH_LINES
    examples = _own_examples(own) + _corpus_examples(options)
    examples = [e for e in examples if e.sentences]
    log(f"{sum(e.crisis for e in examples)} crisis examples, {sum(not e.crisis for e in examples)} others")
    model = AffectModel.load(affect)
    owner = torch.tensor([i for i, e in enumerate(examples) for _ in e.sentences])
    x = sentence_embeddings(model, [s for e in examples for s in e.sentences]).clone()  # clone: trainable tensor
    y = torch.tensor([e.crisis for e in examples])
    rules = np.array([find_signs(e.sentences).flagged for e in examples])

    # folds stratified by kind: each holds its share of every kind of crisis line, of the figures of speech (the
    # threshold is chosen on them), of the ordinary lines and of the everyday writing
    folds = StratifiedKFold(options.folds, shuffle=True, random_state=options.seed)
    scores = np.zeros(len(examples))
    for fit_rows, read_rows in folds.split(np.zeros(len(examples)), [e.kind for e in examples]):
        train_rows = torch.zeros(len(examples), dtype=torch.bool)
        train_rows[fit_rows] = True
        keep = train_rows[owner]
        remap = torch.cumsum(train_rows.long(), 0) - 1
        weight, bias = _fit(x[keep], remap[owner[keep]], y[train_rows], options)
        fold_scores = _max_by_owner(torch.sigmoid(x @ weight + bias), owner, len(examples)).numpy()
        scores[read_rows] = fold_scores[read_rows]
    threshold = _threshold(scores, rules, examples, options.figure_rate)
    metrics = {"threshold": threshold}
    for name, flags in (("rules", rules), ("probe", scores >= threshold), ("combined", rules | (scores >= threshold))):
        metrics.update({f"cv_{name}_{k}": v for k, v in _rates(flags, examples).items()})

    weight, bias = _fit(x, owner, y, options)
    out = Path(options.out or affect.with_name(probe_name(affect)))
    out.parent.mkdir(parents=True, exist_ok=True)
    save_file({"weight": weight.contiguous(), "bias": torch.tensor([bias])}, str(out))
    meta = {"threshold": threshold, "figure_rate": options.figure_rate, "affect_sha256": digest(affect),
            "depends_on": {RULES: card_digest(RULES)},
            "seed": options.seed, "dim": int(x.shape[1]),
            "examples": {"crisis": int(y.sum()), "other": int((~y).sum()), "corpus": sum(e.kind == "corpus" for e in examples)},
            "cv_metrics": {k: round(v, 4) for k, v in metrics.items()}}
    out.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return metrics
