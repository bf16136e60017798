"""Fitting the calibrated scales of `visualizer.affect.calibration` (see its docstring for the design).

Run after retraining either model: `python -m visualizer.training.calibration` (about half a minute on a laptop)
refits the English V/A/D knots in `affect/data/calibration.json` and carries the multilingual model's V/A/D onto
that scale (`fit_vad_match`).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from visualizer.affect import calibration
from visualizer.affect.calibration import CALIBRATION, DIMENSIONS
from visualizer.training.paths import SHARED_DATA

EMOBANK = SHARED_DATA / "emobank" / "emobank.csv"
QUANTILES = (0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995,
             0.999)


def fit_knots(predictions: list[float], squash: float = 1.0, neutral: float = 3.0) -> dict[str, list[float]]:
    """Knots of the calibrated map for one dimension from the reference predictions, as defined in
    `visualizer.affect.calibration`: the reference's quantiles (linear) and empirical CDF are numpy's, Φ⁻¹ is
    `NormalDist`'s."""
    from statistics import NormalDist

    import numpy as np

    ref = np.sort(np.asarray(predictions, dtype=np.float64))
    median = float(np.quantile(ref, 0.5))
    lo, hi = min(neutral, median), max(neutral, median)
    share_below = np.searchsorted(ref, [lo, hi]) / len(ref)  # the empirical CDF just below lo and hi
    f_lo = 0.5 if lo == median else max(float(share_below[0]), 1e-6)
    f_hi = 0.5 if hi == median else min(float(share_below[1]), 1 - 1e-6)

    def value(p: float, below: bool) -> float:
        q = 0.5 * p / f_lo if below else 0.5 + 0.5 * (p - f_hi) / (1 - f_hi)
        return math.tanh(NormalDist().inv_cdf(min(max(q, 1e-4), 1 - 1e-4)) / squash)

    points = {lo: 0.0, hi: 0.0}
    for p, x in zip(QUANTILES, np.quantile(ref, QUANTILES).tolist()):
        if 1.0 < x < 5.0 and not lo <= x <= hi:
            points[x] = value(p, x < lo)
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
    calibration._knots.cache_clear()
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


if __name__ == "__main__":  # pragma: no cover - refit by hand after retraining either model
    result = fit_vad()
    print(json.dumps({k: v for k, v in result.items() if k not in DIMENSIONS}, indent=1))
    print(json.dumps(fit_vad_match()))
