"""The Gradio web UI: Reflect (one text), Journal (a whole file), Gallery (browse and export), Portrait (the weeks).

The UI only calls the stages (affect, mapping, render, pipeline, gallery); it holds no logic of its
own beyond layout and validation. Private by default: see `visualizer.ui.config` for what binds where,
`visualizer.ui.workspace` for the only files served over HTTP, and `launch` for the queue and upload limits.
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported anywhere

import logging  # noqa: E402
import sys  # noqa: E402

import gradio as gr  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402

from visualizer.ui import browse, journal, portrait, reflect, workspace  # noqa: E402
from visualizer.ui.config import UIConfig  # noqa: E402
from visualizer.ui.services import Services  # noqa: E402
from visualizer.ui.theme import CSS, THEME  # noqa: E402

HEADER = """
<div class="dv-header">
  <h1>Desire Visualizer</h1>
  <p>Write what you feel and watch it become a picture. Your words are read on this computer and go nowhere else.</p>
</div>
"""
FOOTER = ("<p class='dv-footer'>If you are struggling, you deserve support: find a free, confidential helpline at "
          "<a href='https://findahelpline.com' target='_blank' rel='noopener'>findahelpline.com</a> "
          "or call your local emergency number.</p>")


def build_app(config: UIConfig | None = None, services: Services | None = None) -> gr.Blocks:
    """The whole UI as a gr.Blocks, not yet launched (tests build it with fake services)."""
    config = config or UIConfig()
    services = services or Services(device=config.device)
    with gr.Blocks(title="Desire Visualizer", analytics_enabled=False) as demo:
        gr.HTML(HEADER, padding=False)
        with gr.Tabs():
            with gr.Tab("Reflect", id="reflect"):
                reflect.build(services, config)
            with gr.Tab("Journal", id="journal"):
                rendered, rendered_folder = journal.build(services, config)
            with gr.Tab("Gallery", id="gallery"):
                browse.build(demo, config, rendered, rendered_folder)
            with gr.Tab("Portrait", id="portrait"):
                portrait.build(demo, config)
        gr.HTML(FOOTER, padding=False)
    return demo


def launch(config: UIConfig, services: Services | None = None) -> None:
    """Queue (renders limited to `render_concurrency` at a time), upload limit, private bind, optional auth.

    Gradio's cache and every temporary picture live in the app's own folder, removed on exit and on
    signals (call from the main thread), and the file routes serve nothing else. Gradio's own start-up
    lines are silenced (its "set share=True" hint contradicts `--share`); one line says where the UI is.
    """
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # Gradio's start-up self-checks, one line each
    workspace.remove_on_signals()
    cache = workspace.gradio_cache()  # before build_app: components read GRADIO_TEMP_DIR when created
    services = services or Services(device=config.device)
    if config.preload:
        services.warm_up(config.backend, config.model)
    if config.share and not config.auth:
        print("warning: --share makes this UI reachable from the internet; consider --auth user:password",
              file=sys.stderr)
    config.out_dir.mkdir(parents=True, exist_ok=True)
    demo = build_app(config, services)
    demo.queue(default_concurrency_limit=config.render_concurrency, max_size=config.queue_size)
    demo.launch(
        server_name=config.host,
        server_port=config.port,
        share=config.share,
        auth=config.auth,
        auth_message="This Desire Visualizer is private. Please sign in.",
        max_file_size=config.max_file_size,
        # lets Gradio copy the gallery's pictures out of out_dir into its cache; ServeOnlyFrom serves only the cache
        allowed_paths=[str(config.out_dir.resolve())],
        app_kwargs={"middleware": [Middleware(workspace.ServeOnlyFrom, folder=cache)]},
        show_error=True,
        ssr_mode=False,
        pwa=False,
        mcp_server=False,
        enable_monitoring=False,
        run_history=False,  # would keep every diary text and picture in the browser's storage
        quiet=True,
        prevent_thread_lock=True,
        theme=THEME,
        css=CSS,
    )
    print(f"Desire Visualizer is running at {demo.local_url} (press Ctrl-C to stop)", flush=True)
    demo.block_thread()
