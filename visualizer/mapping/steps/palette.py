"""The palette: the one nearest the reading on V/A/D, pulled towards the palettes whose `affinity` lists the
reading's emotions (prompts/palettes.toml); its middle colour tinted towards the dominant emotion's `hex`."""

from __future__ import annotations

import math

from visualizer.mapping import data
from visualizer.mapping.prompt import Note, Record
from visualizer.mapping.reading import Reading


def choose_palette(reading: Reading, mood: list[tuple[str, float]]) -> tuple[str, dict]:
    """(name, table) of the palette whose distance from the reading, less the pull of the mood, is least."""
    palettes = data.load("palettes")
    affinity = data.load("mapping")["palette"]["affinity"]
    weights = dict(mood)

    def cost(item):
        name, table = item
        distance = math.dist((reading.valence, reading.arousal, reading.dominance),
                             (table["valence"], table["arousal"], table["dominance"]))
        return distance - affinity * sum(weights.get(e, 0.0) for e in table.get("affinity", [])), name

    return min(palettes.items(), key=cost)


def palette_colours(palette: dict, mood: list[tuple[str, float]]) -> tuple[list[str], list[Record]]:
    """The palette's colours for the painter, the middle one tinted by the dominant emotion."""
    dominant, dominant_p = mood[0]
    tint = data.load("emotions")[dominant]["hex"]
    colours = list(palette["colours"])
    colours[len(colours) // 2] = _mix_hex(colours[len(colours) // 2], tint, data.load("mapping")["palette"]["tint"])
    return colours, [Note(f"emotion:{dominant}", dominant_p, f"palette: middle colour tinted {tint}")]


def _mix_hex(a: str, b: str, t: float) -> str:
    ca = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb))
