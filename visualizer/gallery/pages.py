"""The exported pages' Jinja2 templates (`templates/`), shared by the gallery site and the portrait page.

Kept apart from `site` so that a page built beside the site (`visualizer.portrait`) renders with the same
environment, escaping and filters without importing the site that includes it.
"""

from __future__ import annotations

import functools
import html
from typing import TYPE_CHECKING

from visualizer.text.scripts import has_han

if TYPE_CHECKING:
    from jinja2 import Environment


def lang_attribute(text: str) -> str:
    """` lang="zh"` for text holding Han characters (so the browser shows it in a Chinese font), else nothing."""
    return ' lang="zh"' if has_han(text) else ""


def index_name(page: int) -> str:
    """index.html, index_2.html, …: the first page keeps the name a site opens with."""
    return "index.html" if page == 1 else f"index_{page}.html"


@functools.cache
def templates() -> Environment:
    """The site's Jinja2 templates (`templates/`), loaded on the first export: the rest of the tool never needs Jinja.

    Autoescape escapes every value a template shows unless it is `Markup` (only our own help text and attributes).
    `finalize` writes the escapes as `html.escape` does (`&#x27;`, `&quot;` where Jinja writes `&#39;`, `&#34;`):
    the same characters, in the spelling the pages have always had, so a site compares equal with an earlier export.
    """
    from jinja2 import Environment, PackageLoader, StrictUndefined
    from markupsafe import Markup

    def escaped(value) -> Markup:
        return value if isinstance(value, Markup) else Markup(html.escape(str(value), quote=True))

    environment = Environment(loader=PackageLoader("visualizer.gallery"), autoescape=True, finalize=escaped,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)
    environment.filters.update(lang=lambda text: Markup(lang_attribute(text)), percent=lambda share: f"{share:.0%}",
                               bar_width=lambda share: f"{max(0.0, min(1.0, share)) * 100:.1f}")
    environment.globals["index_name"] = index_name
    return environment
