"""Signs of crisis in what someone wrote: a wish to die, to self-harm or to hurt someone.

The reading decides this once per sentence, so every face (CLI, Journal, Reflect, film, gallery) gets the
same answer and no face can forget it. A flagged sentence gives no desire, motif or prompt text, and
`is_harmful` keeps a wish to die out of the desires of any other sentence too.

Rules, and the data lives in `data/crisis.toml` where it can be reviewed without reading code:

1. **Normalise.** Lower-case, straighten quotes, turn "..." into a space, collapse whitespace, then respell
   whole words from the language's `spellings` ("dont", "don't" → "do not"; "wanna" → "want to"), so a
   pattern needs one spelling only (`patterns.py`, the engine shared with `harm.py`).
2. **Mask figures of speech.** `figures` ("dying to", "to die for", "killing it", "disappear into a good
   book") are overwritten before matching, so the general patterns below never see them.
3. **Match signs.** `signs` are explicit phrases ("suicidal", "end my life"), a cue followed by a way of
   dying or not existing ("I *wish I could* *go to sleep and never wake up*"), passive phrasing ("everyone
   would be better off without me"), self-harm, and a wish or fear of hurting someone (also in any phrasing
   `harm.py` reads: "fantasising about hurting the people who bullied me", "我想让他们付出代价"). Negations are not
   excluded on purpose ("I don't want to die" flags): a false alarm costs a kindly worded panel and a gentle
   picture, a miss costs more.

A cue from the affect scores (sadness + grief and stress over a line) sat here until the heads were refit: on
our four crisis sets it caught no crisis the sentences missed and flagged 27 of 321 other texts ("my sourdough
starter died"), so it went. The learned probe (`probe.py`) is the second net beside the rules; where to find help is `help.py`.

Sentences are matched one by one and also across each boundary where a sentence does not end in . ! ?
(a line break; "..." normalises to a space), so a phrase the splitter cut in two ("i want to" / "end my
life") still counts; it flags every sentence it touches. No pattern matches across . ! ?, so other
boundaries need no second look. Patterns compile once per language (cached): a sentence costs tens of
microseconds in English and a few hundred in Chinese, whose ~440 patterns have no word edges to prune them.

Languages: `language="auto"` (the default) runs the English rules on every sentence and the Chinese ones
(`[zh]`, folded from Traditional first) wherever a sentence holds Han characters, so a mixed entry is read by
both and no caller can miss a Chinese crisis line by forgetting to name the language. English text gives the
same answers as with `language="en"`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from visualizer.safety.harm import harm_wish, names_harm
from visualizer.safety.patterns import Normaliser, compile_patterns as _compile, rule_sets as _languages

DATA = Path(__file__).with_name("data") / "crisis.toml"
_WINDOW = 120  # characters either side of a sentence boundary searched for a phrase split across it
_CLOSED = re.compile(r"[.!?。！？][\"')\]」』”）]*\Z")  # a sentence that ends in . ! ? (maybe with a closing quote)


@dataclass(frozen=True)
class CrisisSigns:
    """Why text was flagged: the phrases found and the sentences carrying them."""

    phrases: tuple[str, ...] = ()     # matched phrases as normalised, in order of appearance, without repeats
    sentences: tuple[int, ...] = ()   # indexes into the sentence list given, ascending

    @property
    def flagged(self) -> bool:
        return bool(self.phrases)


class _Rules(Normaliser):
    """One language's compiled rules; built once (see `_rules`)."""

    def __init__(self, table: dict) -> None:
        super().__init__(table)
        words = table["words"]
        boundaries = table.get("word_boundaries", True)
        signs = [pattern for group in table["signs"].values() for pattern in group]
        self.signs = _compile(signs, words, boundaries)
        self.objects = _compile(table["objects"]["patterns"] + signs, words, boundaries)

@lru_cache(maxsize=1)
def _data() -> dict:
    with DATA.open("rb") as handle:
        return tomllib.load(handle)


def _language(language: str) -> dict:
    languages = _data()
    if language not in languages:
        raise ValueError(f"no crisis rules for language {language!r} (crisis.toml has: {', '.join(languages)})")
    return languages[language]


@lru_cache(maxsize=8)
def _rules(language: str) -> _Rules:
    return _Rules(_language(language))


def find_signs(sentences: list[str], language: str = "auto") -> CrisisSigns:
    """Crisis phrases in an entry's sentences, and which sentences carry them."""
    found: list[tuple[int, int, str]] = []
    flagged: set[int] = set()
    for name in _languages(language, sentences):
        _find(_rules(name), sentences, found, flagged)
    for i, sentence in enumerate(sentences):  # a wish to hurt someone, in any phrasing harm.toml reads
        wish = harm_wish(sentence, language)
        if wish:
            found.append((i, 0, wish))
            flagged.add(i)
    phrases = tuple(dict.fromkeys(phrase for _, _, phrase in sorted(found)))
    return CrisisSigns(phrases, tuple(sorted(flagged)))


def _find(rules: _Rules, sentences: list[str], found: list[tuple[int, int, str]], flagged: set[int]) -> None:
    """One language's phrases: (sentence, position, phrase) into `found`, flagged sentence indexes into `flagged`."""
    texts = [rules.normalise(s) for s in sentences]
    for i, text in enumerate(texts):
        for match in rules.signs.finditer(rules.mask(text)):
            found.append((i, match.start(), text[match.start():match.end()]))
            flagged.add(i)
    for i in range(len(texts) - 1):
        if _CLOSED.search(texts[i]):
            continue  # no pattern matches across . ! ?
        head, tail = _clip_end(texts[i]), _clip_start(texts[i + 1])
        pair = f"{head} {tail}"
        for match in rules.signs.finditer(rules.mask(pair)):
            if match.start() < len(head) < match.end():  # spans the boundary: not seen sentence by sentence
                found.append((i, len(texts[i]) - len(head) + match.start(), pair[match.start():match.end()]))
                flagged.update((i, i + 1))


def _clip_end(text: str) -> str:
    """The last words of a sentence, at most _WINDOW characters, cut at a space."""
    return text if len(text) <= _WINDOW else text[-_WINDOW:].split(" ", 1)[-1]


def _clip_start(text: str) -> str:
    """The first words of a sentence, at most _WINDOW characters, cut at a space."""
    return text if len(text) <= _WINDOW else text[:_WINDOW].rsplit(" ", 1)[0]


def sentence_has_sign(sentence: str, language: str = "auto") -> bool:
    """Whether one sentence shows a sign of crisis."""
    return any(_rules(name).signs.search(_rules(name).mask(_rules(name).normalise(sentence))) is not None
               for name in _languages(language, [sentence])) or harm_wish(sentence, language) is not None


def has_figure(sentence: str, language: str = "auto") -> bool:
    """Whether a sentence holds a figure of speech the rules mask ("kill some time", "cut myself shaving"): the
    crisis probe, which reads the whole sentence's meaning and scores such figures high, stays silent on it."""
    return any(rules.mask(text) != text for rules, text in
               ((_rules(name), _rules(name).normalise(sentence)) for name in _languages(language, [sentence])))


@lru_cache(maxsize=4096)
def is_harmful(phrase: str, language: str = "auto") -> bool:
    """Whether a desire or aversion object names death, not existing, self-harm or hurting someone.

    "to die", "I was dead", "it all to end", "to kill him" are; "the sea", "to sleep for a week" and
    "to disappear into a good book" are not. A second net behind `find_signs`: the object alone decides.
    Hurting someone in any phrasing `harm.toml` reads ("hurting the people who bullied me", "让他们付出代价") is.
    """
    return any(_rules(name).objects.search(_rules(name).mask(_rules(name).normalise(phrase))) is not None
               for name in _languages(language, [phrase])) or names_harm(phrase, language)
