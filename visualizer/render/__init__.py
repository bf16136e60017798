"""Render stage: Conditionings → pictures and frame sequences.

Backends share one interface (`Backend.render`, `Backend.render_sequence`):
  diffusion  Stable Diffusion 1.x/2.x/SDXL/turbo/LCM through diffusers (GPU, MPS or CPU)
  motif      the offline numpy/Pillow painter (no GPU, no download)
  tiny       a random miniature SD pipeline on the diffusion code path (tests, benchmarks)
`get_backend("auto")` picks diffusion on a GPU when the model loads, else motif, and says why in `.reason`.
"""

from visualizer.render.base import Backend, FrameSpec, interpolate_frames
from visualizer.render.film import mood_film
from visualizer.render.io import read_metadata, save_animation, save_image
from visualizer.render.select import get_backend

__all__ = ["get_backend", "Backend", "FrameSpec", "interpolate_frames", "save_image", "save_animation",
           "read_metadata", "mood_film"]
