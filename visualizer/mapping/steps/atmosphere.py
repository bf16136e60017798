"""The atmosphere: the dominant emotion's light, weather and texture, the palette's words, and the levels of
prompts/compositions.toml — light level from valence, motion from arousal, and the weather of stress, which
always keeps a way out (a light, a path), never injury or despair."""

from __future__ import annotations

from visualizer.mapping import data
from visualizer.mapping.prompt import Fragment, Record
from visualizer.mapping.reading import Reading
from visualizer.mapping.steps.palette import choose_palette


def atmosphere(reading: Reading, mood: list[tuple[str, float]]) -> tuple[tuple[str, dict], list[Record]]:
    """The atmosphere's words and the chosen palette (name, table)."""
    dominant, p = mood[0]
    entry, comps = data.load("emotions")[dominant], data.load("compositions")
    records: list[Record] = [Fragment(entry["light"], f"emotion:{dominant}", p, "light of the dominant emotion"),
                             Fragment(entry["weather"], f"emotion:{dominant}", p, "weather of the dominant emotion"),
                             Fragment(entry["texture"], f"emotion:{dominant}", p, "texture of the dominant emotion")]
    name, palette = choose_palette(reading, mood)
    pulled = [label for label, _ in mood if label in palette.get("affinity", [])]
    records.append(Fragment(palette["words"], "valence+arousal+dominance",
                            f"{reading.valence:+.2f}/{reading.arousal:+.2f}/{reading.dominance:+.2f}",
                            f"palette {name}" + (f", drawn by {' and '.join(pulled)}" if pulled else "")))
    records += [Fragment(level(comps["valence"], reading.valence), "valence", reading.valence, "light level"),
                Fragment(level(comps["arousal"], reading.arousal), "arousal", reading.arousal, "motion"),
                Fragment(level(comps["stress"], reading.stress), "stress", reading.stress,
                         "weather of stress, with a way out")]
    return (name, palette), records


def level(levels: list[dict], value: float) -> str:
    """The words of the first level whose `upto` holds `value` (the last level above all)."""
    for level in levels:
        if value <= level["upto"]:
            return level["words"]
    return levels[-1]["words"]
