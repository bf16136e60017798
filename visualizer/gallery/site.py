"""Static gallery export: one folder of plain HTML, CSS inlined, images beside it, zipped on request.

Self-contained so it can be opened from `file://`, mailed as a zip or put on any static host: no CDN,
no script, relative links only. Every piece of user text is passed through `html.escape`; file names
come from the entry's date and key, never from its text.

`redact=True` is for sharing the pictures without the diary: the text, titles, authors, source file
names, desire and stressor words, sentence texts, the prompt and explanation lines that quote any of
them are left out, and images are re-encoded from pixels so no PNG/GIF metadata (which holds the
prompt and the reading) survives.

Chinese entries: pages are UTF-8 (declared in `<meta charset>` and written so), and every piece of the writer's
text that holds Han characters carries `lang="zh"`, so the browser picks a CJK font (the font stack names the
common ones; none is shipped or downloaded). An entry's help panel is in its language (`crisis.help_languages`)
and its reading path's notice (how far a reading not in English was validated) is shown beside the scores, also
when redacting: it quotes no diary text.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from visualizer.affect.crisis import help_languages, help_message
from visualizer.affect.language import has_han
from visualizer.affect.state import InnerState
from visualizer.errors import UserError
from visualizer.gallery.plots import contact_sheet, mood_timeline
from visualizer.gallery.store import Store, disk_error, stem

MARKER = ".visualizer-site"
THUMB = 320
TOP_EMOTIONS = 5
SITE_PICTURE_NOTE = "This entry sounded very heavy, so its picture was painted in a calm, light style."
CSS = """
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,"PingFang SC",
"Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif;
background:#15151b;color:#e8e6e3}a{color:#9cc3ff}header,main,footer{max-width:1100px;margin:0 auto;padding:16px}
h1{font-weight:600;margin:.2em 0}.muted{color:#9a9aa5}.grid{display:grid;gap:14px;
grid-template-columns:repeat(auto-fill,minmax(180px,1fr))}.card{background:#20202a;border-radius:10px;overflow:hidden;
text-decoration:none;color:inherit;display:block}.card img,.card .blank{width:100%;aspect-ratio:1;object-fit:cover;
display:block;background:#2a2a36}.card div.meta{padding:6px 10px;font-size:13px}.wide{width:100%;border-radius:8px;
background:#fff}.hero{max-width:100%;border-radius:10px;display:block;margin:8px 0}.film{max-width:512px}.row{display:flex;gap:24px;
flex-wrap:wrap}.panel{background:#20202a;border-radius:10px;padding:12px 16px;margin:12px 0;flex:1 1 300px}
.bar{background:#2e2e3a;border-radius:4px;height:8px;margin:2px 0 8px}.bar span{display:block;height:8px;
border-radius:4px;background:#e0a030}table{border-collapse:collapse;width:100%;font-size:13px}td,th{text-align:left;
padding:4px 6px;border-bottom:1px solid #2e2e3a;vertical-align:top}blockquote{white-space:pre-wrap;margin:0;
padding:12px 16px;background:#1c1c24;border-left:3px solid #e0a030;border-radius:6px}nav{display:flex;
justify-content:space-between}.help{border-left:3px solid #7fb7e0}.help a{color:#9fd0f5}.tag{display:inline-block;background:#2e2e3a;border-radius:10px;padding:0 8px;margin:2px}
"""


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def lang_attribute(text: str) -> str:
    """` lang="zh"` for text holding Han characters (so the browser shows it in a Chinese font), else nothing."""
    return ' lang="zh"' if has_han(text) else ""


@dataclass
class _Item:
    """One entry as the site shows it (already stripped of text when redacting)."""

    row: dict
    stem: str
    state: object | None
    image: Path | None
    animation: Path | None

    @property
    def date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.row["date"]) if self.row.get("date") else None

    @property
    def label(self) -> str:
        return self.row["date"] or "undated"


def _page(title: str, body: str, depth: int = 0) -> str:
    back = f"<a href=\"{'../' * depth}index.html\">← Gallery</a>" if depth else ""
    return (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{esc(title)}</title>"
            f"<style>{CSS}</style></head><body><header>{back}</header><main>{body}</main>"
            f"<footer class=\"muted\">Made with Desire Visualizer.</footer></body></html>\n")


def _private_words(row: dict, state) -> list[str]:
    """Strings taken from the diary that may appear in scores or explanations."""
    words = [row.get("title"), row.get("author")]
    conditioning = row.get("conditioning") or {}
    words += conditioning.get("subjects", [])
    if state is not None:
        words += [d.text for d in [*state.desires, *state.aversions]] + list(state.stressors)
    return [w.lower() for w in words if isinstance(w, str) and (len(w.strip()) >= 2 or has_han(w))]


def _explanation(row: dict, state, redact: bool) -> list[dict]:
    items = (row.get("conditioning") or {}).get("explanation") or row.get("explanation") or []
    if not redact:
        return items
    private = _private_words(row, state)
    return [item for item in items
            if item.get("score") not in ("desire", "imagery")
            and not any(word in f"{item.get('value')} {item.get('effect')}".lower() for word in private)]


def _help_panel(language: str) -> str:
    """Where to find help, in the entry's language, on the page of an entry whose reading shows signs of crisis."""
    from markdown_it import MarkdownIt

    shown = help_languages([language])[0]
    message = help_message(shown)
    return (f"<div class=\"panel help\" role=\"note\"><div lang=\"{shown}\"><h2>{esc(message.title)}</h2>"
            f"{MarkdownIt().render(message.body)}</div><p class=\"muted\">{esc(SITE_PICTURE_NOTE)}</p></div>")


def _bars(pairs: list[tuple[str, float]]) -> str:
    return "".join(f"<div>{esc(label)} <span class=\"muted\">{p:.0%}</span></div>"
                   f"<div class=\"bar\"><span style=\"width:{max(0.0, min(1.0, p)) * 100:.1f}%\"></span></div>"
                   for label, p in pairs)


def _relative(row: dict) -> dict | None:
    """The reading against the writer's usual that the entry's picture was painted with (None without one)."""
    return (row.get("conditioning") or {}).get("scores", {}).get("baseline")


def _compared(row: dict) -> str:
    """How the picture's entry compares with the writer's usual, in words."""
    from visualizer.affect.baseline import describe

    return describe(_relative(row))


def _entry_page(item: _Item, previous: _Item | None, following: _Item | None, redact: bool) -> str:
    row, state = item.row, item.state
    heading = item.label if redact or not row.get("title") else f"{item.label} · {row['title']}"
    parts = [f"<h1{lang_attribute(heading)}>{esc(heading)}</h1>"]
    if not redact and row.get("author"):
        parts.append(f"<p class=\"muted\"{lang_attribute(row['author'])}>by {esc(row['author'])}</p>")
    if state is not None and state.crisis:
        parts.append(_help_panel(state.language))
    shown = item.animation or item.image
    if shown:
        parts.append(f"<img class=\"hero\" src=\"../{esc(shown.as_posix())}\" alt=\"picture for {esc(item.label)}\">")
        compared = _compared(row)
        if compared:
            parts.append(f"<p class=\"muted\">Compared with your usual: {esc(compared)}</p>")
    else:
        parts.append(f"<p class=\"muted\">No picture ({esc(row['status'])}).</p>")
    if not redact:
        tags = "".join(f"<span class=\"tag\">{esc(t)}</span>" for t in row.get("tags") or [])
        where = f"{row['source']}" + (f", line {row['line']}" if row.get("line") else "")
        parts.append(f"{tags}<blockquote{lang_attribute(row['text'])}>{esc(row['text'])}</blockquote>"
                     f"<p class=\"muted\"{lang_attribute(where)}>from {esc(where)}</p>")
    if state is not None:
        if state.notice:
            parts.append(f"<p class=\"muted notice\">{esc(state.notice)}</p>")
        vad, norm = state.vad, state.vad.normalised()
        reading = [f"<div class=\"panel\"><h3>Strongest feelings</h3>{_bars(state.top_emotions(TOP_EMOTIONS))}</div>",
                   "<div class=\"panel\"><h3>Valence · arousal · dominance</h3><table>"
                   f"<tr><th></th><th>1–5</th><th>−1…1</th></tr>"
                   f"<tr><td>valence</td><td>{vad.valence:.2f}</td><td>{norm.valence:+.2f}</td></tr>"
                   f"<tr><td>arousal</td><td>{vad.arousal:.2f}</td><td>{norm.arousal:+.2f}</td></tr>"
                   f"<tr><td>dominance</td><td>{vad.dominance:.2f}</td><td>{norm.dominance:+.2f}</td></tr></table>"
                   f"<h3>Stress</h3>{_bars([('stress', state.stress)])}"]
        if state.stressors and not redact:
            about = ", ".join(f"<span{lang_attribute(s)}>{esc(s)}</span>" for s in state.stressors)
            reading.append(f"<p>about: {about}</p>")
        reading.append("</div>")
        parts.append("<div class=\"row\">" + "".join(reading) + "</div>")
        if state.desires:
            if redact:
                desires = "".join(f"<li>a desire, intensity {d.intensity:.0%}</li>" for d in state.desires)
            else:
                desires = "".join(f"<li><span{lang_attribute(d.text)}>{esc(d.text)}</span> <span class=\"muted\">"
                                  f"intensity {d.intensity:.0%}</span></li>" for d in state.desires)
            parts.append(f"<div class=\"panel\"><h3>Desires</h3><ul>{desires}</ul></div>")
        aversions = state.aversions
        if aversions and not redact:
            pushed = "".join(f"<li{lang_attribute(a.text)}>{esc(a.text)}</li>" for a in aversions)
            parts.append(f"<div class=\"panel\"><h3>Pushed away</h3><ul>{pushed}</ul></div>")
        if len(state.sentences) > 1:
            rows = "".join(
                f"<tr><td>{i + 1}</td>{'' if redact else f'<td{lang_attribute(s.text)}>{esc(s.text)}</td>'}"
                f"<td>{esc(max(s.emotions, key=s.emotions.get))}</td><td>{s.vad.normalised().valence:+.2f}</td>"
                f"<td>{s.stress:.0%}</td></tr>" for i, s in enumerate(state.sentences))
            head = "<tr><th>#</th>" + ("" if redact else "<th>sentence</th>") + \
                   "<th>feeling</th><th>valence</th><th>stress</th></tr>"
            parts.append(f"<div class=\"panel\"><h3>The arc, sentence by sentence</h3><table>{head}{rows}</table></div>")
    explanation = _explanation(row, state, redact)
    if explanation:
        rows = "".join(f"<tr><td>{esc(e.get('score', ''))}</td><td>{esc(e.get('value', ''))}</td>"
                       f"<td>{esc(e.get('effect', ''))}</td></tr>" for e in explanation)
        made = f"<tr><th>score</th><th>value</th><th>effect</th></tr>{rows}"
        parts.append(f"<div class=\"panel\"><h3>Why it looks like this</h3><table>{made}</table></div>")
    conditioning = row.get("conditioning") or {}
    if conditioning and not redact:
        parts.append(f"<div class=\"panel\"><h3>Prompt</h3><p>{esc(conditioning.get('prompt', ''))}</p>"
                     f"<p class=\"muted\">style {esc(conditioning.get('style', ''))} · seed "
                     f"{esc(conditioning.get('seed', ''))} · backend {esc(row.get('backend') or '')}</p></div>")
    nav = [f"<a href=\"{esc(p.stem)}.html\">← {esc(p.label)}</a>" if p else "<span></span>"
           for p in (previous,)] + [f"<a href=\"{esc(f.stem)}.html\">{esc(f.label)} →</a>" if f else "<span></span>"
                                     for f in (following,)]
    parts.append(f"<nav>{''.join(nav)}</nav>")
    return _page(f"{item.label} — Desire Visualizer", "".join(parts), depth=1)


def _index_page(items: list[_Item], thumbs: dict[str, Path], timeline: Path | None, sheet: Path | None,
                film: Path | None, redact: bool) -> str:
    rendered = sum(1 for i in items if i.image)
    dates = [i.date for i in items if i.date]
    span = f"{min(dates).isoformat()} – {max(dates).isoformat()}" if dates else ""
    parts = [f"<h1>Journal gallery</h1><p class=\"muted\">{len(items)} entries, {rendered} pictures"
             + (f" · {esc(span)}" if span else "")
             + (" · diary text left out" if redact else "") + "</p>"]
    if timeline:
        parts.append(f"<img class=\"wide\" src=\"{esc(timeline.as_posix())}\" alt=\"mood timeline\">")
    if sheet:
        parts.append(f"<p><a href=\"{esc(sheet.as_posix())}\">Contact sheet (all pictures on one page)</a></p>")
    cards = []
    for item in items:
        thumb = thumbs.get(item.stem)
        picture = (f"<img src=\"{esc(thumb.as_posix())}\" alt=\"{esc(item.label)}\" loading=\"lazy\">" if thumb
                   else "<div class=\"blank\"></div>")
        feeling = item.state.dominant_emotion if item.state is not None else item.row["status"]
        title = ("" if redact or not item.row.get("title")
                 else f"<br><span{lang_attribute(item.row['title'])}>{esc(item.row['title'])}</span>")
        cards.append(f"<a class=\"card\" href=\"entries/{esc(item.stem)}.html\">{picture}<div class=\"meta\">"
                     f"{esc(item.label)} · {esc(feeling)}{title}</div></a>")
    parts.append(f"<div class=\"grid\">{''.join(cards)}</div>")
    if film:
        parts.append(f"<h2>Mood film</h2><img class=\"hero film\" src=\"{esc(film.as_posix())}\" alt=\"mood film\">")
    return _page("Journal gallery — Desire Visualizer", "".join(parts))


def _copy_clean(source: Path, target: Path, redact: bool) -> None:
    """Copy an image; when redacting, re-encode from pixels so no text chunk or comment is carried over."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not redact:
        shutil.copyfile(source, target)
        return
    with Image.open(source) as image:
        frames, durations = [], []
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            frames.append(image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").copy())
            durations.append(image.info.get("duration", 100))
        loop = image.info.get("loop", 0)
    for frame in frames:
        frame.info = {}
    if len(frames) > 1:
        frames[0].save(target, format="GIF" if target.suffix == ".gif" else "WEBP", save_all=True,
                       append_images=frames[1:], duration=durations, loop=loop)
    else:
        frames[0].save(target, format="PNG")


def _thumbnail(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as image:
        thumb = image.convert("RGB")
    thumb.thumbnail((THUMB, THUMB))
    thumb.info = {}
    thumb.save(target, format="JPEG", quality=85)


def _items(out_dir: Path) -> tuple[list[_Item], Path | None]:
    """The entries in date order (undated last) and the mood film's GIF, if one was rendered."""
    with Store(out_dir, readonly=True) as store:
        rows = store.entries()
        film = next((out_dir / f for f in store.get_meta("film", []) if f.endswith(".gif")), None)
    items = []
    for row in rows:
        state = InnerState.from_dict(row["state"]) if row.get("state") else None
        files = [out_dir / f for f in row.get("files") or []] if row["status"] == "rendered" else []
        image = next((f for f in files if f.suffix == ".png" and f.is_file()), None)
        animation = next((f for f in files if f.suffix == ".gif" and f.is_file()), None)
        items.append(_Item(row, stem(row["key"], row["date"]), state, image, animation))
    items.sort(key=lambda i: (i.date is None, i.date or dt.date.min, i.row["position"]))
    return items, film if film and film.is_file() else None


def _build(out_dir: Path, build: Path, redact: bool) -> None:
    items, film = _items(out_dir)
    if not items:
        raise UserError(f"{out_dir}: the store holds no entries yet — run `visualizer render` first")
    thumbs: dict[str, Path] = {}
    for item in items:
        if item.image:
            thumbs[item.stem] = Path("thumbs") / f"{item.stem}.jpg"
            _thumbnail(item.image, build / thumbs[item.stem])
            copied = Path("images") / f"{item.stem}.png"
            _copy_clean(item.image, build / copied, redact)
            item.image = copied
        if item.animation:
            copied = Path("animations") / f"{item.stem}.gif"
            _copy_clean(item.animation, build / copied, redact)
            item.animation = copied
    shown = [i for i in items if i.state is not None]
    timeline = mood_timeline([(i.date, i.state) for i in shown], build / "timeline.png",
                             relative=[(_relative(i.row) or {}).get("valence") for i in shown])
    sheet = contact_sheet([(i.label, build / thumbs[i.stem]) for i in items if i.stem in thumbs],
                          build / "contact_sheet.png")
    if film:
        _copy_clean(film, build / "mood_film.gif", redact)
        film = Path("mood_film.gif")
    (build / "entries").mkdir(exist_ok=True)
    for index, item in enumerate(items):
        previous = items[index - 1] if index else None
        following = items[index + 1] if index + 1 < len(items) else None
        (build / "entries" / f"{item.stem}.html").write_text(_entry_page(item, previous, following, redact),
                                                              encoding="utf-8")
    (build / "index.html").write_text(
        _index_page(items, thumbs, timeline and timeline.relative_to(build), sheet and sheet.relative_to(build),
                    film, redact), encoding="utf-8")
    (build / MARKER).write_text("redacted\n" if redact else "full\n", encoding="utf-8")


def _replace_site(build: Path, site_dir: Path) -> None:
    """Swap the new site in; an existing folder is replaced only if it is an earlier export (has the marker)."""
    if site_dir.exists():
        if not site_dir.is_dir() or (any(site_dir.iterdir()) and not (site_dir / MARKER).is_file()):
            raise UserError(f"{site_dir} exists and is not a gallery export; pick another --out (nothing was changed)")
        shutil.rmtree(site_dir)
    os.replace(build, site_dir)


def _zip(site_dir: Path) -> Path:
    archive = site_dir.with_name(f"{site_dir.name}.zip")
    temp = archive.with_name(f".{archive.name}.tmp")
    with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(site_dir.rglob("*")):
            if path.is_file():
                bundle.write(path, Path(site_dir.name) / path.relative_to(site_dir))
    os.replace(temp, archive)
    return archive


def export_site(out_dir: str | Path, site_dir: str | Path, redact: bool = False, zip: bool = False) -> Path:
    """Write the gallery of `out_dir` into `site_dir`; returns the site folder, or the zip when `zip`.

    Built in a temporary sibling folder and swapped in at the end, so a failed export never leaves a
    half-written site, and a redacted export never keeps pages of an earlier full one.
    """
    out_dir, site_dir = Path(out_dir), Path(site_dir)
    if site_dir.resolve() == out_dir.resolve() or out_dir.resolve() in site_dir.resolve().parents:
        raise UserError(f"--out {site_dir} must be outside the render folder {out_dir}")
    build = site_dir.with_name(f".{site_dir.name}.building")
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        if build.exists():
            shutil.rmtree(build)
        build.mkdir()
        _build(out_dir, build, redact)
        _replace_site(build, site_dir)
        return _zip(site_dir) if zip else site_dir
    except OSError as error:
        raise disk_error(error, site_dir.parent) or UserError(f"cannot write the gallery to {site_dir}: {error}") \
            from None
    finally:
        if build.exists():
            shutil.rmtree(build, ignore_errors=True)
