"""Cheap imports: labels, readings and `visualizer gallery` never load torch; `tiny` stays out of --help.

Import checks run in a fresh interpreter: this test process may already hold torch from other tests.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from visualizer.affect import InnerState
from visualizer.cli import build_parser
from visualizer.gallery.store import Store, stem
from visualizer.ingest import Entry

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "transformers", "diffusers", "gradio", "accelerate")


def _python(code: str, *args: str) -> str:
    """Run `code` in a fresh interpreter; returns its stdout."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _loaded_heavy(code: str, *args: str) -> list[str]:
    """The heavy packages loaded after running `code` in a fresh interpreter."""
    report = f"\nimport sys\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    return [m for m in _python(code + report, *args).splitlines()[-1].split(",") if m]


def _rendered_folder(out: Path, crisis: bool) -> Path:
    """A render folder of two painted entries, as `visualizer render` leaves it (minus the model)."""
    entries = [Entry(dt.date(2025, 3, day), text, "diary.md", line=day)
               for day, text in ((1, "A quiet walk by the sea."), (2, "Everything felt too heavy today."))]
    with Store(out) as store:
        store.add(entries)
        states = {e.key: InnerState.neutral(e.text).to_dict() for e in entries}
        states[entries[1].key]["crisis"] = crisis
        store.save_states(states)
        for entry, colour in zip(entries, ("teal", "grey")):
            image = out / "images" / f"{stem(entry.key, entry.date.isoformat())}.png"
            image.parent.mkdir(parents=True, exist_ok=True)
            Image.new("RGB", (64, 64), colour).save(image)
            store.mark_rendered(entry.key, {"prompt": "calm sea", "style": "watercolor", "seed": 0}, [image],
                                {"backend": "motif"}, "motif")
    return out


def test_labels_and_readings_import_without_torch():
    code = "import visualizer.affect, visualizer.affect.labels, visualizer.affect.state, visualizer.mapping"
    assert _loaded_heavy(code) == []


@pytest.mark.parametrize("crisis", [False, True], ids=["ordinary", "flagged-entry"])
def test_gallery_export_never_loads_torch(tmp_path, crisis):
    folder = _rendered_folder(tmp_path / "out", crisis)
    code = ("import sys\nfrom visualizer.cli import main\n"
            "assert main(['gallery', sys.argv[1], '--out', sys.argv[2]]) == 0")
    assert _loaded_heavy(code, str(folder), str(tmp_path / "site")) == []
    assert (tmp_path / "site" / "index.html").is_file()


def test_analyze_stays_a_function_after_its_module_loads():
    """Importing the model code first (`visualizer.affect.reader`) leaves `analyze` the function."""
    out = _python("import types\nimport visualizer.affect.reader\nfrom visualizer.affect import analyze, load_model\n"
                  "print(callable(analyze), isinstance(analyze, types.ModuleType), load_model.__name__)")
    assert out.split() == ["True", "False", "load_model"]


# -- the `tiny` test backend (a random pipeline that paints noise) is accepted but never offered ---------------

@pytest.mark.parametrize("command", [["render"], ["bench", "render"]])
def test_help_does_not_offer_the_tiny_backend(capsys, command):
    with pytest.raises(SystemExit):
        build_parser().parse_args([command[0], "--help"])
    shown = capsys.readouterr().out
    assert "--backend {auto,diffusion,motif}" in shown
    assert "tiny" not in shown.replace("--tiny-vae", "")  # bench's AutoencoderTiny switch is another matter


@pytest.mark.parametrize("command", [["render", "journal.md", "--out", "out"], ["bench", "render"]])
def test_tiny_backend_is_still_accepted(command):
    assert build_parser().parse_args([*command, "--backend", "tiny"]).backend == "tiny"


@pytest.mark.parametrize("command", [["render", "journal.md", "--out", "out"], ["bench", "render"]])
def test_unknown_backend_names_the_valid_choices(capsys, command):
    with pytest.raises(SystemExit):
        build_parser().parse_args([*command, "--backend", "nope"])
    assert "unknown backend 'nope'; choose one of auto, diffusion, motif" in capsys.readouterr().err


def test_the_flags_are_built_from_declarations_that_load_nothing_heavy():
    """`render` and `analyze` build their flags at start from RenderSettings and the backend and format registries;
    reading those loads neither numpy, Pillow, a backend nor a journal parser (their packages load names lazily)."""
    late = ("numpy", "PIL", "visualizer.affect", "visualizer.render.base", "visualizer.ingest.read",
            "visualizer.ingest.records")
    code = (f"import sys\nimport visualizer.commands.render, visualizer.commands.analyze\n"
            f"print(','.join(m for m in {late!r} if m in sys.modules))")
    assert _python(code).strip() == ""
