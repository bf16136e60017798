"""Art direction is checked data: each file of prompts/ has a model (visualizer/mapping/schema.py), is given to the
mapping exactly as written, and a file that does not fit is refused in one line naming the file and the key.

The messages of the checks the mapping's own tests rely on are in tests/test_scenes.py and tests/test_concepts.py.
"""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from visualizer.errors import UserError
from visualizer.mapping.data import load, prompts_dir
from visualizer.mapping.schema import FILES


NAMES = sorted(path.stem for path in prompts_dir().glob("*.toml"))
# one edit of one file each, and the one-line message it must get (file and key named)
BAD_EDITS = json.loads((Path(__file__).parent / "fixtures" / "mapping" / "bad_edits.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", NAMES)
def test_every_file_is_given_to_the_mapping_as_written(name):
    with (prompts_dir() / f"{name}.toml").open("rb") as handle:
        assert load(name) == tomllib.load(handle)


def test_every_file_the_mapping_reads_has_a_model_but_the_painters_and_the_plain_words():
    assert set(NAMES) - set(FILES) == {"painter", "plain"}  # checked by the painter; read as written


@pytest.mark.parametrize("case", BAD_EDITS, ids=lambda case: f"{case['file']}: {case['message'][:40]}")
def test_a_file_that_does_not_fit_is_refused_naming_the_file_and_the_key(prompts, case):
    prompts(case["file"], case["old"], case["new"])
    with pytest.raises(UserError, match=case["message"]):
        load(case["file"])


def test_a_key_the_mapping_does_not_read_is_allowed_but_in_the_knobs(prompts):
    prompts("scenes", 'still = "glassy calm water"', 'still = "glassy calm water"\nnote = "mine"')
    prompts("mapping", "tint = 0.5", "tint = 0.5\ntnit = 0.4")
    assert load("scenes")["shoreline"]["note"] == "mine"
    unknown_knob = r"mapping\.toml: \[palette\] has unknown knob\(s\) tnit; known: affinity, tint$"
    with pytest.raises(UserError, match=unknown_knob):
        load("mapping")


def test_a_broken_scenes_file_is_named_when_another_file_names_its_families(prompts):
    prompts("scenes", "valence = -0.4", 'valence = "low"')
    with pytest.raises(UserError, match=r"scenes\.toml: \[shoreline\] valence must be a number"):
        load("emotions")


def test_importing_the_mapping_does_not_load_pydantic():
    """The models load with the first file read: `visualizer --help` and the reading's imports stay cheap."""
    code = "import sys, visualizer.mapping\nprint('pydantic' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "False", done.stderr
