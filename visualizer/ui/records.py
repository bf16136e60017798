"""What the Gallery and Journal tabs show of an output folder: the store's `Record`s, as the static site reads them."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path


from visualizer.gallery.display import paragraphs
from visualizer.gallery.plots import MoodSeries, timeline_figure
from visualizer.gallery.record import Record
from visualizer.gallery.store import STORE_FILE, Store


def folders(root: Path) -> list[str]:
    """Output folders under `root` (those holding a store), newest first."""
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if (p / STORE_FILE).is_file()]
    return [str(p) for p in sorted(found, key=lambda p: (p / STORE_FILE).stat().st_mtime, reverse=True)]


def load(out_dir: Path) -> list[Record]:
    """Every rendered entry in the folder, in date order (undated last)."""
    with Store(out_dir, clean=False) as store:
        found = list(store.records(status="rendered"))
    return sorted(found, key=lambda r: (r.date is None, r.date or dt.date.min, r.key))


def get(out_dir: Path, key: str) -> Record | None:
    """The rendered entry of `key`, or None."""
    with Store(out_dir, clean=False) as store:
        found = store.record(key)
    return found if found is not None and found.status == "rendered" else None


def feeling(record: Record) -> str:
    """The entry's strongest feeling, "neutral" for one without a reading."""
    return record.dominant or "neutral"


def heavy(record: Record) -> bool:
    """Whether the entry's reading shows signs of crisis: then no face names its feelings."""
    return record.state is not None and record.state.crisis


def caption(record: Record) -> str:
    """The date (or title) and the strongest feeling; only the date for an entry with signs of crisis."""
    when = record.date.isoformat() if record.date else (record.title or "undated")
    return when if heavy(record) else f"{when} · {feeling(record)}"


def filter_records(records: list[Record], start: dt.date | None, end: dt.date | None,
                   emotions: list[str]) -> list[Record]:
    """Keep entries dated within [start, end] (undated ones only when no date bound is set) and of the emotions."""
    def keep(r: Record) -> bool:
        if (start or end) and r.date is None:
            return False
        if start and r.date < start or end and r.date > end:
            return False
        return not emotions or feeling(r) in emotions

    return [r for r in records if keep(r)]


def gallery_items(records: list[Record]) -> list[tuple[str, str]]:
    return [(str(r.shown), caption(r)) for r in records if r.shown]


def timeline(records: list[Record]):
    """The mood timeline of these entries, as the exported site draws it (`plots.timeline_figure`: small multiples
    against the writer's usual band), a matplotlib figure for gr.Plot; None when no entry has a reading."""
    series = MoodSeries()
    for record in records:
        if record.state is not None:
            series.add(record.date, record.state)
    return timeline_figure(series)


def details_markdown(record: Record) -> str:
    """The entry's text (reflowed: `display.paragraphs`), its strongest emotions, how it compares with the usual and the
    picture's settings; an entry with signs of crisis shows neither feelings nor the comparison (both name feelings)."""
    head = f"### {record.title or (record.date.isoformat() if record.date else 'Undated entry')}"
    quoted = [">" + "  \n>".join(f" {html.escape(line)}" for line in block.split("\n"))
              for block in paragraphs(record.text)]
    text = "\n>\n".join(quoted) or "> _(text left out)_"
    seed = record.conditioning.get("user_seed", record.conditioning.get("seed"))
    made = f"**Style** `{record.style}` · **seed** `{seed}` · **backend** `{record.backend}`"
    if heavy(record):
        return f"{head}\n\n{text}\n\n{made}"
    emotions = ", ".join(f"{label} {p:.0%}" for label, p in record.state.top_emotions(3)) if record.state else "—"
    compared = f"\n\n**Compared with your usual:** {record.compared}" if record.compared else ""
    return f"{head}\n\n{text}\n\n**Strongest feelings:** {emotions}{compared}\n\n{made}"
