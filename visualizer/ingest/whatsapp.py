"""WhatsApp chat exports (Android and iOS), grouped into one entry per day.

Android: `3/1/25, 8:00 PM - Name: message`; iOS: `[01/03/2025, 20:00:00] Name: message`, often with
U+200E marks. A line that does not start a message continues the previous one (multi-line messages).
System lines (encryption notice, joins, subject changes) and media placeholders carry no writing and are
skipped. The day/month order depends on the phone's locale, so it is decided from the whole file; when
every date reads both ways the platform's usual order is used and that guess is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from visualizer.errors import UserError
from visualizer.ingest.dates import RawDate, infer_order, year_as_written
from visualizer.ingest.entry import Entry, Problem

_TIME = r"(?P<h>\d{1,2})[:.](?P<min>\d{2})(?:[:.]\d{2})?(?:\s*(?P<ampm>[ap])\.?\s*m\.?)?"
_DATE = r"(?P<a>\d{1,2})(?P<s>[/.\-])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4}|\d{2})"
ANDROID = re.compile(rf"^{_DATE},?\s+{_TIME}\s+[-–]\s+(?P<rest>.*)$", re.I)
IOS = re.compile(rf"^\[{_DATE},?\s+{_TIME}\]\s*(?P<rest>.*)$", re.I)
_MARKS = str.maketrans({"\u200e": None, "\u200f": None, "\ufeff": None, "\u202f": " ", "\xa0": " "})
_MEDIA = re.compile(
    r"^(?:<media omitted>|<attached: [^>]*>|(?:image|video|audio|sticker|gif|document|contact card|photo) omitted"
    r"|.+\.\w{2,5} \(file attached\)|null|this message was deleted|you deleted this message"
    r"|waiting for this message.*|missed (?:voice|video) call.*|(?:live )?location: https?://\S+|poll:)$", re.I)
_SYSTEM = re.compile(
    r"messages and calls are end-to-end encrypted|created (?:the )?group|\badded\b|\bleft$|\bremoved\b"
    r"|changed (?:the|this group's) (?:subject|icon|description|group)|security code (?:with \S+ )?changed"
    r"|joined using this group's invite link|changed their phone number|disappearing messages", re.I)
_EDITED = "<this message was edited>"


@dataclass
class _Message:
    line: int
    raw: RawDate
    author: str
    lines: list[str] = field(default_factory=list)


def looks_like_whatsapp(lines: list[str]) -> str | None:
    """"android" or "ios" when most message-shaped lines among `lines` match one of the two shapes."""
    cleaned = [line.translate(_MARKS) for line in lines if line.strip()]
    android = sum(bool(ANDROID.match(line)) for line in cleaned)
    ios = sum(bool(IOS.match(line)) for line in cleaned)
    best = max(android, ios)
    if best and best >= 0.3 * len(cleaned):
        return "ios" if ios > android else "android"
    return None


def parse_whatsapp(text: str, source: str, author: str | None = None,
                   order: str | None = None) -> tuple[list[Entry], list[Problem], list[str]]:
    """Entries of a chat: one per day, only `author`'s messages when given (case-insensitive); and everyone
    who wrote in it, so a reader can choose one."""
    lines = text.split("\n")
    shape = looks_like_whatsapp(lines[:200]) or "android"
    pattern = IOS if shape == "ios" else ANDROID
    problems: list[Problem] = []
    messages: list[_Message] = []
    current: _Message | None = None
    skipped = orphan = 0
    for number, line in enumerate(lines, start=1):
        match = pattern.match(line.translate(_MARKS).strip())
        if not match:
            if current is not None:
                current.lines.append(line.translate(_MARKS).rstrip())
            elif line.strip():
                orphan = orphan or number
            continue
        name, colon, message = match["rest"].partition(": ")
        if not colon or not name.strip() or _SYSTEM.search(name) or f"{name}: \u200e" in line:
            current = None  # system line; iOS puts U+200E before text WhatsApp wrote, not the user
            skipped += 1
            continue
        dotted = "dm" if match["s"] == "." else None  # dotted dates (1.3.25) are day-first
        raw = RawDate(year_as_written(match["y"]), int(match["a"]), int(match["b"]), dotted)
        current = _Message(number, raw, name.strip(), [message])
        messages.append(current)
    if orphan:
        problems.append(Problem(source, orphan, "text before the first chat message; ignored"))
    if not messages:
        raise UserError(f"{source}: no chat messages with text found ({skipped} system or media lines)")
    return _group(messages, source, shape, author, order, problems, skipped)


def _group(messages: list[_Message], source: str, shape: str, author: str | None, order: str | None,
           problems: list[Problem], skipped: int) -> tuple[list[Entry], list[Problem], list[str]]:
    chosen, why = (order, "given") if order else infer_order([m.raw for m in messages])
    default = "dm" if shape == "ios" else "md"
    if why == "ambiguous":
        chosen = default
        problems.append(Problem(source, None, "every date in the chat reads both as day/month and month/day; read "
                                              f"as {'day/month' if chosen == 'dm' else 'month/day'} (usual for "
                                              f"{shape}) — pass --date-order if that is wrong"))
    elif why == "conflict":
        problems.append(Problem(source, None, "chat dates mix day/month and month/day orders; read as "
                                              f"{'day/month' if chosen == 'dm' else 'month/day'}"))
    authors = sorted({m.author for m in messages})
    if author is not None:
        wanted = author.strip().lower()
        messages = [m for m in messages if m.author.lower() == wanted]
        if not messages:
            raise UserError(f"{source}: no messages by {author!r}; authors in this chat: {', '.join(authors)}")
    days: dict = {}
    for message in messages:
        kept = [line for line in message.lines if not _MEDIA.match(line.strip())]
        text = _without_edit_mark("\n".join(kept).strip())
        if not text:
            skipped += 1
            continue
        try:
            date = message.raw.to_date(chosen or default)
        except ValueError as error:
            problems.append(Problem(source, message.line, f"not a valid date ({error}); message skipped"))
            continue
        day = days.setdefault(date, {"line": message.line, "texts": []})
        day["texts"].append(text)
    if not days:
        raise UserError(f"{source}: the chat has only media or system lines ({skipped} skipped), no text to read")
    entries = [Entry(date, "\n".join(day["texts"]), source, author=messages[0].author if author else None,
                     line=day["line"]) for date, day in sorted(days.items())]
    return entries, problems, authors


def _without_edit_mark(text: str) -> str:
    """`text` without WhatsApp's trailing "<This message was edited>" (compared as a string: a pattern starting
    with `\\s*` took quadratic time on a message of many spaces)."""
    if text[-len(_EDITED):].lower() == _EDITED:
        return text[:-len(_EDITED)].rstrip()
    return text
