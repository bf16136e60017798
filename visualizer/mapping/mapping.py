"""`map_state`: an `InnerState` becomes a `Conditioning` — pure, deterministic, explained.

The object of desire is the subject; the feelings are the atmosphere. One picture is made in numbered steps
(`_picture`; one module per step in `visualizer.mapping.steps`), in this order, which is also the order of the
explanation:
  1. gentle      an entry with signs of crisis (`InnerState.crisis`) is painted by the safety rule of
                 prompts/safety.toml whoever calls (`visualizer.safety.policy`): a calm style at low strength,
                 light kept up, motion and storm kept down, no longing painted, nothing from the flagged
                 sentences in the prompt, and only the calm scene families it lists
  2. subject     desire phrases (strongest first, weighted by intensity), then concrete nouns from the text
                 (prompts/imagery.toml); Chinese desires and nouns are named in English
                 (`visualizer.mapping.concepts`): the nearest concept, or nothing; no Han character reaches a prompt
  3. mood        the top emotions, chosen here because they pull the scene
  4. scene       the scene family (prompts/scenes.toml) chosen from the desire, the imagery or the feeling; a
                 subject of the family when neither desire nor imagery is named; its composition words, layout by
                 dominance and motion by arousal; keyframes keep the entry's family, so a film stays in one place
  5. mood words  the top emotions as compel-weighted words, `(wistful)1.32`, weight from probability
  6. style       the style's words
  7. atmosphere  the dominant emotion's light, weather, texture; the palette nearest the reading on V/A/D, pulled
                 towards the palettes whose `affinity` lists the reading's emotions (prompts/palettes.toml); light
                 level (valence), motion (arousal) and the weather of stress, which always keeps a way out (a
                 light, a path), never injury or despair (prompts/compositions.toml)
  8. negative    base, humane, style, stress and safety negatives
  9. tweaks      brightness/warmth → latent channel offsets; arousal → contrast and turbulence; dominance → scale
 10. guidance    from intensity; `strength` multiplies every tweak (0 = plain noise, default guidance)
 11. palette     the palette's colours, the middle one tinted by the dominant emotion
 12. motif       what the motif painter draws: the shapes of desires and imagery, and the storm
 13. gentle      the strength the safety rule allowed
Every fragment and tweak is recorded in `explanation` with the score that produced it. The numbers (weights,
thresholds, tweak coefficients) are art direction too: prompts/mapping.toml, one comment per knob.
"""

from __future__ import annotations

import hashlib
import math
from typing import TYPE_CHECKING

from visualizer.errors import UserError
from visualizer.mapping import data
from visualizer.mapping.baseline_blend import baseline_weight, blend_baseline, explain_baseline
from visualizer.mapping.conditioning import Conditioning
from visualizer.mapping.latent import derive_seed
from visualizer.mapping.prompt import Prompt, rounded
from visualizer.mapping.reading import Reading, reading_of
from visualizer.mapping.steps.atmosphere import atmosphere
from visualizer.mapping.steps.gentle import gentle_reading, gentle_rule, strength_note
from visualizer.mapping.steps.mood import mood_words, strongest_emotions
from visualizer.mapping.steps.negative import negative_prompt
from visualizer.mapping.steps.palette import palette_colours
from visualizer.mapping.steps.scene import set_scene
from visualizer.mapping.steps.shapes import painter_motif
from visualizer.mapping.steps.style import resolve_style, style_words
from visualizer.mapping.steps.subject import choose_subject
from visualizer.mapping.steps.tweaks import guidance, latent_tweaks
from visualizer.safety.policy import GentlePicture

if TYPE_CHECKING:
    from visualizer.affect import InnerState
    from visualizer.affect.state import SentenceState


def check_strength(strength) -> float:
    """`strength` must be a number from 0 to 2; UserError otherwise."""
    if isinstance(strength, bool) or not isinstance(strength, (int, float)) or math.isnan(strength) \
            or not 0.0 <= float(strength) <= 2.0:
        raise UserError(f"strength must be between 0 and 2, got {strength!r}")
    return float(strength)


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
    # 1. what was asked: a known style, a strength in 0…2, the entry's identity
    style, strength = resolve_style(style), check_strength(strength)
    sentence_active = data.load("mapping")["prompt"]["sentence_active"]
    key = key or hashlib.sha256((state.text or "").encode()).hexdigest()[:16]
    # 2. the safety rule, for an entry with signs of crisis
    gentle = gentle_rule() if state.crisis else None
    # 3. the entry's reading (nothing of its flagged sentences), V/A/D blended with the writer's usual
    absolute = reading_of(gentle.calm_text(state.sentences) if gentle else state.text, state.emotions, state.active,
                          state.vad, state.stress, state.desires, state.anxiety, state.interest)
    weight = baseline_weight() if relative else 0.0
    entry = blend_baseline(absolute, relative, weight, gentle) if relative else absolute
    # 4. the entry's picture, and how its reading compares with the usual
    cond = _picture(entry, key=key, seed=seed, index=None, style=style, strength=strength, hint=[], gentle=gentle)
    if relative:
        explain_baseline(cond, absolute, entry, relative, weight, gentle is not None)
    # 5. one keyframe per sentence: the sentence's feelings, the entry's subject and scene
    for index, sentence in enumerate(state.sentences if len(state.sentences) >= 2 else []):
        reading = _sentence_reading(sentence, sentence_active, gentle)
        if relative:
            reading = blend_baseline(reading, relative, weight, gentle)
        cond.keyframes.append(_picture(reading, key=key, seed=seed, index=index, style=style, strength=strength,
                                       hint=entry.desires, gentle=gentle, kept_scene=cond.scene))
    return cond


def _sentence_reading(sentence: "SentenceState", sentence_active: float, gentle: GentlePicture | None) -> Reading:
    """One sentence's reading: its emotions from `sentence_active` on count as present; a flagged sentence of a
    crisis entry keeps its feelings but gives no words and no desires."""
    active = [label for label, p in sorted(sentence.emotions.items(), key=lambda i: -i[1]) if p >= sentence_active]
    flagged = gentle is not None and sentence.crisis
    return reading_of("" if flagged else sentence.text, sentence.emotions, active, sentence.vad, sentence.stress,
                      [] if flagged else sentence.desires, sentence.anxiety, sentence.interest)


def _picture(reading: Reading, *, key: str, seed: int, index: int | None, style: str, strength: float,
             hint: list[tuple[str, float]], gentle: GentlePicture | None, kept_scene: str = "") -> Conditioning:
    """One picture's conditioning, step by step: the entry's (`index` None) or its sentence `index`'s keyframe.
    `hint`: the entry's desires (a keyframe keeps its entry's subject); `kept_scene`: the entry's family (a
    keyframe keeps it), empty to choose one."""
    salt = f"{key}|{seed}"  # varies the words picked from lists by entry and seed, alike for entry and keyframes
    prompt, asked = Prompt(), style
    # 1. gentle: a crisis entry softened, in the calm style at low strength
    reading, style, strength = prompt.take(gentle_reading(reading, style, strength, gentle))
    # 2. subject: the object of desire first, then concrete imagery from the text
    subject = prompt.take(choose_subject(reading, hint, gentle))
    # 3. mood: the strongest emotions, the first dominant
    mood = strongest_emotions(reading)
    # 4. scene: the family, a subject of it when none is named, layout and motion
    family = prompt.take(set_scene(reading, subject, mood, kept_scene, gentle, salt))
    # 5. mood words
    prompt.add(mood_words(mood, salt))
    # 6. style
    prompt.add(style_words(style, asked, gentle is not None))
    # 7. atmosphere: light, weather, texture, palette words, light level, motion, stress weather
    palette_name, palette = prompt.take(atmosphere(reading, mood))
    # 8. negative prompt
    negatives = prompt.take(negative_prompt(reading, style, gentle))
    # 9. latent tweaks
    tweaks = prompt.take(latent_tweaks(reading, strength))
    # 10. guidance
    guidance_scale = prompt.take(guidance(subject.desires, mood, strength))
    # 11. palette colours
    colours = prompt.take(palette_colours(palette, mood))
    # 12. motif: shapes and storm for the painter
    motif = prompt.take(painter_motif(subject, reading, style, strength, gentle))
    # 13. gentle: the strength the safety rule allowed
    prompt.add(strength_note(strength, gentle))
    return Conditioning(
        prompt=", ".join(prompt.fragments), negative_prompt=", ".join(negatives), seed=derive_seed(key, seed, index),
        guidance_scale=guidance_scale, style=style, strength=strength, palette=colours, palette_name=palette_name,
        scene=family, tweaks=tweaks, motif=motif, subjects=subject.words, scores=_scores(reading, mood),
        explanation=prompt.explanation, user_seed=int(seed), key=key)


def _scores(reading: Reading, mood: list[tuple[str, float]]) -> dict:
    """The scores the picture was made from, as stored beside it."""
    return {"valence": rounded(reading.valence), "arousal": rounded(reading.arousal),
            "dominance": rounded(reading.dominance), "stress": rounded(reading.stress),
            "anxiety": rounded(reading.anxiety), "interest": rounded(reading.interest),
            "emotions": {k: rounded(v) for k, v in mood}, "desires": [[p, rounded(i)] for p, i in reading.desires]}
