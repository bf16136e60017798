"""Motif backend: the offline procedural painter (`visualizer.render.painter`), driven by the same Conditioning as
diffusion."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from PIL import Image

from visualizer.mapping import Conditioning
from visualizer.render.base import Backend, FrameSpec
from visualizer.render.painter.fields import fields
from visualizer.render.painter.frames import KeyframePath, paint
from visualizer.render.painter.keyframe import Keyframe
from visualizer.render.painter.pace import PROBE_SIZE, even_positions

PAINTER_VERSION = "motif-2"


def _stroke_steps(cond: Conditioning) -> int:
    return 3 + round(10 * float(cond.motif.get("stroke", 0.5)))


class MotifBackend(Backend):
    """numpy + Pillow painter: no GPU, no download; ~0.1 s for 512 px on a laptop CPU."""

    name = "motif"
    model = PAINTER_VERSION

    def __init__(self, reason: str = "") -> None:
        super().__init__()
        self.reason = reason

    def _render(self, conds: list[Conditioning], size: int) -> list[Image.Image]:
        return [paint(Keyframe.from_conditioning(c), fields(c.seed, size, _stroke_steps(c)), size) for c in conds]

    def _render_frames(self, keys: list[Conditioning], specs: list[FrameSpec], size: int) -> Iterator[Image.Image]:
        """Frames along the keyframes (`frames.KeyframePath`: numbers, OKLab palettes and motif presence blend;
        different places crossfade), re-timed by `pace.even_positions` so that every step changes the picture
        by about as much as the others."""
        path = KeyframePath([Keyframe.from_conditioning(k) for k in keys], [k.seed for k in keys],
                            _stroke_steps(keys[0]))
        positions = [s.a + s.t if s.a != s.b else float(s.a) for s in specs]
        if path.segments >= 1:
            probe = min(PROBE_SIZE, size)
            positions = even_positions(positions, path.segments, lambda u: np.asarray(path.frame(u, probe)))
        return (path.frame(u, size) for u in positions)
