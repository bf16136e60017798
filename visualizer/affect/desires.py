"""Desire extraction: what the writer longs for becomes the subject of the image.

"I wish I could see the sea again" → "the sea". Rules, not a model: the cues of longing are a small,
closed set of phrases, a rule set is transparent (the explanation can quote the cue) and needs no
training data, which does not exist for this task. Cues and word lists live in `data/desires.toml`.
Intensity combines the cue's strength, intensifiers in the sentence and the sentence's `desire` emotion.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from visualizer.affect.state import Desire

LEXICON = Path(__file__).with_name("data") / "desires.toml"
_OBJECT = r"(?P<x>.+)"


def strongest_per_object(desires: Iterable[Desire]) -> list[Desire]:
    """One desire per object (case-insensitive), the most intense, in the order the objects first appear."""
    kept: dict[str, Desire] = {}
    for desire in desires:
        key = desire.text.lower()
        if key not in kept or kept[key].intensity < desire.intensity:
            kept[key] = desire
    return list(kept.values())


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class DesireFinder:
    """Compiled cues; one instance serves every sentence."""

    def __init__(self, lexicon: dict) -> None:
        words = lexicon["object"]
        self.cues = [(re.compile(r"\b" + c["pattern"].replace("{x}", _OBJECT), re.I), c["strength"], c["pattern"])
                     for c in lexicon["cue"]]
        self.aversion = re.compile(r"\b" + words["aversion"].replace("{x}", _OBJECT), re.I)
        self.reach = re.compile(rf"^(?:to\s+)?(?:{_alternation(words['reach_verbs'])})\b\s*", re.I)
        degree = _alternation([w for w in words["trailing"] if " " in w])
        self.stop = re.compile(rf"[,;:.!?()\"“”]|\s(?:{_alternation(words['stop_words'])}|{degree})\b|\s-\s|\s—\s", re.I)
        self.trailing = re.compile(rf"(?:\s+(?:{_alternation(words['trailing'])}))+$", re.I)
        self.vague = {w.lower() for w in words["vague"]}
        self.negation = re.compile(rf"\b(?:{_alternation(words['negations'])})\b[^.!?]{{0,25}}$", re.I)
        self.auxiliary = re.compile(rf"\b(?:{_alternation(words['question_auxiliaries'])})\s+$", re.I)
        self.presupposing = re.compile(rf"^\W*(?:{_alternation(words['presupposing'])})\b", re.I)
        self.intensifiers = [w.lower() for w in words["intensifiers"]]

    def clean_object(self, raw: str, after_could: bool) -> str | None:
        """Cut the phrase at the next clause, strip reaching verbs and trailing time/degree words."""
        phrase = self.stop.split(raw, maxsplit=1)[0].strip()
        phrase = re.sub(r"^(?:that|for)\s+", "", phrase, flags=re.I)
        reached = self.reach.sub("", phrase, count=1)
        if reached != phrase and reached:
            phrase = reached
        elif after_could and phrase and not phrase.lower().startswith("to "):
            phrase = "to " + phrase  # "I wish I could sleep for a week" → "to sleep for a week"
        phrase = self.trailing.sub("", phrase).strip(" '\"")
        if not phrase or phrase.lower() in self.vague or phrase.lower() in {"to " + v for v in self.vague}:
            return None
        return phrase

    def find(self, sentence: str, index: int = 0, desire_probability: float = 0.0) -> tuple[list[Desire], list[Desire]]:
        """Desires and aversions in one sentence."""
        aversions = []
        for match in self.aversion.finditer(sentence):
            phrase = self.clean_object(match.group("x"), after_could=False)
            if phrase:
                aversions.append(Desire(phrase, 0.6, match.group(0)[: match.start("x") - match.start()].strip(), index))
        is_question = sentence.rstrip().endswith("?")
        lower = sentence.lower()
        boost = min(0.2, 0.1 * sum(lower.count(w) > 0 for w in self.intensifiers))
        desires: list[Desire] = []
        taken: list[tuple[int, int]] = []
        for pattern, strength, source in self.cues:
            for match in pattern.finditer(sentence):
                start = match.start()
                before = sentence[:start]
                if any(a <= start < b for a, b in taken) or self.negation.search(before):
                    continue
                scale = 1.0
                if is_question:
                    if self.auxiliary.search(before) and not self.presupposing.search(sentence):
                        continue  # "Do I want to move?" — undecided
                    scale = 0.7
                phrase = self.clean_object(match.group("x"), after_could="could" in source)
                if not phrase:
                    continue
                taken.append((start, match.start("x") + len(self.stop.split(match.group("x"), maxsplit=1)[0])))
                base = min(1.0, strength + boost)
                intensity = round(scale * (1 - (1 - base) * (1 - 0.5 * desire_probability)), 3)
                desires.append(Desire(phrase, intensity, sentence[start:match.start("x")].strip(), index))
        return strongest_per_object(desires), aversions


@lru_cache(maxsize=1)
def default_finder() -> DesireFinder:
    with LEXICON.open("rb") as handle:
        return DesireFinder(tomllib.load(handle))


def find_desires(sentence: str, index: int = 0, desire_probability: float = 0.0) -> list[Desire]:
    """Desires in one sentence, strongest first."""
    desires, _ = default_finder().find(sentence, index, desire_probability)
    return sorted(desires, key=lambda d: -d.intensity)


def find_aversions(sentence: str, index: int = 0) -> list[Desire]:
    """What the sentence pushes away ("I don't want to go back there" → "go back there")."""
    return default_finder().find(sentence, index)[1]
