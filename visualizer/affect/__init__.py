"""Affect stage: text → `InnerState` (emotions, valence/arousal/dominance, stress, desires, sentence arc).

The labels and the `InnerState` dataclasses import without torch, so the gallery, mapping and UI can
use them cheaply; `analyze` and `load_model` load the model code (torch, transformers) on first use.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

from visualizer.affect.state import VAD, Desire, InnerState, SentenceState

__all__ = ["analyze", "load_model", "InnerState", "SentenceState", "VAD", "Desire"]
_LAZY = ("analyze", "load_model")  # functions of the submodule `visualizer.affect.analyze`


def __getattr__(name: str):
    """PEP 562: `visualizer.affect.analyze` / `.load_model` import the model code only when asked for."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module("visualizer.affect.analyze"), name)


class _Package(ModuleType):
    """Keeps `visualizer.affect.analyze` the function, as it was before imports were lazy.

    Loading a submodule binds it on its package, so the first `from visualizer.affect.analyze import …`
    would otherwise leave the package's `analyze` pointing at the module instead of the function.
    """

    def __setattr__(self, name: str, value) -> None:
        if name in _LAZY and isinstance(value, ModuleType):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
