"""The season journal in examples/ (the README's contact sheet) stays a clean, readable input.

Fast and model-free: the file must parse as Markdown into one dated entry per dated heading, with no
problems reported, in strictly increasing date order — a typo in a heading would otherwise silently merge
two days or drop one from the README picture.
"""

import datetime as dt
import re
from pathlib import Path

from visualizer.affect.segment import split_sentences
from visualizer.ingest import read_journal

SEASON = Path(__file__).resolve().parent.parent / "examples" / "season.md"
HEADING_DATE = re.compile(r"^##\s+(\d{4}-\d{2}-\d{2})\b", re.MULTILINE)


def heading_dates() -> list[dt.date]:
    """The dates of the file's `## YYYY-MM-DD` headings, read without the project's parser."""
    return [dt.date.fromisoformat(d) for d in HEADING_DATE.findall(SEASON.read_text(encoding="utf-8"))]


def test_season_parses_into_one_entry_per_dated_heading():
    result = read_journal(SEASON)
    assert result.format == "markdown"
    assert result.problems == []
    assert [e.date for e in result.entries] == heading_dates()
    assert 40 <= len(result.entries) <= 60


def test_season_dates_strictly_increase_within_one_summer():
    dates = [e.date for e in read_journal(SEASON).entries]
    assert all(earlier < later for earlier, later in zip(dates, dates[1:])), dates
    assert (dates[-1] - dates[0]).days <= 100


def test_every_season_entry_is_a_short_diary_paragraph():
    for entry in read_journal(SEASON).entries:
        assert 2 <= len(split_sentences(entry.text)) <= 8, (entry.date, entry.text)
