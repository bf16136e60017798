"""The style's hand over a composition, with numpy and Pillow: the abstract style's colour fields, a turbulent
warp along the flow field, watercolour pooling, glow, grade, ink, block print, outline, and one multiplicative
surface (flow-following brush strokes, paper, canvas or wood, granulation, vignette), dithered to 8 bits.

All per-pixel work is vectorised; the noise comes from `fields.fields` (seed-only, cached across frames).
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

from visualizer.render.painter.canvas import blur, grid, over, smoothstep, tint
from visualizer.render.painter.colour import LUMA
from visualizer.render.painter.fields import Fields
from visualizer.render.painter.keyframe import Keyframe


def _abstracted(keyframe: Keyframe, f: Fields, img: np.ndarray) -> np.ndarray:
    """Abstract style: translucent colour fields laid over the composition, dissolving its forms."""
    p = keyframe.palette
    y, _ = grid(img.shape[0])
    for i, (threshold, colour) in enumerate(((0.2, p[2]), (0.6, p[3]), (1.0, p[1]), (1.3, p[4]))):
        warp = f.wash * math.cos(i * 1.7) + f.detail * 0.35 * math.sin(i * 2.3) + (y - 0.5) * (1.6 - 0.4 * i)
        alpha = smoothstep(threshold, threshold + 0.25 + 0.2 * (1 - keyframe.turbulence), warp) * 0.45
        img = over(img, colour, alpha)
    return img


def _grade(keyframe: Keyframe) -> tuple[np.ndarray, np.ndarray]:
    """Exposure (valence), warmth, saturation and contrast folded into one 3×3 matrix and an offset."""
    s = keyframe.style
    k, c = 1.0 + 0.12 * keyframe.brightness, s["contrast"]
    saturate = s["saturation"] * np.eye(3, dtype=np.float32) + (1 - s["saturation"]) * np.outer(LUMA, np.ones(3, np.float32))
    warm = np.array([0.045, 0.01, -0.045], np.float32) * keyframe.warmth
    return (k * c) * saturate, c * (warm @ saturate) + 0.5 * (1 - c)


def _surface(keyframe: Keyframe, f: Fields, size: int) -> np.ndarray:
    """One gain map for everything multiplicative: strokes, paper/canvas/wood, granulation, vignette."""
    s = keyframe.style
    y, x = grid(size)
    gain = 1.0 + (0.04 + 0.08 * keyframe.turbulence) * s["stroke_mix"] * f.strokes
    if s["wash"] > 0:
        gain *= 1.0 - 0.035 * s["wash"] * f.detail
    if keyframe.texture == "paper":
        gain *= 1.0 - 0.045 * s["texture_mix"] * (0.18 * f.grain + 0.5 * f.detail)
    elif keyframe.texture == "canvas":
        gain *= 1.0 + s["texture_mix"] * (0.05 * np.sin(x * size * 1.9) * np.sin(y * size * 1.9) + 0.015 * f.grain)
    elif keyframe.texture == "wood":
        gain *= 1.0 + 0.07 * s["texture_mix"] * np.sin(y * size * 0.35 + 6.0 * f.wash[:, ::-1] + 2.0 * f.detail)
    r2 = (x - 0.5) ** 2 + (y - 0.5) ** 2
    gain *= 1.0 - s["vignette"] * 0.9 * np.clip(r2 * 2.0 - 0.1, 0, 1) ** 1.5
    return gain


def _hand(keyframe: Keyframe, f: Fields, img: np.ndarray) -> np.ndarray:
    """The style's hand: turbulent warp, pooling, glow, grade, ink, print, outline, surface."""
    s, size = keyframe.style, img.shape[0]
    y, x = grid(size)
    if keyframe.turbulence > 0.02:  # swirl the picture along the flow field: stillness → wind
        # at most ~2.6 px at 512: larger shifts fold the picture onto itself (flame-like peaks, wavy trunks)
        amount = (0.0015 + 0.0035 * keyframe.turbulence) * size
        ys = np.clip(y * size + amount * np.sin(f.flow * 2.0), 0, size - 1).astype(np.int32)
        xs = np.clip(x * size + amount * np.cos(f.flow * 2.0), 0, size - 1).astype(np.int32)
        img = np.take(img.reshape(-1, 3), (ys * size + xs).ravel(), axis=0).reshape(size, size, 3)
    if s["wash"] > 0:  # watercolour: soften and pool pigment where colour fields meet
        soft = blur(img, size / 110)
        pooled = np.abs(soft - blur(img, size / 35)).sum(-1, keepdims=True)
        img = (soft * (0.5 * s["wash"]) + img * (1 - 0.5 * s["wash"])) * (1.0 - 0.9 * s["wash"] * pooled)
    if s["glow"] > 0:
        img += 0.55 * s["glow"] * blur(np.clip(img - 0.62, 0, None), size / 28)
    matrix, offset = _grade(keyframe)
    img = img @ matrix + offset
    if s["monochrome"] > 0 or keyframe.posterize > 1 or s["outline"] > 0:
        lum = img @ LUMA
    if s["monochrome"] > 0:
        paper = np.array([0.95, 0.93, 0.88], np.float32)
        ink = keyframe.palette[4] * 0.8
        inked = tint(paper - ink, np.clip(lum, 0, 1) ** 0.9)
        img = img * (1 - s["monochrome"]) + (inked + ink) * s["monochrome"]
    if keyframe.posterize > 1:  # block print: a few tones of luminance, inked with the palette from dark to paper
        levels = keyframe.posterize
        ramp = np.concatenate([keyframe.palette[::-1][:levels - 1], np.array([[0.95, 0.92, 0.85]], np.float32)])
        sample = lum[::8, ::8]  # half-stretch the tones to the picture's own range: night scenes still print
        low, high = float(sample.min()), float(sample.max())
        lum = 0.5 * lum + 0.5 * (lum - low) / max(high - low, 0.05)
        tone = np.clip(lum * 1.1 + 0.08 * f.strokes - 0.05, 0, 0.999) * levels
        img = ramp[tone.astype(np.int32)] * 0.85 + img * 0.15
    if s["outline"] > 0:
        edge = np.zeros_like(lum)
        edge[1:, :] += np.abs(np.diff(lum, axis=0))
        edge[:, 1:] += np.abs(np.diff(lum, axis=1))
        img *= (1.0 - s["outline"] * np.clip(edge * 6.0, 0, 0.85))[..., None]
    gain = _surface(keyframe, f, size)
    grain = (0.04 * s["texture_mix"]) * f.grain if keyframe.texture == "grain" else None
    for ch in range(3):  # plane by plane: see canvas.over
        plane = img[..., ch]
        if grain is not None:
            plane += grain
        plane *= gain
    return img


def finish(keyframe: Keyframe, f: Fields, img: np.ndarray) -> Image.Image:
    """The style's hand over a composition, dithered to 8 bits."""
    if keyframe.abstract:
        img = _abstracted(keyframe, f, img)
    img = _hand(keyframe, f, img)
    out = np.empty(img.shape, np.uint8)
    dither = 0.5 + 0.5 * f.grain  # half a level of noise: no banding in smooth skies
    for ch in range(3):
        out[..., ch] = np.clip(img[..., ch] * 255.0 + dither, 0.0, 255.0)
    return Image.fromarray(out)
