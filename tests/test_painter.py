"""Motif painter: scene families, the motif registry, smooth sequences and the art-direction file."""

import shutil
from dataclasses import replace
from itertools import combinations

import numpy as np
import pytest

from visualizer.affect.state import VAD, Desire, InnerState, SentenceState
from visualizer.errors import UserError
from visualizer.mapping import data, map_state
from visualizer.affect.labels import EMOTIONS
from visualizer.render import get_backend, mood_film
from visualizer.render.painter.colour import from_oklab, mix_oklab, to_oklab
from visualizer.render.painter.keyframe import Keyframe
from visualizer.render.painter.motifs import MOTIFS
from visualizer.render.painter.pace import unevenness
from visualizer.render.painter.places import painted_scenes

SIZE = 96
FAMILIES = ["shoreline", "night_sky", "window", "garden", "city_night", "forest", "open_field", "storm_front",
            "colour_field"]


def emotions(**scores):
    return {label: 0.01 for label in EMOTIONS} | scores


def sentence(text, vad, stress=0.2, desires=(), **scores):
    return SentenceState(text, emotions(**scores), VAD(*vad), stress, list(desires))


SEA = Desire("the sea", 0.8, "I wish", 1)
DAY = InnerState(text="Work was loud. I wish I could see the sea.", emotions=emotions(desire=0.7, sadness=0.4),
                 active=["desire"], vad=VAD(2.7, 3.3, 2.6), stress=0.5, desires=[SEA],
                 sentences=[sentence("Work was loud.", (1.9, 4.3, 2.4), 0.8, annoyance=0.7, anger=0.5),
                            sentence("I wish I could see the sea.", (4.2, 2.4, 3.1), 0.1, [SEA], joy=0.6, desire=0.8)])


def pixels(image):
    return np.asarray(image).astype(np.float32)


@pytest.fixture(scope="module")
def motif():
    return get_backend("motif")


@pytest.fixture(scope="module")
def pictures(motif):
    cond = replace(map_state(DAY, seed=3, key="day"), keyframes=[])
    return {name: pixels(motif.render([replace(cond, scene=name)], SIZE)[0]) for name in FAMILIES}


def test_every_family_is_painted(pictures):
    assert sorted(painted_scenes()) == sorted(FAMILIES)
    for name, picture in pictures.items():
        assert picture.shape == (SIZE, SIZE, 3), name
        assert picture.std() > 12, f"{name} is flat"
        assert 15 < picture.mean() < 240, f"{name} is empty"


def test_families_look_like_different_places(pictures):
    """Same reading, same palette: the place alone must change the picture a lot."""
    for a, b in combinations(FAMILIES, 2):
        assert np.abs(pictures[a] - pictures[b]).mean() > 10, f"{a} and {b} look alike"


def test_no_scene_is_the_open_field(motif, pictures):
    cond = replace(map_state(DAY, seed=3, key="day"), keyframes=[], scene="")
    assert np.array_equal(pixels(motif.render([cond], SIZE)[0]), pictures["open_field"])


def test_unknown_scene_names_the_file_and_key(motif):
    cond = replace(map_state(DAY, seed=3), scene="moor")
    with pytest.raises(UserError, match=r"prompts/scenes\.toml.*'moor'.*shoreline"):
        motif.render([cond], SIZE)


def test_registry_covers_every_imagery_shape():
    kinds = set(data.load("imagery")["shapes"]) | {"disc"}  # disc: a desire with no listed noun
    assert kinds <= set(MOTIFS), f"no painter for {kinds - set(MOTIFS)}"


@pytest.mark.parametrize("family", FAMILIES)
def test_every_motif_shows_where_it_belongs(motif, family):
    """Each motif kind a family does not omit changes its picture (drawn, or absorbed into the family)."""
    base = replace(map_state(DAY, seed=5, key="m"), keyframes=[], scene=family)
    plain = replace(base, motif={**base.motif, "shapes": [], "storm": 0.0})
    empty = pixels(motif.render([plain], SIZE)[0])
    omitted = set(data.load("painter")[family]["omits"])
    for kind in sorted(set(MOTIFS) - omitted):
        cond = replace(plain, motif={**plain.motif, "shapes": [{"kind": kind, "label": kind, "weight": 0.8}]})
        assert np.abs(pixels(motif.render([cond], SIZE)[0]) - empty).max() > 8, f"{kind} in {family}"


def test_unknown_motif_kind_names_the_file(motif):
    cond = replace(map_state(DAY, seed=3), keyframes=[])
    cond = replace(cond, motif={**cond.motif, "shapes": [{"kind": "comet", "label": "a comet", "weight": 0.5}]})
    with pytest.raises(UserError, match=r"imagery\.toml.*'comet'"):
        motif.render([cond], SIZE)


def test_painter_file_is_checked(tmp_path, monkeypatch, motif):
    folder = tmp_path / "prompts"
    shutil.copytree(data.prompts_dir(), folder)
    text = (folder / "painter.toml").read_text()
    (folder / "painter.toml").write_text(text.replace("[forest]", "[moorland]"))
    monkeypatch.setenv("VISUALIZER_PROMPTS", str(folder))
    with pytest.raises(UserError, match=r"painter\.toml.*\[forest\]"):
        motif.render([replace(map_state(DAY, seed=3), scene="forest")], SIZE)


def test_same_seed_same_pixels(motif):
    cond = replace(map_state(DAY, seed=7, key="again"), scene="city_night")
    first, second = motif.render_sequence(cond, 4, SIZE), motif.render_sequence(cond, 4, SIZE)
    assert all(np.array_equal(pixels(a), pixels(b)) for a, b in zip(first, second))
    assert not np.array_equal(pixels(motif.render([cond], SIZE)[0]),
                              pixels(motif.render([replace(cond, seed=8)], SIZE)[0]))


def test_a_sequence_between_two_palettes_changes_evenly(motif):
    cond = map_state(DAY, seed=1, key="palettes")
    first, second = cond.keyframes
    assert first.palette != second.palette
    frames = motif.render_sequence(cond, 12, SIZE)
    assert unevenness(frames) <= 2.0


def test_a_sequence_between_two_families_crossfades_evenly(motif):
    cond = map_state(DAY, seed=1, key="families")
    cond.keyframes = [replace(cond.keyframes[0], scene="city_night"), replace(cond.keyframes[1], scene="shoreline")]
    frames = motif.render_sequence(cond, 12, SIZE)
    first, last = motif.render(cond.keyframes, SIZE)
    assert np.abs(pixels(frames[0]) - pixels(first)).max() <= 3 and np.abs(pixels(frames[-1]) - pixels(last)).max() <= 3
    assert unevenness(frames) <= 2.0


def test_frames_follow_the_change_not_the_keyframe_count(motif):
    """A path that rests (two equal keyframes) and then changes a lot: frames go where the change is."""
    calm, angry = [replace(map_state(_day(s), seed=0, key="k"), scene="open_field") for s in reversed(DAY.sentences)]
    frames = motif.render_sequence([calm, calm, angry], 12, SIZE)
    assert np.array_equal(pixels(frames[0]), pixels(motif.render([calm], SIZE)[0]))
    assert unevenness(frames) <= 2.0


def _day(s: SentenceState) -> InnerState:
    return InnerState(text=s.text, emotions=s.emotions, active=[], vad=s.vad, stress=s.stress, desires=s.desires)


def test_a_mood_film_over_different_days_changes_evenly(motif):
    days = [_day(s) for s in DAY.sentences]
    conds = [replace(map_state(d, seed=0, key=f"d{i}"), scene=name)
             for i, (d, name) in enumerate(zip(days * 2, ["forest", "forest", "window", "storm_front"]))]
    assert unevenness(list(mood_film(conds, 4, motif, SIZE))) <= 2.0


def test_a_motif_fades_in_instead_of_popping(motif):
    cond = map_state(DAY, seed=2, key="fade")
    first = cond.keyframes[0]
    plain = replace(first, scene="open_field", motif={**first.motif, "shapes": [], "storm": 0.0})
    house = replace(plain, motif={**plain.motif, "shapes": [{"kind": "house", "label": "home", "weight": 0.9}]})
    a, b = Keyframe.from_conditioning(plain), Keyframe.from_conditioning(house)
    assert b.lerp(a, 0.0).kinds()["house"] == (0.9, 1.0)
    assert a.lerp(b, 0.25).kinds()["house"] == pytest.approx((0.9, 0.25))
    frames = motif.render_sequence([plain, house], 9, SIZE)
    change = [np.abs(pixels(f) - pixels(frames[0])).mean() for f in frames]
    assert all(x < y for x, y in zip(change, change[1:]))  # the house grows in, it does not appear at once


def test_palettes_blend_in_oklab():
    rose, teal = np.array([0.85, 0.42, 0.52], np.float32), np.array([0.07, 0.54, 0.7], np.float32)
    assert np.allclose(from_oklab(to_oklab(rose)), rose, atol=1e-4)
    assert np.array_equal(mix_oklab(rose, teal, 0.0), rose) and np.array_equal(mix_oklab(rose, teal, 1.0), teal)
    lightness = [to_oklab(mix_oklab(rose, teal, t))[0] for t in np.linspace(0, 1, 5)]
    steps = np.diff(lightness)
    assert np.allclose(steps, steps[0], atol=1e-4)  # perceived lightness moves in equal steps


def test_the_painter_draws_every_shape_the_imagery_declares():
    """prompts/imagery.toml [shapes] declares the shapes (mapping checks its concepts against them); the painter must
    draw each, and a conditioning naming one it cannot draw is refused with the file named."""
    declared = set(data.load("imagery")["shapes"])
    assert declared <= set(MOTIFS), f"no painter for {sorted(declared - set(MOTIFS))}"
    cond = map_state(InnerState.neutral("a quiet day by the sea"), key="shapes")
    unknown = replace(cond, motif={**cond.motif, "shapes": [{"kind": "dragon", "label": "a dragon", "weight": 1.0}]})
    with pytest.raises(UserError, match="imagery.toml.*dragon"):
        Keyframe.from_conditioning(unknown)
