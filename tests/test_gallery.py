"""Gallery export: pages, timeline, contact sheet, zip, HTML escaping and --redact leaving no text behind."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from visualizer.affect import VAD, Desire, InnerState, SentenceState
from visualizer.affect.labels import EMOTIONS
from visualizer.cli import main
from visualizer.errors import UserError
from visualizer.gallery import Store, export_site
from visualizer.gallery.store import stem
from visualizer.ingest import Entry

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
    assert "valence" in page and "stress" in page and "tweak brightness" in page
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


def test_the_site_timeline_uses_the_shared_colours_and_date_format(tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    from visualizer.gallery.plots import DATE_FORMAT, TIMELINE_COLOURS, mood_timeline

    drawn = []
    monkeypatch.setattr(plt, "close", drawn.append)
    points = [(dt.date(2025, 3, day), _state("x", ["x"], joy)) for day, joy in ((1, 0.2), (9, 0.8), (30, 0.5))]
    assert mood_timeline(points, tmp_path / "timeline.png", relative=[0.1, None, -0.2]) == tmp_path / "timeline.png"
    top, bottom = drawn[0].axes
    assert {line.get_label(): line.get_color() for line in top.lines if line.get_label() in TIMELINE_COLOURS} \
        == TIMELINE_COLOURS
    assert bottom.xaxis.get_major_formatter().fmt == DATE_FORMAT
    labels = [label.get_text() for label in bottom.get_xticklabels() if label.get_text()]
    assert labels and all(dt.datetime.strptime(label, DATE_FORMAT) for label in labels)
