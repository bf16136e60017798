"""Static gallery export: one folder of plain HTML, CSS inlined, images beside it, zipped on request.

Self-contained so it can be opened from `file://`, mailed as a zip or put on any static host: no CDN,
no script, relative links only. The pages are Jinja2 templates (`templates/`) rendered with autoescape, so every
piece of user text is escaped unless a template says otherwise (only our own help text and attributes do); file
names come from the entry's date and key, never from its text.

`redact=True` is for sharing the pictures without the diary: the text, titles, authors, source file
names, desire and stressor words, sentence texts, the prompt and the explanation lines and reflection sentences
that quote any of them are left out, and images are re-encoded from pixels so no PNG/GIF metadata (which holds the
prompt and the reading) survives (`pictures.copy_clean`).

Chinese entries: pages are UTF-8 (declared in `<meta charset>` and written so), and every piece of the writer's
text that holds Han characters carries `lang="zh"`, so the browser picks a CJK font (the font stack names the
common ones; none is shipped or downloaded). An entry's help panel is in its language (`help_languages`)
and its reading path's notice (how far a reading not in English was validated) is shown beside the scores, also
when redacting: it quotes no diary text.

A long journal: the store's records stream in date order and each entry's page is written as its record passes
(`_SiteWriter`); what stays in memory is a few short facts per entry. The index is paged (CARDS_PER_PAGE cards a
page) and so are the contact sheets (`plots.ContactSheets`).

The site is built in a temporary folder and put in place only when complete (`visualizer.gallery.place`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from visualizer.errors import UserError
from visualizer.gallery import place
from visualizer.gallery.display import GENTLE_NOTE, SCALES, gentle_explanation, paragraphs, readable_rows
from visualizer.gallery.pages import index_name
from visualizer.gallery.pages import templates as _templates
from visualizer.gallery.pictures import copy_clean, thumbnail
from visualizer.gallery.plots import ContactSheets, MoodSeries, mood_timeline
from visualizer.gallery.record import Record
from visualizer.gallery.store import Store, stem
from visualizer.safety.help import help_languages, help_message
from visualizer.text.scripts import has_han

CARDS_PER_PAGE = 500  # entries on one index page: a grid of 20,000 lazy images is more than a browser wants
SITE_PICTURE_NOTE = "This entry sounded very heavy, so its picture was painted in a calm, light style."


@dataclass(slots=True)
class _Card:
    """What the index and a neighbour's links need of one entry: a few short strings, never its text (nor its title
    when redacting), so the cards of a 20,000-entry journal take a few MB."""

    stem: str
    label: str  # the date, or "undated"
    feeling: str  # the dominant emotion, the status of an entry with no reading, or "" (signs of crisis)
    title: str | None
    thumb: str | None  # site-relative path of its thumbnail


def _private_words(record: Record) -> list[str]:
    """Strings taken from the diary that may appear in scores or explanations."""
    words = [record.title, record.author, *record.conditioning.get("subjects", [])]
    if record.state is not None:
        words += [d.text for d in [*record.state.desires, *record.state.aversions]] + list(record.state.stressors)
    return [w.lower() for w in words if isinstance(w, str) and (len(w.strip()) >= 2 or has_han(w))]


def _explanation(record: Record, redact: bool) -> list[tuple[str, str, str]]:
    """The picture's explanation in readable words, as every face shows it (`display`: for an entry with signs of
    crisis no line that names a feeling or means); when redacting, without the lines that quote the writer's words."""
    items = gentle_explanation(record.explanation)
    if redact:
        private = _private_words(record)
        items = [item for item in items if item.get("score") not in ("desire", "imagery")
                 and not any(word in f"{item.get('value')} {item.get('effect')}".lower() for word in private)]
    return readable_rows(items)


def _plain(record: Record, redact: bool) -> str:
    """How the words became the picture, in plain words (`mapping.plain`, as the UI says it); when redacting, only its
    sentences that quote none of the writer's words."""
    from visualizer.mapping import Conditioning
    from visualizer.mapping.plain import plain_explanation

    if not record.explanation:
        return ""
    try:
        painted = Conditioning.from_dict(record.conditioning)
    except TypeError:  # a conditioning stored without all its fields (hand-made, or from an early version)
        return ""
    text = plain_explanation(painted)
    if not redact:
        return text
    private = _private_words(record)
    return " ".join(sentence for sentence in re.split(r"(?<=[.!?])\s+", text)
                    if not any(word in sentence.lower() for word in private))


def _reflection(record: Record, redact: bool) -> str:
    """The entry's reflection; when redacting, only its sentences that quote none of the writer's words."""
    from visualizer.reflection import redacted

    if not record.reflection:
        return ""
    return redacted(record.reflection) if redact else record.reflection["text"]


def _help(language: str) -> dict[str, str]:
    """Where to find help, in the entry's language (or the nearest one there is help in), as the panel shows it; the
    body is our own Markdown, rendered to HTML and marked safe."""
    from markdown_it import MarkdownIt
    from markupsafe import Markup

    shown = help_languages([language])[0]
    message = help_message(shown)
    return {"language": shown, "title": message.title, "body": Markup(MarkdownIt().render(message.body)),
            "picture_note": SITE_PICTURE_NOTE}


def _entry_page(record: Record, card: _Card, shown: str | None, neighbours: tuple[_Card | None, _Card | None],
                index: str, redact: bool) -> str:
    """The page of one entry: `shown` is the site path of its picture (or animation), `neighbours` the cards of
    the entries before and after it, `index` the index page that holds its card."""
    crisis = record.state is not None and record.state.crisis
    previous, following = neighbours
    return _templates().get_template("entry.html").render(
        record=record, card=card, shown=shown, index=index, previous=previous, following=following, redact=redact,
        explanation=_explanation(record, redact), reflection=_reflection(record, redact), plain=_plain(record, redact),
        paragraphs=paragraphs(record.text), scales=SCALES, crisis=crisis, gentle_note=GENTLE_NOTE,
        help=_help(record.state.language) if crisis else None)


class _SiteWriter:
    """Writes the site into `build` while the store's records stream past in date order.

    Of each entry only its `_Card` and the timeline's numbers stay; its pictures are copied and its page written as
    its record passes. A page's "next" link needs the following entry, so each page waits for one record: one whole
    record (and its reading) is held at a time, whatever the journal's length.
    """

    def __init__(self, out_dir: Path, build: Path, redact: bool) -> None:
        self.out_dir, self.build, self.redact = out_dir.resolve(), build, redact
        self.cards: list[_Card] = []
        self.mood = MoodSeries()
        self.sheets = ContactSheets(build)
        self.pictures = 0
        self.span: tuple[str, str] | None = None  # the first and the last date
        self._waiting: tuple[Record, str | None] | None = None  # the record and the picture its page shows
        (build / "entries").mkdir()  # the others when a picture needs them: an empty folder is in no file list

    def add(self, record: Record) -> None:
        day = record.date.isoformat() if record.date else None
        heavy = record.state is not None and record.state.crisis  # no feeling named for it, not even on its card
        card = _Card(stem(record.key, day), day or "undated", "" if heavy else record.dominant or record.status,
                     None if self.redact else record.title, None)
        shown, card.thumb = self._copy_pictures(record, card)
        if record.state is not None:
            self.mood.add(record.date, record.state)
        if day:
            self.span = (min(self.span[0], day), max(self.span[1], day)) if self.span else (day, day)
        self._write_waiting(following=card)
        self.cards.append(card)
        self._waiting = (record, shown)

    def finish(self, film_files: list[str], portrait: str | None = None) -> None:
        """Write the last page, the timeline, the contact sheets, the mood film (from the store's `film` meta) and
        the index (linking the `portrait` page, when there is one)."""
        self._write_waiting(following=None)
        timeline = mood_timeline(self.mood, self.build / "timeline.png")
        sheets = [path.name for path in self.sheets.close()]
        film = next(filter(None, (self._source(self.out_dir / name) for name in film_files if name.endswith(".gif"))),
                    None)
        if film:
            copy_clean(film, self.build / "mood_film.gif", self.redact)
        pages = max(1, -(-len(self.cards) // CARDS_PER_PAGE))
        index = _templates().get_template("index.html")
        for page in range(1, pages + 1):
            (self.build / index_name(page)).write_text(index.render(
                page=page, pages=pages, cards=self.cards[(page - 1) * CARDS_PER_PAGE:page * CARDS_PER_PAGE],
                entries=len(self.cards), pictures=self.pictures, span=self.span, redact=self.redact,
                timeline=timeline, sheets=sheets, film=film, portrait=portrait), encoding="utf-8")

    def _write_waiting(self, following: _Card | None) -> None:
        """Write the page of the entry before `following` (the last one added), now that its neighbours are known."""
        if self._waiting is None:
            return
        record, shown = self._waiting
        position = len(self.cards) - 1
        card, previous = self.cards[position], self.cards[position - 1] if position else None
        page = _entry_page(record, card, shown, (previous, following), index_name(position // CARDS_PER_PAGE + 1),
                           self.redact)
        (self.build / "entries" / f"{card.stem}.html").write_text(page, encoding="utf-8")
        self._waiting = None

    def _copy_pictures(self, record: Record, card: _Card) -> tuple[str | None, str | None]:
        """Copy the entry's picture and animation into the site and make its thumbnail (put on the contact sheet
        too); returns the site paths of what its page shows and of the thumbnail."""
        image, animation = self._source(record.picture), self._source(record.animation)
        shown = thumb = None
        if image:
            thumb, shown = f"thumbs/{card.stem}.jpg", f"images/{card.stem}.png"
            self.sheets.add(card.label, thumbnail(image, self.build / thumb))
            copy_clean(image, self.build / shown, self.redact)
            self.pictures += 1
        if animation:
            shown = f"animations/{card.stem}{animation.suffix}"
            copy_clean(animation, self.build / shown, self.redact)
        return shown, thumb

    def _source(self, path: Path | None) -> Path | None:
        """A file of the render folder: a regular file whose real path stays inside it (a link out is skipped)."""
        return path if path is not None and path.is_file() and path.resolve().is_relative_to(self.out_dir) else None


def _build(store: Store, build: Path, redact: bool) -> list[str]:
    """Write the whole site into the empty folder `build`, then the marker listing every file in it; returns that
    list (relative POSIX paths, sorted)."""
    writer = _SiteWriter(store.out_dir, build, redact)
    for record in store.records(by_date=True):
        writer.add(record)
    writer.finish(store.get_meta("film", []), _portrait(store, build, redact))
    return place.write_marker(build, redact)


def _portrait(store: Store, build: Path, redact: bool) -> str | None:
    """The portrait of the weeks (`visualizer.portrait`) in the site's `portrait/` folder when an entry is painted;
    the site path of its page."""
    from visualizer import portrait

    if not store.counts()["rendered"]:
        return None
    (build / "portrait").mkdir()
    portrait.build(portrait.gather(store.out_dir), build / "portrait", redact, back=f"../{index_name(1)}")
    return "portrait/index.html"


def export_site(out_dir: str | Path, site_dir: str | Path, redact: bool = False, zip: bool = False) -> Path:
    """Write the gallery of `out_dir` into `site_dir`; returns the site folder, or the zip when `zip`.

    The site and the zip are built in a temporary folder of ours beside `site_dir` and moved into place only when
    both are complete, so a failed export leaves no partial file behind and the previous site as it was; a redacted
    export never keeps pages of an earlier full one.
    """
    out_dir, site_dir = place.checked_paths(out_dir, site_dir)
    archive = site_dir.with_name(f"{site_dir.name}.zip") if zip else None
    with Store(out_dir, readonly=True) as store:
        if not sum(store.counts().values()):
            raise UserError(f"{out_dir}: the store holds no entries yet — run `visualizer render` first")
        place.publish(site_dir, archive, lambda build: _build(store, build, redact), "gallery")
    return archive or site_dir
