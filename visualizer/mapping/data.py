"""Art direction as data: loads and checks the TOML files in the top-level `prompts/` folder.

The folder can be swapped with the `VISUALIZER_PROMPTS` environment variable, so a user can restyle
every picture without touching code. Files are read once per process (they are small and immutable).
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from visualizer.affect.labels import EMOTIONS  # torch-free: the affect package loads its model lazily
from visualizer.errors import UserError

EMOTION_FIELDS = ("mood", "light", "weather", "colour", "texture", "scene", "hex")
SAFETY_RENDER_FIELDS = ("styles", "strength", "min_valence", "max_arousal", "max_stress", "quiet_emotions", "negative")
STYLE_MOTIF_FIELDS = ("stroke", "stroke_mix", "texture", "texture_mix", "wash", "outline", "posterize",
                      "saturation", "contrast", "vignette", "monochrome", "landscape", "glow")


def prompts_dir() -> Path:
    """`$VISUALIZER_PROMPTS` if set, else the art-direction folder shipped inside the package.

    pyproject.toml maps the top-level `prompts/` folder, where people edit it, to `visualizer/prompts` in the
    wheel, so an installed copy needs no checkout. A checkout (the editable install) has no such folder inside
    the package and reads the top-level `prompts/` itself.
    """
    override = os.environ.get("VISUALIZER_PROMPTS")
    if override:
        return Path(override)
    package = Path(str(resources.files("visualizer")))
    packaged = package / "prompts"
    return packaged if packaged.is_dir() else package.parent / "prompts"


@lru_cache(maxsize=None)
def _load(directory: str, name: str) -> dict:
    path = Path(directory) / f"{name}.toml"
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise UserError(f"{path}: art-direction file missing (set VISUALIZER_PROMPTS to a complete prompts folder)") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None


def load(name: str) -> dict:
    """One of emotions, styles, palettes, compositions, negative, imagery, safety — validated on first use."""
    directory = str(prompts_dir())
    data = _load(directory, name)
    _check(name, data, Path(directory) / f"{name}.toml")
    return data


def _check(name: str, data: dict, path: Path) -> None:
    def need(entry: str, table: dict, fields) -> None:
        missing = [f for f in fields if f not in table]
        if missing:
            raise UserError(f"{path}: entry [{entry}] lacks {', '.join(missing)}")

    if name == "emotions":
        for label in EMOTIONS:
            if label not in data:
                raise UserError(f"{path}: no entry [{label}] (all 28 GoEmotions labels are needed)")
            need(label, data[label], EMOTION_FIELDS)
    elif name == "styles":
        for style, table in data.items():
            need(style, table, ("prompt", "negative", "motif"))
            need(f"{style}.motif", table["motif"], STYLE_MOTIF_FIELDS)
    elif name == "palettes":
        for palette, table in data.items():
            need(palette, table, ("valence", "arousal", "words", "colours"))
            if len(table["colours"]) < 3:
                raise UserError(f"{path}: entry [{palette}] needs at least 3 colours")
    elif name == "compositions":
        need("compositions", data, ("valence", "arousal", "dominance", "stress"))
    elif name == "negative":
        need("negative", data, ("base", "humane", "stress"))
    elif name == "safety":
        need("safety", data, ("render",))
        need("render", data["render"], SAFETY_RENDER_FIELDS)
