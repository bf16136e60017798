"""Start the Desire Visualizer web UI: `python app.py [--port N] [--listen] [--share] [--auth user:pass]`.

Private by default: http://127.0.0.1:7860 only, no analytics; see `python app.py --help`.
"""

import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # must precede any gradio import


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


if __name__ == "__main__":
    sys.exit(main())
