"""Mapping stage: `InnerState` → `Conditioning` (prompt, negative prompt, seed, latent tweaks, explanation).

Pure and deterministic; the art direction (styles, emotion words, palettes, compositions) is read from
the TOML files in the top-level `prompts/` folder. `map_state` runs the numbered steps of `mapping.py`, one
module per step in `steps/`; a crisis entry is painted by the gentle-picture policy of `visualizer.safety`.
"""

from visualizer.mapping.conditioning import Conditioning, LatentTweaks
from visualizer.mapping.latent import channel_offsets, derive_seed
from visualizer.mapping.mapping import map_state
from visualizer.mapping.steps.style import list_styles, resolve_style

__all__ = ["map_state", "Conditioning", "LatentTweaks", "list_styles", "resolve_style", "derive_seed", "channel_offsets"]
