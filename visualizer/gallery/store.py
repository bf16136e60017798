"""The output folder's memory: one SQLite database (`visualizer.sqlite`) recording every entry.

Why SQLite: it is in the standard library, its transactions are atomic and durable across `kill -9`,
and WAL mode plus a busy timeout lets several `accelerate launch` processes share one folder.

The invariant that makes resuming safe: an entry's row says `rendered` only after its files are on
disk under their final names (written to a temporary name, then `os.replace`). A crash at any point
therefore leaves either a finished entry or one that the next run redoes; redoing overwrites the same
deterministic file names, so nothing is duplicated. Temporary files a crash left behind (the tool's own
prefix, `visualizer.tempfiles`; nothing else) are removed when the store is opened for rendering.

What a row keeps is what cannot be recomputed cheaply: the text once, the reading (without a second copy of the
text) and the conditioning the picture was painted with (its explanation inside it, not again beside it), both as
zlib-compressed JSON. That keeps a one-line entry under 5 KB beside its pictures (docs/speed.md). The layout carries a version
number and earlier stores are brought up to it when opened for writing (`visualizer.gallery.schema`). File paths in
a row are kept only when they stay inside the folder, so a tampered store cannot make an export copy a file from
elsewhere.

Two ways to read: the faces (the UI, the site) read whole entries as typed `Record`s (`records`, `record`); the
pipeline's bookkeeping reads only the columns it needs, as dicts (`select`, `texts`, `readings`, `needs_render`).

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
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath

from visualizer.errors import UserError
from visualizer.gallery import schema
from visualizer.gallery.record import Record
from visualizer.tempfiles import remove_temporary

STORE_FILE = "visualizer.sqlite"
IMAGES, ANIMATIONS = "images", "animations"
STATUSES = ("pending", "analyzed", "rendered", "failed")
_DISK_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT}
_JSON_COLUMNS = ("tags", "files", "params")  # small: plain JSON, readable with the sqlite3 shell
_KEYS_PER_QUERY = 500  # under SQLite's bound-parameter limit
ROWS_PER_FETCH = 256  # rows decoded at a time when streaming a large store


def inside(relative: object) -> bool:
    """True for a stored file path that stays inside its render folder (relative, no `..`)."""
    if not isinstance(relative, str) or not relative or "\\" in relative:
        return False
    path = PurePosixPath(relative)
    return not path.is_absolute() and ".." not in path.parts and path.parts[0] in (IMAGES, ANIMATIONS)


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
    opens an existing store for reading only (exports) and never writes to it; opening for writing brings a store of
    an earlier layout up to the current one (`schema.upgrade`). A store of a newer release is refused either way.
    """

    def __init__(self, out_dir: str | Path, clean: bool = False, readonly: bool = False):
        self.out_dir = Path(out_dir)
        self.path = self.out_dir / STORE_FILE
        if readonly and not self.path.is_file():
            raise UserError(f"{self.out_dir}: no {STORE_FILE} here — run `visualizer render ... --out "
                            f"{self.out_dir}` first")
        try:
            if not readonly:
                self.out_dir.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=60) if readonly \
                else sqlite3.connect(self.path, timeout=60, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise self._open_error(error, readonly) from None
        try:
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA busy_timeout = 60000")
            schema.refuse_newer(self._db, self.path)  # before anything is written, even the journal mode
            if readonly:
                self._db.execute("SELECT 1 FROM entries LIMIT 1")
            else:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: commits survive a killed process
                with self._transaction() as db:
                    rebuilt = schema.upgrade(db, self.path)
                if rebuilt:  # gives back the pages of the earlier layout; a store not compacted now works as well
                    with contextlib.suppress(sqlite3.OperationalError):
                        self._db.execute("VACUUM")
        except (OSError, sqlite3.Error, UserError) as error:
            self._db.close()
            raise error if isinstance(error, UserError) else self._open_error(error, readonly) from None
        if clean:
            self.clean_temporary_files()

    def _open_error(self, error: OSError | sqlite3.Error, readonly: bool) -> UserError:
        verb = "read" if readonly else "open"
        return disk_error(error, self.out_dir) or UserError(f"cannot {verb} the store in {self.out_dir}: {error}")

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
        """Remove half-written files a killed run left: the tool's own temporary names only, nothing else."""
        return [path for folder in (self.out_dir, self.out_dir / IMAGES, self.out_dir / ANIMATIONS)
                for path in remove_temporary(folder)]

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
                     entry.title, entry.source, entry.line, json.dumps(list(entry.tags), ensure_ascii=False),
                     entry.text, now, now))
                added += cursor.rowcount
        return added

    def save_states(self, states: dict[str, dict]) -> None:
        """Store analysis results (InnerState.to_dict) and mark the entries analyzed, in one transaction.

        The reading's copy of the entry's text is left out (the row holds it once) and put back on reading.
        """
        now = _now()
        with self._transaction() as db:
            db.executemany("UPDATE entries SET state = ?, status = 'analyzed', stage = NULL, error = NULL, "
                           "updated_at = ? WHERE key = ?",
                           [(schema.pack({k: v for k, v in state.items() if k != "text"}), now, key)
                            for key, state in states.items()])

    def mark_rendered(self, key: str, conditioning: dict, files: list[Path], params: dict, backend: str) -> None:
        """Call only once every file in `files` is in place under its final name."""
        relative = [str(Path(f).resolve().relative_to(self.out_dir.resolve())) for f in files]
        now = _now()
        with self._transaction() as db:
            db.execute("UPDATE entries SET status = 'rendered', conditioning = ?, files = ?, params = ?, "
                       "backend = ?, stage = NULL, error = NULL, attempts = attempts + 1, updated_at = ?, "
                       "rendered_at = ? WHERE key = ?",
                       (schema.pack(conditioning), json.dumps(relative), json.dumps(params, sort_keys=True), backend,
                        now, now, key))

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

    def records(self, status: str | None = None, by_date: bool = False) -> Iterator[Record]:
        """Every entry (or those with `status`) as a `Record`, ROWS_PER_FETCH rows fetched at a time and each decoded
        as it is reached, so a journal of any length is read in bounded memory: in journal order, or with `by_date`
        by date (undated last, then journal order)."""
        return (Record.from_row(row, self.out_dir) for row in self._rows(status, by_date))

    def record(self, key: str) -> Record | None:
        """The entry of `key`, or None when the store has none."""
        return next((Record.from_row(row, self.out_dir) for row in self.select([key], "*")), None)

    def entries(self, keys: Iterable[str] | None = None, status: str | None = None) -> list[dict]:
        """Rows as dicts (every column decoded), for bookkeeping: all in journal order, or those of `keys` in the
        order given."""
        if keys is None:
            return list(self._rows(status))
        keys = list(dict.fromkeys(keys))
        found = {row["key"]: row for row in self.select(keys, "*")}
        return [found[k] for k in keys if k in found and (status is None or found[k]["status"] == status)]

    def _rows(self, status: str | None = None, by_date: bool = False) -> Iterator[dict]:
        where, args = ("WHERE status = ?", [status]) if status else ("", [])
        order = "date IS NULL, date, position" if by_date else "position"
        cursor = self._db.execute(f"SELECT * FROM entries {where} ORDER BY {order}", args)
        while rows := cursor.fetchmany(ROWS_PER_FETCH):
            yield from map(self._row, rows)

    def select(self, keys: list[str], columns: str, where: str = "") -> Iterator[dict]:
        """Rows of `keys` (in no set order) with only `columns` read and decoded; `where` (an SQL condition
        written by the caller, never from input) narrows them further."""
        for start in range(0, len(keys), _KEYS_PER_QUERY):
            chunk = keys[start:start + _KEYS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT {columns} FROM entries WHERE key IN ({marks})" + (f" AND ({where})" if where else "")
            yield from map(self._row, self._db.execute(query, chunk))

    def texts(self, keys: Iterable[str]) -> dict[str, str]:
        """The text of each of `keys` (by key)."""
        return {r["key"]: r["text"] for r in self.select(list(dict.fromkeys(keys)), "key, text")}

    def readings(self, keys: Iterable[str]) -> Iterator[tuple[str, dict]]:
        """(key, stored reading) for each of `keys` that has one, ROWS_PER_FETCH rows decoded at a time."""
        for row in self.select(list(dict.fromkeys(keys)), "key, text, state", "state IS NOT NULL"):
            yield row["key"], row["state"]

    def needs_analysis(self, keys: Iterable[str]) -> list[str]:
        """Entries of `keys` with no stored reading, in the order given."""
        keys = list(dict.fromkeys(keys))
        missing = {r["key"] for r in self.select(keys, "key", "state IS NULL")}
        return [k for k in keys if k in missing]

    def needs_render(self, wanted: Mapping[str, dict]) -> list[str]:
        """Of the entries in `wanted` (key → the parameters its picture must have been made with), those analyzed
        and not yet rendered with those parameters, or whose files have gone missing; in the order given."""
        normal = {key: json.loads(json.dumps(params, sort_keys=True)) for key, params in wanted.items()}
        due = {r["key"] for r in self.select(list(normal), "key, status, params, files", "state IS NOT NULL")
               if not (r["status"] == "rendered" and r["params"] == normal[r["key"]] and r["files"]
                       and all((self.out_dir / f).is_file() for f in r["files"]))}
        return [k for k in normal if k in due]

    def counts(self) -> dict[str, int]:
        found = dict(self._db.execute("SELECT status, COUNT(*) FROM entries GROUP BY status").fetchall())
        return {status: found.get(status, 0) for status in STATUSES}

    def _row(self, row: sqlite3.Row) -> dict:
        """The columns read, decoded: JSON parsed, the reading and the conditioning unpacked (in the layout of any
        version: a store opened read-only is read as it is), file paths leading out of the folder dropped."""
        data = dict(row)
        for column in _JSON_COLUMNS:
            if data.get(column) is not None:
                data[column] = json.loads(data[column])
        if data.get("files") is not None:
            data["files"] = [f for f in data["files"] if inside(f)]
        if data.get("state") is not None:
            data["state"] = schema.unpack(data["state"])
            if "text" in data:
                data["state"].setdefault("text", data["text"])
        if data.get("conditioning") is not None:
            data["conditioning"] = schema.unpack(data["conditioning"])
        if "conditioning" in data:  # stores before version 1 kept a copy in an `explanation` column: not read
            data["explanation"] = (data["conditioning"] or {}).get("explanation") or None
        return data
