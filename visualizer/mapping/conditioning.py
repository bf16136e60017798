"""`Conditioning`: everything a render backend needs to paint one inner state, and why it looks that way."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace


def _lerp(a: float, b: float, t: float) -> float:
    return (1.0 - t) * a + t * b  # exact at both ends: frames 0 and N-1 equal their keyframes


@dataclass(frozen=True)
class LatentTweaks:
    """Model-agnostic nudges to the initial noise, already scaled by the mapping `strength` (all 0 = none).

    brightness, warmth  −1…1   from valence; `channel_offsets` is their SD 1.x/2.x latent form
                                (see `visualizer.mapping.latent` for what each channel does; SDXL
                                backends recompute them from brightness/warmth)
    contrast            ≥0     multiplier on the noise standard deviation, from arousal (1 = none)
    turbulence          0…1    share of coarse, swirling noise mixed into the fine noise, from arousal
    scale               −1…1   from dominance: >0 concentrates energy in the centre (a big subject),
                                <0 spreads it towards the edges (a small subject in a large space)
    """

    brightness: float = 0.0
    warmth: float = 0.0
    channel_offsets: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    contrast: float = 1.0
    turbulence: float = 0.0
    scale: float = 0.0

    def lerp(self, other: "LatentTweaks", t: float) -> "LatentTweaks":
        """Straight-line blend, used for the frames between two keyframes."""
        return LatentTweaks(
            brightness=_lerp(self.brightness, other.brightness, t),
            warmth=_lerp(self.warmth, other.warmth, t),
            channel_offsets=tuple(_lerp(a, b, t) for a, b in zip(self.channel_offsets, other.channel_offsets)),
            contrast=_lerp(self.contrast, other.contrast, t),
            turbulence=_lerp(self.turbulence, other.turbulence, t),
            scale=_lerp(self.scale, other.scale, t),
        )

    @property
    def is_identity(self) -> bool:
        return self == LatentTweaks()


@dataclass
class Conditioning:
    """Prompt, negative prompt, seed and latent tweaks for one picture (or one keyframe).

    `prompt` uses compel weight syntax, e.g. `(the sea)1.4, (wistful)1.2`; the diffusion backend parses it
    with compel into `prompt_embeds`, so weights are real embedding weights, not repeated words.
    `explanation` lists {"score", "value", "effect"} items: which score produced which fragment or tweak.
    `keyframes` holds one Conditioning per sentence when the entry has an arc (two or more sentences).
    `motif` carries the painter parameters of the style plus the shapes (desires → motifs) and `storm`.
    `steps` is a hint (None = the backend's default for its model).
    `scene` names the scene family the picture is composed from (a table of prompts/scenes.toml, e.g.
    "shoreline"); the painter draws that family and diffusion prompts carry its vocabulary.
    """

    prompt: str
    negative_prompt: str
    seed: int
    guidance_scale: float
    style: str
    strength: float = 1.0
    steps: int | None = None
    palette: list[str] = field(default_factory=list)
    palette_name: str = ""
    scene: str = ""
    tweaks: LatentTweaks = field(default_factory=LatentTweaks)
    motif: dict = field(default_factory=dict)
    subjects: list[str] = field(default_factory=list)
    scores: dict = field(default_factory=dict)
    explanation: list[dict] = field(default_factory=list)
    keyframes: list["Conditioning"] = field(default_factory=list)
    user_seed: int = 0
    key: str = ""

    def to_dict(self) -> dict:
        """JSON-ready form (tuples become lists); `from_dict(to_dict())` gives back an equal object."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("tweaks", "keyframes")}
        data = json.loads(json.dumps(data))  # deep copy, JSON types only
        data["tweaks"] = asdict(self.tweaks) | {"channel_offsets": list(self.tweaks.channel_offsets)}
        data["keyframes"] = [k.to_dict() for k in self.keyframes]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Conditioning":
        data = dict(data)
        tweaks = dict(data.pop("tweaks", {}))
        if "channel_offsets" in tweaks:
            tweaks["channel_offsets"] = tuple(tweaks["channel_offsets"])
        keyframes = [cls.from_dict(k) for k in data.pop("keyframes", [])]
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known}, tweaks=LatentTweaks(**tweaks), keyframes=keyframes)

    def arc(self) -> list["Conditioning"]:
        """The keyframes to animate: the sentence arc, or the entry itself when there is no arc."""
        return list(self.keyframes) if len(self.keyframes) >= 2 else [self]

    def with_seed(self, seed: int) -> "Conditioning":
        return replace(self, seed=seed, keyframes=[])
