"""Pictures of the whole journal: the mood timeline (matplotlib) and the contact sheets (Pillow).

Both are drawn from scores and images only, never from the diary text, so they are safe in a redacted
export. Every word they draw is ours (English emotion labels, measure names, dates), which also keeps them clear
of missing glyphs: neither matplotlib's DejaVu nor Pillow's default font has Chinese characters, and no CJK font
is shipped or assumed. Keep it so: a Chinese title or desire drawn here would come out as empty boxes.
Both are fed entry by entry while the export streams the store, and keep only what they draw: the timeline a few
packed numbers per entry (`MoodSeries`, not the readings), the contact sheets one page of thumbnails at a time
(`ContactSheets`). So a journal of any length is drawn in bounded memory: one sheet of 20,000 pictures was 135 MB
and its canvas alone took gigabytes.
They are written into the site's build folder, which is swapped in whole, so no per-file temporary name is needed.
Matplotlib runs on the Agg backend: no display, same output on a server and a laptop.
"""

from __future__ import annotations

import datetime as dt
import math
from array import array
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from visualizer.affect.labels import EMOTIONS

if TYPE_CHECKING:
    from visualizer.affect.state import InnerState

TOP_EMOTIONS = 6
SHEET_COLUMNS, SHEET_CELL, SHEET_LABEL = 6, 200, 18  # a cell is a 200 px square above an 18 px date label
SHEET_PICTURES = 200  # thumbnails per contact sheet: about 1200 x 7400 px, a canvas of 27 MB
SHEET_BACKGROUND = "#16161c"
# The mood timeline's one look, shared by the exported site (matplotlib) and the UI's Gallery tab (gr.LinePlot),
# in the colours of the UI's meters (visualizer/ui/theme.py): a measure is the same colour wherever it is shown.
TIMELINE_COLOURS = {"valence": "#e8894a", "arousal": "#7b6fd6", "stress": "#c0504d", "anxiety": "#8050b0",
                    "interest": "#30a070", "valence vs your usual": "#a86a1f"}
TICKS = 7  # at most about this many date labels under the site's timeline
TIMELINE_POINTS = 1000  # drawn at most: a 1200 px plot shows no more, and matplotlib's memory grows with them
DATE_FORMAT = "%d %b %Y"  # one date format on every timeline axis; strftime, d3-time-format (Vega) and matplotlib read it
_MEASURES = ("valence", "arousal", "stress", "anxiety", "interest")
_LINE_STYLES = {"valence": "-", "arousal": "-", "stress": "--", "anxiety": ":", "interest": ":",
                "valence vs your usual": "-."}
_RELATIVE = len(_MEASURES)  # column of the valence against the writer's usual (NaN where there is none)
_COLUMNS = len(_MEASURES) + 1 + len(EMOTIONS)  # per entry: the measures, the relative valence, the 28 emotions


class MoodSeries:
    """What the timeline draws of each entry, packed as 34 floats (about 140 bytes), not the whole reading."""

    def __init__(self) -> None:
        self.dates: list[dt.date | None] = []
        self._values = array("f")

    def __len__(self) -> int:
        return len(self.dates)

    def add(self, date: dt.date | None, state: InnerState, relative_valence: float | None = None) -> None:
        """One entry's reading; `relative_valence` is its valence against the writer's usual
        (−1…1, `visualizer.affect.baseline`; None where there is none)."""
        norm = state.vad.normalised()
        self.dates.append(date)
        self._values.extend((norm.valence, norm.arousal, state.stress, state.anxiety, state.interest,
                             math.nan if relative_valence is None else relative_valence,
                             *(state.emotions.get(label, 0.0) for label in EMOTIONS)))

    def table(self) -> np.ndarray:
        """[entries, columns] view of the packed numbers (no copy)."""
        return np.frombuffer(self._values, dtype=np.float32).reshape(len(self.dates), _COLUMNS)


def mood_timeline(series: MoodSeries, path: Path) -> Path | None:
    """Valence, arousal (−1…1) and stress (0…1) over time above a stack of the strongest emotions.

    Undated entries are placed by position when no entry has a date, and left out otherwise. Where some entries
    have a valence against the writer's usual, it is drawn as a thin "valence vs your usual" line. More than
    TIMELINE_POINTS entries are drawn as that many averages of consecutive entries. None when there is nothing to plot.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.dates import AutoDateLocator, DateFormatter, DayLocator

    table = series.table()
    dated = sorted((i for i, date in enumerate(series.dates) if date is not None), key=series.dates.__getitem__)
    if dated:
        xs, table = [series.dates[i] for i in dated], table[dated]
    else:
        xs = list(range(1, len(series) + 1))
    if not len(table):
        return None
    if len(xs) > TIMELINE_POINTS:
        xs, table = _averaged(xs, table, TIMELINE_POINTS)
    emotions = table[:, _RELATIVE + 1:]
    labels = [EMOTIONS[i] for i in np.argsort(-emotions.mean(axis=0), kind="stable")
              if EMOTIONS[i] != "neutral"][:TOP_EMOTIONS]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(12, 6), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    marker = "o" if len(xs) < 60 else None
    lines = {measure: table[:, column] for column, measure in enumerate(_MEASURES)}
    if not np.isnan(table[:, _RELATIVE]).all():
        lines["valence vs your usual"] = table[:, _RELATIVE]
    for measure, values in lines.items():
        top.plot(xs, values, marker=marker, color=TIMELINE_COLOURS[measure], linestyle=_LINE_STYLES[measure],
                 label=measure)
    top.axhline(0, color="#999", linewidth=0.6)
    top.set_ylim(-1.05, 1.05)
    top.set_ylabel("score")
    top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    top.set_title("Mood over time")
    stack = [emotions[:, EMOTIONS.index(label)] for label in labels]
    if len(xs) > 1:
        bottom.stackplot(xs, stack, labels=labels, alpha=0.85)
    else:
        base = 0.0
        for label, values in zip(labels, stack):
            bottom.bar(xs, values, bottom=base, label=label)
            base += values[0]
    bottom.set_ylabel("emotion probability")
    bottom.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    if dated:  # whole days only: sub-day ticks would repeat a date label
        span = (xs[-1] - xs[0]).days
        bottom.xaxis.set_major_locator(DayLocator(interval=max(1, -(-span // TICKS))) if span <= 12 * TICKS
                                       else AutoDateLocator(maxticks=TICKS))
        bottom.xaxis.set_major_formatter(DateFormatter(DATE_FORMAT))
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=100, format="png", metadata={"Software": None})
    plt.close(fig)
    return path


def _averaged(xs: list, table: np.ndarray, points: int) -> tuple[list, np.ndarray]:
    """Consecutive entries averaged into `points` groups, each drawn at its middle entry's date (a missing value,
    NaN, is left out of its group's mean)."""
    starts = np.linspace(0, len(xs), points, endpoint=False).astype(int)
    ends = [*starts[1:], len(xs)]
    known = ~np.isnan(table)
    with np.errstate(invalid="ignore"):  # a group with no value at all: NaN, a gap in its line
        means = np.add.reduceat(np.where(known, table, 0.0), starts) / np.add.reduceat(known, starts)
    return [xs[(start + end - 1) // 2] for start, end in zip(starts, ends)], means


def sheet_name(number: int) -> str:
    """contact_sheet.png, contact_sheet_2.png, …: the first keeps the name a one-sheet export always had."""
    return "contact_sheet.png" if number == 1 else f"contact_sheet_{number}.png"


class ContactSheets:
    """Thumbnails pasted as they come, SHEET_PICTURES to a sheet, each labelled with its date only.

    Only the sheet being filled is in memory; a full one is saved at once, so memory and file size stay
    bounded whatever the journal's length.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: list[Path] = []
        self._font = ImageFont.load_default()
        self._sheet: Image.Image | None = None
        self._count = 0  # thumbnails on the sheet being filled

    def add(self, label: str, picture: Image.Image) -> None:
        if self._sheet is None:
            rows = -(-SHEET_PICTURES // SHEET_COLUMNS)
            self._sheet = Image.new("RGB", (SHEET_COLUMNS * SHEET_CELL, rows * (SHEET_CELL + SHEET_LABEL)),
                                    SHEET_BACKGROUND)
        x = (self._count % SHEET_COLUMNS) * SHEET_CELL
        y = (self._count // SHEET_COLUMNS) * (SHEET_CELL + SHEET_LABEL)
        thumb = picture.convert("RGB")
        thumb.thumbnail((SHEET_CELL - 8, SHEET_CELL - 8))
        self._sheet.paste(thumb, (x + (SHEET_CELL - thumb.width) // 2, y + (SHEET_CELL - thumb.height) // 2))
        ImageDraw.Draw(self._sheet).text((x + 6, y + SHEET_CELL + 2), label, fill="#ddd", font=self._font)
        self._count += 1
        if self._count == SHEET_PICTURES:
            self._save()

    def close(self) -> list[Path]:
        """Save the last, partly filled sheet; the sheets written, in order (none without pictures)."""
        if self._count:
            self._save()
        return self.written

    def _save(self) -> None:
        height = -(-self._count // SHEET_COLUMNS) * (SHEET_CELL + SHEET_LABEL)
        path = self.folder / sheet_name(len(self.written) + 1)
        sheet = self._sheet if height == self._sheet.height else self._sheet.crop((0, 0, self._sheet.width, height))
        sheet.save(path, format="PNG")
        self.written.append(path)
        self._sheet, self._count = None, 0
