"""Initial noise for diffusion: seeded, shaped by the latent tweaks, and interpolated between keyframes.

Noise is always drawn on the CPU in float32 from `torch.Generator().manual_seed(seed)`, then moved to the
device, so one seed gives the same picture on CUDA, MPS and CPU (up to kernel rounding).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from visualizer.mapping import LatentTweaks
from visualizer.mapping.latent import channel_offsets

COARSE = 4  # turbulence noise is drawn at 1/COARSE of the latent size and upsampled: big swirling forms


def base_noise(seed: int, channels: int, height: int, width: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(fine, coarse) unit Gaussian noise of shape (channels, height, width) for one seed."""
    generator = torch.Generator("cpu").manual_seed(int(seed))
    fine = torch.randn((channels, height, width), generator=generator, dtype=torch.float32)
    coarse = torch.randn((channels, max(1, height // COARSE), max(1, width // COARSE)), generator=generator)
    coarse = F.interpolate(coarse[None], size=(height, width), mode="bicubic", align_corners=False)[0]
    return fine, coarse / coarse.std().clamp_min(1e-6)


def slerp(a: torch.Tensor, b: torch.Tensor, t: float) -> torch.Tensor:
    """Spherical interpolation: keeps the noise on the Gaussian shell, so in-between frames stay sharp.

    Endpoints are returned exactly, so the first and last frames equal their keyframes.
    """
    if t <= 0.0:
        return a
    if t >= 1.0:
        return b
    dot = torch.sum(a * b) / (a.norm() * b.norm()).clamp_min(1e-12)
    theta = torch.arccos(dot.clamp(-1.0, 1.0))
    if theta.abs() < 1e-4:
        return (1.0 - t) * a + t * b
    s = torch.sin(theta)
    return (torch.sin((1.0 - t) * theta) / s) * a + (torch.sin(t * theta) / s) * b


def shape_noise(fine: torch.Tensor, coarse: torch.Tensor, tweaks: LatentTweaks, family: str = "sd") -> torch.Tensor:
    """Apply the tweaks to one (C, H, W) noise sample; identity tweaks return `fine` unchanged.

    turbulence mixes in coarse noise (variance kept at 1), contrast scales the standard deviation,
    scale weights the centre against the edges, and channel offsets shift colour and brightness.
    """
    noise = fine
    if tweaks.turbulence:
        t = min(0.95, 0.7 * tweaks.turbulence)
        noise = math.sqrt(1.0 - t * t) * noise + t * coarse
    if tweaks.contrast != 1.0:
        noise = noise * tweaks.contrast
    if tweaks.scale:
        _, h, w = noise.shape
        y = torch.linspace(-1.0, 1.0, h)[:, None]
        x = torch.linspace(-1.0, 1.0, w)[None, :]
        bump = torch.exp(-(x * x + y * y) / 0.35)
        gain = 1.0 + 0.25 * tweaks.scale * (bump - bump.mean()) / bump.std()
        noise = noise * gain
    offsets = tweaks.channel_offsets if family == "sd" else channel_offsets(tweaks.brightness, tweaks.warmth, family)
    if any(offsets) and noise.shape[0] == len(offsets):
        noise = noise + torch.tensor(offsets, dtype=noise.dtype)[:, None, None]
    return noise
