"""Gallery tab: browse an output folder, filter it, open an entry, export the static site as a zip."""

from __future__ import annotations

import datetime as dt
import tempfile
from functools import partial
from pathlib import Path

import gradio as gr

from visualizer.errors import UserError
from visualizer.gallery.site import SITE_PICTURE_NOTE
from visualizer.gallery.store import STORE_FILE
from visualizer.mapping import Conditioning
from visualizer.mapping.plain import plain_explanation
from visualizer.ui import reading, records
from visualizer.ui.config import UIConfig
from visualizer.ui.feedback import friendly
from visualizer.ui.workspace import scratch_dir

NO_SELECTION = "_Pick a picture to see its entry, its reading and how the picture was made._"


def _date(value: str | None, name: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(f"'{value}' is not a date: write the {name} date as YYYY-MM-DD, for example "
                        f"{dt.date.today().isoformat()}.") from None


def _folder(config: UIConfig, folder: str | None) -> Path:
    if not folder:
        raise UserError("Pick an output folder first (render a journal in the Journal tab to make one).")
    path = Path(folder)
    if path.resolve() not in {Path(f).resolve() for f in records.folders(config.out_dir)}:
        raise UserError(f"'{folder}' is not an output folder. An output folder is one a journal was rendered into "
                        f"(in the Journal tab or with `visualizer render`) inside {config.out_dir}/, and holds a "
                        f"{STORE_FILE}: pick one from the list.")
    return path


def refresh_folders(config: UIConfig, current: str | None):
    choices = records.folders(config.out_dir)
    return gr.update(choices=choices, value=current if current in choices else (choices[0] if choices else None))


def browse(config: UIConfig, folder: str | None, start: str | None, end: str | None, emotions: list[str] | None,
           keys: list[str], opened: str | None = None):
    """Filtered gallery, the emotion choices present in the folder, the timeline, the keys in gallery order, the count
    line, then the entry pane: kept while the entry open in it is still shown, else emptied (`closed_entry`), so a
    filter never leaves an entry it removed on screen.

    A folder or date that cannot be used leaves grid, choices, timeline, keys and pane as they were and says so in
    the count line (never "Showing 6 of 24" beside pictures it did not filter).
    """
    if not folder:
        return ([], gr.update(choices=[]), None, [], "No output folder yet: render a journal in the Journal tab.",
                *closed_entry())
    try:
        path, first, last = _folder(config, folder), _date(start, "From"), _date(end, "To")
    except UserError as problem:
        still = f"the {len(keys)} pictures of the last filter that worked" if keys else "no pictures"
        return (gr.update(), gr.update(), gr.update(), keys,
                f"⚠️ **{problem}**\n\nNothing changed: still showing {still}.", *(gr.skip() for _ in closed_entry()))
    everything = records.load(path)
    shown = records.filter_records(everything, first, last, emotions or [])
    present = sorted({records.feeling(r) for r in everything})
    count = f"Showing **{len(shown)}** of {len(everything)} entries."
    shown_keys = [r.key for r in shown]
    pane = [gr.skip() for _ in closed_entry()] if opened in shown_keys else closed_entry()
    return (records.gallery_items(shown), gr.update(choices=present, value=[e for e in (emotions or []) if e in present]),
            records.timeline(shown), shown_keys, count, *pane)


def closed_entry() -> tuple:
    """The entry pane with no entry in it: picture, details, meters, plain words, technical table, the open key."""
    return None, NO_SELECTION, "", "", "", None


def open_entry(config: UIConfig, folder: str | None, keys: list[str], index: int | None):
    """Details of the entry picked in the gallery: picture, (help,) reflection, text and settings, meters, plain words,
    technical table (`explanation_table`: for an entry with signs of crisis, no line naming a feeling or means), and
    the key of the entry now open."""
    if not folder or index is None or index >= len(keys):
        return closed_entry()
    record = records.get(_folder(config, folder), keys[index])
    if record is None:
        raise UserError("That entry is no longer in the folder; press Refresh.")
    details = records.details_markdown(record)
    reflection = reading.reflection_html(record.reflection)
    if reflection:
        details = reflection + "\n\n" + details
    if record.state is not None and record.state.crisis:  # help first, then the reflection
        details = reading.help_markdown(SITE_PICTURE_NOTE, [record.state.language]) + "\n\n" + details
    painted = Conditioning.from_dict(record.conditioning) if record.conditioning else None
    plain = f"#### How the words shaped this picture\n\n{plain_explanation(painted)}" if painted else ""
    return (str(record.shown) if record.shown else None, details,
            reading.meters_html(record.state) if record.state else "", plain,
            reading.explanation_table(record.explanation), record.key)


def export(config: UIConfig, folder: str | None, redact: bool, progress=gr.Progress()):
    from visualizer.gallery import export_site

    path = _folder(config, folder)
    progress(0, desc="Building the site…")
    site = Path(tempfile.mkdtemp(prefix="desire-site-", dir=scratch_dir())) / f"{path.name}-site"
    archive = export_site(path, site, redact=bool(redact), zip=True)
    gr.Info("The site is ready: " + ("diary text left out." if redact else "diary text included."))
    return gr.update(value=str(archive), visible=True)


def build(demo: gr.Blocks, config: UIConfig, rendered: gr.events.Dependency, rendered_folder: gr.State) -> None:
    """Lay out the tab; after a journal render (`rendered`) it switches to the folder just written."""
    folders = records.folders(config.out_dir)
    keys, opened = gr.State([]), gr.State(None)
    with gr.Row(equal_height=False):
        folder = gr.Dropdown(folders, value=folders[0] if folders else None, label="Output folder", scale=4,
                             allow_custom_value=True, elem_id="gallery-folder",
                             info=f"a folder a journal was rendered into, inside {config.out_dir}/")
        refresh = gr.Button("↻ Refresh", scale=1, min_width=100, elem_id="gallery-refresh")
    with gr.Row():
        start = gr.Textbox(label="From", placeholder="YYYY-MM-DD", scale=1, min_width=140, elem_id="gallery-from")
        end = gr.Textbox(label="To", placeholder="YYYY-MM-DD", scale=1, min_width=140, elem_id="gallery-to")
        emotion = gr.Dropdown([], multiselect=True, label="Dominant emotion", scale=2, min_width=200,
                              elem_id="gallery-emotion")
    count = gr.Markdown(elem_id="gallery-count")
    with gr.Row(equal_height=False):
        with gr.Column(scale=7):
            grid = gr.Gallery(label="Entries", columns=4, height="auto", object_fit="cover", allow_preview=False,
                              elem_id="gallery-grid", elem_classes=["dv-tiles"])
            timeline = gr.Plot(label="Mood timeline", format="png", elem_id="gallery-timeline")
            with gr.Row(equal_height=True, variant="panel"):
                with gr.Column(scale=3, min_width=220):
                    redact = gr.Checkbox(label="Leave the diary text out (redact)", value=True, elem_id="export-redact")
                    export_button = gr.Button("Export static site (.zip)", variant="primary", elem_id="export-button")
                archive = gr.File(label="Site archive", interactive=False, scale=4, min_width=220, height=90,
                                  visible=False, elem_id="export-file")
        with gr.Column(scale=5):
            picture = gr.Image(label="Entry", type="filepath", interactive=False, height=360, elem_id="gallery-picture")
            details = gr.Markdown(NO_SELECTION, elem_id="gallery-details")
            meters = gr.HTML(padding=False)
            plain = gr.Markdown(elem_id="gallery-plain")
            with gr.Accordion("Technical details", open=False, elem_id="gallery-technical"):
                explanation = gr.Markdown(elem_id="gallery-explanation", elem_classes=["dv-explanation"])

    shown = partial(browse, config)
    pane = [picture, details, meters, plain, explanation, opened]
    browse_outputs = [grid, emotion, timeline, keys, count, *pane]
    browse_inputs = [folder, start, end, emotion, keys, opened]
    handler = friendly("show the gallery")(shown)
    for event in (folder.input, start.submit, end.submit, emotion.input):
        event(handler, browse_inputs, browse_outputs, concurrency_id="read")
    pick = partial(refresh_folders, config)
    for event, current in ((demo.load, folder), (refresh.click, folder), (rendered.success, rendered_folder)):
        event(pick, [current], [folder], queue=False).then(handler, browse_inputs, browse_outputs, concurrency_id="read")
    opener = friendly("open the entry")(partial(open_entry, config))

    def on_select(folder: str | None, keys: list[str], evt: gr.SelectData):
        return opener(folder, keys, evt.index if isinstance(evt.index, int) else evt.index[0])

    grid.select(on_select, [folder, keys], pane, concurrency_id="read")
    export_button.click(friendly("export the site")(partial(export, config)), [folder, redact], [archive],
                        concurrency_id="journal")
