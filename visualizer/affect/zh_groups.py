"""The seven feelings of Chinese text, read by a linear model over character n-grams and the plain encoder.

Why: the multilingual head reads Chinese posts' seven emotion groups (the Weibo labels, `labels.WEIBO_GROUPS`) at
dev macro-F1 0.376 over head seeds, short of the 0.40 asked of it; a 4-bit e5-small adapted on 3,400 posts
is as far as the encoder takes it. Chinese emotion is carried by short words (想哭, 气死, 好怕, 恶心, 居然), which
character uni- and bigrams see directly: a class-balanced logistic regression on their TF-IDF alone read the posts
at 0.418 cross-validated, and with the plain (un-adapted) e5 embedding beside them at 0.438 (5-fold over the
3,966 posts, 2026-12-06). The adapted embedding cannot stand in: its adapter learned the training posts' labels,
so a model fit on them over-trusts it (0.39 on the dev split). `token_sums` gives the plain embedding at the cost of
the adapted layers only (`AffectModel.frozen_top`).

It also learns from 5,534 SMP2020-EWECT Weibo posts (their "usual" subset less neutral), whose six classes merge
some of the seven (happy: happiness or like; angry: anger or disgust): a partial-label loss fits them by the
probability of their class's groups, so the same seven-way softmax learns from both and reading is unchanged
(`visualizer.training.zh_groups`). Measured in one environment (2026-12-07), CLUE-only → with SMP: 5-fold CV
macro-F1 0.423 → 0.435, groups weighed evenly 0.411 → 0.447; fear and surprise gain most.

How it is used (`predict`): for every Chinese sentence and entry, the feeling this reader puts first leads the seven
group sums of the head's 28 probabilities (`lead_with`), changed as little as that takes. So "which feeling" is read
by the model trained for Chinese, "which shade of it" (grief or disappointment within sadness) and "how strongly" by
the 28-label head, and neutral is untouched. Sharing the head's whole mass among the groups by the reader's
probabilities instead scored the same (the top group is the reader's either way) but handed a single-label
feeling like disgust a third of a row's mass, so it topped ordinary diary entries.

The TF-IDF transform is scikit-learn's (`TfidfVectorizer(analyzer="char", sublinear_tf=True)`), redone in numpy
from the saved vocabulary so that reading needs no scikit-learn and no pickle; `tests/test_zh_groups.py` checks
that both give the same features. `visualizer train --zh-groups` fits it (`visualizer.training.zh_groups`).
"""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save_file

from visualizer.affect.labels import WEIBO_GROUPS, group_matrix
from visualizer.text.scripts import to_simplified

READER = Path(__file__).with_name("weights") / "zh_groups-multilingual.safetensors"
_WHITE_SPACE = re.compile(r"\s\s+")  # scikit-learn's char analyzer folds runs of white space to one space
_GROUPS = group_matrix(WEIBO_GROUPS)  # [28, 7]
LEAD_MARGIN = 1.1  # the reader's feeling, where raised, leads the head's strongest group by a tenth


@dataclass
class GroupReader:
    """P(group | text) = softmax(coef · [tf-idf n-grams, gamma · standardised unit embedding] + intercept)."""

    vocabulary: dict[str, int]
    idf: np.ndarray         # [V]
    mean: np.ndarray        # [D] of the unit embedding, over the training posts
    std: np.ndarray         # [D]
    coef: np.ndarray        # [7, V + D]
    intercept: np.ndarray   # [7]
    ngram: tuple[int, int]
    gamma: float
    meta: dict = field(default_factory=dict)  # encoder, frozen layers, chosen knobs, cross-validated and dev figures

    def ngram_weights(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The text's known n-grams (vocabulary indices) and their sublinear TF-IDF, L2-normalised: one sparse row."""
        counts = Counter(g for g in char_ngrams(text, self.ngram) if g in self.vocabulary)
        indices = np.array([self.vocabulary[g] for g in counts], dtype=np.int64)
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self.idf[indices]
        norm = np.linalg.norm(values)
        return indices, values / norm if norm > 0 else values

    def probabilities(self, texts: list[str], embeddings: np.ndarray) -> np.ndarray:
        """[n, 7] in `WEIBO_GROUPS` order, from the texts and their plain-encoder embeddings [n, D]."""
        vocabulary = len(self.idf)
        unit = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-12)
        logits = self.gamma * ((unit - self.mean) / self.std) @ self.coef[:, vocabulary:].T + self.intercept
        for row, text in enumerate(texts):  # the n-gram part row by row: a dense [n, V] matrix would cost gigabytes
            indices, values = self.ngram_weights(text)
            logits[row] += self.coef[:, indices] @ values
        logits -= logits.max(1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(1, keepdims=True)

    def save(self, path: Path = READER) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = ("idf", "mean", "std", "coef", "intercept")  # contiguous: scikit-learn's coef_ is column-major
        save_file({name: np.ascontiguousarray(getattr(self, name), dtype=np.float32) for name in arrays}, str(path))
        vocabulary = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        meta = self.meta | {"ngram": list(self.ngram), "gamma": self.gamma, "vocabulary": vocabulary}
        path.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def char_ngrams(text: str, ngram: tuple[int, int]) -> list[str]:
    """scikit-learn's `analyzer="char"` n-grams: lower-cased, white space runs folded, every n in the range (of
    the text with Traditional characters folded into Simplified, as `_fit` gives it to scikit-learn)."""
    text = _WHITE_SPACE.sub(" ", to_simplified(text).lower())
    return [text[i:i + n] for n in range(ngram[0], ngram[1] + 1) for i in range(len(text) - n + 1)]


def load(path: Path = READER, encoder: str | None = None, frozen_layers: int | None = None) -> GroupReader | None:
    """The reader at `path`, or None where there is none or it reads another encoder than the model's."""
    if not path.exists():
        return None
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    if (encoder, frozen_layers) != (meta["encoder"], meta["frozen_layers"]):
        warnings.warn(f"{path.name} reads {meta['encoder']} (top {meta['frozen_layers']} layers plain), not this "
                      "model's encoder: Chinese feelings come from the head alone (retrain with "
                      "`visualizer train --zh-groups`)", stacklevel=2)
        return None
    arrays = load_file(str(path))
    vocabulary = {gram: i for i, gram in enumerate(meta.pop("vocabulary"))}
    return GroupReader(vocabulary, arrays["idf"], arrays["mean"], arrays["std"], arrays["coef"], arrays["intercept"],
                       tuple(meta.pop("ngram")), float(meta.pop("gamma")), meta)


def lead_with(emotions: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """28 probabilities per row [n, 28] in which the reader's top group `groups.argmax(1)` [n, 7] leads the seven
    group sums, changed as little as that takes.

    Where the head already leads with that feeling nothing moves. Otherwise the reader's feeling is raised to
    LEAD_MARGIN times the head's strongest group (its labels in proportion, evenly where the head gave it nothing,
    each capped at 1), and only where the cap keeps it short are the groups above it lowered to let it lead. Every
    other probability, neutral included, stays the head's: a single-label feeling (disgust) is never handed a
    whole row's mass, and "which shade" and "how strongly" stay the head's reading.
    """
    emotions = np.array(emotions, dtype=np.float64)
    for row, lead in enumerate(np.asarray(groups).argmax(1)):
        sums = emotions[row] @ _GROUPS
        others = np.delete(sums, lead).max()
        if sums[lead] > others or others <= 0:  # led already, or nothing read to lead
            continue
        members = _GROUPS[:, lead] > 0
        share = emotions[row, members] / sums[lead] if sums[lead] > 1e-9 else np.full(members.sum(), 1 / members.sum())
        wanted = share * LEAD_MARGIN * others
        emotions[row, members] = np.minimum(wanted, 1.0)
        raised = emotions[row, members].sum()
        if (wanted > 1.0).any():  # the cap left it short of leading: lower the groups above it
            for group in np.flatnonzero((sums * LEAD_MARGIN > raised) & (np.arange(len(sums)) != lead)):
                emotions[row, _GROUPS[:, group] > 0] *= raised / (LEAD_MARGIN * sums[group])
    return emotions
