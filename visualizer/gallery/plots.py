"""Pictures of the whole journal: the mood timeline (matplotlib) and the contact sheet (Pillow).

Both are drawn from scores and images only, never from the diary text, so they are safe in a redacted
export. Every word they draw is ours (English emotion labels, measure names, dates), which also keeps them clear
of missing glyphs: neither matplotlib's DejaVu nor Pillow's default font has Chinese characters, and no CJK font
is shipped or assumed. Keep it so: a Chinese title or desire drawn here would come out as empty boxes.
They are written into the site's build folder, which is swapped in whole, so no per-file temporary name is needed.
Matplotlib runs on the Agg backend: no display, same output on a server and a laptop.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

TOP_EMOTIONS = 6
SHEET_COLUMNS, SHEET_CELL = 6, 200
# The mood timeline's one look, shared by the exported site (matplotlib) and the UI's Gallery tab (gr.LinePlot),
# in the colours of the UI's meters (visualizer/ui/theme.py): a measure is the same colour wherever it is shown.
TIMELINE_COLOURS = {"valence": "#e8894a", "arousal": "#7b6fd6", "stress": "#c0504d", "anxiety": "#8050b0",
                    "interest": "#30a070", "valence vs your usual": "#a86a1f"}
TICKS = 7  # at most about this many date labels under the site's timeline
DATE_FORMAT = "%d %b %Y"  # one date format on every timeline axis; strftime, d3-time-format (Vega) and matplotlib read it


def mood_timeline(points: list[tuple[dt.date | None, object]], path: Path,
                  relative: list[float | None] | None = None) -> Path | None:
    """Valence, arousal (−1…1) and stress (0…1) over time above a stack of the strongest emotions.

    `points` are (date, InnerState) in journal order; undated entries are placed by position when no
    entry has a date, and left out otherwise. `relative`, aligned with `points`, is each entry's valence
    against the writer's usual (−1…1, `visualizer.affect.baseline`; None where there is none): drawn as a
    thin "valence vs your usual" line. None when there is nothing to plot.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.dates import AutoDateLocator, DateFormatter, DayLocator

    relative = list(relative) if relative is not None else [None] * len(points)
    dated = [(d, s, r) for (d, s), r in zip(points, relative) if d is not None]
    if dated:
        dated.sort(key=lambda p: p[0])
        xs = [d for d, _, _ in dated]
        states = [s for _, s, _ in dated]
        relative = [r for _, _, r in dated]
    else:
        xs, states = list(range(1, len(points) + 1)), [s for _, s in points]
    if not states:
        return None
    mean = {label: sum(s.emotions.get(label, 0.0) for s in states) / len(states) for label in states[0].emotions}
    labels = [label for label, _ in sorted(mean.items(), key=lambda i: -i[1]) if label != "neutral"][:TOP_EMOTIONS]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(12, 6), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    vads = [s.vad.normalised() for s in states]
    marker = "o" if len(xs) < 60 else None
    lines = {"valence": ([v.valence for v in vads], "-"), "arousal": ([v.arousal for v in vads], "-"),
             "stress": ([s.stress for s in states], "--"), "anxiety": ([s.anxiety for s in states], ":"),
             "interest": ([s.interest for s in states], ":")}
    if any(r is not None for r in relative):
        lines["valence vs your usual"] = ([float("nan") if r is None else r for r in relative], "-.")
    for measure, (values, style) in lines.items():
        top.plot(xs, values, marker=marker, color=TIMELINE_COLOURS[measure], linestyle=style, label=measure)
    top.axhline(0, color="#999", linewidth=0.6)
    top.set_ylim(-1.05, 1.05)
    top.set_ylabel("score")
    top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    top.set_title("Mood over time")
    stack = [[s.emotions.get(label, 0.0) for s in states] for label in labels]
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


def contact_sheet(items: list[tuple[str, Path]], path: Path) -> Path | None:
    """All thumbnails on one PNG, each labelled with its date only; None when there are no images."""
    if not items:
        return None
    rows = -(-len(items) // SHEET_COLUMNS)
    label_height = 18
    sheet = Image.new("RGB", (SHEET_COLUMNS * SHEET_CELL, rows * (SHEET_CELL + label_height)), "#16161c")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default()
    for index, (label, image_path) in enumerate(items):
        x = (index % SHEET_COLUMNS) * SHEET_CELL
        y = (index // SHEET_COLUMNS) * (SHEET_CELL + label_height)
        with Image.open(image_path) as image:
            thumb = image.convert("RGB")
            thumb.thumbnail((SHEET_CELL - 8, SHEET_CELL - 8))
        sheet.paste(thumb, (x + (SHEET_CELL - thumb.width) // 2, y + (SHEET_CELL - thumb.height) // 2))
        draw.text((x + 6, y + SHEET_CELL + 2), label, fill="#ddd", font=font)
    sheet.save(path, format="PNG")
    return path
