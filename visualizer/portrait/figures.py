"""The small multiples: one panel per measure, each period's mean against the writer's usual band, and their words.

One narrow figure of stacked panels rather than one chart of five lines: each measure keeps its own scale (−1…1 or
0…1) and its own band, nothing overlaps, and a single column reads on a phone as on a laptop. Each entry is a faint
dot, each period's mean a line with a marker at its middle day; an empty period is a gap in that line (NaN), never a
zero. The band is the range that reads as "close to your usual" (`band`); without a baseline there is none.
Written as PNG (shown) and SVG (for downloading), without a date stamp so the same portrait gives the same bytes.
Every word drawn is ours (measure names, dates), so no CJK glyph is needed (see `visualizer.gallery.plots`).

The text alternative is `describe` (one sentence per measure, for the alt text and beneath the figure) and `table`
(the numbers, one row per period).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from visualizer.affect.baseline import NOTICEABLE, SQUASH
from visualizer.gallery.plots import DATE_FORMAT, TIMELINE_COLOURS, scale_floor
from visualizer.portrait.gather import Period, Portrait, measures, settings



def middle(period: Period, first: dt.date, last: dt.date) -> dt.date:
    """Where a period's mean is drawn: the middle of its days within the journal's span (a first week that starts
    before the first entry is not drawn before it)."""
    start, end = max(period.start, first), min(period.end, last)
    return start + (end - start) / 2


def band(portrait: Portrait, measure: str) -> tuple[float, float, float] | None:
    """(low, usual, high) of the writer's usual for `measure`, clipped to its scale; None without a baseline.

    The band is where an entry reads as "close to your usual" (its relative reading, `baseline.Baseline.relative`,
    under `baseline.NOTICEABLE`): the same line the reflections and explanations draw, so a period outside the band
    is one the tool's words would call brighter, calmer, more stressed… than usual.
    """
    baseline = portrait.baseline
    if not baseline.available:
        return None
    usual = baseline.usual[measure]
    half = SQUASH * baseline.spread[measure] * math.atanh(NOTICEABLE)
    return max(scale_floor(measure), usual - half), usual, min(1.0, usual + half)


def small_multiples(portrait: Portrait, png: Path, svg: Path) -> None:
    """Draw the panels into `png` and `svg`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.dates import AutoDateLocator, DateFormatter
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    look = settings()["figure"]
    names = measures()
    fig, axes = plt.subplots(len(names), 1, sharex=True,
                             figsize=(look["width_in"], look["panel_height_in"] * len(names) + 0.6))
    dates = [point.date for point in portrait.points]
    middles = [middle(period, min(dates), max(dates)) for period in portrait.periods]
    for axis, measure in zip(axes, names):
        label, low_word, high_word = settings()["measures"][measure]
        colour = TIMELINE_COLOURS[measure]
        usual = band(portrait, measure)
        if usual is not None:
            axis.axhspan(usual[0], usual[2], color="#9a9aa5", alpha=0.22, linewidth=0)
            axis.axhline(usual[1], color="#77778a", linewidth=0.8, linestyle="--")
        axis.scatter(dates, [point.values[measure] for point in portrait.points], s=14, color=colour, alpha=0.5,
                     linewidths=0, label="an entry")
        means = [period.mean(measure) for period in portrait.periods]
        axis.plot(middles, [math.nan if value is None else value for value in means], color=colour, marker="o",
                  markersize=5, linewidth=2)
        bottom = scale_floor(measure)
        axis.set_ylim(bottom - 0.05, 1.05)
        axis.set_yticks([bottom, 1.0], [low_word, high_word], fontsize=9)
        axis.set_title(label, loc="left", fontsize=11, fontweight="bold", color=colour, pad=3)
        axis.spines[["top", "right"]].set_visible(False)
        axis.grid(axis="y", color="#ddd", linewidth=0.5)
    key = [Line2D([], [], color="#555", marker="o", markersize=4, linewidth=0, alpha=0.5, label="an entry"),
           Line2D([], [], color="#555", marker="o", markersize=5, linewidth=2, label=f"{portrait.by}ly mean")]
    if portrait.baseline.available:
        key.append(Patch(color="#9a9aa5", alpha=0.3, label="your usual"))
    fig.legend(handles=key, loc="upper right", bbox_to_anchor=(0.98, 1.0), ncol=len(key), fontsize=9, frameon=False)
    span = (max(dates) - min(dates)).days if dates else 0
    axes[-1].xaxis.set_major_locator(AutoDateLocator(minticks=2, maxticks=6))
    axes[-1].xaxis.set_major_formatter(DateFormatter(DATE_FORMAT))
    if span == 0 and dates:  # one day: a week either side, so the point is not squeezed onto an edge
        axes[-1].set_xlim(dates[0] - dt.timedelta(days=7), dates[0] + dt.timedelta(days=7))
    for tick in axes[-1].get_xticklabels():
        tick.set_fontsize(9)
    fig.tight_layout(h_pad=0.6, rect=(0, 0, 1, 0.975))
    with matplotlib.rc_context({"svg.hashsalt": "desire-visualizer-portrait"}):
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    fig.savefig(png, format="png", dpi=look["dpi"], metadata={"Software": None})
    plt.close(fig)


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


def describe(portrait: Portrait) -> list[str]:
    """One sentence per measure: the usual band, the highest and lowest period, the periods with no entry."""
    unit = portrait.by
    empty = sum(1 for period in portrait.periods if not period.entries)
    sentences = []
    for measure in measures():
        label = settings()["measures"][measure][0]
        usual = band(portrait, measure)
        said = [f"{label}:"]
        if usual is not None:
            said.append(f"your usual is {usual[1]:+.2f} (band {usual[0]:+.2f} to {usual[2]:+.2f});")
        filled = [(period.mean(measure), period) for period in portrait.periods if period.entries]
        if filled:
            high = max(filled, key=lambda item: item[0])
            low = min(filled, key=lambda item: item[0])
            if high[1] is low[1]:
                said.append(f"the {unit} of {high[1].label} averages {high[0]:+.2f}")
            else:
                said.append(f"{unit}ly means run from {low[0]:+.2f} ({low[1].label}) to {high[0]:+.2f} "
                            f"({high[1].label})")
        else:
            said.append("no dated entries to draw")
        sentences.append(" ".join(said) + ".")
    if empty:
        sentences.append(f"{empty} {unit}{'s' if empty != 1 else ''} with no entry {'are' if empty != 1 else 'is'} "
                         f"left as gaps.")
    return sentences


def table(portrait: Portrait) -> tuple[list[str], list[list[str]]]:
    """The figure's numbers: a header and one row per period (its entries and mean measures, "—" when empty),
    after a row of the usual when there is a baseline."""
    names = measures()
    header = [portrait.by.capitalize(), "Entries", *(settings()["measures"][m][0] for m in names)]
    rows = []
    if portrait.baseline.available:
        rows.append(["your usual", "", *(_number(band(portrait, m)[1]) for m in names)])
    for period in portrait.periods:
        rows.append([period.label, str(period.entries), *(_number(period.mean(m)) for m in names)])
    return header, rows
