"""The motif painter: a layered landscape (or colour field) painted from a `Scene` with numpy and Pillow.

Reading order of a picture: a sky graded from the palette (darker when valence is low), clouds that thicken
and darken with stress, a light source sized by dominance, ridges whose edges turn jagged with arousal,
the motifs of the writer's desires (sea, figures, a house, trees, birds, stars, flowers, a path to the
light), then the style's hand: flow-following brush strokes, watercolour pooling, glow, grade and surface.
All per-pixel work is vectorised; seed-only noise comes from `fields.fields`, cached across frames.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field, replace

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from visualizer.render.fields import RIDGES, Fields

NUMERIC_STYLE = ("stroke", "stroke_mix", "texture_mix", "wash", "outline", "saturation", "contrast", "vignette",
                 "monochrome", "glow")


def hex_rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], np.float32) / 255.0


def _unit(*salt) -> float:
    """A stable number in [0, 1) from any labels (placement of motifs that must not jump between frames)."""
    digest = hashlib.sha256("\x1f".join(map(str, salt)).encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


@dataclass
class Scene:
    """The painter's numeric view of a Conditioning; `lerp` blends two of them for in-between frames."""

    palette: np.ndarray              # (n, 3) light → dark
    brightness: float
    warmth: float
    turbulence: float
    scale: float
    storm: float
    style: dict                      # NUMERIC_STYLE values
    texture: str
    posterize: int
    landscape: bool
    shapes: list = field(default_factory=list)   # (kind, label, weight)
    key: str = ""

    @classmethod
    def from_conditioning(cls, cond) -> "Scene":
        motif = cond.motif
        palette = np.stack([hex_rgb(c) for c in (cond.palette or ["#e8e4dc", "#c9c2b6", "#8d949b", "#4f5963", "#262c33"])])
        if len(palette) < 5:
            palette = np.stack([palette[round(i * (len(palette) - 1) / 4)] for i in range(5)])
        return cls(palette=palette[:5], brightness=cond.tweaks.brightness, warmth=cond.tweaks.warmth,
                   turbulence=cond.tweaks.turbulence, scale=cond.tweaks.scale, storm=float(motif.get("storm", 0.0)),
                   style={k: float(motif.get(k, 0.0)) for k in NUMERIC_STYLE}, texture=str(motif.get("texture", "paper")),
                   posterize=int(motif.get("posterize", 0)), landscape=bool(motif.get("landscape", True)),
                   shapes=[(s["kind"], s["label"], float(s["weight"])) for s in motif.get("shapes", [])], key=cond.key)

    def lerp(self, other: "Scene", t: float) -> "Scene":
        if t <= 0.0:
            return self
        if t >= 1.0:
            return other
        mix = lambda a, b: (1 - t) * a + t * b  # noqa: E731
        shapes = {}
        for kind, label, weight in self.shapes:
            shapes[(kind, label)] = (1 - t) * weight
        for kind, label, weight in other.shapes:
            shapes[(kind, label)] = shapes.get((kind, label), 0.0) + t * weight
        near = self if t < 0.5 else other
        return replace(near, palette=mix(self.palette, other.palette), brightness=mix(self.brightness, other.brightness),
                       warmth=mix(self.warmth, other.warmth), turbulence=mix(self.turbulence, other.turbulence),
                       scale=mix(self.scale, other.scale), storm=mix(self.storm, other.storm),
                       style={k: mix(self.style[k], other.style[k]) for k in NUMERIC_STYLE},
                       shapes=[(k, lab, w) for (k, lab), w in shapes.items()])


def _smoothstep(a: float, b: float, x: np.ndarray) -> np.ndarray:
    x = np.clip((x - a) / (b - a), 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def _over(img: np.ndarray, colour, alpha: np.ndarray) -> np.ndarray:
    """Alpha-composite a colour (or an image) over img, in place, touching only rows where alpha > 0."""
    rows = np.flatnonzero(alpha.max(axis=1) > 1e-3)
    if rows.size == 0:
        return img
    lo, hi = rows[0], rows[-1] + 1
    colour = np.asarray(colour, np.float32)
    if colour.ndim == 3:
        colour = colour[lo:hi]
    part = img[lo:hi]
    part += (colour - part) * alpha[lo:hi, :, None]
    return img


def _blur(img: np.ndarray, radius: float) -> np.ndarray:
    """Cheap wide Gaussian blur of an (H, W, 3) image: 8-bit through Pillow at reduced size, then back up.

    8-bit is enough for what it feeds (glow and watercolour pooling); the range is stretched first so
    faint values keep their precision.
    """
    h, w = img.shape[:2]
    shrink = int(np.clip(radius / 2.5, 2, 8))
    top = float(img.max()) or 1.0
    small = Image.fromarray((np.clip(img / top, 0, 1) * 255).astype(np.uint8)).reduce(shrink)
    small = small.filter(ImageFilter.GaussianBlur(radius / shrink)).resize((w, h), Image.BILINEAR)
    return np.asarray(small, np.float32) * (top / 255.0)


class _Canvas:
    """Shared geometry of one picture: coordinates, horizon, ridge lines, light position."""

    def __init__(self, scene: Scene, f: Fields, size: int) -> None:
        self.size = size
        self.y, self.x = np.mgrid[0:size, 0:size].astype(np.float32) / size
        kinds = {k: w for k, _, w in scene.shapes}
        self.kinds = kinds
        self.horizon = 0.56 + 0.04 * scene.scale
        self.dark = float(np.clip(-scene.brightness, 0.0, 1.0))
        jag = 0.12 + 0.9 * scene.turbulence + 0.3 * scene.storm
        self.ridges = []
        for i in range(RIDGES):
            depth = i / (RIDGES - 1)
            base = self.horizon + (depth ** 1.35) * (1.0 - self.horizon) * 0.8 + 0.015
            amp = 0.028 + 0.05 * depth
            line = f.smooth[i] * 0.8 + jag * 0.35 * f.jagged[i]
            if i == 0 and "peaks" in kinds:
                amp *= 2.2 + 1.5 * kinds["peaks"]
                line = np.abs(line) * 1.6 + 0.4 * f.jagged[i]
            self.ridges.append(base - amp * line)
        self.sun_x = 0.3 + 0.4 * _unit(scene.key, "sun")
        self.sun_y = self.horizon - 0.17 - 0.06 * scene.brightness
        self.sun_r = 0.055 + 0.035 * scene.scale + 0.03 * kinds.get("disc", 0.0)


def _sky(scene: Scene, f: Fields, c: _Canvas) -> np.ndarray:
    p = scene.palette
    top = (p[1] * 0.45 + p[2] * 0.55) * (1 - c.dark) + (p[3] * 0.6 + p[4] * 0.4) * c.dark
    mid = p[1] * (1 - 0.6 * c.dark) + p[2] * 0.6 * c.dark
    low = np.minimum(1.0, p[0] * (1 - 0.4 * c.dark) + p[1] * 0.4 * c.dark + 0.05)
    ramp = np.linspace(0.0, 1.0, 256, dtype=np.float32)[:, None]  # gradient as a 256-step lookup table
    lut = np.where(ramp < 0.6, top + (mid - top) * (ramp / 0.6), mid + (low - mid) * ((ramp - 0.6) / 0.4))
    t = c.y / c.horizon + 0.07 * f.wash
    sky = lut[np.clip(t * 255.0, 0, 255).astype(np.uint8)]
    # clouds: horizontal bands, heavier and darker with stress, thinning towards the horizon
    cover = _smoothstep(0.55 - 0.9 * scene.storm, 1.6 - 0.6 * scene.storm, f.clouds)
    cover *= np.clip(1.2 - c.y / c.horizon, 0.0, 1.0)
    cloud = p[0] * 0.5 + 0.5 + (p[4] * 0.9 - p[0] * 0.5 - 0.5) * min(1.0, 0.25 * c.dark + 1.1 * scene.storm)
    sky = _over(sky, cloud, cover * (0.55 + 0.3 * scene.storm))
    # the light: a soft disc and a wide glow, warmer and stronger with valence (computed in its own window)
    reach = c.sun_r * 3.2 * 2.6
    y0, y1 = (max(0, int((c.sun_y - reach) * c.size)), min(c.size, int((c.sun_y + reach) * c.size) + 1))
    x0, x1 = (max(0, int((c.sun_x - reach) * c.size)), min(c.size, int((c.sun_x + reach) * c.size) + 1))
    if y1 > y0 and x1 > x0:
        win, veil = sky[y0:y1, x0:x1], cover[y0:y1, x0:x1]
        d = np.sqrt((c.x[y0:y1, x0:x1] - c.sun_x) ** 2 + (c.y[y0:y1, x0:x1] - c.sun_y) ** 2)
        light = p[0] * 0.5 + np.array([1.0, 0.93, 0.8], np.float32) * 0.5
        glow = np.exp(-(d / (c.sun_r * 3.2)) ** 2) * (0.35 + 0.25 * scene.brightness + 0.3 * scene.style["glow"])
        disc = _smoothstep(c.sun_r, c.sun_r * 0.92, d) * (0.75 - 0.25 * scene.storm)
        _over(win, light, np.clip(glow * (1 - 0.6 * veil), 0, 1))
        _over(win, light * 0.6 + 0.4, disc * (1 - 0.8 * veil))
    return sky


def _water(scene: Scene, f: Fields, c: _Canvas, img: np.ndarray, level: float, weight: float) -> np.ndarray:
    """Sea below a flat horizon `level`: the sky mirrored and deepened, wave streaks, a glitter path under the light."""
    p = scene.palette
    lo = max(0, int(level * c.size) - 1)
    sub = lambda a: a[lo:]  # noqa: E731 - everything below happens under the horizon line only
    below = sub(c.y) - level
    mask = _smoothstep(0.0, 1.5 / c.size, below)
    depth = np.clip(below / (1.0 - level), 0.0, 1.0)
    rows = np.clip(((level - below * 0.7) * c.size).astype(np.int32), 0, c.size - 1)
    ripple = (1.5 + 5.0 * scene.turbulence) * sub(f.detail) * (0.3 + depth)
    cols = np.clip((sub(c.x) * c.size + ripple).astype(np.int32), 0, c.size - 1)
    mirror = img[rows, cols]
    deep = p[3] * 0.7 + p[4] * 0.3
    water = mirror * 0.8 + (deep - mirror * 0.8) * (0.25 + 0.65 * depth[..., None] ** 0.7)
    streaks = np.sin(np.log(np.maximum(below, 1.0 / c.size)) * 40.0 + 2.0 * sub(f.detail)) * (0.4 + 0.6 * scene.turbulence)
    water = water * (1.0 + 0.06 * streaks[..., None] * (1 - depth[..., None]))
    glitter = np.exp(-((sub(c.x) - c.sun_x) / (0.02 + 0.1 * depth)) ** 2) * _smoothstep(0.5, 1.0, streaks)
    water = _over(water, p[0] * 0.4 + 0.6, np.clip(glitter * (0.6 + 0.3 * scene.brightness), 0, 1))
    _over(img[lo:], water, mask * min(1.0, 0.7 + weight))
    return img


def _land(scene: Scene, f: Fields, c: _Canvas, img: np.ndarray) -> np.ndarray:
    p = scene.palette
    haze = img[int(c.horizon * c.size) - 2].mean(0)
    sea = "waves" in c.kinds
    for i, ridge in enumerate(c.ridges):
        depth = i / (RIDGES - 1)
        if sea and i == 2:
            img = _water(scene, f, c, img, float(ridge.max()) - 0.01, c.kinds["waves"])
            continue
        if sea and i == 3:
            continue
        if sea and i == 4:
            ridge = np.maximum(ridge, 1.0 - (1.0 - ridge) * 0.35)  # a low near shore so the sea stays open
        colour = p[2] * (1 - depth) + p[4] * depth
        colour = haze * (1 - depth) ** 1.6 * 0.75 + colour * (1 - 0.75 * (1 - depth) ** 1.6)
        lo = max(0, int(ridge.min() * c.size) - 1)  # rows above the ridge's highest point are untouched
        below = c.y[lo:] - ridge[None, :]
        alpha = _smoothstep(0.0, 1.6 / c.size, below)
        shade = np.clip(below * (3.0 + 4 * depth), 0.0, 1.0)[..., None]
        layer = colour * ((1.12 - 0.12 * shade) * (1.0 - 0.25 * shade)) + (0.05 * (1 - depth)) * f.wash[lo:, :, None]
        _over(img[lo:], layer, alpha)
        if i == 0:
            img = _motifs(scene, c, img, far=True)
    return img


def _fields_of_colour(scene: Scene, f: Fields, c: _Canvas, img: np.ndarray) -> np.ndarray:
    """Abstract style: translucent colour fields instead of ridges."""
    p = scene.palette
    for i, (threshold, colour) in enumerate(((0.2, p[2]), (0.6, p[3]), (1.0, p[1]), (1.3, p[4]))):
        warp = f.wash * math.cos(i * 1.7) + f.detail * 0.35 * math.sin(i * 2.3) + (c.y - 0.5) * (1.6 - 0.4 * i)
        alpha = _smoothstep(threshold, threshold + 0.25 + 0.2 * (1 - scene.turbulence), warp) * 0.6
        img = _over(img, colour, alpha)
    return img


FAR = {"city"}  # motifs that sit on the farthest ridge, behind the nearer ones


def _motifs(scene: Scene, c: _Canvas, img: np.ndarray, far: bool = False) -> np.ndarray:
    """Desires and imagery as shapes, drawn with Pillow into an alpha mask per colour, then composited.

    `far=True` draws only the distant motifs (called between ridges), `False` all the others.
    """
    size, p = c.size, scene.palette
    ink = p[4] * 0.85
    kinds = {k: w for k, w in c.kinds.items() if (k in FAR) == far}
    if scene.storm > 0.6 and not far:
        kinds.setdefault("path", scene.storm - 0.4)  # a way out: a path towards the light
    if not kinds:
        return img
    masks: dict[str, Image.Image] = {}

    def mask(name: str) -> ImageDraw.ImageDraw:
        masks.setdefault(name, Image.new("L", (size, size), 0))
        return ImageDraw.Draw(masks[name])

    def ground(x: float, ridge: int = 4 if "waves" in c.kinds else 3) -> float:
        return float(c.ridges[ridge][min(size - 1, max(0, int(x * size)))]) * size

    def level(weight: float) -> int:
        return int(255 * min(1.0, 0.35 + weight))

    for kind, weight in kinds.items():
        u = _unit(scene.key, kind)
        if kind == "path":
            d = mask("light")
            xb, xt = 0.5 + (u - 0.5) * 0.3, c.sun_x
            pts = []
            for j in range(13):
                s = j / 12
                x = xb + (xt - xb) * s ** 0.7 + 0.06 * math.sin(s * 5 + u * 6) * (1 - s)
                pts.append((x, 1.0 - s * (1.0 - c.ridges[2][min(size - 1, int(xt * size))] - 0.01), 0.09 * (1 - s) + 0.004))
            poly = [((x - w) * size, y * size) for x, y, w in pts] + [((x + w) * size, y * size) for x, y, w in reversed(pts)]
            d.polygon(poly, fill=level(weight) // 3)
        elif kind in ("figure", "house", "tree"):
            d = mask("ink")
            count = {"figure": 1 + (weight > 0.6), "house": 1, "tree": 3}[kind]
            h = size * (0.05 + 0.03 * scene.scale + 0.03 * weight) * (1.6 if kind == "tree" else 1.0)
            for j in range(count):
                x = (0.18 + 0.64 * ((u + 0.13 * j + (0.07 if kind == "tree" else 0)) % 1.0))
                if kind == "figure" and j:
                    x = x + h * 0.45 / size
                gy = ground(x) + 2
                cx = x * size
                if kind == "figure":
                    d.ellipse((cx - h * .075, gy - h, cx + h * .075, gy - h * .83), fill=level(weight))
                    d.polygon([(cx - h * .05, gy - h * .8), (cx + h * .05, gy - h * .8), (cx + h * .12, gy - h * .68),
                               (cx + h * .1, gy - h * .3), (cx + h * .13, gy), (cx - h * .13, gy), (cx - h * .1, gy - h * .3),
                               (cx - h * .12, gy - h * .68)], fill=level(weight))
                elif kind == "house":
                    d.rectangle((cx - h * .45, gy - h * .55, cx + h * .45, gy), fill=level(weight))
                    d.polygon([(cx - h * .55, gy - h * .5), (cx, gy - h), (cx + h * .55, gy - h * .5)], fill=level(weight))
                    mask("window").rectangle((cx - h * .12, gy - h * .38, cx + h * .08, gy - h * .18), fill=255)
                else:
                    th = h * (0.7 + 0.5 * _unit(scene.key, kind, j))
                    d.rectangle((cx - th * .03, gy - th * .35, cx + th * .03, gy), fill=level(weight))
                    for k in range(3):
                        w = th * (0.32 - 0.08 * k)
                        top = gy - th * (0.3 + 0.25 * k)
                        d.polygon([(cx - w, top), (cx, top - th * 0.45), (cx + w, top)], fill=level(weight))
        elif kind == "city":
            d, lit = mask("haze"), mask("window")
            x0 = 0.08 + 0.4 * u
            x = x0
            while x < x0 + 0.35 + 0.2 * weight:
                w = 0.018 + 0.03 * _unit(scene.key, "bw", x)
                h = (0.03 + 0.08 * _unit(scene.key, "bh", x) ** 2) * (1 + 0.5 * scene.scale)
                gy = ground(x + w / 2, 1) + 4
                d.rectangle((x * size, gy - h * size, (x + w) * size, gy + 0.12 * size), fill=level(weight))  # foot hidden by ridge 1
                for j in range(int(h * 60)):
                    if _unit(scene.key, "lit", x, j) < 0.35:
                        wx = (x + w * (0.2 + 0.6 * _unit(scene.key, "wx", x, j))) * size
                        wy = gy - h * size * (0.1 + 0.8 * _unit(scene.key, "wy", x, j))
                        lit.rectangle((wx, wy, wx + size / 400, wy + size / 300), fill=200)
                x += w + 0.004
        elif kind == "birds":
            d = mask("ink")
            for j in range(3 + int(4 * weight)):
                bx = (0.15 + 0.7 * _unit(scene.key, "bird", j)) * size
                by = (0.12 + 0.3 * _unit(scene.key, "bird-y", j)) * size
                s = size * (0.012 + 0.012 * _unit(scene.key, "bird-s", j))
                d.line([(bx - s, by - s * .4), (bx, by), (bx + s, by - s * .5)], fill=level(weight), width=max(1, size // 300))
        elif kind == "stars":
            d = mask("star")
            for j in range(40 + int(80 * weight)):
                sx, sy = _unit(scene.key, "sx", j) * size, _unit(scene.key, "sy", j) * c.horizon * 0.8 * size
                r = size / 512 * (0.6 + 1.4 * _unit(scene.key, "sr", j) ** 3)
                d.ellipse((sx - r, sy - r, sx + r, sy + r), fill=level(weight))
        elif kind == "bloom":
            for j in range(10 + int(25 * weight)):
                fx = _unit(scene.key, "fx", j) * size
                fy = (0.86 + 0.13 * _unit(scene.key, "fy", j)) * size
                r = size * (0.006 + 0.012 * _unit(scene.key, "fr", j)) * (0.6 + (fy / size - 0.8) * 3)
                mask(f"petal{j % 2}").ellipse((fx - r, fy - r, fx + r, fy + r), fill=level(weight))
        elif kind == "rain":
            d = mask("rain")
            slant = 0.15 + 0.5 * scene.turbulence
            for j in range(150 + int(200 * weight)):
                rx, ry = _unit(scene.key, "rx", j) * size * 1.2 - 0.1 * size, _unit(scene.key, "ry", j) * size
                length = size * (0.02 + 0.03 * _unit(scene.key, "rl", j))
                d.line([(rx, ry), (rx - slant * length, ry + length)], fill=int(120 * weight + 60), width=1)

    colours = {"ink": ink, "haze": p[3] * 0.7 + p[2] * 0.2 + p[1] * 0.1, "light": p[0] * 0.6 + 0.35, "window": np.array([1.0, 0.82, 0.45], np.float32),
               "star": np.array([1.0, 0.97, 0.9], np.float32), "petal0": p[1] * 0.5 + np.array([0.9, 0.45, 0.5]) * 0.5,
               "petal1": p[0] * 0.6 + np.array([1.0, 0.9, 0.55]) * 0.4, "rain": p[0] * 0.5 + 0.4}
    for name in ("haze", "light", "ink", "window", "star", "petal0", "petal1", "rain"):
        if name in masks:
            alpha = np.asarray(masks[name].filter(ImageFilter.BoxBlur(0.6)), np.float32) / 255.0
            img = _over(img, colours[name], alpha * (0.55 if name == "rain" else 1.0))
    return img


LUMA = np.array([0.299, 0.587, 0.114], np.float32)


def _grade(scene: Scene) -> tuple[np.ndarray, np.ndarray]:
    """Exposure (valence), warmth, saturation and contrast folded into one 3×3 matrix and an offset."""
    s = scene.style
    k, c = 1.0 + 0.12 * scene.brightness, s["contrast"]
    saturate = s["saturation"] * np.eye(3, dtype=np.float32) + (1 - s["saturation"]) * np.outer(LUMA, np.ones(3, np.float32))
    warm = np.array([0.045, 0.01, -0.045], np.float32) * scene.warmth
    return (k * c) * saturate, c * (warm @ saturate) + 0.5 * (1 - c)


def _surface(scene: Scene, f: Fields, c: _Canvas) -> np.ndarray:
    """One gain map for everything multiplicative: strokes, paper/canvas/wood, granulation, vignette."""
    s, size = scene.style, c.size
    gain = 1.0 + (0.04 + 0.08 * scene.turbulence) * s["stroke_mix"] * f.strokes
    if s["wash"] > 0:
        gain *= 1.0 - 0.035 * s["wash"] * f.detail
    if scene.texture == "paper":
        gain *= 1.0 - 0.045 * s["texture_mix"] * (0.18 * f.grain + 0.5 * f.detail)
    elif scene.texture == "canvas":
        gain *= 1.0 + s["texture_mix"] * (0.05 * np.sin(c.x * size * 1.9) * np.sin(c.y * size * 1.9) + 0.015 * f.grain)
    elif scene.texture == "wood":
        gain *= 1.0 + 0.07 * s["texture_mix"] * np.sin(c.y * size * 0.35 + 6.0 * f.wash[:, ::-1] + 2.0 * f.detail)
    r2 = (c.x - 0.5) ** 2 + (c.y - 0.5) ** 2
    gain *= 1.0 - s["vignette"] * 0.9 * np.clip(r2 * 2.0 - 0.1, 0, 1) ** 1.5
    return gain


def _hand(scene: Scene, f: Fields, c: _Canvas, img: np.ndarray) -> np.ndarray:
    """The style's hand: turbulent warp, pooling, glow, grade, ink, print, outline, surface."""
    s, size = scene.style, c.size
    if scene.turbulence > 0.02:  # swirl the picture along the flow field: stillness → Van Gogh wind
        amount = (0.003 + 0.012 * scene.turbulence ** 1.5) * size
        ys = np.clip(c.y * size + amount * np.sin(f.flow * 2.0), 0, size - 1).astype(np.int32)
        xs = np.clip(c.x * size + amount * np.cos(f.flow * 2.0), 0, size - 1).astype(np.int32)
        img = np.take(img.reshape(-1, 3), (ys * size + xs).ravel(), axis=0).reshape(size, size, 3)
    if s["wash"] > 0:  # watercolour: soften and pool pigment where colour fields meet
        soft = _blur(img, size / 110)
        pooled = np.abs(soft - _blur(img, size / 35)).sum(-1, keepdims=True)
        img = (soft * (0.5 * s["wash"]) + img * (1 - 0.5 * s["wash"])) * (1.0 - 0.9 * s["wash"] * pooled)
    if s["glow"] > 0:
        img += 0.55 * s["glow"] * _blur(np.clip(img - 0.62, 0, None), size / 28)
    matrix, offset = _grade(scene)
    img = img @ matrix + offset
    if s["monochrome"] > 0 or scene.posterize > 1 or s["outline"] > 0:
        lum = img @ LUMA
    if s["monochrome"] > 0:
        paper = np.array([0.95, 0.93, 0.88], np.float32)
        ink = scene.palette[4] * 0.8
        inked = ink + (paper - ink) * np.clip(lum, 0, 1)[..., None] ** 0.9
        img = img * (1 - s["monochrome"]) + inked * s["monochrome"]
    if scene.posterize > 1:  # block print: a few tones of luminance, inked with the palette from dark to paper
        levels = scene.posterize
        ramp = np.concatenate([scene.palette[::-1][:levels - 1], np.array([[0.95, 0.92, 0.85]], np.float32)])
        tone = np.clip(lum * 1.1 + 0.08 * f.strokes - 0.05, 0, 0.999) * levels
        img = ramp[tone.astype(np.int32)] * 0.85 + img * 0.15
    if s["outline"] > 0:
        edge = np.zeros_like(lum)
        edge[1:, :] += np.abs(np.diff(lum, axis=0))
        edge[:, 1:] += np.abs(np.diff(lum, axis=1))
        img *= (1.0 - s["outline"] * np.clip(edge * 6.0, 0, 0.85))[..., None]
    gain = _surface(scene, f, c)
    if scene.texture == "grain":
        img += (0.04 * s["texture_mix"]) * f.grain[..., None]
    img *= gain[..., None]
    return img


def paint(scene: Scene, f: Fields, size: int) -> Image.Image:
    """Paint one picture."""
    c = _Canvas(scene, f, size)
    img = _sky(scene, f, c)
    img = _land(scene, f, c, img) if scene.landscape else _fields_of_colour(scene, f, c, img)
    img = _motifs(scene, c, img)
    img = _hand(scene, f, c, img)
    img = img + (f.grain[..., None] * 0.5 / 255.0)  # dither: no banding in smooth skies
    return Image.fromarray((np.clip(img, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8))
