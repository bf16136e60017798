"""The mood: the reading's strongest emotions, named as compel-weighted words, `(wistful)1.32`.

The emotions the tuned thresholds found present come first, then the rest by probability; neutral and faint ones
(below mapping.toml `min_emotion`) are left out, at most `mood_emotions` are named, and a flat reading is
"neutral". The weight grows with the probability, kept within `mood_weight_min`…`mood_weight_max`; the word is
picked from the emotion's `mood` list of prompts/emotions.toml, the same one for the same entry and seed.
"""

from __future__ import annotations

from visualizer.mapping import data
from visualizer.mapping.prompt import Fragment, Record, weighted
from visualizer.mapping.reading import Reading
from visualizer.mapping.words import pick


def strongest_emotions(reading: Reading) -> list[tuple[str, float]]:
    """(emotion, probability) the picture is made of, strongest first; the first is the dominant one."""
    knobs = data.load("mapping")["prompt"]
    ranked = [label for label in reading.active if label in reading.emotions]
    ranked += [label for label, _ in sorted(reading.emotions.items(), key=lambda item: -item[1]) if label not in ranked]
    chosen = [(label, reading.emotions[label]) for label in ranked
              if label != "neutral" and reading.emotions[label] >= knobs["min_emotion"]][:knobs["mood_emotions"]]
    return chosen or [("neutral", reading.emotions.get("neutral", 1.0))]


def mood_words(mood: list[tuple[str, float]], salt: str) -> list[Record]:
    """One weighted mood word per emotion of `mood`."""
    words, knobs = data.load("emotions"), data.load("mapping")["prompt"]
    records: list[Record] = []
    for label, p in mood:
        word = pick(words[label]["mood"], salt, label)
        weight = knobs["mood_weight_base"] + knobs["mood_weight_per_probability"] * p
        weight = min(knobs["mood_weight_max"], max(knobs["mood_weight_min"], weight))
        records.append(Fragment(weighted(word, round(weight, 2)), f"emotion:{label}", p,
                                "mood word, weight from probability"))
    return records
