"""One writer per render folder: an OS lock on `visualizer.lock` beside the store.

Two `render` runs on one folder would both render every entry, so the run that writes holds this lock.
It is an OS lock (flock on Unix, a locked byte on Windows), not a marker file, because the kernel drops
it when its holder exits, however it exits: a lock left by a killed run never blocks. The file records
who holds it (pid, start time), for the message a second run gets and for the note saying that a killed
run's lock was taken over. A clean release empties the file but never deletes it: unlinking a locked
file would let a waiter lock the old file while a newcomer creates a new one, two writers at once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from visualizer.errors import UserError
from visualizer.gallery.store import disk_error

LOCK_FILE = "visualizer.lock"
POLL_SECONDS = 0.2

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    _LOCK_OFFSET = 1 << 30  # a byte far past the record (as SQLite does), so others can still read the record

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except PermissionError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def writer_lock(out_dir: str | Path, wait: float = 0) -> Iterator[str | None]:
    """Hold the writer lock of `out_dir` for the block; yields a note to print, or None.

    `wait` is how many seconds to wait for another writer to finish (0: stop at once). While a live
    process holds the lock, raises a UserError naming the folder and that process. The note says when
    the lock of a killed run was taken over.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise disk_error(error, out_dir) or UserError(f"cannot lock {out_dir}: {error}") from None
    with file_lock(out_dir / LOCK_FILE, lambda holder, waited: _busy(out_dir, holder, waited), wait) as stale:
        yield f"took over a stale lock left by {stale}" if stale else None


@contextmanager
def file_lock(path: Path, busy: Callable[[str | None, float], UserError], wait: float = 0) -> Iterator[str | None]:
    """Hold the OS lock on the file `path` (created if need be, never written through a link) for the block;
    yields the holder a killed run left recorded there, if any. When a live process holds it for longer than
    `wait` seconds, raises `busy(holder, wait)`."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as error:
        raise disk_error(error, path.parent) or UserError(f"cannot lock {path}: {error}") from None
    try:
        stale = _acquire(fd, path, busy, wait)
        try:
            yield stale
        finally:
            _record(fd, "")
            _unlock(fd)
    finally:
        os.close(fd)


def _acquire(fd: int, path: Path, busy: Callable[[str | None, float], UserError], wait: float) -> str | None:
    """Take the lock and record this process in it; returns the holder a killed run left recorded, if any."""
    deadline = time.monotonic() + wait
    try:
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise busy(_holder(fd), wait)
            time.sleep(POLL_SECONDS)
        stale = _holder(fd)  # a clean release empties the file: a record here is a killed run's
        _record(fd, json.dumps({"pid": os.getpid(), "started": _now()}))
    except OSError as error:  # e.g. a file system without locks
        raise disk_error(error, path.parent) or UserError(f"cannot lock {path.parent}: {error}") from None
    return stale


def _busy(out_dir: Path, holder: str | None, waited: float) -> UserError:
    who = f" ({holder})" if holder else ""
    after = f" and still is after {waited:g} s" if waited else ""
    return UserError(f"{out_dir} is being rendered by another process{who}{after}; wait for it to finish or choose "
                     f"another --out folder")


def _holder(fd: int) -> str | None:
    """"pid N, started at T" from the lock file; None when it is empty (no holder, or one not yet recorded)."""
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 4096).decode("utf-8", "replace").strip()
    if not text:
        return None
    try:
        record = json.loads(text)
        return f"pid {int(record['pid'])}, started at {record['started']}"
    except (ValueError, KeyError, TypeError):
        return "pid unknown"


def _record(fd: int, text: str) -> None:
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, text.encode())


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(sep=" ", timespec="seconds")
