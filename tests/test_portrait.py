"""The portrait of the weeks: the longings that return (counted by entry, grouped by concept, with their dates),
empty days and periods kept empty, the usual band only with a baseline, crisis entries kept out of every list and
label, its files and their place, the gallery's link, and clear one-line errors for folders it cannot draw.

Most tests paint a small journal with the motif painter and a stand-in reader (`_paint`: each text's reading is
written out in `READINGS`); one renders examples/journal.md with the real models and checks the JSON against the
store's own desires.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from visualizer.affect import VAD, Desire, InnerState
from visualizer.affect.labels import EMOTIONS
from visualizer.cli import main
from visualizer.errors import UserError
from visualizer.gallery import Store, export_site
from visualizer.gallery.place import MARKER
from visualizer.ingest import Entry
from visualizer.mapping.concepts import longing_group
from visualizer.painting import RenderSettings
from visualizer.pipeline import render_journal
from visualizer.portrait import export, gather
from visualizer.portrait.page import months

ROOT = Path(__file__).resolve().parents[1]
# text → (date, strongest feeling, valence on 1…5, desires, stressors, aversions, crisis)
READINGS = {
    "Saw the harbour in a film.": ("2025-03-03", "joy", 4.2, ["the sea"], [], [], False),
    "Too tired to think.": ("2025-03-05", "sadness", 2.0, ["to rest"], ["work"], ["the grey office"], False),
    "Coast, again, in my head.": ("2025-03-06", "desire", 3.4, ["the coast", "the sea"], ["work"], [], False),
    "A garden, maybe.": ("2025-03-20", "optimism", 3.8, ["a small garden"], [], [], False),
    "The darkest night.": ("2025-03-21", "sadness", 1.5, ["the sea"], ["work"], ["the bridge"], True),
    "Slept at last.": ("2025-04-02", "relief", 3.9, ["to rest"], [], [], False),
    "No date on this one.": (None, "neutral", 3.0, ["the sea"], [], [], False),
}
PRIVATE = ["Saw the harbour", "Too tired", "darkest night", "Slept at last", "No date on this"]


def _reader(texts: list[str]) -> list[InnerState]:
    states = []
    for text in texts:
        _, feeling, valence, desires, stressors, aversions, crisis = READINGS[text]
        emotions = dict.fromkeys(EMOTIONS, 0.02) | {feeling: 0.8}
        states.append(InnerState(text, emotions, [feeling], VAD(valence, 3.0, 3.0), 0.6 if stressors else 0.2,
                                 desires=[Desire(d, 0.7, "I wish") for d in desires],
                                 aversions=[Desire(a, 0.5, "never again") for a in aversions],
                                 stressors=stressors, crisis=crisis))
    return states


def _paint(folder: Path, texts: list[str] | None = None) -> Path:
    texts = list(READINGS) if texts is None else texts
    entries = [Entry(dt.date.fromisoformat(READINGS[t][0]) if READINGS[t][0] else None, t, "diary.md") for t in texts]
    render_journal(entries, folder, RenderSettings(backend="motif", size=64), analyze=_reader)
    return folder


@pytest.fixture(scope="module")
def painted(tmp_path_factory) -> Path:
    return _paint(tmp_path_factory.mktemp("portrait") / "journal")


@pytest.fixture(scope="module")
def site(painted, tmp_path_factory) -> tuple[Path, dict]:
    """`visualizer portrait DIR --out SITE --json` run once: the site and its JSON line."""
    out = tmp_path_factory.mktemp("portrait-site") / "site"
    portrait, files = export(painted, out)
    from visualizer.portrait import summary

    return out, summary(portrait, files)


def test_the_longings_that_return_are_counted_by_entry_and_grouped_by_concept(site):
    _, result = site
    # the sea: 3 Mar, 6 Mar ("the coast" and "the sea" in one entry count once) and the undated entry; the crisis
    # entry of 21 Mar is not counted. To rest: 5 Mar and 2 Apr. A small garden: once, so not listed.
    assert result["recurring_longings"] == [
        {"text": "the sea", "count": 3, "first": "2025-03-03", "last": "2025-03-06"},
        {"text": "rest", "count": 2, "first": "2025-03-05", "last": "2025-04-02"},
    ]


def test_days_periods_and_files_of_the_json(site):
    out, result = site
    assert result["days"] == 6  # dated days with an entry, 3 Mar … 2 Apr
    assert result["periods"] == 5  # ISO weeks 10 (3–9 Mar) … 14 (31 Mar – 6 Apr) of 2025, empty ones included
    assert result["undated"] == 1 and result["entries"] == 7
    assert result["files"] == sorted(result["files"])
    for name in result["files"]:
        assert (out / name).is_file(), name
    for name in ("index.html", "portrait.png", "portrait.svg", "periods/2025-W10/contact_sheet.png",
                 "periods/2025-W10/mood_film.gif"):
        assert name in result["files"]
    marker = json.loads((out / MARKER).read_text())
    assert sorted(marker["files"]) == sorted(result["files"])
    film = Image.open(out / "periods/2025-W10/mood_film.gif")
    assert film.n_frames > 1 and max(film.size) <= 192


def test_an_empty_week_is_an_empty_square_not_a_zero(painted, site):
    out, _ = site
    portrait = gather(painted)
    empty = [p for p in portrait.periods if not p.entries]
    assert [p.key for p in empty] == ["2025-W11", "2025-W13"]  # 10–16 and 24–30 March: no entry
    assert empty[0].mean("valence") is None and not empty[0].pictures
    page = (out / "index.html").read_text("utf-8")
    week = page[page.index('id="period-2025-W11"'):]
    week = week[:week.index("</article>")]
    assert 'class="day empty"' in week and "No entries this week" in week
    assert "2025-W11/" not in page  # no sheet, no film
    table = page[page.index("<table>"):]
    assert re.search(r"10–16 Mar 2025</th><td>0</td>(<td>—</td>){5}", table)
    days = {day.date: day for day in portrait.days}
    assert days[dt.date(2025, 3, 4)].entries == 0 and days[dt.date(2025, 3, 4)].shade is None
    assert page.count('class="day empty" role="listitem"') == len(portrait.days) - 6


def test_by_month(painted, tmp_path):
    portrait, files = export(painted, tmp_path / "months", by="month")
    assert [p.key for p in portrait.periods] == ["2025-03", "2025-04"]
    assert [p.entries for p in portrait.periods] == [5, 1]
    assert "periods/2025-03/contact_sheet.png" in files
    assert "periods/2025-04/mood_film.gif" not in files  # one picture: a sheet, no film


def test_a_crisis_day_names_no_feeling_and_its_words_are_nowhere(painted, site):
    out, _ = site
    page = (out / "index.html").read_text("utf-8")
    assert "the bridge" not in page and "darkest" not in page
    assert "Fri 21 Mar 2025: 1 entry, a hard day" in page
    day = page[page.index("Fri 21 Mar 2025"):][:80]
    assert "sadness" not in day and "heavy" not in day
    assert "the grey office" in page  # an aversion of another day is listed, as written


def test_the_page_quotes_no_diary_text(site):
    out, _ = site
    text = "\n".join(p.read_bytes().decode("latin-1") for p in out.rglob("*") if p.is_file())
    for secret in PRIVATE:
        assert secret not in text
    assert "quotes none of your diary text except the short phrases" in text


def test_redact_leaves_the_phrases_out_too(painted, tmp_path):
    export(painted, tmp_path / "redacted", redact=True)
    page = (tmp_path / "redacted" / "index.html").read_text("utf-8")
    for phrase in ("the sea", "the coast", "the grey office", "a small garden"):
        assert phrase not in page
    assert "work" in page  # a stress topic is our word, not the writer's


def test_the_usual_band_is_drawn_with_a_baseline(painted, site):
    out, _ = site
    assert gather(painted).baseline.n == 7  # every entry with words, dated or not, crisis or not (as `render`)
    page = (out / "index.html").read_text("utf-8")
    assert "the grey band the range that still reads as close to it" in page and "No baseline band" not in page
    assert "<th scope=\"row\">your usual</th>" in page


def test_one_entry_has_no_band_and_says_so(tmp_path, capsys):
    folder = _paint(tmp_path / "one", ["Saw the harbour in a film."])
    assert main(["portrait", str(folder), "--out", str(tmp_path / "site"), "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    result = json.loads(lines[-1])
    assert result["days"] == 1 and result["periods"] == 1 and result["recurring_longings"] == []
    assert any("no baseline band" in line for line in lines)
    page = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert "No baseline band" in page and "this journal has 1" in page


def test_a_folder_with_nothing_rendered_is_a_one_line_error(tmp_path, capsys):
    with Store(tmp_path / "empty"):
        pass
    code = main(["portrait", str(tmp_path / "empty"), "--out", str(tmp_path / "site")])
    err = capsys.readouterr().err.strip()
    assert code != 0 and len(err.splitlines()) == 1
    assert str(tmp_path / "empty") in err and "no rendered entries" in err and "Traceback" not in err
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("make", ["missing", "plain folder"])
def test_a_folder_that_is_not_a_render_folder_is_a_one_line_error(tmp_path, capsys, make):
    folder = tmp_path / "nothing"
    if make == "plain folder":
        folder.mkdir()
    code = main(["portrait", str(folder), "--out", str(tmp_path / "site")])
    err = capsys.readouterr().err.strip()
    assert code != 0 and len(err.splitlines()) == 1 and str(folder) in err


def test_a_users_file_is_never_replaced(painted, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(UserError, match="not a gallery export"):
        export(painted, out)
    assert (out / "notes.txt").read_text() == "mine" and len(list(out.iterdir())) == 1
    export(painted, tmp_path / "again")
    export(painted, tmp_path / "again", by="month")  # an earlier portrait of ours is replaced whole
    assert not (tmp_path / "again" / "periods" / "2025-W10").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".desire-visualizer-tmp-")]


def test_the_gallery_site_holds_and_links_the_portrait(painted, tmp_path):
    export_site(painted, tmp_path / "gallery")
    index = (tmp_path / "gallery" / "index.html").read_text("utf-8")
    assert 'href="portrait/index.html"' in index
    page = (tmp_path / "gallery" / "portrait" / "index.html").read_text("utf-8")
    assert 'href="../index.html"' in page and "Longings that return" in page
    marker = json.loads((tmp_path / "gallery" / MARKER).read_text())
    assert "portrait/portrait.svg" in marker["files"]


def test_chinese_longings_are_shown_as_written_and_grouped(tmp_path):
    texts = {"想看海。": ("2025-05-01", ["看海"]), "I miss the coast.": ("2025-05-02", ["the coast"])}
    READINGS.update({t: (d, "desire", 3.5, w, [], [], False) for t, (d, w) in texts.items()})
    try:
        folder = _paint(tmp_path / "mixed", list(texts))
    finally:
        for text in texts:
            del READINGS[text]
    portrait, _ = export(folder, tmp_path / "site")
    assert [(item.text, item.count, item.phrases) for item in portrait.longings] == \
        [("the sea", 2, ["看海", "the coast"])]
    page = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert '<span lang="zh">“看海”</span>' in page


def test_months_lay_the_days_out_from_monday():
    from visualizer.portrait.gather import Day

    days = [Day(dt.date(2025, 3, 30) + dt.timedelta(days=n)) for n in range(4)]  # Sun 30 Mar … Wed 2 Apr
    march, april = months(days)
    # 1 March 2025 is a Saturday: five cells before it, 29 days before the 30th, none of them in the span
    assert march.title == "March 2025" and march.cells[:34] == [None] * 34 and march.cells[34].date.day == 30
    assert april.cells[:1] == [None] and april.cells[1].date == dt.date(2025, 4, 1)  # 1 April 2025 is a Tuesday


def test_the_example_journal_against_the_stores_desires(tmp_path, capsys):
    """examples/journal.md with the real models: every longing group held by two entries or more, counted and dated
    from the store's own readings."""
    out = tmp_path / "journal"
    assert main(["render", str(ROOT / "examples" / "journal.md"), "--out", str(out), "--backend", "motif",
                 "--size", "64"]) == 0
    assert main(["portrait", str(out), "--out", str(tmp_path / "site"), "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    expected: dict[str, list[str]] = {}
    with Store(out, readonly=True) as store:
        for record in store.records(by_date=True):
            if record.state is None or record.state.crisis:
                continue
            for group in {longing_group(d.text) for d in record.state.desires}:
                expected.setdefault(group, []).append(record.date.isoformat())
    want = sorted(({"text": g, "count": len(d), "first": min(d), "last": max(d)} for g, d in expected.items()
                   if len(d) >= 2), key=lambda item: (-item["count"], item["first"]))
    assert result["recurring_longings"] == want
    assert "the sea" in {item["text"] for item in want}  # "the sea" on 1 March, "the coast" on 16 March
    for name in result["files"]:
        assert (tmp_path / "site" / name).is_file()


def test_a_journal_with_no_dates_has_no_calendar_but_a_page(tmp_path):
    folder = _paint(tmp_path / "undated", ["No date on this one."])
    portrait, files = export(folder, tmp_path / "site")
    assert (portrait.days, portrait.periods, portrait.undated) == ([], [], 1)
    assert files == ["index.html"]
    page = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert "No entry has a date, so there is no calendar." in page and "1 undated entry is not on the calendar" in page


def test_the_ui_tab_draws_the_portrait_of_an_output_folder(painted):
    from visualizer.ui import portrait as tab
    from visualizer.ui.config import UIConfig

    html, figure, pictures, downloads = tab.draw(UIConfig(out_dir=painted.parent), str(painted), "week")
    assert html.startswith("<style>") and "Longings that return" in html and "the sea" in html
    assert figure.endswith("portrait.png") and Path(figure).is_file()
    assert ("3–9 Mar 2025 · contact sheet" in [caption for _, caption in pictures]
            and "3–9 Mar 2025 · mood film" in [caption for _, caption in pictures])
    assert downloads["value"][0].endswith(".zip") and all(Path(name).is_file() for name in downloads["value"])
