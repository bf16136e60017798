"""Affect stage: text → `InnerState` (emotions, valence/arousal/dominance, stress, desires, sentence arc)."""

from visualizer.affect.analyze import analyze, load_model
from visualizer.affect.state import VAD, Desire, InnerState, SentenceState

__all__ = ["analyze", "load_model", "InnerState", "SentenceState", "VAD", "Desire"]
