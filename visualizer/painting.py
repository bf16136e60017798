"""One painting path: reading → conditioning → pictures → files, shared by the CLI, the Journal tab and Reflect.

`RenderSettings` is the one object that says how pictures are made; `paint` maps, renders and saves a
batch of readings with it. Because every face goes through here, the same text, key and seed give the
same picture everywhere, and every picture's PNG chunks and sidecar name the backend *and* the model.
The crisis rule is not applied here but inside `map_state`, so no caller can forget it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from visualizer.render.registry import BACKEND_METAVAR, backend_name, describe_backends
from visualizer.settings import checked_choice, setting

if TYPE_CHECKING:
    from visualizer.affect.state import InnerState
    from visualizer.mapping import Conditioning
    from visualizer.render import Backend


@dataclass(frozen=True)
class RenderSettings:
    """How every picture of a run is made: one knob per field, with its default and its help.

    `visualizer render` builds its flags from this table and the UI takes its defaults from it
    (`visualizer.settings`), so a default or a help text is written here and nowhere else.
    """

    backend: str = setting("auto", f"render backend: {describe_backends()}", parse=backend_name,
                           metavar=BACKEND_METAVAR)
    model: str | None = setting(None, "diffusion model id, local folder or .safetensors file")
    style: str = setting("watercolor", "art style, a name or alias in prompts/styles.toml")
    seed: int = setting(0, "the seed of the run: each entry derives its own from it and its key")
    frames: int = setting(1, "frames per entry; >1 writes GIF/WebP/MP4 sequences")
    size: int = setting(512, "image side in pixels, a multiple of 8")
    strength: float = setting(1.0, "0…2: how strongly the scores bend colour, light and motion",
                              flag=False)  # the Reflect tab's slider; the CLI keeps the default
    device: str | None = setting(None, "torch device for the backend (default: best available)")
    film: bool = setting(False, "also render the journal-level mood film")
    baseline: str = setting("journal", "journal: also read each entry against the writer's usual (median of the "
                            "journal) and blend that into the picture; none: absolute readings only",
                            choices=("journal", "none"))

    def checked(self) -> "RenderSettings":
        """The same settings validated and canonical (style aliases resolved); UserError naming the bad one."""
        from visualizer.mapping import resolve_style
        from visualizer.mapping.mapping import check_strength
        from visualizer.render.base import check_frames, check_size

        return replace(self, style=resolve_style(self.style), frames=check_frames(self.frames),
                       size=check_size(self.size), strength=check_strength(self.strength), seed=int(self.seed),
                       baseline=checked_choice(RenderSettings, "baseline", self.baseline))

    def params(self, backend: "Backend") -> dict:
        """What makes a stored picture current: a change to any of these re-renders it.

        With `baseline` "journal" the pipeline adds each entry's own rounded relative reading ("relative"), so an
        entry is re-rendered exactly when its reading against the writer's usual changes.
        """
        return {"backend": backend.name, "model": backend.model or None, "style": self.style, "seed": self.seed,
                "frames": self.frames, "size": self.size, "strength": self.strength, "baseline": self.baseline}


@dataclass(frozen=True)
class Job:
    """One entry to paint: its stable key (seed and file name derive from it), its date and its reading.

    `relative` is its reading against the writer's usual (`visualizer.affect.baseline`); None paints the
    absolute reading alone. `reflection` (`visualizer.reflection.Reflection.to_dict`) goes into the sidecar.
    """

    key: str
    date: str | None
    state: InnerState
    relative: dict | None = None
    reflection: dict | None = None


@dataclass(frozen=True)
class Painted:
    job: Job
    conditioning: "Conditioning"
    files: list[Path]


def conditioning_for(job: Job, settings: RenderSettings) -> "Conditioning":
    """The entry's Conditioning; the crisis rule inside `map_state` paints flagged entries gently."""
    from visualizer.mapping import map_state

    relative = job.relative if settings.baseline == "journal" else None
    return map_state(job.state, seed=settings.seed, style=settings.style, strength=settings.strength, key=job.key,
                     relative=relative)


def paint(backend: "Backend", jobs: Sequence[Job], settings: RenderSettings, out_dir: Path,
          conditionings: Sequence["Conditioning"] | None = None, formats: Sequence[str] | None = None) -> list[Painted]:
    """Render `jobs` in one backend call (or one streamed sequence each) and write their files atomically.

    Files go to `out_dir/images/<date>_<key>.png` (+ `.json` sidecar) and, for sequences,
    `out_dir/animations/<date>_<key>.<format>` for each of `formats` (None: every animation format): names carry no
    diary words. `conditionings`, when given, are the already mapped jobs (the pipeline maps first to isolate a
    failure to its entry).
    """
    conds = list(conditionings) if conditionings is not None else [conditioning_for(j, settings) for j in jobs]
    if not jobs:
        return []
    if settings.frames > 1:  # one sequence per job, each frame encoded as it is painted
        return [_paint_sequence(backend, job, cond, settings, out_dir, formats) for job, cond in zip(jobs, conds)]
    images = backend.render(conds, size=settings.size)
    if len(images) != len(jobs):
        raise RuntimeError(f"backend returned {len(images)} images for {len(jobs)} conditionings")
    return [Painted(job, cond, _save_picture(image, job, cond, backend, out_dir))
            for job, cond, image in zip(jobs, conds, images)]


def _save_picture(image, job: Job, cond: "Conditioning", backend: "Backend", out_dir: Path) -> list[Path]:
    """The entry's picture and its sidecar: `out_dir/images/<date>_<key>.png` and `.json`."""
    from visualizer.gallery.store import IMAGES, stem
    from visualizer.render import save_image

    return list(save_image(image, out_dir / IMAGES / f"{stem(job.key, job.date)}.png", cond, job.state, backend.name,
                           model=backend.model or "", reflection=job.reflection))


def _paint_sequence(backend: "Backend", job: Job, cond: "Conditioning", settings: RenderSettings, out_dir: Path,
                    formats: Sequence[str] | None) -> Painted:
    """The first frame as the entry's picture, then every frame streamed into the animation files."""
    from visualizer.gallery.store import ANIMATIONS, stem
    from visualizer.render.io import ANIMATION_FORMATS, save_animation

    frames = backend.iter_sequence(cond, frames=settings.frames, size=settings.size)
    first = next(frames)
    files = _save_picture(first, job, cond, backend, out_dir)
    files += save_animation(itertools.chain([first], frames), out_dir / ANIMATIONS / stem(job.key, job.date),
                            formats=ANIMATION_FORMATS if formats is None else formats)
    return Painted(job, cond, files)
