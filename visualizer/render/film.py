"""Journal-level "mood film": one keyframe per entry, days flowing into each other."""

from __future__ import annotations

from dataclasses import replace
from collections.abc import Iterator, Sequence

from PIL import Image

from visualizer.errors import UserError
from visualizer.mapping import Conditioning
from visualizer.render.base import MAX_FRAMES, Backend


def mood_film(conds: Sequence[Conditioning], frames_per_entry: int, backend: Backend | None = None,
              size: int = 512) -> Iterator[Image.Image]:
    """Frames moving through the entries in order (each entry's own picture is a keyframe), painted as they are
    asked for (`Backend.iter_sequence`).

    `frames_per_entry` frames lead from one entry to the next; the film has frames_per_entry × (entries − 1) + 1
    frames (at most 600). Uses `get_backend("auto")` when no backend is given.
    """
    conds = [replace(c, keyframes=[]) for c in conds]  # the entry picture, not its sentence arc
    if not conds:
        raise UserError("a mood film needs at least one entry")
    if isinstance(frames_per_entry, bool) or not isinstance(frames_per_entry, int) or frames_per_entry < 1:
        raise UserError(f"frames per entry must be a whole number ≥ 1, got {frames_per_entry!r}")
    total = frames_per_entry * max(1, len(conds) - 1) + (1 if len(conds) > 1 else 0)
    if total > MAX_FRAMES:
        raise UserError(f"the film would have {total} frames (max {MAX_FRAMES}); use fewer frames per entry")
    if backend is None:
        from visualizer.render.select import get_backend

        backend = get_backend("auto")
    return backend.iter_sequence(conds if len(conds) > 1 else conds[0], total, size)
