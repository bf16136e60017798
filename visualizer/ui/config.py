"""Launch settings of the web UI: private by default, every widening of access explicit.

The server binds 127.0.0.1 unless `--listen` is given (GRADIO_SERVER_NAME is ignored on purpose, so an
environment variable cannot silently expose a diary); `--share` opens a public Gradio link only when
asked, and we warn when that happens without `--auth`. Auth comes from `--auth user:pass` or the
VISUALIZER_AUTH environment variable (which keeps the password out of the process list).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from visualizer.errors import UserError
from visualizer.painting import RenderSettings
from visualizer.render.registry import describe_backends, offered_backends
from visualizer.settings import add_arguments, from_args, setting

DEFAULT_PORT = 7860
PORT_ENV = "GRADIO_SERVER_PORT"
AUTH_ENV = "VISUALIZER_AUTH"
LOCAL_ONLY, EVERY_INTERFACE = "127.0.0.1", "0.0.0.0"
BACKENDS = offered_backends(first="motif")  # the default first; the `tiny` test backend paints noise: never offered
RENDER_DEFAULTS = RenderSettings()  # the pictures the UI makes by default are the CLI's


@dataclass
class UIConfig:
    """How the UI is served and what it renders by default: one setting per field, with its default and its help,
    from which `build_parser` writes the flags (`visualizer.settings`)."""

    port: int = setting(DEFAULT_PORT, "port to serve on", env=PORT_ENV)
    host: str = setting(LOCAL_ONLY, f"bind {EVERY_INTERFACE} so other machines on the network can connect (default: "
                        f"{LOCAL_ONLY} only)", flag="--listen", switch=EVERY_INTERFACE)
    share: bool = setting(False, "also open a public *.gradio.live link")
    auth: tuple[str, str] | None = setting(None, "require a login, as user:password", env=AUTH_ENV)
    out_dir: Path = setting(Path("outputs"), "folder for journal renders and the gallery")
    backend: str = setting(BACKENDS[0], f"default render backend: {describe_backends(BACKENDS)}", choices=BACKENDS)
    model: str | None = setting(None, "default diffusion model id, folder or .safetensors file")
    device: str | None = setting(None, "torch device for the diffusion backend")
    size: int = setting(RENDER_DEFAULTS.size, "image size in pixels")
    max_file_size: str = setting("20mb", "upload size limit")
    max_chars: int = setting(20_000, "the Reflect tab reads at most this many characters of a paste")
    render_concurrency: int = setting(1, "renders that may run at the same time", flag="--concurrency")
    queue_size: int = setting(32, "requests that may wait in the queue", flag=False)
    preload: bool = setting(True, "do not warm the models up at start", flag="--no-preload")


def parse_auth(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise UserError("auth must look like user:password (both parts non-empty)")
    return user, password


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Desire Visualizer web UI (Gradio).")
    add_arguments(parser, UIConfig)
    return parser


def parse_args(argv: list[str] | None = None) -> UIConfig:
    args = build_parser().parse_args(argv)
    if args.render_concurrency < 1 or args.max_chars < 1:
        raise UserError("--concurrency and --max-chars must be at least 1")
    return from_args(UIConfig, args, auth=parse_auth(args.auth))
