"""Store: idempotent inserts, status flow, resume rules, temp-file cleanup, concurrency, bad folders."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from processes import run_forked

from visualizer.affect import InnerState
from visualizer.errors import UserError
from visualizer.gallery.store import STORE_FILE, Store, stem
from visualizer.ingest import Entry
from visualizer.tempfiles import TEMP_PREFIX

PARAMS = {"backend": "motif", "style": "watercolor", "seed": 0, "frames": 1, "size": 64}


def entries(n: int = 3) -> list[Entry]:
    return [Entry(dt.date(2025, 3, i + 1), f"entry number {i}", "diary.md", line=i + 1) for i in range(n)]


def test_add_is_idempotent_and_keeps_journal_order(tmp_path):
    with Store(tmp_path) as store:
        assert store.add(entries(3)) == 3
        assert store.add(entries(3)) == 0
        assert store.add(entries(4)) == 1
        rows = store.entries()
    assert [r["text"] for r in rows] == [f"entry number {i}" for i in range(4)]
    assert {r["status"] for r in rows} == {"pending"}
    with sqlite3.connect(tmp_path / STORE_FILE) as db:
        assert db.execute("SELECT COUNT(*) FROM entries").fetchone()[0] == 4


def test_status_flow_and_what_needs_work(tmp_path):
    batch = entries(3)
    keys = [e.key for e in batch]
    with Store(tmp_path) as store:
        store.add(batch)
        assert store.needs_analysis(keys) == keys
        store.save_states({keys[0]: {"stress": 0.1}, keys[1]: {"stress": 0.2}})
        store.mark_failed(keys[2], "analyze", "boom")
        assert store.needs_analysis(keys) == [keys[2]]  # failed analysis is retried
        assert store.needs_render(dict.fromkeys(keys, PARAMS)) == keys[:2]
        image = tmp_path / "images" / f"{stem(keys[0], '2025-03-01')}.png"
        image.parent.mkdir()
        image.write_bytes(b"png")
        store.mark_rendered(keys[0], {"prompt": "p", "explanation": [{"score": "valence"}]}, [image], PARAMS, "motif")
        assert store.needs_render(dict.fromkeys(keys, PARAMS)) == [keys[1]]
        assert store.needs_render(dict.fromkeys(keys, PARAMS | {"style": "ink"})) == keys[:2]  # new settings re-render
        row = store.entries([keys[0]])[0]
        assert row["status"] == "rendered" and row["files"] == [f"images/{image.name}"]
        assert row["explanation"] == [{"score": "valence"}] and row["params"] == PARAMS
        assert store.counts() == {"pending": 0, "analyzed": 1, "rendered": 1, "failed": 1}
        image.unlink()
        assert store.needs_render(dict.fromkeys(keys, PARAMS)) == keys[:2]  # a deleted picture is painted again


def test_reopening_sees_committed_work(tmp_path):
    batch = entries(2)
    with Store(tmp_path) as store:
        store.add(batch)
        store.save_states({batch[0].key: {"stress": 0.3}})
    with Store(tmp_path) as store:
        assert store.entries([batch[0].key])[0]["state"] == {"stress": 0.3, "text": "entry number 0"}
        assert store.needs_analysis([e.key for e in batch]) == [batch[1].key]


def test_opening_removes_our_half_written_files_and_nothing_else(tmp_path):
    images = tmp_path / "images"
    images.mkdir(parents=True)
    kept = images / "2025-03-01_abc.png"
    kept.write_bytes(b"done")
    ours = [images / f"{TEMP_PREFIX}2025-03-02_def-x1.png", tmp_path / f"{TEMP_PREFIX}mood_film-x2.gif"]
    (tmp_path / "animations").mkdir()
    ours.append(tmp_path / "animations" / f"{TEMP_PREFIX}2025-03-02_def-x3.mp4")
    theirs = [tmp_path / name for name in ("movie.mkv.part", "thesis.tmp", "backup.tmp.tar.gz", "NOTES.TMP",
                                           "report.tmp-final.docx", ".hidden.tmp")]
    theirs += [images / ".2025-03-02_def.png.tmp", images / "2025-03-02_def.png.tmp-123"]
    for path in ours + theirs:
        path.write_bytes(b"half")
    Store(tmp_path).close()
    assert all(p.exists() for p in ours)  # a plain reader never deletes what another process may be writing
    Store(tmp_path, clean=True).close()
    assert kept.exists() and not any(p.exists() for p in ours)
    assert all(p.read_bytes() == b"half" for p in theirs), "a file the tool did not name was touched"


def test_file_stems_never_contain_text():
    assert stem("0123456789abcdef", "2025-03-01") == "2025-03-01_0123456789abcdef"
    assert stem("../../etc/passwd", "<script>") == "undated_ecad"


def test_not_a_database_is_a_user_error(tmp_path):
    (tmp_path / STORE_FILE).write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(UserError, match="not a visualizer store"):
        Store(tmp_path)


def test_readonly_open_of_a_missing_store_says_what_to_do(tmp_path):
    with pytest.raises(UserError, match="run `visualizer render"):
        Store(tmp_path, readonly=True)


def test_unwritable_output_folder_is_a_user_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(UserError, match="file"):
        Store(blocker / "out")


def _worker(folder, offset, queue):
    with Store(folder) as store:
        batch = [Entry(dt.date(2025, 1, 1), f"shared {i}", "x") for i in range(20)]
        store.add(batch)  # both processes insert the same entries: still one row each
        for entry in batch[offset::2]:
            store.save_states({entry.key: {"by": offset}})
    queue.put(offset)


def test_two_processes_share_one_store(tmp_path):
    Store(tmp_path).close()
    assert sorted(run_forked(_worker, [(tmp_path, 0), (tmp_path, 1)])) == [0, 1]
    with Store(tmp_path) as store:
        rows = store.entries()
    assert len(rows) == 20 and all(r["status"] == "analyzed" for r in rows)


def test_records_are_typed_and_say_what_every_face_shows(tmp_path):
    batch = entries(4)
    keys = [e.key for e in batch]
    reading = InnerState.neutral("entry number 0").to_dict() | {"active_emotions": ["joy"]}
    with Store(tmp_path) as store:
        store.add(batch)
        store.save_states({keys[0]: reading, keys[2]: reading})
        names = [f"{folder}/{stem(keys[0], '2025-03-01')}.{suffix}" for folder, suffix in
                 (("images", "json"), ("images", "png"), ("animations", "mp4"), ("animations", "gif"))]
        baseline = {"valence": -0.6, "arousal": -0.7}
        store.mark_rendered(keys[0], {"prompt": "p", "style": "ink", "scores": {"baseline": baseline},
                                      "explanation": [{"score": "valence"}]},
                            [tmp_path / name for name in names], PARAMS, "motif")
        store.mark_rendered(keys[2], {"prompt": "q"}, [tmp_path / names[1]], PARAMS, "motif")
        store.mark_failed(keys[2], "render", "boom")  # its earlier picture is no longer what the entry shows
    with sqlite3.connect(tmp_path / STORE_FILE) as db:
        db.execute("UPDATE entries SET date = '2025-02-30' WHERE key = ?", (keys[3],))
        db.execute("UPDATE entries SET date = NULL WHERE key = ?", (keys[1],))
    with Store(tmp_path, readonly=True) as store:
        painted, pending, failed, edited = store.records()
        assert [r.key for r in store.records(by_date=True)] == [keys[3], keys[0], keys[2], keys[1]]  # undated last
        assert [r.key for r in store.records(status="rendered")] == [keys[0]] and store.record("missing") is None
    assert painted.date == dt.date(2025, 3, 1) and painted.line == 1 and painted.tags == () and painted.position == 0
    assert isinstance(painted.state, InnerState) and painted.state.text == "entry number 0"
    assert painted.dominant == "joy"
    assert painted.picture == tmp_path / names[1] and painted.animation == tmp_path / names[3]
    assert painted.shown == painted.animation and painted.relative == baseline
    assert painted.compared == "heavier and calmer than your usual" and painted.style == "ink"
    assert painted.explanation == [{"score": "valence"}] and painted.params == PARAMS and painted.backend == "motif"
    assert pending.state is None and pending.dominant is None and pending.conditioning == {} and pending.shown is None
    assert failed.status == "failed" and failed.files and failed.picture is None and failed.error == "boom"
    assert edited.date is None  # a date edited into one that does not exist: shown as undated
