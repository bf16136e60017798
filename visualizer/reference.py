"""`docs/settings.md`, generated from the settings tables (`visualizer.settings`): the picture settings of `visualizer
render` and every option of the web UI, each with its default and what it does, read from where the parsers read them.

    python -m visualizer.reference > docs/settings.md

A test regenerates the page and compares, so a default changed in a table cannot be left stale in the docs.
"""

from __future__ import annotations

from visualizer.painting import RenderSettings
from visualizer.settings import markdown_table
from visualizer.ui.config import UIConfig

PAGE = """# Settings

Generated from the settings tables by `python -m visualizer.reference > docs/settings.md`; do not edit by hand.
`--help` prints the same.

## Pictures: `visualizer render` (and the UI's defaults)

How each picture is made. `visualizer render --help` also lists how the input is read (`--format`, `--author`,
`--since`, `--until`, `--limit`) and how the run behaves (`--json`, `--wait`, `--force`).

{render}

## The web UI: `python app.py` / `visualizer-ui`

{ui}
"""


def page() -> str:
    return PAGE.format(render=markdown_table(RenderSettings), ui=markdown_table(UIConfig))


if __name__ == "__main__":  # pragma: no cover - writes the page
    print(page(), end="")
