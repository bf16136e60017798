"""Web UI handlers without a browser: validation, the crisis rule, launch settings, journal parsing, gallery."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import gradio as gr
import pytest

from visualizer.affect import VAD, Desire, InnerState
from visualizer.affect.labels import EMOTIONS
from visualizer.errors import UserError
from visualizer.ui import build_app, journal, reading, records, reflect, safety
from visualizer.ui.config import UIConfig, parse_args, parse_auth
from visualizer.ui.services import LockedBackend, Services


def make_state(text: str = "I wish I could see the sea again.", stress: float = 0.2, **emotions: float) -> InnerState:
    """A hand-built reading, so these tests never load the affect model."""
    labels = dict.fromkeys(EMOTIONS, 0.01) | {"joy": 0.1, "sadness": 0.1, "neutral": 0.2} | emotions
    active = [k for k, v in sorted(labels.items(), key=lambda i: -i[1]) if v >= 0.3] or ["neutral"]
    return InnerState(text, labels, active, VAD(3.6, 2.8, 3.1), stress, desires=[Desire("the sea", 0.8, "I wish I could")])


def fake_services(**emotions: float) -> Services:
    return Services(analyze=lambda texts: [make_state(text, **emotions) for text in texts])


# -- crisis rule ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Some nights I want to die.",
    "I keep thinking I should just END   MY LIFE",
    "i’ve been cutting myself again",
    "Everyone would be better off without me.",
])
def test_crisis_phrases_flag(text):
    assert safety.assess(text).flagged


@pytest.mark.parametrize("text", [
    "What a killer sunset, I could die laughing at this dog.",
    "The charm myself trick: a good coffee.",
    "I finally finished the harmony exercises.",
])
def test_ordinary_text_is_not_flagged(text):
    assert not safety.assess(text).flagged


def test_scores_are_a_secondary_cue():
    heavy = make_state("Everything is grey.", stress=0.9, sadness=0.7, grief=0.4)
    assert safety.assess(heavy.text, heavy).scores
    calmer = make_state("Everything is grey.", stress=0.3, sadness=0.7, grief=0.4)
    assert not safety.assess(calmer.text, calmer).flagged


def test_help_text_and_gentle_style_come_from_the_data_file():
    rule = safety.load_rule()
    assert "findahelpline.com" in safety.help_markdown()
    assert safety.gentle_style(["ink", rule.styles[-1]]) == rule.styles[-1]
    assert safety.gentle_style(["ink"]) is None
    assert 0 < rule.strength < 1


# -- launch settings --------------------------------------------------------------------------------

def test_defaults_are_private(monkeypatch):
    monkeypatch.delenv("GRADIO_SERVER_PORT", raising=False)
    monkeypatch.delenv("VISUALIZER_AUTH", raising=False)
    config = parse_args([])
    assert (config.host, config.port, config.share, config.auth) == ("127.0.0.1", 7860, False, None)


def test_port_from_env_and_explicit_widening(monkeypatch):
    monkeypatch.setenv("GRADIO_SERVER_PORT", "9123")
    monkeypatch.setenv("VISUALIZER_AUTH", "ana:secret:with:colons")
    config = parse_args(["--listen", "--share"])
    assert (config.host, config.port, config.share) == ("0.0.0.0", 9123, True)
    assert config.auth == ("ana", "secret:with:colons")
    assert parse_args(["--port", "8000"]).port == 8000


@pytest.mark.parametrize("value", ["nopassword", ":x", "x:"])
def test_bad_auth_is_a_user_error(value):
    with pytest.raises(UserError):
        parse_auth(value)


def test_analytics_are_off():
    assert os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"


# -- reflect ----------------------------------------------------------------------------------------

def test_empty_submit_is_a_readable_error():
    with pytest.raises(gr.Error, match="Write a few words"):
        reflect.read_entry(fake_services(), 1000, "   \n ")


def test_reading_comes_back_with_chart_meters_and_no_panel():
    chart, meters, panel, kept = reflect.read_entry(fake_services(), 1000, "I wish I could see the sea again.")
    assert list(chart.columns) == ["emotion", "probability"] and len(chart) == reading.TOP_EMOTIONS
    assert "Valence" in meters and "the sea" in meters
    assert panel["visible"] is False and kept["gentle"] is False
    assert InnerState.from_dict(kept["state"]).desires[0].text == "the sea"


def test_huge_paste_is_shortened_with_a_warning():
    seen = []
    services = fake_services()
    original = services.analyze
    services.analyze = lambda texts: seen.extend(texts) or original(texts)
    with pytest.warns(UserWarning, match="long text"):
        reflect.read_entry(services, 20_000, "word " * 40_000)  # 200,000 characters
    assert len(seen[0]) <= 20_000


def test_crisis_text_opens_the_panel_and_paints_gently():
    *_, panel, kept = reflect.read_entry(fake_services(), 1000, "I don't want to be here anymore.")
    assert panel["visible"] is True and "findahelpline" in panel["value"]
    assert kept["gentle"] is True
    state = InnerState.from_dict(kept["state"])
    cond = reflect._map(state, seed=1, style="oil", strength=1.5, gentle=True)
    assert cond.style == safety.gentle_style(reflect.styles())
    assert cond.strength == safety.load_rule().strength


def test_meters_escape_html():
    state = make_state()
    state.desires = [Desire("<script>alert(1)</script>", 0.5, "<b>")]
    assert "<script>" not in reading.meters_html(state)


def test_explanation_table_escapes_pipes():
    table = reading.explanation_table([{"score": "joy", "value": 0.5, "effect": "a|b"}])
    assert "a\\|b" in table and "0.50" in table


def test_render_without_reading_is_a_readable_error():
    with pytest.raises(gr.Error, match="Visualise first"):
        reflect.render_entry(fake_services(), UIConfig(), None, "watercolor", "motif", "", 0, 1, 1.0)


# -- journal ----------------------------------------------------------------------------------------

def test_folder_names_are_safe():
    assert journal.folder_name("../../etc/My Diary 2024.md") == "My-Diary-2024"
    assert journal.folder_name("...") == "journal"
    with pytest.raises(UserError):
        journal.output_folder(UIConfig(), "")


def test_upload_lists_entries_and_problems(tmp_path):
    path = tmp_path / "diary.md"
    path.write_text("# 2024-03-01\nI wish I could see the sea.\n\n# 2024-03-02\nA long grey day at work.\n",
                    encoding="utf-8")
    table, problems, summary, folder, kept, button = journal.parse_upload(str(path))
    assert len(table) == 2 and list(table["date"]) == ["2024-03-01", "2024-03-02"]
    assert "2 entries" in summary and folder == "diary" and kept["path"] == str(path)
    assert button["interactive"] is True


@pytest.mark.parametrize("payload", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), b""])
def test_binary_or_empty_upload_is_refused_in_the_page(tmp_path, payload):
    path = tmp_path / "photo.png"
    path.write_bytes(payload)
    with pytest.warns(UserWarning):
        table, _, summary, _, kept, button = journal.parse_upload(str(path))
    assert table.empty and kept is None and button["interactive"] is False
    assert "Could not read" in summary and str(tmp_path) not in summary


# -- gallery ----------------------------------------------------------------------------------------

def test_gallery_filters_by_date_and_emotion():
    def record(day, emotion):
        state = make_state("x", **{emotion: 0.9})
        return records.Record(key=f"{day}{emotion}", date=dt.date(2024, 3, day), text="x", state=state,
                              image=Path(f"{day}.png"))

    items = [record(1, "joy"), record(2, "sadness"), record(3, "joy"),
             records.Record(key="u", date=None, text="y", state=make_state("y", joy=0.9))]
    assert [r.key for r in records.filter_records(items, dt.date(2024, 3, 2), None, [])] == ["2sadness", "3joy"]
    assert [r.key for r in records.filter_records(items, None, None, ["joy"])] == ["1joy", "3joy", "u"]
    assert records.timeline_frame([]) is None
    frame = records.timeline_frame(items)
    assert set(frame["measure"]) == {"valence", "arousal", "stress"} and len(frame) == 12
    assert records.gallery_items(items[:1]) == [("1.png", "2024-03-01 · joy")]


def test_folders_lists_only_stores(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "visualizer.sqlite").write_bytes(b"")
    (tmp_path / "b").mkdir()
    assert records.folders(tmp_path) == [str(tmp_path / "a")]
    assert records.folders(tmp_path / "missing") == []


# -- the whole app ----------------------------------------------------------------------------------

def test_app_builds_with_three_tabs(tmp_path):
    demo = build_app(UIConfig(out_dir=tmp_path, preload=False), fake_services())
    labels = {block.label for block in demo.blocks.values() if isinstance(block, gr.Tab)}
    assert labels == {"Reflect", "Journal", "Gallery"}


def test_backend_is_built_once_under_concurrency(monkeypatch):
    import visualizer.render

    built = []
    monkeypatch.setattr(visualizer.render, "get_backend",
                        lambda name, model=None, device=None: built.append(name) or object(), raising=False)
    services = Services(analyze=lambda texts: [])
    threads = [threading.Thread(target=services.backend, args=("motif",)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert built == ["motif"]


def test_render_calls_take_turns():
    active, overlaps = [], []

    class SlowBackend:
        name = "slow"

        def render(self, conds, size=512):
            active.append(1)
            overlaps.append(len(active))
            threading.Event().wait(0.02)
            active.pop()
            return []

    backend = LockedBackend(SlowBackend(), threading.Lock())
    threads = [threading.Thread(target=backend.render, args=([],)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert max(overlaps) == 1 and backend.name == "slow"
