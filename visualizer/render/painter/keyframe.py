"""`Keyframe`: the painter's numeric view of a Conditioning, and how two of them blend for in-between frames.

Everything that can change between keyframes blends continuously, so a film never jumps:
- numbers (brightness, turbulence, style knobs) lerp; the palette lerps in OKLab;
- motifs carry a `presence` that fades a shape in or out when only one keyframe has it;
- two keyframes of different places (another scene family, or another entry whose placement differs)
  cannot blend numerically: `frames.KeyframePath` crossfades their two compositions instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from visualizer.errors import UserError
from visualizer.mapping import data
from visualizer.render.painter.colour import hex_rgb, mix_oklab
from visualizer.render.painter.motifs import MOTIFS
from visualizer.render.painter.places import check_family

NUMERIC_STYLE = ("stroke", "stroke_mix", "texture_mix", "wash", "outline", "saturation", "contrast", "vignette",
                 "monochrome", "glow")
DEFAULT_FAMILY = "open_field"  # what a Conditioning without a scene (older sidecars, before scene choice) gets
GREYS = ("#e8e4dc", "#c9c2b6", "#8d949b", "#4f5963", "#262c33")


@dataclass(frozen=True)
class Shape:
    """One motif: `weight` (how strongly it is wanted: size, count) and `presence` (0…1 opacity while fading)."""

    kind: str
    label: str
    weight: float
    presence: float = 1.0


@dataclass
class Keyframe:
    """One keyframe as the painter sees it: numbers it can blend, and the place (family, key) it composes."""

    palette: np.ndarray              # (5, 3) sRGB, light → dark
    brightness: float
    warmth: float
    turbulence: float
    scale: float
    storm: float
    style: dict                      # NUMERIC_STYLE values
    texture: str
    posterize: int
    abstract: bool                   # the style's `landscape = false`: forms dissolved into colour fields
    shapes: list[Shape] = field(default_factory=list)
    family: str = DEFAULT_FAMILY     # the scene family composing the picture
    key: str = ""                    # the entry's key: placement of the light, motifs and buildings

    @classmethod
    def from_conditioning(cls, cond) -> "Keyframe":
        """The painter's view of `cond`; an unknown `cond.scene` is a UserError naming prompts/scenes.toml."""
        family = check_family(cond.scene or DEFAULT_FAMILY)
        motif = cond.motif
        for s in motif.get("shapes", []):
            if s["kind"] not in MOTIFS:
                raise UserError(f"{data.prompts_dir() / 'imagery.toml'}: shape {s['kind']!r} has no painter; "
                                f"known: {', '.join(sorted(MOTIFS))}")
        palette = np.stack([hex_rgb(c) for c in (cond.palette or GREYS)])
        if len(palette) != 5:
            palette = np.stack([palette[round(i * (len(palette) - 1) / 4)] for i in range(5)])
        return cls(palette=palette, brightness=cond.tweaks.brightness, warmth=cond.tweaks.warmth,
                   turbulence=cond.tweaks.turbulence, scale=cond.tweaks.scale, storm=float(motif.get("storm", 0.0)),
                   style={k: float(motif.get(k, 0.0)) for k in NUMERIC_STYLE},
                   texture=str(motif.get("texture", "paper")),
                   posterize=int(motif.get("posterize", 0)), abstract=not bool(motif.get("landscape", True)),
                   shapes=[Shape(s["kind"], s["label"], float(s["weight"])) for s in motif.get("shapes", [])],
                   family=family, key=cond.key)

    @property
    def place(self) -> tuple[str, str]:
        """What a composition is drawn from besides numbers: frames between two places crossfade."""
        return self.family, self.key

    @property
    def hand(self) -> tuple:
        """The style choices that cannot be blended numerically (a surface is paper or canvas)."""
        return self.texture, self.posterize, self.abstract

    def kinds(self) -> dict[str, tuple[float, float]]:
        """kind → (weight, presence) over all shapes of that kind: presences add up (to 1), weights average
        by presence, so a shape handing over to another of the same kind changes nothing abruptly."""
        out: dict[str, tuple[float, float]] = {}
        for s in self.shapes:
            weight, presence = out.get(s.kind, (0.0, 0.0))
            total = presence + s.presence
            if total > 0:
                out[s.kind] = ((weight * presence + s.weight * s.presence) / total, total)
        return {k: (w, min(1.0, p)) for k, (w, p) in out.items()}

    def lerp(self, other: "Keyframe", t: float) -> "Keyframe":
        """The keyframe a fraction `t` of the way to `other` (exactly self at 0, other at 1). The place and the
        discrete style choices (`hand`) stay self's: `frames.KeyframePath` crossfades those when they differ."""
        if t <= 0.0:
            return self
        if t >= 1.0:
            return other
        mix = lambda a, b: (1 - t) * a + t * b  # noqa: E731
        mine = {(s.kind, s.label): s for s in self.shapes}
        theirs = {(s.kind, s.label): s for s in other.shapes}
        shapes = []
        for name in mine | theirs:
            a, b = mine.get(name), theirs.get(name)
            if a and b:
                shapes.append(Shape(*name, mix(a.weight, b.weight), mix(a.presence, b.presence)))
            elif a:
                shapes.append(replace(a, presence=a.presence * (1 - t)))
            else:
                shapes.append(replace(b, presence=b.presence * t))
        return replace(self, palette=mix_oklab(self.palette, other.palette, t),
                       brightness=mix(self.brightness, other.brightness), warmth=mix(self.warmth, other.warmth),
                       turbulence=mix(self.turbulence, other.turbulence), scale=mix(self.scale, other.scale),
                       storm=mix(self.storm, other.storm),
                       style={k: mix(self.style[k], other.style[k]) for k in NUMERIC_STYLE},
                       shapes=shapes)

