"""Plain-text and Markdown diaries: entries start at a date line or heading, or after a `---` rule.

One parser serves both: a Markdown heading (`## 2025-03-01`, `# March 1, 2025 — Title`) starts an entry
anywhere; in plain text a date line starts one only after a blank line (or at the top or after a rule),
so a date quoted inside a paragraph stays text. A heading with a day and month but no year ("## March 3")
takes the year from the nearest earlier heading that names one ("# March 2025", "# 2025年").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from visualizer.ingest.dates import RawDate, infer_order, match_date
from visualizer.ingest.entry import Entry, Problem

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")  # the closing "##" is cut by `_heading_text`, not here
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|(?:\*\s*){3,})\s*$")
_OPENERS, _CLOSERS = "*_[(", "*_])"  # **2025-03-01**, [March 1], (1 March)
_TIME = re.compile(r"^\s*(?:at\s+|,\s*)?\d{1,2}[:.h]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?", re.I)
_SEPARATOR = re.compile(r"^\s*(?:[-–—:|•·]+|,)\s*")
_YEAR = re.compile(r"(?<!\w)(1[89]\d\d|2\d\d\d)(?:年|\b)")  # "# March 2025", "# 2025年"


@dataclass
class _Block:
    line: int
    raw: RawDate | None = None
    title: str | None = None
    lines: list[str] = field(default_factory=list)
    only_headings: bool = True
    undated_why: str = "text without a date"


def _heading_text(heading: re.Match) -> str:
    """A heading's text without its optional closing hashes ("## Title ##"). String methods rather than a pattern
    such as `(.*?)\\s*#*\\s*$`, which backtracks in cubic time on a heading of many spaces."""
    return heading.group(2).rstrip().rstrip("#").rstrip()


def _unwrapped(text: str) -> str:
    """`text` without Markdown emphasis or brackets around it (string methods: linear on any line)."""
    return text.lstrip(_OPENERS).rstrip(_CLOSERS)


def _date_line(line: str, heading: bool) -> tuple[RawDate, str] | None:
    """(date, rest) when the line is a date, optionally followed by a time and a separator plus title/text."""
    body = _unwrapped(line.strip())
    found = match_date(body)
    if not found:
        return None
    raw, end = found
    rest = _TIME.sub("", body[end:], count=1)
    stripped = _SEPARATOR.sub("", rest, count=1)
    if rest.strip() and stripped == rest.lstrip() and not heading:
        return None  # "March 1, 2025 was awful" is a sentence, not a date line
    if rest.strip() and stripped == rest.lstrip() and heading and not rest[:1].isspace():
        return None
    return raw, _unwrapped(stripped).strip()


def is_dated_heading(line: str) -> bool:
    """A Markdown heading that starts an entry (used to recognise Markdown diaries)."""
    heading = _HEADING.match(line)
    return bool(heading and _date_line(_heading_text(heading), True))


def parse_dated_text(text: str, source: str, markdown: bool,
                     order: str | None = None) -> tuple[list[Entry], list[Problem]]:
    """Entries of a plain-text or Markdown diary; `order` ("dm"/"md") forces the numeric date order."""
    blocks: list[_Block] = []
    problems: list[Problem] = []
    lines = text.split("\n")
    start = _front_matter_end(lines) if markdown else 0
    current = _Block(line=start + 1)
    year_context: int | None = None
    previous_blank = True
    for number, line in enumerate(lines[start:], start=start + 1):
        heading = _HEADING.match(line)
        if _RULE.match(line):
            blocks.append(current)
            current, previous_blank = _Block(line=number + 1), True
            continue
        candidate = _heading_text(heading) if heading else line
        dated = _date_line(candidate, bool(heading)) if (heading or previous_blank) and candidate.strip() else None
        if dated:
            raw, rest = dated
            blocks.append(current)
            year = raw.year if raw.year is not None else year_context
            current = _Block(line=number, raw=RawDate(year, raw.a, raw.b, raw.order) if year is not None else None)
            if year is None:
                current.undated_why = f"date {candidate.strip()!r} has no year"
            if rest and heading:
                current.title = rest
            elif rest:
                current.lines.append(rest)
                current.only_headings = False
            if raw.year is not None:
                year_context = raw.year
        elif heading:
            years = _YEAR.findall(candidate)
            year_context = int(years[-1]) if years else year_context
            current.lines.append(candidate)
        else:
            current.lines.append(line)
            current.only_headings = current.only_headings and not line.strip()
        previous_blank = not line.strip()
    blocks.append(current)
    return _to_entries(blocks, source, problems, order)


def _front_matter_end(lines: list[str]) -> int:
    """Index of the first line after a YAML front-matter block, 0 when there is none."""
    if not lines or lines[0].strip() != "---":
        return 0
    for i, line in enumerate(lines[1:60], start=1):
        if line.strip() in ("---", "..."):
            return i + 1
        if line.strip() and not re.match(r"^[\w-]+\s*:|^\s+|^\s*-\s", line):
            return 0
    return 0


def _to_entries(blocks: list[_Block], source: str, problems: list[Problem],
                forced: str | None) -> tuple[list[Entry], list[Problem]]:
    order, why = (forced, "given") if forced else infer_order([b.raw for b in blocks if b.raw])
    if why == "ambiguous":
        problems.append(Problem(source, None, "numeric dates read both as day/month and month/day; read as "
                                              "month/day — pass --date-order dmy if that is wrong"))
    elif why == "conflict":
        problems.append(Problem(source, None, f"numeric dates mix day/month and month/day orders; read as "
                                              f"{'day/month' if order == 'dm' else 'month/day'}"))
    any_dated = any(b.raw for b in blocks)
    entries = []
    for block in blocks:
        body = "\n".join(block.lines).strip()
        date = None
        if block.raw:
            try:
                date = block.raw.to_date(order)
            except ValueError as error:
                problems.append(Problem(source, block.line, f"not a valid date ({error}); entry kept undated"))
        if not body:
            if block.raw:
                problems.append(Problem(source, block.line, "dated heading with no text under it; skipped"))
            continue
        if block.raw is None and (any_dated or block.undated_why != _Block.undated_why):
            if block.only_headings:
                continue  # a document title such as "# My diary" above the first entry
            problems.append(Problem(source, block.line, f"{block.undated_why}; kept as an undated entry"))
        entries.append(Entry(date, body, source, title=block.title, line=block.line))
    return entries, problems
