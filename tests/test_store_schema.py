"""The store's layout has a version: stores written before it had one open and are brought up to it with nothing lost;
a store of a newer release is refused and left byte for byte as it was.

The earlier layouts are written here by hand with sqlite3 alone, as the releases before the version wrote them, from
a folder rendered now: plain JSON rows with the explanation beside the conditioning (the first releases) and packed
rows with no explanation column filled (the last week before the version), mixed in one store as a resumed render
leaves them.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import zlib
from contextlib import closing
from pathlib import Path

import pytest
from processes import run_forked

from visualizer.affect import VAD, Desire, InnerState, SentenceState
from visualizer.affect.labels import EMOTIONS
from visualizer.cli import main
from visualizer.errors import UserError
from visualizer.gallery import Store, export_site
from visualizer.gallery.schema import VERSION
from visualizer.gallery.store import STORE_FILE
from visualizer.ingest import Entry
from visualizer.painting import RenderSettings
from visualizer.pipeline import render_journal

SETTINGS = RenderSettings(backend="motif", size=64, film=True)
TEXTS = ["I wish I could see the sea again. Work crushed me today.", "Dinner with Priya was pure joy.",
         "我好想再去看一次大海。", "I don't want to be here anymore.", "A quiet day, tea and a book.",
         "Slept badly, the deadline again.", "<b>Bold</b> & \"quoted\" words.", "Rain, then sun."]
# The layout of the releases before the version (user_version 0), as they created it.
UNNUMBERED = (
    "CREATE TABLE entries (key TEXT PRIMARY KEY, position INTEGER NOT NULL, date TEXT, author TEXT, title TEXT, "
    "source TEXT, line INTEGER, tags TEXT, text TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN "
    "('pending', 'analyzed', 'rendered', 'failed')), stage TEXT, error TEXT, attempts INTEGER NOT NULL DEFAULT 0, "
    "state TEXT, conditioning TEXT, explanation TEXT, files TEXT, params TEXT, backend TEXT, "
    "created_at TEXT NOT NULL, updated_at TEXT NOT NULL, rendered_at TEXT);"
    "CREATE INDEX entries_status ON entries (status);"
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
)


def _reading(text: str) -> InnerState:
    """A reading built by hand: an arc of two sentences, a desire, one entry in crisis, one in Chinese."""
    joy = 0.9 if "joy" in text else 0.2
    emotions = {label: 0.02 for label in EMOTIONS} | {"joy": joy, "desire": 0.5, "sadness": 1 - joy}
    sentences = [SentenceState(part, emotions, VAD(3.4, 3.0, 3.0), 0.3) for part in text.split(". ")]
    return InnerState(text, emotions, ["joy" if joy > 0.5 else "sadness"], VAD(1 + 4 * joy, 3.1, 2.9), 1 - joy,
                      desires=[Desire("the sea", 0.8, "I wish", 0)] if "sea" in text else [], stressors=["work"],
                      sentences=sentences if len(sentences) > 1 else [], crisis="anymore" in text,
                      language="zh" if "大海" in text else "en")


def _entries() -> list[Entry]:
    return [Entry(dt.date(2025, 3, 1 + i) if i < 7 else None, text, "diary.md", line=3 * i + 1,
                  tags=("private",) if i == 0 else (), title="Lisbon" if i == 0 else None)
            for i, text in enumerate(TEXTS)]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """A render folder written by this version: every entry painted, a personal baseline, a mood film."""
    out = tmp_path_factory.mktemp("current") / "out"
    summary = render_journal(_entries(), out, SETTINGS, analyze=lambda texts: [_reading(t) for t in texts])
    assert summary.rendered == len(TEXTS) and summary.film
    return out


def _unnumbered_copy(current: Path, old: Path) -> Path:
    """`old`: a copy of the render folder `current` with its store rewritten in the unnumbered layout, by hand: rows
    at even positions as the first releases wrote them, the others packed as the last week before the version."""
    shutil.copytree(current, old, ignore=shutil.ignore_patterns(f"{STORE_FILE}*", "*.lock"))
    source = sqlite3.connect(current / STORE_FILE)
    source.row_factory = sqlite3.Row
    target = sqlite3.connect(old / STORE_FILE)
    target.execute("PRAGMA journal_mode = WAL")  # as every release opened its stores
    target.executescript(UNNUMBERED)
    for row in source.execute("SELECT * FROM entries"):
        row = dict(row)
        if row["position"] % 2 == 0:
            state = json.loads(zlib.decompress(row["state"])) | {"text": row["text"]}
            conditioning = json.loads(zlib.decompress(row["conditioning"]))
            row |= {"state": json.dumps(state), "conditioning": json.dumps(conditioning),
                    "explanation": json.dumps(conditioning.get("explanation", []))}
        target.execute(f"INSERT INTO entries ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                       list(row.values()))
    target.executemany("INSERT INTO meta VALUES (?, ?)", source.execute("SELECT name, value FROM meta"))
    target.commit()
    target.close()
    source.close()
    return old


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _entries_of(folder: Path) -> list[dict]:
    with Store(folder, readonly=True) as store:
        return store.entries()


def _layout(folder: Path) -> tuple[int, list[str], set[str]]:
    """The store's version, its columns and the types its readings and conditionings are stored as."""
    with closing(sqlite3.connect(folder / STORE_FILE)) as db:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        columns = [row[1] for row in db.execute("PRAGMA table_info(entries)")]
        kinds = {kind for row in db.execute("SELECT typeof(state), typeof(conditioning) FROM entries") for kind in row}
    return version, columns, kinds


def _sql(folder: Path, statement: str) -> None:
    """Run one statement on the store and close it, so that what it wrote is in the store's file."""
    with closing(sqlite3.connect(folder / STORE_FILE)) as db:
        db.execute(statement)
        db.commit()


def test_a_new_store_carries_the_version(rendered):
    version, columns, kinds = _layout(rendered)
    assert version == VERSION == 1 and "explanation" not in columns and kinds == {"blob"}


def test_an_unnumbered_store_is_read_as_it_is_and_not_written(rendered, tmp_path):
    old = _unnumbered_copy(rendered, tmp_path / "old")
    stored = (old / STORE_FILE).read_bytes()
    assert _layout(old)[0] == 0 and _layout(old)[2] == {"text", "blob"}
    assert _entries_of(old) == _entries_of(rendered)
    assert _pages(export_site(old, tmp_path / "old-site")) == _pages(export_site(rendered, tmp_path / "site"))
    assert (old / STORE_FILE).read_bytes() == stored and _layout(old)[0] == 0


def test_opening_an_unnumbered_store_to_write_brings_it_up_with_nothing_lost(rendered, tmp_path):
    old = _unnumbered_copy(rendered, tmp_path / "old")
    _sql(old, "UPDATE entries SET state = json_set(state, '$.text', 'as first read') WHERE position = 0")
    Store(old).close()
    version, columns, kinds = _layout(old)
    assert version == VERSION and "explanation" not in columns and kinds == {"blob"}
    migrated, current = _entries_of(old), _entries_of(rendered)
    assert migrated[0]["state"].pop("text") == "as first read" and current[0]["state"].pop("text") == TEXTS[0]
    assert migrated == current  # a reading of another text than its entry's keeps it
    with closing(sqlite3.connect(old / STORE_FILE)) as db, closing(sqlite3.connect(rendered / STORE_FILE)) as current:
        assert db.execute("SELECT * FROM meta ORDER BY name").fetchall() == \
            current.execute("SELECT * FROM meta ORDER BY name").fetchall()
        schema = "SELECT type, name, replace(sql, '\"entries\"', 'entries') FROM sqlite_master ORDER BY name"
        assert db.execute(schema).fetchall() == current.execute(schema).fetchall()  # the table renamed into place
        assert db.execute("PRAGMA freelist_count").fetchone()[0] == 0  # the old table's pages given back


def test_an_unnumbered_store_resumes_and_exports_as_a_new_one(rendered, tmp_path):
    old = _unnumbered_copy(rendered, tmp_path / "old")

    def never(texts):
        raise AssertionError("every entry was read already")

    again = render_journal(_entries(), old, SETTINGS, analyze=never)
    assert (again.rendered, again.skipped, again.failed) == (0, len(TEXTS), 0) and _layout(old)[0] == VERSION
    assert _pages(export_site(old, tmp_path / "old-site", redact=True)) == \
        _pages(export_site(rendered, tmp_path / "site", redact=True))


def test_a_row_that_cannot_be_brought_up_stops_the_upgrade_and_changes_nothing(rendered, tmp_path):
    old = _unnumbered_copy(rendered, tmp_path / "old")
    _sql(old, "UPDATE entries SET state = '{\"emotions\": ' WHERE position = 6")  # the rows before it convert
    stored, layout = (old / STORE_FILE).read_bytes(), _layout(old)
    with pytest.raises(UserError, match=f"cannot bring {old / STORE_FILE} up to store version {VERSION}.*nothing was"):
        Store(old)  # closed as it fails, the last connection: anything committed would now be in the file
    assert (old / STORE_FILE).read_bytes() == stored and _layout(old) == layout and layout[0] == 0


def _open_and_count(folder: Path, queue) -> None:
    with Store(folder) as store:
        queue.put(sum(store.counts().values()))


def test_two_processes_opening_an_unnumbered_store_upgrade_it_once(rendered, tmp_path):
    old = _unnumbered_copy(rendered, tmp_path / "old")
    assert run_forked(_open_and_count, [(old,), (old,)]) == [len(TEXTS)] * 2
    assert _layout(old)[0] == VERSION and _entries_of(old) == _entries_of(rendered)


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, but the index of the write-ahead log (`-shm`), which SQLite makes
    even for a reader."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith("-shm")}


@pytest.fixture
def newer(rendered, tmp_path) -> Path:
    """A copy of the render folder whose store says it was written by a newer release, in one file (no log)."""
    folder = tmp_path / "newer"
    shutil.copytree(rendered, folder, ignore=shutil.ignore_patterns("*-wal", "*-shm"))
    db = sqlite3.connect(folder / STORE_FILE)
    db.execute(f"PRAGMA user_version = {VERSION + 1}")
    db.execute("PRAGMA journal_mode = DELETE")  # a newer release may journal otherwise: even that is left as it is
    db.close()
    assert f"{STORE_FILE}-wal" not in _snapshot(folder)
    return folder


def _assert_untouched(folder: Path, before: dict[str, bytes]) -> None:
    after = _snapshot(folder)
    assert after.pop(f"{STORE_FILE}-wal", b"") == b"", "nothing was written to the store's log"
    assert after == before


def test_a_store_of_a_newer_release_is_refused_and_left_as_it_was(newer):
    before = _snapshot(newer)
    message = f"{newer / STORE_FILE} was written by a newer version .*store version {VERSION + 1}.* up to {VERSION}"
    for readonly in (False, True):
        with pytest.raises(UserError, match=message):
            Store(newer, readonly=readonly)
    _assert_untouched(newer, before)


def test_the_gallery_of_a_newer_store_says_so_and_writes_nothing(newer, tmp_path, capsys):
    before = _snapshot(newer)
    assert main(["gallery", str(newer), "--out", str(tmp_path / "site")]) == 2
    error = capsys.readouterr().err
    assert str(newer / STORE_FILE) in error and f"store version {VERSION + 1}" in error and "Traceback" not in error
    _assert_untouched(newer, before)
    assert not (tmp_path / "site").exists()
