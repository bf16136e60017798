"""`get_backend`: pick and build a render backend, and say why."""

from __future__ import annotations

from visualizer.errors import UserError
from visualizer.render.base import Backend

BACKENDS = ("auto", "diffusion", "motif", "tiny")


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


def get_backend(name: str = "auto", model: str | None = None, device: str | None = None, **options) -> Backend:
    """Build a backend by name: auto | diffusion | motif | tiny. `.reason` says why it was chosen.

    auto → diffusion when a CUDA or Apple MPS device is present and the model loads, else the motif painter
    (diffusion on a CPU takes a minute or more per picture). diffusion → `model` (default stabilityai/sd-turbo)
    on `device`; errors loading it are UserErrors. tiny → the random miniature pipeline (tests, benchmarks).
    `options` go to DiffusionBackend (dtype, batch_size).
    """
    from visualizer.render.motif import MotifBackend

    name = (name or "auto").lower()
    if name not in BACKENDS:
        raise UserError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")
    if name == "motif":
        return MotifBackend(reason="motif painter asked for")
    from visualizer.render.diffusion import DEFAULT_MODEL, DiffusionBackend

    if name == "tiny":
        from visualizer.render.tiny import build_tiny_pipeline

        backend = DiffusionBackend("tiny-random-sd", device or "cpu", pipe=build_tiny_pipeline(), name="tiny", **options)
        backend.reason = "tiny random pipeline asked for (tests and benchmarks; pictures are noise)"
        return backend
    if name == "diffusion":
        backend = DiffusionBackend(model, device, **options)
        backend.reason = f"diffusion asked for: {backend.model} on {backend.device}"
        return backend
    accelerator = _accelerator(device)
    if accelerator is None:
        return MotifBackend(reason="no CUDA or Apple MPS device: diffusion on a CPU takes minutes per picture, so the "
                                   "offline motif painter is used (--backend diffusion forces diffusion)")
    try:
        backend = DiffusionBackend(model, accelerator, **options)
    except UserError as exc:
        return MotifBackend(reason=f"{accelerator} is available but the diffusion model could not be used ({exc}); "
                                   "falling back to the offline motif painter")
    backend.reason = f"{accelerator} available and {model or DEFAULT_MODEL} loaded"
    return backend
