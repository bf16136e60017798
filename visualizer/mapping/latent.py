"""Latent-space facts the mapping needs: seeds derived from entries, and colour offsets per model family.

Stable Diffusion starts from Gaussian noise in the VAE's 4-channel latent space. Shifting the mean of a
channel in that initial noise shifts the colour/brightness of the decoded picture, and the shift survives
few-step (turbo) sampling best. Which channel does what depends on the VAE. The matrices below are the
widely used linear "latent → RGB" preview fits (rows: latent channels, columns: R, G, B):

SD 1.x / 2.x (also sd-turbo, LCM-SD1.5):
  ch0 ≈ luminance (+ brighter)            ch1 ≈ luminance with a green lean (− magenta)
  ch2 ≈ red ↔ cyan (+ cooler, − warmer)   ch3 ≈ inverse blue/luminance (+ darker, yellower; − brighter, bluer)
SDXL (also sdxl-turbo): ch0 ≈ luminance, ch1 ≈ red ↔ blue, ch2 ≈ small warm lean, ch3 ≈ inverse luminance.

We turn a wanted RGB shift (brightness along grey, warmth along red−blue) into per-channel offsets with the
minimum-norm least-squares solve, so the same brightness/warmth reads the same on either family.
"""

from __future__ import annotations

import hashlib

import numpy as np

LATENT_RGB: dict[str, np.ndarray] = {
    "sd": np.array([[0.3512, 0.2297, 0.3227],
                    [0.3250, 0.4974, 0.2350],
                    [-0.2829, 0.1762, 0.2721],
                    [-0.2120, -0.2616, -0.7177]]),
    "sdxl": np.array([[0.3651, 0.4232, 0.4341],
                      [-0.2533, -0.0042, 0.1068],
                      [0.1076, 0.1111, -0.0362],
                      [-0.3165, -0.2492, -0.2188]]),
}
BRIGHTNESS_RGB = np.array([1.0, 1.0, 1.0]) * 0.22  # RGB shift (on −1…1 pixels) per unit of brightness
WARMTH_RGB = np.array([1.0, 0.15, -1.0]) * 0.12     # RGB shift per unit of warmth


def derive_seed(key: str, seed: int, index: int | None = None) -> int:
    """A stable 31-bit seed from the entry identity, the user's seed and (for keyframes) the sentence index.

    hashlib, not `hash()`: Python salts `hash()` per process, which would break reproducibility.
    """
    material = f"{key}\x1f{int(seed)}\x1f{'' if index is None else index}".encode()
    return int.from_bytes(hashlib.sha256(material).digest()[:4], "big") & 0x7FFFFFFF


def channel_offsets(brightness: float, warmth: float, family: str = "sd") -> list[float]:
    """Per-channel initial-latent offsets that shift the decoded image by `brightness` and `warmth`."""
    rgb = brightness * BRIGHTNESS_RGB + warmth * WARMTH_RGB
    offsets = rgb @ np.linalg.pinv(LATENT_RGB[family])
    return [round(float(x), 5) for x in offsets]


def offsets_to_rgb(offsets, family: str = "sd") -> np.ndarray:
    """The approximate RGB shift a set of offsets produces (used by tests and the explanation)."""
    return np.asarray(offsets, dtype=float) @ LATENT_RGB[family]
