"""Start the Desire Visualizer web UI: `python app.py [--port N] [--listen] [--share] [--auth user:pass]`.

Private by default: http://127.0.0.1:7860 only, no analytics; see `python app.py --help`. An installed
copy (a wheel, no checkout) has the same as the `visualizer-ui` command.
"""

import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # must precede any gradio import

from visualizer.ui.app import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
