"""Gallery export: pages, timeline, contact sheets, zip, HTML escaping and --redact leaving no text behind; only
our own files touched, nothing changed by a failed export, one export at a time, memory bounded on a long journal."""

from __future__ import annotations

import datetime as dt
import errno
import gc
import json
import os
import tempfile
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, PngImagePlugin

from visualizer.affect import VAD, Desire, InnerState, SentenceState
from visualizer.affect.labels import EMOTIONS
from visualizer.cli import main
from visualizer.errors import UserError
from visualizer.gallery import Store, export_site, place, plots, site
from visualizer.gallery.place import MARKER
from visualizer.gallery.store import stem
from visualizer.ingest import Entry
from visualizer.tempfiles import is_temporary, temporary_name

SECRET_SENTENCES = ["I wish I could see the sea again.", "<script>alert('diary')</script> Work crushed me today."]
DESIRE = "the sea"
TITLE = "Lisbon memories"
AUTHOR = "Ana Secretname"
AVERSION = "the grey office"


def _state(text: str, sentences: list[str], joy: float) -> InnerState:
    emotions = {label: 0.02 for label in EMOTIONS} | {"joy": joy, "desire": 0.6, "nervousness": 1 - joy}
    parts = [SentenceState(s, emotions, VAD(3.5, 3.0, 3.0), 0.3, []) for s in sentences]
    return InnerState(text, emotions, ["desire", "joy"], VAD(2.0 + 2 * joy, 3.2, 2.8), 1 - joy,
                      desires=[Desire(DESIRE, 0.8, "I wish I could see", 0)], stressors=["work"], sentences=parts,
                      aversions=[Desire(AVERSION, 0.5, "I never want", 0)])


def _image(path: Path, colour: str, secret: str) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("prompt", f"({secret})1.4, wistful")
    info.add_text("state", secret)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 64), colour).save(path, pnginfo=info)


def _frames(path: Path, secret: str) -> None:
    frames = [Image.new("RGB", (32, 32), c) for c in ("red", "blue", "green")]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=80, loop=0, comment=secret.encode())


@pytest.fixture
def render_dir(tmp_path) -> Path:
    """A render folder with three entries: two rendered (one animated), one that failed to render."""
    out = tmp_path / "out"
    text = "\n".join(SECRET_SENTENCES)
    entries = [Entry(dt.date(2025, 3, 1), text, "secret-diary.md", AUTHOR, TITLE, 3, ("private-tag",)),
               Entry(dt.date(2025, 3, 2), "Dinner with Priya was pure joy.", "secret-diary.md", line=9),
               Entry(dt.date(2025, 3, 3), "Slept badly, the deadline again.", "secret-diary.md", line=12)]
    with Store(out) as store:
        store.add(entries)
        store.save_states({e.key: _state(e.text, e.text.split("\n"), j).to_dict()
                           for e, j in zip(entries, (0.3, 0.9, 0.1))})
        for entry, colour in zip(entries[:2], ("teal", "orange")):
            image = out / "images" / f"{stem(entry.key, entry.date.isoformat())}.png"
            _image(image, colour, entry.text)
            files = [image]
            if entry is entries[0]:
                animation = out / "animations" / f"{image.stem}.gif"
                animation.parent.mkdir(exist_ok=True)
                _frames(animation, entry.text)
                files.append(animation)
            conditioning = {"prompt": f"({DESIRE})1.4, wistful, watercolor", "style": "watercolor", "seed": 7,
                            "subjects": [DESIRE],
                            "explanation": [{"score": "desire", "value": 0.8, "effect": f"prompt: ({DESIRE})1.4"},
                                            {"score": "imagery", "value": "sea", "effect": "prompt: sea"},
                                            {"score": "valence", "value": -0.2, "effect": "tweak brightness -0.18"}]}
            store.mark_rendered(entry.key, conditioning, files, {"backend": "motif"}, "motif")
        store.mark_failed(entries[2].key, "render", "RuntimeError: boom")
    return out


def _all_text(site: Path) -> str:
    """Every byte of every file in the site (and inside the zip), decoded leniently, for grepping."""
    chunks = []
    for path in site.rglob("*"):
        if path.is_file():
            chunks.append(path.read_bytes().decode("latin-1"))
    return "\n".join(chunks)


def test_site_has_index_pages_timeline_contact_sheet_and_zip(render_dir, tmp_path):
    archive = export_site(render_dir, tmp_path / "site", zip=True)
    site = tmp_path / "site"
    assert archive == tmp_path / "site.zip" and archive.is_file()
    index = (site / "index.html").read_text()
    assert "timeline.png" in index and "contact_sheet.png" in index
    assert len(list((site / "entries").glob("*.html"))) == 3
    assert (site / "thumbs").is_dir() and len(list((site / "thumbs").glob("*.jpg"))) == 2
    assert len(list((site / "animations").glob("*.gif"))) == 1
    for name in ("timeline.png", "contact_sheet.png"):
        with Image.open(site / name) as image:
            assert image.width > 100
    page = next(p for p in (site / "entries").glob("2025-03-01_*.html")).read_text()
    assert "I wish I could see the sea again." in page and TITLE in page and "desire" in page and AVERSION in page
    assert "valence" in page and "stress" in page and "brightness -0.18" in page and "pleasantness" in page
    # self-contained: no network and only relative links
    for html_file in site.rglob("*.html"):
        content = html_file.read_text()
        assert "http://" not in content and "https://" not in content and "<script" not in content
    with zipfile.ZipFile(archive) as bundle:
        assert "site/index.html" in bundle.namelist()


def test_user_text_is_html_escaped(render_dir, tmp_path):
    export_site(render_dir, tmp_path / "site")
    page = next((tmp_path / "site" / "entries").glob("2025-03-01_*.html")).read_text()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;diary&#x27;)&lt;/script&gt;" in page


HOSTILE = "<img src=x onerror=alert(1)> \"quoted\" & 'single'"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &amp; &#x27;single&#x27;"


def test_every_field_a_store_can_hold_is_escaped_on_every_page(tmp_path):
    """Whatever a row holds (text, title, author, tags, source, the reading's words, the explanation, the prompt,
    even a backend name), a page shows it as text."""
    out = tmp_path / "out"
    entry = Entry(dt.date(2025, 3, 1), f"{HOSTILE}. Second sentence.", f"{HOSTILE}.md", HOSTILE, HOSTILE, 2,
                  (HOSTILE,))
    reading = _state(entry.text, entry.text.split(". "), 0.4)
    reading.stressors[:] = [HOSTILE]
    reading.desires[:] = reading.aversions[:] = [Desire(HOSTILE, 0.5, "I wish", 0)]
    reading.notice = HOSTILE
    with Store(out) as store:
        store.add([entry])
        store.save_states({entry.key: reading.to_dict()})
        image = out / "images" / f"{stem(entry.key, '2025-03-01')}.png"
        _image(image, "teal", "x")
        store.mark_rendered(entry.key, {"prompt": HOSTILE, "style": HOSTILE, "seed": HOSTILE,
                                        "explanation": [{"score": HOSTILE, "value": HOSTILE, "effect": HOSTILE}]},
                            [image], {}, HOSTILE)
    built = export_site(out, tmp_path / "site")
    index, page = (built / "index.html").read_text(), next((built / "entries").glob("*.html")).read_text()
    assert "<img src=x" not in index + page and "'single'" not in index + page
    assert f"<span>{ESCAPED}</span>" in index  # the card's title
    shown = [f"<h1>2025-03-01 · {ESCAPED}</h1>", f"by {ESCAPED}</p>", f'<span class="tag">{ESCAPED}</span>',
             f"<p>{ESCAPED}. Second sentence.</p></blockquote>", f"from {ESCAPED}.md, line 2</p>",
             f'<p class="muted notice">{ESCAPED}</p>', f"Weighing on you: <span>{ESCAPED}</span>",
             f"<li>{ESCAPED}</li>", f"<td>{ESCAPED}</td><td>{ESCAPED}</td><td>{ESCAPED}</td>", f"<td>{ESCAPED}</td>",
             f'<p class="prompt">{ESCAPED}</p>',
             f"style {ESCAPED} · seed {ESCAPED} · backend {ESCAPED}</p>"]
    assert [text for text in shown if text not in page] == []


def test_redact_leaves_no_diary_text_anywhere(render_dir, tmp_path):
    code = main(["gallery", str(render_dir), "--out", str(tmp_path / "site"), "--zip", "--redact"])
    assert code == 0
    site, archive = tmp_path / "site", tmp_path / "site.zip"
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(unpacked)
    everything = (_all_text(site) + _all_text(unpacked)).lower()
    secrets = [*SECRET_SENTENCES, "Dinner with Priya", "Slept badly", DESIRE, TITLE, AUTHOR, AVERSION, "private-tag",
               "secret-diary", "alert("]
    for secret in secrets:
        assert secret.lower() not in everything, secret
    for png in site.rglob("*.png"):
        with Image.open(png) as image:
            assert not getattr(image, "text", {}), png  # no text chunks left in any image
    assert "valence" in everything and "a desire, intensity 80%" in everything  # the reading is still shown


def test_redacted_export_replaces_an_earlier_full_one(render_dir, tmp_path):
    export_site(render_dir, tmp_path / "site")
    export_site(render_dir, tmp_path / "site", redact=True)
    assert "sea again" not in _all_text(tmp_path / "site")


def test_refuses_to_overwrite_a_folder_that_is_not_an_export(render_dir, tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("do not delete")
    with pytest.raises(UserError, match="not a gallery export"):
        export_site(render_dir, precious)
    assert (precious / "thesis.txt").read_text() == "do not delete"


def test_folder_without_a_store_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="run `visualizer render"):
        export_site(tmp_path, tmp_path.parent / "site-x")


def test_the_timeline_is_small_multiples_against_the_usual_band(tmp_path):
    """One panel per measure in its own colour, with the words at its scale's ends and the writer's usual as a band
    (once there are enough entries for a usual), above the strongest feelings; dates in the shared format."""
    from visualizer.affect.baseline import MIN_ENTRIES
    from visualizer.gallery.plots import DATE_FORMAT, TIMELINE_COLOURS, MoodSeries, mood_timeline, timeline_figure

    series = MoodSeries()
    for day, joy in ((1, 0.2), (9, 0.8), (30, 0.5)):
        series.add(dt.date(2025, 3, day), _state("x", ["x"], joy))
    assert mood_timeline(series, tmp_path / "timeline.png") == tmp_path / "timeline.png"
    with Image.open(tmp_path / "timeline.png") as image:
        assert image.width < image.height, "one narrow column of panels, not one wide chart"
    figure = timeline_figure(series)
    *panels, feelings = figure.axes
    assert [panel.get_title(loc="left") for panel in panels] == list(TIMELINE_COLOURS)
    for panel in panels:
        (line,) = panel.lines
        assert line.get_color() == TIMELINE_COLOURS[panel.get_title(loc="left")]
        assert [tick.get_text() for tick in panel.get_yticklabels()] in (
            [["unpleasant", "pleasant"], ["calm", "activated"], ["at ease", "stressed"], ["untroubled", "anxious"],
             ["indifferent", "engaged"]])
        assert not panel.patches, f"no usual band from {len(series)} entries (fewer than {MIN_ENTRIES})"
    assert feelings.get_title(loc="left") == "strongest feelings"
    assert feelings.xaxis.get_major_formatter().fmt == DATE_FORMAT
    labels = [label.get_text() for label in feelings.get_xticklabels() if label.get_text()]
    assert labels and all(dt.datetime.strptime(label, DATE_FORMAT) for label in labels)
    colours = list(TIMELINE_COLOURS.values())
    assert len(set(colours)) == len(colours)

    for day in range(10, 10 + MIN_ENTRIES):
        series.add(dt.date(2025, 3, day), _state("x", ["x"], 0.5))
    panels = timeline_figure(series).axes[:-1]
    band = panels[2].patches[0]  # stress: 1 - joy, usual 0.5 with the floor's spread 0.1 at least
    assert all(panel.patches for panel in panels) and band.get_y() < 0.5 < band.get_y() + band.get_height()


def test_a_long_timeline_draws_group_means(tmp_path, monkeypatch):
    monkeypatch.setattr(plots, "TIMELINE_POINTS", 4)
    series = plots.MoodSeries()
    for day in range(10):
        series.add(dt.date(2025, 3, 1) + dt.timedelta(days=day), _state("x", ["x"], day / 10))
    stress = plots.timeline_figure(series).axes[2].lines[-1]  # 1 - joy: 1.0, 0.9, … 0.1 in groups of 2, 3, 2, 3 days
    assert list(stress.get_xdata()) == [dt.date(2025, 3, d) for d in (1, 4, 6, 9)]
    assert np.allclose(stress.get_ydata(), [0.95, 0.7, 0.45, 0.2])


# -- a journal of many short entries ---------------------------------------------------------------------------------
def _journal(out: Path, days: int) -> list[str]:
    """A render folder of `days` one-line entries (the last one undated), each with a 16 px picture; their stems in
    the site's order (by date, undated last)."""
    entries = [Entry(dt.date(2024, 1, 1) + dt.timedelta(days=day) if day < days - 1 else None, f"Day {day}.",
                     "diary.md", line=day + 1) for day in range(days)]
    with Store(out) as store:
        store.add(entries)
        store.save_states({e.key: InnerState.neutral(e.text).to_dict() for e in entries})
        for entry in entries:
            image = out / "images" / f"{stem(entry.key, entry.date and entry.date.isoformat())}.png"
            image.parent.mkdir(exist_ok=True)
            Image.new("RGB", (16, 16), "teal").save(image)
            store.mark_rendered(entry.key, {"prompt": "calm", "style": "watercolor", "seed": 0}, [image], {}, "motif")
    return [stem(e.key, e.date and e.date.isoformat()) for e in entries]


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to show that nothing changed (but the store's -wal and -shm files,
    which SQLite makes even for a reader)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith(("-wal", "-shm"))}


def test_a_long_journal_is_paged_and_linked_in_date_order(tmp_path, monkeypatch):
    monkeypatch.setattr(site, "CARDS_PER_PAGE", 2)
    monkeypatch.setattr(plots, "SHEET_PICTURES", 2)
    stems = _journal(tmp_path / "out", 5)
    built = export_site(tmp_path / "out", tmp_path / "site")
    index = (built / "index.html").read_text()
    assert 'href="index_2.html"' in index and 'href="index_3.html"' in index
    assert [stem in index for stem in stems] == [True, True, False, False, False]
    sheets = ["contact_sheet.png", "contact_sheet_2.png", "contact_sheet_3.png"]
    assert all(f'href="{name}"' in index for name in sheets)
    assert sorted(p.name for p in built.glob("contact_sheet*.png")) == sheets
    assert stems[4] in (built / "index_3.html").read_text() and "undated" in stems[4]
    for number, name in enumerate(stems):
        page = (built / "entries" / f"{name}.html").read_text()
        assert f'href="../{site.index_name(number // 2 + 1)}"' in page
        neighbours = [stems[i] for i in (number - 1, number + 1) if 0 <= i < len(stems)]
        assert sorted(link.split(".html")[0] for link in page.split('<nav>')[1].split('href="')[1:]) == \
            sorted(neighbours)


def test_the_export_holds_one_reading_at_a_time(tmp_path, monkeypatch):
    """Rows stream: when any page is written, at most the entry's reading (and the one being added) are alive."""
    _journal(tmp_path / "out", 40)
    alive = []
    write_page = site._entry_page

    def readings() -> int:
        return sum(isinstance(o, InnerState) for o in gc.get_objects())

    earlier = readings()  # what other tests in this process keep alive

    def counting(*args):
        alive.append(readings() - earlier)
        return write_page(*args)

    monkeypatch.setattr(site, "_entry_page", counting)
    export_site(tmp_path / "out", tmp_path / "site")
    assert len(alive) == 40 and max(alive) <= 2


# -- bad folders: a clear message each, nothing written ---------------------------------------------------------------
@pytest.mark.parametrize(("out", "message"), [
    ("", "--out is empty"),
    (".", "is the folder you are in"),
    ("..", "is the folder you are in"),
    ("/", "root of the file system"),
    ("notes.txt", "exists and is not a folder"),
    ("../out/site", "is inside the render folder"),
    ("../out", "is the render folder itself"),
    ("link", "is a symbolic link"),
    ("site.zip.d", "is not a regular file"),
], ids=["empty", "dot", "dotdot", "root", "a-file", "inside", "the-render-folder", "link", "zip-a-folder"])
def test_an_out_that_cannot_be_a_site_is_a_clear_error(render_dir, tmp_path, monkeypatch, capsys, out, message):
    here = tmp_path / "here"
    here.mkdir()
    (here / "notes.txt").write_text("mine")
    (tmp_path / "elsewhere").mkdir()
    (here / "link").symlink_to(tmp_path / "elsewhere")
    (here / "site.zip.d.zip").mkdir()
    monkeypatch.chdir(here)
    before = _snapshot(tmp_path)
    assert main(["gallery", str(render_dir), "--out", out, "--zip"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ") and message in error and "Traceback" not in error
    assert _snapshot(tmp_path) == before


def test_an_out_that_holds_the_render_folder_is_refused(render_dir, tmp_path):
    with pytest.raises(UserError, match="holds the render folder"):
        export_site(render_dir, tmp_path)


@pytest.mark.parametrize(("kind", "message"), [("missing", "no such folder"), ("a-file", "not a folder"),
                                               ("a-damaged-store", "is not a visualizer store")])
def test_a_dir_that_is_not_a_render_folder_is_a_clear_error(tmp_path, capsys, kind, message):
    folder = tmp_path / "journal"
    if kind == "a-file":
        folder.write_text("x")
    elif kind == "a-damaged-store":
        folder.mkdir()
        (folder / "visualizer.sqlite").write_text("not sqlite")
    assert main(["gallery", str(folder), "--out", str(tmp_path / "site")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "site").exists() and not any(p.name.startswith(".") for p in tmp_path.iterdir())


# -- only our own files ---------------------------------------------------------------------------------------------
def test_the_work_files_are_ours_and_look_alikes_of_the_users_survive(render_dir, tmp_path, monkeypatch):
    mine = {tmp_path / ".site.building" / "draft.txt": "my draft", tmp_path / ".site.zip.tmp": "my zip",
            tmp_path / "site.zip.part": "my download"}
    for path, text in mine.items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    packed = []
    zip_site = place.zip_site

    def recording(build, files, target):
        packed.append(target)
        return zip_site(build, files, target)

    monkeypatch.setattr(place, "zip_site", recording)
    export_site(render_dir, tmp_path / "site", zip=True)
    [target] = packed
    assert is_temporary(target.parent.name) and target.parent.parent == tmp_path and not target.parent.exists()
    assert {path: path.read_text() for path in mine} == mine
    assert not [p for p in tmp_path.iterdir() if is_temporary(p.name)]


def test_an_export_without_pictures_replaces_itself(tmp_path):
    with Store(tmp_path / "out") as store:
        store.add([Entry(dt.date(2025, 3, 1), "Nothing painted yet.", "diary.md")])
    export_site(tmp_path / "out", tmp_path / "site")
    assert (export_site(tmp_path / "out", tmp_path / "site") / "index.html").is_file()


def test_the_marker_lists_every_file_of_the_site(render_dir, tmp_path):
    built = export_site(render_dir, tmp_path / "site", redact=True)
    record = json.loads((built / MARKER).read_text())
    assert record["redacted"] is True
    assert sorted(record["files"]) == sorted(p.relative_to(built).as_posix() for p in built.rglob("*")
                                             if p.is_file() and p.name != MARKER)


@pytest.mark.parametrize("dropped", ["notes.txt", "entries/my-page.html", "thumbs/mine/"])
def test_a_users_file_in_an_earlier_export_stops_the_next_one(render_dir, tmp_path, dropped):
    built = export_site(render_dir, tmp_path / "site")
    path = built / dropped
    path.mkdir() if dropped.endswith("/") else path.write_text("mine")
    before = _snapshot(built)
    with pytest.raises(UserError, match=f"holds {path.as_posix().rstrip('/')}, which the earlier export did not write"):
        export_site(render_dir, built, redact=True)
    assert _snapshot(built) == before and path.exists()


def test_a_folder_with_an_earlier_versions_marker_is_not_replaced(render_dir, tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / MARKER).write_text("full\n")
    (folder / "index.html").write_text("mine")
    with pytest.raises(UserError, match="not a gallery export"):
        export_site(render_dir, folder)
    assert (folder / "index.html").read_text() == "mine"


def test_an_export_removes_what_a_killed_export_of_the_same_site_left_and_nothing_else(render_dir, tmp_path):
    killed = Path(tempfile.mkdtemp(dir=tmp_path, prefix=temporary_name("site")))
    (killed / "site").mkdir()
    (killed / "site" / "index.html").write_text(SECRET_SENTENCES[0])
    other = Path(tempfile.mkdtemp(dir=tmp_path, prefix=temporary_name("site-2")))
    export_site(render_dir, tmp_path / "site")
    assert not killed.exists() and other.is_dir()


# -- a failed export changes nothing and leaves nothing ----------------------------------------------------------------
def _earlier_redacted_export(render_dir: Path, tmp_path: Path) -> dict[str, bytes]:
    export_site(render_dir, tmp_path / "site", redact=True, zip=True)
    return _snapshot(tmp_path)


def _assert_no_diary_text_beside(tmp_path: Path, render_dir: Path) -> None:
    for path in tmp_path.rglob("*"):
        if path.is_file() and render_dir not in path.parents:
            assert "sea again" not in path.read_bytes().decode("latin-1"), path


def test_a_full_disk_while_zipping_leaves_the_previous_site_and_zip_as_they_were(render_dir, tmp_path, monkeypatch):
    before = _earlier_redacted_export(render_dir, tmp_path)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", full_disk)
    with pytest.raises(UserError, match="free some space"):
        export_site(render_dir, tmp_path / "site", zip=True)
    assert _snapshot(tmp_path) == before
    assert not [p for p in tmp_path.iterdir() if is_temporary(p.name)]
    _assert_no_diary_text_beside(tmp_path, render_dir)


def test_a_failed_last_move_puts_the_previous_site_back(render_dir, tmp_path, monkeypatch):
    before = _earlier_redacted_export(render_dir, tmp_path)

    replace = os.replace

    def refused(source, target):  # only the moves into place: the files written inside the work folder go through
        if Path(target).parent != tmp_path:
            return replace(source, target)
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(UserError, match="pick a writable folder"):
        export_site(render_dir, tmp_path / "site", zip=True)
    assert _snapshot(tmp_path) == before
    _assert_no_diary_text_beside(tmp_path, render_dir)


def test_a_zip_target_that_is_a_folder_is_refused_before_anything_changes(render_dir, tmp_path):
    export_site(render_dir, tmp_path / "site", redact=True)
    (tmp_path / "site.zip").mkdir()
    (tmp_path / "site.zip" / "keep.txt").write_text("mine")
    before = _snapshot(tmp_path)
    with pytest.raises(UserError, match="site.zip exists and is not a regular file"):
        export_site(render_dir, tmp_path / "site", zip=True)
    assert _snapshot(tmp_path) == before
    _assert_no_diary_text_beside(tmp_path, render_dir)


# -- one export at a time ---------------------------------------------------------------------------------------------
def test_a_second_export_to_the_same_folder_is_refused_while_the_first_writes(render_dir, tmp_path, monkeypatch):
    building, finish = threading.Event(), threading.Event()
    build = site._build

    def slow_build(*args):
        building.set()
        finish.wait(30)
        build(*args)

    monkeypatch.setattr(site, "_build", slow_build)
    results = []
    first = threading.Thread(target=lambda: results.append(export_site(render_dir, tmp_path / "site")))
    first.start()
    try:
        assert building.wait(30)
        with pytest.raises(UserError, match=f"another export is writing {tmp_path / 'site'} \\(pid {os.getpid()}"):
            export_site(render_dir, tmp_path / "site", redact=True)
    finally:
        finish.set()
        first.join(30)
    assert results == [tmp_path / "site"] and "sea again" in _all_text(tmp_path / "site")
    export_site(render_dir, tmp_path / "site", redact=True)  # the lock is released


def test_an_entry_page_puts_words_first_folds_the_table_and_reflows_the_text(tmp_path):
    """Reflection and plain words before the diary text and the reading; V/A/D on one −1…1 scale with words; the
    technical table folded; a hard-wrapped paragraph joined, a one-thought-per-line one kept; a heavy entry's page
    names no feeling and no means."""
    from visualizer.ingest import Entry as Written
    from visualizer.painting import RenderSettings
    from visualizer.pipeline import render_journal

    wrapped = ("I walked down to the harbour this morning and watched the boats come in one\n"
               "by one while the fog lifted slowly over the water and the gulls kept calling.\n\n"
               "tired today\ncalled mum\nfelt better")
    heavy = "Everyone disapproves of me. I don't want to be here anymore."

    def analyze(texts):
        states = [_state(text, [text], 0.2) for text in texts]
        for state in states:
            state.emotions |= {"sadness": 0.6, "disapproval": 0.5}
            state.crisis = "anymore" in state.text
            state.desires = [] if state.crisis else state.desires
        return states

    entries = [Written(dt.date(2025, 3, 1), wrapped, "j.md"), Written(dt.date(2025, 3, 2), heavy, "j.md")]
    render_journal(entries, tmp_path / "out", RenderSettings(backend="motif", size=64), analyze=analyze)
    site = export_site(tmp_path / "out", tmp_path / "site")
    calm, sad = (next((site / "entries").glob(f"2025-03-0{day}_*.html")).read_text() for day in (1, 2))
    assert calm.index('class="plain"') < calm.index("<blockquote") < calm.index("How it read") \
        < calm.index('<details class="panel technical">') < calm.index("Why it looks like this")
    assert "boats come in one by one while" in calm and "tired today\ncalled mum\nfelt better" in calm
    assert "unpleasant" in calm and "pleasant" in calm and "powerless" in calm and "1–5" not in calm.split("<details")[0]
    assert "<th>−1…1</th>" not in calm
    visible = sad.split("<nav>")[0]
    assert "findahelpline.com" in visible and 'href="tel:988"' in visible
    for word in ("sadness", "disapproval", "rope", "pills", "knife", "bridge edge", "Strongest feelings", "Prompt"):
        assert word not in visible, word
    assert "whatever could hurt to see" in visible
    assert "2025-03-02 ·" not in (site / "index.html").read_text(), "no feeling on its card either"
