"""`read_journal` / `read_text`: pick the format from the content (or take it as given) and parse.

Content decides rather than the file extension because exports get renamed (`chat.txt`, `export.json`);
the extension only breaks ties. Problems common to every format (dates in the future, undated entries in
a date filter) are checked here once.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

from visualizer.errors import UserError
from visualizer.ingest.dated_text import is_dated_heading, parse_dated_text
from visualizer.ingest.decode import decode
from visualizer.ingest.entry import Entry, IngestResult, Problem
from visualizer.ingest.records import field_name, parse_csv, parse_json, parse_jsonl
from visualizer.ingest.whatsapp import looks_like_whatsapp, parse_whatsapp

FORMATS = ("text", "markdown", "jsonl", "json", "csv", "dayone", "whatsapp")
_ALIASES = {"txt": "text", "plain": "text", "md": "markdown", "tsv": "csv", "chat": "whatsapp",
            "day-one": "dayone", "day_one": "dayone", "ndjson": "jsonl"}
_ORDERS = {None: None, "dmy": "dm", "dm": "dm", "mdy": "md", "md": "md"}


def normalise_format(name: str | None) -> str | None:
    if name is None or name == "auto":
        return None
    key = _ALIASES.get(name.lower(), name.lower())
    if key not in FORMATS:
        raise UserError(f"unknown format {name!r}; known formats: {', '.join(FORMATS)} (or auto)")
    return key


def detect_format(text: str, name: str = "") -> str:
    """The format of `text` judged from its content; `name` (a file name) only breaks ties."""
    stripped = text.lstrip()
    lines = stripped.split("\n", 200)[:200]
    if looks_like_whatsapp(lines):
        return "whatsapp"
    if stripped.startswith(("{", "[")):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("entries"), list):
            first = next((e for e in data["entries"] if isinstance(e, dict)), {})
            return "dayone" if "creationDate" in first else "json"
        if isinstance(data, list):
            return "json"
        if isinstance(data, dict) or _json_object(lines[0]):
            return "jsonl"
    header = lines[0] if lines else ""
    delimiter = next((d for d in ",;\t|" if d in header), None)
    if delimiter and field_name([c.strip().strip('"') for c in header.split(delimiter)], "text"):
        return "csv"
    if any(is_dated_heading(line) for line in lines):
        return "markdown"
    suffix = Path(name).suffix.lower()
    return {".md": "markdown", ".markdown": "markdown", ".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl",
            ".json": "json"}.get(suffix, "text")


def _json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False


def read_text(text: str, source: str = "<text>", format: str | None = None, author: str | None = None,
              date_order: str | None = None) -> IngestResult:
    """Entries of `text` (pasted or already decoded); `date_order` "dmy"/"mdy" forces numeric dates."""
    if not text.strip():
        raise UserError(f"{source}: there is no text")
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    chosen = normalise_format(format) or detect_format(text, source)
    order = _ORDERS.get(date_order.lower() if date_order else None, "invalid")
    if order == "invalid":
        raise UserError(f"unknown date order {date_order!r}; use dmy or mdy")
    if chosen == "whatsapp":
        entries, problems, authors = parse_whatsapp(text, source, author, order)
        return IngestResult(entries, problems + _future(entries), chosen, authors)
    if chosen in ("text", "markdown"):
        entries, problems = parse_dated_text(text, source, chosen == "markdown", order)
    elif chosen == "jsonl":
        entries, problems = parse_jsonl(text, source, order)
    elif chosen == "csv":
        entries, problems = parse_csv(text, source, order)
    else:
        entries, problems = parse_json(text, source, order)
    authors = sorted({e.author for e in entries if e.author})
    if author is not None:
        entries = _by_author(entries, author, authors, source)
    return IngestResult(entries, problems + _future(entries), chosen, authors)


def read_journal(path: str | Path, format: str | None = None, author: str | None = None,
                 date_order: str | None = None) -> IngestResult:
    """Entries of a journal or chat file (a Day One .zip export too); UserError names the file at fault."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path}: no such file")
    if path.is_dir():
        raise UserError(f"{path}: is a folder; give a journal file")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UserError(f"{path}: cannot read ({error.strerror})") from None
    if zipfile.is_zipfile(path):
        return _read_zip(path, format, author, date_order)
    text, problems = decode(data, str(path))
    result = read_text(text, str(path), format, author, date_order)
    result.problems[:0] = problems
    return result


def _read_zip(path: Path, format: str | None, author: str | None, date_order: str | None) -> IngestResult:
    """A Day One export zip: every JSON journal inside it."""
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.lower().endswith((".json", ".txt")) and not n.startswith("__")]
        if not names:
            raise UserError(f"{path}: zip holds no .json journal or .txt chat")
        entries, problems, formats, authors = [], [], [], set()
        for name in names:
            text, decoded = decode(archive.read(name), f"{path}/{name}")
            result = read_text(text, f"{path}/{name}", format, author, date_order)
            entries += result.entries
            problems += decoded + result.problems
            formats.append(result.format)
            authors.update(result.authors)
    return IngestResult(entries, problems, formats[0] if len(set(formats)) == 1 else "mixed", sorted(authors))


def _by_author(entries: list[Entry], author: str, authors: list[str], source: str) -> list[Entry]:
    """The entries `author` wrote (any case); UserError naming the `authors` there are when none."""
    wanted = author.strip().lower()
    kept = [e for e in entries if (e.author or "").lower() == wanted]
    if not kept:
        raise UserError(f"{source}: no entries by {author!r}; authors: {', '.join(authors) or 'none recorded'}")
    return kept


def _future(entries: list[Entry]) -> list[Problem]:
    today = dt.date.today()
    return [Problem(e.source, e.line, f"date {e.date.isoformat()} is in the future (kept; a typo?)")
            for e in entries if e.date and e.date > today]


def filter_entries(entries: list[Entry], since: dt.date | None = None, until: dt.date | None = None,
                   limit: int | None = None) -> list[Entry]:
    """Entries within [since, until] (undated ones drop out when a range is given), at most `limit`."""
    if since or until:
        entries = [e for e in entries if e.date and (not since or e.date >= since) and (not until or e.date <= until)]
    return entries[:limit] if limit is not None else entries


