"""Portrait tab: an output folder's weeks or months at a glance, as `visualizer portrait` draws them.

The page is built into the app's temporary folder (`workspace.scratch_dir`, removed when the app stops) and shown
in parts: the calendar, lists and periods as HTML (`portrait.page.fragment`), the small multiples, each period's
contact sheet and mood film; the whole page (zipped), the PNG and the SVG are offered for download.
"""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

import gradio as gr

from visualizer.ui import records
from visualizer.ui.browse import _folder as output_folder
from visualizer.ui.browse import refresh_folders
from visualizer.ui.config import UIConfig
from visualizer.ui.feedback import friendly
from visualizer.ui.workspace import scratch_dir

START = "_Pick an output folder and press **Draw the portrait**: a calendar of your days, your measures against " \
        "your usual, the longings that return and each period's pictures._"


def draw(config: UIConfig, folder: str | None, by: str, progress=gr.Progress()):
    """The portrait of `folder`: its HTML, the small multiples (PNG), the periods' pictures and the downloads."""
    from visualizer.gallery import place
    from visualizer.portrait import build, gather
    from visualizer.portrait.page import PNG, SVG, fragment

    path = output_folder(config, folder)
    progress(0, desc="Reading the journal…")
    portrait = gather(path, by)
    progress(0.3, desc="Drawing the portrait…")
    site = Path(tempfile.mkdtemp(prefix="desire-portrait-", dir=scratch_dir())) / f"{path.name}-portrait"
    site.mkdir()
    files = build(portrait, site)
    place.write_marker(site, redact=False)
    archive = place.zip_site(site, files, site.with_name(f"{site.name}.zip"))
    pictures = [(str(site / name), _caption(portrait, name)) for name in files if name.startswith("periods/")]
    figure = str(site / PNG) if PNG in files else None
    downloads = [str(archive)] + [str(site / name) for name in (PNG, SVG) if name in files]
    return fragment(portrait), figure, pictures, gr.update(value=downloads, visible=True)


def _caption(portrait, name: str) -> str:
    """"3–9 Mar 2025 · contact sheet" for periods/2025-W10/contact_sheet.png."""
    key = name.split("/")[1]
    label = next(period.label for period in portrait.periods if period.key == key)
    return f"{label} · {'mood film' if name.endswith('.gif') else 'contact sheet'}"


def build(demo: gr.Blocks, config: UIConfig) -> None:
    """Lay out the tab."""
    folders = records.folders(config.out_dir)
    with gr.Row(equal_height=False):
        folder = gr.Dropdown(folders, value=folders[0] if folders else None, label="Output folder", scale=4,
                             allow_custom_value=True, elem_id="portrait-folder",
                             info=f"a folder a journal was rendered into, inside {config.out_dir}/")
        by = gr.Radio([("By week", "week"), ("By month", "month")], value="week", label="Periods", scale=2,
                      min_width=160, elem_id="portrait-by")
    with gr.Row():
        refresh = gr.Button("↻ Refresh", min_width=100, elem_id="portrait-refresh")
        draw_button = gr.Button("Draw the portrait", variant="primary", elem_id="portrait-draw")
    page = gr.HTML(START, padding=False, elem_id="portrait-page")
    figure = gr.Image(label="Against your usual (valence, arousal, stress, anxiety, interest)", type="filepath",
                      interactive=False, show_label=True, elem_id="portrait-figure")
    periods = gr.Gallery(label="Each period's contact sheet and mood film", columns=2, height="auto",
                         object_fit="contain", elem_id="portrait-periods")
    downloads = gr.File(label="Downloads: the page (zip), PNG, SVG", file_count="multiple", interactive=False,
                        visible=False, elem_id="portrait-downloads")
    pick = partial(refresh_folders, config)
    for event in (demo.load, refresh.click):
        event(pick, [folder], [folder], queue=False)
    draw_button.click(friendly("draw the portrait")(partial(draw, config)), [folder, by],
                      [page, figure, periods, downloads], concurrency_id="read")
