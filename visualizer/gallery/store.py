"""The output folder's memory: one SQLite database (`visualizer.sqlite`) recording every entry.

Why SQLite: it is in the standard library, its transactions are atomic and durable across `kill -9`,
and WAL mode plus a busy timeout lets several `accelerate launch` processes share one folder.

The invariant that makes resuming safe: an entry's row says `rendered` only after its files are on
disk under their final names (written to a temporary name, then `os.replace`). A crash at any point
therefore leaves either a finished entry or one that the next run redoes; redoing overwrites the same
deterministic file names, so nothing is duplicated. Temporary files a crash left behind are removed
when the store is opened.

Status flow: `pending` → `analyzed` (state stored) → `rendered`; any stage may end in `failed`, which
the next run retries from the stage that failed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from visualizer.errors import UserError

STORE_FILE = "visualizer.sqlite"
IMAGES, ANIMATIONS = "images", "animations"
STATUSES = ("pending", "analyzed", "rendered", "failed")
_TEMP = re.compile(r"\.(tmp|part)$|\.tmp[.-]", re.I)  # names used by atomic writers here and in render
_DISK_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    date TEXT, author TEXT, title TEXT, source TEXT, line INTEGER, tags TEXT,
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'analyzed', 'rendered', 'failed')),
    stage TEXT, error TEXT, attempts INTEGER NOT NULL DEFAULT 0,
    state TEXT, conditioning TEXT, explanation TEXT, files TEXT, params TEXT, backend TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, rendered_at TEXT
);
CREATE INDEX IF NOT EXISTS entries_status ON entries (status);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_JSON_COLUMNS = ("tags", "state", "conditioning", "explanation", "files", "params")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def stem(key: str, date: str | None) -> str:
    """File stem for an entry: date and key only, so no diary words ever reach a file name."""
    safe_date = date if date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else "undated"
    return f"{safe_date}_{re.sub(r'[^0-9a-f]', '', key)[:16]}"


def disk_error(error: OSError | sqlite3.Error, where: Path) -> UserError | None:
    """A UserError when `error` means the folder cannot be written (full, read-only, no permission)."""
    text = str(error).lower()
    if isinstance(error, OSError) and error.errno in _DISK_ERRNOS:
        hint = "free some space" if error.errno in (errno.ENOSPC, errno.EDQUOT) else "pick a writable folder"
        return UserError(f"cannot write to {where}: {error.strerror or error} — {hint}")
    if isinstance(error, sqlite3.Error) and any(s in text for s in ("readonly", "read-only", "disk is full",
                                                                     "unable to open", "disk i/o", "locked")):
        return UserError(f"cannot write the store in {where}: {error} — check free space and permissions")
    if isinstance(error, sqlite3.DatabaseError) and "not a database" in text:
        return UserError(f"{where / STORE_FILE} is not a visualizer store (damaged or another file)")
    return None


class Store:
    """Entries of one output folder; use as a context manager. Every write is one transaction.

    `clean=True` removes temporary files a killed run left; only the process about to render should ask
    for it (a reader doing so could delete a file another process is still writing). `readonly=True`
    opens an existing store for reading only (exports).
    """

    def __init__(self, out_dir: str | Path, clean: bool = False, readonly: bool = False):
        self.out_dir = Path(out_dir)
        self.path = self.out_dir / STORE_FILE
        if readonly:
            if not self.path.is_file():
                raise UserError(f"{self.out_dir}: no {STORE_FILE} here — run `visualizer render ... --out "
                                f"{self.out_dir}` first")
            try:
                self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=60)
                self._db.row_factory = sqlite3.Row
                self._db.execute("PRAGMA busy_timeout = 60000")
                self._db.execute("SELECT 1 FROM entries LIMIT 1")
            except sqlite3.Error as error:
                raise disk_error(error, self.out_dir) or UserError(f"cannot read the store in {self.out_dir}: "
                                                                   f"{error}") from None
            return
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA busy_timeout = 60000")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: commits survive a killed process
            with self._transaction() as db:
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    db.execute(statement)
        except (OSError, sqlite3.Error) as error:
            raise disk_error(error, self.out_dir) or UserError(f"cannot open the store in {self.out_dir}: {error}") \
                from None
        if clean:
            self.clean_temporary_files()

    # -- plumbing -----------------------------------------------------------------------------------
    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE takes the write lock up front, so concurrent writers queue instead of deadlocking."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            if self._db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
            raise disk_error(error, self.out_dir) or error from None

    def clean_temporary_files(self) -> list[Path]:
        """Remove half-written files a killed run left (temporary names only; finished files are kept)."""
        removed = []
        for folder in (self.out_dir, self.out_dir / IMAGES, self.out_dir / ANIMATIONS):
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                if path.is_file() and path.name != STORE_FILE and not path.name.startswith(STORE_FILE) \
                        and _TEMP.search(path.name):
                    with contextlib.suppress(OSError):
                        path.unlink()
                        removed.append(path)
        return removed

    # -- writes -------------------------------------------------------------------------------------
    def add(self, entries: Iterable) -> int:
        """Record entries not seen before (same key = same entry, never a second row); returns how many were new."""
        now = _now()
        with self._transaction() as db:
            position = db.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM entries").fetchone()[0]
            added = 0
            for entry in entries:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO entries (key, position, date, author, title, source, line, tags, text, "
                    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (entry.key, position + added, entry.date.isoformat() if entry.date else None, entry.author,
                     entry.title, entry.source, entry.line, json.dumps(list(entry.tags)), entry.text, now, now))
                added += cursor.rowcount
        return added

    def save_states(self, states: dict[str, dict]) -> None:
        """Store analysis results (InnerState.to_dict) and mark the entries analyzed, in one transaction."""
        now = _now()
        with self._transaction() as db:
            db.executemany("UPDATE entries SET state = ?, status = 'analyzed', stage = NULL, error = NULL, "
                           "updated_at = ? WHERE key = ?",
                           [(json.dumps(state), now, key) for key, state in states.items()])

    def mark_rendered(self, key: str, conditioning: dict, files: list[Path], params: dict, backend: str) -> None:
        """Call only once every file in `files` is in place under its final name."""
        relative = [str(Path(f).resolve().relative_to(self.out_dir.resolve())) for f in files]
        now = _now()
        with self._transaction() as db:
            db.execute("UPDATE entries SET status = 'rendered', conditioning = ?, explanation = ?, files = ?, "
                       "params = ?, backend = ?, stage = NULL, error = NULL, attempts = attempts + 1, "
                       "updated_at = ?, rendered_at = ? WHERE key = ?",
                       (json.dumps(conditioning), json.dumps(conditioning.get("explanation", [])),
                        json.dumps(relative), json.dumps(params, sort_keys=True), backend, now, now, key))

    def mark_failed(self, key: str, stage: str, error: str) -> None:
        with self._transaction() as db:
            db.execute("UPDATE entries SET status = 'failed', stage = ?, error = ?, attempts = attempts + 1, "
                       "updated_at = ? WHERE key = ?", (stage, error[:2000], _now(), key))

    def set_meta(self, name: str, value) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, json.dumps(value)))

    # -- reads --------------------------------------------------------------------------------------
    def get_meta(self, name: str, default=None):
        row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return json.loads(row[0]) if row else default

    def entries(self, keys: Iterable[str] | None = None, status: str | None = None) -> list[dict]:
        """Rows as dicts (JSON columns decoded): all in journal order, or those of `keys` in the order given."""
        if keys is None:
            where, args = ("WHERE status = ?", [status]) if status else ("", [])
            return [self._row(r) for r in self._db.execute(f"SELECT * FROM entries {where} ORDER BY position", args)]
        keys = list(dict.fromkeys(keys))
        found: dict[str, dict] = {}
        for start in range(0, len(keys), 500):  # stay under SQLite's bound-parameter limit
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(f"SELECT * FROM entries WHERE key IN ({marks})", chunk):
                found[row["key"]] = self._row(row)
        return [found[k] for k in keys if k in found and (status is None or found[k]["status"] == status)]

    def needs_analysis(self, keys: Iterable[str]) -> list[str]:
        return [r["key"] for r in self.entries(keys) if r["state"] is None]

    def needs_render(self, keys: Iterable[str], params: dict) -> list[str]:
        """Analyzed entries not yet rendered with these `params`, or whose files have gone missing."""
        wanted = json.loads(json.dumps(params, sort_keys=True))
        return [r["key"] for r in self.entries(keys)
                if r["state"] is not None and not (r["status"] == "rendered" and r["params"] == wanted
                                                   and all((self.out_dir / f).is_file() for f in r["files"] or []))]

    def counts(self) -> dict[str, int]:
        found = dict(self._db.execute("SELECT status, COUNT(*) FROM entries GROUP BY status").fetchall())
        return {status: found.get(status, 0) for status in STATUSES}

    @staticmethod
    def _row(row: sqlite3.Row) -> dict:
        data = dict(row)
        for column in _JSON_COLUMNS:
            if data.get(column) is not None:
                data[column] = json.loads(data[column])
        return data
