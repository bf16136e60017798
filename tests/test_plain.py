"""The explanation in plain words: what became the subject, what the feelings became, the usual, the crisis rule."""

from __future__ import annotations

from dataclasses import replace

import pytest

from visualizer.affect import VAD, Desire, InnerState
from visualizer.affect.labels import EMOTIONS
from visualizer.mapping import map_state
from visualizer.mapping.plain import plain_explanation

JARGON = ("valence", "arousal", "dominance", "latent", "guidance", "prompt", "tweak", "(", "×", "emotion:")


def reading(text: str, valence: float = 3.0, arousal: float = 3.0, dominance: float = 3.0, stress: float = 0.1,
            desires: tuple[str, ...] = (), crisis: bool = False, **emotions: float) -> InnerState:
    labels = dict.fromkeys(EMOTIONS, 0.01) | emotions
    state = InnerState(text, labels, list(emotions) or ["neutral"], VAD(valence, arousal, dominance), stress,
                       desires=[Desire(d, 0.8, "I wish") for d in desires])
    state.crisis = crisis
    return state


def sentences(text: str) -> int:
    return text.count(". ") + text.endswith(".")


def test_a_longing_becomes_the_subject_and_stress_the_weather():
    cond = map_state(reading("I wish I could see the sea again. Work is crushing me.", 2.2, 3.8, 2.2, 0.7,
                             ("the sea",), sadness=0.6))
    text = plain_explanation(cond)
    assert text.startswith("Your longing for the sea became the subject")
    assert "The sadness you wrote about became" in text and "the stress became gathering clouds" in text
    assert 2 <= sentences(text) <= 3
    assert not any(word in text for word in JARGON), text


def test_the_scene_family_is_named_in_words():
    cond = map_state(reading("I wish I could see the sea again.", desires=("the sea",), joy=0.6))
    assert "painted as a shoreline" in plain_explanation(replace(cond, scene="shoreline"))
    assert "painted as a night sky" in plain_explanation(replace(cond, scene="night_sky"))
    assert "painted as an abstract field of colour" in plain_explanation(replace(cond, scene="colour_field"))
    assert "painted as" not in plain_explanation(replace(cond, scene=""))


def test_light_and_motion_follow_the_feeling():
    bright = plain_explanation(map_state(reading("Got the job!!", 4.6, 4.4, 4.2, 0.05, joy=0.9)))
    low = plain_explanation(map_state(reading("Another grey day.", 1.6, 1.5, 1.6, 0.1, sadness=0.8)))
    assert "radiant light" in bright and "swirling" in bright and "large and close" in bright
    assert "dim light" in low and "stillness" in low and "wide open space" in low
    assert "stress" not in bright


def test_with_nothing_named_the_picture_grows_from_the_feeling():
    text = plain_explanation(map_state(reading("Hm.", 3.0, 3.0, 3.0, 0.05)))
    assert text.startswith("No particular wish or image stood out") and "Your even mood became" in text


@pytest.mark.parametrize("relative, says", [
    ({"valence": 0.6, "arousal": -0.5}, "Compared with your usual, this entry reads brighter and calmer"),
    ({"valence": 0.01}, "This entry reads close to your usual."),
])
def test_the_personal_baseline_is_said_in_words(relative, says):
    text = plain_explanation(map_state(reading("A quiet good day.", 3.6, joy=0.5), relative=relative))
    assert says in text


def test_a_heavy_entry_is_told_gently_that_its_picture_was_kept_calm():
    text = plain_explanation(map_state(reading("I can't do this anymore.", 1.4, 4.0, 1.4, 0.95, crisis=True,
                                               sadness=0.9), relative={"valence": -0.8}))
    assert text.endswith("so the picture was kept calm and light on purpose.")
    assert "storm" not in text and "than your usual" not in text and "No particular wish" not in text
