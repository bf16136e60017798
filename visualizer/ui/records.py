"""What the Gallery and Journal tabs show of an output folder, read through the same store as the CLI."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from visualizer.affect import InnerState
from visualizer.gallery.plots import TIMELINE_COLOURS
from visualizer.gallery.store import STORE_FILE, Store
from visualizer.mapping import Conditioning


@dataclass
class Record:
    """One rendered entry as the UI needs it."""

    key: str
    date: dt.date | None
    text: str
    title: str | None = None
    state: InnerState | None = None
    explanation: list[dict] = field(default_factory=list)
    style: str = ""
    seed: int | None = None
    backend: str = ""
    image: Path | None = None
    animation: Path | None = None
    relative: dict | None = None  # the reading against the writer's usual the picture was painted with
    conditioning: Conditioning | None = None  # what the picture was painted from (for the plain explanation)

    @property
    def compared(self) -> str:
        """"calmer than your usual", or "" without a personal baseline."""
        from visualizer.affect.baseline import describe

        return describe(self.relative)

    @property
    def dominant(self) -> str:
        return self.state.dominant_emotion if self.state else "neutral"

    @property
    def shown(self) -> Path | None:
        """The animation when there is one, else the still."""
        return self.animation or self.image

    @property
    def caption(self) -> str:
        when = self.date.isoformat() if self.date else (self.title or "undated")
        return f"{when} · {self.dominant}"


def folders(root: Path) -> list[str]:
    """Output folders under `root` (those holding a store), newest first."""
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if (p / STORE_FILE).is_file()]
    return [str(p) for p in sorted(found, key=lambda p: (p / STORE_FILE).stat().st_mtime, reverse=True)]


def load(out_dir: Path) -> list[Record]:
    """Every rendered entry in the folder, in date order (undated last)."""
    with Store(out_dir, clean=False) as store:
        rows = [_record(out_dir, row) for row in store.entries(status="rendered")]
    return sorted(rows, key=lambda r: (r.date is None, r.date or dt.date.min, r.key))


def get(out_dir: Path, key: str) -> Record | None:
    return next((r for r in load(out_dir) if r.key == key), None)


def _record(out_dir: Path, row: dict) -> Record:
    """A store row (JSON columns already decoded) as a Record; file paths are relative to the folder."""
    files = [out_dir / f for f in row.get("files") or []]
    conditioning = row.get("conditioning") or {}
    return Record(
        key=row["key"],
        date=dt.date.fromisoformat(row["date"]) if row.get("date") else None,
        text=row.get("text") or "",
        title=row.get("title"),
        state=InnerState.from_dict(row["state"]) if row.get("state") else None,
        explanation=row.get("explanation") or conditioning.get("explanation", []),
        style=conditioning.get("style", ""),
        seed=conditioning.get("user_seed", conditioning.get("seed")),
        backend=row.get("backend") or "",
        image=next((f for f in files if f.suffix == ".png"), None),
        animation=next((f for f in files if f.suffix in (".gif", ".webp")), None),
        relative=(conditioning.get("scores") or {}).get("baseline"),
        conditioning=Conditioning.from_dict(conditioning) if conditioning else None,
    )


def filter_records(records: list[Record], start: dt.date | None, end: dt.date | None,
                   emotions: list[str]) -> list[Record]:
    """Keep entries dated within [start, end] (undated ones only when no date bound is set) and of the emotions."""
    def keep(r: Record) -> bool:
        if (start or end) and r.date is None:
            return False
        if start and r.date < start or end and r.date > end:
            return False
        return not emotions or r.dominant in emotions

    return [r for r in records if keep(r)]


def gallery_items(records: list[Record]) -> list[tuple[str, str]]:
    return [(str(r.shown), r.caption) for r in records if r.shown]


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
    made = f"**Style** `{record.style}` · **seed** `{record.seed}` · **backend** `{record.backend}`"
    compared = f"\n\n**Compared with your usual:** {record.compared}" if record.compared else ""
    return f"{head}\n\n{text}\n\n**Strongest feelings:** {emotions}{compared}\n\n{made}"
