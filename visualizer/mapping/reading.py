"""`Reading`: the scores one picture is made from — a whole entry or one sentence of it — cleaned and clipped.

Valence, arousal and dominance are on the calibrated −1…1 scale; stress, anxiety and interest on 0…1. Desire
phrases lose the characters compel reads as syntax (`()[]+-.:`), so user text cannot inject prompt weights, and
a harmful wish (`visualizer.safety.signs.is_harmful`) is never a desire, whatever the reading let through.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from visualizer.affect.state import VAD, Desire

_UNSAFE = re.compile(r"[^\w\s',]")  # compel reads ()[]+-.: as syntax; user text must not inject weights


@dataclass(frozen=True)
class Reading:
    """The scores one picture is made from: a whole entry or one sentence of it."""

    text: str
    emotions: dict[str, float]
    active: list[str]
    valence: float   # normalised −1…1
    arousal: float
    dominance: float
    stress: float
    desires: list[tuple[str, float]]  # (object, intensity), strongest first
    anxiety: float = 0.0   # 0…1: adds a little turbulence (mapping.toml [tweaks] turbulence_anxiety)
    interest: float = 0.0  # 0…1: adds a little contrast (mapping.toml [tweaks] contrast_interest)


def reading_of(text: str, emotions: Mapping[str, float], active: Iterable[str], vad: "VAD", stress: float,
               desires: Iterable["Desire"], anxiety: float = 0.0, interest: float = 0.0) -> Reading:
    """A Reading from an entry's or a sentence's scores: V/A/D normalised and clipped, desires cleaned, ranked and
    deduplicated (case-insensitive), harmful ones dropped."""
    from visualizer.safety.signs import is_harmful

    norm = vad.normalised()
    clip = lambda x: max(-1.0, min(1.0, float(x)))  # noqa: E731 - tiny local helper
    ranked: dict[str, float] = {}
    for desire in desires:
        phrase = _clean(desire.text)
        if phrase and not is_harmful(phrase) and phrase.lower() not in {k.lower() for k in ranked}:
            ranked[phrase] = max(0.0, min(1.0, float(desire.intensity)))
    return Reading(text or "", {k: float(v) for k, v in emotions.items()}, list(active), clip(norm.valence),
                   clip(norm.arousal), clip(norm.dominance), max(0.0, min(1.0, float(stress))),
                   sorted(ranked.items(), key=lambda item: -item[1]),
                   max(0.0, min(1.0, float(anxiety))), max(0.0, min(1.0, float(interest))))


def _clean(text: str) -> str:
    """`text` without compel syntax, whitespace collapsed, stray commas trimmed."""
    return " ".join(_UNSAFE.sub(" ", text).split()).strip(" ,")
