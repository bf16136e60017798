"""Motifs: the shapes of the writer's desires and imagery, one drawing function per kind, registered by name.

Kinds come from prompts/imagery.toml (`[shapes]`): disc, waves, peaks, birds, bloom, path, stars, city,
figure, house, tree, rain. A scene family says where things go (a `Place`: horizon, light, the ground figures
stand on, the sky birds fly in, a foreground band, a view clip) and which kinds it paints itself or leaves
out; the motif functions read only the Place, so one motif works in every family.

`far` motifs (the light's halo, stars, distant peaks, a city, open water) are drawn when the family calls
`draw_motifs(..., far=True)` behind its nearer layers; the others are drawn on top of the composition.
Every motif takes a `weight` (how strongly it is wanted: size and count) and a `presence` (0…1 opacity,
so a motif that only one keyframe has fades instead of popping).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from visualizer.render.painter.canvas import Canvas, Ink, fade_count, light, over, smoothstep, tint, water
from visualizer.render.painter.colour import LUMA


@dataclass
class Place:
    """Where things are in one composition, filled in by its family and read by the motifs (y: 0 top … 1)."""

    horizon: float
    light: tuple[float, float, float]              # x, y, radius of the light source
    ground: np.ndarray                             # (size,) y where figures, houses and trees stand
    far: np.ndarray                                # (size,) the distant line a city or peaks rise from
    sky: tuple[float, float, float, float]         # x0, y0, x1, y1: where birds fly and stars shine
    span: tuple[float, float] = (0.0, 1.0)         # x range where figures, houses and trees may stand
    near: tuple[float, float] = (0.86, 0.99)       # the foreground band flowers grow in
    scale: float = 1.0                             # size of standing things (a view through a window: small)
    path_end: float | None = None                  # y where a path to the light vanishes (None: the horizon)
    clip: np.ndarray | None = None                 # (H, W) alpha where the view is seen (a window pane)
    skip: frozenset = frozenset()                  # kinds the family paints itself or leaves out


@dataclass
class Brush:
    """What a motif function draws with: the composition, its place, the shared masks and the picture."""

    c: Canvas
    place: Place
    ink: Ink
    img: np.ndarray

    def level(self, presence: float, weight: float = 1.0, base: float = 0.35) -> int:
        """An 8-bit mask fill: opacity grows with weight and scales with presence (0 → invisible)."""
        return int(round(255 * min(1.0, base + weight) * presence))


@dataclass(frozen=True)
class Motif:
    draw: Callable[[Brush, float, float], None]
    far: bool


MOTIFS: dict[str, Motif] = {}
LAYERS = ("haze", "light", "ink", "window", "star", "sail", "petal0", "petal1", "rain")  # back to front
UNCLIPPED = {"petal0", "petal1"}  # flowers stand on the sill, in front of a window's view


def motif(kind: str, far: bool = False):
    """Register a drawing function for motif `kind`."""
    def register(fn: Callable[[Brush, float, float], None]):
        MOTIFS[kind] = Motif(fn, far)
        return fn
    return register


def colours(p: np.ndarray) -> dict[str, np.ndarray]:
    """Mask colours from the palette (light → dark), so every motif sits in the picture's own key."""
    return {"ink": p[4] * 0.85, "haze": p[3] * 0.7 + p[2] * 0.2 + p[1] * 0.1, "light": p[0] * 0.6 + 0.35,
            "window": np.array([1.0, 0.82, 0.45], np.float32), "star": np.array([1.0, 0.97, 0.9], np.float32),
            "sail": p[0] * 0.5 + 0.45, "petal0": p[1] * 0.5 + np.array([0.9, 0.45, 0.5], np.float32) * 0.5,
            "petal1": p[0] * 0.6 + np.array([1.0, 0.9, 0.55], np.float32) * 0.4, "rain": p[0] * 0.5 + 0.4}


def draw_motifs(c: Canvas, place: Place, img: np.ndarray, far: bool, only: set[str] | None = None) -> np.ndarray:
    """Draw the keyframe's motifs of one depth that this place shows (`only`: a subset of kinds). A storm
    (stress) always brings a path towards the light, fading in with the storm, so a hard day shows a way out."""
    shown = lambda kind: kind not in place.skip and (only is None or kind in only)  # noqa: E731
    kinds = {k: wp for k, wp in c.kinds.items() if MOTIFS[k].far == far and shown(k)}
    if not far and shown("path") and c.keyframe.storm > 0.5:
        weight, presence = kinds.get("path", (0.0, 0.0))
        storm = c.keyframe.storm
        kinds["path"] = (max(weight, storm - 0.4), max(presence, float(smoothstep(0.5, 0.7, storm))))
    return _draw(c, place, img, kinds)


def draw_motif(c: Canvas, place: Place, img: np.ndarray, kind: str, weight: float, presence: float = 1.0) -> np.ndarray:
    """Draw one motif kind whatever the place skips: how a family paints a motif it absorbs (its own stars)."""
    return _draw(c, place, img, {kind: (weight, presence)})


def _draw(c: Canvas, place: Place, img: np.ndarray, kinds: dict[str, tuple[float, float]]) -> np.ndarray:
    brush = Brush(c, place, c.ink(), img)
    drawn: dict[str, np.ndarray] = {}  # kind → what it added to the shared masks (kept for the drawing record only)
    for kind in sorted(kinds):
        weight, presence = kinds[kind]
        if presence > 1e-3:
            before = _inked(brush.ink) if c.marks is not None else None
            MOTIFS[kind].draw(brush, weight, presence)
            if before is not None and brush.ink.masks:
                drawn[kind] = _inked(brush.ink) - before
    if not brush.ink.masks:
        return brush.img
    visible = None
    if "star" in brush.ink.masks:  # stars show only where the sky behind them is dark
        visible = {"star": smoothstep(0.62, 0.35, brush.img @ LUMA)}
    img = brush.ink.composite(brush.img, colours(c.p), LAYERS, place.clip, UNCLIPPED, visible)
    for kind, added in drawn.items():
        c.layer(added * (1.0 if place.clip is None else place.clip), name=kind, hides=False)
    return img


def _inked(ink: Ink) -> np.ndarray:
    """Coverage of all of an Ink's masks together (0…1), to tell what one motif added."""
    cover = np.zeros((ink.size, ink.size), np.float32)
    for mask in ink.masks.values():
        np.maximum(cover, np.asarray(mask, np.float32) / 255.0, out=cover)
    return cover


def _stand_x(b: Brush, kind: str, j: int, shift: float = 0.0) -> float:
    lo, hi = b.place.span
    return lo + (hi - lo) * (0.18 + 0.64 * ((b.c.unit(kind) + 0.13 * j) % 1.0) + shift)


def _ground_y(b: Brush, x: float) -> float:
    return b.c.column(b.place.ground, x) * b.c.size + 2


def _height(b: Brush, weight: float, base: float = 0.05) -> float:
    return b.c.size * (base + 0.03 * b.c.keyframe.scale + 0.03 * weight) * b.place.scale


@motif("disc", far=True)
def disc(b: Brush, weight: float, presence: float) -> None:
    """A light to walk towards: the place's light source swells and glows."""
    x, y, r = b.place.light
    tone = b.c.p[0] * 0.5 + np.array([1.0, 0.93, 0.8], np.float32) * 0.5
    light(b.c, b.img, x, y, r * (1.0 + 0.4 * weight), tone, glow=0.45 * weight * presence, disc=0.5 * presence,
          reach=4.0)


@motif("waves", far=True)
def waves(b: Brush, weight: float, presence: float) -> None:
    """Open water from the horizon down; nearer layers of the family cover what should be land."""
    water(b.c, b.img, b.place.horizon, b.place.light[0], calm=1.0 - b.c.keyframe.turbulence,
          opacity=presence * min(1.0, 0.7 + weight), name="waves")


@motif("peaks", far=True)
def peaks(b: Brush, weight: float, presence: float) -> None:
    """A range of mountains rising from the far line: straight flanks to a few summits (more with weight), the
    faces towards the light lit, the highest capped with snow; arousal roughens the crest a little, never into
    spikes."""
    c, size = b.c, b.c.size
    x = c.x[0]
    ux, uh, uw = c.randoms("peaks", 3)
    height = (0.1 + 0.1 * weight) * b.place.scale
    rise, summit = np.zeros(size, np.float32), np.zeros(size, np.float32)
    for j in range(2 + int(2 * weight)):
        cx, h = 0.1 + 0.8 * ux[j], height * (0.55 + 0.45 * uh[j]) * (1.0 if j else 1.15)
        cone = h * np.clip(1.0 - np.abs(x - cx) / (0.16 + 0.12 * uw[j]), 0.0, None) ** 1.5  # concave flanks
        side = smoothstep(-0.012, 0.012, (x - cx) * np.sign(b.place.light[0] - cx))  # 1 on the flank facing the light
        summit = np.where(cone > rise, side, summit)
        rise = np.maximum(rise, cone)
    rough = 0.012 * (0.4 + 0.6 * c.keyframe.turbulence) * (c.f.smooth[2] + 0.25 * c.f.jagged[2]) * np.sqrt(rise / height)
    line = (b.place.far + 0.01 - rise - rough).astype(np.float32)
    lo = max(0, int(float(line.min()) * size) - 1)
    below = c.y[lo:] - line[None, :]
    alpha = smoothstep(0.0, 1.6 / size, below) * 0.95 * presence
    p = c.p
    tone = p[2] * 0.4 + p[3] * 0.45 + p[1] * 0.15
    snow = smoothstep(0.035, 0.01, below) * smoothstep(0.5 * height, 0.9 * height, rise)[None, :]
    gain = 0.9 + 0.18 * summit[None, :] - 0.15 * np.clip(below * 4.0, 0.0, 1.0) + 0.3 * snow
    over(b.img[lo:], tint(tone, gain), alpha)
    c.layer(alpha, lo, 0, "peaks")


@motif("stars", far=True)
def stars(b: Brush, weight: float, presence: float) -> None:
    c, (x0, y0, x1, y1) = b.c, b.place.sky
    d = b.ink.draw("star")
    ux, uy, ur = c.randoms("stars", 3)
    for j, fade in fade_count(40 + 80 * weight):
        sx = (x0 + (x1 - x0) * ux[j]) * c.size
        sy = (y0 + (y1 - y0) * uy[j] ** 1.3) * c.size
        r = c.size / 512 * (0.6 + 1.4 * ur[j] ** 3)
        d.ellipse((sx - r, sy - r, sx + r, sy + r), fill=b.level(presence * fade, weight))


@motif("city", far=True)
def city(b: Brush, weight: float, presence: float) -> None:
    """A distant town on the far line; its foot is hidden by the family's nearer layers."""
    c, size = b.c, b.c.size
    d, lit = b.ink.draw("haze"), b.ink.draw("window")
    uw, uh = c.randoms("city-blocks", 2)
    ul, ux, uy = c.randoms("city-windows", 3)
    x = x0 = c.between(0.08, 0.48, "city")
    end, k = x0 + 0.35 + 0.2 * weight, 0  # a stronger longing, a wider town: its last houses fade in
    while x < min(end + 0.03, 1.0):
        w = 0.018 + 0.03 * uw[k]
        h = (0.03 + 0.08 * uh[k] ** 2) * (1 + 0.5 * c.keyframe.scale) * b.place.scale
        gy = c.column(b.place.far, x + w / 2) * size + 4
        there = presence * min(1.0, (end + 0.03 - x) / 0.03)
        d.rectangle((x * size, gy - h * size, (x + w) * size, gy + 0.12 * size), fill=b.level(there, weight))
        for j in range(5):
            i = (k * 7 + j) % ul.size
            if ul[i] < 0.35:
                wx = (x + w * (0.2 + 0.6 * ux[i])) * size
                wy = gy - h * size * (0.1 + 0.8 * uy[i])
                lit.rectangle((wx, wy, wx + size / 400, wy + size / 300), fill=int(200 * there))
        x, k = x + w + 0.004, k + 1


def path_point(c: Canvas, place: Place, s: float) -> tuple[float, float]:
    """(x, y) of the middle of the path a fraction `s` of the way from the viewer's feet (0) to its end (1)."""
    u = c.unit("path")
    end = place.path_end if place.path_end is not None else place.horizon + 0.02
    xb, xt = 0.5 + (u - 0.5) * 0.3, place.light[0]
    return xb + (xt - xb) * s ** 0.7 + 0.06 * math.sin(s * 5 + u * 6) * (1 - s), 1.0 - s * (1.0 - end)


@motif("path")
def path(b: Brush, weight: float, presence: float) -> None:
    """A path from the viewer's feet to the light, narrowing into the distance, pale enough to be seen."""
    size = b.c.size
    pts = [(*path_point(b.c, b.place, j / 12), 0.07 * (1 - j / 12) + 0.004) for j in range(13)]
    poly = [((x - w) * size, y * size) for x, y, w in pts] + [((x + w) * size, y * size) for x, y, w in reversed(pts)]
    b.ink.draw("light").polygon(poly, fill=int(b.level(presence, weight) * 0.7))


@motif("figure")
def figure(b: Brush, weight: float, presence: float) -> None:
    """One person, or two side by side when the longing is strong."""
    d, h = b.ink.draw("ink"), _height(b, weight)
    for j, fade in fade_count(1 + float(smoothstep(0.5, 0.7, weight))):
        x = _stand_x(b, "figure", 0) + j * h * 0.45 / b.c.size
        gy, cx, fill = _ground_y(b, x), x * b.c.size, b.level(presence * fade, weight)
        d.ellipse((cx - h * .075, gy - h, cx + h * .075, gy - h * .83), fill=fill)
        d.polygon([(cx - h * .05, gy - h * .8), (cx + h * .05, gy - h * .8), (cx + h * .12, gy - h * .68),
                   (cx + h * .1, gy - h * .3), (cx + h * .13, gy), (cx - h * .13, gy), (cx - h * .1, gy - h * .3),
                   (cx - h * .12, gy - h * .68)], fill=fill)


@motif("house")
def house(b: Brush, weight: float, presence: float) -> None:
    d, h = b.ink.draw("ink"), _height(b, weight)
    x = _stand_x(b, "house", 0)
    gy, cx, fill = _ground_y(b, x), x * b.c.size, b.level(presence, weight)
    d.rectangle((cx - h * .45, gy - h * .55, cx + h * .45, gy), fill=fill)
    d.polygon([(cx - h * .55, gy - h * .5), (cx, gy - h), (cx + h * .55, gy - h * .5)], fill=fill)
    b.ink.draw("window").rectangle((cx - h * .12, gy - h * .38, cx + h * .08, gy - h * .18), fill=int(255 * presence))


@motif("tree")
def tree(b: Brush, weight: float, presence: float) -> None:
    d, h = b.ink.draw("ink"), _height(b, weight) * 1.6
    fill = b.level(presence, weight)
    for j in range(3):
        x = _stand_x(b, "tree", j, shift=0.07)
        gy, cx = _ground_y(b, x), x * b.c.size
        th = h * (0.7 + 0.5 * b.c.unit("tree", j))
        d.rectangle((cx - th * .03, gy - th * .35, cx + th * .03, gy), fill=fill)
        for k in range(3):
            w, top = th * (0.32 - 0.08 * k), gy - th * (0.3 + 0.25 * k)
            d.polygon([(cx - w, top), (cx, top - th * 0.45), (cx + w, top)], fill=fill)


@motif("birds")
def birds(b: Brush, weight: float, presence: float) -> None:
    c, (x0, y0, x1, y1) = b.c, b.place.sky
    d = b.ink.draw("ink")
    ux, uy, us = c.randoms("birds", 3)
    for j, fade in fade_count(3 + 4 * weight):
        bx = (x0 + 0.1 + (x1 - x0 - 0.2) * ux[j]) * c.size
        by = (y0 + (y1 - y0) * 0.7 * uy[j]) * c.size
        s = c.size * (0.012 + 0.012 * us[j]) * min(1.0, b.place.scale * 1.5)
        d.line([(bx - s, by - s * .4), (bx, by), (bx + s, by - s * .5)], fill=b.level(presence * fade, weight),
               width=max(1, c.size // 300))


@motif("bloom")
def bloom(b: Brush, weight: float, presence: float) -> None:
    """Flowers scattered through the foreground band, larger towards the viewer."""
    c, (top, bottom) = b.c, b.place.near
    ux, ud, ur = c.randoms("bloom", 3)
    for j, fade in fade_count(10 + 25 * weight):
        fx, depth = ux[j] * c.size, ud[j]
        fy = (top + (bottom - top) * depth) * c.size
        r = c.size * (0.006 + 0.012 * ur[j]) * (0.6 + 1.2 * depth)
        b.ink.draw(f"petal{j % 2}").ellipse((fx - r, fy - r, fx + r, fy + r), fill=b.level(presence * fade, weight))


@motif("rain")
def rain(b: Brush, weight: float, presence: float) -> None:
    """Slanting rain, more slanted in a restless mood."""
    c, size = b.c, b.c.size
    d = b.ink.draw("rain")
    slant = 0.15 + 0.5 * c.keyframe.turbulence
    ux, uy, ul = c.randoms("rain", 3)
    for j, fade in fade_count(150 + 200 * weight):
        rx, ry = ux[j] * size * 1.2 - 0.1 * size, uy[j] * size
        length = size * (0.02 + 0.03 * ul[j])
        d.line([(rx, ry), (rx - slant * length, ry + length)], fill=int((120 * weight + 60) * 0.55 * presence * fade),
               width=1)
