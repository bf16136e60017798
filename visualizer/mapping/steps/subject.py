"""The subject of the picture: the object of desire first, then concrete imagery from the text.

Desire phrases come strongest first, weighted by intensity (a keyframe adds its entry's desires after its own,
so a film keeps its subject); then concrete nouns of the text (vocabulary in prompts/imagery.toml). Chinese
desires and nouns are named in English (`visualizer.mapping.concepts`): the nearest concept, or nothing; no Han
character reaches a prompt. For a crisis entry, no looked-up concept and no noun that the safety rule's negative
prompt names is painted. When neither a desire nor imagery is named, the scene step names a subject of the scene.
"""

from __future__ import annotations

from dataclasses import dataclass

from visualizer.mapping import data
from visualizer.mapping.concepts import Concept, chinese_nouns, english_concept, noun_shapes
from visualizer.mapping.prompt import Fragment, Note, Record, weighted
from visualizer.mapping.reading import Reading
from visualizer.mapping.words import listed, words_of
from visualizer.safety.policy import GentlePicture


@dataclass(frozen=True)
class Subject:
    """What the picture is of, as the later steps need it."""

    desires: list[tuple[str, float]]      # (phrase, intensity): the reading's desires, then the entry's
    concepts: dict[str, Concept | None]   # phrase → what it is painted as (None: nothing near enough)
    named: list[str]                      # the desire concepts named in the prompt
    imagery: list[tuple[str, str, str]]   # (English noun, shape, word as written) named in the prompt
    painted: list[tuple[Concept, float]]  # the strongest desires as the painter draws them (none: the glowing disc)

    @property
    def words(self) -> list[str]:
        """Everything the prompt names as subject: desire concepts, then imagery nouns."""
        return self.named + [word for word, _, _ in self.imagery]

    @property
    def desire_concepts(self) -> list[str]:
        """The concept of every desire that has one, strongest first (the scene is chosen from these)."""
        return [self.concepts[p].phrase for p, _ in self.desires if self.concepts[p]]


def choose_subject(reading: Reading, hint: list[tuple[str, float]],
                   gentle: GentlePicture | None) -> tuple[Subject, list[Record]]:
    """The subject of `reading`; `hint` adds the entry's desires to a keyframe's."""
    knobs = data.load("mapping")["prompt"]
    most = knobs["max_subjects"]
    mine = {p.lower() for p, _ in reading.desires}
    desires = reading.desires + [(p, i) for p, i in hint if p.lower() not in mine]
    concepts = {phrase: _named(phrase, gentle) for phrase, _ in desires}
    records: list[Record] = []
    named: list[str] = []
    for phrase, intensity in desires[:most]:
        concept = concepts[phrase]
        if concept is None:
            records.append(Note("desire", intensity, f"object of desire {phrase!r} has no concept near enough to "
                                                     "paint: not named in the prompt"))
            continue
        weight = knobs["desire_weight_base"] + knobs["desire_weight_per_intensity"] * intensity
        nearest = f" → {concept.phrase!r} (nearest concept, similarity {concept.similarity:.2f})" \
            if concept.similarity is not None else ""
        records.append(Fragment(weighted(concept.phrase, round(weight, 2)), "desire", intensity,
                                f"object of desire {phrase!r}{nearest}, weight from intensity"))
        named.append(concept.phrase)
    found = _imagery(reading.text, named + [p for p, _ in desires[:most]])
    imagery = [(word, shape, written) for word, shape, written in found
               if not gentle or word not in gentle.avoided_words][:most - min(len(named), 1)]
    for word, _shape, written in imagery:
        records.append(Fragment(word, "imagery", word,
                                "concrete noun in the text" + (f" {written!r}" if written != word else "")))
    painted = [(concepts[p] or Concept(p, "disc"), i) for p, i in desires[:most]]
    return Subject(desires, concepts, named, imagery, painted), records


def _named(phrase: str, gentle: GentlePicture | None) -> Concept | None:
    """The concept a desire is painted as (English as written; Chinese by nearest concept), None when it has none
    or when the safety rule avoids one of the looked-up concept's words."""
    concept = english_concept(phrase)
    looked_up = concept is not None and concept.similarity is not None
    if looked_up and gentle and gentle.avoided_words & set(words_of(concept.phrase)):
        return None
    return concept


def _imagery(text: str, exclude: list[str]) -> list[tuple[str, str, str]]:
    """Concrete nouns of the imagery vocabulary as (English noun, shape, word as written): English ones in order of
    appearance, then Chinese ones (imagery.toml `[nouns_zh]`); none already named by a phrase of `exclude`."""
    shapes = noun_shapes()
    taken = {w for phrase in exclude for w in words_of(phrase)}
    found: list[tuple[str, str, str]] = []
    nouns = [(word, word) for word in listed(text, shapes)]
    nouns += [(noun, chinese) for chinese, noun in chinese_nouns(text)
              if not any(chinese in phrase for phrase in exclude)]
    for noun, written in nouns:
        if noun not in taken:
            found.append((noun, shapes[noun], written))
            taken.add(noun)
    return found
