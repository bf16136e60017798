"""`Record`: one entry of a render folder as every face reads it, the UI's Gallery and Journal tabs and the static site.

One read model, so the faces cannot drift apart in what they call an entry's picture, its reading against the
writer's usual or its strongest feeling. The store builds records (`Store.records`, `Store.record`); the pipeline's
own bookkeeping reads the columns it needs as they are stored (`Store.select`, `Store.entries`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from visualizer.affect.state import InnerState

STILL_SUFFIX = ".png"
ANIMATION_SUFFIXES = (".gif", ".webp")  # shown as an image by a browser and by Gradio (the MP4 is for downloading)


@dataclass(frozen=True, slots=True)
class Record:
    """A store row, typed. `conditioning` is what the picture was painted from, as the mapping wrote it
    (`Conditioning.to_dict`; empty before the entry was painted), with the entry's reflection beside it under
    "reflection" (written with the picture, as its sidecar holds it: stored JSON, so no store version was needed);
    `files` are the entry's files inside the render folder (a stored path leading out of it is never listed)."""

    key: str
    position: int  # in the journal
    date: dt.date | None
    text: str
    status: str  # pending, analyzed, rendered or failed (`Store`)
    author: str | None = None
    title: str | None = None
    source: str | None = None
    line: int | None = None
    tags: tuple[str, ...] = ()
    stage: str | None = None  # where it failed, for a failed entry
    error: str | None = None
    state: InnerState | None = None
    conditioning: Mapping[str, Any] = field(default_factory=dict)
    files: tuple[Path, ...] = ()
    params: Mapping[str, Any] | None = None  # the settings the picture was painted with
    backend: str = ""  # the backend that painted it

    @classmethod
    def from_row(cls, row: Mapping[str, Any], folder: Path) -> Record:
        """A decoded row of every column (`Store`); `folder` is the render folder its file paths are relative to.

        A date that is not one (a store edited by hand) makes the entry undated rather than unreadable.
        """
        return cls(key=row["key"], date=_date(row["date"]), text=row["text"], status=row["status"],
                   position=row["position"], author=row["author"], title=row["title"], source=row["source"],
                   line=row["line"], tags=tuple(row["tags"] or ()), stage=row["stage"], error=row["error"],
                   state=InnerState.from_dict(row["state"]) if row["state"] else None,
                   conditioning=row["conditioning"] or {}, files=tuple(folder / name for name in row["files"] or ()),
                   params=row["params"], backend=row["backend"] or "")

    @property
    def picture(self) -> Path | None:
        """The entry's still, once it is painted."""
        return self._painted(STILL_SUFFIX)

    @property
    def animation(self) -> Path | None:
        """The entry's animation, when it was painted as a sequence."""
        return self._painted(*ANIMATION_SUFFIXES)

    @property
    def shown(self) -> Path | None:
        """What a face shows of the entry: the animation when there is one, else the still."""
        return self.animation or self.picture

    @property
    def relative(self) -> dict[str, float] | None:
        """The reading against the writer's usual that the picture was painted with (`visualizer.affect.baseline`);
        None when it was painted without a personal baseline."""
        return (self.conditioning.get("scores") or {}).get("baseline")

    @property
    def compared(self) -> str:
        """"calmer than your usual", or "" without a personal baseline (in English, the faces' language)."""
        from visualizer.reflection import compared

        return compared(self.relative)

    @property
    def reflection(self) -> dict | None:
        """The entry's reflection (`visualizer.reflection`: {"text", "language", "grounds"}); None for an entry not
        painted yet, or painted before reflections were written."""
        return self.conditioning.get("reflection") or None

    @property
    def dominant(self) -> str | None:
        """The strongest feeling of the reading; None before the entry is read."""
        return self.state.dominant_emotion if self.state is not None else None

    @property
    def explanation(self) -> list[dict]:
        """Which score made which part of the picture: {"score", "value", "effect"} items."""
        return list(self.conditioning.get("explanation") or [])

    @property
    def style(self) -> str:
        return self.conditioning.get("style", "")

    def _painted(self, *suffixes: str) -> Path | None:
        if self.status != "rendered":
            return None
        return next((path for path in self.files if path.suffix in suffixes), None)


def _date(stored: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(stored) if stored else None
    except ValueError:
        return None
