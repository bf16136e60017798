"""Language of an entry and of its sentences, from Unicode script counts.

The reading has two paths, English and multilingual, chosen by script rather than by fine language, so a
count of characters per script decides: Han characters → "zh" (Simplified and Traditional share them),
Latin letters → "en", kana, Hangul, Cyrillic, Arabic and the rest → "other" (read by the multilingual path
with a notice that it was not validated). No model and no dependency: microseconds per entry, and the rule
is easy to explain. Weibo-style [表情] tags and links are left out of the counts (a "[哈哈]" after an English
line does not make it Chinese). Latin-script text is English unless the common function words of French,
Spanish, German, Italian or Portuguese outnumber the English ones (`[english]`): those diaries read as "other". Thresholds
live in `data/language.toml`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from visualizer.errors import UserError
from visualizer.text.scripts import HAN

DATA = Path(__file__).with_name("data") / "language.toml"
LANGUAGES = ("en", "zh", "other")
_HAN = re.compile(f"[{HAN}]")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d]")
_LATIN_WORD = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1effＡ-Ｚａ-ｚ]+")
_IGNORED = re.compile(r"\[[^\[\]\s]{1,10}\]|https?://\S+|www\.\S+|@\S+")
_KNOBS = ("min_kana", "kana_share", "han_per_latin_word", "other_share", "mixed_share")


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
    english = data.get("english", {})
    for key, kind in (("min_words", int), ("min_share", (int, float)), ("function_words", str),
                      ("foreign_function_words", str)):
        if isinstance(english.get(key), bool) or not isinstance(english.get(key), kind):
            raise UserError(f"{DATA}: [english] {key} is missing or of the wrong type ({english.get(key)!r})")
    return data


def count_scripts(text: str) -> ScriptCounts:
    text = _IGNORED.sub(" ", text)
    han = len(_HAN.findall(text))
    kana = len(_KANA.findall(text))
    words = _LATIN_WORD.findall(text)
    latin = sum(map(len, words))
    letters = sum(ch.isalpha() for ch in text)
    return ScriptCounts(han, kana, len(words), latin, max(0, letters - han - latin))


def _decide(counts: ScriptCounts) -> str:
    knobs = _data()["detect"]
    letters = counts.han + counts.latin_letters + counts.other_letters
    if not letters:
        return "en"  # nothing to read (digits, emoji): today's path
    if counts.kana >= knobs["min_kana"] and counts.kana >= knobs["kana_share"] * (counts.han + counts.kana):
        return "other"
    if counts.other_letters >= knobs["other_share"] * letters:
        return "other"
    if counts.han and counts.han >= knobs["han_per_latin_word"] * counts.latin_words:
        return "zh"
    return "en" if counts.latin_letters else "other"


def _english_words(text: str) -> bool:
    """Whether a Latin-script text reads as English: unless it is long enough to tell and the common function
    words of other Latin-script languages outnumber the English ones (a terse English list of nouns stays English)."""
    knobs = _data()["english"]
    words = [w.lower() for w in _LATIN_WORD.findall(_IGNORED.sub(" ", text))]
    if len(words) < knobs["min_words"]:
        return True
    english = sum(w in _word_set("function_words") for w in words)
    foreign = sum(w in _word_set("foreign_function_words") for w in words)
    return foreign < knobs["min_share"] * len(words) or foreign <= english


@lru_cache(maxsize=2)
def _word_set(key: str) -> frozenset[str]:
    return frozenset(_data()["english"][key].split())


def detect(text: str) -> str:
    """"en", "zh" or "other" for a text (an entry or one sentence)."""
    language = _decide(count_scripts(text))
    return "other" if language == "en" and not _english_words(text) else language


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
    language, mixed = detect(text), is_mixed(text)
    if language == "en" and not mixed:
        return ""
    return _data()["notice"]["mixed" if mixed else language]


def describe(text: str, sentences: list[str]) -> EntryLanguage:
    """The entry's language, each sentence's (a mixed entry routes sentence by sentence) and the mixed flag."""
    languages = tuple(detect(s) for s in sentences)
    return EntryLanguage(detect(text), languages, is_mixed(text) or len(set(languages) - {"other"}) > 1)
