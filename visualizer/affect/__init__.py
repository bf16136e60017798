"""Affect stage: text → `InnerState` (emotions, valence/arousal/dominance, stress, desires, sentence arc).

The labels and the `InnerState` dataclasses import without torch, so the gallery, mapping and UI can
use them cheaply; `analyze` and `load_model` (in `reader`) load the model code (torch, transformers) on
first use.
"""

from __future__ import annotations

from visualizer.affect.state import VAD, Desire, InnerState, SentenceState

__all__ = ["analyze", "load_model", "InnerState", "SentenceState", "VAD", "Desire"]


def __getattr__(name: str):
    """PEP 562: `visualizer.affect.analyze` / `.load_model` import the model code only when asked for."""
    if name in ("analyze", "load_model"):
        from visualizer.affect import reader

        return getattr(reader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
