"""Language of an entry and of its sentences, from Unicode script counts.

The reading has two paths, English and multilingual, chosen by script rather than by fine language, so a
count of characters per script decides: Han characters → "zh" (Simplified and Traditional share them),
Latin letters → "en", kana, Hangul, Cyrillic, Arabic and the rest → "other" (read by the multilingual path
with a notice that it was not validated). No model and no dependency: microseconds per entry, and the rule
is easy to explain. Weibo-style [表情] tags and links are left out of the counts (a "[哈哈]" after an English
line does not make it Chinese). Latin-script languages other than English read as "en": telling French from
English needs words, not scripts. Thresholds live in `data/language.toml`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from visualizer.errors import UserError

DATA = Path(__file__).with_name("data") / "language.toml"
LANGUAGES = ("en", "zh", "other")
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_HAN = re.compile(f"[{HAN}]")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d]")
_LATIN_WORD = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1effＡ-Ｚａ-ｚ]+")
_IGNORED = re.compile(r"\[[^\[\]\s]{1,10}\]|https?://\S+|www\.\S+|@\S+")
_KNOBS = ("kana_share", "han_per_latin_word", "other_share", "mixed_share")


@dataclass(frozen=True)
class ScriptCounts:
    """Characters per script in a text (tags and links left out)."""

    han: int
    kana: int
    latin_words: int
    latin_letters: int
    other_letters: int


@dataclass(frozen=True)
class EntryLanguage:
    """An entry's language, each sentence's, and whether the entry mixes Chinese and English."""

    language: str
    sentences: tuple[str, ...]
    mixed: bool


@lru_cache(maxsize=1)
def _data() -> dict:
    with DATA.open("rb") as handle:
        data = tomllib.load(handle)
    for key in _KNOBS:
        value = data.get("detect", {}).get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise UserError(f"{DATA}: [detect] {key} must be a number, got {value!r}")
    return data


@lru_cache(maxsize=1)
def _traditional() -> dict[int, str]:
    pairs = _data()["traditional"]["chars"].split()
    return {ord(pair[0]): pair[1] for pair in pairs}


def to_simplified(text: str) -> str:
    """Fold the Traditional characters the cue lists read into Simplified, one for one (positions kept)."""
    return text.translate(_traditional())


def count_scripts(text: str) -> ScriptCounts:
    text = _IGNORED.sub(" ", text)
    han = len(_HAN.findall(text))
    kana = len(_KANA.findall(text))
    words = _LATIN_WORD.findall(text)
    latin = sum(map(len, words))
    letters = sum(ch.isalpha() for ch in text)
    return ScriptCounts(han, kana, len(words), latin, max(0, letters - han - latin))


def has_han(text: str) -> bool:
    """Whether the text holds any Han character (the Chinese rules only run then)."""
    return _HAN.search(text) is not None


def _decide(counts: ScriptCounts) -> str:
    knobs = _data()["detect"]
    letters = counts.han + counts.latin_letters + counts.other_letters
    if not letters:
        return "en"  # nothing to read (digits, emoji): today's path
    if counts.kana and counts.kana >= knobs["kana_share"] * (counts.han + counts.kana):
        return "other"
    if counts.other_letters >= knobs["other_share"] * letters:
        return "other"
    if counts.han and counts.han >= knobs["han_per_latin_word"] * counts.latin_words:
        return "zh"
    return "en" if counts.latin_letters else "other"


def detect(text: str) -> str:
    """"en", "zh" or "other" for a text (an entry or one sentence)."""
    return _decide(count_scripts(text))


def is_mixed(text: str) -> bool:
    """Whether Chinese and English both carry a real share of the text."""
    counts = count_scripts(text)
    minority, total = min(counts.han, counts.latin_words), counts.han + counts.latin_words
    return bool(total) and minority >= _data()["detect"]["mixed_share"] * total


def route(text: str) -> str:
    """"en" for the English path (English text that is not mixed), "multilingual" for everything else."""
    return "en" if detect(text) == "en" and not is_mixed(text) else "multilingual"


def notice(text: str) -> str:
    """What the reading path of a text says about how far it was validated (`[notice]`); "" for English."""
    if route(text) == "en":
        return ""
    key = "mixed" if is_mixed(text) else detect(text)
    return _data()["notice"]["zh" if key == "en" else key]


def describe(text: str, sentences: list[str]) -> EntryLanguage:
    """The entry's language, each sentence's (a mixed entry routes sentence by sentence) and the mixed flag."""
    return EntryLanguage(detect(text), tuple(detect(s) for s in sentences),
                         is_mixed(text) or len({detect(s) for s in sentences} - {"other"}) > 1)
