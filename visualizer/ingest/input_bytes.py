"""The bytes of a journal, read once and bounded: from a regular file, or from a stream such as stdin.

Only a regular file is read as a journal. A named pipe (FIFO) would block for ever, and reopening one to sniff
it (as `zipfile.is_zipfile(path)` does) hangs even after its writer closes; a device such as /dev/zero never
ends; a socket cannot be opened at all. So the path's kind is checked first, the file is opened without
blocking and checked again on the open descriptor (it may have been swapped in between), its size is compared
with the file limit before anything is read, and the read itself stops at the limit (a file can grow while it
is read). Everything after works on the bytes returned here; nothing opens the path a second time.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from visualizer.errors import UserError
from visualizer.ingest.limits import Limits

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a block device"))
CHUNK_BYTES = 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def file_bytes(path: Path, limits: Limits) -> bytes:
    """The whole content of the regular file `path`; UserError naming it for anything else or too much."""
    try:
        _require_regular(path, os.stat(path), limits)
        descriptor = os.open(path, _OPEN_FLAGS)
    except (FileNotFoundError, NotADirectoryError):
        raise UserError(f"{path}: no such file") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read ({error.strerror})") from None
    except ValueError:  # a NUL character in the name
        raise UserError(f"{str(path)!r}: not a usable file name") from None
    with open(descriptor, "rb") as file:
        _require_regular(path, os.fstat(descriptor), limits)
        return stream_bytes(file, str(path), limits)


def stream_bytes(stream: BinaryIO, source: str, limits: Limits) -> bytes:
    """Everything `stream` holds up to the file limit; UserError naming `source` when there is more."""
    data = read_at_most(stream, limits.in_bytes("max_file_mb"))
    if data is None:
        raise UserError(f"{source}: holds more than {limits.max_file_mb:,} MB, too much to read as a journal "
                        f"({limits.advice('max_file_mb')})")
    return data


def read_at_most(stream: BinaryIO, limit: int) -> bytes | None:
    """All of `stream` when it holds at most `limit` bytes, else None; read in chunks, so that neither a lying
    size nor an endless stream costs more than `limit` bytes of memory."""
    chunks, size = [], 0
    while chunk := stream.read(CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _require_regular(path: Path, info: os.stat_result, limits: Limits) -> None:
    """UserError unless `info` is a regular file within the file limit."""
    if stat.S_ISREG(info.st_mode):
        if info.st_size > limits.in_bytes("max_file_mb"):
            raise UserError(f"{path}: is {info.st_size / 1024 / 1024:,.0f} MB, too large to read as a journal "
                            f"({limits.advice('max_file_mb')})")
        return
    kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
    if kind == "a folder":
        raise UserError(f"{path}: is a folder; give a journal file")
    raise UserError(f"{path}: is {kind}, not a journal file (to read from a pipe, pass - and send it to stdin)")
