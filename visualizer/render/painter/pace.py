"""Even pacing of frame sequences: frames spaced by how much the picture changes, not by keyframe count.

Spacing frames evenly per keyframe pair makes a sequence jerky whenever one pair differs more than another
(a grey office → a blue sea changes more than the sea → a slightly calmer sea). So the motif backend paints
cheap small probes along the whole path, measures how far the picture moves between them (mean absolute
pixel difference), and places the frames at equal shares of that total: every step then changes the
picture by about the same amount. The first and last frames stay exactly on the first and last keyframes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

PROBE_SIZE = 64         # px side of a probe picture: enough for colour and composition, ~1/60 of a 512 px frame
MIN_PROBES, MAX_PROBES = 3, 8   # probes per keyframe pair (more when many frames share a pair)
FLOOR = 0.15            # share of the mean distance every pair keeps, so identical keyframes still get frames


def probe_positions(segments: int, frames: int) -> np.ndarray:
    """Where to probe along the path 0…segments: a few points per keyframe pair, keyframes included."""
    per = int(np.clip(np.ceil(frames / max(segments, 1)) + 1, MIN_PROBES, MAX_PROBES))
    return np.linspace(0.0, float(segments), segments * per + 1)


def steps(pictures: Sequence) -> np.ndarray:
    """Mean absolute pixel difference (0…255) between each picture and the next."""
    arrays = [np.asarray(p, np.float32) for p in pictures]
    return np.array([np.abs(b - a).mean() for a, b in zip(arrays, arrays[1:])])


def unevenness(pictures: Sequence) -> float:
    """Largest step over the mean step of a sequence: 1 is perfectly even; the goal is at most 2."""
    change = steps(pictures)
    return float(change.max() / change.mean()) if change.size and change.mean() > 0 else 1.0


def arc_lengths(pictures: Sequence[np.ndarray]) -> np.ndarray:
    """Cumulative change along consecutive pictures (0 first), with a floor so no stretch has zero length."""
    change = steps(pictures)
    change = change + FLOOR * (change.mean() if change.size else 0.0) + 1e-6
    return np.concatenate([[0.0], np.cumsum(change)])


def even_positions(positions: Sequence[float], segments: int, probe: Callable[[float], np.ndarray]) -> list[float]:
    """Re-time `positions` (along 0…segments, keyframe k at k; given evenly spaced) so that equal steps in
    them become equal amounts of change in the picture. `probe(u)` paints a small picture at position u."""
    positions = [float(u) for u in positions]
    if segments < 1 or len(positions) < 3:
        return positions
    samples = probe_positions(segments, len(positions))
    arc = arc_lengths([np.asarray(probe(float(u))) for u in samples])
    wanted = np.asarray(positions) / segments * arc[-1]  # an even share of the change for each requested step
    return [float(u) for u in np.clip(np.interp(wanted, arc, samples), 0.0, float(segments))]
