"""The portrait of the weeks: a render folder seen across time, as one page.

`gather` reads the folder's store into a `Portrait` (days, weeks or months, the measures against the writer's usual,
the longings that return, what weighs most); `page` draws it (`figures`: the small multiples; `pictures`: each
period's contact sheet and mood film) and writes the page, standalone (`export`) or inside the gallery site (`build`).
See docs/portrait.md.
"""

from visualizer.portrait.gather import Portrait, gather, summary
from visualizer.portrait.page import build, export

__all__ = ["Portrait", "gather", "summary", "build", "export"]
