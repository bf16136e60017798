"""Render stage: Conditionings → pictures and frame sequences.

Backends share one interface (`Backend.render`, `Backend.render_sequence`) and are declared once, in
`visualizer.render.registry`: diffusion (Stable Diffusion through diffusers), motif (the offline numpy/Pillow
painter), auto (diffusion on a GPU when the model loads, else motif) and tiny (a random miniature pipeline for
tests). `get_backend(name)` builds one and says why in `.reason`. The names below load their module on first use,
so reading the registry (the CLI does, at start) imports nothing heavy.
"""

from visualizer.lazy_exports import lazy_exports

_HOMES = {"get_backend": "select", "Backend": "base", "FrameSpec": "base", "interpolate_frames": "base",
          "save_image": "io", "save_animation": "io", "read_metadata": "io", "mood_film": "film"}
__all__ = list(_HOMES)
__getattr__ = lazy_exports(__name__, _HOMES)
