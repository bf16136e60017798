"""Art direction is checked data: each file of prompts/ has a model (visualizer/mapping/schema.py), is given to the
mapping exactly as written, and a file that does not fit is refused in one line naming the file and the key.

The messages of the checks the mapping's own tests rely on are in tests/test_scenes.py and tests/test_concepts.py.
"""

import subprocess
import sys
import tomllib

import pytest

from visualizer.errors import UserError
from visualizer.mapping.data import load, prompts_dir
from visualizer.mapping.schema import FILES


NAMES = sorted(path.stem for path in prompts_dir().glob("*.toml"))


@pytest.mark.parametrize("name", NAMES)
def test_every_file_is_given_to_the_mapping_as_written(name):
    with (prompts_dir() / f"{name}.toml").open("rb") as handle:
        assert load(name) == tomllib.load(handle)


def test_every_file_the_mapping_reads_has_a_model_but_the_painters_and_the_plain_words():
    assert set(NAMES) - set(FILES) == {"painter", "plain"}  # checked by the painter; read as written


@pytest.mark.parametrize("name, old, new, message", [
    ("emotions", "[anger]", "[angry]", r"emotions\.toml: lacks anger$"),
    ("styles", "stroke = 0.35\n", "", r"styles\.toml: \[watercolor\] motif lacks stroke$"),
    ("safety", "strength = 0.3\n", "", r"safety\.toml: \[render\] lacks strength$"),
    ("safety", 'scenes = ["garden",', 'scenes = [3,', r"safety\.toml: \[render\] scenes\[0\] must be text$"),
    ("palettes", 'affinity = ["gratitude"', 'affinity = ["gratefulness"',
     r"palettes\.toml: \[dawn_meadow\] affinity\[0\] names an unknown emotion 'gratefulness'"),
    ("palettes", 'colours = ["#fde9c9", "#f8c99a", "#e8a87c", "#8fb9a8", "#4f7c74"]', 'colours = ["#fde9c9"]',
     r"palettes\.toml: \[dawn_meadow\] colours must name at least 3 colours$"),
    ("scenes", "[shoreline]", "shoreline = 3\n[shoreline_]", r"scenes\.toml: \[shoreline\] must be a table$"),
    ("scenes", 'still = "glassy calm water"', "still = 3", r"scenes\.toml: \[shoreline\] still must be text$"),
    ("scenes", 'still = "glassy calm water"', 'still = " "',
     r"scenes\.toml: \[shoreline\] still must be non-empty text$"),
    ("scenes", '"lake", "river"', '"lake", "River"',
     r"scenes\.toml: \[shoreline\] words\[7\] must be lower case, got 'River'$"),
    ("scenes", "valence = -0.4", "valence = -1.4",
     r"scenes\.toml: \[shoreline\] valence must be between -1 and 1, got -1\.4$"),
    ("mapping", "brightness = 0.9", 'brightness = "0.9"',  # strict: text is not read as a number
     r"mapping\.toml: \[tweaks\] brightness must be a number, got '0\.9'$"),
    ("mapping", "brightness = 0.9", "brightness = true",
     r"mapping\.toml: \[tweaks\] brightness must be a number, got True$"),
    ("mapping", "[palette]", "[colours]\nhue = 1\n[palette]",
     r"mapping\.toml: has unknown table\(s\) colours; known: prompt, palette, scene, tweaks$"),
    ("imagery", '"the sea" = { shape = "waves"', '"the sea" = { form = "waves"',
     r"imagery\.toml: \[concepts\] 'the sea' lacks shape$"),
    ("imagery", 'sea = ["大海"', 'sea = ["", "大海"', r"imagery\.toml: \[nouns_zh\] sea\[0\] must be non-empty text$"),
    ("imagery", "[shapes]", "[forms]", r"imagery\.toml: lacks shapes$"),
])
def test_a_file_that_does_not_fit_is_refused_naming_the_file_and_the_key(prompts, name, old, new, message):
    prompts(name, old, new)
    with pytest.raises(UserError, match=message):
        load(name)


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
