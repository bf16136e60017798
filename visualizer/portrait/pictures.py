"""Each period's pictures: its contact sheet and its mood film, made from the render folder's stills.

The sheet is the gallery's own (`gallery.plots.ContactSheets`: date labels only, no diary words), trimmed to the
pictures it holds when they fill less than a row, so a week of two pictures is not a strip of empty cells. The film
is the period's pictures in date order, each held and then cross-faded into the next, written by the render stage's
`save_animation` as a small GIF: re-encoded from pixels, so neither carries the PNG text chunks (prompt, reading)
of the pictures it is made from. A period of one picture has a sheet and no film.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from PIL import Image

from visualizer.gallery.plots import SHEET_CELL, SHEET_COLUMNS, ContactSheets
from visualizer.portrait.gather import Period, settings
from visualizer.render.io import save_animation

SHEET, FILM = "contact_sheet.png", "mood_film"


def _still(path: Path, size: int | None = None) -> Image.Image:
    with Image.open(path) as image:
        still = image.convert("RGB")
    if size:
        still.thumbnail((size, size))
    return still


def contact_sheet(period: Period, folder: Path) -> Path | None:
    """The period's contact sheet in `folder` (None without pictures)."""
    sheets = ContactSheets(folder)
    for date, picture in period.pictures:
        sheets.add(date.isoformat(), _still(picture))
    written = sheets.close()
    if not written:
        return None
    if len(period.pictures) < SHEET_COLUMNS:
        with Image.open(written[0]) as sheet:
            trimmed = sheet.crop((0, 0, len(period.pictures) * SHEET_CELL, sheet.height))
        trimmed.save(written[0], format="PNG")
    return written[0]


def _frames(pictures: Sequence[Path]) -> Iterator[Image.Image]:
    """Each picture held, then faded into the next; every frame the size of the first picture."""
    look = settings()["film"]
    previous: Image.Image | None = None
    for path in pictures:
        frame = _still(path, look["size"])
        if previous is not None:
            frame = frame.resize(previous.size) if frame.size != previous.size else frame
            for step in range(1, look["fade"] + 1):
                yield Image.blend(previous, frame, step / (look["fade"] + 1))
        for _ in range(look["hold"]):
            yield frame
        previous = frame


def mood_film(period: Period, folder: Path) -> Path | None:
    """The period's mood film (GIF) in `folder`; None for a period of fewer than two pictures."""
    if len(period.pictures) < 2:
        return None
    return save_animation(_frames([path for _, path in period.pictures]), folder / FILM, formats=("gif",),
                          fps=settings()["film"]["fps"])[0]
