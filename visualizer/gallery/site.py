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

A long journal: the store's rows stream in date order and each entry's page is written as its row passes
(`_SiteWriter`); what stays in memory is a few short facts per entry. The index is paged (CARDS_PER_PAGE cards a
page) and so are the contact sheets (`plots.ContactSheets`).

Only our own files: the site (and its zip) is built in one temporary folder of ours (`visualizer.tempfiles`) beside
`--out`; only once both are complete is the new site swapped in and the zip moved into place, so a failed export
leaves no partial file and the previous site as it was. An existing `--out` is replaced only when it is an earlier
export whose marker file (`MARKER`) lists every file in it: a file of the user's in it stops the export. Two exports
to one `--out` are kept apart by an OS lock on a file beside it (`EXPORT_LOCK`).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath

from PIL import Image

from visualizer.safety.help import help_languages, help_message
from visualizer.text.scripts import has_han
from visualizer.affect.state import InnerState
from visualizer.errors import UserError
from visualizer.gallery.lock import file_lock
from visualizer.gallery.plots import ContactSheets, MoodSeries, mood_timeline
from visualizer.gallery.store import Store, disk_error, stem
from visualizer.tempfiles import temporary_folder, temporary_name

MARKER = ".visualizer-site"  # JSON: who wrote the site and the list of every file it wrote
MADE_BY = "Desire Visualizer gallery export"
EXPORT_LOCK = ".visualizer-export-lock"  # `.SITE.visualizer-export-lock` beside the site; kept, like every lock file
THUMB = 320
TOP_EMOTIONS = 5
CARDS_PER_PAGE = 500  # entries on one index page: a grid of 20,000 lazy images is more than a browser wants
ALREADY_COMPRESSED = (".png", ".jpg", ".gif")  # stored in the zip as they are: deflating them again saves nothing
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
nav.pager{justify-content:center;flex-wrap:wrap;gap:4px 12px;margin:16px 0}
"""


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def lang_attribute(text: str) -> str:
    """` lang="zh"` for text holding Han characters (so the browser shows it in a Chinese font), else nothing."""
    return ' lang="zh"' if has_han(text) else ""


@dataclass(slots=True)
class _Card:
    """What the index and a neighbour's links need of one entry: a few short strings, never its text (nor its title
    when redacting), so the cards of a 20,000-entry journal take a few MB."""

    stem: str
    label: str  # the date, or "undated"
    feeling: str  # the dominant emotion, or the status of an entry with no reading
    title: str | None
    thumb: str | None  # site-relative path of its thumbnail


def index_name(page: int) -> str:
    """index.html, index_2.html, …: the first page keeps the name a site opens with."""
    return "index.html" if page == 1 else f"index_{page}.html"


def _page(title: str, body: str, back: str | None = None) -> str:
    """A whole HTML page; `back` is the href of the index page to link back to (entry pages)."""
    back_link = f"<a href=\"{esc(back)}\">← Gallery</a>" if back else ""
    return (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{esc(title)}</title>"
            f"<style>{CSS}</style></head><body><header>{back_link}</header><main>{body}</main>"
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
    items = row.get("explanation") or []
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


def _entry_page(row: dict, state: InnerState | None, card: _Card, shown: str | None, neighbours: tuple[_Card | None,
                _Card | None], index: str, redact: bool) -> str:
    """The page of one entry: `shown` is the site path of its picture (or animation), `neighbours` the cards of
    the entries before and after it, `index` the index page that holds its card."""
    heading = card.label if redact or not row.get("title") else f"{card.label} · {row['title']}"
    parts = [f"<h1{lang_attribute(heading)}>{esc(heading)}</h1>"]
    if not redact and row.get("author"):
        parts.append(f"<p class=\"muted\"{lang_attribute(row['author'])}>by {esc(row['author'])}</p>")
    if state is not None and state.crisis:
        parts.append(_help_panel(state.language))
    if shown:
        parts.append(f"<img class=\"hero\" src=\"../{esc(shown)}\" alt=\"picture for {esc(card.label)}\">")
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
    previous, following = neighbours
    nav = (f"<a href=\"{esc(previous.stem)}.html\">← {esc(previous.label)}</a>" if previous else "<span></span>",
           f"<a href=\"{esc(following.stem)}.html\">{esc(following.label)} →</a>" if following else "<span></span>")
    parts.append(f"<nav>{''.join(nav)}</nav>")
    return _page(f"{card.label} — Desire Visualizer", "".join(parts), back=f"../{index}")


def _card_html(card: _Card) -> str:
    picture = (f"<img src=\"{esc(card.thumb)}\" alt=\"{esc(card.label)}\" loading=\"lazy\">" if card.thumb
               else "<div class=\"blank\"></div>")
    title = f"<br><span{lang_attribute(card.title)}>{esc(card.title)}</span>" if card.title else ""
    return (f"<a class=\"card\" href=\"entries/{esc(card.stem)}.html\">{picture}<div class=\"meta\">"
            f"{esc(card.label)} · {esc(card.feeling)}{title}</div></a>")


def _index_page(cards: list[_Card], page: int, pages: int, summary: str, top: str, bottom: str) -> str:
    """One page of the index: the summary line, `top` and `bottom` (timeline, contact sheets, film: on the first page
    only) around its cards, and links to every page when there are several."""
    heading = "Journal gallery" + (f" · page {page} of {pages}" if pages > 1 else "")
    pager = "" if pages == 1 else "<nav class=\"pager\">" + "".join(
        f"<strong>{number}</strong>" if number == page else f"<a href=\"{index_name(number)}\">{number}</a>"
        for number in range(1, pages + 1)) + "</nav>"
    body = (f"<h1>{heading}</h1><p class=\"muted\">{summary}</p>{top}{pager}"
            f"<div class=\"grid\">{''.join(map(_card_html, cards))}</div>{pager}{bottom}")
    return _page("Journal gallery — Desire Visualizer", body)


def _sheet_links(sheets: list[str]) -> str:
    if len(sheets) == 1:
        return f"<p><a href=\"{esc(sheets[0])}\">Contact sheet (all pictures on one page)</a></p>"
    links = " · ".join(f"<a href=\"{esc(name)}\">{number}</a>" for number, name in enumerate(sheets, 1))
    return f"<p>Contact sheets: {links}</p>" if sheets else ""


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


def _thumbnail(source: Path, target: Path) -> Image.Image:
    """Write the index card's JPEG thumbnail; returns it, for the contact sheet."""
    target.parent.mkdir(exist_ok=True)
    with Image.open(source) as image:
        thumb = image.convert("RGB")
    thumb.thumbnail((THUMB, THUMB))
    thumb.info = {}
    thumb.save(target, format="JPEG", quality=85)
    return thumb


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:  # a store edited by hand: the entry is shown, as undated on the timeline
        return None


class _SiteWriter:
    """Writes the site into `build` while the store's rows stream past in date order.

    Of each entry only its `_Card` and the timeline's numbers stay; its pictures are copied and its page written as
    its row passes. A page's "next" link needs the following entry, so each page waits for one row: one full row
    (and its reading) is held at a time, whatever the journal's length.
    """

    def __init__(self, out_dir: Path, build: Path, redact: bool) -> None:
        self.out_dir, self.build, self.redact = out_dir.resolve(), build, redact
        self.cards: list[_Card] = []
        self.mood = MoodSeries()
        self.sheets = ContactSheets(build)
        self.pictures = 0
        self.span: tuple[str, str] | None = None  # the first and the last date
        self._waiting: tuple[dict, InnerState | None, str | None] | None = None  # row, reading, picture shown
        (build / "entries").mkdir()  # the others when a picture needs them: an empty folder is in no file list

    def add(self, row: dict) -> None:
        state = InnerState.from_dict(row["state"]) if row.get("state") else None
        card = _Card(stem(row["key"], row["date"]), row["date"] or "undated",
                     state.dominant_emotion if state is not None else row["status"],
                     None if self.redact else row.get("title"), None)
        shown, card.thumb = self._copy_pictures(row, card)
        if state is not None:
            self.mood.add(_date(row["date"]), state, (_relative(row) or {}).get("valence"))
        if row["date"]:
            self.span = (min(self.span[0], row["date"]), max(self.span[1], row["date"])) if self.span \
                else (row["date"], row["date"])
        self._write_waiting(following=card)
        self.cards.append(card)
        self._waiting = (row, state, shown)

    def finish(self, film_files: list[str]) -> None:
        """Write the last page, the timeline, the contact sheets, the mood film (from the store's `film` meta) and
        the index."""
        self._write_waiting(following=None)
        timeline = mood_timeline(self.mood, self.build / "timeline.png")
        sheets = [path.name for path in self.sheets.close()]
        film = next(filter(None, (self._source(name) for name in film_files if name.endswith(".gif"))), None)
        if film:
            _copy_clean(film, self.build / "mood_film.gif", self.redact)
        span = f" · {self.span[0]} – {self.span[1]}" if self.span else ""
        summary = (f"{len(self.cards)} entries, {self.pictures} pictures{esc(span)}"
                   + (" · diary text left out" if self.redact else ""))
        top = ("<img class=\"wide\" src=\"timeline.png\" alt=\"mood timeline\">" if timeline else "") \
            + _sheet_links(sheets)
        bottom = "<h2>Mood film</h2><img class=\"hero film\" src=\"mood_film.gif\" alt=\"mood film\">" if film else ""
        pages = max(1, -(-len(self.cards) // CARDS_PER_PAGE))
        for page in range(1, pages + 1):
            cards = self.cards[(page - 1) * CARDS_PER_PAGE:page * CARDS_PER_PAGE]
            first = page == 1
            (self.build / index_name(page)).write_text(
                _index_page(cards, page, pages, summary, top if first else "", bottom if first else ""),
                encoding="utf-8")

    def _write_waiting(self, following: _Card | None) -> None:
        """Write the page of the entry before `following` (the last one added), now that its neighbours are known."""
        if self._waiting is None:
            return
        row, state, shown = self._waiting
        position = len(self.cards) - 1
        card, previous = self.cards[position], self.cards[position - 1] if position else None
        page = _entry_page(row, state, card, shown, (previous, following), index_name(position // CARDS_PER_PAGE + 1),
                           self.redact)
        (self.build / "entries" / f"{card.stem}.html").write_text(page, encoding="utf-8")
        self._waiting = None

    def _copy_pictures(self, row: dict, card: _Card) -> tuple[str | None, str | None]:
        """Copy the entry's picture and animation into the site and make its thumbnail (put on the contact sheet
        too); returns the site paths of what its page shows and of the thumbnail."""
        found = [self._source(name) for name in row.get("files") or []] if row["status"] == "rendered" else []
        image = next((f for f in found if f and f.suffix == ".png"), None)
        animation = next((f for f in found if f and f.suffix == ".gif"), None)
        shown = thumb = None
        if image:
            thumb, shown = f"thumbs/{card.stem}.jpg", f"images/{card.stem}.png"
            self.sheets.add(card.label, _thumbnail(image, self.build / thumb))
            _copy_clean(image, self.build / shown, self.redact)
            self.pictures += 1
        if animation:
            shown = f"animations/{card.stem}.gif"
            _copy_clean(animation, self.build / shown, self.redact)
        return shown, thumb

    def _source(self, name: str) -> Path | None:
        """A file of the render folder: a regular file whose real path stays inside it (a link out is skipped)."""
        path = self.out_dir / name
        return path if path.is_file() and path.resolve().is_relative_to(self.out_dir) else None


def _build(store: Store, build: Path, redact: bool) -> list[str]:
    """Write the whole site into the empty folder `build`, then the marker listing every file in it; returns that
    list (relative POSIX paths, sorted)."""
    writer = _SiteWriter(store.out_dir, build, redact)
    for row in store.iter_entries(by_date=True):
        writer.add(row)
    writer.finish(store.get_meta("film", []))
    files = sorted(PurePath(os.path.relpath(os.path.join(folder, name), build)).as_posix()  # a third of rglob's memory
                   for folder, _, names in os.walk(build) for name in names)
    (build / MARKER).write_text(json.dumps({"made_by": MADE_BY, "redacted": redact, "files": files}, indent=0),
                                encoding="utf-8")
    return files


def _zip(site: Path, files: list[str], target: Path) -> Path:
    """Pack the finished site (its `files` and marker) into `target`, under the site's folder name."""
    with zipfile.ZipFile(target, "w") as bundle:
        for name in [*files, MARKER]:
            bundle.write(site / name, f"{site.name}/{name}",
                         zipfile.ZIP_STORED if name.endswith(ALREADY_COMPRESSED) else zipfile.ZIP_DEFLATED)
    return target


# -- putting the site in place: only our own files are ever replaced ------------------------------------------------
def _checked_paths(out_dir: str | Path, site_dir: str | Path) -> tuple[Path, Path]:
    """The render folder and the site folder, absolute; a UserError for a pair that cannot be exported."""
    if not str(site_dir).strip():
        raise UserError("--out is empty: name a folder for the site, e.g. --out gallery-site")
    if not str(out_dir).strip():
        raise UserError("the render folder is empty: name the folder `visualizer render --out` wrote")
    source, site = Path(os.path.abspath(out_dir)), Path(os.path.abspath(site_dir))
    if site == site.parent:
        raise UserError(f"--out {site_dir} is the root of the file system; name a new folder for the site")
    here = Path.cwd()
    if site == here or site in here.parents:
        raise UserError(f"--out {site_dir} is the folder you are in (or one above it); name a new folder for the "
                        f"site, e.g. --out gallery-site")
    if not source.is_dir():
        raise UserError(f"{out_dir}: {'not a folder' if source.exists() else 'no such folder'} — give the folder "
                        f"`visualizer render --out` wrote")
    real_source, real_site = source.resolve(), site.resolve()
    if real_site == real_source:
        raise UserError(f"--out {site_dir} is the render folder itself; write the site beside it")
    if real_source in real_site.parents:
        raise UserError(f"--out {site_dir} is inside the render folder {out_dir}; write the site beside it")
    if real_site in real_source.parents:
        raise UserError(f"--out {site_dir} holds the render folder {out_dir}; write the site beside it")
    return source, site


def _listed_files(site_dir: Path) -> set[str] | None:
    """The files an earlier export wrote into `site_dir`, from its marker; None without a marker of ours."""
    try:
        record = json.loads((site_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = record.get("files") if isinstance(record, dict) and record.get("made_by") == MADE_BY else None
    return {name for name in files if isinstance(name, str)} if isinstance(files, list) else None


def _unlisted(site_dir: Path, listed: set[str]) -> Iterator[str]:
    """What in `site_dir` its marker does not list (relative paths): other files, links, folders holding no listed
    file."""
    files = listed | {MARKER}
    folders = {parent.as_posix() for name in listed for parent in PurePosixPath(name).parents}

    def fail(error: OSError) -> None:
        raise error

    for folder, subfolders, names in os.walk(site_dir, onerror=fail):
        base = Path(folder).relative_to(site_dir)
        for name in subfolders:  # a link to a folder is listed here (and never entered)
            relative, path = (base / name).as_posix(), os.path.join(folder, name)
            if relative not in folders or os.path.islink(path):
                yield relative
        for name in names:
            relative, path = (base / name).as_posix(), os.path.join(folder, name)
            if relative not in files or os.path.islink(path) or not os.path.isfile(path):
                yield relative


def _check_targets(site_dir: Path, archive: Path | None) -> None:
    """Refuse to replace anything but an empty folder or an earlier export whose marker lists all it holds, and a
    zip but a regular file; nothing has been changed when this refuses."""
    if site_dir.is_symlink():
        raise UserError(f"--out {site_dir} is a symbolic link; give the folder it points to, or a new one")
    if site_dir.exists():
        if not site_dir.is_dir():
            raise UserError(f"{site_dir} exists and is not a folder; pick another --out (nothing was changed)")
        if any(site_dir.iterdir()):
            listed = _listed_files(site_dir)
            if listed is None:
                raise UserError(f"{site_dir} exists and is not a gallery export (no {MARKER} listing its files); "
                                f"pick another --out (nothing was changed)")
            unlisted = sorted(_unlisted(site_dir, listed))
            if unlisted:
                more = f" and {len(unlisted) - 1} more" if len(unlisted) > 1 else ""
                raise UserError(f"{site_dir} holds {site_dir / unlisted[0]}{more}, which the earlier export did not "
                                f"write; move it out of the folder or pick another --out (nothing was changed)")
    if archive is not None and (archive.is_symlink() or archive.exists() and not archive.is_file()):
        raise UserError(f"{archive} exists and is not a regular file; move it away or pick another --out "
                        f"(nothing was changed)")


def _export_lock(site_dir: Path):
    """The OS lock of exports to `site_dir` (a file of its own beside it): a second export to the same folder
    stops at once with a clear message."""
    def busy(holder: str | None, waited: float) -> UserError:
        return UserError(f"another export is writing {site_dir}{f' ({holder})' if holder else ''}; wait for it to "
                         f"finish, then run this again")

    return file_lock(site_dir.parent / f".{site_dir.name}{EXPORT_LOCK}", busy)


def _remove_killed_exports(site_dir: Path) -> None:
    """Remove the work folders that exports of `site_dir` killed mid-way left (they may hold diary text).

    Called under the export lock, so no live export of this site owns one. The pattern (our prefix, this site's
    name, then mkdtemp's random letters, which hold no "-") matches no folder of another site (`SITE-2`'s among them).
    """
    own = re.compile(re.escape(temporary_name(site_dir.name)) + r"[^-]+")
    for path in site_dir.parent.iterdir():
        if own.fullmatch(path.name) and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def _swap_in(build: Path, site_dir: Path, packed: Path | None, archive: Path | None) -> None:
    """Move the new site (and zip) into place; the previous site goes into our work folder and is removed with it.
    A move that fails puts back what was moved, so the previous site and zip stay as they were."""
    previous = build.with_name(f"{build.name}.previous")
    replacing = site_dir.exists()
    if replacing:
        os.rename(site_dir, previous)
    try:
        os.rename(build, site_dir)
        try:
            if packed is not None:
                os.replace(packed, archive)
        except OSError:
            os.rename(site_dir, build)
            raise
    except OSError:
        if replacing:
            os.rename(previous, site_dir)
        raise


def export_site(out_dir: str | Path, site_dir: str | Path, redact: bool = False, zip: bool = False) -> Path:
    """Write the gallery of `out_dir` into `site_dir`; returns the site folder, or the zip when `zip`.

    The site and the zip are built in a temporary folder of ours beside `site_dir` and moved into place only when
    both are complete, so a failed export leaves no partial file behind and the previous site as it was; a redacted
    export never keeps pages of an earlier full one.
    """
    out_dir, site_dir = _checked_paths(out_dir, site_dir)
    archive = site_dir.with_name(f"{site_dir.name}.zip") if zip else None
    with Store(out_dir, readonly=True) as store:
        if not sum(store.counts().values()):
            raise UserError(f"{out_dir}: the store holds no entries yet — run `visualizer render` first")
        try:
            _check_targets(site_dir, archive)  # before anything is written, even the lock file
            site_dir.parent.mkdir(parents=True, exist_ok=True)
            with _export_lock(site_dir):
                _remove_killed_exports(site_dir)
                with temporary_folder(site_dir) as work:
                    build = work / site_dir.name
                    build.mkdir()
                    files = _build(store, build, redact)
                    packed = _zip(build, files, work / archive.name) if archive else None
                    _check_targets(site_dir, archive)  # again, under the lock: something may have come meanwhile
                    _swap_in(build, site_dir, packed, archive)
        except OSError as error:
            raise disk_error(error, site_dir.parent) or UserError(f"cannot write the gallery to {site_dir}: "
                                                                  f"{error}") from None
    return archive or site_dir
