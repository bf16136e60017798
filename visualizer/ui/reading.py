"""How an `InnerState` is shown: an emotion bar chart, V/A/D and stress meters, desires, the explanation, help."""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from visualizer.affect import InnerState
from visualizer.gallery.display import GENTLE_NOTE, SCALES, gentle_explanation, painted_gently, readable_rows
from visualizer.gallery.pages import lang_attribute

TOP_EMOTIONS = 8


def emotion_frame(state: InnerState, k: int = TOP_EMOTIONS) -> pd.DataFrame:
    """The k strongest emotions, for gr.BarPlot."""
    top = state.top_emotions(k)
    return pd.DataFrame({"emotion": [label for label, _ in top], "probability": [round(p, 3) for _, p in top]})


_FILLS = {"anxiety": "linear-gradient(90deg, #c8b0e0, #8050b0)", "interest": "linear-gradient(90deg, #a8e0c0, #30a070)"}


def _meter(name: str, value: float, low: str, high: str, centred: bool) -> str:
    """One labelled bar; `centred` bars grow from the middle (−1…1), the others from the left (0…1)."""
    if centred:
        left, width, shown = 50 + min(value, 0.0) * 50, abs(value) * 50, f"{value:+.2f}"
    else:
        left, width, shown = 0.0, max(0.0, min(value, 1.0)) * 100, f"{value:.0%}"
    track = "dv-track dv-centred" if centred else "dv-track"
    fill = f";background:{_FILLS[name.lower()]}" if name.lower() in _FILLS else ""
    return (
        f'<div class="dv-meter"><div class="dv-meter-head"><span>{name}</span><b>{shown}</b></div>'
        f'<div class="{track}"><div class="dv-fill dv-{name.lower()}" style="left:{left:.1f}%;width:{width:.1f}%{fill}"></div></div>'
        f'<div class="dv-meter-ends"><span>{low}</span><span>{high}</span></div></div>'
    )


def meters_html(state: InnerState) -> str:
    """Valence, arousal, dominance (−1…1, calibrated), stress, anxiety, interest (0…1), each with words at its ends,
    then desires and stressors as chips, then the reading path's notice (how far a reading not in English was
    validated) as a quiet note. An entry with signs of crisis shows no stressors: they may name what hurts."""
    vad = state.vad.normalised().as_dict()
    values = vad | {"stress": state.stress, "anxiety": state.anxiety, "interest": state.interest}
    parts = [_meter(name.capitalize(), values[name], low, high, centred) for name, low, high, centred in SCALES]
    if state.desires:
        chips = "".join(
            f'<span class="dv-chip" title="cue: {html.escape(d.cue)}"{lang_attribute(d.text)}>{html.escape(d.text)} '
            f'<small>{d.intensity:.0%}</small></span>'
            for d in state.desires
        )
        parts.append(f'<div class="dv-desires"><span class="dv-label">Longing for</span>{chips}</div>')
    if state.stressors and not state.crisis:
        chips = "".join(f'<span class="dv-chip dv-stressor"{lang_attribute(s)}>{html.escape(s)}</span>'
                        for s in state.stressors)
        parts.append(f'<div class="dv-desires"><span class="dv-label">Weighing on you</span>{chips}</div>')
    if not state.signal:
        parts.append('<p class="dv-note">No words to read here, so the reading is neutral.</p>')
    if state.notice:
        parts.append(f'<p class="dv-note dv-notice">{html.escape(state.notice)}</p>')
    return f'<div class="dv-meters">{"".join(parts)}</div>'


def help_markdown(picture_note: str = "", languages: Iterable[str] = ("en",)) -> str:
    """The help panel shown when a reading shows signs of crisis, in the languages of the flagged entries
    (`crisis.help_languages`: Chinese writers get the Chinese hotlines, both when a journal holds both); each
    message sits in a block marked with its language, so the browser picks a font with its glyphs.
    `picture_note` says what the face did."""
    from visualizer.safety.help import help_languages, help_message

    blocks = []
    for language in help_languages(list(languages)) or ["en"]:
        message = help_message(language)
        blocks.append(f'<div lang="{language}">\n\n### {message.title}\n\n{message.body}\n\n</div>')
    return "\n\n".join(blocks) + (f"\n\n{picture_note}" if picture_note else "")


def reflection_html(reflection: dict | None) -> str:
    """The entry's reflection as one quiet block in its language (`visualizer.reflection`); "" without one."""
    if not reflection or not reflection.get("text"):
        return ""
    text = reflection["text"]
    return f'<div class="dv-reflection"{lang_attribute(text)}>{html.escape(text)}</div>'


def made_markdown(style: str, seed, backend: str, reason: str = "") -> str:
    """One quiet line saying how to paint the same picture again (and why that backend, when it says)."""
    why = f" ({html.escape(reason)})" if reason else ""
    return (f'<p class="dv-note">Style <b>{html.escape(str(style))}</b> · seed <b>{html.escape(str(seed))}</b> · '
            f"painted by the <b>{html.escape(str(backend))}</b> backend{why}</p>")


def explanation_table(items: list[dict]) -> str:
    """Which score produced which prompt fragment and which tweak, as a Markdown table in readable words; for a picture
    painted under the safety rule only the lines that name no feeling and no means (`gentle_explanation`), and a note
    that says so."""
    if not items:
        return "_No explanation was recorded for this picture._"
    from visualizer.mapping import data

    columns = data.load("plain")["table"]["columns"]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for cells in readable_rows(gentle_explanation(items)):
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines) + (f"\n\n_{GENTLE_NOTE}_" if painted_gently(items) else "")


def explanation_markdown(conditioning) -> str:
    """The technical details: the explanation table, then the prompt itself (folded; not for an entry with signs of
    crisis, whose prompt holds the mood words chosen for its feelings)."""
    table = explanation_table(conditioning.explanation)
    if painted_gently(conditioning.explanation):
        return table
    return f"{table}\n\n<details><summary>Prompt</summary>\n\n```text\n{conditioning.prompt}\n```\n</details>"
