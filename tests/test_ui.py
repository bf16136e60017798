"""Web UI handlers without a browser: validation, crisis panels, launch settings, journal parsing, gallery."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import gradio as gr
import pytest
from PIL import Image

from visualizer.affect import VAD, Desire, InnerState
from visualizer.affect.labels import EMOTIONS
from visualizer.errors import UserError
from visualizer.gallery.plots import TIMELINE_COLOURS
from visualizer.gallery.record import Record
from visualizer.render import read_metadata
from visualizer.ui import browse, build_app, journal, reading, records, reflect, workspace
from visualizer.ui.config import UIConfig, parse_args, parse_auth
from visualizer.ui.services import LockedBackend, Services


def make_state(text: str = "I wish I could see the sea again.", stress: float = 0.2, **emotions: float) -> InnerState:
    """A hand-built reading, so these tests never load the affect model."""
    labels = dict.fromkeys(EMOTIONS, 0.01) | {"joy": 0.1, "sadness": 0.1, "neutral": 0.2} | emotions
    active = [k for k, v in sorted(labels.items(), key=lambda i: -i[1]) if v >= 0.3] or ["neutral"]
    return InnerState(text, labels, active, VAD(3.6, 2.8, 3.1), stress, desires=[Desire("the sea", 0.8, "I wish I could")])


def read(services: Services, text: str, max_chars: int = 1000) -> tuple:
    """The Reflect tab's reading, run to its end: (chart, meters, panel, reflection, kept, status)."""
    return list(reflect.read_entry(services, max_chars, text))[-1]


def fake_services(crisis: bool = False, **emotions: float) -> Services:
    def analyze(texts):
        states = [make_state(text, **emotions) for text in texts]
        for state in states:
            state.crisis = crisis
        return states

    return Services(analyze=analyze)


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


def test_the_tiny_test_backend_is_not_offered(tmp_path):
    with pytest.raises(SystemExit):
        parse_args(["--backend", "tiny"])
    demo = build_app(UIConfig(out_dir=tmp_path, preload=False), fake_services())
    offered = [[value for _, value in block.choices] for block in demo.blocks.values()
               if isinstance(block, gr.Dropdown) and block.label == "Backend"]
    assert offered == [["motif", "auto", "diffusion"]] * 2


def test_file_routes_serve_only_files_in_gradios_cache(tmp_path, monkeypatch):
    cache = tmp_path / "gradio"
    (cache / "0a1b").mkdir(parents=True)
    shown = cache / "0a1b" / "picture.png"
    shown.write_bytes(b"\x89PNG")
    store = tmp_path / "visualizer.sqlite"
    store.write_text("every entry")
    (cache / "link.png").symlink_to(store)
    monkeypatch.chdir(tmp_path)
    guard = workspace.ServeOnlyFrom(None, cache)
    assert guard.allows(f"/gradio_api/file={shown}") and guard.allows("/gradio_api/file=gradio/0a1b/picture.png")
    assert guard.allows("/gradio_api/info") and guard.allows("/")
    for route in (f"/gradio_api/file={store}", "/gradio_api/file=visualizer.sqlite", f"/gradio_api/file/{store}",
                  f"/gradio_api/file={cache}/../visualizer.sqlite", f"/file={store}", f"/gradio_api/file={cache}/link.png",
                  f"/gradio_api/file={cache}/0a1b", f"/gradio_api/file={cache}/0a1b/gone.png",
                  "/gradio_api/proxy=https://example.com/picture.png"):
        assert not guard.allows(route), route


def test_refused_file_requests_get_a_bare_404(tmp_path):
    from starlette.testclient import TestClient

    async def page(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"the page"})

    client = TestClient(workspace.ServeOnlyFrom(page, tmp_path))
    refused = client.get(f"/gradio_api/file={Path(__file__).resolve()}")
    assert (refused.status_code, refused.content) == (404, b"")
    assert client.get("/").content == b"the page"


STOPPABLE_APP = """
import importlib.util, os, signal, sys
spec = importlib.util.spec_from_file_location("workspace", sys.argv[1])  # alone: visualizer.ui imports Gradio
workspace = importlib.util.module_from_spec(spec)
spec.loader.exec_module(workspace)
workspace.remove_on_signals()
cache = workspace.gradio_cache()
(cache / "copy.png").write_bytes(b"x")
print(os.environ["GRADIO_TEMP_DIR"], flush=True)
signal.pause()
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=["TERM", "HUP", "INT"])
def test_the_app_folder_is_removed_when_the_app_is_stopped(tmp_path, signum):
    app = subprocess.Popen([sys.executable, "-c", STOPPABLE_APP, workspace.__file__],
                           env={**os.environ, "TMPDIR": str(tmp_path)}, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)
    cache = Path(app.stdout.readline().strip())
    assert cache.parent.parent == tmp_path and cache.parent.name.startswith(workspace.PREFIX)
    assert (cache / "copy.png").is_file()
    app.send_signal(signum)
    code = app.wait(timeout=30)
    assert not cache.parent.exists()
    assert code == 128 + signum or signum == signal.SIGINT  # Ctrl-C ends through KeyboardInterrupt


# -- reflect ----------------------------------------------------------------------------------------

def test_empty_submit_is_a_readable_error():
    with pytest.raises(gr.Error, match="Write a few words"):
        read(fake_services(), "   \n ")


def test_reading_comes_back_with_chart_meters_and_no_panel():
    chart, meters, panel, reflection, kept, status = read(fake_services(), "I wish I could see the sea again.")
    chart = chart["value"]
    assert list(chart.columns) == ["emotion", "probability"] and len(chart) == reading.TOP_EMOTIONS
    assert status == reflect.PAINTING
    assert "Valence" in meters and "the sea" in meters
    assert "You long for the sea." in reflection and kept["reflection"]["text"] in reflection
    assert panel["visible"] is False and InnerState.from_dict(kept["state"]).crisis is False
    assert InnerState.from_dict(kept["state"]).desires[0].text == "the sea"


def test_huge_paste_is_shortened_with_a_warning():
    seen = []
    services = fake_services()
    original = services.analyze
    services.analyze = lambda texts: seen.extend(texts) or original(texts)
    with pytest.warns(UserWarning, match="long text"):
        read(services, "word " * 40_000, 20_000)  # 200,000 characters
    assert len(seen[0]) <= 20_000


def test_crisis_reading_opens_the_panel_and_the_picture_follows_the_safety_rule(tmp_path):
    services = fake_services(crisis=True)
    chart, meters, panel, reflection, kept, _ = read(services, "I don't want to be here anymore.")
    assert panel["visible"] is True and "findahelpline" in panel["value"] and "calmer" in panel["value"]
    assert panel["value"].count("Your words are still welcome here.") == 1
    assert "alone" in reflection and "sad" not in reflection  # gentle, names no feeling
    assert chart["visible"] is False and chart["value"] is None, "no emotion chart: it names feelings"
    shown, plain, explanation, download, *_ = reflect.render_entry(services, UIConfig(size=64), kept, "oil", "motif",
                                                                   "", 1, 1, 1.5)
    metadata = read_metadata(download["value"])
    assert metadata["style"] != "oil" and metadata["conditioning"]["strength"] <= 0.3
    assert "sounded very heavy" in plain
    assert "safety rule" in explanation and "the style you chose" not in explanation
    assert_names_no_feeling_or_means(plain + meters + explanation + reflection)
    assert "Prompt" not in explanation and "is not listed" not in explanation and "not shown" in explanation


MEANS = ("rope", "pills", "knife", "bridge", "blood", "wound", "self-harm")


def assert_names_no_feeling_or_means(shown: str) -> None:
    """No GoEmotions label (but the generic "desire"/"neutral"), no mood word chosen for one, no means on screen."""
    import re

    from visualizer.affect.labels import EMOTIONS

    words = [label for label in EMOTIONS if label not in ("desire", "neutral")] + ["sorrowful", "forlorn", "stern"]
    named = [w for w in [*words, *MEANS] if re.search(rf"\b{w}", shown, re.I)]
    assert not named, f"named on screen: {named}"


def test_a_heavy_entry_names_no_feeling_nor_means_in_any_line():
    """The crisis reading of the issue's report: sadness and disapproval strong, a stressor; a picture's explanation
    keeps lines that name neither, and the kept-out list only as its gist."""
    from visualizer.mapping import map_state

    state = make_state("x", stress=0.8, sadness=0.6, disapproval=0.5)
    state.crisis, state.stressors = True, ["my job"]
    conditioning = map_state(state)
    every = reading.explanation_table(conditioning.explanation)
    assert_names_no_feeling_or_means(every + reading.meters_html(state) + reading.explanation_markdown(conditioning))
    assert "my job" not in reading.meters_html(state) and "safety rule" in every and "keeps out: whatever" in every
    state.crisis = False
    assert "disapproval" in reading.explanation_table(map_state(state).explanation), "other entries keep every line"


def test_reflect_paints_the_same_picture_as_the_cli_for_the_same_text_and_seed(tmp_path):
    from visualizer.ingest import Entry
    from visualizer.painting import RenderSettings
    from visualizer.pipeline import render_journal

    text = "I wish I could see the sea again."
    services = fake_services()
    *_, kept, _ = read(services, text)
    _, _, _, download, *_ = reflect.render_entry(services, UIConfig(size=64), kept, "ink", "motif", "", 7, 1, 1.0)
    summary = render_journal([Entry(None, text, "<text>")], tmp_path, RenderSettings(backend="motif", style="ink",
                             seed=7, size=64), analyze=services.analyze)
    assert summary.rendered == 1
    cli_png = next((tmp_path / "images").glob("*.png"))
    reflect_meta, cli_meta = read_metadata(download["value"]), read_metadata(cli_png)
    assert reflect_meta["seed"] == cli_meta["seed"] and reflect_meta["prompt"] == cli_meta["prompt"]
    assert reflect_meta["model"] == cli_meta["model"] != ""
    with Image.open(download["value"]) as a, Image.open(cli_png) as b:
        assert a.tobytes() == b.tobytes()


def test_meters_escape_html():
    state = make_state()
    state.desires = [Desire("<script>alert(1)</script>", 0.5, "<b>")]
    assert "<script>" not in reading.meters_html(state)


def test_explanation_table_escapes_pipes():
    table = reading.explanation_table([{"score": "joy", "value": 0.5, "effect": "a|b"}])
    assert "a\\|b" in table and "0.50" in table


def test_the_technical_table_reads_in_plain_words():
    """Readable column and score names, compel weights as “word” ×1.2, no SD-latent or guidance jargon."""
    from visualizer.mapping import map_state

    table = reading.explanation_table(map_state(make_state(joy=0.7)).explanation)
    assert table.splitlines()[0] == "| From your reading | Score | What it changed |"
    assert "pleasantness + energy" in table and "feeling: joy" in table and "what you long for" in table
    assert "“the sea” ×" in table and "adds the words" in table
    for jargon in ("SD latent", "ch0", "guidance_scale", "turbo", "channel_offsets", "(the sea)", "emotion:"):
        assert jargon not in table, jargon


def test_a_picture_comes_with_plain_words_first_and_the_settings(tmp_path):
    services = fake_services(joy=0.7)
    *_, kept, _ = read(services, "I wish I could see the sea again.")
    _, plain, technical, *_ = reflect.render_entry(services, UIConfig(size=64), kept, "ink", "motif", "", 3, 1, 1.0)
    assert plain.startswith("Your longing for the sea became the subject")
    assert "seed <b>3</b>" in plain and "motif" in plain and "|" not in plain
    assert "| From your reading |" in technical and "Prompt" in technical


def test_an_animation_is_offered_as_gif_and_mp4_and_a_still_is_not():
    services = fake_services()
    *_, kept, _ = read(services, "I wish I could see the sea again. Then the rain came.")
    shown, _, _, png, gif, mp4, status = reflect.render_entry(services, UIConfig(size=64), kept, "ink", "motif", "", 0,
                                                              4, 1.0)
    assert status == "", "the status line empties once the picture is there"
    assert shown.endswith(".gif") and png["value"].endswith(".png")
    for update, suffix, magic in ((gif, ".gif", b"GIF8"), (mp4, ".mp4", b"ftyp")):
        assert update["visible"] is True and update["value"].endswith(suffix)
        assert magic in Path(update["value"]).read_bytes()[:12]
    *_, gif, mp4, _ = reflect.render_entry(services, UIConfig(size=64), kept, "ink", "motif", "", 0, 1, 1.0)
    assert gif["visible"] is False and mp4["visible"] is False


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
    table, problems, summary, folder, kept, button, author = journal.parse_upload(str(path))
    assert len(table["value"]) == 2 and list(table["value"]["Date"]) == ["2024-03-01", "2024-03-02"]
    assert list(table["value"].columns) == ["#", "Date", "Words", "Begins with"]  # no entry has a title
    assert len(table["column_widths"]) == 4
    assert "2 entries" in summary and folder == "diary" and kept["path"] == str(path)
    assert button["interactive"] is True and author["visible"] is False


CHAT = """3/14/25, 7:59 PM - Mia: Did you see the magnolias by the canal??
3/14/25, 8:05 PM - Sam: I wish I could see the sea again though
3/15/25, 9:10 AM - Mia: Rough night. Couldn't stop worrying about the interview
3/16/25, 9:12 AM - Sam: You'll be great. Call me after?
"""


def test_a_chat_offers_its_authors_and_reads_the_one_chosen(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(CHAT, encoding="utf-8")
    table, _, summary, folder, kept, _, author = journal.parse_upload(str(path))
    assert author["visible"] is True and [v for _, v in author["choices"]] == [journal.EVERYONE, "Mia", "Sam"]
    assert len(table["value"]) == 3 and "2 people" in summary and kept["author"] == journal.EVERYONE
    table, _, summary, folder, kept, _, author = journal.parse_upload(str(path), "Mia")
    assert list(table["value"]["Date"]) == ["2025-03-14", "2025-03-15"] and "only Mia's" in summary
    assert folder == "chat-Mia" and kept["author"] == "Mia" and author["value"] == "Mia"
    services = fake_services()
    config = UIConfig(out_dir=tmp_path / "outputs", size=64)
    journal.render_upload(services, config, kept, folder, "ink", "motif", "", 0, 1, "none")
    texts = [r.text for r in records.load(config.out_dir / folder)]
    assert len(texts) == 2 and all("Sam" not in t and "sea" not in t for t in texts)


@pytest.mark.parametrize("payload", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), b""])
def test_binary_or_empty_upload_is_refused_in_the_page(tmp_path, payload):
    path = tmp_path / "photo.png"
    path.write_bytes(payload)
    with pytest.warns(UserWarning):
        table, _, summary, _, kept, button, author = journal.parse_upload(str(path))
    assert table.empty and kept is None and button["interactive"] is False and author["visible"] is False
    assert "Could not read" in summary and str(tmp_path) not in summary


# -- gallery ----------------------------------------------------------------------------------------

def test_gallery_filters_by_date_and_emotion():
    def record(day, emotion):
        state = make_state("x", **{emotion: 0.9})
        return Record(key=f"{day}{emotion}", position=day, date=dt.date(2024, 3, day), text="x", status="rendered",
                      state=state, files=(Path(f"{day}.png"),))

    items = [record(1, "joy"), record(2, "sadness"), record(3, "joy"),
             Record(key="u", position=4, date=None, text="y", status="rendered", state=make_state("y", joy=0.9)),
             Record(key="unread", position=5, date=None, text="z", status="rendered")]
    assert [r.key for r in records.filter_records(items, dt.date(2024, 3, 2), None, [])] == ["2sadness", "3joy"]
    assert [r.key for r in records.filter_records(items, None, None, ["joy"])] == ["1joy", "3joy", "u"]
    assert [r.key for r in records.filter_records(items, None, None, ["neutral"])] == ["unread"]
    assert records.timeline([]) is None
    figure = records.timeline(items)
    assert [axis.get_title(loc="left") for axis in figure.axes[:-1]] == list(TIMELINE_COLOURS)
    assert len(figure.axes[0].lines[-1].get_xdata()) == 3, "the dated entries with a reading (undated are left out)"
    assert records.gallery_items(items[:1]) == [("1.png", "2024-03-01 · joy")]


@pytest.fixture
def rendered_folder(tmp_path) -> Path:
    """An output folder under tmp_path/outputs with three painted entries (2025-03-01…03)."""
    from visualizer.ingest import Entry
    from visualizer.painting import RenderSettings
    from visualizer.pipeline import render_journal

    folder = tmp_path / "outputs" / "journal"
    entries = [Entry(dt.date(2025, 3, day), f"Day {day}: I wish I could see the sea again.", "j.md") for day in (1, 2, 3)]
    render_journal(entries, folder, RenderSettings(backend="motif", size=64), analyze=fake_services().analyze)
    return folder


def test_gallery_shows_the_folder_with_an_honest_count_and_its_timeline(rendered_folder):
    config = UIConfig(out_dir=rendered_folder.parent)
    grid, _, timeline, keys, count, *_ = browse.browse(config, str(rendered_folder), "2025-03-02", "", [], [])
    assert len(grid) == len(keys) == 2 and count == "Showing **2** of 3 entries."
    assert [axis.get_title(loc="left") for axis in timeline.axes[:-1]] == list(TIMELINE_COLOURS)


def test_a_filter_never_leaves_an_entry_it_removed_in_the_pane(rendered_folder):
    config = UIConfig(out_dir=rendered_folder.parent)
    *_, keys, _ = browse.browse(config, str(rendered_folder), "", "", [], [])[:5]
    picture, details, *_, opened = browse.open_entry(config, str(rendered_folder), keys, 0)  # 2025-03-01
    assert picture and "2025-03-01" in details and opened == keys[0]
    kept = browse.browse(config, str(rendered_folder), "", "2025-03-02", [], keys, opened)
    assert all(update == gr.skip() for update in kept[5:]), "the open entry is still shown: the pane stays"
    removed = browse.browse(config, str(rendered_folder), "2025-03-02", "", [], keys, opened)
    assert list(removed[5:]) == list(browse.closed_entry()) and removed[6] == browse.NO_SELECTION


@pytest.mark.parametrize("folder, start, says", [
    ("{folder}", "2025-13-45", "'2025-13-45' is not a date: write the From date as YYYY-MM-DD"),
    ("/etc", "", "'/etc' is not an output folder. An output folder is one a journal was rendered into"),
])
def test_a_bad_date_or_folder_says_so_and_keeps_the_last_good_gallery(rendered_folder, folder, start, says):
    config = UIConfig(out_dir=rendered_folder.parent)
    keys = browse.browse(config, str(rendered_folder), "", "", [], [])[3]
    outputs = browse.browse(config, folder.format(folder=rendered_folder), start, "", [], keys, keys[0])
    assert all(update == gr.update() for update in outputs[:3]), "grid, choices and timeline are kept"
    assert outputs[3] == keys and says in outputs[4]
    assert "still showing the 3 pictures of the last filter that worked" in outputs[4] and "Showing" not in outputs[4]
    assert all(update == gr.skip() for update in outputs[5:]), "and the entry pane"


def test_the_ui_timeline_is_the_sites_figure(tmp_path):
    demo = build_app(UIConfig(out_dir=tmp_path, preload=False), fake_services())
    assert not any(isinstance(b, gr.LinePlot) for b in demo.blocks.values())
    assert any(isinstance(b, gr.Plot) and b.elem_id == "gallery-timeline" for b in demo.blocks.values())


def test_the_explanation_opens_collapsed(tmp_path):
    demo = build_app(UIConfig(out_dir=tmp_path, preload=False), fake_services())
    technical = [b for b in demo.blocks.values() if isinstance(b, gr.Accordion) and b.label == "Technical details"]
    assert len(technical) == 2 and not any(b.open for b in technical)


def test_folders_lists_only_stores(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "visualizer.sqlite").write_bytes(b"")
    (tmp_path / "b").mkdir()
    assert records.folders(tmp_path) == [str(tmp_path / "a")]
    assert records.folders(tmp_path / "missing") == []


# -- the whole app ----------------------------------------------------------------------------------

def test_app_builds_with_its_four_tabs(tmp_path):
    demo = build_app(UIConfig(out_dir=tmp_path, preload=False), fake_services())
    labels = {block.label for block in demo.blocks.values() if isinstance(block, gr.Tab)}
    assert labels == {"Reflect", "Journal", "Gallery", "Portrait"}


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


def test_a_heavy_entry_opened_in_the_gallery_tab_shows_where_to_find_help(tmp_path):
    from visualizer.ingest import Entry
    from visualizer.painting import RenderSettings
    from visualizer.pipeline import render_journal

    services = fake_services(crisis=True)
    folder = tmp_path / "journal"
    render_journal([Entry(dt.date(2025, 3, 1), "I don't want to be here anymore.", "j.md")], folder,
                   RenderSettings(backend="motif", size=64), analyze=services.analyze)
    config = UIConfig(out_dir=tmp_path)
    keys = [r.key for r in records.load(folder)]
    _, details, meters, plain, explanation, _ = browse.open_entry(config, str(folder), keys, 0)
    assert "findahelpline.com" in details and "calm, light style" in details
    assert "kept calm" in plain and "safety rule" in explanation
    assert "Strongest feelings" not in details and "Compared with your usual" not in details
    assert details.count("Your words are still welcome here.") == 1
    assert_names_no_feeling_or_means(details + meters + plain + explanation)
    assert records.caption(records.load(folder)[0]) == "2025-03-01", "no feeling on its tile either"


def test_lists_that_are_cut_say_how_many_more():
    """"Compared with your usual" lists at most COMPARED_SHOWN entries, then "… and N more"; entries with signs of
    crisis are not listed (their comparison names feelings)."""
    from types import SimpleNamespace

    summary = SimpleNamespace(baseline_note=None)
    heavy = make_state("x")
    heavy.crisis = True
    rendered = [Record(key=f"{i}", position=i, date=dt.date(2025, 1, 1) + dt.timedelta(days=i), text="x",
                       status="rendered") for i in range(journal.COMPARED_SHOWN + 12)]
    listed = journal._compared_markdown(summary, [_Compared(r, "calmer than your usual") for r in rendered])
    assert listed.count("\n- 2025") == journal.COMPARED_SHOWN and listed.endswith("\n- … and 12 more")
    with_heavy = [_Compared(rendered[0], "sadder than your usual", heavy), _Compared(rendered[1], "calmer")]
    assert "sadder" not in journal._compared_markdown(summary, with_heavy)
    assert journal.and_more(3, 3) == "" and journal.and_more(5, 3) == "\n- … and 2 more"


class _Compared:
    """A rendered record as `_compared_markdown` reads it: date, title, its comparison and its reading."""

    def __init__(self, record: Record, compared: str, state: InnerState | None = None) -> None:
        self.date, self.title, self.compared, self.state = record.date, record.title, compared, state


def test_helpline_numbers_are_tel_links_and_the_welcome_is_said_once():
    from markdown_it import MarkdownIt

    for language, number in (("en", "988"), ("zh", "12356")):
        panel = reading.help_markdown(reflect.REFLECT_PICTURE_NOTE, [language])
        assert f"[{number}](tel:{number})" in panel
        assert f'<a href="tel:{number}">{number}</a>' in MarkdownIt().render(panel)
    panel = reading.help_markdown(journal.JOURNAL_PICTURE_NOTE, ["en"])
    assert panel.count("Your words are still welcome here.") == 1
    from visualizer.safety.help import help_message

    assert "tel:" not in help_message("zh").plain and "2389 2222" in help_message("zh").plain


def test_reading_a_language_the_first_time_says_its_model_loads():
    services = fake_services()
    steps = list(reflect.read_entry(services, 1000, "最近工作压力很大，我好想再去看一次大海。"))
    assert steps[0][-1] == reflect.LOADING and steps[-1][-1] == reflect.PAINTING
    assert list(reflect.read_entry(services, 1000, "还是想去看海。"))[0][-1] == reflect.READING, "loaded once"
    assert list(reflect.read_entry(services, 1000, "A quiet day."))[0][-1] == reflect.LOADING, "English: its own model"


def test_a_handler_that_shows_steps_stays_a_generator_for_gradio():
    """Gradio streams a handler's steps only when it sees a generator function; `friendly` keeps it one and still turns
    a failure into one readable message."""
    import inspect
    from functools import partial

    from visualizer.ui.feedback import friendly

    wrapped = friendly("read the text")(partial(reflect.read_entry, fake_services(), 1000))
    assert inspect.isgeneratorfunction(wrapped)
    with pytest.raises(gr.Error, match="Write a few words"):
        list(wrapped(" "))
