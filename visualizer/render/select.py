"""`get_backend`: build a render backend by its registered name, and say why it was chosen."""

from __future__ import annotations

import os
from pathlib import Path

from visualizer.errors import UserError
from visualizer.render.base import Backend
from visualizer.render.registry import backend_spec


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


def get_backend(name: str = "auto", model: str | None = None, device: str | None = None, **options) -> Backend:
    """Build the backend registered as `name` (`visualizer.render.registry` says what each one is); `.reason` says
    why it was chosen. diffusion → `model` (default stabilityai/sd-turbo) on `device`; errors loading it are
    UserErrors. `options` go to DiffusionBackend (dtype, batch_size). A `model` a backend does not use is named in
    `.reason`; a `model` path that does not exist is an error under every backend, said before anything loads.
    """
    spec = backend_spec(name)
    check_model(model)
    return spec.build(model, device, **options)
