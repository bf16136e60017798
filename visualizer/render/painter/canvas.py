"""Drawing primitives shared by the scene families and motifs: one picture's geometry, alpha compositing,
graded skies, lights, silhouettes, water and Pillow-drawn masks.

Everything is vectorised numpy on float32 (H, W, 3) images in 0…1; work is restricted to the rows a layer
touches, which keeps a 512 px composition around 30 ms on one core.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from visualizer.render.painter.fields import Fields
from visualizer.render.painter.record import Marks


def unit(*salt) -> float:
    """A stable number in [0, 1) from any labels: placement that must not jump between frames or runs."""
    digest = hashlib.sha256("\x1f".join(map(str, salt)).encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def smoothstep(a: float, b: float, x):
    x = np.clip((x - a) / (b - a), 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def fade_count(count: float) -> list[tuple[int, float]]:
    """(index, opacity) for `count` elements where the last one is partly there: counts that change between
    keyframes fade an element in instead of popping it."""
    return [(j, min(1.0, count - j)) for j in range(int(np.ceil(max(count, 0.0))))]


@lru_cache(maxsize=256)
def randoms(*salt, rows: int = 1, count: int = 512) -> np.ndarray:
    """(rows, count) stable uniform numbers in [0, 1) from labels: the j-th element of a motif (a star, a
    leaf) keeps its place however many there are, in every frame. Read-only and cached across frames."""
    out = np.random.default_rng(int(unit(*salt) * 2**32)).random((rows, count))
    out.flags.writeable = False
    return out


@lru_cache(maxsize=4)
def grid(size: int) -> tuple[np.ndarray, np.ndarray]:
    """(y, x) pixel-centre coordinates in 0…1, shared by every picture of this size (read-only)."""
    y, x = np.mgrid[0:size, 0:size].astype(np.float32) / size
    y.flags.writeable = x.flags.writeable = False
    return y, x


def over(img: np.ndarray, colour, alpha: np.ndarray) -> np.ndarray:
    """Alpha-composite a colour (or an image of img's shape) over img, in place, touching only rows where
    alpha > 0. A plain colour goes one channel at a time: numpy broadcasts a trailing axis of 3 several times
    slower than it streams a whole plane."""
    rows = np.flatnonzero(alpha.max(axis=1) > 1e-3)
    if rows.size == 0:
        return img
    lo, hi = rows[0], rows[-1] + 1
    colour = np.asarray(colour, np.float32)
    part, a = img[lo:hi], alpha[lo:hi]
    if colour.ndim == 3:
        delta = colour[lo:hi] - part
        delta *= a[..., None]
        part += delta
    else:
        keep = 1.0 - a
        for ch in range(3):
            plane = part[..., ch]
            plane *= keep
            plane += a * colour[ch]
    return img


def tint(colour, gain: np.ndarray, add: np.ndarray | None = None) -> np.ndarray:
    """An (H, W, 3) image: colour (3,) × gain (H, W), plus `add` (H, W) on every channel; built plane by plane
    for the same reason as `over`."""
    colour = np.asarray(colour, np.float32)
    out = np.empty(gain.shape + (3,), np.float32)
    for ch in range(3):
        np.multiply(gain, colour[ch], out=out[..., ch])
        if add is not None:
            out[..., ch] += add
    return out


def blur(img: np.ndarray, radius: float) -> np.ndarray:
    """Cheap wide Gaussian blur of an (H, W, 3) or (H, W) image: 8-bit through Pillow at reduced size.

    8-bit is enough for what it feeds (glow, pooling, soft backgrounds); the range is stretched first so
    faint values keep their precision.
    """
    h, w = img.shape[:2]
    shrink = int(np.clip(radius / 2.5, 2, 8))
    top = float(img.max()) or 1.0
    small = Image.fromarray((np.clip(img / top, 0, 1) * 255).astype(np.uint8)).reduce(shrink)
    small = small.filter(ImageFilter.GaussianBlur(radius / shrink)).resize((w, h), Image.BILINEAR)
    return np.asarray(small, np.float32) * (top / 255.0)


class Canvas:
    """One composition of one picture: the keyframe's numbers, the seed's noise, coordinates and a placement key.

    `amount(kind)` is how strongly a motif kind is present (weight × presence, 0 when absent), which is
    what families use to let a motif they absorb shape them (more sea, more stars).
    """

    def __init__(self, keyframe, fields: Fields, size: int, key: str, marks: Marks | None = None) -> None:
        self.keyframe, self.f, self.size, self.key, self.marks = keyframe, fields, size, key, marks
        self.p = keyframe.palette
        self.y, self.x = grid(size)
        self.kinds = keyframe.kinds()
        self.dark = float(np.clip(-keyframe.brightness, 0.0, 1.0))

    def unit(self, *salt) -> float:
        return unit(self.key, *salt)

    def randoms(self, name: str, rows: int = 1) -> np.ndarray:
        return randoms(self.key, name, rows=rows)

    def between(self, lo: float, hi: float, *salt) -> float:
        return lo + (hi - lo) * self.unit(*salt)

    def amount(self, kind: str) -> float:
        weight, presence = self.kinds.get(kind, (0.0, 0.0))
        return weight * presence

    def layer(self, alpha: np.ndarray, top: int = 0, left: int = 0, name: str | None = None,
              hides: bool = True) -> None:
        """Tell the drawing record (when one is kept) that a layer covers `alpha` at (top, left), named or not."""
        if self.marks is not None:
            self.marks.layer(alpha, top, left, name, hides)

    def ink(self) -> "Ink":
        """Masks to draw shapes into, composited with this canvas's drawing record."""
        return Ink(self.size, self.marks)

    def column(self, line: np.ndarray, x: float) -> float:
        """y of a per-column line at x (0…1)."""
        return float(line[min(self.size - 1, max(0, int(x * self.size)))])


def gradient(c: Canvas, stops: list[tuple[float, np.ndarray]], t: np.ndarray) -> np.ndarray:
    """A colour ramp through (position, colour) stops, looked up per pixel from t (0…1) via a 256-step table."""
    ramp = np.linspace(0.0, 1.0, 256, dtype=np.float32)
    positions = [s for s, _ in stops]
    lut = np.stack([np.interp(ramp, positions, [float(col[i]) for _, col in stops]) for i in range(3)], -1)
    return lut.astype(np.float32)[np.clip(t * 255.0, 0, 255).astype(np.uint8)]


def sky(c: Canvas, top, mid, low, horizon: float, wash: float = 0.07) -> np.ndarray:
    """A sky graded top → mid → low down to the horizon (and held below it), mottled by the wash field."""
    t = c.y / horizon + wash * c.f.wash
    return gradient(c, [(0.0, top), (0.6, mid), (1.0, low)], t)


def clouds(c: Canvas, img: np.ndarray, horizon: float, colour, density: float, opacity: float,
           lift: float = 1.2) -> np.ndarray:
    """Banded clouds from the noise field: `density` 0 (clear) … 1 (overcast), thinning towards the horizon.
    Returns the cover (H, W) so lights can be veiled by it."""
    cover = smoothstep(0.55 - 0.9 * density, 1.6 - 0.6 * density, c.f.clouds)
    cover = cover * np.clip(lift - c.y / horizon, 0.0, 1.0)
    over(img, colour, cover * opacity)
    return cover


def light(c: Canvas, img: np.ndarray, x: float, y: float, r: float, colour, glow: float, disc: float,
          veil: np.ndarray | None = None, reach: float = 3.2, name: str | None = None) -> None:
    """A soft disc and a wide glow at (x, y), computed in its own window; `veil` (cloud cover) dims both.
    `name`: the element its disc is in the drawing record."""
    size = c.size
    span = r * reach * 2.6
    y0, y1 = max(0, int((y - span) * size)), min(size, int((y + span) * size) + 1)
    x0, x1 = max(0, int((x - span) * size)), min(size, int((x + span) * size) + 1)
    if y1 <= y0 or x1 <= x0:
        return
    win = img[y0:y1, x0:x1]
    d = np.sqrt((c.x[y0:y1, x0:x1] - x) ** 2 + (c.y[y0:y1, x0:x1] - y) ** 2)
    clear = 1.0 if veil is None else 1.0 - 0.7 * veil[y0:y1, x0:x1]
    colour = np.asarray(colour, np.float32)
    over(win, colour, np.clip(np.exp(-(d / (r * reach)) ** 2) * glow * clear, 0, 1))
    face = smoothstep(r, r * 0.9, d) * disc * clear
    over(win, colour * 0.6 + 0.4, face)
    c.layer(face, y0, x0, name)


def fill_below(c: Canvas, img: np.ndarray, line: np.ndarray, colour, *, lift: float = 0.0, shade: float = 0.0,
               rate: float = 3.0, texture: float = 0.0, soft: float = 1.6, opacity: float = 1.0,
               name: str | None = None) -> np.ndarray:
    """Fill everything below a per-column line (a ridge, a shore, a skyline) with `colour`: brightened by
    `lift` at the edge, darkened by `shade` with distance below it (× `rate`), mottled by `texture` × wash.
    `name`: the element it is in the drawing record."""
    size = c.size
    lo = max(0, int(float(line.min()) * size) - 1)
    below = c.y[lo:] - line[None, :]
    alpha = smoothstep(0.0, soft / size, below) * opacity
    layer = np.asarray(colour, np.float32)
    if lift or shade or texture:
        gain = (1.0 + lift) - shade * np.clip(below * rate, 0.0, 1.0)
        layer = tint(layer, gain, texture * c.f.wash[lo:] if texture else None)
    over(img[lo:], layer, alpha)
    c.layer(alpha, lo, 0, name)
    return img


def water(c: Canvas, img: np.ndarray, level: float, light_x: float, calm: float, opacity: float = 1.0,
          deep=None, name: str | None = "sea") -> np.ndarray:
    """Open water below a flat horizon `level`: the sky above mirrored and deepened, wave streaks that
    tighten towards the horizon, and a glitter path under the light. `calm` 0…1 stills the surface."""
    size, p = c.size, c.p
    lo = max(0, int(level * size) - 1)
    y, x = c.y[lo:], c.x[lo:]
    below = y - level
    depth = np.clip(below / max(1e-3, 1.0 - level), 0.0, 1.0)
    chop = 1.0 - calm
    rows = np.clip(((level - below * 0.7) * size).astype(np.int32), 0, size - 1)
    ripple = (1.5 + 5.0 * chop) * c.f.detail[lo:] * (0.3 + depth)
    cols = np.clip((x * size + ripple).astype(np.int32), 0, size - 1)
    mirror = img[rows, cols]
    deep = p[3] * 0.7 + p[4] * 0.3 if deep is None else np.asarray(deep, np.float32)
    sea = mirror * 0.92 + (deep - mirror * 0.92) * (0.08 + 0.72 * depth[..., None] ** 1.3)
    streaks = np.sin(np.log(np.maximum(below, 1.0 / size)) * 40.0 + 2.0 * c.f.detail[lo:]) * (0.3 + 0.7 * chop)
    sea *= 1.0 + 0.09 * streaks[..., None] * (1 - 0.5 * depth[..., None])
    glitter = np.exp(-((x - light_x) / (0.02 + 0.1 * depth)) ** 2) * smoothstep(0.5, 1.0, streaks)
    over(sea, p[0] * 0.4 + 0.6, np.clip(glitter * (0.6 + 0.3 * c.keyframe.brightness), 0, 1))
    alpha = smoothstep(0.0, 1.5 / size, below) * opacity
    over(img[lo:], sea, alpha)
    c.layer(alpha, lo, 0, name)
    return img


def rays(c: Canvas, x: float, y: float, spread: float = 1.0) -> tuple[int, np.ndarray]:
    """Shafts of light fanning down from (x, y): broad angular stripes that fade in away from the source and
    out with distance. Returns (first row, alpha of the rows from it down)."""
    lo = int(np.clip(y, 0.0, 1.0) * c.size)
    dx, dy = c.x[lo:] - x, c.y[lo:] - y
    angle = np.arctan2(dx, np.maximum(dy, 1e-3))
    seed = c.unit("rays") * 50
    stripes = 0.5 + 0.5 * np.sin(angle * 23.0 / spread + seed) * np.sin(angle * 9.0 / spread + 1.3 * seed)
    dist = np.sqrt(dx * dx + dy * dy)
    cone = smoothstep(1.2, 0.5, np.abs(angle))  # within about 50° of straight down
    alpha = smoothstep(0.45, 0.95, stripes) * np.exp(-dist * 1.6) * smoothstep(0.0, 0.1, dist) * cone
    return lo, alpha


class Ink:
    """Shapes drawn with Pillow into one 8-bit alpha mask per named layer, composited later in a fixed order
    (haze behind ink behind lights), so motifs sharing a colour share a mask. Fill levels carry opacity."""

    def __init__(self, size: int, marks: Marks | None = None) -> None:
        self.size, self.marks = size, marks
        self.masks: dict[str, Image.Image] = {}

    def draw(self, layer: str) -> ImageDraw.ImageDraw:
        if layer not in self.masks:
            self.masks[layer] = Image.new("L", (self.size, self.size), 0)
        return ImageDraw.Draw(self.masks[layer])

    def composite(self, img: np.ndarray, colours: dict[str, np.ndarray], order: tuple[str, ...],
                  clip: np.ndarray | None = None, unclipped: set[str] = frozenset(),
                  visible: dict[str, np.ndarray] | None = None, names: dict[str, str] | None = None) -> np.ndarray:
        """Composite the layers in `order`; `clip` (a window pane) limits all but the `unclipped` layers and
        `visible` adds a per-layer alpha (stars only where the sky is dark). `names`: the element each layer is in
        the drawing record."""
        for name in order:
            box = self.masks[name].getbbox() if name in self.masks else None
            if box is None:
                continue
            x0, y0 = max(0, box[0] - 2), max(0, box[1] - 2)  # only the drawn part, plus the blur's reach
            x1, y1 = min(self.size, box[2] + 2), min(self.size, box[3] + 2)
            mask = self.masks[name].crop((x0, y0, x1, y1)).filter(ImageFilter.BoxBlur(0.6))
            alpha = np.asarray(mask, np.float32) / 255.0
            if clip is not None and name not in unclipped:
                alpha = alpha * clip[y0:y1, x0:x1]
            if visible and name in visible:
                alpha = alpha * visible[name][y0:y1, x0:x1]
            over(img[y0:y1, x0:x1], colours[name], alpha)
            if self.marks is not None:
                self.marks.layer(alpha, y0, x0, (names or {}).get(name))
        self.masks.clear()
        return img
