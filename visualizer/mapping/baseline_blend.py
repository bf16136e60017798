"""The personal baseline in the picture: V/A/D blended towards the entry's reading against the writer's usual.

`visualizer.affect.baseline` reads each entry against the writer's usual (`relative`); here V/A/D become
(1 − w)·absolute + w·relative, w = `[baseline] weight` of prompts/compositions.toml, for the entry and its
keyframes. For a crisis entry only the gentler direction is kept (`GentlePicture.gentler`: valence up, arousal
down, dominance kept), so the baseline never makes its picture darker or stormier. The explanation says first
how the entry compares with the usual and what that changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from visualizer.errors import UserError
from visualizer.mapping import data
from visualizer.mapping.conditioning import Conditioning
from visualizer.mapping.prompt import rounded
from visualizer.mapping.reading import Reading
from visualizer.safety.policy import GentlePicture

VAD_NAMES = ("valence", "arousal", "dominance")


def baseline_weight() -> float:
    """The blend weight of the personal baseline, `[baseline] weight` of prompts/compositions.toml (0…1)."""
    from visualizer.affect.baseline import DEFAULT_WEIGHT

    weight = data.load("compositions").get("baseline", {}).get("weight", DEFAULT_WEIGHT)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0.0 <= float(weight) <= 1.0:
        raise UserError(f"{data.prompts_dir() / 'compositions.toml'}: [baseline] weight must be between 0 and 1, "
                        f"got {weight!r}")
    return float(weight)


def blend_baseline(reading: Reading, relative: Mapping[str, float], weight: float,
                   gentle: GentlePicture | None) -> Reading:
    """(1 − w)·absolute + w·relative on V/A/D (`visualizer.affect.baseline.blend`), only the gentler way for a
    crisis entry."""
    from visualizer.affect.baseline import blend

    blended = replace(reading, **{name: blend(getattr(reading, name), relative.get(name), weight)
                                  for name in VAD_NAMES})
    return gentle.gentler(reading, blended) if gentle else blended


def painted_differences(relative: Mapping[str, float] | None) -> str:
    """How the entry compares with the usual on its scores, not its single feelings ("brighter and calmer than your
    usual"): the picture leans on V/A/D only, and `describe` says a feeling's difference as its label ("more
    disappointment"), which the reflection says properly in the writer's language (`visualizer.reflection`)."""
    from visualizer.affect.baseline import describe

    if relative is None:
        return ""
    return describe({name: value for name, value in relative.items() if not name.startswith("emotion:")})


def explain_baseline(cond: Conditioning, absolute: Reading, blended: Reading, relative: Mapping[str, float],
                     weight: float, gentle: bool) -> None:
    """Say first in the explanation how the entry compares with the writer's usual and what that changed; keep the
    relative and the absolute V/A/D in the scores."""
    values = "/".join(f"{relative.get(k, 0.0):+.1f}" for k in VAD_NAMES)
    effect = (f"personal baseline: {painted_differences(relative)}; V/A/D used = {1 - weight:g}·absolute + {weight:g}·relative "
              f"(valence {absolute.valence:+.2f} → {blended.valence:+.2f}, arousal {absolute.arousal:+.2f} → "
              f"{blended.arousal:+.2f}, dominance {absolute.dominance:+.2f} → {blended.dominance:+.2f})")
    if gentle:
        effect += "; safety rule: the baseline may only brighten and calm this entry"
    cond.explanation.insert(0, {"score": "baseline", "value": values, "effect": effect})
    cond.scores["baseline"] = {k: v for k, v in relative.items()}
    cond.scores["absolute"] = {k: rounded(getattr(absolute, k)) for k in VAD_NAMES}
