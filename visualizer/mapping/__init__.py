"""Mapping stage: `InnerState` → `Conditioning` (prompt, negative prompt, seed, latent tweaks, explanation).

Pure and deterministic; the art direction (styles, emotion words, palettes, compositions) is read from
the TOML files in the top-level `prompts/` folder.
"""

from visualizer.mapping.conditioning import Conditioning, LatentTweaks
from visualizer.mapping.latent import channel_offsets, derive_seed
from visualizer.mapping.mapping import list_styles, map_state, resolve_style

__all__ = ["map_state", "Conditioning", "LatentTweaks", "list_styles", "resolve_style", "derive_seed", "channel_offsets"]
