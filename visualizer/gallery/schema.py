"""The store's layout, its version number and the way up from every earlier layout.

The version lives in the database header (`PRAGMA user_version`), which SQLite changes inside the same transaction
as the tables, so a store is always wholly in one layout:

- 0: stores written before the layout carried a number. Their rows come in two layouts, mixed in one store when a
  render resumed across the change: the reading and the conditioning as plain JSON text, the reading with its own
  copy of the entry's text and the conditioning's explanation copied into an `explanation` column; or both packed
  (zlib-compressed JSON), the text left out of the reading and `explanation` left NULL.
- 1: every reading and conditioning packed, no copy of the text in the reading, no `explanation` column (the
  explanation is read from the conditioning it belongs to).

A store opened for writing is brought up to `VERSION` in one transaction (`upgrade`), so a failure leaves it as it
was. A store opened for reading only is never written: its rows are read as they are (`unpack` takes both encodings;
version 0's explanation column is a copy of what the conditioning holds and is not read). A store of a higher version
was written by a newer release; it is refused before anything is written (`refuse_newer`), since this code could
misread or damage it.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path

from visualizer.errors import UserError

VERSION = 1
_ENTRIES = """
CREATE TABLE {name} (
    key TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    date TEXT, author TEXT, title TEXT, source TEXT, line INTEGER, tags TEXT,
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'analyzed', 'rendered', 'failed')),
    stage TEXT, error TEXT, attempts INTEGER NOT NULL DEFAULT 0,
    state BLOB, conditioning BLOB, files TEXT, params TEXT, backend TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, rendered_at TEXT
)"""
_INDEX = "CREATE INDEX entries_status ON entries (status)"
_META = "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)"
# The columns both layouts share, copied as they are when the table is rebuilt (state and conditioning are converted).
_KEPT = ("key", "position", "date", "author", "title", "source", "line", "tags", "text", "status", "stage", "error",
         "attempts", "files", "params", "backend", "created_at", "updated_at", "rendered_at")


def pack(value) -> bytes:
    """The stored form of a reading or a conditioning: compact JSON, zlib-compressed (a third of the plain size)."""
    return zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


def unpack(value):
    """A stored reading or conditioning: packed, or plain JSON text as version 0 wrote some rows."""
    if isinstance(value, bytes):
        value = zlib.decompress(value).decode("utf-8")
    return json.loads(value)


def refuse_newer(db: sqlite3.Connection, path: Path) -> int:
    """The store's version; a UserError for one written by a newer release (checked before anything is written)."""
    found = db.execute("PRAGMA user_version").fetchone()[0]
    if found > VERSION:
        raise UserError(f"{path} was written by a newer version of the visualizer (store version {found}; this "
                        f"version reads versions up to {VERSION}). Update the visualizer to open it; nothing was "
                        f"changed.")
    return found


def upgrade(db: sqlite3.Connection, path: Path) -> bool:
    """Create the tables of a new store, or bring an earlier one up to `VERSION`; call inside a write transaction.
    True when an earlier store was rebuilt (its old pages are then free: `VACUUM` gives them back).

    Checked again here, under the write lock: another process may have upgraded the store meanwhile. A store already
    at `VERSION` is not written at all.
    """
    found = refuse_newer(db, path)
    if found == VERSION:
        return False
    rebuilt = bool(db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'entries'").fetchone())
    if rebuilt:
        try:
            for step in _STEPS[found:]:
                step(db)
        except sqlite3.Error as error:  # a row this code cannot read, a full disk: the caller rolls back
            raise UserError(f"cannot bring {path} up to store version {VERSION} ({error}); nothing was changed") \
                from None
    else:
        for statement in (_ENTRIES.format(name="entries"), _INDEX, _META):
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {VERSION}")
    return rebuilt


def _from_unnumbered(db: sqlite3.Connection) -> None:
    """Version 0 → 1: the table rebuilt with every reading and conditioning packed, the reading's copy of the text
    dropped where it is the entry's own, and without the explanation column, which only ever held a copy of the
    conditioning's own explanation (version 0 wrote both from one dict).

    One INSERT … SELECT with the conversion as SQL functions, so SQLite streams the rows (bounded memory on any
    journal) and everything happens in the caller's transaction: a row that cannot be converted stops the upgrade
    and leaves the store as it was.
    """
    db.create_function("packed_reading", 2, _packed_reading, deterministic=True)
    db.create_function("packed_conditioning", 1, _packed_conditioning, deterministic=True)
    kept = ", ".join(_KEPT)
    db.execute(_ENTRIES.format(name="entries_upgraded"))
    db.execute(f"INSERT INTO entries_upgraded ({kept}, state, conditioning) SELECT {kept}, "
               f"packed_reading(state, text), packed_conditioning(conditioning) FROM entries")
    db.execute("DROP TABLE entries")
    db.execute("ALTER TABLE entries_upgraded RENAME TO entries")
    db.execute(_INDEX)


def _packed_reading(stored, text: str) -> bytes | None:
    """The reading packed, without its copy of the text when that is the entry's own (any other text is kept)."""
    if stored is None:
        return None
    state = unpack(stored)
    if state.get("text") == text:
        del state["text"]
    return pack(state)


def _packed_conditioning(stored) -> bytes | None:
    return None if stored is None else pack(unpack(stored))


_STEPS = (_from_unnumbered,)  # the step from version n to n + 1 is _STEPS[n]
