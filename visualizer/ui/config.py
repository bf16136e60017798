"""Launch settings of the web UI: private by default, every widening of access explicit.

The server binds 127.0.0.1 unless `--listen` is given (GRADIO_SERVER_NAME is ignored on purpose, so an
environment variable cannot silently expose a diary); `--share` opens a public Gradio link only when
asked, and we warn when that happens without `--auth`. Auth comes from `--auth user:pass` or the
VISUALIZER_AUTH environment variable (which keeps the password out of the process list).
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

from visualizer.errors import UserError

DEFAULT_PORT = 7860
AUTH_ENV = "VISUALIZER_AUTH"
BACKENDS = ("motif", "auto", "diffusion")  # the `tiny` test backend paints noise: CLI tests only


@dataclass
class UIConfig:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    share: bool = False
    auth: tuple[str, str] | None = None
    out_dir: Path = Path("outputs")
    backend: str = "motif"
    model: str | None = None
    device: str | None = None
    size: int = 512
    max_file_size: str = "20mb"
    max_chars: int = 20_000
    render_concurrency: int = 1
    queue_size: int = 32
    preload: bool = True
    backends: tuple[str, ...] = BACKENDS


def parse_auth(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise UserError("auth must look like user:password (both parts non-empty)")
    return user, password


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Desire Visualizer web UI (Gradio).")
    env_port = os.environ.get("GRADIO_SERVER_PORT")
    parser.add_argument("--port", type=int, default=int(env_port) if env_port else DEFAULT_PORT,
                        help="port to serve on (default: $GRADIO_SERVER_PORT or 7860)")
    parser.add_argument("--listen", action="store_true",
                        help="bind 0.0.0.0 so other machines on the network can connect (default: 127.0.0.1 only)")
    parser.add_argument("--share", action="store_true", help="also open a public *.gradio.live link")
    parser.add_argument("--auth", default=os.environ.get(AUTH_ENV),
                        help=f"require a login, as user:password (or set ${AUTH_ENV})")
    parser.add_argument("--out-dir", type=Path, default=Path("outputs"),
                        help="folder for journal renders and the gallery (default: outputs/)")
    parser.add_argument("--backend", default="motif", choices=BACKENDS,
                        help="default render backend (motif works offline on CPU)")
    parser.add_argument("--model", default=None, help="default diffusion model id, folder or .safetensors file")
    parser.add_argument("--device", default=None, help="torch device for the diffusion backend")
    parser.add_argument("--size", type=int, default=512, help="image size in pixels")
    parser.add_argument("--max-file-size", default="20mb", help="upload size limit, e.g. 20mb")
    parser.add_argument("--max-chars", type=int, default=20_000,
                        help="the Reflect tab reads at most this many characters of a paste")
    parser.add_argument("--concurrency", type=int, default=1, help="renders that may run at the same time")
    parser.add_argument("--no-preload", action="store_true", help="do not warm the models up at start")
    return parser


def parse_args(argv: list[str] | None = None) -> UIConfig:
    args = build_parser().parse_args(argv)
    if args.concurrency < 1 or args.max_chars < 1:
        raise UserError("--concurrency and --max-chars must be at least 1")
    return UIConfig(
        host="0.0.0.0" if args.listen else "127.0.0.1",
        port=args.port,
        share=args.share,
        auth=parse_auth(args.auth),
        out_dir=args.out_dir,
        backend=args.backend,
        model=args.model,
        device=args.device,
        size=args.size,
        max_file_size=args.max_file_size,
        max_chars=args.max_chars,
        render_concurrency=args.concurrency,
        preload=not args.no_preload,
    )
