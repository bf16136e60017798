"""Pictures keep their word: every element a scene family declares (prompts/scenes.toml `elements`) is drawn and
visible in every mood, by the painter's own drawing record, and the plain explanation names only those."""

from dataclasses import replace

import numpy as np
import pytest

from visualizer.affect.labels import EMOTIONS
from visualizer.affect.state import VAD, Desire, InnerState
from visualizer.mapping import data, map_state
from visualizer.mapping.plain import plain_explanation, scene_elements
from visualizer.render.painter.fields import fields
from visualizer.render.painter.frames import paint, paint_recorded
from visualizer.render.painter.keyframe import Keyframe
from visualizer.render.painter.places import painted_scenes

SIZE = 384
MIN_CONTRAST = 0.025  # OKLab distance along the element's edge; about 0.02 is just noticeable
MIN_AREA = 0.0003     # share of the picture: a small walker is meant to be small, not a speck


def _emotions(**scores):
    return {label: 0.01 for label in EMOTIONS} | scores


MOODS = {  # the extremes of valence and arousal, and a stressed reading
    "dark sad": (VAD(1.4, 1.8, 1.6), 0.4, _emotions(sadness=0.85, grief=0.5)),
    "bright joyful": (VAD(4.7, 3.9, 3.8), 0.02, _emotions(joy=0.9, excitement=0.6)),
    "tense": (VAD(1.8, 4.6, 2.0), 0.97, _emotions(fear=0.7, nervousness=0.7)),
    "calm": (VAD(3.6, 1.5, 3.1), 0.03, _emotions(relief=0.6, approval=0.3)),
}
MOUNTAINS = "to spend a slow weekend in the mountains"


def _state(mood: str, desire: str | None = None) -> InnerState:
    vad, stress, emotions = MOODS[mood]
    text = f"I wish I could {desire}." if desire else "A day like any other."
    return InnerState(text=text, emotions=emotions, active=[k for k, v in emotions.items() if v > 0.3], vad=vad,
                      stress=stress, desires=[Desire(desire, 0.86, "I wish", 1)] if desire else [])


def _recorded(cond, size: int = SIZE):
    return paint_recorded(Keyframe.from_conditioning(cond), fields(cond.seed, size, 8), size)


def _cond(family: str, mood: str, desire: str | None = None, style: str = "watercolor"):
    cond = map_state(_state(mood, desire), seed=3, key=f"record-{family}", style=style)
    return replace(cond, keyframes=[], scene=family)


@pytest.mark.parametrize("family", painted_scenes())
def test_every_declared_element_is_drawn_and_visible_in_every_mood(family):
    declared = data.load("scenes")[family]["elements"]
    for mood in MOODS:
        _, drawn = _recorded(_cond(family, mood))
        record = {d.name: d for d in drawn}
        missing = set(declared) - set(record)
        assert not missing, f"{family} in a {mood} mood does not draw {sorted(missing)}"
        for name in declared:
            assert record[name].area >= MIN_AREA, f"{name} of {family} is too small in a {mood} mood: {record[name]}"
            assert record[name].contrast >= MIN_CONTRAST, f"{name} of {family} is not visible in a {mood} mood: " \
                                                          f"{record[name]}"


def test_the_record_measures_what_it_records():
    """A hidden element reads as hidden: the same figure is visible on its path and gone under a full cover."""
    _, drawn = _recorded(_cond("open_field", "calm"), 192)
    walker = next(d for d in drawn if d.name == "figure")
    x0, y0, x1, y1 = walker.box
    assert 0 < x1 - x0 < 0.1 and 0 < y1 - y0 < 0.2, "a small walker, not a giant"
    assert walker.contrast > 0.05
    from visualizer.render.painter.record import Marks, measure

    marks = Marks(16)
    marks.layer(np.ones((4, 4), np.float32), 6, 6, "box")
    flat = np.full((16, 16, 3), 128, np.uint8)
    assert measure(marks, flat)[0].contrast == pytest.approx(0.0, abs=1e-6)  # drawn, but the same colour as around
    flat[6:10, 6:10] = 250
    assert measure(marks, flat)[0].contrast > 0.3
    marks.layer(np.ones((16, 16), np.float32))  # a nearer layer covering everything
    assert measure(marks, flat)[0].area == 0.0


def test_keeping_a_record_does_not_change_the_picture():
    for family in ("open_field", "window", "garden"):
        cond = _cond(family, "tense", MOUNTAINS)
        keyframe, noise = Keyframe.from_conditioning(cond), fields(cond.seed, 128, 8)
        assert np.array_equal(np.asarray(paint(keyframe, noise, 128)), np.asarray(_recorded(cond, 128)[0]))


def test_a_weekend_in_the_mountains_shows_mountains_a_field_and_a_walker():
    """The finding of issue 23: explained as an open field with a small figure, painted with neither."""
    for mood in ("bright joyful", "tense"):
        cond = map_state(_state(mood, MOUNTAINS), seed=3, key="mountains")
        assert cond.scene == "open_field"
        _, drawn = _recorded(replace(cond, keyframes=[]))
        record = {d.name: d for d in drawn}
        assert record["peaks"].area > 0.02 and record["peaks"].contrast >= MIN_CONTRAST, record["peaks"]
        for name in ("field", "path", "figure"):
            assert record[name].contrast >= MIN_CONTRAST, record[name]


@pytest.mark.parametrize("family", painted_scenes())
def test_the_explanation_names_only_what_the_painter_drew(family):
    """It names every declared element of the family and no element that only another family draws."""
    cond = _cond(family, "dark sad")
    text = plain_explanation(cond)
    _, drawn = _recorded(cond, 128)
    recorded = {d.name for d in drawn}
    own = data.load("scenes")[family]["elements"]
    assert set(own) <= recorded
    for phrase in scene_elements(family):
        assert phrase in text, f"{phrase!r} missing from {text!r}"
    others = {phrase for name, table in data.load("scenes").items() if name != family
              for phrase in table["elements"].values()} - set(own.values())
    named = [phrase for phrase in others if f" {phrase}" in text and not any(phrase in mine for mine in own.values())]
    assert not named, f"{family}: the explanation names {named}, which it does not draw: {text!r}"
    assert "figure" not in text or "figure" in own


def test_the_dominance_words_name_no_thing():
    """Scale words describe space; a thing in the picture is named only by the scene's elements."""
    things = {"figure", "walker", "tree", "house", "person"}
    for level in data.load("plain")["dominance"]:
        assert not things & set(level["words"].split()), level
