"""Every render backend, declared once: its name, whether users are offered it, what it is and how it is built.

`get_backend` builds from `BACKENDS`; the CLI's `--backend` and the UI's backend choices list `LISTED_BACKENDS`
and describe them with `describe_backends`; so a new backend is one entry here. Builders import their backend on
first use: the CLI reads this module to build its flags at start, before any picture needs Pillow or torch.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from visualizer.errors import UserError

if TYPE_CHECKING:
    from visualizer.render.base import Backend


@dataclass(frozen=True)
class BackendSpec:
    """One backend: `build(model, device, **options)` returns it with `.reason` saying why it was chosen."""

    name: str
    description: str                    # one line for --help and the UI
    build: Callable[..., "Backend"]
    listed: bool = True                 # False: accepted by name but never offered (a test backend)


def _unused(model: str | None) -> str:
    return f"--model {model} not used: " if model else ""


def _motif(model: str | None, device: str | None, **options) -> "Backend":
    from visualizer.render.motif import MotifBackend

    return MotifBackend(reason=f"{_unused(model)}motif painter asked for")


def _diffusion(model: str | None, device: str | None, **options) -> "Backend":
    from visualizer.render.diffusion import DiffusionBackend

    backend = DiffusionBackend(model, device, **options)
    backend.reason = f"diffusion asked for: {backend.model} on {backend.device}"
    return backend


def _tiny(model: str | None, device: str | None, **options) -> "Backend":
    from visualizer.quiet import quiet_loading
    from visualizer.render.diffusion import DiffusionBackend
    from visualizer.render.tiny import build_tiny_pipeline

    with quiet_loading("transformers", "diffusers"):
        pipe = build_tiny_pipeline()
    backend = DiffusionBackend("tiny-random-sd", device or "cpu", pipe=pipe, name="tiny", **options)
    backend.reason = f"{_unused(model)}tiny random pipeline asked for (tests and benchmarks; pictures are noise)"
    return backend


def _auto(model: str | None, device: str | None, **options) -> "Backend":
    """Diffusion when a CUDA or Apple MPS device is present and the model loads, else the motif painter (diffusion
    on a CPU takes a minute or more per picture)."""
    from visualizer.render.diffusion import DEFAULT_MODEL, DiffusionBackend
    from visualizer.render.motif import MotifBackend

    accelerator = _accelerator(device)
    if accelerator is None:
        return MotifBackend(reason=f"{_unused(model)}no CUDA or Apple MPS device: diffusion on a CPU takes minutes "
                                   "per picture, so the offline motif painter is used (--backend diffusion forces "
                                   "diffusion)")
    try:
        backend = DiffusionBackend(model, accelerator, **options)
    except UserError as exc:
        return MotifBackend(reason=f"{accelerator} is available but the diffusion model could not be used ({exc}); "
                                   "falling back to the offline motif painter")
    backend.reason = f"{accelerator} available and {model or DEFAULT_MODEL} loaded"
    return backend


def _accelerator(device: str | None) -> str | None:
    import torch

    if device == "cpu":
        return None
    if device in (None, "auto"):
        if torch.cuda.is_available():
            return "cuda"
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return "mps"
        return None
    return device


BACKENDS: dict[str, BackendSpec] = {spec.name: spec for spec in (
    BackendSpec("auto", "diffusion on a CUDA or Apple MPS device, else motif", _auto),
    BackendSpec("diffusion", "Stable Diffusion through diffusers, minutes a picture on a CPU", _diffusion),
    BackendSpec("motif", "the offline painter, no GPU and no download", _motif),
    BackendSpec("tiny", "a random miniature diffusion pipeline for tests and benchmarks; paints noise", _tiny,
                listed=False),
)}
LISTED_BACKENDS = tuple(name for name, spec in BACKENDS.items() if spec.listed)  # what --help and the UI offer
BACKEND_METAVAR = "{" + ",".join(LISTED_BACKENDS) + "}"  # --backend's metavar: the listed names, never a test one


def backend_spec(name: str | None) -> BackendSpec:
    """The backend called `name` (any case; None is auto); UserError naming every backend when there is none."""
    wanted = (name or "auto").lower()
    if wanted not in BACKENDS:
        raise UserError(f"unknown backend {wanted!r}; choose one of {', '.join(BACKENDS)}")
    return BACKENDS[wanted]


def backend_name(value: str) -> str:
    """A `--backend` value: any registered name, though the error (like --help) names only the listed ones."""
    if value in BACKENDS:
        return value
    raise argparse.ArgumentTypeError(f"unknown backend {value!r}; choose one of {', '.join(LISTED_BACKENDS)}")


def describe_backends(names: Sequence[str] = LISTED_BACKENDS) -> str:
    """'auto = …; diffusion = …; motif = …': what each of `names` does, for --help and the UI."""
    return "; ".join(f"{name} = {BACKENDS[name].description}" for name in names)


def offered_backends(first: str) -> tuple[str, ...]:
    """The listed backends with `first` (a default) ahead of the others, as a menu shows them."""
    return (first, *(name for name in LISTED_BACKENDS if name != first))
