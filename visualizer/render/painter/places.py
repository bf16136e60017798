"""The places of the scene families: one composition function per family, registered by name.

A family paints its place from the keyframe's numbers (palette light → dark, brightness, turbulence, scale,
storm), lays out a `Place` for the motifs, draws the far motifs behind its nearer layers and the others on
top. Its knobs live in prompts/painter.toml, one table per family (horizon, what it absorbs or omits, and
its own). The style's hand (strokes, pooling, grade, surface) is applied afterwards (`finish`).

Each family draws the elements that prompts/scenes.toml `elements` declares for it in every mood, and names
them in the drawing record (`record`), which is what the plain explanation may say the picture shows.

Families: open_field, shoreline, night_sky, window, garden, city_night, forest, storm_front, colour_field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from visualizer.errors import UserError
from visualizer.render.painter.canvas import (Canvas, Ink, blur, clouds, fade_count, fill_below, light, over, rays,
                                              sky, smoothstep, tint, water)
from visualizer.render.painter.fields import RIDGES, Fields
from visualizer.render.painter.motifs import MOTIFS, Place, draw_motif, draw_motifs, path_point
from visualizer.render.painter.record import Marks

Family = Callable[[Canvas, dict], np.ndarray]
FAMILIES: dict[str, Family] = {}
KNOBS = ("horizon", "horizon_scale", "absorbs", "omits")
GREEN = np.array([0.22, 0.42, 0.2], np.float32)  # leaves lean green whatever the palette, but only partly
SEA = np.array([0.16, 0.36, 0.5], np.float32)     # and the sea a little blue
BEHIND_FLOWERS = {"figure", "house", "tree", "path"}  # what stands in a garden stands among and behind its flowers


def family(name: str):
    """Register the composition function of scene family `name`."""
    def register(fn: Family) -> Family:
        FAMILIES[name] = fn
        return fn
    return register


def painted_scenes() -> list[str]:
    """The scene families this painter can draw (what `Conditioning.scene` may name)."""
    return sorted(FAMILIES)


def check_family(name: str) -> str:
    """`name` if the painter draws that family; else a UserError naming the scenes.toml in use."""
    if name not in FAMILIES:
        from visualizer.mapping import data

        raise UserError(f"{data.prompts_dir() / 'scenes.toml'}: scene {name!r} has no painter; "
                        f"known: {', '.join(painted_scenes())}")
    return name


def art() -> dict[str, dict]:
    """prompts/painter.toml, checked once per prompts folder: a table per family with the shared knobs and
    known motif kinds."""
    from visualizer.mapping import data

    return _checked_art(str(data.prompts_dir()))


@lru_cache(maxsize=4)
def _checked_art(directory: str) -> dict[str, dict]:
    from visualizer.mapping import data

    tables = data.load("painter")
    path = Path(directory) / "painter.toml"
    for name in FAMILIES:
        table = tables.get(name)
        if not isinstance(table, dict):
            raise UserError(f"{path}: no table [{name}] (every painted scene family needs one)")
        missing = [k for k in KNOBS if k not in table]
        if missing:
            raise UserError(f"{path}: [{name}] lacks {', '.join(missing)}")
        for key in ("absorbs", "omits"):
            unknown = [k for k in table[key] if k not in MOTIFS]
            if unknown:
                raise UserError(f"{path}: [{name}] {key} names unknown motif kinds {unknown}; known: {sorted(MOTIFS)}")
    extra = [name for name in tables if name not in FAMILIES]
    if extra:
        raise UserError(f"{path}: [{extra[0]}] is not a scene family the painter knows; "
                        f"known: {', '.join(painted_scenes())}")
    return tables


def compose(keyframe, fields: Fields, size: int, marks: Marks | None = None) -> np.ndarray:
    """Paint the keyframe's family (its placement drawn from the keyframe's key), before the style's hand;
    `marks` keeps the drawing record (which named elements cover which pixels)."""
    return FAMILIES[keyframe.family](Canvas(keyframe, fields, size, keyframe.key, marks), art()[keyframe.family])


# ── shared pieces ──────────────────────────────────────────────────────────────────────────────────────────

def _horizon(c: Canvas, t: dict) -> float:
    return t["horizon"] + t["horizon_scale"] * c.keyframe.scale


def _place(c: Canvas, t: dict, horizon: float, light_at, ground, far, **more) -> Place:
    flat = lambda y: np.full(c.size, y, np.float32) if np.isscalar(y) else y  # noqa: E731
    return Place(horizon=horizon, light=light_at, ground=flat(ground), far=flat(far),
                 sky=more.pop("sky", (0.0, 0.05, 1.0, horizon - 0.12)), skip=frozenset(t["absorbs"]) | set(t["omits"]),
                 **more)


def _sun_tone(c: Canvas) -> np.ndarray:
    return c.p[0] * 0.5 + np.array([1.0, 0.93, 0.8], np.float32) * 0.5


def _day_sky(c: Canvas, horizon: float) -> tuple[np.ndarray, np.ndarray]:
    """The open sky: graded from the palette (darker when valence is low), clouds thickening with stress."""
    p, dark, storm = c.p, c.dark, c.keyframe.storm
    top = (p[1] * 0.45 + p[2] * 0.55) * (1 - dark) + (p[3] * 0.6 + p[4] * 0.4) * dark
    mid = p[1] * (1 - 0.6 * dark) + p[2] * 0.6 * dark
    low = np.minimum(1.0, p[0] * (1 - 0.4 * dark) + p[1] * 0.4 * dark + 0.05)
    img = sky(c, top, mid, low, horizon)
    grey = p[3] * 0.6 + p[4] * 0.25 + p[2] * 0.15  # storm clouds: heavy but not black holes in the sky
    cloud = p[0] * 0.5 + 0.5 + (grey - p[0] * 0.5 - 0.5) * min(1.0, 0.25 * dark + 1.1 * storm)
    cover = clouds(c, img, horizon, cloud, density=storm, opacity=0.55 + 0.3 * storm)
    return img, cover


def _sun(c: Canvas, img: np.ndarray, at, veil=None) -> None:
    x, y, r = at
    s = c.keyframe
    light(c, img, x, y, r, _sun_tone(c), glow=0.35 + 0.25 * s.brightness + 0.3 * s.style["glow"],
          disc=0.75 - 0.25 * s.storm, veil=veil)


def _hills(c: Canvas, horizon: float) -> list:
    """Ridge lines receding from the horizon towards the viewer, edges rougher with arousal and stress (never
    spiky: a hill stays a hill)."""
    s, f = c.keyframe, c.f
    jag = 0.12 + 0.35 * s.turbulence + 0.15 * s.storm
    lines = []
    for i in range(RIDGES):
        depth = i / (RIDGES - 1)
        base = horizon + (depth ** 1.35) * (1.0 - horizon) * 0.8 + 0.015
        lines.append(base - (0.028 + 0.05 * depth) * (f.smooth[i] * 0.8 + jag * 0.35 * f.jagged[i]))
    return lines


def _ridge(c: Canvas, img: np.ndarray, line: np.ndarray, depth: float, haze, opacity: float = 1.0,
           name: str | None = None) -> None:
    """One hill layer: the far ones melt into the haze of the horizon, the near ones are dark and shaded."""
    p = c.p
    colour = p[2] * (1 - depth) + p[4] * depth
    mist = (1 - depth) ** 1.6
    colour = haze * mist * 0.75 + colour * (1 - 0.75 * mist)
    fill_below(c, img, line, colour, lift=0.12, shade=0.37, rate=3.0 + 4 * depth, texture=0.05 * (1 - depth),
               opacity=opacity, name=name)


def _leaf(cx: float, cy: float, length: float, angle: float, width: float = 0.32) -> list[tuple[float, float]]:
    """A pointed leaf (lens) as a polygon, base at (cx, cy)."""
    t = np.linspace(0.0, 1.0, 7)
    half = width * length * np.sin(np.pi * t)
    along, across = np.concatenate([t, t[::-1]]) * length, np.concatenate([half, -half[::-1]])
    ca, sa = np.cos(angle), np.sin(angle)
    return list(zip(cx + along * ca - across * sa, cy + along * sa + across * ca))


def _box(size: int, x0: float, y0: float, x1: float, y1: float) -> tuple[slice, slice]:
    """Array slices (rows, columns) covering a rectangle given in picture fractions, one pixel wider."""
    clamp = lambda v: min(size, max(0, v))  # noqa: E731
    return (slice(clamp(int(y0 * size) - 1), clamp(int(y1 * size) + 2)),
            slice(clamp(int(x0 * size) - 1), clamp(int(x1 * size) + 2)))


def _hash(values: np.ndarray) -> np.ndarray:
    """A cheap per-cell pseudo-random number in [0, 1) for whole grids of cells (lit windows, fir heights)."""
    return np.abs(np.sin(values) * 43758.5453) % 1.0


def _windows(c: Canvas, img: np.ndarray, top: np.ndarray, bottom: float, cell: tuple[float, float], share: float,
             glow, opacity: float) -> None:
    """Lit windows in a grid over the area between a skyline `top` and the street `bottom` (vectorised)."""
    size = c.size
    lo, hi = max(0, int(float(top.min()) * size)), min(size, int(bottom * size))
    if hi <= lo:
        return
    y, x = c.y[lo:hi] * size, c.x[lo:hi] * size
    cw, ch = cell[0] * size, cell[1] * size
    ix, iy = np.floor(x / cw), np.floor(y / ch)
    chance = _hash(ix * 12.9898 + iy * 78.233 + c.unit("windows") * 100)
    pane = ((x % cw) < cw * 0.5) & ((y % ch) < ch * 0.55)
    inside = (c.y[lo:hi] - top[None, :]) > 1.5 * cell[1]
    lit = np.clip((share - chance) / 0.04, 0, 1)  # a window fades in as the share of lit ones grows
    alpha = ((pane & inside) * lit * (0.55 + 0.45 * np.clip(chance / max(share, 1e-3), 0, 1))).astype(np.float32)
    over(img[lo:hi], glow, alpha * opacity)
    c.layer(alpha * opacity, lo, 0)
    c.layer(alpha, lo, 0, "lit windows", hides=False)


def _conifers(c: Canvas, height: float, groves: np.ndarray, spacing: float = 0.022) -> np.ndarray:
    """A treeline of pointed firs, in groves where `groves` (a per-column profile) is high: the amount each
    column rises above the ground line."""
    x = c.x[0] / spacing + c.unit("firs") * 10
    cell, u = np.floor(x), x - np.floor(x)
    tall = _hash(cell * 12.9898 + 4.1)
    grove = smoothstep(0.1, 0.6, groves)
    return (height * (0.45 + 0.55 * tall) * grove * (1 - np.abs(2 * u - 1)) ** 1.2).astype(np.float32)


def _moon(c: Canvas, img: np.ndarray, at, colour, phase: float) -> None:
    """A crescent: the moon's disc less a disc shifted by `phase` radii (computed in the moon's own window)."""
    mx, my, r = at
    y0, y1 = max(0, int((my - 1.2 * r) * c.size)), min(c.size, int((my + 1.2 * r) * c.size) + 1)
    x0, x1 = max(0, int((mx - 1.2 * r) * c.size)), min(c.size, int((mx + 1.2 * r) * c.size) + 1)
    if y1 <= y0 or x1 <= x0:
        return
    dy = c.y[y0:y1, x0:x1] - my
    lit = smoothstep(r, r * 0.9, np.sqrt((c.x[y0:y1, x0:x1] - mx) ** 2 + dy ** 2))
    shadow = smoothstep(r, r * 0.85, np.sqrt((c.x[y0:y1, x0:x1] - mx - phase * r) ** 2 + dy ** 2))
    over(img[y0:y1, x0:x1], colour, lit * (1 - 0.92 * shadow))
    c.layer(lit * (1 - 0.92 * shadow), y0, x0, "moon")


# ── the families ───────────────────────────────────────────────────────────────────────────────────────────

@family("open_field")
def open_field(c: Canvas, t: dict) -> np.ndarray:
    """Hills under a graded sky with a light, a field in front with a path to the light and a walker on it; far
    mountains rise behind the hills when longed for, and the sea replaces the middle hills."""
    s, p = c.keyframe, c.p
    horizon = _horizon(c, t)
    img, cover = _day_sky(c, horizon)
    sun = (c.between(0.3, 0.7, "sun"), horizon - t["sun_height"] - 0.06 * s.brightness, 0.055 + 0.035 * s.scale)
    _sun(c, img, sun, cover)
    lines = _hills(c, horizon)[:3]
    sea_weight, sea = c.kinds.get("waves", (0.0, 0.0))
    edge = horizon + (1.0 - horizon) * t["field"] + 0.012 * c.f.smooth[3]  # a field's edge is gentle, never jagged
    edge = edge * (1 - sea) + (1.0 - (1.0 - edge) * 0.5) * sea  # a low near shore so the sea stays open
    place = _place(c, t, horizon, sun, ground=edge, far=lines[0], sky=(0.0, 0.05, 1.0, horizon * 0.8),
                   path_end=float(edge.min()) - 0.005)
    img = draw_motifs(c, place, img, far=True)
    haze = img[int(horizon * c.size) - 2].mean(0)
    for i, line in enumerate(lines):
        if i == 2 and sea:
            water(c, img, float(line.max()) - 0.01, sun[0], calm=1.0 - s.turbulence,
                  opacity=sea * min(1.0, 0.7 + sea_weight), name="waves")
        _ridge(c, img, line, i / (RIDGES - 1), haze, opacity=1.0 - sea if i == 2 else 1.0, name="hills")
    meadow = (p[1] * 0.35 + p[2] * 0.35 + GREEN * 0.3) * (1 - 0.3 * c.dark) + haze * 0.1 * c.dark
    fill_below(c, img, edge, meadow, lift=0.08, shade=0.22, rate=1.5, texture=0.06, name="field")
    lo = int(float(edge.min()) * c.size)  # rows of the field, closer together towards the hills
    below = np.maximum(c.y[lo:] - edge[None, :], 0.0)
    rows = smoothstep(0.3, 1.0, np.sin(np.log(below + 0.02) * 22.0 + 0.8 * c.f.detail[lo:] * (0.5 + s.turbulence)))
    over(img[lo:], meadow * 0.75, rows * smoothstep(0.0, 0.02, below) * 0.3)
    path_weight, _ = c.kinds.get("path", (0.0, 0.0))
    img = draw_motif(c, place, img, "path", max(path_weight, t["path"], s.storm - 0.4))
    figure_weight, _ = c.kinds.get("figure", (0.0, 0.0))
    x, y = path_point(c, place, t["walker"])
    walker = replace(place, span=(x, x), ground=np.full(c.size, y, np.float32))
    img = draw_motif(c, walker, img, "figure", max(figure_weight, t["walker_weight"]))
    return draw_motifs(c, place, img, far=False)


@family("shoreline")
def shoreline(c: Canvas, t: dict) -> np.ndarray:
    """The sea to a low horizon, a headland, sails, the light's path on the water, a beach with foam."""
    s, p, x, size = c.keyframe, c.p, c.x[0], c.size
    horizon = _horizon(c, t)
    img, cover = _day_sky(c, horizon)
    sun = (c.between(0.3, 0.7, "sun"), horizon - 0.09 - 0.08 * max(s.brightness, -0.5), 0.05 + 0.03 * s.scale)
    _sun(c, img, sun, cover)
    left = c.unit("headland") < 0.5
    reach = smoothstep(0.4, 0.05, x) if left else smoothstep(0.6, 0.95, x)
    head = horizon + 0.002 - (0.035 + 0.04 * c.unit("headland-h")) * reach * (1.0 + 0.2 * c.f.smooth[1])
    shore = t["beach"] - 0.03 * s.scale + 0.025 * np.sin(x * 4.0 + c.unit("bay") * 6) + 0.008 * c.f.smooth[3]
    place = _place(c, t, horizon, sun, ground=shore + 0.05, far=np.minimum(head, horizon),
                   near=(float(shore.max()) + 0.05, 0.99))
    img = draw_motifs(c, place, img, far=True)
    haze = img[int(horizon * size) - 2].mean(0)
    fill_below(c, img, head, haze * 0.45 + (p[2] * 0.5 + p[3] * 0.5) * 0.55, shade=0.1, texture=0.02)
    deep = p[3] * 0.5 + p[4] * 0.2 + SEA * 0.3
    water(c, img, horizon, sun[0], calm=1.0 - min(1.0, s.turbulence + 0.3 * s.storm),
          deep=deep * (1 - 0.25 * c.amount("waves")), name="sea")
    lo = int(horizon * size)
    depth = np.clip((c.y[lo:] - horizon) / (1 - horizon), 0, 1)
    column = np.exp(-((c.x[lo:] - sun[0]) / (0.02 + 0.12 * depth)) ** 2) * np.exp(-2.5 * depth)
    over(img[lo:], _sun_tone(c), column * (0.45 + 0.3 * max(s.brightness, 0.0)) * (1 - 0.5 * s.storm))
    boats = c.ink()
    ux, ud = c.randoms("boats", 2)
    for j in range(1 + int(c.unit("boats") * t["boats"])):
        bx, depth = 0.12 + 0.76 * ux[j], ud[j]
        by, h = (horizon + 0.015 + 0.08 * depth) * size, size * (0.07 + 0.08 * depth) * (1 + 0.3 * s.scale)
        cx = bx * size
        boats.draw("ink").polygon([(cx - h * .4, by - h * .14), (cx + h * .45, by - h * .14), (cx + h * .3, by),
                                   (cx - h * .3, by)], fill=235)
        boats.draw("ink").line([(cx, by - h * .14), (cx, by - h)], fill=235, width=max(1, size // 300))
        boats.draw("sail").polygon([(cx + h * .04, by - h), (cx + h * .04, by - h * .2), (cx + h * .42, by - h * .2)],
                                   fill=240)
        boats.draw("sail").polygon([(cx - h * .04, by - h * .85), (cx - h * .04, by - h * .2),
                                    (cx - h * .28, by - h * .2)], fill=200)
    boats.composite(img, {"ink": p[4] * 0.8, "sail": p[0] * 0.4 + 0.58}, ("ink", "sail"), names={"ink": "boat",
                                                                                                "sail": "boat"})
    sand = np.minimum(1.0, p[0] * 0.55 + p[1] * 0.35 + p[2] * 0.1) * (1 - 0.3 * c.dark)
    fill_below(c, img, shore, sand * 0.7 + deep * 0.3, lift=0.05, shade=0.15, opacity=0.8)
    foam = np.zeros_like(c.y[lo:])
    for k in range(3):  # more lines of surf the more restless the mood, each fading in
        offset, there = 0.02 * k * (1 + s.turbulence), float(np.clip(1 + 2 * s.turbulence - k, 0, 1))
        foam = np.maximum(foam, np.exp(-((c.y[lo:] - shore[None, :] + offset) / 0.005) ** 2) * (0.8 - 0.25 * k) * there)
    over(img[lo:], p[0] * 0.3 + 0.7, foam * np.clip(0.6 + 0.4 * c.f.detail[lo:], 0, 1))
    fill_below(c, img, shore + 0.025 + 0.01 * c.f.smooth[4], sand, lift=0.04, shade=0.25, rate=2.0, texture=0.03,
               name="beach")
    return draw_motifs(c, place, img, far=False)


@family("night_sky")
def night_sky(c: Canvas, t: dict) -> np.ndarray:
    """A dark graded sky, the Milky Way, a moon and stars over a low silhouette of land."""
    s, p = c.keyframe, c.p
    horizon = _horizon(c, t)
    lift = 0.2 * max(s.brightness, 0.0)  # a happier night glows more at the horizon, never at the zenith
    top = (p[4] * 0.9 + p[3] * 0.1) * 0.6  # night whatever the palette: its darkest colour, darker still
    mid = (p[3] * 0.5 + p[4] * 0.5) * 0.75 * (1 - lift) + p[2] * lift
    low = (p[2] * 0.55 + p[3] * 0.45) * 0.9 * (1 - lift) + p[1] * lift
    img = sky(c, top, mid, low, horizon, wash=0.05)
    a = c.between(-0.9, 0.9, "galaxy")
    band = (c.x - 0.5) * np.cos(a) + (c.y - 0.3) * np.sin(a)
    milky = np.exp(-(band / 0.1) ** 2) * smoothstep(-0.6, 1.4, c.f.wash + 0.5 * c.f.detail) * (c.y < horizon)
    over(img, p[1] * 0.4 + 0.55, milky * 0.16)
    moon = (c.between(0.2, 0.8, "moon"), c.between(0.12, 0.26, "moon-y"),
            t["moon"] * (1 + 0.3 * s.scale + 0.5 * c.amount("disc")))
    far = horizon - 0.012 - 0.02 * (0.5 + 0.5 * c.f.smooth[1])
    sea = c.kinds.get("waves", (0.0, 0.0))[1]  # a longing for the sea: open water under the moon, the land recedes
    place = _place(c, t, horizon, moon, ground=horizon + 0.07, far=far * (1 - sea) + horizon * sea,
                   sky=(0.0, 0.02, 1.0, horizon - 0.06))
    img = draw_motif(c, place, img, "stars", t["stars"] + 0.4 * c.amount("stars"))
    clouds(c, img, horizon, p[4] * 0.45 + p[3] * 0.45 + p[2] * 0.1, density=0.15 + 0.7 * s.storm,
           opacity=0.25 + 0.45 * s.storm, lift=1.0)
    glow_tone = p[0] * 0.4 + np.array([0.95, 0.95, 0.88], np.float32) * 0.6  # the moon shines through the clouds
    light(c, img, moon[0], moon[1], moon[2], glow_tone, glow=0.2 + 0.12 * s.brightness + 0.15 * s.style["glow"],
          disc=0.0, reach=3.0)
    _moon(c, img, moon, glow_tone * 0.6 + 0.4, c.between(0.45, 1.3, "phase") * (1 if c.unit("waxing") < 0.5 else -1))
    img = draw_motifs(c, place, img, far=True)
    fill_below(c, img, far, (p[3] * 0.45 + p[4] * 0.45 + p[2] * 0.1) * 0.7, shade=0.2, opacity=1 - sea, name="land")
    near = horizon + 0.06 + 0.12 * sea + 0.025 * c.f.smooth[2] - _conifers(c, 0.05, groves=c.f.smooth[4])
    fill_below(c, img, near, p[4] * 0.5, shade=0.3, texture=0.015, name="land")
    place.ground = near + 0.01
    return draw_motifs(c, place, img, far=False)


@family("window")
def window(c: Canvas, t: dict) -> np.ndarray:
    """An interior: a wall and floor, a window with the sky and land beyond, light falling into the room."""
    s, p, size = c.keyframe, c.p, c.size
    width, height = t["width"] + 0.05 * s.scale, t["height"] + 0.04 * s.scale
    left, top = c.between(0.14, 0.86 - width, "window"), 0.12
    sill, floor = top + height, 0.82 + 0.02 * s.scale
    horizon = top + height * _horizon(c, t)
    glass = _box(size, left, top, left + width, sill)
    pane = np.zeros((size, size), np.float32)
    pane[glass] = smoothstep(0.0, 1.5 / size, np.minimum(np.minimum(c.x[glass] - left, left + width - c.x[glass]),
                                                         np.minimum(c.y[glass] - top, sill - c.y[glass])))
    # the view: a small landscape seen through the glass
    view, cover = _day_sky(c, horizon)
    sun = (left + width * c.between(0.25, 0.75, "sun"), top + (horizon - top) * 0.4, 0.028 + 0.01 * s.scale)
    _sun(c, view, sun, cover)
    night = c.amount("stars")  # a longing for stars: night outside
    if night:
        over(view, p[4] * 0.5 + p[3] * 0.2, (c.y < horizon).astype(np.float32) * min(0.85, night))
    sea = c.kinds.get("waves", (0.0, 0.0))[1]  # a longing for the sea: the sea outside instead of hills
    hills = horizon - 0.012 * (1 + c.f.smooth[1]) * (1 - sea)
    field = hills + 0.03 + 0.04 * sea + 0.008 * c.f.smooth[2]
    place = _place(c, t, horizon, sun, ground=field, far=hills, sky=(left, top, left + width, horizon - 0.03),
                   near=(sill - 0.045, sill - 0.005), scale=0.4, span=(left, left + width), clip=pane)
    view = draw_motifs(c, place, view, far=True)
    haze = view[int(horizon * size) - 2].mean(0)
    fill_below(c, view, hills, haze * 0.5 + p[2] * 0.5, shade=0.15, opacity=1 - sea)
    fill_below(c, view, field, p[3] * 0.5 + p[2] * 0.3 + GREEN * 0.2, shade=0.25)
    view = draw_motifs(c, place, view, far=False, only=set(MOTIFS) - {"bloom"})
    # the room, lit by the window: brighter near it, darker in the corners
    bright = 0.4 + 0.3 * s.brightness
    wall = (p[2] * 0.35 + p[3] * 0.5 + p[1] * 0.15) * (1 - 0.3 * c.dark)
    cx, cy = left + width / 2, top + height / 2
    near_window = np.exp(-(((c.x - cx) / (width * 1.3)) ** 2 + ((c.y - cy) / (height * 1.0)) ** 2))
    img = tint(wall, 0.7 + 0.5 * bright * near_window + 0.04 * c.f.wash)
    c.layer(1.0 - pane)  # the room hides the view except through the glass
    lo = int(floor * size)
    fy, fx = c.y[lo:], c.x[lo:]
    boards = 0.96 + 0.04 * np.sign(np.sin((fx - cx) / (fy - floor + 0.12) * 9.0))  # floorboards towards the window
    floor_tone = (p[3] * 0.5 + p[4] * 0.3 + p[1] * 0.2) * (1 - 0.3 * c.dark)
    img[lo:] = tint(floor_tone, boards * (0.75 + 0.5 * (fy - floor)))
    img[lo:lo + max(1, size // 200)] *= 0.7
    shift = (0.5 - (sun[0] - left) / width) * 0.3
    patch = Ink(size)
    corners = [(left + 0.02 + shift, floor + 0.005), (left + width + 0.02 + shift, floor + 0.005),
               (left + width + 0.1 + 2.5 * shift, 1.02), (left + 0.1 + 2.5 * shift, 1.02)]
    patch.draw("sun").polygon([(u * size, v * size) for u, v in corners], fill=255)
    patch.draw("sun").line([((corners[0][0] + corners[1][0]) / 2 * size, corners[0][1] * size),
                            ((corners[2][0] + corners[3][0]) / 2 * size, 1.02 * size)],
                           fill=0, width=max(2, size // 60))  # the shadow of the window's middle bar
    sunlit = blur(np.asarray(patch.masks["sun"], np.float32) / 255.0, size / 120)
    warmth = _sun_tone(c)
    home = 1 + 0.4 * c.amount("house")  # a longing for home: more light in the room
    strength = t["room_light"] * home * (1.0 + 0.6 * max(s.brightness, -0.6)) * (1 - 0.4 * s.storm)
    over(img, warmth, np.clip(sunlit * strength, 0, 1))
    c.layer(np.clip(sunlit * strength, 0, 1))
    c.layer(sunlit, name="light on the floor", hides=False)
    over(img[glass], view[glass], pane[glass])
    sheen = smoothstep(0.2, 0.0, np.abs((c.x[glass] - left) - (c.y[glass] - top) * 0.6 - 0.1))  # a glint on the glass
    over(img[glass], np.ones(3, np.float32), pane[glass] * sheen * 0.07)
    frame, bar = c.ink(), max(2, size // 55)
    d = frame.draw("frame")
    d.rectangle((left * size, top * size, (left + width) * size, sill * size), outline=255, width=bar)
    d.line([((left + width / 2) * size, top * size), ((left + width / 2) * size, sill * size)], fill=255,
           width=bar * 2 // 3)
    d.line([(left * size, (top + height * 0.4) * size), ((left + width) * size, (top + height * 0.4) * size)],
           fill=255, width=bar * 2 // 3)
    d.rectangle(((left - 0.03) * size, sill * size, (left + width + 0.03) * size, (sill + 0.02) * size), fill=255)
    d.line([((left - 0.09) * size, (top - 0.035) * size), ((left + width + 0.09) * size, (top - 0.035) * size)],
           fill=255, width=max(1, bar // 2))
    frame.draw("shadow").rectangle(((left - 0.03) * size, (sill + 0.02) * size, (left + width + 0.03) * size,
                                    (sill + 0.038) * size), fill=110)
    frame_tone = (p[0] * 0.45 + p[1] * 0.35 + p[2] * 0.2) * (0.9 - 0.3 * c.dark)
    frame.composite(img, {"frame": frame_tone, "shadow": wall * 0.5}, ("shadow", "frame"), names={"frame": "window"})
    cloth = (p[1] * 0.45 + p[2] * 0.4 + p[0] * 0.15) * (0.75 + 0.35 * bright)
    for side in (-1, 1):  # curtains at both sides, tied back, swaying with arousal
        edge = left if side < 0 else left + width
        hang = _box(size, edge - 0.1, top - 0.035, edge + 0.1, floor - 0.01)
        y, x = c.y[hang], c.x[hang]
        tie = np.exp(-((y - sill + 0.08) / 0.14) ** 2)
        reach = 0.05 + 0.05 * c.unit("curtain", side)
        sway = 0.01 * (0.3 + s.turbulence) * np.sin(y * 8.0 + c.unit("sway", side) * 6)
        inner = edge - side * reach * (1 - 0.7 * tie) + sway
        drape = smoothstep(-0.002, 0.002, (x - edge - side * 0.08) * -side)
        drape *= smoothstep(-0.002, 0.002, (inner - x) * -side)
        folds = 0.82 + 0.18 * np.sin((x - sway) * 70.0 + side)
        over(img[hang], tint(cloth, folds), drape * 0.9)
        c.layer(drape * 0.9, hang[0].start, hang[1].start, "curtains")
    place.clip = None
    return draw_motifs(c, place, img, far=False, only={"bloom"})


@family("garden")
def garden(c: Canvas, t: dict) -> np.ndarray:
    """Flowers and leaves close by, a soft bright garden behind them."""
    s, p, size = c.keyframe, c.p, c.size
    horizon = _horizon(c, t)
    img, cover = _day_sky(c, horizon)
    sun = (c.between(0.25, 0.75, "sun"), horizon - 0.25, 0.07)
    _sun(c, img, sun, cover)
    crowns = np.abs(np.sin(c.x[0] * c.between(6, 11, "bushes") + c.unit("bushes-x") * 6)) ** 0.5
    hedge = horizon - 0.02 - 0.06 * smoothstep(-1.0, 1.5, c.f.smooth[1]) - 0.05 * crowns
    place = _place(c, t, horizon, sun, ground=horizon + 0.1, far=hedge + 0.01, sky=(0.0, 0.03, 1.0, horizon - 0.12),
                   near=(0.86, 0.99), scale=0.6)
    img = draw_motifs(c, place, img, far=True)
    fill_below(c, img, hedge, p[2] * 0.45 + p[1] * 0.2 + GREEN * 0.35, shade=0.2, texture=0.05, soft=6, name="hedge")
    fill_below(c, img, horizon + 0.1 + 0.015 * c.f.smooth[2], p[3] * 0.4 + p[2] * 0.3 + GREEN * 0.3, lift=0.1,
               shade=0.3, texture=0.04)
    bokeh = c.ink()
    ux, uy, ur, ua = c.randoms("bokeh", 4)
    for j in range(14):
        bx, by = ux[j] * size, (0.15 + horizon * uy[j]) * size
        r = size * (0.015 + 0.025 * ur[j])
        bokeh.draw("light").ellipse((bx - r, by - r, bx + r, by + r), fill=int(90 + 80 * ua[j]))
    bokeh.composite(img, {"light": _sun_tone(c)}, ("light",))
    img = blur(img, size / 70) * 0.7 + img * 0.3  # the background out of focus
    img = draw_motifs(c, place, img, far=False, only=BEHIND_FLOWERS)
    leaves = c.ink()
    side, edge, ux, uy, ua, ul, tone = c.randoms("leaves", 7)
    for j in range(int(t["leaves"])):
        lx = (side[j] * 0.35 if side[j] < 0.5 else 0.65 + (side[j] - 0.5) * 0.7) if edge[j] < 0.6 else ux[j]
        ly = 1.05 - 0.4 * uy[j] ** 1.6
        angle = -np.pi / 2 + 2.4 * (ua[j] - 0.5) + (lx - 0.5) * 1.2
        length = (0.07 + 0.09 * ul[j]) * (0.7 + 0.6 * (ly - 0.6))
        poly = [(u * size, v * size) for u, v in _leaf(lx, ly, length, angle)]
        leaves.draw("dark" if tone[j] < 0.55 else "lit").polygon(poly, fill=240)
    leaves.composite(img, {"dark": p[4] * 0.6 + GREEN * 0.25 + p[3] * 0.15,
                           "lit": p[3] * 0.5 + GREEN * 0.35 + p[2] * 0.15}, ("dark", "lit"),
                     names={"dark": "leaves", "lit": "leaves"})
    petals = (p[1] * 0.5 + np.array([0.92, 0.42, 0.5], np.float32) * 0.5,
              p[0] * 0.55 + np.array([1.0, 0.88, 0.5], np.float32) * 0.45, p[0] * 0.4 + 0.6)
    flowers, count = c.ink(), t["flowers"] * (1 + 1.2 * c.amount("bloom"))
    ux, ud, ur, ut = c.randoms("flowers", 4)
    for j, fade in fade_count(count):
        fx, depth = ux[j], ud[j]
        fy = 0.62 + 0.34 * depth
        r = size * (0.012 + 0.02 * depth) * (0.8 + 0.5 * ur[j]) * (1 + 0.2 * s.scale)
        cx, cy, level = fx * size, fy * size, int(245 * fade)
        flowers.draw("stem").line([(cx, cy), (cx + r * 0.6 * np.sin(j), cy + size * 0.15)], fill=level,
                                  width=max(1, size // 250))
        tone = f"petal{int(ut[j] * 3)}"
        for k in range(5):
            a = k * 2 * np.pi / 5 + j
            px, py = cx + r * 0.6 * np.cos(a), cy + r * 0.5 * np.sin(a)
            flowers.draw(tone).ellipse((px - r * 0.55, py - r * 0.45, px + r * 0.55, py + r * 0.45), fill=level)
        flowers.draw("heart").ellipse((cx - r * 0.25, cy - r * 0.22, cx + r * 0.25, cy + r * 0.22), fill=level)
    flowers.composite(img, {"stem": p[4] * 0.6 + GREEN * 0.4, "petal0": petals[0], "petal1": petals[1],
                            "petal2": petals[2], "heart": np.array([0.95, 0.75, 0.3], np.float32) * 0.6 + p[1] * 0.4},
                      ("stem", "petal0", "petal1", "petal2", "heart"),
                      names=dict.fromkeys(("petal0", "petal1", "petal2", "heart"), "flowers"))
    return draw_motifs(c, place, img, far=False, only=set(MOTIFS) - BEHIND_FLOWERS)


@family("city_night")
def city_night(c: Canvas, t: dict) -> np.ndarray:
    """A skyline of blocks with lit windows over a river, street lights, everything mirrored in the water."""
    s, p, size, x = c.keyframe, c.p, c.size, c.x[0]
    horizon = _horizon(c, t)
    glow = 0.35 + 0.25 * max(s.brightness, 0.0)
    top, mid = p[4] * 0.75 + p[3] * 0.25, p[4] * 0.3 + p[3] * 0.7
    low = p[3] * (0.6 - glow) + p[2] * 0.4 + p[1] * glow
    img = sky(c, top, mid, low, horizon, wash=0.05)
    clouds(c, img, horizon, p[3] * 0.6 + p[1] * 0.4, density=0.1 + 0.6 * s.storm, opacity=0.3, lift=1.0)
    place = _place(c, t, horizon, (c.between(0.2, 0.8, "moon"), 0.14, 0.035), ground=0.985, far=horizon,
                   sky=(0.0, 0.03, 1.0, 0.3), near=(0.9, 0.99), scale=1.4)  # people stand on the near bank
    img = draw_motifs(c, place, img, far=True)
    heights = []
    for layer, (lo_h, hi_h, step) in enumerate(((0.06, 0.2, 0.035), (0.1, 0.38, 0.06))):
        line, u, k = np.full(size, horizon, np.float32), -0.02, 0
        uw, uh, um = c.randoms("blocks", 3)[:, layer::2]
        while u < 1.0:
            w = step * (0.5 + 0.8 * uw[k])
            h = (lo_h + (hi_h - lo_h) * uh[k]) ** 1.2 * (1 + 0.35 * s.scale) * (1 + 0.6 * c.amount("city"))
            line[(x >= u) & (x < u + w)] = horizon - h
            if um[k] < 0.12:  # a mast on a tower
                line[(x >= u + w * 0.48) & (x < u + w * 0.52)] = horizon - h - 0.04
            u, k = u + w + (0.0 if layer else 0.004), k + 1
        heights.append(line)
    far_tone = p[3] * 0.55 + p[2] * 0.25 + p[1] * 0.2
    fill_below(c, img, heights[0], far_tone, shade=0.1, texture=0.02, name="buildings")
    lit = np.array([1.0, 0.82, 0.45], np.float32) * 0.75 + p[0] * 0.25
    share = t["lit"] * (1 + 0.4 * max(s.brightness, 0.0))
    _windows(c, img, heights[0], horizon, (1 / 150, 1 / 110), share * 0.8, lit, 0.6)
    fill_below(c, img, heights[1], p[4] * 0.85 + p[3] * 0.15, shade=0.15, texture=0.015, name="buildings")
    _windows(c, img, heights[1], horizon, (1 / 95, 1 / 70), share, lit, 1.0)
    fill_below(c, img, np.full(size, horizon, np.float32), p[4] * 0.8, shade=0.0)
    lamps = [(j + 0.5 + 0.3 * (u - 0.5)) / t["lamps"] for j, u in enumerate(c.randoms("lamps")[0, :int(t["lamps"])])]
    posts = c.ink()
    for lx in lamps:
        posts.draw("post").line([(lx * size, (horizon - 0.055) * size), (lx * size, horizon * size)], fill=200,
                                width=max(1, size // 300))
    posts.composite(img, {"post": p[4] * 0.7}, ("post",), names={"post": "street lamps"})
    for lx in lamps:
        light(c, img, lx, horizon - 0.058, 0.005, lit, glow=0.7, disc=1.0, reach=5.0, name="street lamps")
    river = c.amount("waves")  # a longing for water: a wider, stiller river
    water(c, img, horizon + 0.012, 0.5, calm=max(0.2, 0.8 - s.turbulence + 0.3 * river),
          deep=(p[4] * 0.85 + p[3] * 0.15) * (1 - 0.3 * river) + SEA * 0.3 * river, name="river")
    lo = int((horizon + 0.012) * size)
    fall = np.exp(-(c.y[lo:] - horizon) * 3.0)
    for lx in lamps:
        flicker = 0.5 + 0.5 * np.sin(c.y[lo:] * size * 0.5 + c.f.detail[lo:] * 3)
        over(img[lo:], lit, np.exp(-((c.x[lo:] - lx) / 0.005) ** 2) * fall * flicker * 0.6)
    return draw_motifs(c, place, img, far=False)


@family("forest")
def forest(c: Canvas, t: dict) -> np.ndarray:
    """Trunks receding into a misty glade, a dark canopy above, shafts of light falling through."""
    s, p, size = c.keyframe, c.p, c.size
    horizon = _horizon(c, t)
    sun = (c.between(0.35, 0.65, "sun"), horizon - 0.26, 0.05)
    mist = (p[2] * 0.45 + p[3] * 0.25 + GREEN * 0.3) * (1 - 0.35 * c.dark)
    glade = np.minimum(1.0, p[0] * 0.75 + p[1] * 0.25 + 0.05)
    d2 = ((c.x - sun[0]) / 1.3) ** 2 + (c.y - sun[1]) ** 2
    img = sky(c, mist * 0.8, mist, mist * 0.9 + glade * 0.1, horizon)
    over(img, glade, np.exp(-d2 / 0.05) * (0.9 - 0.4 * c.dark))
    _sun(c, img, sun)
    place = _place(c, t, horizon, sun, ground=horizon + 0.06, far=horizon, sky=(0.15, 0.22, 0.85, horizon - 0.1),
                   near=(0.9, 0.99), scale=0.8, span=(0.25, 0.75), path_end=horizon + 0.01)
    img = draw_motifs(c, place, img, far=True)
    haze = img[int(horizon * size) - 1].mean(0)
    fill_below(c, img, horizon + 0.004 * c.f.smooth[0], haze * 0.35 + (p[4] * 0.45 + p[3] * 0.3 + GREEN * 0.25) * 0.65,
               shade=0.4, rate=1.6, texture=0.03)
    bark_dark = p[4] * 0.6 + p[3] * 0.1 + GREEN * 0.05
    lean = 0.03 * (0.4 + s.turbulence)
    counts, old_trees = t["trunks"], c.amount("tree")  # a longing for trees: older, broader trunks
    for layer, count in enumerate(counts):
        depth = layer / (len(counts) - 1)
        base = horizon + 0.01 + (1.08 - horizon) * depth ** 1.4
        tone = haze * (1 - depth) ** 1.5 + bark_dark * (1 - (1 - depth) ** 1.5)
        girth, place_x, tilt = c.randoms("trunks", 3)[:, layer * 64:]
        for j in range(count):
            w = (0.006 + 0.055 * depth ** 1.8) * (0.6 + 0.8 * girth[j]) * (1 + 0.25 * s.scale + 0.3 * old_trees)
            xc = (j + 0.5 + 0.8 * (place_x[j] - 0.5)) / count
            _trunk(c, img, xc, base, w, lean * (tilt[j] - 0.5), tone, sun[0])
        if layer < len(counts) - 1:  # mist between the rows
            over(img, haze * 0.6 + glade * 0.4, np.exp(-((c.y - horizon - 0.01) / 0.07) ** 2) * 0.22)
    lo, beams = rays(c, sun[0], sun[1], spread=3.0)
    strength = t["rays"] * (0.7 + 0.4 * max(s.brightness, -0.5) + 0.3 * s.style["glow"])
    over(img[lo:], glade, beams * strength)
    c.layer(beams * strength, lo)
    c.layer(beams / max(float(beams.max()), 1e-3), lo, 0, "shafts of light", hides=False)
    leaves = c.f.wash * 0.7 + c.f.detail * 0.25 + (0.14 - c.y) * 10.0
    opening = np.exp(-(((c.x - sun[0]) / 0.2) ** 2 + ((c.y - sun[1]) / 0.3) ** 2))  # the canopy parts at the light
    canopy = smoothstep(0.0, 0.2, leaves) * (1.0 - 0.75 * opening)
    over(img, p[4] * 0.55 + GREEN * 0.25 + p[3] * 0.1, canopy * 0.95)
    c.layer(canopy * 0.95, name="canopy")
    lo = int((horizon + 0.03) * size)
    dapple = smoothstep(0.8, 1.4, c.f.wash[lo:] + 0.6 * c.f.detail[lo:]) * 0.25 * (1 - 0.6 * c.dark)
    over(img[lo:], glade, dapple)
    return draw_motifs(c, place, img, far=False)


def _trunk(c: Canvas, img: np.ndarray, xc: float, base: float, width: float, tilt: float, tone, light_x: float) -> None:
    """One trunk from the top of the picture down to `base`, leaning by `tilt`, lit on the side of the light."""
    size = c.size
    hi = min(size, int(base * size) + 1)
    x0 = max(0, int((xc - width - abs(tilt)) * size) - 2)
    x1 = min(size, int((xc + width + abs(tilt)) * size) + 3)
    if x1 <= x0 or hi <= 0:
        return
    yy, xx = c.y[:hi, x0:x1], c.x[:hi, x0:x1]
    centre = xc + tilt * (base - yy)
    half = width / 2 * (1 + 0.4 * smoothstep(base - 0.05, base, yy))  # roots flare
    across = (xx - centre) / half
    alpha = smoothstep(1.0 + 1.5 / (half * size), 1.0, np.abs(across))
    lit = np.clip(across * np.sign(light_x - xc), 0, 1)
    bark = tone * (0.8 + 0.35 * lit[..., None] ** 2) + 0.025 * c.f.detail[:hi, x0:x1, None]
    over(img[:hi, x0:x1], bark, alpha)
    c.layer(alpha, 0, x0, "trunks")


@family("storm_front")
def storm_front(c: Canvas, t: dict) -> np.ndarray:
    """A wall of cloud over open land with curtains of rain, and a break where the light comes through."""
    s, p, size, x = c.keyframe, c.p, c.size, c.x[0]
    horizon = _horizon(c, t)
    tone = _sun_tone(c)
    img = sky(c, p[2] * 0.4 + p[1] * 0.6, p[1] * 0.5 + p[0] * 0.5, np.minimum(1.0, p[0] * 0.8 + 0.15), horizon)
    gap_x, gap_y = c.between(0.28, 0.72, "break"), c.between(0.3, 0.38, "break-y")
    gap_w = t["break_width"] + 0.06 * max(s.brightness + 0.3, 0.0) + 0.04 * (1 - s.storm)
    base = t["cloud_base"] + 0.025 * c.f.smooth[0] + 0.008 * (0.4 + s.turbulence) * c.f.jagged[0]
    arch = np.clip(1.0 - ((x - gap_x) / (gap_w * 1.7)) ** 2, 0.0, 1.0) ** 0.5
    arch = arch + 0.05 * c.f.jagged[1] * (0.5 + s.turbulence)
    base = base - (base - gap_y) * np.clip(arch, 0.0, 1.0)  # the wall lifts in an arch: a break of light
    light(c, img, gap_x, gap_y + 0.06, 0.06, tone, glow=0.8 + 0.2 * s.style["glow"], disc=0.25, reach=2.5)
    under = base[None, :] - c.y  # > 0 inside the cloud wall
    mass = smoothstep(-0.004, 0.02, under + 0.01 * c.f.detail)
    tiers = smoothstep(-1.2, 2.0, c.f.clouds + 0.6 * c.f.detail)  # lighter billows, darker folds
    shade = 0.62 + 0.4 * tiers - 0.25 * np.exp(-((under - 0.035) / 0.045) ** 2)
    near_break = np.exp(-((c.x - gap_x) / (gap_w * 1.4)) ** 2 - ((c.y - gap_y) / 0.25) ** 2)
    lit = np.clip(0.55 * np.exp(-(under / 0.018) ** 2) * (0.4 + near_break) + 0.3 * near_break * tiers, 0, 1)
    cloud = tint(p[4] * 0.55 + p[3] * 0.45, shade * (1 - lit))
    cloud += tint(p[1] * 0.4 + tone * 0.6, lit)  # the lining catches the light
    over(img, cloud, mass * (0.93 + 0.07 * s.storm))
    c.layer(mass * (0.93 + 0.07 * s.storm), name="cloud wall")
    curtains = smoothstep(-0.2, 0.6, c.f.smooth[1] + 0.4 * c.f.smooth[2])
    curtains = curtains * smoothstep(gap_w * 0.8, gap_w * 1.6, np.abs(x - gap_x))  # no rain falls in the break
    veil = curtains[None, :] * smoothstep(-0.03, 0.02, -under) * (1 - 0.6 * smoothstep(horizon, 1.0, c.y))
    veil = veil.astype(np.float32)
    over(img, p[3] * 0.6 + p[2] * 0.4, veil * (0.25 + 0.3 * s.storm))  # grey veils of rain under the wall
    sea = c.kinds.get("waves", (0.0, 0.0))[1]  # a storm over the sea: the land recedes to a near shore
    land_far = horizon - 0.012 * (1 + c.f.smooth[2])
    land_near = horizon + 0.09 + 0.1 * sea + 0.03 * c.f.smooth[3] - 0.02 * c.f.jagged[3] * s.turbulence
    place = _place(c, t, horizon, (gap_x, gap_y + 0.06, 0.05), ground=land_near + 0.01,
                   far=land_far * (1 - sea) + horizon * sea,
                   sky=(0.05, float(base.max()) + 0.02, 0.95, horizon - 0.03), path_end=horizon + 0.01)
    img = draw_motifs(c, place, img, far=True)
    fill_below(c, img, land_far, p[3] * 0.45 + p[2] * 0.35 + p[4] * 0.2, shade=0.2, texture=0.02, opacity=1 - sea)
    fill_below(c, img, land_near, p[4] * 0.75 + p[3] * 0.25, lift=0.1, shade=0.3, texture=0.03, name="land")
    lo = int(horizon * size)
    patch = np.exp(-((c.x[lo:] - gap_x - 0.04) / (gap_w * 1.6)) ** 2 - ((c.y[lo:] - horizon - 0.05) / 0.08) ** 2)
    over(img[lo:], tone * 0.8 + p[1] * 0.2, patch * (0.5 + 0.2 * max(s.brightness, 0.0)))
    lo, beams = rays(c, gap_x, gap_y + 0.04, spread=2.5)
    over(img[lo:], tone, beams * (0.35 + 0.15 * max(s.brightness, 0.0)) * (1 - 0.8 * mass[lo:]))
    gap = (1 - mass) * smoothstep(gap_w * 1.2, gap_w * 0.6, np.abs(c.x - gap_x)) * (c.y < land_far[None, :])
    c.layer(gap.astype(np.float32), name="break of light", hides=False)  # the sky seen through the arch
    img = draw_motif(c, Place(horizon, place.light, place.ground, place.far, place.sky, clip=veil), img, "rain",
                     0.6 + 0.4 * max(s.storm, c.amount("rain")))
    return draw_motifs(c, place, img, far=False)


@family("colour_field")
def colour_field(c: Canvas, t: dict) -> np.ndarray:
    """Soft-edged colour bands from the palette on a ground colour: a feeling without a place."""
    s, p = c.keyframe, c.p
    split = _horizon(c, t) + c.between(-0.06, 0.06, "split")
    margin = t["margin"] * (1 - 0.4 * s.scale)
    edge = t["edge"] * (1 + 1.5 * s.turbulence)
    ground = (p[3] * 0.7 + p[4] * 0.3) * (1 - 0.25 * c.dark) + p[2] * 0.2 * max(s.brightness, 0.0)
    img = tint(ground, 1 + 0.06 * c.f.wash)
    tilt = 0.05 * s.turbulence * (1 if c.unit("tilt") < 0.5 else -1)
    rough = (0.004 + 0.012 * s.turbulence) * c.f.detail
    upper = p[1] * 0.7 + p[0] * 0.3
    lower = p[2] * (0.85 - 0.35 * c.dark) + p[4] * (0.15 + 0.35 * c.dark)
    gap = 0.035
    thin = float(smoothstep(0.3, 0.7, s.turbulence))  # restless feelings add a thin third band between the two
    bands = [(margin, split - gap, upper, 1.0), (split + gap, 1 - margin, lower, 1.0),
             (split - gap * 0.45, split + gap * 0.45, p[0] * 0.6 + p[1] * 0.4, thin)]
    y = c.y + tilt * (c.x - 0.5)
    for y0, y1, colour, opacity in bands:
        if opacity <= 1e-3:
            continue
        outside = np.maximum(np.maximum(margin * 1.2 - c.x, c.x - 1 + margin * 1.2), np.maximum(y0 - y, y - y1)) + rough
        alpha = smoothstep(edge, -edge, outside) * 0.92 * opacity
        glow = np.exp(-((y - (y0 + y1) / 2) / (y1 - y0)) ** 2)
        over(img, tint(colour, 0.92 + 0.12 * glow + 0.04 * c.f.wash), alpha)
        c.layer(alpha, name="bands")
    place = _place(c, t, split, (0.5, (margin + split) / 2, 0.09), ground=split, far=split)
    glow_weight, glow = c.kinds.get("disc", (0.0, 0.0))
    if glow:
        light(c, img, 0.5, (margin + split) / 2, 0.08 * (1 + glow_weight), _sun_tone(c), glow=0.4 * glow, disc=0.0,
              reach=3.0)
    return draw_motifs(c, place, draw_motifs(c, place, img, far=True), far=False)
