"""The drawing record: which named elements a picture shows, where, and how much each stands out.

The plain explanation names a scene family's declared elements (prompts/scenes.toml `elements`); this record is
how the painter proves it drew them. While a composition is drawn with a `Marks`, every named layer adds its
coverage and every nearer layer hides what lies under it; after the style's hand, `measure` reads the finished
picture under each element's visible core against its surroundings. Recording is off (no cost) unless asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from visualizer.render.painter.colour import to_oklab

CORE = 0.5      # coverage from which a pixel counts as the element's own
AROUND = 0.05   # coverage below which a pixel counts as its surroundings
REACH = 1 / 64  # how far (share of the picture) either side of an element's edge its contrast is read


@dataclass(frozen=True)
class Drawn:
    """One named element as it shows in the finished picture."""

    name: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 of its visible core, fractions of the picture
    area: float                             # share of the picture its visible core covers
    contrast: float                         # OKLab distance between its mean colour and its surroundings'


class Marks:
    """Coverage (0…1, per pixel) of each named element while one composition is drawn."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.cover: dict[str, np.ndarray] = {}

    def layer(self, alpha: np.ndarray, top: int = 0, left: int = 0, name: str | None = None,
              hides: bool = True) -> None:
        """A layer of opacity `alpha` placed at (top, left) hides what lies under it; a named one is recorded. A
        translucent element (a shaft of light) is named by its shape with `hides=False` after its layer."""
        rows, cols = slice(top, top + alpha.shape[0]), slice(left, left + alpha.shape[1])
        for cover in self.cover.values() if hides else ():
            cover[rows, cols] *= 1.0 - alpha
        if name:
            cover = self.cover.setdefault(name, np.zeros((self.size, self.size), np.float32))
            np.maximum(cover[rows, cols], alpha, out=cover[rows, cols])


def measure(marks: Marks, picture: np.ndarray) -> list[Drawn]:
    """Each recorded element's visible core in `picture` (uint8 or 0…1 RGB), sorted by name; an element that ends
    up wholly hidden is listed with zero area and contrast.

    Contrast is read along the element's edge, not as one mean against one mean: a hill between a lighter sky
    and a darker field shows by both its edges although its mean colour lies between theirs. At each core pixel
    within REACH of the surroundings, the mean colour of the core near it is compared with the mean colour of the
    surroundings near it (OKLab distance; about 0.02 is just noticeable), and these are averaged."""
    lab = to_oklab(np.asarray(picture, np.float32) / (255.0 if picture.dtype == np.uint8 else 1.0))
    size = marks.size
    reach = max(2, round(size * REACH))
    out = []
    for name in sorted(marks.cover):
        cover = marks.cover[name]
        core = cover >= CORE
        if not core.any():
            out.append(Drawn(name, (0.0, 0.0, 0.0, 0.0), 0.0, 0.0))
            continue
        ys, xs = np.flatnonzero(core.any(1)), np.flatnonzero(core.any(0))
        y0, y1, x0, x1 = ys[0], ys[-1] + 1, xs[0], xs[-1] + 1
        window = (slice(max(0, y0 - reach), min(size, y1 + reach)), slice(max(0, x0 - reach), min(size, x1 + reach)))
        inside, around, colours = core[window], cover[window] < AROUND, lab[window]
        n_in, n_out = _box(inside.astype(np.float32), reach), _box(around.astype(np.float32), reach)
        edge = inside & (n_out > 0)
        contrast = 0.0
        if edge.any():
            mean_in = np.stack([_box(colours[..., k] * inside, reach)[edge] for k in range(3)], -1) / n_in[edge, None]
            mean_out = np.stack([_box(colours[..., k] * around, reach)[edge] for k in range(3)], -1) / n_out[edge, None]
            contrast = float(np.linalg.norm(mean_in - mean_out, axis=-1).mean())
        out.append(Drawn(name, (x0 / size, y0 / size, x1 / size, y1 / size), float(core.mean()), contrast))
    return out


def _box(values: np.ndarray, reach: int) -> np.ndarray:
    """Sum of `values` over the square of half-width `reach` around each pixel (summed-area table)."""
    padded = np.pad(values.astype(np.float64), reach + 1, mode="constant")
    table = padded.cumsum(0).cumsum(1)
    k = 2 * reach + 1
    h, w = values.shape
    return (table[k:k + h, k:k + w] - table[:h, k:k + w] - table[k:k + h, :w] + table[:h, :w]).astype(np.float32)
