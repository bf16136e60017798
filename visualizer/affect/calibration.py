"""Calibrated scales: V/A/D on −1…1 for the mapping, and the portrait scores anxiety and interest on 0…1.

Importing this module is cheap and torch-free (the reading path and `VAD.normalised()` use it); only `fit_vad`
run as a script (`python -m visualizer.affect.calibration`) loads the model.

**V/A/D (issue 10, part 3).** The heads predict EmoBank's 1–5 ratings, and EmoBank is mostly news, letters and
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
retraining the heads with `python -m visualizer.affect.calibration` (about half a minute on a laptop), which also
refits `fit_vad_match`: the multilingual model's V/A/D carried onto the English model's scale, so that one
calibration serves both reading paths.

**Portrait (part 5).** `anxiety` and `interest` are weighted sums of head outputs (weights in
`data/portrait.toml`), turned into 0…1 by a saturating `1 − exp(−max(0, raw − offset) / scale)`: `offset` is
what an ordinary sentence carries (75th percentile of the raw score on EmoBank dev), `scale` is fitted so that
the 95th percentile of the raw score over the dev texts (tests/data/accounts_dev.jsonl and EmoBank dev) maps to 0.9.
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
EMOBANK = Path(__file__).resolve().parents[3] / "shared" / "data" / "emobank" / "emobank.csv"  # ../shared/data
DIMENSIONS = ("valence", "arousal", "dominance")
QUANTILES = (0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995,
             0.999)


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


def fit_knots(predictions: list[float], squash: float = 1.0, neutral: float = 3.0) -> dict[str, list[float]]:
    """Knots of the calibrated map for one dimension from the reference predictions (see the module docstring)."""
    from statistics import NormalDist

    ref = sorted(float(x) for x in predictions)
    n = len(ref)

    def quantile(p: float) -> float:
        pos = p * (n - 1)
        lo = int(pos)
        return ref[lo] + (ref[min(lo + 1, n - 1)] - ref[lo]) * (pos - lo)

    def cdf(x: float) -> float:
        return bisect.bisect_left(ref, x) / n

    median = quantile(0.5)
    lo, hi = min(neutral, median), max(neutral, median)
    f_lo, f_hi = max(cdf(lo), 1e-6), min(cdf(hi), 1 - 1e-6)
    if lo == median:
        f_lo = 0.5
    if hi == median:
        f_hi = 0.5

    def value(x: float, p: float) -> float:
        if x <= lo:
            q = 0.5 * p / f_lo
        elif x >= hi:
            q = 0.5 + 0.5 * (p - f_hi) / (1 - f_hi)
        else:
            q = 0.5
        q = min(max(q, 1e-4), 1 - 1e-4)
        return math.tanh(NormalDist().inv_cdf(q) / squash)

    points = {lo: 0.0, hi: 0.0}
    for p in QUANTILES:
        x = quantile(p)
        if 1.0 < x < 5.0 and not lo <= x <= hi:
            points[x] = value(x, p)
    xs = [1.0] + sorted(points) + [5.0]
    ys = [-1.0] + [round(points[x], 5) for x in xs[1:-1]] + [1.0]
    return {"x": [round(x, 5) for x in xs], "y": ys}


def fit_vad(emobank: Path = EMOBANK, out: Path = CALIBRATION, squash: float = 1.0) -> dict:
    """Refit `data/calibration.json` from the shipped model's predictions on EmoBank train and dev."""
    import csv
    import hashlib

    from visualizer.affect.reader import load_model
    from visualizer.affect.model import WEIGHTS
    from visualizer.affect.predict import predict

    with Path(emobank).open(encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    vad = predict(load_model(), texts).entries.vad
    weights = Path(WEIGHTS).with_suffix(".safetensors")
    data = {
        "about": "Calibrated V/A/D (−1…1) for VAD.normalised(): see visualizer/affect/calibration.py. Knots (x on "
                 "EmoBank's 1–5 scale, y calibrated), interpolated linearly.",
        "reference": f"the model's predictions on EmoBank train+dev ({len(texts)} sentences)",
        "squash": squash,
        "weights_sha256": hashlib.sha256(weights.read_bytes()).hexdigest()[:16] if weights.exists() else "",
        "reference_median": [round(float(sorted(vad[:, j])[len(texts) // 2]), 4) for j in range(3)],
        "reference_std": [round(float(vad[:, j].std()), 4) for j in range(3)],
    }
    for j, dimension in enumerate(DIMENSIONS):
        data[dimension] = fit_knots(vad[:, j].tolist(), squash)
    lines = [f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}" for key, value in data.items()]
    out.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    _knots.cache_clear()
    return data


def fit_vad_match(emobank: Path = EMOBANK) -> dict:
    """Knots that carry the multilingual model's V/A/D onto the English model's: at each reference quantile of
    their predictions on EmoBank train+dev, x is the multilingual model's value and y the English model's
    (monotone; ends (1, 1) and (5, 5)). Written into the multilingual weights' config (`AffectConfig.vad_match`),
    so `VAD.normalised()` and the portrait read both paths on one scale. Pearson correlations do not move."""
    import csv

    import numpy as np

    from visualizer.affect.model import MULTILINGUAL_WEIGHTS, WEIGHTS, AffectModel
    from visualizer.affect.predict import predict

    with Path(emobank).open(encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    multilingual = AffectModel.load(MULTILINGUAL_WEIGHTS)
    multilingual.config.vad_match = {}
    source = predict(multilingual, texts).entries.vad
    target = predict(AffectModel.load(WEIGHTS), texts).entries.vad
    quantiles = np.array((0.0, *QUANTILES, 1.0))
    match = {}
    for j, dimension in enumerate(DIMENSIONS):
        xs, ys = np.quantile(source[:, j], quantiles), np.quantile(target[:, j], quantiles)
        xs, ys = np.maximum.accumulate(xs), np.maximum.accumulate(ys)
        keep = np.r_[True, np.diff(xs) > 1e-6]
        match[dimension] = {"x": [1.0] + [round(float(x), 5) for x in xs[keep]] + [5.0],
                            "y": [1.0] + [round(float(y), 5) for y in ys[keep]] + [5.0]}
    multilingual.config.vad_match = match
    multilingual.save(MULTILINGUAL_WEIGHTS)
    return match


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


if __name__ == "__main__":  # pragma: no cover - refit by hand after retraining either model
    result = fit_vad()
    print(json.dumps({k: v for k, v in result.items() if k not in DIMENSIONS}, indent=1))
    print(json.dumps(fit_vad_match()))
