"""The writer's own baseline: each entry read against the writer's usual, not only absolutely.

Torch-free and pure: it works on stored readings (`InnerState.to_dict()` dicts or `InnerState`s).

**The usual.** For every score of a *readable* entry — calibrated V/A/D (`vad.normalised()`, −1…1), stress,
anxiety, interest (0…1) and the journal's main emotions — the usual is the **median** over the journal's readable
entries and its spread the **MAD** (median absolute deviation, × 1.4826 so it estimates a standard deviation
for normal data), never below a floor (`FLOOR`: 0.2 on the −1…1 scale — half a composition level —, 0.1 on the
0…1 scores, 0.05 on emotion probabilities) so a very even journal does not turn small wobbles into big deviations.

* Why medians: every entry counts once, whatever its length, and half the entries would have to be odd to move
  the median far — one 200,000-character rant, or a few extraordinary days, leave the usual of the others where it
  was (a mean, or a length-weighted mean, would be dragged). Entries with no words (`signal` False: empty,
  emoji-only) have no reading to speak of and are left out. Entries that failed analysis have no reading at all.
* Why the whole journal rather than a trailing window: diaries here are short (tens of entries) and often undated
  or irregular; the median needs a handful of entries to mean anything, and a window would make an entry's reading
  depend on which days happen to precede it. The whole journal is order-free, and adding an entry moves a median
  by at most half a step between neighbouring readings, so few existing pictures change when a journal grows.
* Fewer than `MIN_ENTRIES` (5) readable entries: no baseline. The run says so once ("too few entries for a
  personal baseline; absolute readings used") and every entry is painted from its absolute reading.

**The relative reading** of an entry is its deviation from the usual in robust units, squashed to −1…1:
`relative = tanh((x − median) / (SQUASH · spread))` with SQUASH = 2, so two robust standard deviations above the
usual read +0.76. It is rounded to `STEP` (0.1): the picture depends only on the rounded values, and they go into
the entry's render parameters, so resume stays exact — an entry is re-rendered exactly when its own rounded
relative reading changes (adding entries re-paints only the entries whose reading relative to the new usual moved).

**The blend** (`blend`, weight in `prompts/compositions.toml`, `[baseline] weight`, default 0.35): the mapping's
normalised V/A/D = (1 − w) · absolute + w · relative. Stress, anxiety and interest stay absolute in the picture (a
writer who is always stressed is still painted stressed); their relative values and the emotions' are shown in
words ("calmer than your usual"). Crisis: an entry with signs of crisis only takes the blend where it is gentler —
valence only up, arousal only down, dominance absolute — before the safety rule of prompts/safety.toml applies, so
the baseline can never make its picture darker or stormier.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from visualizer.affect.state import InnerState

MIN_ENTRIES = 5
MAD_TO_SD = 1.4826
SQUASH = 2.0
STEP = 0.1
DEFAULT_WEIGHT = 0.35
MAIN_EMOTIONS = 5          # how many emotions the usual describes (highest median probability, neutral excluded)
VAD_KEYS = ("valence", "arousal", "dominance")
SCORE_KEYS = ("stress", "anxiety", "interest")
FLOOR = {"valence": 0.20, "arousal": 0.20, "dominance": 0.20, "stress": 0.10, "anxiety": 0.10, "interest": 0.10,
         "emotion": 0.05}
TOO_FEW = "too few entries for a personal baseline ({n} readable, {need} needed); absolute readings used"
NOTICEABLE = 0.2           # |relative| from which a difference is put into words


def _state(item) -> InnerState:
    return item if isinstance(item, InnerState) else InnerState.from_dict(item)


def readable(state: InnerState) -> bool:
    """An entry with words to read (not empty, not emoji-only)."""
    return bool(state.signal and (not state.text or any(ch.isalnum() for ch in state.text)))


def scores(state: InnerState) -> dict[str, float]:
    """The scores the baseline compares: calibrated V/A/D, stress, anxiety, interest and every emotion."""
    norm = state.vad.normalised()
    values = {"valence": norm.valence, "arousal": norm.arousal, "dominance": norm.dominance,
              "stress": state.stress, "anxiety": state.anxiety, "interest": state.interest}
    values.update({f"emotion:{label}": float(p) for label, p in state.emotions.items()})
    return {k: float(v) for k, v in values.items()}


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


@dataclass
class Baseline:
    """The writer's usual: median and spread per score, over `n` readable entries (None when too few)."""

    n: int
    usual: dict[str, float] = field(default_factory=dict)
    spread: dict[str, float] = field(default_factory=dict)
    emotions: list[str] = field(default_factory=list)   # the main emotions of the journal, strongest first
    note: str = ""                                        # set when there is no baseline

    @property
    def available(self) -> bool:
        return bool(self.usual)

    def relative(self, item) -> dict[str, float] | None:
        """The entry's relative reading (−1…1 per score, rounded to STEP), or None without a baseline."""
        return self.relative_to(scores(_state(item)))

    def relative_to(self, values: Mapping[str, float]) -> dict[str, float] | None:
        """`relative` from an entry's `scores`, for a caller that has them already."""
        if not self.available:
            return None
        names = [*VAD_KEYS, *SCORE_KEYS, *(f"emotion:{e}" for e in self.emotions)]
        return {name: _round(math.tanh((values.get(name, 0.0) - self.usual[name]) / (SQUASH * self.spread[name])))
                for name in names}

    def to_dict(self) -> dict:
        return {"n": self.n, "usual": {k: round(v, 4) for k, v in self.usual.items()},
                "spread": {k: round(v, 4) for k, v in self.spread.items()}, "emotions": self.emotions,
                "note": self.note}


def _round(x: float) -> float:
    return round(round(x / STEP) * STEP, 2) + 0.0  # + 0.0 turns −0.0 into 0.0


def compute(readings: Iterable, min_entries: int = MIN_ENTRIES) -> Baseline:
    """The usual over `readings` (InnerState or stored dicts, any iterable: only their scores are kept, so a
    long journal can be streamed); entries with no words are left out."""
    return from_scores([scores(s) for s in (_state(r) for r in readings) if readable(s)], min_entries)


def from_scores(table: list[Mapping[str, float]], min_entries: int = MIN_ENTRIES) -> Baseline:
    """The usual over the `scores` of the readable entries of a journal."""
    if len(table) < min_entries:
        return Baseline(len(table), note=TOO_FEW.format(n=len(table), need=min_entries))
    names = sorted({k for row in table for k in row})
    usual, spread = {}, {}
    for name in names:
        column = [row.get(name, 0.0) for row in table]
        centre = _median(column)
        mad = _median([abs(x - centre) for x in column])
        floor = FLOOR["emotion"] if name.startswith("emotion:") else FLOOR[name]
        usual[name], spread[name] = centre, max(MAD_TO_SD * mad, floor)
    ranked = sorted((n for n in names if n.startswith("emotion:") and n != "emotion:neutral"),
                    key=lambda n: (-usual[n], n))
    emotions = [n.split(":", 1)[1] for n in ranked[:MAIN_EMOTIONS]]
    keep = {*VAD_KEYS, *SCORE_KEYS, *(f"emotion:{e}" for e in emotions)}
    return Baseline(len(table), {k: v for k, v in usual.items() if k in keep},
                    {k: v for k, v in spread.items() if k in keep}, emotions)


def blend(absolute: float, relative: float | None, weight: float) -> float:
    """(1 − w) · absolute + w · relative, on the normalised −1…1 scale; the absolute value without a relative one."""
    if relative is None:
        return absolute
    return max(-1.0, min(1.0, (1.0 - weight) * absolute + weight * relative))


def describe(relative: Mapping[str, float] | None) -> str:
    """Words for a relative reading: "calmer and brighter than your usual", "close to your usual"."""
    if not relative:
        return ""
    words = []
    pairs = (("valence", "brighter", "heavier"), ("arousal", "more stirred up", "calmer"),
             ("dominance", "more in control", "less in control"), ("stress", "more stressed", "less stressed"),
             ("anxiety", "more anxious", "less anxious"), ("interest", "more curious", "less curious"))
    for name, up, down in pairs:
        value = relative.get(name, 0.0)
        if value >= NOTICEABLE:
            words.append(up)
        elif value <= -NOTICEABLE:
            words.append(down)
    emotions = sorted(((k.split(":", 1)[1], v) for k, v in relative.items() if k.startswith("emotion:")),
                      key=lambda item: -abs(item[1]))
    for label, value in emotions[:2]:
        if abs(value) >= 0.5:
            words.append(f"{'more' if value > 0 else 'less'} {label}")
    if not words:
        return "close to your usual"
    return (", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]) + " than your usual"
