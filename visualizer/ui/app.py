"""`visualizer-ui` (and `python app.py` in a checkout): parse the launch settings, then serve the web UI."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from visualizer.errors import UserError
    from visualizer.ui.config import parse_args

    try:
        config = parse_args(argv)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    from visualizer.ui import launch

    launch(config)
    return 0
