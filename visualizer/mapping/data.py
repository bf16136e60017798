"""Art direction as data: loads and checks the TOML files in the top-level `prompts/` folder.

The folder can be swapped with the `VISUALIZER_PROMPTS` environment variable, so a user can restyle
every picture without touching code. Files are read and checked once per process (they are small and
immutable): a missing key, an ill-typed number, a scene family that scenes.toml does not define (named by
emotions.toml or safety.toml), or an imagery shape the motif painter cannot draw is a UserError naming the file
and the key. mapping.toml must hold exactly the knobs of `MAPPING_KNOBS`, so a misspelt knob is caught rather
than silently ignored.
"""

from __future__ import annotations

import os
import re
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from visualizer.affect.labels import EMOTIONS  # torch-free: the affect package loads its model lazily
from visualizer.errors import UserError
from visualizer.safety.policy import RULE_KEYS  # the gentle-picture policy declares the keys of its rule

EMOTION_FIELDS = ("mood", "light", "weather", "colour", "texture", "scene", "hex")
SCENE_TEXT_FIELDS = ("prompt", "wide", "middle", "close", "still", "stirred")
SCENE_LIST_FIELDS = ("subjects", "words")
SCENE_NUMBER_FIELDS = ("valence", "arousal", "dominance")
# mapping.toml: every knob, by table, with its type (int: a whole number; float: any number)
MAPPING_KNOBS: dict[str, dict[str, type]] = {
    "prompt": {"mood_emotions": int, "min_emotion": float, "sentence_active": float, "max_subjects": int,
               "desire_weight_base": float, "desire_weight_per_intensity": float, "mood_weight_base": float,
               "mood_weight_per_probability": float, "mood_weight_min": float, "mood_weight_max": float,
               "stress_negative": float},
    "palette": {"affinity": float, "tint": float},
    "scene": {"affinity": float, "wide_upto": float, "close_from": float, "still_upto": float, "stirred_from": float},
    "tweaks": {"default_guidance": float, "guidance": float, "brightness": float, "warmth_valence": float,
               "warmth_arousal": float, "contrast_arousal": float, "contrast_interest": float,
               "turbulence_arousal": float, "turbulence_calm": float, "turbulence_stress": float,
               "turbulence_anxiety": float, "scale": float},
}
PLAIN_WORDS = re.compile(r"[A-Za-z][A-Za-z' ,]*")  # prompt text as written: compel reads ()[]+-.: as syntax
STYLE_MOTIF_FIELDS = ("stroke", "stroke_mix", "texture", "texture_mix", "wash", "outline", "posterize",
                      "saturation", "contrast", "vignette", "monochrome", "landscape", "glow")


def prompts_dir() -> Path:
    """`$VISUALIZER_PROMPTS` if set, else the art-direction folder shipped inside the package.

    pyproject.toml maps the top-level `prompts/` folder, where people edit it, to `visualizer/prompts` in the
    wheel, so an installed copy needs no checkout. A checkout (the editable install) has no such folder inside
    the package and reads the top-level `prompts/` itself.
    """
    override = os.environ.get("VISUALIZER_PROMPTS")
    if override:
        return Path(override)
    package = Path(str(resources.files("visualizer")))
    packaged = package / "prompts"
    return packaged if packaged.is_dir() else package.parent / "prompts"


@lru_cache(maxsize=None)
def _load(directory: str, name: str) -> dict:
    """Read and check one file; cached per folder (a failed check is not cached, so it is raised every time)."""
    path = Path(directory) / f"{name}.toml"
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise UserError(f"{path}: art-direction file missing (set VISUALIZER_PROMPTS to a complete prompts folder)") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
    _check(name, data, path)
    return data


def load(name: str) -> dict:
    """One of emotions, styles, palettes, compositions, negative, imagery, safety, scenes, mapping — checked on
    first use, including the scene families that emotions.toml and safety.toml name."""
    return _load(str(prompts_dir()), name)


def _scene_names(path: Path) -> set[str]:
    """The scene families of the scenes.toml beside `path`."""
    return set(_load(str(path.parent), "scenes"))


def _known_scene(path: Path, key: str, name) -> None:
    known = _scene_names(path)
    if name not in known:
        raise UserError(f"{path}: {key} names an unknown scene family {name!r}; scenes.toml has "
                        f"{', '.join(sorted(known))}")


def _number(path: Path, key: str, value, kind: type = float) -> None:
    if isinstance(value, bool) or not isinstance(value, int if kind is int else (int, float)):
        raise UserError(f"{path}: {key} must be {'a whole number' if kind is int else 'a number'}, got {value!r}")


def _check(name: str, data: dict, path: Path) -> None:
    def need(entry: str, table: dict, fields) -> None:
        missing = [f for f in fields if f not in table]
        if missing:
            raise UserError(f"{path}: entry [{entry}] lacks {', '.join(missing)}")

    if name == "emotions":
        for label in EMOTIONS:
            if label not in data:
                raise UserError(f"{path}: no entry [{label}] (all 28 GoEmotions labels are needed)")
            need(label, data[label], EMOTION_FIELDS)
            _known_scene(path, f"[{label}] scene", data[label]["scene"])
    elif name == "styles":
        for style, table in data.items():
            need(style, table, ("prompt", "negative", "motif"))
            need(f"{style}.motif", table["motif"], STYLE_MOTIF_FIELDS)
    elif name == "palettes":
        for palette, table in data.items():
            need(palette, table, ("valence", "arousal", "dominance", "words", "colours"))
            if len(table["colours"]) < 3:
                raise UserError(f"{path}: entry [{palette}] needs at least 3 colours")
            unknown = [label for label in table.get("affinity", []) if label not in EMOTIONS]
            if unknown:
                raise UserError(f"{path}: [{palette}] affinity names unknown emotion(s) {', '.join(unknown)}")
    elif name == "compositions":
        need("compositions", data, ("valence", "arousal", "stress"))
    elif name == "negative":
        need("negative", data, ("base", "humane", "stress"))
    elif name == "safety":
        need("safety", data, ("render",))
        need("render", data["render"], RULE_KEYS)
        if not isinstance(data["render"]["scenes"], list) or not data["render"]["scenes"]:
            raise UserError(f"{path}: [render] scenes must list at least one scene family")
        for index, scene in enumerate(data["render"]["scenes"]):
            _known_scene(path, f"[render] scenes[{index}]", scene)
    elif name == "scenes":
        _check_scenes(data, path, need)
    elif name == "mapping":
        _check_knobs(data, path)
    elif name == "imagery":
        _check_imagery(data, path)


def _check_scenes(data: dict, path: Path, need) -> None:
    """Every family has its words, layouts and feeling; no noun calls two families."""
    if not data:
        raise UserError(f"{path}: no scene family defined")
    caller: dict[str, str] = {}
    for family, table in data.items():
        if not isinstance(table, dict):
            raise UserError(f"{path}: {family} must be a table [{family}]")
        need(family, table, (*SCENE_TEXT_FIELDS, *SCENE_LIST_FIELDS, *SCENE_NUMBER_FIELDS))
        for key in SCENE_TEXT_FIELDS:
            if not isinstance(table[key], str) or not table[key].strip():
                raise UserError(f"{path}: [{family}] {key} must be non-empty text")
        for key in SCENE_LIST_FIELDS:
            if not isinstance(table[key], list) or not all(isinstance(w, str) and w.strip() for w in table[key]):
                raise UserError(f"{path}: [{family}] {key} must be a list of words")
        if not table["subjects"]:
            raise UserError(f"{path}: [{family}] subjects must name at least one subject")
        for key in SCENE_NUMBER_FIELDS:
            _number(path, f"[{family}] {key}", table[key])
            if not -1.0 <= table[key] <= 1.0:
                raise UserError(f"{path}: [{family}] {key} must be between -1 and 1, got {table[key]!r}")
        for word in table["words"]:
            if word != word.lower():
                raise UserError(f"{path}: [{family}] words: {word!r} must be lower case")
            if word in caller and caller[word] != family:
                raise UserError(f"{path}: [{family}] words: {word!r} already calls [{caller[word]}]")
            caller[word] = family


def _words(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(w, str) and w.strip() for w in value)


def _check_imagery(data: dict, path: Path) -> None:
    """Nouns per painter shape, the concepts (see `_check_concepts`), and Chinese words glossed by nouns of [shapes]
    (visualizer/mapping/concepts.py). [shapes] declares the shapes; the painter says which it cannot draw
    (`render.painter.keyframe`, and a test holds it to every shape here)."""
    for table in ("shapes", "concepts", "concepts_match", "nouns_zh"):
        if not isinstance(data.get(table), dict) or not data[table]:
            raise UserError(f"{path}: table [{table}] missing or empty")
    for shape, nouns in data["shapes"].items():
        if not _words(nouns):
            raise UserError(f"{path}: [shapes] {shape} must be a list of words")
    _check_concepts(data, path, set(data["shapes"]))
    nouns = {noun for words in data["shapes"].values() for noun in words}
    for noun, words in data["nouns_zh"].items():
        if noun not in nouns:
            raise UserError(f"{path}: [nouns_zh] {noun}: not a noun of [shapes] (its shape comes from there)")
        if not _words(words):
            raise UserError(f"{path}: [nouns_zh] {noun} must be a list of words")


def _check_concepts(data: dict, path: Path, shapes: set[str]) -> None:
    """Concepts in plain English, each with a shape of [shapes]; the match knobs of [concepts_match]."""
    for concept, entry in data["concepts"].items():
        key = f"[concepts] {concept!r}"
        if not PLAIN_WORDS.fullmatch(concept):
            raise UserError(f"{path}: {key}: use plain words (letters, spaces, ' and ,): it goes into the prompt")
        if not isinstance(entry, dict) or "shape" not in entry:
            raise UserError(f"{path}: {key} must be a table with a shape, e.g. {{ shape = \"waves\", names = [...] }}")
        if entry["shape"] not in shapes:
            raise UserError(f"{path}: {key} shape {entry['shape']!r} is not a shape of [shapes]; "
                            f"known: {', '.join(sorted(shapes))}")
        if "names" in entry and not _words(entry["names"]):
            raise UserError(f"{path}: {key} names must be a list of words")
    match = data["concepts_match"]
    for knob in ("min_similarity", "abstract", "unsafe"):
        if knob not in match:
            raise UserError(f"{path}: [concepts_match] lacks {knob}")
    _number(path, "[concepts_match] min_similarity", match["min_similarity"])
    if not -1.0 <= match["min_similarity"] <= 1.0:
        raise UserError(f"{path}: [concepts_match] min_similarity must be between -1 and 1, "
                        f"got {match['min_similarity']!r}")
    for knob in ("abstract", "unsafe"):
        if not _words(match[knob]):
            raise UserError(f"{path}: [concepts_match] {knob} must be a list of words")


def _check_knobs(data: dict, path: Path) -> None:
    """Every knob of MAPPING_KNOBS present with its type, and nothing else (a misspelt knob is not ignored)."""
    for table, knobs in MAPPING_KNOBS.items():
        if not isinstance(data.get(table), dict):
            raise UserError(f"{path}: table [{table}] missing")
        for knob, kind in knobs.items():
            if knob not in data[table]:
                raise UserError(f"{path}: [{table}] lacks the knob {knob}")
            _number(path, f"[{table}] {knob}", data[table][knob], kind)
        unknown = sorted(set(data[table]) - set(knobs))
        if unknown:
            raise UserError(f"{path}: [{table}] has unknown knob(s) {', '.join(unknown)}; known: {', '.join(knobs)}")
    unknown = sorted(set(data) - set(MAPPING_KNOBS))
    if unknown:
        raise UserError(f"{path}: unknown table(s) {', '.join(unknown)}; known: {', '.join(MAPPING_KNOBS)}")
