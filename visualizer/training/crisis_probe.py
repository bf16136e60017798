"""Training the crisis probe (`visualizer.safety.probe`): `visualizer train --crisis [--multilingual]`.

Two small classifiers on the shipped encoder's embeddings, one reading each sentence and one reading the whole
entry, beside the rules (which stay as the floor and the explanation). What they learn from (sizes, weights and
the level cut in `data/crisis_probe.toml`):

- our lines (`OWN_DATA`: crisis lines by family, figures of speech and ordinary heavy lines, among them someone
  else's death or self-harm told as theirs), English or Chinese;
- English: IRF posts, whose burdensomeness label is in practice explicit ideation (its explanation span names
  the sentence: that sentence is a positive for the sentence probe, the post one for the entry probe; posts
  without it are negatives); SDCNL r/SuicideWatch posts as weak positives for the entry probe only, down-weighted
  (the subreddit is the label), and none of its r/depression posts (many hold passive wishes, which we flag, so
  they cannot be negatives); GoEmotions comments, Dreaddit posts and enVENT's first-person event descriptions
  as everyday negatives;
- Chinese: SOS-4K posts cut at a suicide-risk level (at or above: crisis; the low levels: distress that is no
  crisis, as hard negatives); everyday Weibo posts as negatives;
- diary entries built from our lines: each line buried among ordinary sentences (the entry probe learns to find
  one crisis sentence in an ordinary day), and ordinary entries of several everyday texts joined.

Everyday texts the rules flag are left out of the negatives (they may be real crisis writing). A line or post of
several sentences is positive when its highest-scoring sentence is (a crisis line need not be crisis in every
sentence). The thresholds are chosen on out-of-fold scores: folds stratified by source and kind, except that our
lines go to folds by family (clusters of similar phrasing, `_families`), so a family is read only by classifiers
that never saw it, as fresh writing will be; the entries are built inside a fold. A sentence holding a figure of
speech the rules mask scores 0, as in the reading (`affect/reader.py`). The pair with the highest recall on crisis lines and buried entries, rules included,
whose false flags on our hard ordinary lines and on ordinary diary entries stay under `[limits]`. Those dev
figures are written to the probe's JSON; then both classifiers are fit on everything.
"""

from __future__ import annotations

import json
import random
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file

from visualizer.affect.cards import digest as card_digest
from visualizer.safety.probe import embedding_digest
from visualizer.safety.signs import find_signs, has_figure
from visualizer.training.paths import EVALUATION_DATA, OWN_DATA, SHARED_DATA

RULES = "safety/data/crisis.toml"  # the rules the thresholds are set on top of: a card dependency (affect/cards.py)
SETTINGS = Path(__file__).with_name("data") / "crisis_probe.toml"

ENGLISH_LINES = [OWN_DATA / f"{name}.jsonl" for name in ("crisis_en", "crisis_en_2", "crisis_en_3", "crisis_en_4",
                                                         "crisis_en_5", "crisis_en_6", "crisis_en_7", "crisis_en_days",
                                                         "crisis_en_ordinary", "crisis_dev", "crisis_heldout")]
# the multilingual probe learns from Chinese lines only (trained on English lines as well, its threshold sat among
# the English figures of speech); never from data/evaluation/zh_crisis_heldout5.jsonl, 6 or 7, which stay held back
CHINESE_LINES = [OWN_DATA / f"{name}.jsonl" for name in ("crisis_zh", "crisis_zh_2", "crisis_zh_3", "zh_crisis_dev",
                                                         "zh_crisis_heldout", "zh_crisis_heldout2",
                                                         "zh_crisis_heldout3", "zh_crisis_heldout4", "crisis_zh_4",
                                                         "crisis_zh_days", "crisis_zh_ordinary")]


@dataclass
class ProbeOptions:
    data: Path = SHARED_DATA
    out: Path | None = None  # default: beside the affect weights it reads (`model.probe_name`)
    multilingual: bool = False  # the probe of the multilingual model: Chinese lines and posts instead
    seed: int = 13
    threads: int | None = None


@cache
def settings() -> dict:
    with SETTINGS.open("rb") as handle:
        return tomllib.load(handle)


@dataclass
class _Example:
    sentences: list[str]
    crisis: bool
    kind: str            # our kinds ("plan", "figure", "ordinary"…) or "text" for everything else
    source: str          # own, irf, sdcnl, sos, goemotions, dreaddit, envent, weibo, buried, diary
    weight: float
    reads: str = "both"  # which classifier learns from it: "both", "sentence" or "entry"
    fold: int = 0
    rules: bool = field(default=False, repr=False)


def _jsonl(path: Path, fields: tuple[str, ...] = ("text",)) -> Iterator[dict]:
    """The rows of a JSON-lines file, each holding `fields`; a bad line is named by file and line."""
    from visualizer.training.datasets import json_lines

    return (row for row, _ in json_lines(path, fields))


def _split(text: str) -> list[str]:
    from visualizer.affect.segment import split_sentences

    return split_sentences(text)


def _own(paths: list[Path]) -> list[_Example]:
    weight = settings()["fit"]["own"]
    return [_Example(_split(row["text"]), bool(row["crisis"]), row["kind"], "own", weight)
            for path in paths for row in _jsonl(path, ("text", "crisis", "kind"))]


def _texts(texts: list[str], source: str, crisis: bool = False, reads: str = "both", weight: float | None = None) -> list[_Example]:
    weight = settings()["fit"]["corpus"] if weight is None else weight
    return [_Example(_split(text), crisis, "text", source, weight, reads) for text in dict.fromkeys(texts)]


def _irf(data: Path) -> list[_Example]:
    """Posts with the burdensomeness label (≈ explicit ideation): the span's sentence for the sentence probe, the
    post for the entry probe; posts without it are negatives for both."""
    weight = settings()["fit"]["labelled_posts"]
    examples = []
    for row in _jsonl(data / "irf" / "irf.jsonl", ("text", "perceived_burdensomeness", "burden_span")):
        if not row["perceived_burdensomeness"]:
            examples += _texts([row["text"]], "irf", weight=weight)
            continue
        examples += _texts([row["text"]], "irf", crisis=True, reads="entry", weight=weight)
        span = " ".join((row["burden_span"] or "").lower().split())
        named = [s for s in examples[-1].sentences if span and span in " ".join(s.lower().split())]
        examples += [_Example([s], True, "text", "irf", weight, "sentence") for s in named]
    return examples


def _english_corpora(data: Path, rng: random.Random) -> list[_Example]:
    from visualizer.training.datasets import read_dreaddit, read_goemotions

    sizes, fit = settings()["english"], settings()["fit"]
    comments = rng.sample(read_goemotions(data / "goemotions" / "train.tsv"), sizes["goemotions"])
    posts = rng.sample(read_dreaddit(data / "dreaddit" / "train.csv"), sizes["dreaddit"])
    suicide_watch = [row["text"] for row in _jsonl(data / "sdcnl" / "sdcnl.jsonl", ("text", "label")) if row["label"] == "suicide"]
    return (_irf(data) + _texts(suicide_watch, "sdcnl", crisis=True, reads="entry", weight=fit["weak_posts"])
            + _texts([e.text for e in comments], "goemotions") + _texts([e.text for e in posts], "dreaddit")
            + _texts([row["text"] for row in _jsonl(data / "envent" / "crowd_envent.jsonl")], "envent"))


def _chinese_corpora(data: Path, rng: random.Random) -> list[_Example]:
    zh, fit = settings()["multilingual"], settings()["fit"]
    sos = list(_jsonl(data / "zh_crisis" / "sos4k.jsonl", ("text", "label")))
    smp2020 = _jsonl(data / "zh_smp2020" / "smp2020_ewect.jsonl", ("text", "subset"))
    posts = [row["text"] for row in smp2020 if row["subset"] == "usual"]
    posts += [row["text"] for row in _jsonl(data / "zh_emotions" / "dev.jsonl")]
    return (_texts([r["text"] for r in sos if r["label"] >= zh["crisis_level"]], "sos", True, weight=fit["labelled_posts"])
            + _texts([r["text"] for r in sos if r["label"] in zh["negative_levels"]], "sos", weight=fit["labelled_posts"])
            + _texts(rng.sample(posts, min(zh["weibo"], len(posts))), "weibo"))


def _families(embeddings: torch.Tensor, size: int, seed: int) -> np.ndarray:
    """A family for each line: spherical k-means on the lines' embeddings, about `size` lines a family (pills
    counted and hoarded, letters left, a date chosen…), so that held-out lines are unseen phrasing, not neighbours."""
    x = torch.nn.functional.normalize(embeddings.float(), dim=1).numpy()
    k = max(2, len(x) // size)
    centres = x[np.random.default_rng(seed).choice(len(x), k, replace=False)]
    for _ in range(30):
        family = np.argmax(x @ centres.T, axis=1)
        for j in np.unique(family):
            centre = x[family == j].mean(0)
            centres[j] = centre / np.linalg.norm(centre)
    return family


def _assign_folds(examples: list[_Example], folds: int, rng: random.Random,
                  embed_lines: Callable[[list[str]], torch.Tensor]) -> None:
    """Folds stratified by source, kind and label, each holding its share of every corpus; our lines go whole
    families at a time (per label, the largest family first into the emptiest fold)."""
    groups: dict[tuple, list[_Example]] = {}
    for example in examples:
        groups.setdefault((example.source, example.kind, example.crisis), []).append(example)
    for key in sorted(groups):
        members = groups[key]
        rng.shuffle(members)
        for i, example in enumerate(members):
            example.fold = i % folds
    for crisis in (True, False):
        lines = [e for e in examples if e.source == "own" and e.crisis == crisis]
        family = _families(embed_lines([" ".join(e.sentences) for e in lines]), settings()["fit"]["family_size"], rng.randrange(2**32))
        sizes = np.zeros(folds, dtype=int)
        for j in sorted(np.unique(family), key=lambda j: (-(family == j).sum(), rng.random())):
            fold = int(np.argmin(sizes))
            sizes[fold] += int((family == j).sum())
            for i in np.flatnonzero(family == j):
                lines[i].fold = fold


def _entries(examples: list[_Example], folds: int, rng: random.Random, language: str) -> list[_Example]:
    """Diary entries made inside each fold: every one of our lines among ordinary sentences (buried), and
    ordinary entries of several everyday texts joined (diary)."""
    section, weight = settings()["multilingual" if language == "zh" else "english"], settings()["fit"]["buried"]
    everyday = "weibo" if language == "zh" else "envent"
    made = []
    for fold in range(folds):
        texts = [e.sentences for e in examples if e.fold == fold and e.source == everyday and not e.rules]
        fillers = [s for sentences in texts for s in sentences]
        fillers += [s for e in examples if e.fold == fold and e.source == "own" and e.kind == "ordinary" for s in e.sentences]
        for line in (e for e in examples if e.fold == fold and e.source == "own"):
            sentences = rng.sample(fillers, rng.randint(*section["buried_fillers"]))
            sentences.insert(rng.randint(0, len(sentences)), " ".join(line.sentences))
            made.append(_Example(sentences, line.crisis, line.kind, "buried", weight, "entry", fold))
        rng.shuffle(texts)
        for start in range(0, len(texts) - section["diary_texts"] + 1, section["diary_texts"]):
            joined = [s for sentences in texts[start:start + section["diary_texts"]] for s in sentences]
            made.append(_Example(joined, False, "text", "diary", weight, "entry", fold))
    return made


def _embed(model, sentences: list[str], top: torch.nn.ModuleList | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Each sentence's embedding exactly as `predict` gives it to the probe (by the probe's own `top` layers where
    it has them), and its token count (the weight it has in the entry embedding, which is the token-weighted mean
    of its sentences' embeddings)."""
    from visualizer.affect.encoder import chunk_texts
    from visualizer.affect.predict import branch_sentence_embeddings, sentence_embeddings

    tokens = torch.zeros(len(sentences))
    chunks = chunk_texts(model.tokenizer, sentences)
    tokens.index_add_(0, torch.tensor(chunks.owner, dtype=torch.long), torch.tensor([float(len(ids)) for ids in chunks.input_ids]))
    embeddings = sentence_embeddings(model, sentences) if top is None else branch_sentence_embeddings(model, sentences, top)
    return embeddings.float(), tokens


@dataclass
class _Inputs:
    """Every example's sentences as rows of one embedding matrix, and each example's entry embedding."""

    sentences: torch.Tensor  # [rows, dim]
    owner: torch.Tensor      # [rows] example of each row
    entries: torch.Tensor    # [examples, dim]
    figures: torch.Tensor    # [rows] holds a figure of speech the rules mask: the probe leaves it to them
    entry_read: np.ndarray   # [examples] where the entry classifier may flag (`_entry_read`)

    @classmethod
    def embed(cls, examples: list[_Example], embed: Callable[[list[str]], tuple[torch.Tensor, torch.Tensor]]) -> "_Inputs":
        """Each distinct sentence embedded once by `embed` (`_embed`), then laid out per example."""
        unique = list(dict.fromkeys(s for e in examples for s in e.sentences))
        embeddings, tokens = embed(unique)
        index = {s: i for i, s in enumerate(unique)}
        rows = torch.tensor([index[s] for e in examples for s in e.sentences])
        owner = torch.tensor([i for i, e in enumerate(examples) for _ in e.sentences])
        weights = tokens[rows].unsqueeze(1)
        entries = torch.zeros(len(examples), embeddings.shape[1]).index_add_(0, owner, embeddings[rows] * weights)
        entries /= torch.zeros(len(examples), 1).index_add_(0, owner, weights).clamp(min=1)
        figures = torch.tensor([has_figure(s) for e in examples for s in e.sentences])
        return cls(embeddings[rows], owner, entries, figures, _entry_read(examples))

    def scores(self, sentence: dict[str, torch.Tensor], entry: dict[str, torch.Tensor]) -> tuple[np.ndarray, np.ndarray]:
        """Each example's sentence score (its highest-scoring sentence) and entry score, as `analyze` reads them."""
        sentences = _score(sentence, self.sentences).masked_fill(self.figures, 0.0)
        return (_max_by_owner(sentences, self.owner, len(self.entries)).numpy(),
                np.where(self.entry_read, _score(entry, self.entries).numpy(), 0.0))


def _max_by_owner(values: torch.Tensor, owner: torch.Tensor, n: int) -> torch.Tensor:
    return torch.full((n,), -torch.inf).scatter_reduce(0, owner, values, "amax", include_self=True)


def _fit(x: torch.Tensor, owner: torch.Tensor, y: torch.Tensor, weight: torch.Tensor, seed: int, weight_decay: float
         ) -> dict[str, torch.Tensor]:
    """One classifier (logistic, or one hidden layer), scored on each example's highest-scoring row, classes balanced
    after the examples' own weights, on standardised features folded back into the first layer."""
    fit = settings()["fit"]
    torch.manual_seed(seed)
    mean, std = x.mean(0), x.std(0).clamp(min=1e-6)
    z = (x - mean) / std
    hidden = int(fit["hidden"])
    layers = ([torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 1)] if hidden
              else [torch.nn.Linear(x.shape[1], 1)])
    net = torch.nn.Sequential(*layers)
    optimiser = torch.optim.Adam(net.parameters(), lr=0.01, weight_decay=weight_decay)
    positive = (weight * y).sum() / weight.sum()
    balanced = weight * torch.where(y, 0.5 / positive, 0.5 / (1 - positive))
    balanced /= balanced.mean()
    for _ in range(int(fit["epochs"])):
        optimiser.zero_grad()
        logits = _max_by_owner(net(z).squeeze(-1), owner, len(y))
        loss = (torch.nn.functional.binary_cross_entropy_with_logits(logits, y.float(), reduction="none") * balanced).mean()
        loss.backward()
        optimiser.step()
    first = net[0]
    w = first.weight.detach() / std
    b = first.bias.detach() - w @ mean
    if not hidden:
        return {"weight": w[0].contiguous(), "bias": b}
    return {"hidden.weight": w.contiguous(), "hidden.bias": b.contiguous(),
            "weight": net[2].weight.detach()[0].contiguous(), "bias": net[2].bias.detach()}


def _score(head: dict[str, torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    from visualizer.safety.probe import Head

    return Head.from_tensors(head).scores(x)


def _fit_both(examples: list[_Example], inputs: _Inputs, rows: np.ndarray, seed: int, weight_decay: float
              ) -> tuple[dict, dict]:
    """The sentence and the entry classifier fit on the examples `rows` picks (`weight_decay`: the language's)."""
    y = torch.tensor([e.crisis for e in examples])
    w = torch.tensor([e.weight for e in examples])
    chosen = torch.zeros(len(examples), dtype=torch.bool)
    chosen[torch.from_numpy(rows)] = True
    reads = np.array([e.reads for e in examples])
    by_sentence = chosen & torch.from_numpy(reads != "entry")
    by_entry = chosen & torch.from_numpy(reads != "sentence")
    keep = by_sentence[inputs.owner]
    remap = torch.cumsum(by_sentence.long(), 0) - 1
    sentence = _fit(inputs.sentences[keep], remap[inputs.owner[keep]], y[by_sentence], w[by_sentence], seed, weight_decay)
    n = int(by_entry.sum())
    entry = _fit(inputs.entries[by_entry], torch.arange(n), y[by_entry], w[by_entry], seed, weight_decay)
    return sentence, entry


def _entry_read(examples: list[_Example]) -> np.ndarray:
    """Where the entry classifier may flag, as `reader._probe_flags` lets it: entries with a sentence free of a
    figure of speech the rules mask (its flag lands on such a sentence)."""
    return np.array([not all(has_figure(s) for s in e.sentences) for e in examples])


def _flags(rules: np.ndarray, sentence: np.ndarray, entry: np.ndarray, t_sentence: float, t_entry: float) -> np.ndarray:
    return rules | (sentence >= t_sentence) | (entry >= t_entry)


def _groups(examples: list[_Example]) -> dict[str, np.ndarray]:
    """The example sets the dev figures are counted on."""
    source = np.array([e.source for e in examples])
    crisis = np.array([e.crisis for e in examples])
    own, buried = source == "own", source == "buried"
    return {"lines": own & crisis, "buried_entries": buried & crisis, "hard_lines": own & ~crisis,
            "hard_entries": buried & ~crisis, "ordinary_entries": source == "diary",
            "everyday_texts": np.isin(source, ["goemotions", "dreaddit", "envent", "weibo"]),
            "posts": np.isin(source, ["irf", "sos"]) & crisis, "post_negatives": np.isin(source, ["irf", "sos"]) & ~crisis}


def _choose(rules: np.ndarray, sentence: np.ndarray, entry: np.ndarray, groups: dict[str, np.ndarray]) -> tuple[float, float]:
    """The threshold pair with the highest mean recall on lines and buried entries within the false-flag limits."""
    limits = settings()["limits"]
    positive = groups["lines"] | groups["buried_entries"]

    def candidates(scores: np.ndarray) -> np.ndarray:
        return np.unique(np.concatenate([np.quantile(scores[positive], np.linspace(0, 1, 150)), [1.01]]))

    # where the rules alone already pass a limit (a small dev set, where one flag is 1 in 60), the probe adds none
    allowed = {name: max(limits[limit], rules[groups[name]].mean())
               for name, limit in (("hard_lines", "hard_lines"), ("ordinary_entries", "entries"),
                                   ("ordinary_texts", "ordinary_texts")) if name in groups and groups[name].any()}
    counted = {name: groups[name] for name in ("lines", "buried_entries", *allowed)}
    best, chosen = -1.0, (1.01, 1.01)
    for t_entry in candidates(entry):
        for t_sentence in candidates(sentence):
            rate = {name: _flags(rules[rows], sentence[rows], entry[rows], t_sentence, t_entry).mean()
                    for name, rows in counted.items()}
            if any(rate[name] > allowed[name] for name in allowed):
                continue
            recall = (rate["lines"] + rate["buried_entries"]) / 2
            if recall > best:
                best, chosen = recall, (float(t_sentence), float(t_entry))
    return chosen


def _rates(flags: np.ndarray, groups: dict[str, np.ndarray]) -> dict[str, float]:
    return {name: round(float(flags[rows].mean()), 4) for name, rows in groups.items() if rows.any()}


def examples_for(options: ProbeOptions, embed_lines: Callable[[list[str]], torch.Tensor]) -> list[_Example]:
    """Every example the probe of `options` learns from, in folds, with the entries built inside each fold;
    `embed_lines` (texts -> [n, dim] embeddings) groups our lines into families for the folds."""
    rng = random.Random(options.seed)
    language = "zh" if options.multilingual else "en"
    corpora = _chinese_corpora(options.data, rng) if language == "zh" else _english_corpora(options.data, rng)
    examples = [e for e in _own(CHINESE_LINES if language == "zh" else ENGLISH_LINES) + corpora if e.sentences]
    for example in examples:
        example.rules = find_signs(example.sentences).flagged
    examples = [e for e in examples if e.source == "own" or e.crisis or not e.rules]
    _assign_folds(examples, settings()["fit"]["folds"], rng, embed_lines)
    made = _entries(examples, settings()["fit"]["folds"], rng, language)
    for example in made:
        example.rules = find_signs(example.sentences).flagged
    for example in examples + made:  # the combined flag is rules OR probe: the probe's work is what the rules miss
        example.weight *= settings()["fit"]["ruled_positives"] if example.crisis and example.rules else 1.0
    return examples + made


def _dev_rows(language: str) -> list[tuple[list[str], bool, str, str]]:
    """The dev sets' lines and entries (`[<language>] dev_sets` under `EVALUATION_DATA`) and our ordinary dev texts
    (`ordinary_dev`: wishes and diary entries written for the desire and entry checks): (sentences, crisis, kind,
    "lines", "entries" or "texts")."""
    section = settings()["english" if language == "en" else "multilingual"]
    rows = []
    for folder in section.get("dev_sets", []):
        for form in ("lines", "entries"):
            for row in _jsonl(EVALUATION_DATA / folder / f"crisis_{language}_{form}.jsonl", ("text", "crisis", "kind")):
                rows.append((_split(row["text"]), bool(row["crisis"]), row["kind"], form))
    for name in section.get("ordinary_dev", []):
        rows += [(_split(row["text"]), False, "ordinary", "texts") for row in _jsonl(EVALUATION_DATA / f"{name}.jsonl")]
    return rows


def _dev_scores(rows, sentence: dict, entry: dict, embed: Callable[[list[str]], tuple[torch.Tensor, torch.Tensor]]
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Rules, sentence and entry scores of the dev rows as `analyze` computes them, and their count groups."""
    examples = [_Example(sentences, crisis, kind, "dev", 1.0) for sentences, crisis, kind, _ in rows]
    sentence_scores, entry_scores = _Inputs.embed(examples, embed).scores(sentence, entry)
    form, crisis = np.array([row[3] for row in rows]), np.array([row[1] for row in rows])
    groups = {"lines": (form == "lines") & crisis, "buried_entries": (form == "entries") & crisis,
              "hard_lines": (form == "lines") & ~crisis, "ordinary_entries": (form == "entries") & ~crisis,
              "ordinary_texts": form == "texts"}
    return np.array([find_signs(e.sentences).flagged for e in examples]), sentence_scores, entry_scores, groups


def train(options: ProbeOptions, log=print) -> dict[str, float]:
    """Train the probe's own top layers where its language has them, embed the material once with them (or with the
    shipped model alone), fit the classifiers out of fold, choose the thresholds, fit on all, save.

    The thresholds are chosen on the out-of-fold scores, except where the language names dev sets: fresh writing
    nothing here trained on, closer to a user's than our own lines held out by family, and the only fair choice where
    top layers trained on every fold would make the out-of-fold scores too kind (the out-of-fold figures are still
    written, as figures of the material).
    """
    from visualizer.affect.model import MULTILINGUAL_WEIGHTS, WEIGHTS, AffectModel, probe_name
    from visualizer.affect.encoder import adapted_top
    from visualizer.training.crisis_top import train_top

    if options.threads:
        torch.set_num_threads(options.threads)
    language = "zh" if options.multilingual else "en"
    section = settings()["multilingual" if options.multilingual else "english"]
    affect = MULTILINGUAL_WEIGHTS if options.multilingual else WEIGHTS
    model = AffectModel.load(affect)
    examples = examples_for(options, lambda texts: _embed(model, texts)[0])
    log(f"{sum(e.crisis for e in examples)} crisis examples, {sum(not e.crisis for e in examples)} others")
    top, adapter, knobs = None, {}, {**settings()["top"], "layers": section.get("top_layers", 0)}
    if knobs["layers"]:
        read = [e for e in examples if e.source not in ("buried", "diary")]
        adapter = train_top(model, [" ".join(e.sentences) for e in read], [e.crisis for e in read],
                            [e.weight for e in read], knobs, options.seed, log)
        adapter = {k: v.half() for k, v in adapter.items()}  # as it is saved, so the thresholds fit what loads
        top = adapted_top(model.encoder, adapter, knobs["layers"], knobs["lora_alpha"] / knobs["lora_rank"])
    embed = lambda sentences: _embed(model, sentences, top)  # noqa: E731
    inputs = _Inputs.embed(examples, embed)

    folds = np.array([e.fold for e in examples])
    sentence_scores, entry_scores = np.zeros(len(examples)), np.zeros(len(examples))
    for fold in range(settings()["fit"]["folds"]):
        held = folds == fold
        fold_sentence, fold_entry = inputs.scores(*_fit_both(examples, inputs, np.flatnonzero(~held), options.seed,
                                                                  section["weight_decay"]))
        sentence_scores[held], entry_scores[held] = fold_sentence[held], fold_entry[held]
        log(f"fold {fold} done")
    rules = np.array([e.rules for e in examples])
    groups = _groups(examples)
    sentence, entry = _fit_both(examples, inputs, np.arange(len(examples)), options.seed, section["weight_decay"])
    dev = _dev_rows(language)
    if dev:
        dev_rules, dev_sentence, dev_entry, dev_groups = _dev_scores(dev, sentence, entry, embed)
        t_sentence, t_entry = _choose(dev_rules, dev_sentence, dev_entry, dev_groups)
    else:
        t_sentence, t_entry = _choose(rules, sentence_scores, entry_scores, groups)
    metrics = {"threshold": t_sentence, "entry_threshold": t_entry}
    for name, flags in (("rules", rules), ("combined", _flags(rules, sentence_scores, entry_scores, t_sentence, t_entry))):
        metrics.update({f"{'material' if dev else 'dev'}_{name}_{k}": v for k, v in _rates(flags, groups).items()})
    if dev:
        for name, flags in (("rules", dev_rules), ("combined", _flags(dev_rules, dev_sentence, dev_entry, t_sentence, t_entry))):
            metrics.update({f"dev_{name}_{k}": v for k, v in _rates(flags, dev_groups).items()})

    out = Path(options.out or affect.with_name(probe_name(affect)))
    out.parent.mkdir(parents=True, exist_ok=True)
    tensors = {**{f"sentence.{k}": v for k, v in sentence.items()}, **{f"entry.{k}": v for k, v in entry.items()},
               **{f"top.{k}": v.contiguous() for k, v in adapter.items()}}
    save_file(tensors, str(out))
    counts: dict[str, dict[str, int]] = {}
    for e in examples:
        counts.setdefault(e.source, {"crisis": 0, "other": 0})["crisis" if e.crisis else "other"] += 1
    meta = {"threshold": t_sentence, "entry_threshold": t_entry, "embedding_sha256": embedding_digest(affect),
            "depends_on": {RULES: card_digest(RULES)}, "seed": options.seed, "dim": int(inputs.entries.shape[1]),
            "top": {k: knobs[k] for k in ("layers", "lora_rank", "lora_alpha")} if top is not None else None,
            "dev_sets": section.get("dev_sets", []), "settings": settings(), "examples": counts, "dev_metrics": metrics}
    out.with_suffix(".json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return metrics
