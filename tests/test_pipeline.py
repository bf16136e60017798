"""render_journal and `visualizer render`: resume, idempotence, poisoned entries, crashes, disk errors.

Analysis is faked (InnerState built by hand) and the backend is a tiny stand-in, so these run in well
under a second each; one end-to-end test uses the real affect model and the motif painter.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import signal
import sqlite3
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest
from PIL import Image

import visualizer.affect
from visualizer.affect.model import WEIGHTS
from visualizer.cli import main
from visualizer.errors import UserError
from visualizer.gallery import Store
from visualizer.gallery.store import STORE_FILE
from visualizer.ingest import Entry
from visualizer.painting import RenderSettings
from visualizer.pipeline import render_journal
from visualizer.tempfiles import is_temporary

ROOT = Path(__file__).resolve().parents[1]
FAKES = '''
from PIL import Image
from visualizer.affect import VAD, Desire, InnerState
from visualizer.affect.labels import EMOTIONS


def fake_analyze(texts):
    """A reading built by hand: joy from "happy", desire from "wish", stress from "work"."""
    calls.append(len(texts))
    states = []
    for text in texts:
        if "POISON" in text:
            raise ValueError("cannot read this one")
        joy = 0.9 if "happy" in text else 0.1
        emotions = {label: 0.01 for label in EMOTIONS} | {"joy": joy, "sadness": 1 - joy}
        desires = [Desire("the sea", 0.8, "I wish", 0)] if "wish" in text else []
        states.append(InnerState(text, emotions, ["joy" if joy > 0.5 else "sadness"], VAD(1 + 4 * joy, 3.0, 3.0),
                                 0.7 if "work" in text else 0.1, desires=desires))
    return states


calls = []


class FakeBackend:
    """Paints one flat colour per conditioning; fails on conditionings whose key is in `poison`."""

    name, model, reason, batch_size = "fake", "fake-1", "test stand-in", 4

    def __init__(self, poison=(), delay=0.0):
        self.poison, self.delay, self.painted = set(poison), delay, 0

    def render(self, conds, size=512):
        import time
        time.sleep(self.delay)
        if any(c.key in self.poison for c in conds):
            raise RuntimeError("poisoned conditioning")
        self.painted += len(conds)
        return [Image.new("RGB", (size, size), (c.seed % 256, 80, 160)) for c in conds]

    def iter_sequence(self, cond, frames, size=512):
        return (Image.new("RGB", (size, size), (i * 40 % 256, 80, 160)) for i in range(frames))
'''
namespace: dict = {}
exec(FAKES, namespace)
FakeBackend, fake_analyze, CALLS = namespace["FakeBackend"], namespace["fake_analyze"], namespace["calls"]


def journal(n: int = 5, poison: int | None = None) -> list[Entry]:
    texts = ["I am happy today", "work was heavy", "I wish I could see the sea again", "quiet day", "happy again"]
    return [Entry(dt.date(2025, 3, i + 1), ("POISON " if i == poison else "") + f"{texts[i % 5]} #{i}", "j.md",
                  line=i * 3 + 1) for i in range(n)]


def run(entries, out, backend=None, **kwargs):
    """render_journal with the fakes; keyword arguments that are RenderSettings fields become the settings."""
    chosen = {k: kwargs.pop(k) for k in list(kwargs) if k in {f.name for f in fields(RenderSettings)}}
    settings = RenderSettings(**{"size": 64} | chosen)
    return render_journal(entries, out, settings, backend=backend or FakeBackend(), analyze=fake_analyze, **kwargs)


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()


def rows(out: Path) -> list[dict]:
    with Store(out) as store:
        return store.entries()


def test_renders_everything_then_a_rerun_skips_all(tmp_path):
    summary = run(journal(), tmp_path)
    assert (summary.entries, summary.rendered, summary.skipped, summary.failed) == (5, 5, 0, 0)
    assert summary.backend == "fake" and summary.to_json() == {"entries": 5, "rendered": 5, "skipped": 0,
                                                                 "failed": 0, "out": str(tmp_path)}
    assert CALLS == [5]  # one batched analyse call
    pngs = sorted((tmp_path / "images").glob("*.png"))
    assert len(pngs) == 5
    with Image.open(pngs[0]) as image:
        assert image.size == (64, 64)
    backend = FakeBackend()
    again = run(journal(), tmp_path, backend=backend)
    assert (again.rendered, again.skipped, again.failed) == (0, 5, 0)
    assert backend.painted == 0 and CALLS == [5]  # nothing analysed or painted twice
    stored = rows(tmp_path)
    assert len(stored) == 5 and {r["status"] for r in stored} == {"rendered"}
    assert all(r["conditioning"]["explanation"] == r["explanation"] and r["state"]["emotions"] for r in stored)
    assert len(list((tmp_path / "images").glob("*.png"))) == 5


def test_analysis_is_chunked_and_committed_per_chunk(tmp_path):
    run(journal(10), tmp_path, analyze_chunk=4)
    assert CALLS == [4, 4, 2]


def test_crash_between_analysis_and_render_resumes_without_duplicates(tmp_path):
    class Crash(FakeBackend):
        def render(self, conds, size=512):
            raise KeyboardInterrupt  # the process dies right after analysis was committed

    with pytest.raises(KeyboardInterrupt):
        run(journal(), tmp_path, backend=Crash())
    assert {r["status"] for r in rows(tmp_path)} == {"analyzed"}
    summary = run(journal(), tmp_path)
    assert CALLS == [5]  # the analysis of the first run was kept, not redone
    assert (summary.rendered, summary.skipped, summary.failed) == (5, 0, 0)
    assert len(rows(tmp_path)) == 5 and len(list((tmp_path / "images").glob("*.png"))) == 5


def test_one_poisoned_render_does_not_sink_the_batch_and_is_retried(tmp_path):
    entries = journal(6)
    poisoned = entries[2].key
    summary = run(entries, tmp_path, backend=FakeBackend(poison={poisoned}))
    assert (summary.rendered, summary.failed) == (5, 1)
    assert summary.failures[0]["key"] == poisoned and "poisoned" in summary.failures[0]["error"]
    assert summary.failures[0]["where"] == "j.md:7" and summary.failures[0]["stage"] == "render"
    failed = [r for r in rows(tmp_path) if r["status"] == "failed"]
    assert [r["key"] for r in failed] == [poisoned]
    again = run(entries, tmp_path)
    assert (again.rendered, again.skipped, again.failed) == (1, 5, 0)


def test_one_poisoned_analysis_does_not_sink_the_chunk(tmp_path):
    summary = run(journal(5, poison=1), tmp_path)
    assert (summary.rendered, summary.failed) == (4, 1)
    assert summary.failures[0]["stage"] == "analyze" and "cannot read" in summary.failures[0]["error"]


def test_changed_settings_re_render_in_place(tmp_path):
    run(journal(3), tmp_path, style="watercolor")
    summary = run(journal(3), tmp_path, style="ink" if "ink" in _styles() else _styles()[-1])
    assert summary.rendered == 3
    assert len(rows(tmp_path)) == 3 and len(list((tmp_path / "images").glob("*.png"))) == 3


def _styles() -> list[str]:
    from visualizer.mapping import list_styles

    return list_styles()


def test_frames_write_an_animation_and_a_still(tmp_path):
    summary = run(journal(2), tmp_path, frames=4)
    assert summary.rendered == 2
    for row in rows(tmp_path):
        assert any(f.endswith(".gif") for f in row["files"]) and any(f.endswith(".png") for f in row["files"])
        assert all((tmp_path / f).is_file() for f in row["files"])


def test_full_disk_is_a_clear_error_and_the_store_stays_consistent(tmp_path, monkeypatch):
    import visualizer.render

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(visualizer.render, "save_image", full)
    with pytest.raises(UserError, match="No space left"):
        run(journal(), tmp_path)
    assert {r["status"] for r in rows(tmp_path)} == {"analyzed"}  # nothing claims a picture it lacks
    monkeypatch.undo()
    assert run(journal(), tmp_path).rendered == 5


def test_unknown_style_is_a_user_error(tmp_path):
    with pytest.raises(UserError):
        run(journal(1), tmp_path, style="no-such-style")


KILL_SCRIPT = FAKES + '''
import datetime as dt, os, signal, sys
from PIL import Image as PILImage
from visualizer.ingest import Entry
from visualizer.painting import RenderSettings
from visualizer.pipeline import render_journal

original_save, saves = PILImage.Image.save, []


def dying_save(self, fp, *args, **kwargs):
    """The 15th picture write is cut off halfway by kill -9 (after 7 finished pictures and their sidecars)."""
    saves.append(fp)
    if len(saves) == 15:
        with open(fp, "wb") as handle:
            handle.write(b"\\x89PNG half a picture")
        os.kill(os.getpid(), signal.SIGKILL)
    return original_save(self, fp, *args, **kwargs)


PILImage.Image.save = dying_save
entries = [Entry(dt.date(2025, 1, 1) + dt.timedelta(days=i), f"happy day {i}", "j.md") for i in range(40)]
render_journal(entries, sys.argv[1], RenderSettings(size=64), backend=FakeBackend(), analyze=fake_analyze, render_batch=4)
'''


def test_kill_minus_9_mid_batch_loses_nothing(tmp_path):
    out = tmp_path / "out"
    script = tmp_path / "job.py"
    script.write_text(KILL_SCRIPT)
    process = subprocess.run([sys.executable, str(script), str(out)], cwd=ROOT, timeout=600)
    assert process.returncode == -signal.SIGKILL
    with sqlite3.connect(out / STORE_FILE) as db:
        rendered = db.execute("SELECT COUNT(*) FROM entries WHERE status = 'rendered'").fetchone()[0]
    assert 0 < rendered < 40, "killed mid-batch"
    assert [p for p in (out / "images").iterdir() if is_temporary(p.name)], "a half-written temporary file was left"
    entries = [Entry(dt.date(2025, 1, 1) + dt.timedelta(days=i), f"happy day {i}", "j.md") for i in range(40)]
    summary = render_journal(entries, out, RenderSettings(size=64), backend=FakeBackend(), analyze=fake_analyze)
    assert CALLS == []  # the analysis committed before the kill was kept
    assert (summary.failed, summary.skipped, summary.rendered) == (0, rendered, 40 - rendered)
    stored = rows(out)
    assert len(stored) == 40 and {r["status"] for r in stored} == {"rendered"}
    files = sorted(p.name for p in (out / "images").iterdir())
    assert files == sorted(Path(f).name for r in stored for f in r["files"])  # no strays, no duplicates
    for png in (out / "images").glob("*.png"):
        with Image.open(png) as image:
            image.verify()


def _patch_cli(monkeypatch, backend):
    import visualizer.render

    monkeypatch.setattr(visualizer.affect, "analyze", fake_analyze)
    monkeypatch.setattr(visualizer.affect, "load_model", lambda *args: None)
    monkeypatch.setattr(visualizer.render, "get_backend", lambda name, model=None, device=None: backend)


def test_cli_json_summary_is_the_last_line_and_problems_go_to_stderr(tmp_path, monkeypatch, capsys):
    _patch_cli(monkeypatch, FakeBackend())
    journal_file = tmp_path / "j.md"
    journal_file.write_text("# Diary\n\n## 2025-03-01\nI am happy.\n\n## 2025-03-02\n\n## 2025-03-03\nwork work\n"
                            "\n## 2025-03-04\nI wish to rest.\n")
    code = main(["render", str(journal_file), "--out", str(tmp_path / "out"), "--json", "--size", "64",
                 "--since", "2025-03-02"])
    captured = capsys.readouterr()
    assert code == 0
    assert json.loads(captured.out.strip().splitlines()[-1]) == {
        "entries": 2, "rendered": 2, "skipped": 0, "failed": 0, "out": str(tmp_path / "out")}
    assert f"{journal_file}:6: dated heading with no text" in captured.err
    assert "backend: fake — test stand-in" in captured.err


def test_cli_exit_code_is_non_zero_only_when_something_failed(tmp_path, monkeypatch, capsys):
    entries = journal(3)
    _patch_cli(monkeypatch, FakeBackend(poison={entries[1].key}))
    source = tmp_path / "j.jsonl"
    source.write_text("\n".join(json.dumps({"date": e.date.isoformat(), "text": e.text}) for e in entries))
    # keys depend on date + text + author only, so the JSONL entries poison the same key
    assert main(["render", str(source), "--out", str(tmp_path / "o"), "--json", "--size", "64"]) == 1
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["failed"] == 1
    _patch_cli(monkeypatch, FakeBackend())
    assert main(["render", str(source), "--out", str(tmp_path / "o"), "--json", "--size", "64"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == {
        "entries": 3, "rendered": 1, "skipped": 2, "failed": 0, "out": str(tmp_path / "o")}


def test_cli_reads_text_and_stdin(tmp_path, monkeypatch, capsys):
    _patch_cli(monkeypatch, FakeBackend())
    assert main(["render", "--text", "I wish I could see the sea again.", "--out", str(tmp_path / "a"),
                 "--json", "--size", "64"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["rendered"] == 1
    monkeypatch.setattr(sys, "stdin", type("S", (), {"buffer": __import__("io").BytesIO(b"## 2025-03-01\nhappy\n")})())
    assert main(["render", "-", "--out", str(tmp_path / "b"), "--json", "--size", "64"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["rendered"] == 1


@pytest.mark.parametrize("argv, message", [
    (["render", "missing.md"], "no such file"),
    (["render"], "give a journal file"),
])
def test_cli_bad_input_is_a_clean_error(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    assert main([*argv, "--out", str(tmp_path / "o")]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.skipif(not WEIGHTS.is_file(), reason="the affect model is not trained yet (visualizer train)")
def test_end_to_end_real_model_and_motif_backend(tmp_path):
    """The real affect model (loads offline in seconds) and the offline painter, on three entries."""
    entries = [Entry(dt.date(2025, 3, 1), "I wish I could see the sea again.", "x"),
               Entry(dt.date(2025, 3, 2), "The deadline is crushing me and I can't sleep.", "x"),
               Entry(dt.date(2025, 3, 3), "Dinner with friends, we laughed all night. Pure joy!", "x")]
    summary = render_journal(entries, tmp_path, RenderSettings(backend="motif", size=128))
    assert (summary.rendered, summary.failed) == (3, 0) and summary.backend == "motif"
    stored = rows(tmp_path)
    assert any(d["text"] == "the sea" for d in stored[0]["state"]["desires"])
    assert stored[1]["state"]["stress"] > stored[2]["state"]["stress"]
    for row in stored:
        with Image.open(tmp_path / row["files"][0]) as image:
            assert image.size == (128, 128)


def test_a_missing_affect_model_is_one_clear_error_not_a_failure_per_entry(tmp_path, monkeypatch):
    def missing(*args):
        raise FileNotFoundError("affect weights not found")

    monkeypatch.setattr(visualizer.affect, "load_model", missing)
    with pytest.raises(UserError, match="cannot load the affect model: affect weights not found"):
        render_journal(journal(2), tmp_path, RenderSettings(size=64), backend=FakeBackend())


def test_mood_film_is_written_once_and_reused_when_nothing_changed(tmp_path):
    summary = run(journal(3), tmp_path, film=True)
    assert summary.film and Path(summary.film).name == "mood_film.gif" and Path(summary.film).is_file()
    with Store(tmp_path) as store:
        assert store.get_meta("film") == ["mood_film.gif", "mood_film.webp", "mood_film.mp4"]
    before = Path(summary.film).stat().st_mtime_ns
    again = run(journal(3), tmp_path, film=True)
    assert again.film == summary.film and Path(again.film).stat().st_mtime_ns == before


@pytest.mark.skipif(not WEIGHTS.is_file(), reason="the affect model is not trained yet (visualizer train)")
def test_a_wish_to_die_never_reaches_a_picture_on_any_path(tmp_path, capsys):
    """CLI render with frames and the film, then the gallery: the phrase is nowhere but the stored diary text."""
    from visualizer.gallery import export_site
    from visualizer.render import read_metadata

    journal_file = tmp_path / "j.md"
    journal_file.write_text("## 2025-03-01\n\nWork was long. I want to end my life. I wish I could disappear forever.\n\n"
                            "## 2025-03-02\n\nI wish I could see the sea again.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["render", str(journal_file), "--out", str(out), "--backend", "motif", "--size", "64",
                 "--frames", "3", "--film", "--style", "oil"]) == 0
    assert "findahelpline.com" in capsys.readouterr().err
    flagged, calm = rows(out)
    assert flagged["state"]["crisis"] is True and calm["state"]["crisis"] is False
    assert flagged["state"]["desires"] == [] and flagged["state"]["aversions"] == []
    assert calm["state"]["desires"][0]["text"] == "the sea"
    site = export_site(out, tmp_path / "site")
    pages = {p.name: p.read_text(encoding="utf-8") for p in (site / "entries").glob("*.html")}
    for row in (flagged, calm):
        sidecar = json.loads((out / row["files"][1]).read_text(encoding="utf-8"))
        chunks = json.dumps(read_metadata(out / row["files"][0]))
        painted = json.dumps(row["conditioning"]) + json.dumps(sidecar) + chunks
        for phrase in ("end my life", "disappear"):
            assert phrase not in painted.lower()
    assert read_metadata(out / flagged["files"][0])["style"] != "oil"
    help_pages = [name for name, page in pages.items() if "findahelpline.com" in page]
    assert help_pages == [f"{Path(flagged['files'][0]).stem}.html"]


@pytest.mark.skipif(not WEIGHTS.is_file(), reason="the affect model is not trained yet (visualizer train)")
def test_a_wish_to_die_in_a_chat_day_is_flagged_and_painted_gently(tmp_path, capsys):
    chat = tmp_path / "chat.txt"
    chat.write_text("3/1/25, 8:01 PM - Sam: long day at work\n"
                    "3/1/25, 8:02 PM - Sam: honestly i wish i could go to sleep and not wake up\n"
                    "3/1/25, 8:03 PM - Alex: Sam?? I'm here. Call me\n"
                    "3/2/25, 9:00 AM - Sam: I'm dying to see that film tonight\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["render", str(chat), "--out", str(out), "--backend", "motif", "--size", "64", "--frames", "2"]) == 0
    assert "findahelpline.com" in capsys.readouterr().err
    heavy, ordinary = rows(out)
    assert heavy["state"]["crisis"] is True and ordinary["state"]["crisis"] is False
    assert any(d["text"] == "that film" for d in ordinary["state"]["desires"])
    for frame in [heavy["conditioning"], *heavy["conditioning"]["keyframes"]]:
        assert "wake up" not in frame["prompt"] and "sleep" not in frame["prompt"]
        assert frame["strength"] <= 0.3


# -- only our own files ------------------------------------------------------------------------------------------------
LOOKS_TEMPORARY = ("movie.mkv.part", "thesis.tmp", "backup.tmp.tar.gz", "NOTES.TMP", "report.tmp-final.docx",
                   ".draft.tmp")


def _plant(folder: Path) -> dict[Path, bytes]:
    """The user's own files, named like temporaries, in `folder` and in its images/ and animations/."""
    planted = {}
    for sub in (folder, folder / "images", folder / "animations"):
        sub.mkdir(parents=True, exist_ok=True)
        for name in LOOKS_TEMPORARY:
            planted[sub / name] = f"mine: {sub.name}/{name}".encode()
    for path, data in planted.items():
        path.write_bytes(data)
    return planted


def test_user_files_named_like_temporaries_survive_render_resume_and_animation(tmp_path, monkeypatch, capsys):
    _patch_cli(monkeypatch, FakeBackend())
    out = tmp_path / "d"
    planted = _plant(out)
    args = ["render", "--text", "A quiet day.", "--out", str(out), "--json", "--size", "64"]
    assert main([*args, "--limit", "0"]) == 2  # a folder full of someone's files is refused, and says why
    err = capsys.readouterr().err
    assert "already holds files of its own" in err and "--force" in err and "visualizer.sqlite" in err
    assert not (out / STORE_FILE).exists()
    for extra in ([], [], ["--frames", "3"], ["--frames", "3", "--film"]):
        assert main([*args, "--force", *extra]) == 0
    assert main(args) == 0  # once the store is there, the folder is ours to resume in
    assert all(path.read_bytes() == data for path, data in planted.items()), "a user's file was touched"
    assert list(out.glob("images/*.png")) and list(out.glob("animations/*.gif"))


def test_out_must_name_a_folder(tmp_path, monkeypatch, capsys):
    _patch_cli(monkeypatch, FakeBackend())
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.tmp").write_bytes(b"keep")
    for out in ("", "  "):
        assert main(["render", "--text", "A quiet day.", "--out", out]) == 2
        assert "--out is empty" in capsys.readouterr().err
    (tmp_path / "file").write_text("x")
    assert main(["render", "--text", "A quiet day.", "--out", "file"]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "mine.tmp"]


def test_frames_are_encoded_as_they_are_painted(tmp_path):
    """However many frames, only a few are alive at once: the sequence streams from painter to encoders."""
    import weakref

    alive, most = set(), [0]

    class Streaming(FakeBackend):
        def iter_sequence(self, cond, frames, size=512):
            for i in range(frames):
                frame = Image.new("RGB", (size, size), (i * 7 % 256, 80, 160))
                alive.add(id(frame))
                weakref.finalize(frame, alive.discard, id(frame))
                most[0] = max(most[0], len(alive))
                yield frame

    entries = [Entry(dt.date(2025, 3, 1), "A long walk.", "j.md")]
    summary = render_journal(entries, tmp_path, RenderSettings(size=64, frames=120), backend=Streaming(),
                             analyze=fake_analyze)
    assert summary.rendered == 1
    with Image.open(next(tmp_path.glob("animations/*.gif"))) as gif:
        assert gif.n_frames == 120
    assert most[0] <= 3, f"{most[0]} frames were held at once"


def test_store_keeps_a_one_line_entry_small(tmp_path):
    """What a row keeps (the reading and the painted conditioning, once each, compressed) stays small."""
    entries = [Entry(dt.date(2025, 1, 1) + dt.timedelta(days=i), f"A quiet day at work, number {i}.", "j.md", line=i)
               for i in range(200)]
    render_journal(entries, tmp_path, RenderSettings(size=64), backend=FakeBackend(), analyze=fake_analyze)
    with sqlite3.connect(tmp_path / STORE_FILE) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("VACUUM")
    per_entry = (tmp_path / STORE_FILE).stat().st_size / len(entries)
    assert per_entry < 8 * 1024, f"{per_entry:.0f} bytes per one-line entry"


def test_a_tampered_store_cannot_point_outside_its_folder(tmp_path):
    secret = tmp_path / "secret.png"
    Image.new("RGB", (8, 8)).save(secret)
    out = tmp_path / "out"
    entries = [Entry(dt.date(2025, 3, 1), "A quiet day.", "j.md")]
    render_journal(entries, out, RenderSettings(size=64), backend=FakeBackend(), analyze=fake_analyze)
    with sqlite3.connect(out / STORE_FILE) as db:
        db.execute("UPDATE entries SET files = ?", (json.dumps(["../secret.png", str(secret), "images/../../x"]),))
    with Store(out) as store:
        assert store.entries()[0]["files"] == []
        assert store.needs_render({entries[0].key: store.entries()[0]["params"]}) == [entries[0].key]


@pytest.mark.parametrize("wait", ["nan", "-3", "inf", "soon"])
def test_wait_must_be_a_number_of_seconds(wait, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["render", "--text", "A quiet day.", "--out", "x", "--wait", wait])
    assert stopped.value.code == 2 and "not a number of seconds" in capsys.readouterr().err
