"""Reflect tab: write what you feel, see the reading at once, then watch it become a picture.

Submitting runs two queued events: the reading (affect stage, fast) and then, only if it succeeded, the
render. Splitting them lets the chart and meters appear before the image, and keeps the slow render
in the render concurrency group while readings never wait behind it. Readings share the read group with the
Journal tab's parsing and the Gallery's pages, and take turns with them in order (Gradio holds a group to its
lowest limit, here `--concurrency`): a gallery answered out of order would show the wrong folder.
"""

from __future__ import annotations

import random
import uuid
from functools import partial

import gradio as gr

from visualizer.affect import InnerState
from visualizer.painting import RenderSettings
from visualizer.render.registry import describe_backends
from visualizer.ui import reading
from visualizer.ui.config import BACKENDS, RENDER_DEFAULTS, UIConfig
from visualizer.ui.feedback import friendly
from visualizer.ui.services import Services
from visualizer.ui.workspace import scratch_dir

EXAMPLES = [
    "I miss my grandmother's kitchen. I wish I could smell her bread again, just once.",
    "Got the job!! I can't stop smiling, everything feels possible today.",
    "Deadlines everywhere and I haven't slept. I just want a quiet weekend by the sea.",
    "The rain kept me inside all day. Not sad exactly, just slow and a bit grey.",
    "最近工作压力很大，每天都加班。我好想再去看一次大海。",
]
MAX_SEED = 2**31 - 1
REFLECT_PICTURE_NOTE = "Your picture is painted in a calmer, lighter palette."  # the help says the words are welcome
LOADING = "⏳ Loading the reading model (first time only)…"
READING = "⏳ Reading your words…"
PAINTING = "⏳ Painting your picture…"
# After a reading, on a narrow screen: bring the help panel (an entry with signs of crisis) or else the result to the
# top of the screen; on a wide one only what is below the fold. Polls a few frames until the page shows the reading.
SCROLL_TO_RESULT = """() => {
  const narrow = window.innerWidth < 768;
  const go = (tries) => {
    const help = document.querySelector('#crisis-panel');
    const helping = help && help.offsetParent !== null && help.innerText.trim().length > 0;
    const target = helping ? help : document.querySelector('#reflect-result');
    if (!target) return;
    if (!helping && document.querySelector('#reflect-meters .dv-meter') === null && tries > 0) {
      return setTimeout(() => go(tries - 1), 50);
    }
    const top = target.getBoundingClientRect().top;
    if (narrow ? (top < 0 || top > 24) : (top < 0 || top > window.innerHeight * 0.75)) {
      window.scrollBy({top: top - 8, behavior: 'instant'});
    }
  };
  setTimeout(() => go(20), 50);
}"""
ANIMATION_DOWNLOADS = ("gif", "mp4")  # an animation is shown as its GIF and offered as both files
NO_PICTURE_YET = "_How your words shaped the picture appears here, in plain words, once it is painted._"


def styles() -> list[str]:
    from visualizer.mapping import list_styles

    return list_styles()


def style_picker(**kwargs) -> gr.Dropdown:
    choices = styles()
    default = RENDER_DEFAULTS.style if RENDER_DEFAULTS.style in choices else (choices[0] if choices else None)
    return gr.Dropdown(choices, value=default, label="Style", **kwargs)


def backend_picker(config: UIConfig) -> gr.Dropdown:
    """The backends the UI offers (the registry's listed ones), what each does, the configured one chosen."""
    return gr.Dropdown(list(BACKENDS), value=config.backend, label="Backend", info=describe_backends(BACKENDS))


def picture_settings(config: UIConfig, style: str, backend: str, model: str | None, seed: float | None,
                     frames: float | None, **more) -> RenderSettings:
    """The tab's controls as checked RenderSettings: a cleared seed or frames field takes the RenderSettings default,
    and pictures have the launch settings' size."""
    return RenderSettings(backend=backend, model=(model or "").strip() or None, style=style,
                          seed=RENDER_DEFAULTS.seed if seed is None else int(seed),
                          frames=RENDER_DEFAULTS.frames if frames is None else max(1, int(frames)),
                          size=config.size, **more).checked()


def _truncate(text: str, limit: int) -> str:
    cut = text[:limit]
    space = cut.rfind(" ", int(limit * 0.9))
    return cut[:space] if space > 0 else cut


def read_entry(services: Services, max_chars: int, text: str | None):
    """Affect reading of the text, in two steps: first what the page waits for (the first read of a language loads
    its model) in the status line where the picture will appear; then the chart (hidden for an entry with signs of
    crisis: it names feelings), meters, help panel, the reflection (after the help of such an entry), the state and
    reflection kept for the render, and the status line saying the picture is on its way."""
    text = (text or "").strip()
    if not text:
        raise gr.Error("Write a few words about how you feel, then press Visualise.", title="Nothing to read yet",
                       print_exception=False)
    if len(text) > max_chars:
        gr.Warning(f"That is a long text ({len(text):,} characters). The first {max_chars:,} were read; "
                   "the Journal tab takes whole files and gives each entry its own picture.", title="Text shortened")
        text = _truncate(text, max_chars)
    from visualizer.reflection import reflect

    yield *(gr.skip() for _ in range(5)), LOADING if services.loads_model(text) else READING
    state = services.read([text])[0]
    help_panel = gr.update(visible=state.crisis,
                           value=reading.help_markdown(REFLECT_PICTURE_NOTE, [state.language]) if state.crisis else "")
    chart = gr.update(value=None if state.crisis else reading.emotion_frame(state), visible=not state.crisis)
    reflection = reflect(state).to_dict()  # one text: no journal to echo, no usual to compare with
    yield (chart, reading.meters_html(state), help_panel, reading.reflection_html(reflection),
           {"state": state.to_dict(), "reflection": reflection}, PAINTING)


def render_entry(services: Services, config: UIConfig, kept: dict | None, style: str, backend_name: str,
                 model: str | None, seed: float | None, frames: float, strength: float):
    """Paint the kept reading on the one painting path (`visualizer.painting.paint`), as the CLI would paint the
    same text given with `--text` → (image or animation path, plain explanation, technical details, and the
    PNG (with metadata), GIF and MP4 downloads; the last two only for an animation; then the emptied status line)."""
    if not kept:
        raise gr.Error("Press Visualise first: there is no reading to paint yet.", print_exception=False)
    from visualizer.ingest import Entry
    from visualizer.mapping.plain import plain_explanation
    from visualizer.painting import Job, paint

    state = InnerState.from_dict(kept["state"])
    settings = picture_settings(config, style, backend_name, model, seed, frames, strength=float(strength))
    backend = services.backend(settings.backend, settings.model)
    job = Job(Entry(None, state.text, "reflect").key, None, state, reflection=kept.get("reflection"))
    painted = paint(backend, [job], settings, scratch_dir() / uuid.uuid4().hex[:12], formats=ANIMATION_DOWNLOADS)[0]
    files = {f.suffix: f for f in painted.files}
    conditioning = painted.conditioning
    plain = (plain_explanation(conditioning) + "\n\n"
             + reading.made_markdown(conditioning.style, conditioning.user_seed, backend.name, backend.reason))
    downloads = [gr.update(value=str(files[f".{fmt}"]), visible=True, interactive=True) if f".{fmt}" in files
                 else gr.update(value=None, visible=False) for fmt in ANIMATION_DOWNLOADS]
    return (str(files.get(".gif", files[".png"])), plain, reading.explanation_markdown(conditioning),
            gr.update(value=str(files[".png"]), interactive=True), *downloads, "")


def new_seed() -> int:
    return random.randint(0, MAX_SEED)


def build(services: Services, config: UIConfig) -> None:
    """Lay out the tab inside the current gr.Blocks and wire its events.

    Three columns in the order a phone shows them, one under the other: the input (with the help panel right under
    it), the result (status line, reflection, picture, explanation), then the examples, art direction and reading.
    A wide screen puts the input above the rest on the left and the result beside both (theme.py, `#reflect-layout`).
    """
    kept = gr.State(None)
    with gr.Row(equal_height=False, elem_id="reflect-layout"):
        with gr.Column(scale=5, elem_id="reflect-input"):
            text = gr.Textbox(label="What is on your mind?", lines=6, max_lines=14, elem_id="reflect-text",
                              placeholder="Write or paste a few sentences: a diary entry, a message, a feeling…")
            with gr.Row():
                clear = gr.Button("Clear", variant="secondary", scale=1, elem_id="reflect-clear")
                submit = gr.Button("Visualise", variant="primary", scale=3, elem_id="reflect-submit")
            help_panel = gr.Markdown(visible=False, elem_id="crisis-panel", elem_classes=["dv-help"])
        with gr.Column(scale=6, elem_id="reflect-result"):
            status = gr.Markdown("", elem_id="reflect-status", elem_classes=["dv-status"])
            reflection = gr.HTML("", elem_id="reflect-reflection", padding=False)
            image = gr.Image(label="Your picture", type="filepath", interactive=False, height=480,
                             elem_id="reflect-image", buttons=["fullscreen"])
            with gr.Row():
                again = gr.Button("New seed", elem_id="reflect-again", min_width=100)
                download = gr.DownloadButton("⬇ PNG", interactive=False, elem_id="reflect-download", min_width=100)
                animations = [gr.DownloadButton(f"⬇ {fmt.upper()}", visible=False, elem_id=f"reflect-download-{fmt}",
                                                min_width=100) for fmt in ANIMATION_DOWNLOADS]
            with gr.Column(variant="panel"):
                gr.Markdown("#### How your words shaped this picture")
                plain = gr.Markdown(NO_PICTURE_YET, elem_id="reflect-plain")
                with gr.Accordion("Technical details", open=False, elem_id="reflect-technical"):
                    explanation = gr.Markdown(elem_id="reflect-explanation", elem_classes=["dv-explanation"])
        with gr.Column(scale=5, elem_id="reflect-more"):
            gr.Examples(EXAMPLES, inputs=[text], label="Try one of these")
            with gr.Accordion("Art direction", open=False):
                with gr.Row():
                    style = style_picker()
                    backend = backend_picker(config)
                model = gr.Textbox(label="Diffusion model", value=config.model or "",
                                   placeholder="model id, local folder or .safetensors file (diffusion backend only)")
                with gr.Row():
                    seed = gr.Number(label="Seed", value=RENDER_DEFAULTS.seed, precision=0, minimum=0, maximum=MAX_SEED)
                    frames = gr.Slider(1, 24, value=RENDER_DEFAULTS.frames, step=1, label="Frames",
                                       info="more than 1 makes an animation", elem_id="reflect-frames")
                strength = gr.Slider(0.0, 2.0, value=RENDER_DEFAULTS.strength, step=0.05, label="Tweak strength",
                                     info="how strongly the scores bend colour, light and motion")
            with gr.Column(variant="panel", elem_classes=["dv-reading"]):
                gr.Markdown("#### Your reading")
                chart = gr.BarPlot(None, x="emotion", y="probability", y_lim=[0, 1],
                                   x_label_angle=-30, height=230, show_label=False, sort="-y", x_title=" ",
                                   y_title="probability", elem_id="reflect-emotions")
                meters = gr.HTML('<p class="dv-note">Valence, arousal, dominance, stress and what you long for '
                                 'appear here.</p>', elem_id="reflect-meters")

    read = friendly("read the text")(partial(read_entry, services, config.max_chars))
    paint = friendly("paint the picture")(partial(render_entry, services, config))
    controls = [kept, style, backend, model, seed, frames, strength]
    painted = [image, plain, explanation, download, *animations, status]

    reading_done = submit.click(read, [text], [chart, meters, help_panel, reflection, kept, status],
                                concurrency_id="read", show_progress="minimal",
                                show_progress_on=[status])
    reading_done.success(None, None, None, js=SCROLL_TO_RESULT, queue=False)
    quiet = partial(str, "")  # a failed step empties the status line: its message comes as a toast
    for step in (reading_done, reading_done.success(paint, controls, painted, concurrency_id="render"),
                 again.click(new_seed, None, seed, queue=False).then(paint, controls, painted, concurrency_id="render")):
        step.failure(quiet, None, status, queue=False)
    hidden = [gr.update(value=None, visible=False) for _ in animations]
    clear.click(lambda: ("", gr.update(value=None, visible=True), "", gr.update(visible=False), "", None, None,
                         NO_PICTURE_YET, "", gr.update(value=None, interactive=False), *hidden, ""),
                None, [text, chart, meters, help_panel, reflection, kept, image, plain, explanation, download,
                       *animations, status],
                queue=False)
