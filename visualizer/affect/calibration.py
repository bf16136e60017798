"""Calibrated scales: V/A/D on −1…1 for the mapping, and the portrait scores anxiety and interest on 0…1.

Importing this module is cheap and torch-free (the reading path and `VAD.normalised()` use it); the knots are fit
by `visualizer.training.calibration`, which loads the model.

**V/A/D.** The heads predict EmoBank's 1–5 ratings, and EmoBank is mostly news, letters and
fiction: its ratings, and so the predictions, crowd around 3 (standard deviation of the predictions 0.35 for
valence, 0.22 arousal, 0.17 dominance), so `(x − 3) / 2` used only a quarter of the −1…1 scale. The calibrated
value of a reading x is its place in a *reference distribution*: the model's own predictions on every EmoBank
sentence (train and dev splits, 9,062), expressed as a normal score and squashed:

    p  = F(x)                       the share of reference predictions below x (the empirical CDF)
    p' = anchored p                 3.0 (the rating scale's labelled neutral) and the reference median both
                                    map to p' = ½, the band between them is flat, and each side is rescaled
                                    by its own share: below the lower anchor p' = ½ p / F(lo), above the
                                    upper one p' = ½ + ½ (p − F(hi)) / (1 − F(hi))
    y  = tanh(Φ⁻¹(p') / k)          k = `squash` (1.0): the reference's 84th percentile (+1 normal SD) maps
                                    to +0.76, its 98th to +0.96, its median to 0

It is stored as knots (x, y) at reference quantiles in `data/calibration.json`, interpolated linearly, with
(1, −1) and (5, +1) as end knots: monotone, 3.0 ↦ 0 exactly, always within −1…1, cheap. Dominance is centred
above 3 in EmoBank (median prediction 3.05, gold mean 3.06), so its flat band is 3.00…3.05. Refit after
retraining the heads with `python -m visualizer.training.calibration` (about half a minute on a laptop), which also
refits `fit_vad_match`: the multilingual model's V/A/D carried onto the English model's scale, so that one
calibration serves both reading paths.

**Portrait.** `anxiety` and `interest` are weighted sums of head outputs (weights in
`data/portrait.toml`), turned into 0…1 by a saturating `1 − exp(−max(0, raw − offset) / scale)`: `offset` is
what an ordinary sentence carries (75th percentile of the raw score on EmoBank dev), `scale` is fitted so that
the 95th percentile of the raw score over the dev texts (data/evaluation/accounts_dev.jsonl and EmoBank dev) maps to 0.9.
"""

from __future__ import annotations

import bisect
import json
import math
import tomllib
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
CALIBRATION = DATA / "calibration.json"
PORTRAIT = DATA / "portrait.toml"
DIMENSIONS = ("valence", "arousal", "dominance")


@lru_cache(maxsize=1)
def _knots() -> dict[str, tuple[tuple[float, ...], tuple[float, ...]]]:
    data = json.loads(CALIBRATION.read_text(encoding="utf-8"))
    return {d: (tuple(data[d]["x"]), tuple(data[d]["y"])) for d in DIMENSIONS}


def calibrate(dimension: str, x: float) -> float:
    """One reading on EmoBank's 1–5 scale → the calibrated −1…1 scale (monotone; 3.0 ↦ 0)."""
    xs, ys = _knots()[dimension]
    x = float(x)
    if math.isnan(x):
        return 0.0
    if x <= xs[0]:
        return ys[0]
    if x >= xs[-1]:
        return ys[-1]
    i = bisect.bisect_right(xs, x)
    x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
    return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)


# --- portrait: anxiety and interest ---------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _portrait() -> dict:
    with PORTRAIT.open("rb") as handle:
        return tomllib.load(handle)


def _raw(score: dict, emotions: dict[str, float], stress: float, valence: float, arousal: float) -> float:
    """Weighted evidence for one portrait score. `valence`/`arousal` are calibrated (−1…1)."""
    features = {
        "stress": stress,
        "arousal_up": max(0.0, arousal),
        "unpleasant_arousal": max(0.0, arousal) * max(0.0, -valence),
        "pleasant_arousal": max(0.0, arousal) * max(0.0, valence),
    }
    total = 0.0
    for name, weight in score["weights"].items():
        total += weight * float(features[name] if name in features else emotions.get(name, 0.0))
    return max(0.0, total)


def portrait_raw(emotions: dict[str, float], stress: float, vad) -> tuple[float, float]:
    """The uncalibrated (anxiety, interest) evidence; `vad` on the 1–5 scale."""
    norm = vad.normalised()
    table = _portrait()
    return tuple(_raw(table[name], emotions, stress, norm.valence, norm.arousal) for name in ("anxiety", "interest"))


def portrait(emotions: dict[str, float], stress: float, vad) -> tuple[float, float]:
    """(anxiety, interest), each 0…1: `1 − exp(−max(0, raw − offset) / scale)` of the weighted evidence
    (data/portrait.toml)."""
    table = _portrait()
    raw = portrait_raw(emotions, stress, vad)
    return tuple(round(1.0 - math.exp(-max(0.0, r - float(table[name].get("offset", 0.0))) / float(table[name]["scale"])), 4)
                 for name, r in zip(("anxiety", "interest"), raw))
