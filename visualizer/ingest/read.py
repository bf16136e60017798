"""`read_journal` / `read_stream` / `read_text`: pick the format from the content (or take it as given) and parse.

Content decides rather than the file extension because exports get renamed (`chat.txt`, `export.json`);
the extension only breaks ties. A file or stream is read once and bounded (`input_bytes.py`), a zip export is
unpacked from those bytes (`archive.py`), and whatever the format, every entry then passes the checks common to
all of them (`screening.py`: the entry limit, invalid characters, duplicates, future dates) once. Each format, with
its names, suffixes and parser, is declared once in `formats.py`.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import BinaryIO

from visualizer.errors import UserError
from visualizer.ingest.archive import is_zip, journal_members
from visualizer.ingest.dated_text import is_dated_heading
from visualizer.ingest.decode import decode
from visualizer.ingest.entry import Entry, IngestResult, Problem
from visualizer.ingest.formats import JOURNAL_FORMATS, format_by_suffix, normalise_format
from visualizer.ingest.input_bytes import file_bytes, stream_bytes
from visualizer.ingest.json_values import JsonBeyondLimits, JsonError, load_json
from visualizer.ingest.limits import Limits
from visualizer.ingest.records import field_name
from visualizer.ingest.screening import screen, without_surrogates
from visualizer.ingest.whatsapp import looks_like_whatsapp

_ORDERS = {None: None, "dmy": "dm", "dm": "dm", "mdy": "md", "md": "md"}


def detect_format(text: str, name: str = "") -> str:
    """The format of `text` judged from its content; `name` (a file name) only breaks ties (`formats.py`)."""
    stripped = text.lstrip()
    lines = stripped.split("\n", 200)[:200]
    if looks_like_whatsapp(lines):
        return "whatsapp"
    shaped = _json_format(stripped, lines[0]) if stripped.startswith(("{", "[")) else None
    if shaped:
        return shaped
    header = lines[0] if lines else ""
    delimiter = next((d for d in ",;\t|" if d in header), None)
    if delimiter and field_name([c.strip().strip('"') for c in header.split(delimiter)], "text"):
        return "csv"
    if any(is_dated_heading(line) for line in lines):
        return "markdown"
    return format_by_suffix(name)


def _json_format(text: str, first_line: str) -> str | None:
    """"json", "dayone" or "jsonl" when `text` (which starts with { or [) has that shape, else None. JSON beyond
    what Python reads (too deep, a number too long) still counts as JSON: its parser reports it, where reading it
    as prose would analyse brackets."""
    try:
        data = load_json(text)
    except JsonBeyondLimits:
        return "jsonl" if _json_line(first_line) else "json"
    except JsonError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("entries"), list):
        first = next((e for e in data["entries"] if isinstance(e, dict)), {})
        return "dayone" if "creationDate" in first else "json"
    if isinstance(data, list):
        return "json"
    if isinstance(data, dict) or _json_line(first_line):
        return "jsonl"
    return None


def _json_line(line: str) -> bool:
    """Whether `line` is a JSON object, or JSON beyond limits (a JSONL line that `parse_jsonl` reports)."""
    try:
        return isinstance(load_json(line), dict)
    except JsonBeyondLimits:
        return True
    except JsonError:
        return False


def read_text(text: str, source: str = "<text>", format: str | None = None, author: str | None = None,
              date_order: str | None = None) -> IngestResult:
    """Entries of `text` (pasted or already decoded); `date_order` "dmy"/"mdy" forces numeric dates."""
    source = without_surrogates(source)
    parsed = _parse(text, source, normalise_format(format), author, _order(date_order))
    return _screened(parsed, source, author, Limits.from_environment())


def read_journal(path: str | Path, format: str | None = None, author: str | None = None,
                 date_order: str | None = None) -> IngestResult:
    """Entries of a journal or chat file (a Day One .zip export too); UserError names the file at fault."""
    limits = Limits.from_environment()
    path = Path(path)
    return _read_bytes(file_bytes(path, limits), str(path), format, author, date_order, limits)


def read_input(path: str | None, text: str | None = None, format: str | None = None, author: str | None = None,
               date_order: str | None = None, *, stdin: BinaryIO | None = None) -> IngestResult:
    """Entries from a journal file `path`, `-` (stdin, or the `stdin` given) or literal `text`: the one way the
    commands read their input, so every bad input gets the same message whichever command meets it. A path that
    does not exist is an error, never read as text."""
    if (path is None) == (text is None):
        raise UserError("give a journal file, - for stdin, or --text TEXT (one of them)")
    if text is not None:
        return read_text(text, "--text", format, author, date_order)
    if path == "-":
        return read_stream(stdin or sys.stdin.buffer, "<stdin>", format, author, date_order)
    if not os.path.lexists(path):
        raise UserError(f"{path}: no such file (to read literal text, use --text)")
    return read_journal(path, format, author, date_order)


def read_stream(stream: BinaryIO, source: str = "<stdin>", format: str | None = None, author: str | None = None,
                date_order: str | None = None) -> IngestResult:
    """Entries of a byte stream such as stdin, read like a file: the same limits, encodings and zip exports."""
    limits = Limits.from_environment()
    return _read_bytes(stream_bytes(stream, source, limits), source, format, author, date_order, limits)


def _read_bytes(data: bytes, source: str, format: str | None, author: str | None, date_order: str | None,
                limits: Limits) -> IngestResult:
    source, format, order = without_surrogates(source), normalise_format(format), _order(date_order)
    if is_zip(data):
        return _read_zip(data, source, format, author, order, limits)
    text, problems = decode(data, source)
    result = _screened(_parse(text, source, format, author, order), source, author, limits)
    result.problems[:0] = problems
    return result


def _read_zip(data: bytes, source: str, format: str | None, author: str | None, order: str | None,
              limits: Limits) -> IngestResult:
    """A Day One export zip: every JSON journal (and .txt chat) inside it, screened together so that a duplicate
    across two members is found too. A member that cannot be read is a problem; the others are still read."""
    entries, problems, formats, authors = [], [], [], set()
    for where, content in journal_members(data, source, limits, problems):
        try:
            text, decoded = decode(content, where)
            result = _parse(text, where, format, author, order)
        except UserError as error:
            problems.append(Problem(source, None, f"{error}; skipped"))
            continue
        entries += result.entries
        problems += decoded + result.problems
        formats.append(result.format)
        authors.update(result.authors)
    combined = IngestResult(entries, problems, formats[0] if len(set(formats)) == 1 else "mixed", sorted(authors))
    return _screened(combined, source, author, limits)


def _order(date_order: str | None) -> str | None:
    """The day/month order ("dm", "md") a `date_order` option names, None for the file to decide."""
    order = _ORDERS.get(date_order.lower() if date_order else None, "invalid")
    if order == "invalid":
        raise UserError(f"unknown date order {date_order!r}; use dmy or mdy")
    return order


def _parse(text: str, source: str, format: str | None, author: str | None, order: str | None) -> IngestResult:
    """Entries as the `format` parser (None: detected) reads them, before the common checks; chats are grouped
    for `author`."""
    if not text.strip():
        raise UserError(f"{source}: there is no text")
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    chosen = format or detect_format(text, source)
    entries, problems, authors = JOURNAL_FORMATS[chosen].parse(text, source, author, order)
    return IngestResult(entries, problems, chosen, authors)


def _screened(result: IngestResult, source: str, author: str | None, limits: Limits) -> IngestResult:
    """`result` after the checks common to every format (`screening.py`), kept to `author`'s entries when given."""
    entries, problems = screen(result.entries, limits)
    authors = sorted({without_surrogates(name) for name in result.authors})
    if author is not None:
        entries = _by_author(entries, author, authors, source)
    return IngestResult(entries, result.problems + problems, result.format, authors)


def _by_author(entries: list[Entry], author: str, authors: list[str], source: str) -> list[Entry]:
    """The entries `author` wrote (any case); UserError naming the `authors` there are when none."""
    wanted = author.strip().lower()
    kept = [e for e in entries if (e.author or "").lower() == wanted]
    if not kept:
        raise UserError(f"{source}: no entries by {author!r}; authors: {', '.join(authors) or 'none recorded'}")
    return kept


def filter_entries(entries: list[Entry], since: dt.date | None = None, until: dt.date | None = None,
                   limit: int | None = None) -> list[Entry]:
    """Entries within [since, until] (undated ones drop out when a range is given), at most `limit`. A range
    that ends before it starts is a UserError: it can hold no entry, and is almost always swapped dates."""
    if since and until and since > until:
        raise UserError(f"the date range is empty: since {since.isoformat()} is after until {until.isoformat()} "
                        "(swapped?)")
    if since or until:
        entries = [e for e in entries if e.date and (not since or e.date >= since) and (not until or e.date <= until)]
    return entries[:limit] if limit is not None else entries
