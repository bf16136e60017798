"""Colour for the motif painter: hex palettes as float sRGB, and blends in OKLab.

Palettes blend in OKLab (Ottosson 2020) rather than in sRGB because a straight sRGB mix of two saturated
colours passes through grey or an unrelated hue (rose → teal crosses a muddy green); OKLab is built so that
equal steps look equally large, so a palette drifting between two keyframes changes evenly.
"""

from __future__ import annotations

import numpy as np

LUMA = np.array([0.299, 0.587, 0.114], np.float32)

_RGB_TO_LMS = np.array([[0.4122214708, 0.5363325363, 0.0514459929],
                        [0.2119034982, 0.6806995451, 0.1073969566],
                        [0.0883024619, 0.2817188376, 0.6299787005]])
_LMS_TO_LAB = np.array([[0.2104542553, 0.7936177850, -0.0040720468],
                        [1.9779984951, -2.4285922050, 0.4505937099],
                        [0.0259040371, 0.7827717662, -0.8086757660]])


def hex_rgb(colour: str) -> np.ndarray:
    """'#rrggbb' → float32 sRGB in 0…1."""
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], np.float32) / 255.0


def to_oklab(rgb: np.ndarray) -> np.ndarray:
    """sRGB (…, 3) in 0…1 → OKLab (…, 3)."""
    rgb = np.asarray(rgb, np.float64)
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return np.cbrt(linear @ _RGB_TO_LMS.T) @ _LMS_TO_LAB.T


def from_oklab(lab: np.ndarray) -> np.ndarray:
    """OKLab (…, 3) → sRGB (…, 3) in 0…1 (out-of-gamut values clipped), float32."""
    linear = (lab @ np.linalg.inv(_LMS_TO_LAB).T) ** 3 @ np.linalg.inv(_RGB_TO_LMS).T
    linear = np.clip(linear, 0.0, 1.0)
    rgb = np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)
    return rgb.astype(np.float32)


def mix_oklab(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """Blend two sRGB colour arrays by `t` in OKLab; exact at t = 0 and t = 1."""
    if t <= 0.0:
        return a
    if t >= 1.0:
        return b
    return from_oklab((1 - t) * to_oklab(a) + t * to_oklab(b))
