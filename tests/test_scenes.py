"""Scene families: chosen from desire, then imagery, then feeling; kept calm for crisis; data checked; varied."""

from pathlib import Path

import pytest

from visualizer.affect.calibration import calibrate
from visualizer.affect.state import VAD, Desire, InnerState, SentenceState
from visualizer.errors import UserError
from visualizer.mapping import map_state
from visualizer.affect.labels import EMOTIONS
from visualizer.mapping.data import load
from visualizer.mapping.steps.scene import choose_scene

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_CRISIS = {"storm_front", "night_sky", "city_night"}


def raw(dimension: str, normalised: float) -> float:
    """The EmoBank 1–5 value whose calibrated reading is `normalised` (the calibration is monotone)."""
    lo, hi = 1.0, 5.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if calibrate(dimension, mid) < normalised else (lo, mid)
    return (lo + hi) / 2


def state(v=0.0, a=0.0, d=0.0, stress=0.1, text="A day.", desires=(), sentences=(), **emotions) -> InnerState:
    """A reading at normalised V/A/D with the given emotions (the rest faint)."""
    scores = {label: 0.01 for label in EMOTIONS} | (emotions or {"neutral": 0.8})
    active = [k for k, p in sorted(scores.items(), key=lambda i: -i[1]) if p >= 0.3]
    return InnerState(text, scores, active, VAD(raw("valence", v), raw("arousal", a), raw("dominance", d)), stress,
                      desires=list(desires), sentences=list(sentences))


def scene_effect(cond) -> str:
    return next(item["effect"] for item in cond.explanation if item["effect"].startswith("scene: "))


# -- the choice: desire > imagery > feeling -----------------------------------------------------------------------

def test_the_object_of_desire_chooses_before_imagery_and_feeling():
    entry = state(-0.6, 0.7, 0.3, text="Another fight in the kitchen. I wish I could see the sea.",
                  desires=[Desire("the sea", 0.8, "I wish I could")], anger=0.8)
    cond = map_state(entry)
    assert cond.scene == "shoreline"
    assert scene_effect(cond) == "scene: shoreline, because you long for 'the sea'"


def test_imagery_chooses_before_the_feeling_and_the_most_named_place_wins():
    angry = state(-0.6, 0.7, 0.3, text="Another fight in the kitchen, then the city traffic and the train.", anger=0.8)
    cond = map_state(angry)
    assert cond.scene == "city_night"  # city, traffic, train outnumber kitchen
    assert "'city', 'traffic' and 'train'" in scene_effect(cond)
    assert map_state(state(-0.6, 0.7, 0.3, text="We argued in the kitchen.", anger=0.8)).scene == "window"
    # a desire phrase with no place in it leaves the choice to the imagery
    vague = state(text="Rain on the window.", desires=[Desire("something different", 0.6)], neutral=0.8)
    assert map_state(vague).scene == "window"


def test_ties_in_imagery_go_to_the_place_named_first():
    assert map_state(state(text="I ran past the house.", joy=0.7)).scene == "open_field"
    assert map_state(state(text="The house, then I ran.", joy=0.7)).scene == "window"


@pytest.mark.parametrize("reading, family", [
    (dict(v=-0.6, a=0.7, d=0.3, anger=0.8), "storm_front"),
    (dict(v=-0.6, a=0.5, d=-0.5, fear=0.8), "night_sky"),
    (dict(v=-0.6, a=0.0, d=-0.3, sadness=0.8), "shoreline"),
    (dict(v=0.7, a=0.2, d=0.3, joy=0.8), "garden"),
    (dict(v=0.6, a=0.5, d=0.5, optimism=0.8), "open_field"),
    (dict(v=0.0, a=0.0, d=0.0, neutral=0.9), "colour_field"),
])
def test_an_entry_that_names_nothing_gets_a_considered_scene_from_its_feeling(reading, family):
    cond = map_state(state(text="It was a day like that.", **reading))
    assert cond.scene == family
    assert "no place is named and the feeling suits it" in scene_effect(cond)
    assert cond.prompt and cond.subjects == []  # never an empty frame: the scene gives the subject
    assert cond.prompt.split(", ")[0] in load("scenes")[family]["subjects"]


def test_every_family_is_reachable_by_desire_imagery_and_feeling_alone():
    scenes, emotions = load("scenes"), load("emotions")
    for family, table in scenes.items():
        word = table["words"][0] if table["words"] else None
        if word:
            assert choose_scene([f"the {word}"], "", [("neutral", 0.9)], 0, 0, 0).family == family
            assert choose_scene([], f"Today, the {word}.", [("neutral", 0.9)], 0, 0, 0).family == family
        callers = [label for label in EMOTIONS if emotions[label]["scene"] == family]
        assert callers, f"no emotion calls {family}"
        centre = (table["valence"], table["arousal"], table["dominance"])
        assert choose_scene([], "", [(callers[0], 0.8)], *centre).family == family


def test_the_feeling_choice_weighs_emotions_against_valence_arousal_dominance():
    """The same emotion at a very different place on V/A/D can land elsewhere: the reading is more than a label."""
    assert choose_scene([], "", [("fear", 0.1)], 0.5, 0.2, 0.2).family == "garden"  # a pleasant reading, faint fear
    assert choose_scene([], "", [("fear", 0.9)], 0.5, 0.2, 0.2).family == "night_sky"  # the same, fear strong


# -- layout, vocabulary, explanation, keyframes -------------------------------------------------------------------

def test_prompts_carry_the_family_vocabulary_and_layout_follows_dominance_and_arousal():
    scenes = load("scenes")
    low = map_state(state(-0.6, -0.7, -0.8, text="At the beach.", sadness=0.7))
    high = map_state(state(-0.6, 0.8, 0.8, text="At the beach.", sadness=0.7))
    table = scenes["shoreline"]
    for cond in (low, high):
        assert cond.scene == "shoreline" and table["prompt"] in cond.prompt
    assert table["wide"] in low.prompt and table["close"] not in low.prompt and table["still"] in low.prompt
    assert table["close"] in high.prompt and table["wide"] not in high.prompt and table["stirred"] in high.prompt
    middle = map_state(state(0.0, 0.0, 0.0, text="At the beach.", neutral=0.7))
    assert table["middle"] in middle.prompt
    assert not any(table[k] in middle.prompt for k in ("still", "stirred"))


def test_the_scene_is_in_the_conditioning_its_sidecar_and_the_explanation():
    cond = map_state(state(text="Walked by the river.", joy=0.6))
    assert cond.to_dict()["scene"] == "shoreline"
    assert scene_effect(cond).startswith("scene: shoreline, because you wrote of 'river'")


def test_keyframes_keep_the_entry_scene_while_their_layout_follows_each_sentence():
    first = SentenceState("The office was loud and the train was late.", {"annoyance": 0.7}, VAD(2.2, 4.2, 3.4), 0.6)
    second = SentenceState("I wish I could see the sea.", {"desire": 0.8}, VAD(3.1, 2.4, 2.2), 0.2,
                           [Desire("the sea", 0.8, "I wish I could", 1)])
    entry = state(-0.2, 0.3, 0.0, text=f"{first.text} {second.text}", desires=[Desire("the sea", 0.8)],
                  sentences=[first, second], desire=0.7, annoyance=0.5)
    cond = map_state(entry, seed=3)
    assert cond.scene == "shoreline" and len(cond.keyframes) == 2
    assert [k.scene for k in cond.keyframes] == ["shoreline", "shoreline"]
    prompt = load("scenes")["shoreline"]["prompt"]
    assert all(prompt in k.prompt for k in cond.keyframes)
    assert any(e["effect"].startswith("scene: shoreline, the entry's scene") for e in cond.keyframes[0].explanation)


# -- the safety rule ---------------------------------------------------------------------------------------------

def test_crisis_entries_only_get_the_calm_families_of_the_safety_rule():
    allowed = set(load("safety")["render"]["scenes"])
    assert allowed and not allowed & FORBIDDEN_IN_CRISIS
    dark_words = "The storm, the night, the city street and the dark woods."
    for label in EMOTIONS:
        for v, a, d in ((-0.9, 0.9, -0.9), (-0.6, 0.7, 0.4), (0.0, 0.0, 0.0)):
            flagged = SentenceState("I want to disappear.", {label: 0.9}, VAD(1.2, 4.6, 1.5), 0.95, crisis=True)
            calm = SentenceState(dark_words, {label: 0.9}, VAD(2.0, 4.0, 2.0), 0.8)
            entry = state(v, a, d, stress=0.95, text=f"{flagged.text} {calm.text}", sentences=[flagged, calm],
                          desires=[Desire("the night sky", 0.9)], **{label: 0.9})
            entry.crisis = True
            cond = map_state(entry, key="k")
            for frame in [cond, *cond.keyframes]:
                assert frame.scene in allowed, (label, v, a, d, frame.scene)
                assert not any(load("scenes")[f]["prompt"] in frame.prompt for f in FORBIDDEN_IN_CRISIS)
            assert "safety rule allows only calm scenes" in scene_effect(cond)
    unflagged = state(-0.6, 0.5, -0.5, text=dark_words, fear=0.9)
    assert map_state(unflagged).scene not in allowed  # the same words outside a crisis may be dark


# -- the data files: unknown scenes, missing keys, knobs ---------------------------------------------------------

ANGRY = dict(v=-0.6, a=0.7, d=0.3, text="It was a day like that.", anger=0.8)


def test_an_unknown_scene_in_emotions_toml_names_the_file_and_key(prompts):
    prompts("emotions", 'scene = "storm_front"', 'scene = "volcano"')
    with pytest.raises(UserError, match=r"emotions\.toml: \[anger\] scene names an unknown scene family 'volcano'"):
        map_state(state(**ANGRY))


def test_an_unknown_scene_in_the_safety_rule_names_the_file_and_key(prompts):
    prompts("safety", 'scenes = ["garden",', 'scenes = ["gardn",')
    entry = state(**ANGRY)
    entry.crisis = True
    with pytest.raises(UserError, match=r"safety\.toml: \[render\] scenes\[0\] names an unknown scene family 'gardn'"):
        map_state(entry)


@pytest.mark.parametrize("old, new, message", [
    ('still = "glassy calm water"\n', "", r"scenes\.toml: \[shoreline\] lacks still"),
    ('valence = -0.4', 'valence = "low"', r"scenes\.toml: \[shoreline\] valence must be a number"),
    ('subjects = ["an empty pier reaching into the water", "a small boat drawn up on the sand",\n'
     '            "a lighthouse on the far point", "footprints along the waterline"]', "subjects = []",
     r"scenes\.toml: \[shoreline\] subjects must name at least one subject"),
    ('"lake", "river"', '"lake", "street"', r"scenes\.toml: \[city_night\] words\[1\] 'street' already calls \[shoreline\]"),
])
def test_a_broken_scenes_file_names_the_file_and_key(prompts, old, new, message):
    prompts("scenes", old, new)
    with pytest.raises(UserError, match=message):
        map_state(state(**ANGRY))


@pytest.mark.parametrize("old, new, message", [
    ("brightness = 0.9\n", "", r"mapping\.toml: \[tweaks\] lacks brightness"),
    ("brightness = 0.9", 'brightness = "bright"', r"mapping\.toml: \[tweaks\] brightness must be a number"),
    ("max_subjects = 3", "max_subjects = 2.5", r"mapping\.toml: \[prompt\] max_subjects must be a whole number"),
    ("tint = 0.5", "tint = 0.5\ntnit = 0.4", r"mapping\.toml: \[palette\] has unknown knob\(s\) tnit"),
])
def test_a_broken_knob_names_the_file_and_key(prompts, old, new, message):
    prompts("mapping", old, new)
    with pytest.raises(UserError, match=message):
        map_state(state(**ANGRY))


def test_the_knobs_are_read_from_the_file(prompts, monkeypatch):
    prompts("mapping", "brightness = 0.9", "brightness = 0.0")
    prompts("mapping", "default_guidance = 7.0", "default_guidance = 5.0")
    edited = map_state(state(0.8, 0.5, 0.5, text="A day.", joy=0.8))
    monkeypatch.delenv("VISUALIZER_PROMPTS")
    shipped = map_state(state(0.8, 0.5, 0.5, text="A day.", joy=0.8))
    assert shipped.tweaks.brightness > 0 and edited.tweaks.brightness == 0.0
    assert edited.guidance_scale == pytest.approx(shipped.guidance_scale - 2.0)
    assert edited.tweaks.warmth == shipped.tweaks.warmth


# -- variety on the example journal (reads it with the real model, a few seconds) --------------------------------

def _close(a: InnerState, b: InnerState) -> bool:
    """Two readings are close when they share the dominant emotion and differ by < 0.25 in valence and arousal."""
    va, vb = a.vad.normalised(), b.vad.normalised()
    return (a.dominant_emotion == b.dominant_emotion and abs(va.valence - vb.valence) < 0.25
            and abs(va.arousal - vb.arousal) < 0.25)


@pytest.fixture(scope="module")
def journal_readings():
    from visualizer.affect import analyze
    from visualizer.ingest import read_journal

    entries = read_journal(ROOT / "examples" / "journal.md").entries
    return entries, analyze([e.text for e in entries])


@pytest.mark.parametrize("baseline", ["none", "journal"])
def test_the_example_journal_reads_as_a_varied_series(journal_readings, baseline):
    from visualizer.affect.baseline import compute

    entries, states = journal_readings
    usual = compute(states) if baseline == "journal" else None
    scenes = [map_state(s, key=e.key, relative=usual.relative(s) if usual else None).scene
              for e, s in zip(entries, states)]
    assert len(entries) == 24
    assert len(set(scenes)) >= 5, scenes
    repeats = [(entries[i].date, scenes[i]) for i in range(1, len(scenes))
               if scenes[i] == scenes[i - 1] and not _close(states[i], states[i - 1])]
    assert repeats == [], repeats


def test_every_family_of_scenes_toml_has_a_painter_and_every_painted_family_can_be_chosen():
    from visualizer.render.painter.places import painted_scenes

    assert set(load("scenes")) == set(painted_scenes())
