"""Journals inside a zip export (Day One, or chats zipped by hand), unpacked from bytes already read, bounded.

A zip says how large each member is, but that size can lie, and a member of 600 MB packs into 2 MB. So each member
is unpacked in chunks and reading stops at the member limit; all members together stop at the file limit. A member
that is too large, damaged, encrypted or packed in an unknown way is reported naming `zip/member` and skipped;
the other members are still read.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from collections.abc import Iterator

from visualizer.errors import UserError
from visualizer.ingest.entry import Problem
from visualizer.ingest.input_bytes import read_at_most
from visualizer.ingest.limits import Limits

JOURNAL_SUFFIXES = (".json", ".txt")
# how zipfile says a member cannot be unpacked: bad CRC or header, zlib/bz2/lzma data errors, encryption
# (RuntimeError), a compression method it lacks (NotImplementedError), a cut-off archive (EOFError)
_UNREADABLE = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, EOFError, ValueError, RuntimeError,
               NotImplementedError)


def is_zip(data: bytes) -> bool:
    """Whether `data` is a zip archive (judged on the bytes in hand, never by reopening the file)."""
    return zipfile.is_zipfile(io.BytesIO(data))


def journal_members(data: bytes, source: str, limits: Limits, problems: list[Problem]) -> Iterator[tuple[str, bytes]]:
    """(`source/member`, bytes) of each .json or .txt member, one at a time; what is skipped goes to `problems`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _UNREADABLE as error:
        raise UserError(f"{source}: looks like a zip archive but cannot be opened ({error})") from None
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir() and not info.filename.startswith("__")
                   and info.filename.lower().endswith(JOURNAL_SUFFIXES)]
        if not members:
            raise UserError(f"{source}: zip holds no .json journal or .txt chat")
        budget = limits.in_bytes("max_file_mb")
        for info in members:
            where = f"{source}/{info.filename}"
            ceiling = min(limits.in_bytes("max_archive_member_mb"), budget)
            try:
                with archive.open(info) as member:
                    content = read_at_most(member, ceiling)
            except _UNREADABLE as error:
                problems.append(Problem(where, None, f"cannot be unpacked ({error}); skipped"))
                continue
            if content is None and budget < limits.in_bytes("max_archive_member_mb"):
                problems.append(Problem(where, None, f"the zip's journals together unpack to more than "
                                                     f"{limits.max_file_mb:,} MB; this one and the rest skipped "
                                                     f"({limits.advice('max_file_mb')})"))
                return
            if content is None:
                problems.append(Problem(where, None, f"unpacks to more than {limits.max_archive_member_mb:,} MB; "
                                                     f"skipped ({limits.advice('max_archive_member_mb')})"))
                continue
            budget -= len(content)
            yield where, content
