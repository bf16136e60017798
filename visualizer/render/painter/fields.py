"""Seeded noise fields for the motif painter: the expensive, seed-only part of a picture, computed once.

Everything here depends on (seed, size) only, so frame sequences reuse it and blend two keyframes' fields
with variance-preserving weights (cos/sin), the painter's analogue of slerping diffusion noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image

RIDGES = 5


def _upscale(grid: np.ndarray, width: int, height: int) -> np.ndarray:
    return np.array(Image.fromarray(grid.astype(np.float32), mode="F").resize((width, height), Image.BICUBIC))


def fractal(rng: np.random.Generator, size: int, octaves=(3, 6, 12, 24, 48), persistence: float = 0.55) -> np.ndarray:
    """Smooth multi-octave value noise, mean 0 and std 1, as float32 (size, size)."""
    out = np.zeros((size, size), np.float32)
    amplitude = 1.0
    for cells in octaves:
        out += amplitude * _upscale(rng.standard_normal((cells + 1, cells + 1)), size, size)
        amplitude *= persistence
    out -= out.mean()
    return out / (out.std() + 1e-6)


def profile(rng: np.random.Generator, size: int, octaves) -> np.ndarray:
    """A 1-D fractal line of length `size` (ridge silhouettes), std 1."""
    out = np.zeros(size, np.float32)
    amplitude = 1.0
    for cells in octaves:
        out += amplitude * _upscale(rng.standard_normal((1, cells + 1)), size, 1)[0]
        amplitude *= 0.5
    out -= out.mean()
    return out / (out.std() + 1e-6)


def line_integral(theta: np.ndarray, noise: np.ndarray, steps: int) -> np.ndarray:
    """Line-integral convolution: smear noise along the flow field → brush strokes that follow the flow."""
    size = noise.shape[0]
    dx, dy = np.cos(theta).astype(np.float32), np.sin(theta).astype(np.float32)
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32)
    acc = noise.copy()
    for direction in (1.0, -1.0):
        px, py = xs.copy(), ys.copy()
        for _ in range(steps):
            ix = px.astype(np.int32) % size
            iy = py.astype(np.int32) % size
            px += direction * dx[iy, ix]
            py += direction * dy[iy, ix]
            acc += noise[py.astype(np.int32) % size, px.astype(np.int32) % size]
    acc /= 2 * steps + 1
    acc -= acc.mean()
    return acc / (acc.std() + 1e-6)


@dataclass
class Fields:
    """Noise for one seed at one size. `strokes` is computed at half size for speed and upscaled."""

    wash: np.ndarray      # large soft blooms (colour fields)
    clouds: np.ndarray    # horizontally stretched bands for the sky
    detail: np.ndarray    # finer second noise (cloud texture, granulation)
    flow: np.ndarray      # flow angle in radians (drives warp and strokes)
    strokes: np.ndarray   # LIC brush texture, std 1
    grain: np.ndarray     # per-pixel noise for paper/film grain
    smooth: np.ndarray    # (RIDGES, size) gentle ridge profiles
    jagged: np.ndarray    # (RIDGES, size) sharp ridge detail, mixed in with arousal

    def blend(self, other: "Fields", t: float) -> "Fields":
        if t <= 0.0 or other is self:
            return self
        if t >= 1.0:
            return other
        a, b = math.cos(t * math.pi / 2), math.sin(t * math.pi / 2)
        mix = lambda x, y: (a * x + b * y).astype(np.float32)  # noqa: E731 - variance-preserving blend
        return Fields(mix(self.wash, other.wash), mix(self.clouds, other.clouds), mix(self.detail, other.detail),
                      (1 - t) * self.flow + t * other.flow, mix(self.strokes, other.strokes),
                      self.grain, mix(self.smooth, other.smooth), mix(self.jagged, other.jagged))


@lru_cache(maxsize=16)
def fields(seed: int, size: int, stroke_steps: int) -> Fields:
    rng = np.random.default_rng(seed)
    wash = fractal(rng, size)
    detail = fractal(rng, size, octaves=(8, 16, 32, 64, 128), persistence=0.6)
    flow = (fractal(rng, size, octaves=(2, 4, 8), persistence=0.5) * 1.3).astype(np.float32)
    half = max(32, size // 2)
    brush = _upscale(rng.standard_normal((half // 2, half // 2)), half, half)
    brush += 0.6 * rng.standard_normal((half, half)).astype(np.float32)
    theta = _upscale(flow, half, half)
    strokes = _upscale(line_integral(theta, brush, stroke_steps), size, size)
    grain = rng.standard_normal((size, size)).astype(np.float32)
    stretched = wash[:, (np.arange(size) * 0.3).astype(np.int32)]
    clouds = stretched + 0.35 * detail
    smooth = np.stack([profile(rng, size, (2, 4, 7)) for _ in range(RIDGES)])
    jagged = np.stack([profile(rng, size, (12, 24, 48, 96)) for _ in range(RIDGES)])
    return Fields(wash, clouds, detail, flow, strokes, grain, smooth, jagged)
