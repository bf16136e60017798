"""Record formats: JSON Lines, JSON arrays, CSV/TSV and the Day One JSON export.

Column and key names vary between apps, so each field accepts a few common names (case-insensitive).
A bad record (broken JSON, no text, an unreadable date) is reported with its line and skipped or kept
undated; it never stops the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass

from visualizer.errors import UserError
from visualizer.ingest.dates import RawDate, infer_order, parse_date_value
from visualizer.ingest.entry import Entry, Problem

FIELDS = {
    "date": ("date", "day", "datetime", "created", "created_at", "createdat", "creationdate", "timestamp", "time",
             "when"),
    "text": ("text", "content", "body", "entry", "message", "note", "journal", "diary"),
    "author": ("author", "name", "sender", "from", "user", "writer"),
    "title": ("title", "subject", "heading", "headline"),
}


def field_name(keys, role: str) -> str | None:
    """The key among `keys` that plays `role` (date, text, author, title), first synonym wins."""
    lowered = {str(k).strip().lower().replace(" ", "_"): k for k in keys if k is not None}
    return next((lowered[name] for name in FIELDS[role] if name in lowered), None)


@dataclass
class _Record:
    line: int | None
    text: str
    date: dt.date | RawDate | None
    author: str | None = None
    title: str | None = None
    tags: tuple[str, ...] = ()


def _record(item: dict, line: int | None, where: str, source: str, problems: list[Problem]) -> _Record | None:
    text_key = field_name(item, "text")
    text = item.get(text_key) if text_key else None
    if not isinstance(text, str) or not text.strip():
        problems.append(Problem(source, line, f"{where}has no text (looked for {', '.join(FIELDS['text'][:5])}); skipped"))
        return None
    date_key = field_name(item, "date")
    date = parse_date_value(item.get(date_key)) if date_key else None
    if date_key is None or item.get(date_key) in (None, ""):
        problems.append(Problem(source, line, f"{where}has no date; kept as an undated entry"))
    elif date is None:
        problems.append(Problem(source, line, f"{where}date {item.get(date_key)!r} is not readable; kept undated"))
    author_key, title_key = field_name(item, "author"), field_name(item, "title")
    author = item.get(author_key) if author_key else None
    title = item.get(title_key) if title_key else None
    return _Record(line, text.strip(), date, str(author).strip() if author else None,
                   str(title).strip() if title else None)


def _entries(records: list[_Record], source: str, problems: list[Problem], order: str | None) -> list[Entry]:
    raws = [r.date for r in records if isinstance(r.date, RawDate)]
    chosen, why = (order, "given") if order else infer_order(raws)
    if why == "ambiguous":
        problems.append(Problem(source, None, "numeric dates read both as day/month and month/day; read as "
                                              "month/day — pass --date-order dmy if that is wrong"))
    elif why == "conflict":
        problems.append(Problem(source, None, "numeric dates mix day/month and month/day orders; read as "
                                              f"{'day/month' if chosen == 'dm' else 'month/day'}"))
    entries = []
    for record in records:
        date = record.date
        if isinstance(date, RawDate):
            try:
                date = date.to_date(chosen)
            except ValueError as error:
                problems.append(Problem(source, record.line, f"not a valid date ({error}); kept undated"))
                date = None
        entries.append(Entry(date, record.text, source, record.author, record.title, record.line, record.tags))
    return entries


def parse_jsonl(text: str, source: str, order: str | None = None) -> tuple[list[Entry], list[Problem]]:
    problems: list[Problem] = []
    records = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(Problem(source, number, f"not valid JSON ({error.msg}); skipped"))
            continue
        if not isinstance(item, dict):
            problems.append(Problem(source, number, "not a JSON object; skipped"))
            continue
        record = _record(item, number, "", source, problems)
        if record:
            records.append(record)
    return _entries(records, source, problems, order), problems


def parse_json(text: str, source: str, order: str | None = None) -> tuple[list[Entry], list[Problem]]:
    """A JSON array of entry objects, or an object with an `entries` list (Day One and similar)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UserError(f"{source}:{error.lineno}: not valid JSON ({error.msg})") from None
    if isinstance(data, dict) and isinstance(data.get("entries"), list):
        items = data["entries"]
    elif isinstance(data, list):
        items = data
    else:
        raise UserError(f"{source}: JSON holds no list of entries (expected an array or an object with 'entries')")
    problems: list[Problem] = []
    records = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(source, None, f"item {index} is not a JSON object; skipped"))
            continue
        if "creationDate" in item:
            record = _day_one_record(item, f"entry {index} ", source, problems)
        else:
            record = _record(item, None, f"item {index} ", source, problems)
        if record:
            records.append(record)
    return _entries(records, source, problems, order), problems


_MOMENT = re.compile(r"!\[[^\]]*\]\(dayone-moment:[^)]*\)\s*")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~])")


def _day_one_record(item: dict, where: str, source: str, problems: list[Problem]) -> _Record | None:
    """Day One stores UTC times plus the writer's time zone: the entry's date is the local calendar day."""
    text = _ESCAPE.sub(r"\1", _MOMENT.sub("", item.get("text") or "")).strip()
    if not text:
        problems.append(Problem(source, None, f"{where}has no text (photos only?); skipped"))
        return None
    date = None
    try:
        moment = dt.datetime.fromisoformat(str(item["creationDate"]).replace("Z", "+00:00"))
        if item.get("timeZone") and moment.tzinfo:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                moment = moment.astimezone(ZoneInfo(item["timeZone"]))
            except (ZoneInfoNotFoundError, ValueError):
                pass
        date = moment.date()
    except (TypeError, ValueError):
        problems.append(Problem(source, None, f"{where}creationDate {item.get('creationDate')!r} is not readable; "
                                              "kept undated"))
    title = None
    first, _, rest = text.partition("\n")
    if first.startswith("#") and rest.strip():
        title, text = first.lstrip("#").strip(), rest.strip()
    tags = tuple(str(t) for t in item.get("tags") or () if isinstance(t, (str, int)))
    return _Record(None, text, date, None, title, tags)


def parse_csv(text: str, source: str, order: str | None = None) -> tuple[list[Entry], list[Problem]]:
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample.split("\n", 1)[0] or sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text, newline=""), dialect)
    problems: list[Problem] = []
    limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)  # a 200,000-character entry is a valid diary entry
    try:
        header = next(rows, None)
        text_key = field_name(header or [], "text")
        if not header or text_key is None:
            raise UserError(f"{source}:1: CSV header has no text column (looked for {', '.join(FIELDS['text'])}); "
                            f"columns: {', '.join(h for h in header or [] if h) or 'none'}")
        names = [h.strip() for h in header]
        text_index = header.index(text_key)
        records = []
        start = rows.line_num + 1
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except csv.Error as error:
                problems.append(Problem(source, rows.line_num, f"CSV error ({error}); the rest of the file is skipped"))
                break
            line, start = start, rows.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(names) and text_index == len(names) - 1:
                row = row[:text_index] + [dialect.delimiter.join(row[text_index:])]
                problems.append(Problem(source, line, "more fields than columns (unquoted delimiter in the text?); "
                                                      "extra fields joined into the text"))
            elif len(row) != len(names):
                problems.append(Problem(source, line, f"{len(row)} fields where the header has {len(names)}"))
            record = _record(dict(zip(names, row)), line, "", source, problems)
            if record:
                records.append(record)
    finally:
        csv.field_size_limit(limit)
    return _entries(records, source, problems, order), problems
