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
from array import array
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from visualizer.affect.labels import EMOTIONS

if TYPE_CHECKING:
    from visualizer.affect.state import InnerState

TOP_EMOTIONS = 4  # feelings stacked in the timeline's last panel
SHEET_COLUMNS, SHEET_CELL, SHEET_LABEL = 6, 200, 18  # a cell is a 200 px square above an 18 px date label
SHEET_PICTURES = 200  # thumbnails per contact sheet: about 1200 x 7400 px, a canvas of 27 MB
SHEET_BACKGROUND = "#16161c"
# The mood timeline's one look, shared by the exported site and the UI's Gallery tab (both draw `timeline_figure`),
# in the colours of the UI's meters (visualizer/ui/theme.py): a measure is the same colour wherever it is shown.
TIMELINE_COLOURS = {"valence": "#e8894a", "arousal": "#3b82c4", "stress": "#c0504d", "anxiety": "#9a3fa8",
                    "interest": "#30a070"}
TICKS = 4  # at most about this many date labels under the timeline (it is drawn narrow enough for a phone)
TIMELINE_POINTS = 1000  # drawn at most: a 1200 px plot shows no more, and matplotlib's memory grows with them
DATE_FORMAT = "%d %b %Y"  # one date format on every timeline axis; strftime, d3-time-format (Vega) and matplotlib read it
# Inches wide at 150 dpi, one panel's height: about as many inches as a phone shows the figure in CSS pixels / 80,
# so a 9 pt label reads at about 10 px on a 390 px screen (the pages cap its width on a wide one)
TIMELINE_SIZE = (4.4, 1.15)
TIMELINE_DPI = 150
_MEASURES = tuple(TIMELINE_COLOURS)
_READABLE = len(_MEASURES)  # column: 1.0 where the entry has words to read (it counts towards the usual band)
_COLUMNS = len(_MEASURES) + 1 + len(EMOTIONS)  # per entry: the measures, the readable flag, the 28 emotions


class MoodSeries:
    """What the timeline draws of each entry, packed as 34 floats (about 140 bytes), not the whole reading."""

    def __init__(self) -> None:
        self.dates: list[dt.date | None] = []
        self._values = array("f")

    def __len__(self) -> int:
        return len(self.dates)

    def add(self, date: dt.date | None, state: InnerState) -> None:
        """One entry's reading."""
        from visualizer.affect.baseline import readable

        norm = state.vad.normalised()
        self.dates.append(date)
        self._values.extend((norm.valence, norm.arousal, state.stress, state.anxiety, state.interest,
                             float(readable(state)), *(state.emotions.get(label, 0.0) for label in EMOTIONS)))

    def table(self) -> np.ndarray:
        """[entries, columns] view of the packed numbers (no copy)."""
        return np.frombuffer(self._values, dtype=np.float32).reshape(len(self.dates), _COLUMNS)


def usual_band(table: np.ndarray) -> dict[str, tuple[float, float, float]]:
    """(low, usual, high) per measure: the writer's usual ± its robust spread over the readable entries, as the
    personal baseline reckons them (`affect.baseline.from_scores`: median and MAD, with its floors and its minimum
    of entries), clipped to the measure's scale; empty when there are too few entries for a usual."""
    from visualizer.affect.baseline import from_scores

    rows = [dict(zip(_MEASURES, map(float, row[:_READABLE]))) for row in table if row[_READABLE] > 0]
    baseline = from_scores(rows)
    if not baseline.available:
        return {}
    return {m: (max(scale_floor(m), baseline.usual[m] - baseline.spread[m]), baseline.usual[m],
                min(1.0, baseline.usual[m] + baseline.spread[m])) for m in _MEASURES}


def scale_floor(measure: str) -> float:
    """The bottom of a measure's scale: −1 for valence and arousal (−1…1), 0 for the others (0…1)."""
    return -1.0 if measure in ("valence", "arousal") else 0.0


def timeline_figure(series: MoodSeries):
    """Small multiples: one narrow panel per measure (valence, arousal on −1…1; stress, anxiety, interest on 0…1), each
    in its own colour with the words at its scale's ends and the writer's usual as a grey band, above a stack of the
    journal's strongest feelings. One column, so nothing overlaps and it reads on a phone as on a laptop.

    Undated entries are placed by position when no entry has a date, and left out otherwise. More than
    TIMELINE_POINTS entries are drawn as that many averages of consecutive entries. A matplotlib `Figure` (not
    pyplot's: nothing to close, the caller saves or shows it), or None when there is nothing to plot.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.dates import AutoDateLocator, DateFormatter, DayLocator
    from matplotlib.figure import Figure

    from visualizer.gallery.display import SCALES

    table = series.table()
    dated = sorted((i for i, date in enumerate(series.dates) if date is not None), key=series.dates.__getitem__)
    if dated:
        xs, table = [series.dates[i] for i in dated], table[dated]
    else:
        xs = list(range(1, len(series) + 1))
    if not len(table):
        return None
    band = usual_band(table)
    if len(xs) > TIMELINE_POINTS:
        xs, table = _averaged(xs, table, TIMELINE_POINTS)
    words = {name: (low, high) for name, low, high, _ in SCALES}
    width, height = TIMELINE_SIZE
    fig = Figure(figsize=(width, height * (len(_MEASURES) + 1.3) + 0.5), dpi=TIMELINE_DPI)
    axes = fig.subplots(len(_MEASURES) + 1, 1, sharex=True,
                        gridspec_kw={"height_ratios": [1] * len(_MEASURES) + [1.3]})
    marker = "o" if len(xs) < 60 else None
    for axis, (column, measure) in zip(axes, enumerate(_MEASURES)):
        colour, bottom = TIMELINE_COLOURS[measure], scale_floor(measure)
        if measure in band:
            low, usual, high = band[measure]
            axis.axhspan(low, high, color="#9a9aa5", alpha=0.25, linewidth=0, label="your usual")
            axis.axhline(usual, color="#77778a", linewidth=0.8, linestyle="--")
        axis.plot(xs, table[:, column], marker=marker, markersize=3.5, color=colour, linewidth=1.6, label=measure)
        axis.set_ylim(bottom - 0.06, 1.06)
        axis.set_yticks([bottom, 1.0], list(words[measure]), fontsize=8)
        axis.set_title(measure, loc="left", fontsize=10, fontweight="bold", color=colour, pad=2)
        axis.spines[["top", "right"]].set_visible(False)
        axis.grid(axis="y", color="#e4e4e8", linewidth=0.5)
    if band:
        axes[0].legend(handles=axes[0].patches[:1], loc="upper right", fontsize=8, frameon=False,
                       bbox_to_anchor=(1.0, 1.32))
    emotions = table[:, _READABLE + 1:]
    labels = [EMOTIONS[i] for i in np.argsort(-emotions.mean(axis=0), kind="stable")
              if EMOTIONS[i] != "neutral"][:TOP_EMOTIONS]
    feelings = axes[-1]
    stack = [emotions[:, EMOTIONS.index(label)] for label in labels]
    if len(xs) > 1:
        feelings.stackplot(xs, stack, labels=labels, alpha=0.85)
    else:
        base = 0.0
        for label, values in zip(labels, stack):
            feelings.bar(xs, values, bottom=base, label=label)
            base += values[0]
    feelings.set_title("strongest feelings", loc="left", fontsize=10, fontweight="bold", color="#555", pad=2)
    feelings.set_ylabel("share", fontsize=8)
    feelings.tick_params(labelsize=8)
    feelings.spines[["top", "right"]].set_visible(False)
    feelings.legend(loc="upper center", bbox_to_anchor=(0.5, -0.42), ncols=2, fontsize=8, frameon=False)
    if dated:  # whole days only: sub-day ticks would repeat a date label
        span = (xs[-1] - xs[0]).days
        feelings.xaxis.set_major_locator(DayLocator(interval=max(1, -(-span // TICKS))) if span <= 12 * TICKS
                                         else AutoDateLocator(maxticks=TICKS))
        feelings.xaxis.set_major_formatter(DateFormatter(DATE_FORMAT))
    for tick in feelings.get_xticklabels():
        tick.set_rotation(20)
        tick.set_horizontalalignment("right")
    fig.tight_layout(h_pad=0.5)
    return fig


def mood_timeline(series: MoodSeries, path: Path) -> Path | None:
    """The timeline (`timeline_figure`) as a PNG at `path`; None when there is nothing to plot."""
    fig = timeline_figure(series)
    if fig is None:
        return None
    fig.savefig(path, format="png", metadata={"Software": None})
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
