"""Chinese entries on every face: the UI's reading and help, the Journal tab, the gallery site and its plots.

Readings are built by hand (the language, the notice and the crisis flag as the affect stage sets them), so these
tests never load the multilingual model; the notice text and the help texts are the real ones from the data files.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from pathlib import Path

import pytest
from PIL import ImageDraw

from visualizer.affect import VAD, Desire, InnerState, SentenceState
from visualizer.safety.help import help_message
from visualizer.affect.labels import EMOTIONS
from visualizer.affect.language import detect, notice
from visualizer.gallery import export_site
from visualizer.ingest import Entry
from visualizer.painting import RenderSettings
from visualizer.pipeline import render_journal
from visualizer.ui import browse, journal, reading, records, reflect
from visualizer.ui.config import UIConfig
from visualizer.ui.services import Services

LONGING = "我好想再去看一次大海。最近工作压力很大，每天都加班。"
HEAVY = "我真的不想活了，活着太累了。"
ENGLISH_HEAVY = "I don't want to be here anymore."
ZH_HELP, EN_HELP = help_message("zh"), help_message("en")


def reading_of(text: str, crisis: bool = False) -> InnerState:
    """A reading as the affect stage gives it for `text`: its language and path notice, sentences, a desire."""
    emotions = dict.fromkeys(EMOTIONS, 0.02) | {"sadness": 0.5, "desire": 0.4}
    sentences = [SentenceState(s, emotions, VAD(2.6, 3.0, 2.8), 0.6, [], crisis, language=detect(s))
                 for s in re.findall(r"[^。！？.!?]+[。！？.!?]?", text)]
    desires = [] if crisis else [Desire("大海" if detect(text) == "zh" else "the sea", 0.8, "好想")]
    return InnerState(text, emotions, ["sadness"], VAD(2.6, 3.0, 2.8), 0.6, desires=desires, sentences=sentences,
                      stressors=["工作"] if detect(text) == "zh" else [], crisis=crisis, language=detect(text),
                      notice=notice(text))


def services_for(crisis_texts: set[str] = frozenset()) -> Services:
    return Services(analyze=lambda texts: [reading_of(t, t in crisis_texts) for t in texts])


def test_a_chinese_reading_in_reflect_shows_the_notice_and_chinese_help():
    _, meters, panel, _, kept, _ = list(reflect.read_entry(services_for({HEAVY}), 1000, HEAVY))[-1]
    assert panel["visible"] is True
    assert ZH_HELP.title in panel["value"] and "12356" in panel["value"] and EN_HELP.title not in panel["value"]
    assert '<div lang="zh">' in panel["value"] and reflect.REFLECT_PICTURE_NOTE in panel["value"]
    assert notice(HEAVY) and notice(HEAVY) in meters and "dv-notice" in meters
    assert InnerState.from_dict(kept["state"]).language == "zh"


def test_an_english_reading_has_no_notice_and_english_help():
    _, meters, panel, _, _, _ = list(reflect.read_entry(services_for({ENGLISH_HEAVY}), 1000, ENGLISH_HEAVY))[-1]
    assert EN_HELP.title in panel["value"] and ZH_HELP.title not in panel["value"]
    assert "dv-notice" not in meters


def test_the_meters_mark_chinese_desires_and_escape_the_notice():
    state = reading_of(LONGING)
    state.notice = "<b>read</b> & checked"
    meters = reading.meters_html(state)
    assert '<span class="dv-chip" title="cue: 好想" lang="zh">大海' in meters
    assert "&lt;b&gt;read&lt;/b&gt; &amp; checked" in meters and "<b>read</b>" not in meters


def test_a_journal_with_heavy_entries_in_both_languages_shows_both_helps_once_each():
    both = reading.help_markdown("note", ["zh", "en", "zh", "other"])
    assert both.count(ZH_HELP.title) == 1 and both.count(EN_HELP.title) == 1
    assert both.index(ZH_HELP.title) < both.index(EN_HELP.title) and both.endswith("note")


def test_the_journal_tab_counts_chinese_words_and_offers_chinese_help(tmp_path):
    path = tmp_path / "日记.md"
    path.write_text(f"# 2025-03-01\n{LONGING}\n\n# 2025-03-02\n{HEAVY}\n", encoding="utf-8")
    table, _, summary, folder, *_ = journal.parse_upload(str(path))
    assert list(table["value"]["Words"]) == [23, 12]  # Han characters, punctuation left out
    assert table["value"]["Begins with"][0] == LONGING
    assert ZH_HELP.title in summary and EN_HELP.title not in summary and folder == "日记"


def test_a_rendered_chinese_journal_says_how_far_it_was_read_and_where_to_find_help(tmp_path):
    path = tmp_path / "journal.md"
    path.write_text(f"# 2025-03-01\n{LONGING}\n\n# 2025-03-02\n{HEAVY}\n\n# 2025-03-03\n{ENGLISH_HEAVY}\n",
                    encoding="utf-8")
    *_, kept, _, _ = journal.parse_upload(str(path))
    config = UIConfig(out_dir=tmp_path / "outputs", size=64)
    services = services_for({HEAVY, ENGLISH_HEAVY})
    _, message, _ = journal.render_upload(services, config, kept, "journal", "ink", "motif", "", 0, 1, "none")
    assert f"_2 entries: {notice(LONGING)}_" in message
    assert message.index(ZH_HELP.title) < message.index(EN_HELP.title)
    keys = [r.key for r in records.load(config.out_dir / "journal")]
    _, details, meters, *_ = browse.open_entry(config, str(config.out_dir / "journal"), keys, 1)
    assert ZH_HELP.title in details and EN_HELP.title not in details and notice(HEAVY) in meters


@pytest.fixture
def chinese_render(tmp_path) -> Path:
    """An output folder painted from a Chinese journal with a heavy entry, and one English heavy entry."""
    entries = [Entry(dt.date(2025, 3, 1), LONGING, "日记.md", title="想念大海"),
               Entry(dt.date(2025, 3, 2), HEAVY, "日记.md"),
               Entry(dt.date(2025, 3, 3), ENGLISH_HEAVY, "日记.md")]
    out = tmp_path / "out"
    render_journal(entries, out, RenderSettings(backend="motif", size=64),
                   analyze=services_for({HEAVY, ENGLISH_HEAVY}).analyze)
    return out


def _pages(site: Path) -> dict[str, str]:
    """Each entry page by the first words of its entry (strict UTF-8: a page in another encoding fails here)."""
    pages = [p.read_bytes().decode("utf-8") for p in sorted((site / "entries").glob("*.html"))]
    return dict(zip(("longing", "heavy", "english"), pages))


def test_a_chinese_entry_page_shows_its_text_notice_and_chinese_help(chinese_render, tmp_path):
    pages = _pages(export_site(chinese_render, tmp_path / "site"))
    longing, heavy, english = pages["longing"], pages["heavy"], pages["english"]
    for page in pages.values():
        assert page.startswith('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">')
    assert f'<blockquote lang="zh">\n<p>{LONGING}</p></blockquote>' in longing
    assert '<h1 lang="zh">2025-03-01 · 想念大海</h1>' in longing
    assert '<span lang="zh">大海</span>' in longing and notice(LONGING) in longing
    assert ZH_HELP.title not in longing and EN_HELP.title not in longing
    assert f'<div lang="zh"><h2>{ZH_HELP.title}</h2>' in heavy and "12356" in heavy and EN_HELP.title not in heavy
    assert EN_HELP.title.replace("'", "&#x27;") in english and ZH_HELP.title not in english
    assert "class=\"muted notice\"" not in english
    index = (tmp_path / "site" / "index.html").read_bytes().decode("utf-8")
    assert '<span lang="zh">想念大海</span>' in index


def test_a_redacted_chinese_site_keeps_the_notice_and_help_but_no_diary_words(chinese_render, tmp_path):
    site = export_site(chinese_render, tmp_path / "site", redact=True)
    pages = _pages(site)
    assert notice(LONGING) in pages["longing"] and ZH_HELP.title in pages["heavy"]
    everything = "".join(p.read_bytes().decode("utf-8", "replace") for p in site.rglob("*") if p.is_file())
    for private in ("大海", "工作", "想念", "活着", "日记"):
        assert private not in everything, private


def test_plots_of_a_chinese_journal_draw_only_words_their_fonts_can_show(chinese_render, tmp_path, monkeypatch):
    """Neither matplotlib's DejaVu nor Pillow's default font has Chinese glyphs: nothing of the writer's is drawn."""
    drawn = []
    original = ImageDraw.ImageDraw.text
    monkeypatch.setattr(ImageDraw.ImageDraw, "text", lambda self, xy, text, *a, **k: drawn.append(text)
                        or original(self, xy, text, *a, **k))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        site = export_site(chinese_render, tmp_path / "site")
    assert (site / "timeline.png").is_file() and (site / "contact_sheet.png").is_file()
    assert drawn and set(drawn) == {"2025-03-01", "2025-03-02", "2025-03-03"}  # the site's and the portrait's sheets
    assert not [w for w in caught if "Glyph" in str(w.message)], "a plot drew a character its font lacks"
