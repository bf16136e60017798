"""The Gradio web UI: Reflect (one text), Journal (a whole file), Gallery (browse and export).

The UI only calls the stages (affect, mapping, render, pipeline, gallery); it holds no logic of its
own beyond layout, validation and the crisis rule (`visualizer.ui.safety`). Private by default: see
`visualizer.ui.config` for what binds where, and `launch` for the queue and upload limits.
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported anywhere

import logging  # noqa: E402
import sys  # noqa: E402

import gradio as gr  # noqa: E402

from visualizer.ui import browse, journal, reflect  # noqa: E402
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
        gr.HTML(FOOTER, padding=False)
    return demo


def launch(config: UIConfig, services: Services | None = None) -> None:
    """Queue (renders limited to `render_concurrency` at a time), upload limit, private bind, optional auth."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
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
        allowed_paths=[str(config.out_dir.resolve())],
        show_error=True,
        ssr_mode=False,
        pwa=False,
        mcp_server=False,
        enable_monitoring=False,
        theme=THEME,
        css=CSS,
    )
