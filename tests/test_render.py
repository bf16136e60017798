"""Render: tiny pipeline on the diffusion code path, motif painter, frames, files and bad input."""

import numpy as np
import pytest
import torch

from visualizer.affect.state import VAD, Desire, InnerState, SentenceState
from visualizer.errors import UserError
from visualizer.mapping import map_state
from visualizer.affect.labels import EMOTIONS
from visualizer.render import get_backend, interpolate_frames, mood_film, read_metadata, save_animation, save_image
from visualizer.render.diffusion import DiffusionBackend

SIZE = 64


def emotions(**scores):
    return {label: 0.01 for label in EMOTIONS} | scores


STATE = InnerState(
    text="Work was loud. I wish I could see the sea.", emotions=emotions(desire=0.7, sadness=0.4), active=["desire"],
    vad=VAD(2.7, 3.3, 2.6), stress=0.5, desires=[Desire("the sea", 0.8, "I wish", 1)],
    sentences=[SentenceState("Work was loud.", emotions(annoyance=0.6), VAD(2.3, 4.0, 2.5), 0.8),
               SentenceState("I wish I could see the sea.", emotions(desire=0.8), VAD(3.3, 2.6, 2.8), 0.2)])


def pixels(image):
    return np.asarray(image).astype(np.int16)


@pytest.fixture(scope="module")
def tiny():
    return get_backend("tiny")


@pytest.fixture(scope="module")
def motif():
    return get_backend("motif")


def test_tiny_runs_the_diffusion_backend_and_is_deterministic(tiny):
    assert isinstance(tiny, DiffusionBackend) and tiny.name == "tiny"
    cond = map_state(STATE, seed=1)
    first, second = tiny.render([cond], SIZE)[0], tiny.render([cond], SIZE)[0]
    assert first.size == (SIZE, SIZE) and np.array_equal(pixels(first), pixels(second))
    assert pixels(first).std() > 1


def test_tweaks_change_the_picture(tiny):
    strong, plain = map_state(STATE, seed=1, strength=1.0), map_state(STATE, seed=1, strength=0.0)
    a, b = tiny.render([strong, plain], SIZE)
    assert np.abs(pixels(a) - pixels(b)).mean() > 1.0


def test_batched_render_matches_single_renders(tiny):
    conds = [map_state(STATE, seed=s) for s in (1, 2)]
    tiny.batch_size = 2
    try:
        batched = tiny.render(conds, SIZE)
    finally:
        tiny.batch_size = 1
    single = [tiny.render([c], SIZE)[0] for c in conds]
    for b, s in zip(batched, single):
        assert np.abs(pixels(b) - pixels(s)).max() <= 3


def test_frame_plan_endpoints():
    specs = interpolate_frames([0, 1, 2], 9)
    assert (specs[0].a, specs[0].t) == (0, 0.0) and (specs[-1].b, specs[-1].t) == (2, 1.0)
    assert (specs[4].a, specs[4].t) == (1, 0.0)


@pytest.mark.parametrize("name", ["tiny", "motif"])
def test_sequence_endpoints_equal_keyframes(name, tiny, motif):
    backend = tiny if name == "tiny" else motif
    cond = map_state(STATE, seed=4)
    frames = backend.render_sequence(cond, 5, SIZE)
    first, last = backend.render(cond.keyframes, SIZE)
    assert len(frames) == 5
    assert np.abs(pixels(frames[0]) - pixels(first)).max() <= 3
    assert np.abs(pixels(frames[-1]) - pixels(last)).max() <= 3
    assert np.abs(pixels(frames[2]) - pixels(first)).mean() > 0.5


def test_motif_paints_a_real_picture(motif):
    cond = map_state(STATE, seed=2, style="oil")
    image = motif.render([cond], 256)[0]
    assert image.size == (256, 256) and image.mode == "RGB"
    assert pixels(image).std() > 10
    assert np.array_equal(pixels(image), pixels(motif.render([cond], 256)[0]))
    happy = InnerState(text="", emotions=emotions(joy=0.9), active=["joy"], vad=VAD(4.8, 3.0, 3.0), stress=0.0)
    sad = InnerState(text="", emotions=emotions(joy=0.9), active=["joy"], vad=VAD(1.2, 3.0, 3.0), stress=0.0)
    bright, dark = (pixels(motif.render([map_state(s, seed=2, key="k")], 128)[0]).mean() for s in (happy, sad))
    assert bright > dark


def test_png_metadata_round_trip(tmp_path, motif):
    cond = map_state(STATE, seed=5)
    png, sidecar = save_image(motif.render([cond], SIZE)[0], tmp_path / "a" / "entry.png", cond, STATE, "motif",
                              model=motif.model)
    meta = read_metadata(png)
    assert meta["prompt"] == cond.prompt and meta["seed"] == str(cond.seed) and meta["backend"] == "motif"
    assert meta["explanation"] == cond.explanation and meta["conditioning"]["tweaks"]["turbulence"] == cond.tweaks.turbulence
    assert "text" not in meta["state"]  # the diary text stays out unless asked for
    assert sidecar.exists() and not list(png.parent.glob(".*tmp*"))


def test_animation_export(tmp_path, motif):
    frames = motif.render_sequence(map_state(STATE, seed=1), 4, SIZE)
    paths = save_animation(frames, tmp_path / "arc")
    assert [p.suffix for p in paths] == [".gif", ".webp", ".mp4"] and all(p.stat().st_size > 0 for p in paths)
    assert len(list(mood_film([map_state(STATE, seed=s) for s in (1, 2, 3)], 3, motif, SIZE))) == 7


def test_bad_input(tmp_path, motif, monkeypatch):
    cond = map_state(STATE)
    for frames in (0, 601, 2.5):
        with pytest.raises(UserError, match="frames"):
            motif.render_sequence(cond, frames, SIZE)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(UserError, match="cannot write"):
        save_image(motif.render([cond], SIZE)[0], blocker / "out.png", cond, STATE, "motif")
    with pytest.raises(UserError, match="not a diffusers pipeline"):
        DiffusionBackend(str(tmp_path), "cpu")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(UserError, match="could not load"):
        DiffusionBackend("nobody-here/no-such-model", "cpu")
    with pytest.raises(UserError, match="unknown backend"):
        get_backend("crayon")
    with pytest.raises(UserError, match="size"):
        motif.render([cond], 100)
    with pytest.raises(UserError, match="format"):
        save_animation([motif.render([cond], SIZE)[0]], tmp_path / "x", formats=("avi",))


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the CPU fallback")
def test_auto_falls_back_to_motif_without_gpu():
    backend = get_backend("auto")
    assert backend.name == "motif" and "no CUDA" in backend.reason


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_tiny_on_cuda_fp16():
    backend = get_backend("tiny", device="cuda")
    image = backend.render([map_state(STATE)], SIZE)[0]
    assert backend.dtype == torch.float16 and pixels(image).std() > 1
