"""Pictures and frames from keyframes: a keyframe's place composed, then the style's hand.

A picture is its scene family's composition (`places`: sky, light, land or room or skyline, and the writer's
motifs), then the style's hand (`finish`). Between two keyframes of different families or entries, the two
compositions are crossfaded. Seed-only noise comes from `fields.fields`, cached across frames.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PIL import Image

from visualizer.render.painter.fields import Fields, fields
from visualizer.render.painter.finish import finish
from visualizer.render.painter.keyframe import Keyframe
from visualizer.render.painter.places import compose
from visualizer.render.painter.record import Drawn, Marks, measure


def paint(keyframe: Keyframe, f: Fields, size: int) -> Image.Image:
    """Paint one picture: its scene family's composition, then the style's hand."""
    return finish(keyframe, f, compose(keyframe, f, size))


def paint_recorded(keyframe: Keyframe, f: Fields, size: int) -> tuple[Image.Image, list[Drawn]]:
    """The same picture as `paint`, with its drawing record: each named element it shows, where, and how much
    it stands out in the finished picture."""
    marks = Marks(size)
    picture = finish(keyframe, f, compose(keyframe, f, size, marks))
    return picture, measure(marks, np.asarray(picture))


class KeyframePath:
    """The frames along a list of keyframes, at any position u (keyframe k at u = k).

    Between two keyframes of the same place everything blends inside one composition (numbers, OKLab
    palette, motif presence, noise fields). Between two places (another family, another entry) the two
    keyframes' compositions are crossfaded, which is smooth by construction and costs no more than the
    hand. Styles whose hands cannot blend numerically (paper vs canvas) are finished both ways and mixed.
    """

    def __init__(self, keyframes: list[Keyframe], seeds: list[int], stroke_steps: int) -> None:
        self.keyframes, self.seeds, self.steps = keyframes, seeds, stroke_steps
        self._compositions: dict[tuple[int, int], np.ndarray] = {}

    @property
    def segments(self) -> int:
        return len(self.keyframes) - 1

    def _fields(self, index: int, size: int) -> Fields:
        return fields(self.seeds[index], size, self.steps)

    def _composition(self, index: int, size: int) -> np.ndarray:
        if (index, size) not in self._compositions:
            if len(self._compositions) > 8:  # keep the neighbours of the current segment only
                self._compositions.clear()
            keyframe = self.keyframes[index]
            self._compositions[index, size] = compose(keyframe, self._fields(index, size), size)
        return self._compositions[index, size]

    def frame(self, u: float, size: int) -> Image.Image:
        a = min(int(u), max(self.segments - 1, 0))
        b, t = min(a + 1, self.segments), float(u) - a
        first, second = self.keyframes[a], self.keyframes[b]
        if t <= 0.0 or t >= 1.0:
            index = a if t <= 0.0 else b
            return paint(self.keyframes[index], self._fields(index, size), size)
        mid, noise = first.lerp(second, t), self._fields(a, size).blend(self._fields(b, size), t)
        if first.place == second.place:
            img = compose(mid, noise, size)
        else:
            img = self._composition(a, size) * (1 - t) + self._composition(b, size) * t
        if first.hand == second.hand:
            return finish(mid, noise, img)
        other = replace(mid, texture=second.texture, posterize=second.posterize, abstract=second.abstract)
        mixed = np.asarray(finish(mid, noise, img.copy()), np.float32) * (1 - t) \
            + np.asarray(finish(other, noise, img), np.float32) * t
        return Image.fromarray((mixed + 0.5).astype(np.uint8))
