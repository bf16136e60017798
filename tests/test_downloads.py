"""Downloads work: a reading never switches the process offline, `--model` is never ignored in silence, and
loading a model prints nothing of the libraries' own."""

import json
import os
import subprocess
import sys
import warnings

import diffusers
import huggingface_hub.constants
import pytest
import torch
import transformers.utils.logging as transformers_logging
from huggingface_hub.utils import are_progress_bars_disabled

from visualizer.affect import analyze
from visualizer.affect import reader
from visualizer.errors import UserError
from visualizer.quiet import quiet_loading
from visualizer.render import get_backend
from visualizer.render.diffusion import load_pipeline
from visualizer.render.select import looks_like_path

NOISE = ("load report", "unexpected", "loading weights", "deprecat", "torchvision")


@pytest.fixture
def online_user(monkeypatch):
    """A user who never set HF_HUB_OFFLINE, in a process that has not loaded the packaged encoder yet."""
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    reader._load_model.cache_clear()


def test_a_reading_leaves_the_environment_alone(online_user):
    environ, hub_offline = dict(os.environ), huggingface_hub.constants.HF_HUB_OFFLINE
    analyze(["some text"])
    assert dict(os.environ) == environ
    assert huggingface_hub.constants.HF_HUB_OFFLINE == hub_offline


def test_after_a_reading_the_diffusion_loader_tries_the_hub(online_user, monkeypatch):
    analyze(["some text"])
    calls = []

    def record(model, **kwargs):
        calls.append(kwargs)
        raise OSError("stopped before any download")

    monkeypatch.setattr(diffusers.AutoPipelineForText2Image, "from_pretrained", record)
    with pytest.raises(UserError, match="could not load"):
        load_pipeline("stabilityai/sd-turbo", "cpu", torch.float32)
    assert calls and calls[0]["local_files_only"] is False


@pytest.mark.parametrize("model", ["stabilityai/sd-turbo", "sd-turbo", "runwayml/stable-diffusion-v1-5"])
def test_hub_ids_are_not_paths(model):
    assert not looks_like_path(model)


@pytest.mark.parametrize("model", ["/nonexistent", "./models/sd", "~/sd", "model.safetensors", "a/b/c", "x/../y"])
def test_paths_are_paths(model):
    assert looks_like_path(model)


@pytest.mark.parametrize("backend", ["auto", "diffusion", "motif", "tiny"])
@pytest.mark.parametrize("name", ["missing-folder", "missing.safetensors"])
def test_a_missing_model_path_is_an_error_under_every_backend(backend, name, tmp_path):
    missing = str(tmp_path / name)
    with pytest.raises(UserError, match=name):
        get_backend(backend, model=missing, device="cpu")


@pytest.mark.parametrize("backend", ["auto", "motif"])
def test_a_model_the_backend_does_not_use_is_named(backend):
    chosen = get_backend(backend, model="stabilityai/sdxl-turbo", device="cpu")
    assert chosen.name == "motif" and chosen.reason.startswith("--model stabilityai/sdxl-turbo not used: ")
    if backend == "auto":
        assert "no CUDA or Apple MPS device" in chosen.reason
    assert "not used" not in get_backend(backend, device="cpu").reason


def test_quiet_loading_hushes_only_inside_and_restores_everything():
    def state():
        return (transformers_logging.get_verbosity(), transformers_logging.is_progress_bar_enabled(),
                are_progress_bars_disabled(), list(warnings.filters))

    before = state()
    with pytest.raises(OSError), quiet_loading("transformers"):
        assert transformers_logging.get_verbosity() == transformers_logging.ERROR
        assert not transformers_logging.is_progress_bar_enabled()
        assert are_progress_bars_disabled() == before[2]  # download bars stay as the user had them
        with warnings.catch_warnings(record=True) as caught:
            warnings.warn("`torch_dtype` is deprecated", FutureWarning)
            warnings.warn("`local_dir_use_symlinks` is deprecated and ignored", UserWarning)
        assert not caught
        raise OSError("a failed load restores too")
    assert state() == before


def _run(*args: str) -> tuple[str, str]:
    """The CLI in a fresh process, as a user who never set HF_HUB_OFFLINE starts it: (stdout, stderr)."""
    result = subprocess.run([sys.executable, "-m", "visualizer.cli", *args], capture_output=True, text=True,
                            timeout=300, env={k: v for k, v in os.environ.items() if k != "HF_HUB_OFFLINE"})
    assert result.returncode == 0, result.stderr
    return result.stdout, result.stderr


def test_a_first_reading_prints_no_library_noise():
    stdout, stderr = _run("analyze", "--text", "I miss the sea", "--json")
    assert json.loads(stdout.splitlines()[-1])["emotions"]
    assert not [word for word in NOISE if word in stderr.lower()], stderr


def test_loading_a_diffusion_model_prints_no_library_noise(tmp_path):
    from visualizer.render.tiny import build_tiny_pipeline

    build_tiny_pipeline().save_pretrained(tmp_path / "model")  # a real folder load: imports, weights, components
    stdout, stderr = _run("render", "--text", "I miss the sea", "--out", str(tmp_path / "out"), "--backend",
                          "diffusion", "--model", str(tmp_path / "model"), "--device", "cpu", "--size", "64", "--json")
    assert json.loads(stdout.splitlines()[-1])["rendered"] == 1
    assert not [word for word in NOISE if word in stderr.lower()], stderr
