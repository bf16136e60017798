"""The gentle-picture policy: how an entry with signs of crisis is painted, on every path.

Which entries are flagged is decided once by the reading (`InnerState.crisis`, per sentence too); this policy
says what their picture may show, with the numbers of the `[render]` table of prompts/safety.toml. Whatever
the reading, a flagged entry's picture:
  - is painted in a calm style (the first of the rule's `styles` that styles.toml has) at low strength;
  - keeps its light up (valence raised to `min_valence`) and its motion and storm down (arousal, stress and
    anxiety lowered to `max_arousal` and `max_stress`);
  - paints no longing: the `quiet_emotions` leave the mood, the flagged sentences' words and wishes stay out of
    the prompt and the motifs, and no looked-up concept or imagery noun may name a word of the rule's negatives;
  - is composed only as one of the rule's calm scene families, with the rule's negatives added;
  - may only be brightened and calmed by the writer's personal baseline, never darkened or stirred.
Swapping the prompts folder can restyle the gentle picture but never switch it off. The policy reads no file
itself: the mapping loads and checks safety.toml and hands the table over, so safety never imports mapping.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from visualizer.errors import UserError

RULE_KEYS = ("styles", "strength", "min_valence", "max_arousal", "max_stress", "quiet_emotions", "negative", "scenes")


class Scores(Protocol):
    """What the policy bounds in a reading (a dataclass, so that `dataclasses.replace` can make the gentler one)."""

    emotions: dict[str, float]
    active: list[str]
    valence: float
    arousal: float
    dominance: float
    stress: float
    anxiety: float


class Flagged(Protocol):
    """A sentence as the reading gives it: its text and whether it shows signs of crisis."""

    text: str
    crisis: bool


R = TypeVar("R", bound=Scores)


@dataclass(frozen=True)
class GentlePicture:
    """The `[render]` rule of prompts/safety.toml, for an entry with signs of crisis."""

    style: str
    strength: float
    min_valence: float
    max_arousal: float
    max_stress: float
    quiet_emotions: tuple[str, ...]
    negative: tuple[str, ...]
    scenes: tuple[str, ...]

    @classmethod
    def from_rule(cls, rule: Mapping, styles: Collection[str], source: str) -> "GentlePicture":
        """The policy of a checked `[render]` table; UserError naming `source` when none of its calm styles exists."""
        style = next((s for s in rule["styles"] if s in styles), None)
        if style is None:
            raise UserError(f"{source}: none of the calm styles {', '.join(rule['styles'])} exists in styles.toml")
        return cls(style, float(rule["strength"]), float(rule["min_valence"]), float(rule["max_arousal"]),
                   float(rule["max_stress"]), tuple(rule["quiet_emotions"]), tuple(rule["negative"]),
                   tuple(rule["scenes"]))

    @property
    def avoided_words(self) -> set[str]:
        """Imagery nouns the rule keeps out of the prompt: every word of its negative prompt ("storm", "rope")."""
        return {word for phrase in self.negative for word in phrase.split()}

    @staticmethod
    def calm_text(sentences: Iterable[Flagged]) -> str:
        """The words the picture may be made from: the sentences without signs of crisis."""
        return " ".join(s.text for s in sentences if not s.crisis)

    def soften(self, reading: R) -> R:
        """Light kept up, motion and storm kept down, no longing in the mood: distress shown, never harm."""
        emotions = {k: (0.0 if k in self.quiet_emotions else v) for k, v in reading.emotions.items()}
        return replace(reading, emotions=emotions, active=[a for a in reading.active if a not in self.quiet_emotions],
                       valence=max(reading.valence, self.min_valence), arousal=min(reading.arousal, self.max_arousal),
                       stress=min(reading.stress, self.max_stress), anxiety=min(reading.anxiety, self.max_stress))

    @staticmethod
    def gentler(before: R, after: R) -> R:
        """`after` (the reading moved by the personal baseline) kept only where it is gentler than `before`:
        valence may rise, arousal may fall, dominance stays."""
        return replace(after, valence=max(after.valence, before.valence), arousal=min(after.arousal, before.arousal),
                       dominance=before.dominance)
