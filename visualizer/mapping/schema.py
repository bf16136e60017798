"""The shape of each art-direction file in `prompts/`, one pydantic model per file (`FILES`), checked on first load.

A model requires every key the mapping reads from its file and checks what the mapping relies on: numbers taken
strictly (the text "0.5" is not a number, nor is true), scores within −1…1, words that are non-empty text, the
scene families and imagery shapes that one table names and another declares. A key whose value the mapping uses as
written (an emotion's light words, a style's painter parameters) or that another stage checks where it reads it
(the safety rule's numbers: `GentlePicture.from_rule`) is required without a type (`Unchecked`). Keys a model does
not declare are allowed, except in mapping.toml (`Closed`): a misspelt knob must not be silently ignored.

painter.toml and plain.toml have no model: the painter checks its own file (`render.painter.places`), and plain
words are read as written. The scene families of emotions.toml and safety.toml are those of the scenes.toml beside
them, passed in the validation context (`SCENE_FAMILIES`).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, RootModel, ValidationInfo, create_model, model_validator

from visualizer.affect.labels import EMOTIONS
from visualizer.mapping.schema_errors import problem
from visualizer.safety.policy import RULE_KEYS  # the gentle-picture policy declares the keys of its rule

SCENE_FAMILIES = "scene_families"  # validation context: a function giving the scene families of scenes.toml
PLAIN_WORDS = re.compile(r"[A-Za-z][A-Za-z' ,]*")  # prompt text as written: compel reads ()[]+-.: as syntax
Unchecked = Any  # a key that must be there; its value is used as written, or checked by the stage that reads it


def _non_blank(text: str) -> str:
    if not text.strip():
        raise problem("must be non-empty text")
    return text


def _lower_case(word: str) -> str:
    if word != word.lower():
        raise problem(f"must be lower case, got {word!r}")
    return word


def _within_one(value: float) -> float:
    if not -1.0 <= value <= 1.0:
        raise problem(f"must be between -1 and 1, got {value!r}")
    return value


def _known_emotion(label: str) -> str:
    if label not in EMOTIONS:
        raise problem(f"names an unknown emotion {label!r} (not one of the 28 GoEmotions labels)")
    return label


def _plain_words(name: str) -> str:
    if not PLAIN_WORDS.fullmatch(name):
        raise problem("must be plain words (letters, spaces, ' and ,): it goes into the prompt")
    return name


def _known_scene(name: str, info: ValidationInfo) -> str:
    known = info.context[SCENE_FAMILIES]()
    if name not in known:
        raise problem(f"names an unknown scene family {name!r}; scenes.toml has {', '.join(sorted(known))}")
    return name


def _at_least(count: int, noun: str) -> AfterValidator:
    """A list or table of at least `count` items, `noun` naming them as the error says it ("subject", "colours")."""

    def check(items):
        if len(items) < count:
            raise problem(f"must name at least {'one' if count == 1 else count} {noun}")
        return items

    return AfterValidator(check)


Text = Annotated[str, AfterValidator(_non_blank)]
Words = Annotated[list[Text], _at_least(1, "word")]
Score = Annotated[float, AfterValidator(_within_one)]
SceneName = Annotated[str, AfterValidator(_known_scene)]
EmotionLabel = Annotated[str, AfterValidator(_known_emotion)]


class Table(BaseModel):
    """A TOML table, its values taken as written (strict: no text read as a number); undeclared keys allowed."""

    model_config = ConfigDict(strict=True)


class Closed(Table):
    """A table of declared keys only, so that a misspelt key is an error; `kind` names its keys in the error."""

    kind: ClassVar[str] = "key"

    @model_validator(mode="before")
    @classmethod
    def _declared_keys_only(cls, data: Any) -> Any:
        unknown = sorted(set(data) - set(cls.model_fields)) if isinstance(data, dict) else []
        if unknown:
            raise problem(f"has unknown {cls.kind}(s) {', '.join(unknown)}; known: {', '.join(cls.model_fields)}")
        return data


# -- emotions.toml -------------------------------------------------------------------------------------------------

class Emotion(Table):
    """[<label>]: the words of one feeling, and the scene family it calls when the text names no place."""

    mood: Unchecked
    light: Unchecked
    weather: Unchecked
    colour: Unchecked
    texture: Unchecked
    scene: SceneName
    hex: Unchecked


EmotionsFile = create_model("EmotionsFile", __base__=Table, __doc__="A table per GoEmotions label, all 28.",
                            **{label: (Emotion, ...) for label in EMOTIONS})


# -- styles.toml, palettes.toml, compositions.toml, negative.toml -----------------------------------------------------

class StyleMotif(Table):
    """[<style>.motif]: how the motif painter renders the style (its parameters, read by the painter)."""

    stroke: Unchecked
    stroke_mix: Unchecked
    texture: Unchecked
    texture_mix: Unchecked
    wash: Unchecked
    outline: Unchecked
    posterize: Unchecked
    saturation: Unchecked
    contrast: Unchecked
    vignette: Unchecked
    monochrome: Unchecked
    landscape: Unchecked
    glow: Unchecked


class Style(Table):
    prompt: Unchecked
    negative: Unchecked
    motif: StyleMotif


class Palette(Table):
    valence: Unchecked
    arousal: Unchecked
    dominance: Unchecked
    words: Unchecked
    colours: Annotated[list[Unchecked], _at_least(3, "colours")]  # sky, middle (tinted by the emotion), ground
    affinity: list[EmotionLabel] | None = None


class CompositionsFile(Table):
    valence: Unchecked
    arousal: Unchecked
    stress: Unchecked


class NegativeFile(Table):
    base: Unchecked
    humane: Unchecked
    stress: Unchecked


# -- safety.toml ------------------------------------------------------------------------------------------------------

SafetyRule = create_model(
    "SafetyRule", __base__=Table, __doc__="[render]: the gentle-picture rule; `GentlePicture.from_rule` reads it.",
    scenes=(Annotated[list[SceneName], _at_least(1, "scene family")], ...),
    **{key: (Unchecked, ...) for key in RULE_KEYS if key != "scenes"})


class SafetyFile(Table):
    render: SafetyRule


# -- scenes.toml ------------------------------------------------------------------------------------------------------

class SceneFamily(Table):
    """[<family>]: a place a picture is composed as (the keys are explained in scenes.toml)."""

    prompt: Text
    wide: Text
    middle: Text
    close: Text
    still: Text
    stirred: Text
    subjects: Annotated[list[Text], _at_least(1, "subject")]
    words: list[Annotated[Text, AfterValidator(_lower_case)]]
    elements: Annotated[dict[str, Text], _at_least(1, "element")]  # what the painter draws there, as said in words
    valence: Score
    arousal: Score
    dominance: Score


class ScenesFile(RootModel[Annotated[dict[str, SceneFamily], _at_least(1, "scene family")]]):
    @model_validator(mode="after")
    def _one_family_per_word(self) -> ScenesFile:
        """A word of the text calls one family: the same word in two families would make the choice arbitrary."""
        caller: dict[str, str] = {}
        for family, table in self.root.items():
            for index, word in enumerate(table.words):
                if caller.setdefault(word, family) != family:
                    raise problem(f"{word!r} already calls [{caller[word]}]", at=(family, "words", index))
        return self


# -- mapping.toml -----------------------------------------------------------------------------------------------------

class Knobs(Closed):
    kind = "knob"


class PromptKnobs(Knobs):
    mood_emotions: int
    min_emotion: float
    sentence_active: float
    max_subjects: int
    desire_weight_base: float
    desire_weight_per_intensity: float
    mood_weight_base: float
    mood_weight_per_probability: float
    mood_weight_min: float
    mood_weight_max: float
    stress_negative: float


class PaletteKnobs(Knobs):
    affinity: float
    tint: float


class SceneKnobs(Knobs):
    affinity: float
    wide_upto: float
    close_from: float
    still_upto: float
    stirred_from: float


class TweakKnobs(Knobs):
    default_guidance: float
    guidance: float
    brightness: float
    warmth_valence: float
    warmth_arousal: float
    contrast_arousal: float
    contrast_interest: float
    turbulence_arousal: float
    turbulence_calm: float
    turbulence_stress: float
    turbulence_anxiety: float
    scale: float


class MappingFile(Closed):
    """Every knob of the mapping stage, each a number (counts whole numbers), and nothing else."""

    kind = "table"
    prompt: PromptKnobs
    palette: PaletteKnobs
    scene: SceneKnobs
    tweaks: TweakKnobs


# -- imagery.toml -----------------------------------------------------------------------------------------------------

class Concept(Table):
    """A wish's concept: the painter shape it is drawn as, the names that call it, and kin words that name the same
    longing (for telling when a wish returns; not matched against Chinese)."""

    shape: str
    names: Words | None = None
    kin: Words | None = None


class ConceptsMatch(Table):
    min_similarity: Score
    abstract: Words
    unsafe: Words


class ImageryFile(Table):
    """Nouns per painter shape ([shapes] declares the shapes), the concepts drawn as those shapes, and Chinese words
    glossed by nouns of [shapes] (visualizer/mapping/concepts.py)."""

    shapes: Annotated[dict[str, Words], _at_least(1, "shape")]
    concepts: Annotated[dict[Annotated[str, AfterValidator(_plain_words)], Concept], _at_least(1, "concept")]
    concepts_match: ConceptsMatch
    nouns_zh: Annotated[dict[str, Words], _at_least(1, "noun")]

    @model_validator(mode="after")
    def _shapes_and_nouns_are_declared(self) -> ImageryFile:
        """A concept's shape is one of [shapes]; a Chinese noun takes its shape from there, so is a noun of it."""
        for concept, entry in self.concepts.items():
            if entry.shape not in self.shapes:
                raise problem(f"{entry.shape!r} is not a shape of [shapes]; known: {', '.join(sorted(self.shapes))}",
                              at=("concepts", concept, "shape"))
        nouns = {noun for words in self.shapes.values() for noun in words}
        for noun in self.nouns_zh:
            if noun not in nouns:
                raise problem("is not a noun of [shapes] (its shape comes from there)", at=("nouns_zh", noun))
        return self


FILES: dict[str, type[BaseModel]] = {
    "emotions": EmotionsFile, "styles": RootModel[dict[str, Style]], "palettes": RootModel[dict[str, Palette]],
    "compositions": CompositionsFile, "negative": NegativeFile, "safety": SafetyFile, "scenes": ScenesFile,
    "mapping": MappingFile, "imagery": ImageryFile,
}
