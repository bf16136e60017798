"""The negative prompt: base, humane and style negatives always; stress negatives from mapping.toml
`stress_negative` on; the safety rule's negatives for a crisis entry."""

from __future__ import annotations

from visualizer.mapping import data
from visualizer.mapping.prompt import Note, Record
from visualizer.mapping.reading import Reading
from visualizer.safety.policy import GentlePicture


def negative_prompt(reading: Reading, style: str, gentle: GentlePicture | None) -> tuple[list[str], list[Record]]:
    """The negative prompt's phrases, each once, in order."""
    negative = data.load("negative")
    negatives = list(dict.fromkeys([*negative["base"], *negative["humane"], data.load("styles")[style]["negative"]]))
    records: list[Record] = [Note("style", style, "negative: base, humane and style negatives")]
    if reading.stress > data.load("mapping")["prompt"]["stress_negative"]:
        negatives += negative["stress"]
        records.append(Note("stress", reading.stress, "negative: " + ", ".join(negative["stress"])))
    if gentle:
        negatives += [n for n in gentle.negative if n not in negatives]
        records.append(Note("crisis", True, "negative: " + ", ".join(gentle.negative)))
    return negatives, records
