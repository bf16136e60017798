"""The backend interface shared by diffusion, motif and tiny, and the frame plan they all follow."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from collections.abc import Iterator, Sequence

from PIL import Image

from visualizer.errors import UserError
from visualizer.mapping import Conditioning, derive_seed

MAX_FRAMES = 600
MIN_SIZE, MAX_SIZE = 64, 2048


@dataclass(frozen=True)
class FrameSpec:
    """Frame = keyframe `a` blended towards keyframe `b` by `t` (0 → exactly a, 1 → exactly b)."""

    a: int
    b: int
    t: float


def check_frames(frames) -> int:
    """`--frames N` must be a whole number in 1…600 (600 frames is 25 s of 24 fps film)."""
    if isinstance(frames, bool) or not isinstance(frames, int) or not 1 <= frames <= MAX_FRAMES:
        raise UserError(f"--frames must be a whole number from 1 to {MAX_FRAMES}, got {frames!r}")
    return frames


def check_size(size) -> int:
    """Image side in pixels: 64…2048 and a multiple of 8 (the VAE downsamples by 8)."""
    if isinstance(size, bool) or not isinstance(size, int) or not MIN_SIZE <= size <= MAX_SIZE or size % 8:
        raise UserError(f"size must be a multiple of 8 from {MIN_SIZE} to {MAX_SIZE}, got {size!r}")
    return size


def interpolate_frames(keyframes: Sequence, frames: int) -> list[FrameSpec]:
    """Spread `frames` evenly over the keyframes: the first frame is keyframe 0, the last the final keyframe.

    Returns one FrameSpec per frame; backends blend keyframe a → b by t (slerp of noise, lerp of embeddings
    and tweaks for diffusion; parameter interpolation for motif). The spacing is linear, with no easing; even
    spacing per keyframe pair still steps unevenly when one pair differs more than another, so the motif
    backend re-times these positions by measured change (`visualizer.render.painter.pace`).
    """
    frames = check_frames(frames)
    count = len(keyframes)
    if count == 0:
        raise UserError("no keyframes to animate")
    if count == 1 or frames == 1:
        return [FrameSpec(0, 0, 0.0)] * frames if count == 1 else [FrameSpec(0, 1, 0.0)]
    specs = []
    for i in range(frames):
        u = i * (count - 1) / (frames - 1)
        a = min(int(u), count - 2)
        specs.append(FrameSpec(a, a + 1, round(u - a, 6)))
    return specs


def arc_of(cond: Conditioning | Sequence[Conditioning]) -> list[Conditioning]:
    """Keyframes for a sequence: a list is used as given, a single Conditioning gives its sentence arc.

    A lone keyframe becomes a loop (itself → the same picture under a neighbouring seed → itself), so an
    entry of one sentence still breathes instead of standing still.
    """
    keys = cond.arc() if isinstance(cond, Conditioning) else list(cond)
    if not keys or not all(isinstance(k, Conditioning) for k in keys):
        raise UserError("render_sequence needs a Conditioning or a non-empty list of them")
    if len(keys) == 1:
        only = keys[0]
        keys = [only, only.with_seed(derive_seed(only.key, only.seed, 1)), only]
    return keys


class Backend(ABC):
    """One way of turning Conditionings into pictures.

    `name` is what the user asked for ("diffusion", "motif", "tiny"); `reason` says why `auto` chose it;
    `model` names the weights (or painter version) for the metadata; `notes` collects runtime remarks
    (e.g. a batch halved after running out of GPU memory).
    """

    name: str = ""
    reason: str = ""
    model: str = ""
    device: str = "cpu"

    def __init__(self) -> None:
        self.notes: list[str] = []

    def render(self, conds: Sequence[Conditioning], size: int = 512) -> list[Image.Image]:
        """One RGB image per Conditioning, in order; backends batch them where they can."""
        conds = list(conds)
        if not all(isinstance(c, Conditioning) for c in conds):
            raise UserError("render needs a list of Conditioning objects")
        return self._render(conds, check_size(size)) if conds else []

    def render_sequence(self, cond: Conditioning | Sequence[Conditioning], frames: int,
                        size: int = 512) -> list[Image.Image]:
        """Every frame of `iter_sequence` in one list (a preview, a test); files are written from `iter_sequence`."""
        return list(self.iter_sequence(cond, frames, size))

    def iter_sequence(self, cond: Conditioning | Sequence[Conditioning], frames: int,
                      size: int = 512) -> Iterator[Image.Image]:
        """`frames` images moving through the keyframes (a Conditioning's sentence arc, or a list you give).

        A Conditioning without an arc gives a loop around its own picture. Arguments are checked at once; frames
        are painted as they are asked for, so a long sequence is encoded without ever being held whole in memory.
        """
        keys = arc_of(cond)
        specs = interpolate_frames(keys, frames)
        return iter(self._render_frames(keys, specs, check_size(size)))

    @abstractmethod
    def _render(self, conds: list[Conditioning], size: int) -> list[Image.Image]: ...

    @abstractmethod
    def _render_frames(self, keys: list[Conditioning], specs: list[FrameSpec], size: int) -> Iterator[Image.Image]: ...
