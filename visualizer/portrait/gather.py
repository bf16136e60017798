"""What the portrait shows of a render folder: its days, its periods, the longings that return, what weighs most.

Read from the store's records (`visualizer.gallery.store`) in date order; of each entry only a few numbers, its date,
its strongest feeling, the path of its picture and its wish phrases are kept, so a long journal fits in memory.

* **Days and periods.** The calendar spans the first to the last dated entry; a day or a period (an ISO week, or a
  calendar month) with no entry is kept as empty (`entries == 0`, its means None), never as a zero. Undated entries
  count in the totals and the lists, not on the calendar.
* **The measures** are the ones the rest of the tool shows: calibrated valence and arousal (−1…1), stress, anxiety
  and interest (0…1). A period's value is the mean of its entries'.
* **The usual** is `visualizer.affect.baseline` over the whole journal (as `render` reads it); its band is drawn by
  `figures.band`. Fewer than `baseline.MIN_ENTRIES` readable entries: no band, and the portrait says so.
* **Longings** are grouped as the reflections echo them (`mapping.concepts.longing_group`: "the coast" is the sea);
  a group counts the *entries* that hold it (a wish said twice in one entry counts once), with the first and last
  dates it was written on. **What weighs** is the stress topics the reading named (our own words: "work") and what
  the writer pushes away (aversions, grouped the same way).
* **Crisis.** An entry with signs of crisis gives no feeling word to its day ("a hard day") and nothing to the lists;
  a phrase that names harm (`safety.signs.is_harmful`) is never listed either, as a second net.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from visualizer.affect.baseline import Baseline, from_scores, readable, scores
from visualizer.errors import UserError
from visualizer.gallery.record import Record
from visualizer.gallery.store import Store
from visualizer.mapping.concepts import longing_group
from visualizer.safety.signs import is_harmful

SETTINGS = Path(__file__).with_name("data") / "portrait.toml"
PERIODS = ("week", "month")


@lru_cache(maxsize=1)
def settings() -> dict:
    """The portrait's words, colours and sizes (`data/portrait.toml`)."""
    with SETTINGS.open("rb") as handle:
        return tomllib.load(handle)


def shade(valence: float | None) -> dict | None:
    """The shade of `portrait.toml` a mean valence falls in ({"name", "colour", "upto"}); None for no value."""
    if valence is None:
        return None
    shades = settings()["shades"]
    return next((s for s in shades if valence <= s["upto"]), shades[-1])


def measures() -> tuple[str, ...]:
    """The measures of the small multiples, in order: valence, arousal, stress, anxiety, interest."""
    return tuple(settings()["measures"])


@dataclass
class Day:
    """One day of the calendar: how many entries, their mean measures, the day's feeling and its shade."""

    date: dt.date
    entries: int = 0
    hard: bool = False  # an entry of the day shows signs of crisis: no feeling is named, one calm colour
    feelings: list[str] = field(default_factory=list)
    values: dict[str, list[float]] = field(default_factory=dict)

    @property
    def valence(self) -> float | None:
        found = self.values.get("valence")
        return sum(found) / len(found) if found else None

    @property
    def feeling(self) -> str | None:
        """The feeling most of the day's entries had strongest (the first of a tie); None for an empty or hard day."""
        if self.hard or not self.feelings:
            return None
        return max(dict.fromkeys(self.feelings), key=self.feelings.count)

    @property
    def shade(self) -> dict | None:
        """The day's shade ({"name", "colour"}): one calm colour for a hard day, else its valence's."""
        return settings()["hard_day"] if self.hard else shade(self.valence)


@dataclass
class Period:
    """A week or a month: its entries' mean measures (None when it has none) and its pictures in date order."""

    key: str  # "2025-W10" or "2025-03": stable, sortable, used in file names
    label: str  # "3–9 Mar 2025" or "March 2025"
    start: dt.date
    end: dt.date
    entries: int = 0
    sums: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    pictures: list[tuple[dt.date, Path]] = field(default_factory=list)

    def mean(self, measure: str) -> float | None:
        return self.sums[measure] / self.counts[measure] if self.counts.get(measure) else None


@dataclass
class Longing:
    """A longing (or a weight) across the journal: its group, its phrases as written, in how many entries, from when
    to when (ISO dates of the dated ones; None when all were undated)."""

    text: str
    phrases: list[str] = field(default_factory=list)
    count: int = 0
    first: str | None = None
    last: str | None = None
    kind: str = "longing"  # "longing", "topic" (a stress topic, our word) or "aversion" (pushed away)

    def add(self, phrase: str, date: dt.date | None) -> None:
        self.count += 1
        if phrase not in self.phrases:
            self.phrases.append(phrase)
        if date is not None:
            day = date.isoformat()
            self.first = min(self.first or day, day)
            self.last = max(self.last or day, day)

    def to_dict(self) -> dict:
        return {"text": self.text, "count": self.count, "first": self.first, "last": self.last}


@dataclass
class Point:
    """One dated entry's measures, for the small multiples."""

    date: dt.date
    values: dict[str, float]


@dataclass
class Portrait:
    """Everything the page, the figures, the UI and `--json` show of one render folder."""

    folder: Path
    by: str
    entries: int  # entries with a reading
    rendered: int
    undated: int
    days: list[Day]
    periods: list[Period]
    points: list[Point]
    baseline: Baseline
    longings: list[Longing]  # those that return, most frequent first
    once: int  # longings said in one entry only (counted, not listed)
    weighs: list[Longing]  # stress topics and aversions, most frequent first
    film: Path | None  # the render's own journal film (GIF), when `render --film` made one

    @property
    def filled_days(self) -> int:
        return sum(1 for day in self.days if day.entries)


def period_of(date: dt.date, by: str) -> tuple[str, str, dt.date, dt.date]:
    """(key, label, first day, last day) of the week (ISO, Monday first) or month holding `date`."""
    if by == "week":
        start = date - dt.timedelta(days=date.weekday())
        end = start + dt.timedelta(days=6)
        year, week, _ = date.isocalendar()
        first = f"{start.day} {start:%b}" if (start.year, start.month) != (end.year, end.month) else f"{start.day}"
        label = f"{first}–{end.day} {end:%b %Y}" if start.year == end.year else \
            f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
        return f"{year}-W{week:02d}", label, start, end
    start = date.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return f"{start:%Y-%m}", f"{start:%B %Y}", start, end


def _periods(first: dt.date, last: dt.date, by: str) -> list[Period]:
    """Every period from the one holding `first` to the one holding `last`, empty ones included."""
    found: list[Period] = []
    day = first
    while day <= last:
        key, label, start, end = period_of(day, by)
        found.append(Period(key, label, start, end))
        day = end + dt.timedelta(days=1)
    return found


def _values(record: Record) -> dict[str, float]:
    state = record.state
    norm = state.vad.normalised()
    every = {"valence": norm.valence, "arousal": norm.arousal, "stress": state.stress, "anxiety": state.anxiety,
             "interest": state.interest}
    return {name: float(every[name]) for name in measures()}


def _group(phrases: Iterable[str]) -> dict[str, str]:
    """One entry's phrases by longing group (the first phrase of each group), harmful and empty ones left out."""
    groups: dict[str, str] = {}
    for phrase in phrases:
        if phrase.strip() and not is_harmful(phrase):
            groups.setdefault(longing_group(phrase), phrase)
    return groups


def gather(folder: str | Path, by: str = "week") -> Portrait:
    """The portrait of the render folder `folder`, by week or by month.

    A UserError (one line naming the folder) when it has no store or no rendered entry.
    """
    if by not in PERIODS:
        raise UserError(f"--by {by}: choose one of {', '.join(PERIODS)}")
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(f"{folder}: {'not a folder' if folder.exists() else 'no such folder'} — give the folder "
                        f"`visualizer render --out` wrote")
    days: dict[dt.date, Day] = {}
    points: list[Point] = []
    table: list[dict[str, float]] = []
    longings: dict[str, Longing] = {}
    weighs: dict[tuple[str, str], Longing] = {}
    dated_pictures: list[tuple[dt.date, Path]] = []
    entries = rendered = undated = 0
    with Store(folder, readonly=True) as store:
        for record in store.records(by_date=True):
            rendered += record.status == "rendered"
            if record.state is None:
                continue
            entries += 1
            state = record.state
            if readable(state):
                table.append(scores(state))
            values = _values(record)
            if record.date is None:
                undated += 1
            else:
                day = days.setdefault(record.date, Day(record.date))
                day.entries += 1
                day.hard = day.hard or state.crisis
                day.feelings.append(record.dominant)
                for name, value in values.items():
                    day.values.setdefault(name, []).append(value)
                points.append(Point(record.date, values))
                if record.picture is not None and record.picture.is_file():
                    dated_pictures.append((record.date, record.picture))
            if state.crisis:
                continue
            for group, phrase in _group(d.text for d in state.desires).items():
                longings.setdefault(group, Longing(group)).add(phrase, record.date)
            for topic in dict.fromkeys(state.stressors):
                weighs.setdefault(("topic", topic), Longing(topic, kind="topic")).add(topic, record.date)
            for group, phrase in _group(d.text for d in state.aversions).items():
                weighs.setdefault(("aversion", group), Longing(group, kind="aversion")).add(phrase, record.date)
        film = next((folder / name for name in store.get_meta("film", []) if name.endswith(".gif")), None)
    if not rendered:
        raise UserError(f"{folder}: no rendered entries yet — run `visualizer render JOURNAL --out {folder}` first")
    calendar = _calendar(days)
    periods = _periods(calendar[0].date, calendar[-1].date, by) if calendar else []
    _fill(periods, points, dated_pictures, by)
    returns = settings()["lists"]["returns"]
    ranked = sorted(longings.values(), key=lambda item: (-item.count, item.first or "9999", item.text))
    heavy = sorted(weighs.values(), key=lambda item: (-item.count, item.first or "9999", item.text))
    return Portrait(folder, by, entries, rendered, undated, calendar, periods, points, from_scores(table),
                    [item for item in ranked if item.count >= returns],
                    sum(1 for item in ranked if item.count < returns),
                    heavy[:settings()["lists"]["weighs_shown"]],
                    film if film is not None and film.is_file() and film.resolve().is_relative_to(folder.resolve())
                    else None)


def _calendar(days: dict[dt.date, Day]) -> list[Day]:
    """Every day from the first dated entry to the last, a day with no entry as an empty `Day`."""
    if not days:
        return []
    first, last = min(days), max(days)
    return [days.get(first + dt.timedelta(days=n)) or Day(first + dt.timedelta(days=n))
            for n in range((last - first).days + 1)]


def _fill(periods: list[Period], points: list[Point], pictures: list[tuple[dt.date, Path]], by: str) -> None:
    """Put each dated entry's measures and picture into its period (both lists are in date order)."""
    index = {period.start: period for period in periods}

    def owner(date: dt.date) -> Period:
        return index[period_of(date, by)[2]]

    for point in points:
        period = owner(point.date)
        period.entries += 1
        for name, value in point.values.items():
            period.sums[name] = period.sums.get(name, 0.0) + value
            period.counts[name] = period.counts.get(name, 0) + 1
    for date, picture in pictures:
        owner(date).pictures.append((date, picture))


def summary(portrait: Portrait, files: list[str]) -> dict:
    """The `--json` line: days with an entry, periods in the span, the longings that return, the files written."""
    return {"days": portrait.filled_days, "periods": len(portrait.periods),
            "recurring_longings": [item.to_dict() for item in portrait.longings], "files": files,
            "by": portrait.by, "entries": portrait.entries, "undated": portrait.undated,
            "baseline": portrait.baseline.available}
