"""`get_backend`: pick and build a render backend, and say why."""

from __future__ import annotations

import os
from pathlib import Path

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


def looks_like_path(model: str) -> bool:
    """Whether `--model` names a local file or folder rather than a Hugging Face id such as `owner/name`."""
    from huggingface_hub.errors import HFValidationError
    from huggingface_hub.utils import validate_repo_id

    if model.startswith(("/", ".", "~")) or model.endswith((".safetensors", ".ckpt")):
        return True
    if not any(sep and sep in model for sep in (os.sep, os.altsep)):
        return False
    try:
        validate_repo_id(model)
    except HFValidationError:
        return True
    return False


def check_model(model: str | None) -> None:
    """A `--model` path that does not exist is an error under every backend: a typo is never ignored in silence."""
    if model and looks_like_path(model) and not Path(model).expanduser().exists():
        raise UserError(f"--model {model}: no such file or folder")


def _unused(model: str | None) -> str:
    return f"--model {model} not used: " if model else ""


def get_backend(name: str = "auto", model: str | None = None, device: str | None = None, **options) -> Backend:
    """Build a backend by name: auto | diffusion | motif | tiny. `.reason` says why it was chosen.

    auto → diffusion when a CUDA or Apple MPS device is present and the model loads, else the motif painter
    (diffusion on a CPU takes a minute or more per picture). diffusion → `model` (default stabilityai/sd-turbo)
    on `device`; errors loading it are UserErrors. tiny → the random miniature pipeline (tests, benchmarks).
    `options` go to DiffusionBackend (dtype, batch_size). A `model` a backend does not use is named in `.reason`.
    """
    from visualizer.render.motif import MotifBackend

    name = (name or "auto").lower()
    if name not in BACKENDS:
        raise UserError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")
    check_model(model)
    if name == "motif":
        return MotifBackend(reason=f"{_unused(model)}motif painter asked for")
    from visualizer.quiet import quiet_loading
    from visualizer.render.diffusion import DEFAULT_MODEL, DiffusionBackend

    if name == "tiny":
        from visualizer.render.tiny import build_tiny_pipeline

        with quiet_loading("transformers", "diffusers"):
            pipe = build_tiny_pipeline()
        backend = DiffusionBackend("tiny-random-sd", device or "cpu", pipe=pipe, name="tiny", **options)
        backend.reason = f"{_unused(model)}tiny random pipeline asked for (tests and benchmarks; pictures are noise)"
        return backend
    if name == "diffusion":
        backend = DiffusionBackend(model, device, **options)
        backend.reason = f"diffusion asked for: {backend.model} on {backend.device}"
        return backend
    accelerator = _accelerator(device)
    if accelerator is None:
        return MotifBackend(reason=f"{_unused(model)}no CUDA or Apple MPS device: diffusion on a CPU takes minutes per "
                                   "picture, so the offline motif painter is used (--backend diffusion forces diffusion)")
    try:
        backend = DiffusionBackend(model, accelerator, **options)
    except UserError as exc:
        return MotifBackend(reason=f"{accelerator} is available but the diffusion model could not be used ({exc}); "
                                   "falling back to the offline motif painter")
    backend.reason = f"{accelerator} available and {model or DEFAULT_MODEL} loaded"
    return backend
