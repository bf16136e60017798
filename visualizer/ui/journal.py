"""Journal tab: upload a journal or chat export, check what was parsed, render it all into an output folder.

Rendering calls `visualizer.pipeline.render_journal`, the same function as `visualizer render`, into a
folder under the UI's output root, so the SQLite store makes a second run (or a run after a crash, or
the CLI on the same folder) resume: finished entries are skipped, never duplicated.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import gradio as gr
import pandas as pd

from visualizer.errors import UserError
from visualizer.safety import signs as crisis
from visualizer.affect.language import detect
from visualizer.text.scripts import HAN
from visualizer.ingest.formats import describe_formats
from visualizer.ui import reading, records
from visualizer.ui.config import RENDER_DEFAULTS, UIConfig
from visualizer.ui.feedback import friendly
from visualizer.ui.reflect import MAX_SEED, backend_picker, picture_settings, style_picker
from visualizer.ui.services import Services

FORMATS_HELP = describe_formats()  # "plain text, Markdown with dated headings, … or a WhatsApp chat export (.txt)"
# The entry table's columns and widths (px fixed, % of the table's width); Title only when some entry has a
# title, and then "Begins with" gives it its 24 %.
COLUMN_WIDTHS = {"#": "48px", "Date": "112px", "Title": "24%", "Words": "76px", "Begins with": "46%"}
UNTITLED_BEGINS_WIDTH = "70%"
EMPTY_ENTRIES = pd.DataFrame({name: [] for name in COLUMN_WIDTHS})
EVERYONE = ""  # the author choice that keeps every person's messages
PREVIEW_CHARS = 90
# A word: one Han character (Chinese is counted in characters, 字数) or a run of other letters and digits
_WORD = re.compile(rf"[{HAN}]|[^\s{HAN}]*[^\W{HAN}][^\s{HAN}]*")
COMPARED_SHOWN = 12  # entries listed under "Compared with your usual" after a render
FAILURES_SHOWN = 20  # failed entries listed after a render
# the help itself says the words are welcome; this says only what the pictures do
JOURNAL_PICTURE_NOTE = ("Entries that sound this heavy are painted in a calm, light style, and nothing from those "
                        "sentences becomes part of a picture.")


def folder_name(filename: str, author: str = "") -> str:
    """A safe folder name under the output root from an uploaded file's name and the chosen author, if any
    (no paths, no dots at the ends), so one person's pictures get a gallery of their own."""
    name = re.sub(r"[^\w.-]+", "-", Path(filename).stem + (f"-{author}" if author else "")).strip(".-")
    return name[:64] or "journal"


def output_folder(config: UIConfig, name: str | None) -> Path:
    clean = folder_name(name or "") if name else ""
    if not clean:
        raise UserError("Give the output folder a name (letters, digits, dots and dashes).")
    return config.out_dir / clean


def _read(path: str | Path, author: str | None = None):
    """Parse an uploaded file (one author's entries when given); messages name the file as the user knows it,
    not Gradio's cache path."""
    from visualizer.ingest import read_input

    path = Path(path)
    try:
        result = read_input(str(path), author=author or None)
    except UserError as error:
        raise UserError(_tidy(str(error), path)) from None
    result.problems[:] = [type(p)(_tidy(p.source, path), p.line, p.message) for p in result.problems]
    return result


def _tidy(message: str, path: Path) -> str:
    return message.replace(str(path.parent) + "/", "")


def parse_upload(file: str | None, author: str | None = EVERYONE):
    """Parse the uploaded file → entry table, problems, summary, suggested folder, the kept path and author,
    the render button, and the author choice (shown when two or more people wrote in the file).

    A file that cannot be read clears the tab and says why, both as a toast and in the page.
    """
    nobody = gr.update(choices=_author_choices([]), value=EVERYONE, visible=False)
    if not file:
        return EMPTY_ENTRIES, "", "Upload a journal to begin.", gr.update(), None, gr.update(interactive=False), nobody
    try:
        return _parsed(file, author or EVERYONE)
    except UserError as error:
        gr.Warning(str(error), title="Could not read the journal")
        return (EMPTY_ENTRIES, "", f"⚠️ **Could not read the journal.** {error}", gr.update(), None,
                gr.update(interactive=False), nobody)


def _parsed(file: str, author: str):
    result = _read(file, author)
    name = Path(file).name
    if not result.entries:
        raise UserError(f"No entries found in '{name}'. Upload {FORMATS_HELP}."
                        + (f" First problem: {result.problems[0]}" if result.problems else ""))
    titled = any(e.title for e in result.entries)
    rows = [{"#": i + 1, "Date": e.date.isoformat() if e.date else "—", "Title": e.title or "",
             "Words": count_words(e.text), "Begins with": _preview(e.text)} for i, e in enumerate(result.entries)]
    columns = [c for c in COLUMN_WIDTHS if titled or c != "Title"]
    widths = [COLUMN_WIDTHS[c] for c in columns[:-1]] + [COLUMN_WIDTHS[columns[-1]] if titled else UNTITLED_BEGINS_WIDTH]
    table = gr.update(value=pd.DataFrame(rows, columns=columns), column_widths=widths)
    problems = ""
    if result.problems:
        listed = "\n".join(f"- {p}" for p in result.problems[:50])
        problems = (f"**{len(result.problems)} problem(s) while reading** (those parts were skipped):\n\n{listed}"
                    f"{and_more(len(result.problems), 50)}")
    whose = f" (only {author}'s messages)" if author else ""
    summary = f"**{len(result.entries)} entries** read from `{name}` as **{result.format}**{whose}."
    if len(result.authors) > 1 and not author:
        summary += f" {len(result.authors)} people wrote in it; each day holds everyone's words unless you pick one."
    flagged = [detect(e.text) for e in result.entries if crisis.find_signs([e.text]).flagged]
    if flagged:
        summary += "\n\n" + reading.help_markdown(JOURNAL_PICTURE_NOTE, flagged)
    choices = gr.update(choices=_author_choices(result.authors), value=author, visible=len(result.authors) > 1)
    return (table, problems, summary, folder_name(name, author),
            {"path": str(file), "name": name, "author": author}, gr.update(interactive=True), choices)


def _author_choices(authors: list[str]) -> list[tuple[str, str]]:
    return [("Everyone", EVERYONE), *[(a, a) for a in authors]]


def count_words(text: str) -> int:
    """Words in an entry, Chinese counted in characters (a Chinese entry has no spaces to split on)."""
    return len(_WORD.findall(text))


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW_CHARS else flat[:PREVIEW_CHARS - 1] + "…"


def render_upload(services: Services, config: UIConfig, kept: dict | None, folder: str, style: str,
                  backend_name: str, model: str | None, seed: float | None, frames: float,
                  baseline: str = RENDER_DEFAULTS.baseline, progress=gr.Progress()):
    """Render every parsed entry into the output folder with a progress bar; returns gallery + summary."""
    from visualizer.pipeline import render_journal

    if not kept:
        raise gr.Error("Upload a journal first.", print_exception=False)
    out_dir = output_folder(config, folder)
    entries = _read(kept["path"], kept.get("author")).entries
    progress(0, desc="Loading the models…")
    settings = picture_settings(config, style, backend_name, model, seed, frames,
                                baseline=baseline or RENDER_DEFAULTS.baseline)
    backend = services.backend(settings.backend, settings.model)

    def report(done: int, total: int, failed: int, stage: str) -> None:
        verb = "Reading" if stage == "analyze" else "Painting"
        note = f" ({failed} failed)" if failed else ""
        progress((done, total), desc=f"{verb} entries{note}", unit="entries")

    summary = render_journal(entries, out_dir, settings, progress=report, backend=backend, analyze=services.read)
    keys = {e.key for e in entries}
    rendered = [r for r in records.load(out_dir) if r.key in keys]
    message = (f"**Done.** {summary.rendered} rendered, {summary.skipped} already there (resumed), "
               f"{summary.failed} failed — saved in `{out_dir}`. Browse them in the Gallery tab.")
    message += _compared_markdown(summary, rendered)
    message += "".join(f"\n\n_{count} {'entry' if count == 1 else 'entries'}: {notice}_"
                       for notice, count in summary.notices.items())
    if summary.crisis:
        message += "\n\n" + reading.help_markdown(JOURNAL_PICTURE_NOTE, summary.help_languages)
    if summary.failed:
        gr.Warning(f"{summary.failed} entries could not be rendered; the others are saved. Render again to retry.")
        message += "\n\n" + "\n".join(f"- {_tidy(f['where'], Path(kept['path']))} ({f['stage']}): {f['error']}"
                                      for f in summary.failures[:FAILURES_SHOWN])
        message += and_more(len(summary.failures), FAILURES_SHOWN)
    return records.gallery_items(rendered), message, str(out_dir)


def _compared_markdown(summary, rendered: list) -> str:
    """"Compared with your usual: …" for the rendered entries (not those with signs of crisis: it names feelings), or
    the note saying why there is no baseline."""
    if summary.baseline_note:
        return f"\n\n_Note: {summary.baseline_note}._"
    lines = [f"- {r.date.isoformat() if r.date else (r.title or 'undated')}: {r.compared}"
             for r in rendered if r.compared and not (r.state is not None and r.state.crisis)]
    if not lines:
        return ""
    return "\n\n**Compared with your usual:**\n" + "\n".join(lines[:COMPARED_SHOWN]) + and_more(len(lines), COMPARED_SHOWN)


def and_more(total: int, shown: int) -> str:
    """The last line of a Markdown list cut to its first `shown` items: "- … and N more" ("" when none was left out)."""
    return f"\n- … and {total - shown} more" if total > shown else ""


def build(services: Services, config: UIConfig):
    """Lay out the tab; returns the render event and the folder it rendered into, for the Gallery tab to follow."""
    kept, rendered_folder = gr.State(None), gr.State(None)
    gr.Markdown(f"Bring a whole journal: {FORMATS_HELP}. Each entry becomes its own picture, saved in an output "
                "folder you can come back to — rendering the same file again picks up where it stopped.")
    with gr.Row(equal_height=False):
        with gr.Column(scale=4):
            upload = gr.File(label="Journal or chat export", file_count="single", elem_id="journal-file")
            author = gr.Dropdown(_author_choices([]), value=EVERYONE, label="Whose words", visible=False,
                                 elem_id="journal-author",
                                 info="a chat holds several people's messages: paint everyone's days, or one person's")
            folder = gr.Textbox(label="Output folder", info=f"created under {config.out_dir}/", elem_id="journal-folder")
            with gr.Row():
                style = style_picker()
                backend = backend_picker(config)
            model = gr.Textbox(label="Diffusion model", value=config.model or "", placeholder="diffusion backend only")
            with gr.Row():
                seed = gr.Number(label="Seed", value=RENDER_DEFAULTS.seed, precision=0, minimum=0, maximum=MAX_SEED)
                frames = gr.Slider(1, 24, value=RENDER_DEFAULTS.frames, step=1, label="Frames")
            baseline = gr.Radio([("Compared with my usual", "journal"), ("Absolute reading only", "none")],
                                value=RENDER_DEFAULTS.baseline, label="Personal baseline", elem_id="journal-baseline",
                                info="blend each entry's reading against the journal's usual into its picture")
            start = gr.Button("Render journal", variant="primary", interactive=False, elem_id="journal-render")
        with gr.Column(scale=7):
            summary = gr.Markdown("Upload a journal to begin.", elem_id="journal-summary")
            problems = gr.Markdown(elem_id="journal-problems")
            entries = gr.Dataframe(EMPTY_ENTRIES, label="Entries found", interactive=False, wrap=True, max_height=320,
                                   column_widths=list(COLUMN_WIDTHS.values()), elem_id="journal-entries")
    result = gr.Markdown(elem_id="journal-result")
    gallery = gr.Gallery(label="Your journal, painted", columns=5, height="auto", object_fit="cover",
                         elem_id="journal-gallery", elem_classes=["dv-tiles"])

    parsed = [entries, problems, summary, folder, kept, start, author]
    reader = friendly("read the journal")(parse_upload)
    upload.change(reader, [upload], parsed, concurrency_id="read")
    author.input(reader, [upload, author], parsed, concurrency_id="read")
    done = start.click(friendly("render the journal")(partial(render_upload, services, config)),
                       [kept, folder, style, backend, model, seed, frames, baseline], [gallery, result, rendered_folder],
                       concurrency_id="journal", concurrency_limit=1)
    return done, rendered_folder
