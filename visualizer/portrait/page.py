"""The portrait page: one self-contained HTML page with its pictures beside it, standalone or inside the gallery site.

`build` writes the page and its pictures into an empty folder (the gallery export calls it for the site's
`portrait/` folder); `export` puts a standalone portrait in place the way the gallery export does: built in a
temporary folder of ours beside `--out`, swapped in whole, an existing `--out` replaced only when it is an earlier
export whose marker lists every file in it (`visualizer.gallery.place`), one export of a folder at a time.

The page is rendered with the gallery's templates and CSS (`visualizer.gallery.pages`; `templates/portrait.html`
extends its `base.html`). Privacy: the page quotes none of the diary's text but the short phrases the reading took
as what the writer longs for or pushes away, and with `redact` not even those; the pictures on it are made from
pixels (`visualizer.portrait.pictures`), so no picture metadata rides along.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from visualizer.affect.baseline import MIN_ENTRIES
from visualizer.affect.stressors import topics as stressor_topics
from visualizer.gallery import place
from visualizer.gallery.pages import templates
from visualizer.gallery.pictures import copy_clean
from visualizer.portrait import figures, pictures
from visualizer.portrait.gather import Day, Portrait, gather, settings, shade

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

PAGE, PNG, SVG, FILM = "index.html", "portrait.png", "portrait.svg", "mood_film.gif"
WEEKDAYS = ("M", "T", "W", "T", "F", "S", "S")


@functools.cache
def _templates() -> Environment:
    """The gallery's environment with this package's templates in front (same escaping, filters and base page)."""
    from jinja2 import ChoiceLoader, PackageLoader

    base = templates()
    return base.overlay(loader=ChoiceLoader([PackageLoader("visualizer.portrait"), base.loader]))


@dataclass
class Month:
    """A month of the calendar: its title and its cells, Monday first (None: a day outside the journal's span)."""

    title: str
    cells: list[Day | None]


def months(days: list[Day]) -> list[Month]:
    """The calendar's days laid out month by month, each month's first row padded to its weekday."""
    found: list[Month] = []
    for day in days:
        title = f"{day.date:%B %Y}"
        if not found or found[-1].title != title:
            found.append(Month(title, [None] * (day.date.replace(day=1).weekday() + day.date.day - 1)))
        found[-1].cells.append(day)
    return found


def day_words(day: Day) -> str:
    """What a day's square says to a screen reader and on hover: date, number of entries and the feeling (no feeling
    word for a hard day)."""
    when = f"{day.date:%a} {day.date.day} {day.date:%b %Y}"
    if not day.entries:
        return f"{when}: no entry"
    count = f"{day.entries} entr{'ies' if day.entries > 1 else 'y'}"
    if day.hard:
        return f"{when}: {count}, {settings()['hard_day']['name']}"
    feeling = f", mostly {day.feeling}" if day.feeling else ""
    return f"{when}: {count}, {day.shade['name']}{feeling}"


def body(portrait: Portrait, redact: bool, folder: Path | None = None, files: dict[str, str] | None = None) -> Markup:
    """The portrait's calendar, lists and periods as an HTML fragment (the page's main part; the UI shows it too).
    `files` names the pictures written beside the page in `folder` (none in the UI)."""
    from markupsafe import Markup

    files = files or {}

    def size(name: str) -> Markup:
        """The width and height of a picture of the page, so a lazily loaded one keeps its place."""
        with Image.open(folder / name) as image:
            return Markup(f'width="{image.width}" height="{image.height}"')

    header, rows = figures.table(portrait)
    # what weighs: without the writer's words, only the stressor lexicon's own topic names ("work")
    weighs = [item for item in portrait.weighs if item.kind == "topic" and item.text in stressor_topics()] \
        if redact else portrait.weighs
    return Markup(_templates().get_template("portrait_body.html").render(
        portrait=portrait, redact=redact, weighs=weighs, months=months(portrait.days), weekdays=WEEKDAYS,
        shades=settings()["shades"], hard_day=settings()["hard_day"], day_words=day_words, shade=shade,
        measures=settings()["measures"], describe=figures.describe(portrait), header=header, rows=rows,
        files=files, size=size, min_entries=MIN_ENTRIES))


def fragment(portrait: Portrait) -> str:
    """The portrait's body with its own styles, to show inside another page (the UI's Portrait tab); its pictures
    are shown beside it, so the fragment names none."""
    css = _templates().get_template("portrait.css").render()
    return f"<style>{css}</style>{body(portrait, redact=False)}"


def build(portrait: Portrait, folder: Path, redact: bool = False, back: str | None = None) -> list[str]:
    """Write the page and its pictures into the empty folder `folder`; returns the files written (relative POSIX
    paths, sorted). `back` links the page that holds it (the gallery's index, when it is part of the site)."""
    files: dict[str, str] = {}
    if portrait.points:
        figures.small_multiples(portrait, folder / PNG, folder / SVG)
        files.update(png=PNG, svg=SVG)
    for period in portrait.periods:
        if not period.pictures:
            continue
        place_of = folder / "periods" / period.key
        place_of.mkdir(parents=True)
        for kind, made in (("sheet", pictures.contact_sheet(period, place_of)),
                           ("film", pictures.mood_film(period, place_of))):
            if made is not None:
                files[f"{kind}:{period.key}"] = made.relative_to(folder).as_posix()
    if portrait.film is not None:
        copy_clean(portrait.film, folder / FILM, redact=True)  # pixels only: the render's GIF holds no text, but
        files["film"] = FILM                                   # a copy from pixels is sure to hold none
    page = _templates().get_template("portrait.html").render(body=body(portrait, redact, folder, files),
                                                               portrait=portrait, back=back)
    (folder / PAGE).write_text(page, encoding="utf-8")
    return sorted([PAGE, *files.values()])


def export(out_dir: str | Path, site_dir: str | Path, by: str = "week", redact: bool = False) -> tuple[Portrait,
                                                                                                      list[str]]:
    """Write the portrait of the render folder `out_dir` into `site_dir`; returns it and the files written (relative
    to `site_dir`, the marker left out). Nothing is changed when this fails."""
    out_dir, site_dir = place.checked_paths(out_dir, site_dir)
    portrait = gather(out_dir, by)

    def write(build_dir: Path) -> list[str]:
        files = build(portrait, build_dir, redact)
        place.write_marker(build_dir, redact)
        return files

    files = place.publish(site_dir, None, write, "portrait")
    return portrait, files
