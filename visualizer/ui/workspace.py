"""The app's one temporary folder: Reflect pictures, site exports and Gradio's cache, gone when the app stops.

Everything the UI writes outside the user's output folder quotes the diary (PNG chunks carry desire phrases,
exports carry entries), so it all lives in one folder per process, and Gradio's cache inside it (a copy of
each file a page has shown) is the only place the `/file=` routes may serve from (`ServeOnlyFrom`). The
folder is removed at normal exit and on Ctrl-C (both run atexit), and on SIGTERM and SIGHUP, which end a
process without atexit unless handled (`remove_on_signals`).
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import tempfile
import threading
from pathlib import Path

from starlette.types import ASGIApp, Receive, Scope, Send

PREFIX = "desire-visualizer-"
FILE_ROUTES = ("/gradio_api/file=", "/gradio_api/file/", "/gradio_api/proxy=", "/file=", "/proxy=")

_lock = threading.Lock()
_folder: Path | None = None


def route_path(scope: Scope) -> str:
    """The path the router matches: the request's path less the mount point (`root_path`) the app is served under,
    as Starlette's own routing reads it (written out here rather than imported from Starlette's private helpers)."""
    path, root = scope["path"], scope.get("root_path", "")
    if root and path.startswith(root) and (len(path) == len(root) or path[len(root)] == "/"):
        return path[len(root):]
    return path


def scratch_dir() -> Path:
    """This process's temporary folder, made on first use (handlers on several threads may ask at once)."""
    global _folder
    with _lock:
        if _folder is None:
            _folder = Path(tempfile.mkdtemp(prefix=PREFIX))
            atexit.register(remove)
        return _folder


def gradio_cache() -> Path:
    """Point Gradio's cache (uploads and a copy of every file a page shows) into the folder.

    Call before building the UI: each component reads GRADIO_TEMP_DIR when it is created, the server
    when it is launched. Set unconditionally, so a user's own GRADIO_TEMP_DIR cannot keep copies around.
    """
    path = scratch_dir() / "gradio"
    path.mkdir(exist_ok=True)
    os.environ["GRADIO_TEMP_DIR"] = str(path)
    return path


def remove() -> None:
    """Delete the folder and all it holds (safe to call twice)."""
    if _folder is not None:
        shutil.rmtree(_folder, ignore_errors=True)


def remove_on_signals() -> None:
    """Remove the folder on SIGTERM and SIGHUP, then exit with the usual 128 + signal number.

    SIGINT keeps Python's KeyboardInterrupt, so Ctrl-C still closes Gradio's server and atexit removes
    the folder. Must be called from the main thread.
    """
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _exit_on_signal)


def _exit_on_signal(signum: int, _frame: object) -> None:
    remove()
    raise SystemExit(128 + signum)


class ServeOnlyFrom:
    """ASGI middleware: the file routes serve only existing files inside `folder`, anything else is a bare 404.

    Gradio's own rule also serves its `allowed_paths`, which the UI needs so that Gradio may copy gallery
    pictures out of the output folder (wherever it lives) into its cache; this keeps the store, sidecars,
    exports and every other path unreachable however they are spelt (absolute, relative, `..`, encoded).
    """

    def __init__(self, app: ASGIApp, folder: Path) -> None:
        self.app = app
        self.folder = Path(folder).resolve()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self.allows(route_path(scope)):  # the path the router matches
            await send({"type": "http.response.start", "status": 404, "headers": [(b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, send)

    def allows(self, route: str) -> bool:
        """True for every route but the file routes, and for those only when they name a file in `folder`."""
        prefix = next((p for p in FILE_ROUTES if route.startswith(p)), None)
        if prefix is None:
            return True
        path = Path(os.path.abspath(route[len(prefix):])).resolve()  # relative to the cwd, as Gradio reads it
        return path.is_relative_to(self.folder) and path.is_file()
