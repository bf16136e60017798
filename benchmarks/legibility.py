"""Legibility: can a simple classifier name the writer's feeling from the motif pictures alone?

The outside check of issue 11 paints first-person accounts of joy, fear, anger and sadness with the motif
backend and compares two cross-validated logistic regressions: one on colour, light and texture statistics of
the pictures, one on the reading's own scores (28 emotions, V/A/D, stress). Pictures must reach accuracy ≥ 0.55
and ≥ 0.90 × the reading's accuracy: what the reading knows should survive the painting.

This script builds the same measurement on development data only (the held-out accounts stay outside):
the accounts of `data/evaluation/accounts_dev.jsonl` with one of the four labels, topped up to `--per-feeling`
entries per feeling with multi-sentence entries assembled from the GoEmotions dev split
(`visualizer.training.entry_dev.build_entries`: one feeling sentence among neutral ones). Every entry is read by
the shipped model, mapped by `map_state` (no personal baseline: each account stands alone) and painted with
`MotifBackend` at `--size` pixels.

    python benchmarks/legibility.py [--per-feeling 50] [--size 128] [--style watercolor] [--sheet out.png] [--json]

Picture features (all from the RGB pixels): mean and standard deviation of HSV and CIE Lab channels, luminance
quantiles (10/50/90 %), Hasler–Süsstrunk colourfulness, edge energy (mean gradient magnitude) and the share of
dark and of bright pixels. Both classifiers are `StandardScaler` + `LogisticRegression`, scored by stratified
5-fold cross-validation repeated 5 times with a fixed seed (the mean over 25 folds: a single 5-fold split of 200
entries moves by ±0.02 with the split alone), so a rerun on the same code gives the same figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
FEELINGS = ("joy", "fear", "anger", "sadness")
ACCOUNTS = ROOT / "data" / "evaluation" / "accounts_dev.jsonl"
GOEMOTIONS_DEV = ROOT.parent / "shared" / "data" / "goemotions" / "dev.tsv"


def labelled_entries(per_feeling: int, goemotions_dev: Path) -> list[tuple[str, str, bool]]:
    """(text, feeling, is an account): the dev accounts first, then assembled GoEmotions entries up to
    `per_feeling` each."""
    from visualizer.training.entry_dev import build_entries

    if not goemotions_dev.is_file():
        sys.exit(f"{goemotions_dev}: GoEmotions dev split not found (pass --goemotions PATH)")
    rows = [json.loads(line) for line in ACCOUNTS.read_text("utf-8").splitlines() if line.strip()]
    assembled = build_entries(goemotions_dev)
    chosen: list[tuple[str, str, bool]] = []
    for feeling in FEELINGS:
        accounts = [r["text"] for r in rows if r["label"] == feeling][:per_feeling]  # the file also holds "interest"
        chosen += [(text, feeling, True) for text in accounts]
        chosen += [(e.text, feeling, False) for e in assembled if e.group == feeling][:per_feeling - len(accounts)]
    return chosen


def picture_features(image: Image.Image) -> np.ndarray:
    """Colour, light and texture statistics of one picture (no knowledge of how it was painted)."""
    rgb = np.asarray(image.convert("RGB"), np.float32) / 255.0
    hsv = np.asarray(image.convert("HSV"), np.float32) / 255.0
    lab = _lab(rgb)
    luma = rgb @ np.array([0.299, 0.587, 0.114], np.float32)
    rg, yb = rgb[..., 0] - rgb[..., 1], 0.5 * (rgb[..., 0] + rgb[..., 1]) - rgb[..., 2]
    colourfulness = np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean())
    hue = hsv[..., 0] * 2 * np.pi  # circular: mean direction weighted by saturation
    weight = hsv[..., 1]
    hue_x, hue_y = (weight * np.cos(hue)).mean(), (weight * np.sin(hue)).mean()
    gy, gx = np.gradient(luma)
    return np.array([
        *hsv[..., 1:].reshape(-1, 2).mean(0), *hsv[..., 1:].reshape(-1, 2).std(0), hue_x, hue_y,
        *lab.reshape(-1, 3).mean(0), *lab.reshape(-1, 3).std(0),
        *np.quantile(luma, (0.1, 0.5, 0.9)), (luma < 0.25).mean(), (luma > 0.75).mean(),
        colourfulness, np.hypot(gx, gy).mean(),
    ], np.float64)


def _lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB (0…1) → CIE Lab (D65)."""
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = linear @ np.array([[0.4124, 0.2126, 0.0193], [0.3576, 0.7152, 0.1192], [0.1805, 0.0722, 0.9505]],
                            np.float32)
    xyz /= np.array([0.9505, 1.0, 1.089], np.float32)
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1)


def reading_features(state) -> np.ndarray:
    """The reading's own scores: 28 emotion probabilities, normalised V/A/D and stress."""
    from visualizer.affect.labels import EMOTIONS

    vad = state.vad.normalised()
    return np.array([state.emotions.get(e, 0.0) for e in EMOTIONS] + [vad.valence, vad.arousal, vad.dominance,
                                                                       state.stress], np.float64)


def cross_validated_accuracy(features: np.ndarray, labels: list[str]) -> float:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import RepeatedStratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
    folds = RepeatedStratifiedKFold(n_splits=5, n_repeats=5, random_state=0)
    return float(cross_val_score(model, features, labels, cv=folds).mean())


def contact_sheet(images: list[Image.Image], labels: list[str], path: Path, per_row: int = 12) -> None:
    """One row block per feeling, so the four feelings can be compared by eye."""
    size = images[0].width
    rows = []
    for feeling in FEELINGS:
        mine = [im for im, lab in zip(images, labels) if lab == feeling][:per_row * 2]
        rows += [mine[i:i + per_row] for i in range(0, len(mine), per_row)]
    sheet = Image.new("RGB", (per_row * size, len(rows) * size), "white")
    for r, row in enumerate(rows):
        for c, image in enumerate(row):
            sheet.paste(image, (c * size, r * size))
    sheet.save(path)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-feeling", type=int, default=50)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--style", default="watercolor")
    parser.add_argument("--goemotions", type=Path, default=GOEMOTIONS_DEV)
    parser.add_argument("--sheet", type=Path, help="write a contact sheet (two rows per feeling) to this PNG")
    parser.add_argument("--json", action="store_true", help="last line: one JSON object with the figures")
    args = parser.parse_args(argv)

    from visualizer.affect import analyze
    from visualizer.mapping import map_state
    from visualizer.render.motif import MotifBackend

    entries = labelled_entries(args.per_feeling, args.goemotions)
    texts, labels = [t for t, _, _ in entries], [f for _, f, _ in entries]
    accounts = [i for i, (_, _, account) in enumerate(entries) if account]
    states = analyze(texts)
    conds = [map_state(s, style=args.style, key=f"legibility-{i}") for i, s in enumerate(states)]
    images = MotifBackend().render(conds, args.size)
    pictures = np.stack([picture_features(im) for im in images])
    readings = np.stack([reading_features(s) for s in states])
    picture_accuracy = cross_validated_accuracy(pictures, labels)
    reading_accuracy = cross_validated_accuracy(readings, labels)
    account_labels = [labels[i] for i in accounts]
    account_figures = (cross_validated_accuracy(pictures[accounts], account_labels),
                       cross_validated_accuracy(readings[accounts], account_labels))
    scenes = {f: {} for f in FEELINGS}
    for cond, feeling in zip(conds, labels):
        scenes[feeling][cond.scene or "-"] = scenes[feeling].get(cond.scene or "-", 0) + 1
    result = {"n": len(entries), "per_feeling": {f: labels.count(f) for f in FEELINGS},
              "picture_accuracy": round(picture_accuracy, 4), "reading_accuracy": round(reading_accuracy, 4),
              "ratio": round(picture_accuracy / reading_accuracy, 4) if reading_accuracy else 0.0,
              "accounts": {"n": len(accounts), "picture_accuracy": round(account_figures[0], 4),
                           "reading_accuracy": round(account_figures[1], 4)},
              "size": args.size, "style": args.style, "scenes": scenes}
    if args.sheet:
        contact_sheet(images, labels, args.sheet)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"entries: {result['n']} ({', '.join(f'{f} {n}' for f, n in result['per_feeling'].items())})")
        print(f"picture accuracy  {picture_accuracy:.3f}   (colour/light/texture statistics of the pictures)")
        print(f"reading accuracy  {reading_accuracy:.3f}   (28 emotions, V/A/D, stress)")
        print(f"ratio             {result['ratio']:.3f}   (target ≥ 0.90, picture accuracy ≥ 0.55)")
        print(f"accounts alone    picture {account_figures[0]:.3f}, reading {account_figures[1]:.3f} "
              f"(n = {len(accounts)}; closest to the outside check, but small)")
        for feeling, counts in scenes.items():
            print(f"  {feeling:8s} scenes: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda i: -i[1])))
    return result


if __name__ == "__main__":
    main()
