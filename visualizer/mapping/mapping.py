"""`map_state`: an `InnerState` becomes a `Conditioning` — pure, deterministic, explained.

The object of desire is the subject; the feelings are the atmosphere. Concretely:
  subject     desire phrases (strongest first, weighted by intensity), then concrete nouns from the text
              (vocabulary in prompts/imagery.toml); a subject of the scene family only when neither exists.
              Chinese desires and nouns are named in English (`visualizer.mapping.concepts`): the nearest
              concept, or nothing; no Han character reaches a prompt
  scene       the scene family (prompts/scenes.toml; `visualizer.mapping.scenes`) chosen from the desire, the
              imagery or the feeling: its composition words, its layout by dominance and motion by arousal;
              keyframes keep the entry's family, so a film stays in one place
  mood        the top emotions as compel-weighted words, `(wistful)1.32`, weight from probability
  atmosphere  the dominant emotion's light, weather, texture; the palette nearest the reading on V/A/D, pulled
              towards the palettes whose `affinity` lists the reading's emotions (prompts/palettes.toml)
  V/A         light level (valence), motion (arousal) from prompts/compositions.toml
  stress      weather imagery that always keeps a way out (a light, a path); never injury or despair
  tweaks      brightness/warmth → latent channel offsets; arousal → contrast and turbulence; dominance → scale;
              intensity → guidance. `strength` multiplies every tweak (0 = plain noise, default guidance).
  crisis      an entry with signs of crisis (`InnerState.crisis`) is painted by the safety rule of
              prompts/safety.toml whoever calls: a calm style at low strength, light kept up, motion and
              storm kept down, no longing painted, nothing from the flagged sentences in the prompt, and only
              the calm scene families it lists.
Every fragment and tweak is recorded in `explanation` with the score that produced it. The numbers (weights,
thresholds, tweak coefficients) are art direction too: prompts/mapping.toml, one comment per knob.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from visualizer.errors import UserError
from visualizer.mapping import data
from visualizer.mapping.concepts import Concept, chinese_nouns, english_concept, noun_shapes
from visualizer.mapping.conditioning import Conditioning, LatentTweaks
from visualizer.mapping.latent import channel_offsets, derive_seed
from visualizer.mapping.scenes import choose_scene, layout_words
from visualizer.mapping.words import listed, words_of

if TYPE_CHECKING:
    from visualizer.affect import InnerState

_UNSAFE = re.compile(r"[^\w\s',]")  # compel reads ()[]+-.: as syntax; user text must not inject weights


def list_styles() -> list[str]:
    """Names accepted by `map_state(style=...)` (aliases such as "oil painting" are accepted too)."""
    return sorted(data.load("styles"))


def resolve_style(name: str) -> str:
    """Canonical style name for a name or alias; UserError listing the known styles otherwise."""
    styles = data.load("styles")
    wanted = (name or "").strip().lower()
    for style, table in styles.items():
        if wanted == style or wanted in [a.lower() for a in table.get("aliases", [])]:
            return style
    raise UserError(f"unknown style {name!r}; known styles: {', '.join(sorted(styles))}")


@dataclass(frozen=True)
class _Reading:
    """The scores one picture is made from: a whole entry or one sentence of it."""

    text: str
    emotions: dict[str, float]
    active: list[str]
    valence: float   # normalised −1…1
    arousal: float
    dominance: float
    stress: float
    desires: list[tuple[str, float]]  # (object, intensity), strongest first
    anxiety: float = 0.0   # 0…1: adds a little turbulence (mapping.toml [tweaks] turbulence_anxiety)
    interest: float = 0.0  # 0…1: adds a little contrast (mapping.toml [tweaks] contrast_interest)


def _reading(text, emotions, active, vad, stress, desires, anxiety=0.0, interest=0.0) -> _Reading:
    from visualizer.affect.crisis import is_harmful

    norm = vad.normalised()
    clip = lambda x: max(-1.0, min(1.0, float(x)))  # noqa: E731 - tiny local helper
    ranked: dict[str, float] = {}
    for desire in desires:
        phrase = _clean(desire.text)
        if phrase and not is_harmful(phrase) and phrase.lower() not in {k.lower() for k in ranked}:
            ranked[phrase] = max(0.0, min(1.0, float(desire.intensity)))
    return _Reading(text or "", {k: float(v) for k, v in emotions.items()}, list(active), clip(norm.valence),
                    clip(norm.arousal), clip(norm.dominance), max(0.0, min(1.0, float(stress))),
                    sorted(ranked.items(), key=lambda item: -item[1]),
                    max(0.0, min(1.0, float(anxiety))), max(0.0, min(1.0, float(interest))))


@dataclass(frozen=True)
class _Gentle:
    """The safety rule of prompts/safety.toml, for an entry with signs of crisis."""

    style: str
    strength: float
    min_valence: float
    max_arousal: float
    max_stress: float
    quiet_emotions: tuple[str, ...]
    negative: tuple[str, ...]
    scenes: tuple[str, ...]

    @classmethod
    def load(cls) -> "_Gentle":
        rule = data.load("safety")["render"]
        styles = data.load("styles")
        style = next((s for s in rule["styles"] if s in styles), None)
        if style is None:
            raise UserError(f"{data.prompts_dir() / 'safety.toml'}: none of the calm styles "
                            f"{', '.join(rule['styles'])} exists in styles.toml")
        return cls(style, float(rule["strength"]), float(rule["min_valence"]), float(rule["max_arousal"]),
                   float(rule["max_stress"]), tuple(rule["quiet_emotions"]), tuple(rule["negative"]),
                   tuple(rule["scenes"]))

    @property
    def avoided_words(self) -> set[str]:
        """Imagery nouns the rule keeps out of the prompt: every word of its negative prompt ("storm", "rope")."""
        return {word for phrase in self.negative for word in phrase.split()}

    def soften(self, reading: _Reading) -> _Reading:
        """Light kept up, motion and storm kept down, no longing in the mood: distress shown, never harm."""
        emotions = {k: (0.0 if k in self.quiet_emotions else v) for k, v in reading.emotions.items()}
        return replace(reading, emotions=emotions, active=[a for a in reading.active if a not in self.quiet_emotions],
                       valence=max(reading.valence, self.min_valence), arousal=min(reading.arousal, self.max_arousal),
                       stress=min(reading.stress, self.max_stress), anxiety=min(reading.anxiety, self.max_stress))


def _clean(text: str) -> str:
    return " ".join(_UNSAFE.sub(" ", text).split()).strip(" ,")


def _pick(options: list[str], *salt) -> str:
    """A deterministic, seed-dependent choice (variety across entries, identical across runs)."""
    digest = hashlib.sha256("\x1f".join(map(str, salt)).encode()).digest()
    return options[int.from_bytes(digest[:4], "big") % len(options)]


def _level(levels: list[dict], value: float) -> str:
    for level in levels:
        if value <= level["upto"]:
            return level["words"]
    return levels[-1]["words"]


class _Builder:
    """Collects prompt fragments and tweaks together with the score that produced each."""

    def __init__(self) -> None:
        self.fragments: list[str] = []
        self.explanation: list[dict] = []

    def explain(self, score: str, value, effect: str) -> None:
        self.explanation.append({"score": score, "value": _round(value), "effect": effect})

    def add(self, fragment: str, score: str, value, why: str = "") -> None:
        if fragment and fragment not in self.fragments:
            self.fragments.append(fragment)
            self.explain(score, value, f"prompt: {fragment}" + (f" ({why})" if why else ""))


def _round(value):
    return round(value, 3) if isinstance(value, float) else value


def _weight(term: str, weight: float) -> str:
    return f"({term}){weight:g}" if abs(weight - 1.0) > 1e-6 else term


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


def _named(phrase: str, gentle: "_Gentle | None") -> Concept | None:
    """The concept a desire is painted as (English as written; Chinese by nearest concept), None when it has none
    or when the safety rule avoids one of the looked-up concept's words."""
    concept = english_concept(phrase)
    looked_up = concept is not None and concept.similarity is not None
    if looked_up and gentle and gentle.avoided_words & set(words_of(concept.phrase)):
        return None
    return concept


def _mood_emotions(reading: _Reading) -> list[tuple[str, float]]:
    knobs = data.load("mapping")["prompt"]
    ranked = [label for label in reading.active if label in reading.emotions]
    ranked += [label for label, _ in sorted(reading.emotions.items(), key=lambda item: -item[1]) if label not in ranked]
    chosen = [(label, reading.emotions[label]) for label in ranked
              if label != "neutral" and reading.emotions[label] >= knobs["min_emotion"]][:knobs["mood_emotions"]]
    return chosen or [("neutral", reading.emotions.get("neutral", 1.0))]


def _palette(reading: _Reading, mood: list[tuple[str, float]]) -> tuple[str, dict]:
    palettes = data.load("palettes")
    affinity = data.load("mapping")["palette"]["affinity"]
    weights = dict(mood)

    def cost(item):
        name, table = item
        distance = math.dist((reading.valence, reading.arousal, reading.dominance),
                             (table["valence"], table["arousal"], table["dominance"]))
        return distance - affinity * sum(weights.get(e, 0.0) for e in table.get("affinity", [])), name

    return min(palettes.items(), key=cost)


def _mix_hex(a: str, b: str, t: float) -> str:
    ca = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb))


def _compose(reading: _Reading, *, seed: int, style: str, strength: float, subject_hint: list[tuple[str, float]],
             salt: str, gentle: _Gentle | None = None, scene: str = "") -> Conditioning:
    """One picture's conditioning. `scene` fixes the family (a keyframe keeps its entry's); empty chooses one."""
    emotions_data = data.load("emotions")
    styles = data.load("styles")
    comps = data.load("compositions")
    negative = data.load("negative")
    knobs = data.load("mapping")
    prompt_knobs, tweak_knobs = knobs["prompt"], knobs["tweaks"]
    max_subjects = prompt_knobs["max_subjects"]
    b = _Builder()
    asked = style
    if gentle:
        b.explain("crisis", True, "safety rule: some of the writing shows signs of crisis, so nothing from those "
                                  "sentences and no longing is painted; calm style, light kept up, no storm")
        reading = gentle.soften(reading)
        style, strength = gentle.style, min(strength, gentle.strength)

    # Subject: the object of desire first, then concrete imagery from the text, else a subject of the scene.
    mine = {p.lower() for p, _ in reading.desires}
    desires = reading.desires + [(p, i) for p, i in subject_hint if p.lower() not in mine]
    concepts = {phrase: _named(phrase, gentle) for phrase, _ in desires}
    subjects: list[str] = []
    for phrase, intensity in desires[:max_subjects]:
        concept = concepts[phrase]
        if concept is None:
            b.explain("desire", intensity, f"object of desire {phrase!r} has no concept near enough to paint: "
                                           "not named in the prompt")
            continue
        weight = prompt_knobs["desire_weight_base"] + prompt_knobs["desire_weight_per_intensity"] * intensity
        named = f" → {concept.phrase!r} (nearest concept, similarity {concept.similarity:.2f})" \
            if concept.similarity is not None else ""
        b.add(_weight(concept.phrase, round(weight, 2)), "desire", intensity,
              f"object of desire {phrase!r}{named}, weight from intensity")
        subjects.append(concept.phrase)
    found = _imagery(reading.text, subjects + [p for p, _ in desires[:max_subjects]])
    imagery = [(word, shape, written) for word, shape, written in found
               if not gentle or word not in gentle.avoided_words][:max_subjects - min(len(subjects), 1)]
    for word, _shape, written in imagery:
        b.add(word, "imagery", word, "concrete noun in the text" + (f" {written!r}" if written != word else ""))
    mood = _mood_emotions(reading)
    dominant, dominant_p = mood[0]
    entry = emotions_data[dominant]

    english = " ".join([reading.text, *(noun for _, noun in chinese_nouns(reading.text))])
    scene = _scene(b, reading, [concepts[p].phrase for p, _ in desires if concepts[p]], english, mood, scene, gentle)
    if not subjects and not imagery:
        b.add(_pick(data.load("scenes")[scene]["subjects"], salt, scene), "scene", scene,
              "no desire or imagery named: a subject of the scene")
    for fragment, score, value, why in layout_words(scene, reading.dominance, reading.arousal):
        b.add(fragment, score, value, why)

    # Mood: top emotions as weighted words (compel weights from probability, within mood_weight_min…max).
    for label, p in mood:
        word = _pick(emotions_data[label]["mood"], salt, label)
        weight = prompt_knobs["mood_weight_base"] + prompt_knobs["mood_weight_per_probability"] * p
        weight = min(prompt_knobs["mood_weight_max"], max(prompt_knobs["mood_weight_min"], weight))
        b.add(_weight(word, round(weight, 2)), f"emotion:{label}", p, "mood word, weight from probability")

    style_table = styles[style]
    b.add(style_table["prompt"], "style", style,
          f"calm style of the safety rule (asked for: {asked})" if gentle else "style chosen by the user")
    b.add(entry["light"], f"emotion:{dominant}", dominant_p, "light of the dominant emotion")
    b.add(entry["weather"], f"emotion:{dominant}", dominant_p, "weather of the dominant emotion")
    b.add(entry["texture"], f"emotion:{dominant}", dominant_p, "texture of the dominant emotion")
    palette_name, palette = _palette(reading, mood)
    pulled = [label for label, _ in mood if label in palette.get("affinity", [])]
    b.add(palette["words"], "valence+arousal+dominance",
          f"{reading.valence:+.2f}/{reading.arousal:+.2f}/{reading.dominance:+.2f}",
          f"palette {palette_name}" + (f", drawn by {' and '.join(pulled)}" if pulled else ""))
    b.add(_level(comps["valence"], reading.valence), "valence", reading.valence, "light level")
    b.add(_level(comps["arousal"], reading.arousal), "arousal", reading.arousal, "motion")
    b.add(_level(comps["stress"], reading.stress), "stress", reading.stress, "weather of stress, with a way out")

    negatives = list(dict.fromkeys([*negative["base"], *negative["humane"], style_table["negative"]]))
    b.explain("style", style, "negative: base, humane and style negatives")
    if reading.stress > prompt_knobs["stress_negative"]:
        negatives += negative["stress"]
        b.explain("stress", reading.stress, "negative: " + ", ".join(negative["stress"]))
    if gentle:
        negatives += [n for n in gentle.negative if n not in negatives]
        b.explain("crisis", True, "negative: " + ", ".join(gentle.negative))

    tweaks = _tweaks(reading, strength, tweak_knobs)
    b.explain("valence", reading.valence, f"tweak brightness {tweaks.brightness:+.3f} (× strength {strength})")
    b.explain("valence+arousal", f"{reading.valence:+.2f}/{reading.arousal:+.2f}",
              f"tweak warmth {tweaks.warmth:+.3f} (× strength {strength})")
    b.explain("valence", reading.valence, "tweak channel_offsets " + ", ".join(f"{o:+.3f}" for o in tweaks.channel_offsets)
              + " (SD latent ch0/ch1 brightness, ch2 red↔cyan, ch3 blue↔yellow)")
    b.explain("arousal+interest", f"{reading.arousal:+.2f}/{reading.interest:.2f}",
              f"tweak contrast ×{tweaks.contrast:.3f} (noise standard deviation; interest adds up to "
              f"+{tweak_knobs['contrast_interest']:g})")
    b.explain("arousal+stress+anxiety", f"{reading.arousal:+.2f}/{reading.stress:.2f}/{reading.anxiety:.2f}",
              f"tweak turbulence {tweaks.turbulence:.3f} (coarse swirling noise mixed in; anxiety adds up to "
              f"+{tweak_knobs['turbulence_anxiety']:g})")
    b.explain("dominance", reading.dominance, f"tweak scale {tweaks.scale:+.3f} (>0 big central subject, <0 small in wide space)")

    default_guidance = tweak_knobs["default_guidance"]
    intensity = max([i for _, i in desires[:1]] + [dominant_p if dominant != "neutral" else 0.0])
    guidance = round(default_guidance + strength * tweak_knobs["guidance"] * (intensity - 0.5), 3)
    b.explain("intensity", intensity, f"tweak guidance_scale {guidance} (default {default_guidance:g}; turbo models ignore it)")

    tint = emotions_data[dominant]["hex"]
    colours = list(palette["colours"])
    colours[len(colours) // 2] = _mix_hex(colours[len(colours) // 2], tint, knobs["palette"]["tint"])
    b.explain(f"emotion:{dominant}", dominant_p, f"palette: middle colour tinted {tint}")

    wished = [(concepts[p] or Concept(p, "disc"), i) for p, i in desires[:max_subjects]]  # none: the glowing disc
    shapes = [{"kind": c.shape, "label": c.phrase, "weight": round(i, 3)} for c, i in wished]
    shapes += [{"kind": shape, "label": word, "weight": 0.5} for word, shape, _ in imagery]
    for s in shapes:
        b.explain("desire" if s["label"] in {c.phrase for c, _ in wished} else "imagery", s["weight"],
                  f"motif: {s['kind']} for {s['label']!r}")
    storm = 0.0 if gentle else round(strength * reading.stress, 5)
    b.explain("stress", reading.stress, f"motif: storm {storm:.3f} (clouds and wind-bent lines; × strength)")
    if gentle:
        b.explain("crisis", True, f"strength {strength:g} (safety rule; at most {gentle.strength:g})")

    scores = {"valence": _round(reading.valence), "arousal": _round(reading.arousal),
              "dominance": _round(reading.dominance), "stress": _round(reading.stress),
              "anxiety": _round(reading.anxiety), "interest": _round(reading.interest),
              "emotions": {k: _round(v) for k, v in mood}, "desires": [[p, _round(i)] for p, i in reading.desires]}
    return Conditioning(
        prompt=", ".join(b.fragments), negative_prompt=", ".join(negatives), seed=seed, guidance_scale=guidance,
        style=style, strength=strength, palette=colours, palette_name=palette_name, scene=scene, tweaks=tweaks,
        motif={**style_table["motif"], "shapes": shapes, "storm": storm},
        subjects=subjects + [w for w, _, _ in imagery], scores=scores, explanation=b.explanation)


def _scene(b: _Builder, reading: _Reading, desires: list[str], text: str, mood: list[tuple[str, float]], kept: str,
           gentle: _Gentle | None) -> str:
    """The scene family: `kept` (a keyframe keeps its entry's), else chosen from the desires, the imagery of `text`
    (the English words of the entry) or the feeling, among the safety rule's calm families for a crisis entry.
    Explained either way."""
    if kept:
        b.explain("scene", kept, f"scene: {kept}, the entry's scene, kept so the film stays in one place")
        return kept
    choice = choose_scene(desires, text, mood, reading.valence, reading.arousal, reading.dominance,
                          allowed=gentle.scenes if gentle else None)
    b.explain(choice.cue if choice.cue != "feeling" else "valence+arousal+dominance", choice.value,
              choice.effect + (" (the safety rule allows only calm scenes)" if gentle else ""))
    return choice.family


def _tweaks(reading: _Reading, strength: float, k: dict) -> LatentTweaks:
    """Latent tweaks from V/A/D, stress, anxiety and interest with the coefficients of mapping.toml [tweaks]."""
    brightness = strength * k["brightness"] * reading.valence
    warmth = strength * (k["warmth_valence"] * reading.valence + k["warmth_arousal"] * reading.arousal)
    contrast = 1.0 + strength * (k["contrast_arousal"] * reading.arousal + k["contrast_interest"] * reading.interest)
    turbulence = strength * (k["turbulence_arousal"] * (reading.arousal + 1.0)
                             * (k["turbulence_calm"] + k["turbulence_stress"] * reading.stress)
                             + k["turbulence_anxiety"] * reading.anxiety)
    return LatentTweaks(brightness=round(brightness, 5), warmth=round(warmth, 5),
                        channel_offsets=tuple(channel_offsets(brightness, warmth)), contrast=round(contrast, 5),
                        turbulence=round(min(1.0, turbulence), 5), scale=round(strength * k["scale"] * reading.dominance, 5))


def _explain_baseline(cond: Conditioning, absolute: _Reading, blended: _Reading, relative: dict, weight: float,
                      gentle: bool) -> None:
    """Say first in the explanation how the entry compares with the writer's usual and what that changed."""
    from visualizer.affect.baseline import describe

    values = "/".join(f"{relative.get(k, 0.0):+.1f}" for k in ("valence", "arousal", "dominance"))
    effect = (f"personal baseline: {describe(relative)}; V/A/D used = {1 - weight:g}·absolute + {weight:g}·relative "
              f"(valence {absolute.valence:+.2f} → {blended.valence:+.2f}, arousal {absolute.arousal:+.2f} → "
              f"{blended.arousal:+.2f}, dominance {absolute.dominance:+.2f} → {blended.dominance:+.2f})")
    if gentle:
        effect += "; safety rule: the baseline may only brighten and calm this entry"
    cond.explanation.insert(0, {"score": "baseline", "value": values, "effect": effect})
    cond.scores["baseline"] = {k: v for k, v in relative.items()}
    cond.scores["absolute"] = {k: _round(getattr(absolute, k)) for k in ("valence", "arousal", "dominance")}


def check_strength(strength) -> float:
    """`strength` must be a number from 0 to 2; UserError otherwise."""
    if isinstance(strength, bool) or not isinstance(strength, (int, float)) or math.isnan(strength) \
            or not 0.0 <= float(strength) <= 2.0:
        raise UserError(f"strength must be between 0 and 2, got {strength!r}")
    return float(strength)


def baseline_weight() -> float:
    """The blend weight of the personal baseline, `[baseline] weight` of prompts/compositions.toml (0…1)."""
    from visualizer.affect.baseline import DEFAULT_WEIGHT

    weight = data.load("compositions").get("baseline", {}).get("weight", DEFAULT_WEIGHT)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0.0 <= float(weight) <= 1.0:
        raise UserError(f"{data.prompts_dir() / 'compositions.toml'}: [baseline] weight must be between 0 and 1, "
                        f"got {weight!r}")
    return float(weight)


def _relative_vad(reading: _Reading, relative, weight: float, gentle: bool) -> _Reading:
    """The personal-baseline blend of `visualizer.affect.baseline`: (1 − w)·absolute + w·relative on V/A/D.

    For a crisis entry only the gentler direction is taken (valence up, arousal down, dominance kept), so the
    baseline never makes its picture darker or stormier.
    """
    from visualizer.affect.baseline import blend

    valence = blend(reading.valence, relative.get("valence"), weight)
    arousal = blend(reading.arousal, relative.get("arousal"), weight)
    dominance = blend(reading.dominance, relative.get("dominance"), weight)
    if gentle:
        valence, arousal, dominance = max(valence, reading.valence), min(arousal, reading.arousal), reading.dominance
    return replace(reading, valence=valence, arousal=arousal, dominance=dominance)


def map_state(state: "InnerState", *, seed: int = 0, style: str = "watercolor", strength: float = 1.0,
              key: str = "", relative: dict | None = None) -> Conditioning:
    """Map one entry's reading to conditioning for the render backends.

    `seed` is the user's seed; `key` the entry's stable identity (`Entry.key`; a hash of the text when
    empty). Both go through SHA-256 into `Conditioning.seed`, so two entries never share noise by
    accident and one entry always gets the same. `strength` (0…2) scales every latent tweak and the
    guidance offset; 0 gives plain noise. Entries with two or more sentences get one keyframe per
    sentence (`keyframes`), which keep the entry's desires as subject and its scene family (a film stays in
    one place; its layout still follows each sentence) and take the sentence's feelings.
    When `state.crisis` is set, the safety rule of prompts/safety.toml overrides style and strength and
    keeps the flagged sentences' words out of every prompt (see the module docstring).
    `relative` is the entry's reading against the writer's usual (`visualizer.affect.baseline`): when given,
    V/A/D become (1 − w)·absolute + w·relative (w from prompts/compositions.toml) for the entry and its
    keyframes, and the explanation says how the entry compares with the usual.
    Raises UserError for an unknown style or a strength outside 0…2.
    """
    style = resolve_style(style)
    strength = check_strength(strength)
    sentence_active = data.load("mapping")["prompt"]["sentence_active"]
    key = key or hashlib.sha256((state.text or "").encode()).hexdigest()[:16]
    gentle = _Gentle.load() if state.crisis else None
    calm_text = " ".join(s.text for s in state.sentences if not s.crisis) if gentle else state.text
    entry = _reading(calm_text, state.emotions, state.active, state.vad, state.stress, state.desires,
                     state.anxiety, state.interest)
    weight = baseline_weight() if relative else 0.0
    absolute = entry
    if relative:
        entry = _relative_vad(entry, relative, weight, gentle is not None)
    cond = _compose(entry, seed=derive_seed(key, seed), style=style, strength=strength, subject_hint=[],
                    salt=f"{key}|{seed}", gentle=gentle)
    cond.user_seed, cond.key = int(seed), key
    if relative:
        _explain_baseline(cond, absolute, entry, relative, weight, gentle is not None)
    if len(state.sentences) >= 2:
        for index, sentence in enumerate(state.sentences):
            active = [label for label, p in sorted(sentence.emotions.items(), key=lambda i: -i[1])
                      if p >= sentence_active]
            flagged = gentle is not None and sentence.crisis
            reading = _reading("" if flagged else sentence.text, sentence.emotions, active, sentence.vad,
                               sentence.stress, [] if flagged else sentence.desires,
                               sentence.anxiety, sentence.interest)
            if relative:
                reading = _relative_vad(reading, relative, weight, gentle is not None)
            frame = _compose(reading, seed=derive_seed(key, seed, index), style=style, strength=strength,
                             subject_hint=entry.desires, salt=f"{key}|{seed}", gentle=gentle,
                             scene=cond.scene)
            frame.user_seed, frame.key = int(seed), key
            cond.keyframes.append(frame)
    return cond
