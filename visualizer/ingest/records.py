"""Record formats: JSON Lines, JSON arrays, CSV/TSV and the Day One JSON export.

Column and key names vary between apps, so each field accepts a few common names (case-insensitive).
A bad record (broken JSON, no text, an unreadable date) is reported with its line and skipped or kept
undated; it never stops the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from visualizer.errors import UserError
from visualizer.ingest.dates import RawDate, infer_order, parse_date_value
from visualizer.ingest.entry import Entry, Problem
from visualizer.ingest.json_values import JsonError, load_json, shown

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
    """The entry one JSON object or CSV row holds; a field of the wrong type is reported (and the entry skipped
    when it is the text)."""
    text_key = field_name(item, "text")
    text = item.get(text_key) if text_key else None
    if text is not None and not isinstance(text, str):
        problems.append(Problem(source, line, f"{where}{text_key} is {shown(text)}, not text; skipped"))
        return None
    if not text or not text.strip():
        looked = ", ".join(FIELDS["text"][:5])
        problems.append(Problem(source, line, f"{where}has no text (looked for {looked}); skipped"))
        return None
    date_key = field_name(item, "date")
    value = item.get(date_key) if date_key else None
    date = parse_date_value(value)
    if value is None or value == "":
        problems.append(Problem(source, line, f"{where}has no date; kept as an undated entry"))
    elif date is None:
        problems.append(Problem(source, line, f"{where}date is not readable ({shown(value)}); kept undated"))
    author, title = (_optional_text(item, role, line, where, source, problems) for role in ("author", "title"))
    return _Record(line, text.strip(), date, author, title)


def _optional_text(item: dict, role: str, line: int | None, where: str, source: str,
                   problems: list[Problem]) -> str | None:
    """The author or title field as text; a value of another type is reported and left out, not str()'d."""
    key = field_name(item, role)
    value = item.get(key) if key else None
    if value is None or isinstance(value, str):
        return (value or "").strip() or None
    problems.append(Problem(source, line, f"{where}{key} is {shown(value)}, not text; {role} left out"))
    return None


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
            item = load_json(line)
        except JsonError as error:
            problems.append(Problem(source, number, f"{error.reason}; skipped"))
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
        data = load_json(text)
    except JsonError as error:
        raise UserError(f"{source}:{error.line}: {error.reason}" if error.line else f"{source}: {error.reason}") \
            from None
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


# A Day One photo or video placeholder; the bounds keep the search linear on text full of "![" (a
# `[^\]]*` scan from every "![" to the end would be quadratic).
_MOMENT = re.compile(r"!\[[^\]]{0,500}\]\(dayone-moment:[^)]{0,500}\)\s*")
# an IANA zone name ("America/Argentina/Buenos_Aires", "Etc/GMT+5"); anything else is not handed to ZoneInfo,
# which may look a name up as a package path, one import per "/" (a thousand of them overflow the stack)
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+\-]{1,40}(?:/[A-Za-z0-9_+\-]{1,40}){0,3}")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~])")


def _day_one_record(item: dict, where: str, source: str, problems: list[Problem]) -> _Record | None:
    """One Day One entry: Markdown text, a title from a leading heading, tags and the local calendar day."""
    raw = item.get("text")
    if raw is not None and not isinstance(raw, str):
        problems.append(Problem(source, None, f"{where}text is {shown(raw)}, not text; skipped"))
        return None
    text = _ESCAPE.sub(r"\1", _MOMENT.sub("", raw or "")).strip()
    if not text:
        problems.append(Problem(source, None, f"{where}has no text (photos only?); skipped"))
        return None
    title = None
    first, _, rest = text.partition("\n")
    if first.startswith("#") and rest.strip():
        title, text = first.lstrip("#").strip(), rest.strip()
    return _Record(None, text, _day_one_date(item, where, source, problems), None, title,
                   _day_one_tags(item, where, source, problems))


def _day_one_date(item: dict, where: str, source: str, problems: list[Problem]) -> dt.date | None:
    """Day One stores UTC times plus the writer's time zone: the entry's date is the local calendar day. A zone
    that cannot be used is reported and the UTC day kept, rather than losing the date."""
    created = item["creationDate"]
    try:
        moment = dt.datetime.fromisoformat(created.replace("Z", "+00:00")) if isinstance(created, str) else None
    except ValueError:
        moment = None
    if moment is None:
        problems.append(Problem(source, None, f"{where}creationDate is not readable ({shown(created)}); "
                                              "kept undated"))
        return None
    zone = item.get("timeZone")
    if moment.tzinfo is None or zone in (None, ""):
        return moment.date()
    try:
        if isinstance(zone, str) and _ZONE_NAME.fullmatch(zone):
            return moment.astimezone(ZoneInfo(zone)).date()
    except (ZoneInfoNotFoundError, ValueError, OSError, OverflowError):
        pass  # ZoneInfo refuses unknown names and folders ("Europe") in these ways
    problems.append(Problem(source, None, f"{where}timeZone is not a usable time zone ({shown(zone)}); the date is "
                                          "the UTC day"))
    return moment.date()


def _day_one_tags(item: dict, where: str, source: str, problems: list[Problem]) -> tuple[str, ...]:
    """The entry's tags: the texts in a list; anything else is reported and left out."""
    tags = item.get("tags")
    if tags is None:
        return ()
    if not isinstance(tags, list):
        problems.append(Problem(source, None, f"{where}tags is {shown(tags)}, not a list; tags left out"))
        return ()
    kept = tuple(t for t in tags if isinstance(t, str) and t.strip())
    if len(kept) < len(tags):
        dropped = len(tags) - len(kept)
        problems.append(Problem(source, None, f"{where}has {dropped} tag(s) that are not text; left out"))
    return kept


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
