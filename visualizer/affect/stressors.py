"""What the stress is about: topics of the stressor lexicon (`data/stressors.toml`) that a text mentions.

A module of its own, free of torch, so that pages naming the topics (the portrait) need not load the reading.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from visualizer.text.scripts import has_han, to_simplified

STRESSORS = Path(__file__).with_name("data") / "stressors.toml"


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, dict[str, tuple[str, ...]]]:
    with STRESSORS.open("rb") as handle:
        return {language: {topic: tuple(words) for topic, words in topics.items()}
                for language, topics in tomllib.load(handle).items()}


def topics() -> frozenset[str]:
    """Every topic name of the lexicon ("work", "sleep"): our words, never the writer's."""
    return frozenset(topic for language in _lexicon().values() for topic in language)


def find_stressors(text: str) -> list[str]:
    """Topics of the stressor lexicon that the text mentions, most mentioned first (English words whole, Chinese
    words as substrings of the Simplified text)."""
    lexicon = _lexicon()
    words = re.findall(r"[a-z']+", text.lower())
    counts = {topic: sum(w in vocabulary for w in words) for topic, vocabulary in lexicon["en"].items()}
    if has_han(text):
        simplified = to_simplified(text)
        for topic, vocabulary in lexicon["zh"].items():
            counts[topic] = counts.get(topic, 0) + sum(simplified.count(w) for w in vocabulary)
    return [t for t, n in sorted(counts.items(), key=lambda item: -item[1]) if n]
