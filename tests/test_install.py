"""Installs anywhere: the wheel carries every package file and the top-level `prompts/` and no labelled texts, and an
installed copy reads its art direction from inside the package."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

from visualizer.mapping import data

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_carries_every_package_file_and_the_prompts(tmp_path):
    source = tmp_path / "source"  # a copy, so the build leaves no build/ or egg-info in the checkout
    for folder in ("visualizer", "prompts"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                    str(tmp_path / "dist"), str(source)], check=True, capture_output=True, timeout=300)
    wheel = next((tmp_path / "dist").glob("desire_visualizer-*.whl"))
    shipped = set(zipfile.ZipFile(wheel).namelist())
    expected = {path.relative_to(source).as_posix() for path in (source / "visualizer").rglob("*") if path.is_file()}
    expected |= {f"visualizer/prompts/{path.name}" for path in (source / "prompts").glob("*.toml")}
    assert "visualizer/prompts/styles.toml" in expected
    assert not expected - shipped, f"missing from the wheel (list the package in pyproject.toml): {expected - shipped}"
    labelled = sorted(name for name in shipped if name.endswith((".jsonl", ".csv", ".tsv")))
    assert not labelled, f"labelled training or evaluation texts in the wheel: {labelled}"


def test_an_installed_copy_reads_the_packaged_prompts(monkeypatch, tmp_path):
    monkeypatch.delenv("VISUALIZER_PROMPTS", raising=False)
    package = tmp_path / "site-packages" / "visualizer"
    (package / "prompts").mkdir(parents=True)
    monkeypatch.setattr(data, "resources", SimpleNamespace(files=lambda name: package))
    assert data.prompts_dir() == package / "prompts"
    monkeypatch.setenv("VISUALIZER_PROMPTS", str(tmp_path / "mine"))
    assert data.prompts_dir() == tmp_path / "mine"


def test_a_checkout_reads_the_top_level_prompts(monkeypatch):
    monkeypatch.delenv("VISUALIZER_PROMPTS", raising=False)
    assert data.prompts_dir().resolve() == ROOT / "prompts"
