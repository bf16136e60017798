"""The scene family: the place a picture is composed as (shoreline, night sky, window, garden, …).

A journal should read as a series by one artist, not one picture recoloured, so each entry is composed as one
of the families of prompts/scenes.toml. The choice follows what the writer named before what they felt:
  1. the object of desire — the first desire phrase that holds one of a family's words ("the sea" → shoreline);
  2. the concrete imagery of the text — the family with the most distinct words in it (ties: the one named first);
  3. the feeling — the family nearest the reading on valence/arousal/dominance, pulled towards the default
     families (emotions.toml `scene`) of the reading's mood emotions, so an entry that names nothing still gets
     a considered place (anger → storm front, fear → night sky, calm joy → garden, flat → colour field).
The choice is deterministic and says why ("you long for 'the sea'"). `allowed` restricts every step to some
families (the safety rule's calm ones). Keyframes keep their entry's family, so a film stays in one place. When
no desire or imagery is named, the picture's subject is one of the family's `subjects`. Layout words follow
dominance (wide … close), motion words arousal.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from visualizer.mapping import data
from visualizer.mapping.concepts import chinese_nouns
from visualizer.mapping.prompt import Fragment, Note, Record
from visualizer.mapping.reading import Reading
from visualizer.mapping.steps.subject import Subject
from visualizer.mapping.words import listed, pick
from visualizer.safety.policy import GentlePicture


@dataclass(frozen=True)
class SceneChoice:
    """A chosen family, the cue that chose it ("desire", "imagery", "feeling") and why, in words."""

    family: str
    cue: str
    value: str
    because: str

    @property
    def effect(self) -> str:
        return f"scene: {self.family}, because {self.because}"


def _quoted(words: Sequence[str]) -> str:
    quoted = [f"'{w}'" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def feeling_costs(tables: dict[str, dict], mood: Sequence[tuple[str, float]], valence: float, arousal: float,
                  dominance: float) -> dict[str, float]:
    """Each family's distance from the reading on (V, A, D), less the pull of the mood emotions that call it."""
    affinity = data.load("mapping")["scene"]["affinity"]
    emotions = data.load("emotions")
    pull: dict[str, float] = {}
    for label, p in mood:
        family = emotions[label]["scene"]
        pull[family] = pull.get(family, 0.0) + p
    return {name: math.dist((valence, arousal, dominance), (t["valence"], t["arousal"], t["dominance"]))
            - affinity * pull.get(name, 0.0) for name, t in tables.items()}


def choose_scene(desires: Sequence[str], text: str, mood: Sequence[tuple[str, float]], valence: float,
                 arousal: float, dominance: float, allowed: Collection[str] | None = None) -> SceneChoice:
    """The family for one reading: by its desires (strongest first), else the imagery of `text`, else the feeling.

    `mood` is the reading's (emotion, probability) list as the prompt names it; V/A/D on the −1…1 scale.
    `allowed` (None = all) limits the choice to those families.
    """
    tables = {name: t for name, t in data.load("scenes").items() if allowed is None or name in allowed}
    family_of = {word: name for name, t in tables.items() for word in t["words"]}
    for phrase in desires:
        word = next(listed(phrase, family_of), None)
        if word:
            return SceneChoice(family_of[word], "desire", phrase, f"you long for '{phrase}'")
    found: dict[str, list[str]] = {}
    for word in listed(text, family_of):
        if word not in found.setdefault(family_of[word], []):
            found[family_of[word]].append(word)
    if found:
        family = max(found, key=lambda name: len(found[name]))  # dicts keep order: ties go to the first named
        return SceneChoice(family, "imagery", ", ".join(found[family]), f"you wrote of {_quoted(found[family])}")
    fit = feeling_costs(tables, mood, valence, arousal, dominance)
    family = min(fit, key=lambda name: (fit[name], name))
    feelings = [label for label, _ in mood][:2]
    return SceneChoice(family, "feeling", f"{valence:+.2f}/{arousal:+.2f}/{dominance:+.2f}",
                       f"no place is named and the feeling suits it ({' and '.join(feelings)}; "
                       f"valence {valence:+.2f}, arousal {arousal:+.2f}, dominance {dominance:+.2f})")


def layout_words(family: str, dominance: float, arousal: float) -> list[Fragment]:
    """The family's composition, its layout by dominance and its motion by arousal."""
    table, cuts = data.load("scenes")[family], data.load("mapping")["scene"]
    layout = ("wide" if dominance <= cuts["wide_upto"] else "close" if dominance >= cuts["close_from"] else "middle")
    words = [Fragment(table["prompt"], "scene", family, f"composition of the {family} scene"),
             Fragment(table[layout], "dominance", dominance, f"{layout} layout of the scene")]
    if arousal <= cuts["still_upto"]:
        words.append(Fragment(table["still"], "arousal", arousal, "still scene"))
    elif arousal >= cuts["stirred_from"]:
        words.append(Fragment(table["stirred"], "arousal", arousal, "stirred scene"))
    return words


def set_scene(reading: Reading, subject: Subject, mood: list[tuple[str, float]], kept: str,
              gentle: GentlePicture | None, salt: str) -> tuple[str, list[Record]]:
    """The family of one picture, explained: `kept` (a keyframe keeps its entry's), else chosen from the desires,
    the imagery of the text (its English words and the English nouns of its Chinese ones) or the feeling, among
    the safety rule's calm families for a crisis entry; then its subject when none is named, layout and motion."""
    if kept:
        family = kept
        records: list[Record] = [Note("scene", kept, f"scene: {kept}, the entry's scene, kept so the film stays "
                                                     "in one place")]
    else:
        english = " ".join([reading.text, *(noun for _, noun in chinese_nouns(reading.text))])
        choice = choose_scene(subject.desire_concepts, english, mood, reading.valence, reading.arousal,
                              reading.dominance, allowed=gentle.scenes if gentle else None)
        family = choice.family
        records = [Note(choice.cue if choice.cue != "feeling" else "valence+arousal+dominance", choice.value,
                        choice.effect + (" (the safety rule allows only calm scenes)" if gentle else ""))]
    if not subject.words:
        records.append(Fragment(pick(data.load("scenes")[family]["subjects"], salt, family), "scene", family,
                                "no desire or imagery named: a subject of the scene"))
    return family, records + layout_words(family, reading.dominance, reading.arousal)
