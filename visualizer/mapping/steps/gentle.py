"""The safety rule in the mapping: a crisis entry softened and painted in the calm style at low strength.

What a gentle picture may show is the policy of `visualizer.safety.policy`; this step loads it from
prompts/safety.toml (checked by `visualizer.mapping.data`), applies it first, says so in the explanation, and
closes the explanation with the strength it allowed.
"""

from __future__ import annotations

from visualizer.mapping import data
from visualizer.mapping.prompt import Note, Record
from visualizer.mapping.reading import Reading
from visualizer.safety.policy import GentlePicture

APPLIED = ("safety rule: some of the writing shows signs of crisis, so nothing from those sentences and no longing "
           "is painted; calm style, light kept up, no storm")


def gentle_rule() -> GentlePicture:
    """The gentle-picture policy of the prompts folder in use."""
    return GentlePicture.from_rule(data.load("safety")["render"], data.load("styles"),
                                   str(data.prompts_dir() / "safety.toml"))


def gentle_reading(reading: Reading, style: str, strength: float,
                   gentle: GentlePicture | None) -> tuple[tuple[Reading, str, float], list[Record]]:
    """(reading, style, strength) as the picture uses them: as asked, or softened, calm and weak for a crisis."""
    if gentle is None:
        return (reading, style, strength), []
    return (gentle.soften(reading), gentle.style, min(strength, gentle.strength)), [Note("crisis", True, APPLIED)]


def strength_note(strength: float, gentle: GentlePicture | None) -> list[Record]:
    """The closing word of a crisis entry's explanation: the strength the rule allowed."""
    if gentle is None:
        return []
    return [Note("crisis", True, f"strength {strength:g} (safety rule; at most {gentle.strength:g})")]
