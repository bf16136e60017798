"""One declaration per concept: settings tables drive their parsers, the backend and format registries drive every list.

Each test fails when a parser, a menu or a help text stops following its declaration: a field added to a table
without its flag, a backend offered in one place and not another, a format alias the reader does not know.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import pytest

from visualizer.cli import build_parser
from visualizer.errors import UserError
from visualizer.ingest import read_text
from visualizer.ingest.formats import FORMATS, JOURNAL_FORMATS, describe_formats, format_help, normalise_format
from visualizer.ingest.read import detect_format
from visualizer.painting import RenderSettings
from visualizer.render.registry import BACKENDS, LISTED_BACKENDS, backend_name, offered_backends
from visualizer.settings import add_arguments, checked_choice, flag_name, flagged, from_args, setting
from visualizer.ui import config as ui_config

RENDER_ARGS = ["render", "journal.md", "--out", "out"]


def _subparser(name: str) -> argparse.ArgumentParser:
    return build_parser()._subparsers._group_actions[0].choices[name]


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {option: action for action in parser._actions for option in action.option_strings}


# -- the settings helper on a table of every kind of knob ----------------------------------------------------------

@dataclasses.dataclass
class Knobs:
    count: int = setting(3, "how many")
    folder: Path = setting(Path("out"), "where")
    colour: str = setting("red", "which colour", choices=("red", "blue"))
    loud: bool = setting(False, "shout")
    warm: bool = setting(True, "do not warm up", flag="--no-warm")
    host: str = setting("local", "open to all", flag="--open", switch="everyone")
    port: int = setting(80, "port", env="KNOBS_PORT")
    secret: str | None = setting(None, "a secret", env="KNOBS_SECRET")
    workers: int = setting(1, "workers", flag="--jobs")
    queue: int = setting(9, "not on the command line", flag=False)


def _knobs(argv: list[str]) -> Knobs:
    parser = argparse.ArgumentParser()
    add_arguments(parser, Knobs)
    return from_args(Knobs, parser.parse_args(argv))


def test_a_table_parsed_from_nothing_is_its_defaults(monkeypatch):
    monkeypatch.delenv("KNOBS_PORT", raising=False)
    monkeypatch.delenv("KNOBS_SECRET", raising=False)
    assert _knobs([]) == Knobs()


def test_every_kind_of_knob_takes_its_flag(monkeypatch):
    monkeypatch.setenv("KNOBS_PORT", "81")
    monkeypatch.setenv("KNOBS_SECRET", "s")
    assert _knobs([]) == Knobs(port=81, secret="s")
    given = _knobs(["--count", "4", "--folder", "f", "--colour", "blue", "--loud", "--no-warm", "--open",
                    "--port", "82", "--secret", "t", "--jobs", "2"])
    assert given == Knobs(4, Path("f"), "blue", True, False, "everyone", 82, "t", 2)


def test_help_ends_in_the_declared_default_and_unflagged_knobs_have_no_flag():
    parser = argparse.ArgumentParser()
    add_arguments(parser, Knobs)
    options = _options(parser)
    assert options["--count"].help == "how many (default: 3)" and options["--colour"].choices == ("red", "blue")
    assert options["--port"].help == "port (default: $KNOBS_PORT or 80)"
    assert options["--secret"].help == "a secret (or set $KNOBS_SECRET)" and options["--loud"].help == "shout"
    assert options["--jobs"].metavar == "JOBS" and "--queue" not in options


def test_a_choice_is_checked_against_its_declaration():
    assert checked_choice(Knobs, "colour", " Blue ") == "blue"
    with pytest.raises(UserError, match="colour must be one of red, blue, got 'green'"):
        checked_choice(Knobs, "colour", "green")


# -- RenderSettings drives `visualizer render` ----------------------------------------------------------------------

def test_every_render_setting_with_a_flag_is_a_render_flag_with_the_table_default():
    options = _options(_subparser("render"))
    for field in flagged(RenderSettings):
        action = options[flag_name(field)]
        assert (action.dest, action.default) == (field.name, field.default), field.name
        assert action.help.startswith(field.metadata["help"]), field.name
    assert from_args(RenderSettings, build_parser().parse_args(RENDER_ARGS)) == RenderSettings()


def test_render_flags_reach_the_settings():
    args = build_parser().parse_args([*RENDER_ARGS, "--backend", "motif", "--model", "m", "--style", "ink",
                                      "--seed", "7", "--frames", "3", "--size", "256", "--device", "cpu", "--film",
                                      "--baseline", "none"])
    assert from_args(RenderSettings, args) == RenderSettings(backend="motif", model="m", style="ink", seed=7, frames=3,
                                                             size=256, device="cpu", film=True, baseline="none")


def test_only_strength_stays_off_the_command_line():
    """The CLI's flags are the same as before the table: strength is the Reflect tab's slider alone."""
    assert [f.name for f in dataclasses.fields(RenderSettings) if f not in flagged(RenderSettings)] == ["strength"]


# -- UIConfig drives `visualizer-ui` ---------------------------------------------------------------------------------

def test_the_ui_parsed_from_nothing_is_its_table(monkeypatch):
    monkeypatch.delenv("GRADIO_SERVER_PORT", raising=False)
    monkeypatch.delenv("VISUALIZER_AUTH", raising=False)
    assert ui_config.parse_args([]) == ui_config.UIConfig()


def test_every_ui_setting_with_a_flag_is_a_flag_and_the_host_is_not():
    options = _options(ui_config.build_parser())
    assert {flag_name(f) for f in flagged(ui_config.UIConfig)} | {"-h", "--help"} == set(options)
    assert "--host" not in options and options["--listen"].const == "0.0.0.0"
    assert ui_config.parse_args(["--concurrency", "3", "--no-preload"]).render_concurrency == 3


def test_the_ui_paints_with_the_render_defaults():
    assert ui_config.UIConfig().size == RenderSettings().size
    assert ui_config.RENDER_DEFAULTS == RenderSettings()


# -- one backend registry --------------------------------------------------------------------------------------------

def test_the_backend_lists_come_from_the_registry():
    assert LISTED_BACKENDS == ("auto", "diffusion", "motif") and set(BACKENDS) == {*LISTED_BACKENDS, "tiny"}
    assert ui_config.BACKENDS == offered_backends("motif") == ("motif", "auto", "diffusion")
    assert ui_config.UIConfig().backend == "motif"
    shown = " ".join(_subparser("render").format_help().split())
    assert all(f"{name} = {BACKENDS[name].description}" in shown for name in LISTED_BACKENDS)
    assert all(backend_name(name) == name for name in BACKENDS)


def test_an_unknown_backend_names_every_registered_one():
    from visualizer.render import get_backend

    with pytest.raises(UserError, match="choose one of auto, diffusion, motif, tiny"):
        get_backend("crayon")
    assert get_backend("MOTIF").name == "motif"


# -- one journal-format registry -------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", JOURNAL_FORMATS.values(), ids=FORMATS)
def test_every_format_name_and_alias_is_read_as_that_format(spec):
    for name in (spec.name, *spec.aliases, spec.name.upper()):
        assert normalise_format(name) == spec.name
    assert spec.name in format_help() and spec.description in format_help()
    assert spec.description in describe_formats()


@pytest.mark.parametrize("suffix", [s for spec in JOURNAL_FORMATS.values() for s in spec.suffixes])
def test_every_declared_suffix_breaks_a_tie(suffix):
    owner = next(spec.name for spec in JOURNAL_FORMATS.values() if suffix in spec.suffixes)
    assert detect_format("just words\n", f"diary{suffix}") == owner
    assert detect_format("just words\n", "diary.unknown") == "text"


def test_render_analyze_and_the_ui_describe_formats_from_the_registry():
    from visualizer.ui.journal import FORMATS_HELP

    assert _options(_subparser("render"))["--format"].help == format_help()
    assert _options(_subparser("analyze"))["--format"].help == format_help()
    assert FORMATS_HELP == describe_formats()


def test_a_forced_format_uses_its_declared_parser():
    assert read_text('{"date": "2025-03-01", "text": "sea"}', format="ndjson").format == "jsonl"
    assert read_text("## 2025-03-01\nsea", format="md").format == "markdown"
    with pytest.raises(UserError, match="known formats: " + ", ".join(FORMATS)):
        read_text("hello", format="docx")


def test_the_settings_page_is_generated_from_the_tables():
    from pathlib import Path

    from visualizer.reference import page

    assert (Path(__file__).resolve().parents[1] / "docs" / "settings.md").read_text(encoding="utf-8") == page(), \
        "docs/settings.md is out of date: python -m visualizer.reference > docs/settings.md"
    assert "| `--seed` | `0` |" in page() and "| `--port` | `$GRADIO_SERVER_PORT` or `7860` |" in page()
