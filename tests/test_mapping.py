"""Mapping: InnerState → Conditioning is deterministic, monotone in the scores, explained, and data-driven."""

import json
import subprocess
import sys

import pytest

from visualizer.affect.state import VAD, Desire, InnerState, SentenceState
from visualizer.errors import UserError
from visualizer.mapping import Conditioning, list_styles, map_state
from visualizer.affect.labels import EMOTIONS
from visualizer.mapping.data import load
from visualizer.mapping.latent import offsets_to_rgb


def emotions(**scores):
    return {label: 0.01 for label in EMOTIONS} | scores


def state(valence=3.0, arousal=3.0, dominance=3.0, stress=0.2, desires=(), text="A day.", sentences=(), **emo):
    scores = emotions(**(emo or {"neutral": 0.8}))
    active = [k for k, v in sorted(scores.items(), key=lambda i: -i[1]) if v >= 0.3]
    return InnerState(text=text, emotions=scores, active=active, vad=VAD(valence, arousal, dominance), stress=stress,
                      desires=list(desires), sentences=list(sentences))


SEA = state(2.6, 3.4, 2.5, 0.55, [Desire("the sea", 0.8, "I wish I could", 1)],
            "The city was loud. I wish I could see the sea again with my sister.",
            [SentenceState("The city was loud.", emotions(annoyance=0.5), VAD(2.4, 3.8, 2.6), 0.7),
             SentenceState("I wish I could see the sea again with my sister.", emotions(desire=0.8, sadness=0.4),
                           VAD(3.1, 2.8, 2.7), 0.3, [Desire("the sea", 0.8, "I wish", 1)])],
            desire=0.7, sadness=0.45, love=0.3)


def test_same_input_and_seed_give_identical_conditioning():
    assert map_state(SEA, seed=7, key="e1").to_dict() == map_state(SEA, seed=7, key="e1").to_dict()
    assert map_state(SEA, seed=7, key="e1").seed != map_state(SEA, seed=8, key="e1").seed
    assert map_state(SEA, seed=7, key="e1").seed != map_state(SEA, seed=7, key="e2").seed


def test_round_trip_through_json():
    cond = map_state(SEA, seed=3, style="ink")
    again = Conditioning.from_dict(json.loads(json.dumps(cond.to_dict())))
    assert again == cond
    assert len(again.keyframes) == 2


def test_desire_is_the_subject_and_top_emotions_are_weighted_moods():
    cond = map_state(SEA, seed=1)
    assert cond.prompt.startswith("(the sea)1.42")
    words = load("emotions")
    for label in ("desire", "sadness", "love"):
        assert any(f"({w})" in cond.prompt for w in words[label]["mood"]), label
    assert "city" in cond.prompt  # concrete imagery from the text
    assert "gore" in cond.negative_prompt  # humane negatives always apply


def test_no_desire_uses_imagery_or_a_subject_of_the_scene():
    joy = state(4.6, 4.4, 4.0, 0.05, text="Dancing in the kitchen with the dog.", joy=0.9, excitement=0.7)
    assert map_state(joy).prompt.startswith("kitchen, dog")
    quiet = map_state(state(text="Nothing much.", neutral=0.9))
    assert quiet.scene == load("emotions")["neutral"]["scene"]  # a flat reading: the neutral feeling's family
    assert any(quiet.prompt.startswith(subject) for subject in load("scenes")[quiet.scene]["subjects"])


def test_user_text_cannot_inject_prompt_weights():
    tricky = state(desires=[Desire("rock-n-roll (loud)2.0 [x]", 0.5)], joy=0.6)
    prompt = map_state(tricky).prompt
    assert "(loud)2.0" not in prompt and "[" not in prompt


def brightness(cond):
    return float(offsets_to_rgb(cond.tweaks.channel_offsets).mean())


def test_higher_valence_gives_brighter_offsets():
    values = [brightness(map_state(state(valence=v, joy=0.5))) for v in (1.0, 2.0, 3.0, 4.0, 5.0)]
    assert values == sorted(values) and values[0] < 0 < values[-1]


def test_higher_arousal_gives_more_turbulence():
    turbulence = [map_state(state(arousal=a, joy=0.5)).tweaks.turbulence for a in (1.0, 2.0, 3.0, 4.0, 5.0)]
    contrast = [map_state(state(arousal=a, joy=0.5)).tweaks.contrast for a in (1.0, 3.0, 5.0)]
    assert turbulence == sorted(turbulence) and turbulence[0] < turbulence[-1]
    assert contrast == sorted(contrast)


def test_strength_zero_means_no_tweaks():
    cond = map_state(SEA, strength=0.0)
    assert cond.tweaks.is_identity and cond.guidance_scale == 7.0 and cond.motif["storm"] == 0.0
    assert not map_state(SEA, strength=1.0).tweaks.is_identity


def test_every_fragment_and_tweak_is_explained():
    cond = map_state(SEA, seed=2)
    effects = [item["effect"] for item in cond.explanation]
    assert all(set(item) == {"score", "value", "effect"} for item in cond.explanation)
    for fragment in cond.prompt.split(", "):
        assert any(fragment in effect for effect in effects if effect.startswith("prompt: ")), fragment
    for tweak in ("brightness", "warmth", "channel_offsets", "contrast", "turbulence", "scale", "guidance_scale"):
        assert any(effect.startswith(f"tweak {tweak}") for effect in effects), tweak
    assert any(effect.startswith("motif: storm") for effect in effects)


def test_high_stress_adds_weather_with_a_way_out():
    calm, tense = map_state(state(stress=0.1, fear=0.6)), map_state(state(stress=0.9, fear=0.6))
    assert "storm" not in calm.prompt and "storm clouds" in tense.prompt and "light" in tense.prompt
    assert "despair" in tense.negative_prompt


def test_keyframes_follow_the_sentence_arc_and_keep_the_subject():
    cond = map_state(SEA, seed=1)
    assert [k.seed for k in cond.keyframes] == [k.seed for k in map_state(SEA, seed=1).keyframes]
    assert all("(the sea)" in k.prompt for k in cond.keyframes)
    assert cond.keyframes[0].tweaks.turbulence > cond.keyframes[1].tweaks.turbulence  # agitated → calmer


def test_styles_and_bad_input():
    styles = list_styles()
    assert len(styles) >= 8 and {"watercolor", "oil", "ink", "woodcut", "abstract"} <= set(styles)
    assert map_state(SEA, style="Oil Painting").style == "oil"
    with pytest.raises(UserError, match="known styles"):
        map_state(SEA, style="crayon")
    with pytest.raises(UserError):
        map_state(SEA, strength=-1)


def test_emotion_vocabulary_covers_all_28_labels():
    data = load("emotions")
    assert set(EMOTIONS) <= set(data)
    assert all(data[e]["mood"] and data[e]["light"] and data[e]["hex"].startswith("#") for e in EMOTIONS)


# -- the safety rule ----------------------------------------------------------------------------------

def crisis_state() -> InnerState:
    """A dark, stormy entry whose second sentence is a wish to die; the reading lets a harmful desire through
    on purpose, so the mapping's own guard is tested too."""
    flagged = SentenceState("I want to jump off the bridge and end my life.", emotions(desire=0.7, sadness=0.6),
                            VAD(1.2, 4.6, 1.5), 0.95, crisis=True)
    calm = SentenceState("My cat slept through the storm.", emotions(neutral=0.6), VAD(3.0, 2.5, 3.0), 0.2)
    entry = state(1.3, 4.5, 1.4, 0.95, [Desire("to end my life", 0.9, "I want", 0)],
                  f"{flagged.text} {calm.text}", [flagged, calm], desire=0.8, sadness=0.6, fear=0.4)
    entry.crisis = True
    return entry


def test_a_crisis_entry_is_painted_by_the_safety_rule_whatever_was_asked():
    rule = load("safety")["render"]
    cond = map_state(crisis_state(), seed=1, style="oil", strength=2.0, key="k")
    for frame in [cond, *cond.keyframes]:
        text = json.dumps({k: v for k, v in frame.to_dict().items() if k != "explanation"}).lower()
        for word in ("end my life", "bridge", "jump", "longing", "yearning", "storm,"):
            assert word not in frame.prompt.lower(), (word, frame.prompt)
        assert "end my life" not in text and "bridge" not in frame.subjects
        assert frame.style == rule["styles"][0] and frame.strength == rule["strength"]
        assert frame.motif["storm"] == 0.0
        assert "dim subdued light" not in frame.prompt and "turbulent" not in frame.prompt
        assert all(n in frame.negative_prompt for n in rule["negative"])
    effects = " ".join(e["effect"] for e in cond.explanation)
    assert "safety rule" in effects and "style chosen by the user" not in effects
    assert "cat" in cond.subjects  # the calm sentence's imagery still paints


def test_the_same_entry_without_the_flag_keeps_its_ordinary_mapping():
    entry = crisis_state()
    entry.crisis = False
    cond = map_state(entry, seed=1, style="oil", strength=2.0, key="k")
    assert cond.style == "oil" and cond.strength == 2.0 and cond.motif["storm"] > 0.5
    assert "end my life" not in cond.prompt  # a harmful object is never a subject, flag or not


def test_the_gentle_picture_policy_is_the_safety_package_s_and_needs_no_mapping():
    code = "import sys, visualizer.safety\nprint(*sorted(m for m in sys.modules if m.startswith('visualizer')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert "visualizer.safety.policy" in loaded
    assert not [m for m in loaded if m.startswith("visualizer.mapping")], loaded


def test_anxiety_adds_a_little_turbulence_and_interest_a_little_contrast():
    from dataclasses import replace

    calm, anxious = state(arousal=3.2, fear=0.5), replace(state(arousal=3.2, fear=0.5), anxiety=1.0)
    a, b = map_state(calm), map_state(anxious)
    assert 0 < b.tweaks.turbulence - a.tweaks.turbulence <= 0.08 + 1e-9
    assert b.scores["anxiety"] == 1.0 and a.scores["anxiety"] == 0.0 and "interest" in a.scores
    c = map_state(replace(state(arousal=3.2, curiosity=0.5), interest=1.0))
    assert 0 < c.tweaks.contrast - map_state(state(arousal=3.2, curiosity=0.5)).tweaks.contrast <= 0.03 + 1e-9
    assert any("anxiety" in item["score"] for item in b.explanation)
    flagged = replace(anxious, crisis=True)
    assert map_state(flagged).scores["anxiety"] <= load("safety")["render"]["max_stress"]


def test_calibrated_scale_reaches_the_outer_levels():
    bright = map_state(state(valence=3.6, arousal=3.5, joy=0.8)).prompt
    dark = map_state(state(valence=2.4, arousal=2.6, sadness=0.8)).prompt
    levels = load("compositions")
    assert levels["valence"][-1]["words"] in bright and levels["arousal"][-1]["words"] in bright
    assert levels["valence"][0]["words"] in dark
    assert levels["valence"][2]["words"] in map_state(state()).prompt  # a neutral reading stays in the middle
