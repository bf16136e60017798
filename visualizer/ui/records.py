"""What the Gallery and Journal tabs show of an output folder: the store's `Record`s, as the static site reads them."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pandas as pd

from visualizer.gallery.plots import TIMELINE_COLOURS
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


def caption(record: Record) -> str:
    when = record.date.isoformat() if record.date else (record.title or "undated")
    return f"{when} · {feeling(record)}"


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


def timeline_frame(records: list[Record]) -> pd.DataFrame | None:
    """Valence and arousal (−1…1, calibrated), stress, anxiety and interest (0…1) per entry, long format for gr.LinePlot.

    Entries painted with a personal baseline add "valence vs your usual" (−1…1, `visualizer.affect.baseline`).

    None rather than an empty frame when there is nothing to plot: a plot first drawn from an empty
    frame keeps an empty colour domain in Gradio 6, and later lines come out without colour.
    """
    rows = []
    for index, r in enumerate(records):
        if not r.state:
            continue
        when = pd.Timestamp(r.date) if r.date else pd.Timestamp(dt.date(1970, 1, 1)) + pd.Timedelta(days=index)
        vad = r.state.vad.normalised()
        rows += [{"date": when, "score": round(vad.valence, 3), "measure": "valence"},
                 {"date": when, "score": round(vad.arousal, 3), "measure": "arousal"},
                 {"date": when, "score": round(r.state.stress, 3), "measure": "stress"},
                 {"date": when, "score": round(r.state.anxiety, 3), "measure": "anxiety"},
                 {"date": when, "score": round(r.state.interest, 3), "measure": "interest"}]
        if r.relative and "valence" in r.relative:
            rows.append({"date": when, "score": round(r.relative["valence"], 3), "measure": "valence vs your usual"})
    return pd.DataFrame(rows) if rows else None


def timeline_legend(frame: pd.DataFrame | None) -> str:
    """The timeline's legend as HTML that wraps on a narrow screen (Vega's own stays one row and overflows)."""
    if frame is None:
        return ""
    present = set(frame["measure"])
    keys = "".join(f'<span class="dv-key"><i style="background:{colour}"></i>{html.escape(measure)}</span>'
                   for measure, colour in TIMELINE_COLOURS.items() if measure in present)
    return f'<div class="dv-legend">{keys}</div>'


def details_markdown(record: Record) -> str:
    """The entry's text, its strongest emotions and the picture's settings."""
    head = f"### {record.title or (record.date.isoformat() if record.date else 'Undated entry')}"
    text = "\n".join(f"> {line}" if line else ">" for line in record.text.splitlines()) or "> _(text left out)_"
    emotions = ", ".join(f"{label} {p:.0%}" for label, p in record.state.top_emotions(3)) if record.state else "—"
    seed = record.conditioning.get("user_seed", record.conditioning.get("seed"))
    made = f"**Style** `{record.style}` · **seed** `{seed}` · **backend** `{record.backend}`"
    compared = f"\n\n**Compared with your usual:** {record.compared}" if record.compared else ""
    return f"{head}\n\n{text}\n\n**Strongest feelings:** {emotions}{compared}\n\n{made}"
