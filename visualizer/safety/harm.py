"""Harm to others: a wish to hurt someone is never a desire, an aversion, the picture's subject or prompt text.

Two questions, both answered from `data/harm.toml` (English and Chinese) so the vocabulary can be reviewed
without reading code:

- `wishes_harm(sentence)`: does the writer wish, imagine or plan to hurt someone ("I keep fantasising about
  hurting the people who bullied me", "I hope she gets what's coming to her", "真想打死他")? Such a sentence is a
  sign of crisis (`signs.find_signs` flags it), as the crisis rules' own `harm_others` family already is; being
  flagged is what keeps its words out of every prompt and paints the entry by the gentle rule.
- `names_harm(phrase)`: does a desire or aversion object name hurting someone ("hurting the people who bullied
  me", "to make him pay", "让他们付出代价")? The object is already wished for or pushed away, so the act alone
  decides (`signs.is_harmful` asks it, a second net behind the sentence flag).

Text is normalised and its figures of speech masked with the `spellings` and `figures` of crisis.toml, by the
engine the crisis rules use (`patterns.py`), so "I'd kill for a coffee", "killing it at work" and "笑死我了" never
reach these patterns and a figure the crisis rules learn is learnt here too. `language="auto"` runs English on
every text and Chinese wherever Han characters occur, as the crisis rules do.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from visualizer.safety.patterns import Normaliser, compile_patterns, rule_sets

DATA = Path(__file__).with_name("data") / "harm.toml"
CRISIS = DATA.with_name("crisis.toml")  # whose spellings and figures of speech are read here too
_NAMED = "namedperson"  # what a name inside an English sentence is read as (harm.toml [en] name)


class _Harm:
    """One language's compiled harm patterns; built once (see `_harm`)."""

    def __init__(self, table: dict, crisis: dict) -> None:
        words, boundaries = table["words"], table["word_boundaries"]
        self.crisis = Normaliser(crisis)
        self.name = re.compile(table["name"]) if "name" in table else None
        self.objects = compile_patterns(table["objects"], words, boundaries)
        self.wishes = compile_patterns(table["wishes"], words, boundaries)
        self.negation = re.compile(table["negation"])
        self.others = re.compile(table["others"])

    def prepare(self, text: str) -> str:
        """Names read as a person, then normalised and masked by the crisis rules."""
        if self.name is not None:
            text = self.name.sub(_NAMED, text)
        return self.crisis.mask(self.crisis.normalise(text))

    def wish(self, text: str) -> str | None:
        """The first wish to hurt someone that is the writer's: no negation takes it back, no one else holds it."""
        prepared = self.prepare(text)
        for match in self.wishes.finditer(prepared):
            before = prepared[:match.start()]
            if not (self.negation.search(before) or self.others.search(before)):
                return match.group(0).replace(_NAMED, "someone")  # as the explanation quotes it
        return None


@lru_cache(maxsize=2)
def _load(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=4)
def _harm(language: str) -> _Harm:
    harm, crisis = _load(DATA), _load(CRISIS)
    if language not in harm or language not in crisis:
        raise ValueError(f"no harm rules for language {language!r} (harm.toml has: {', '.join(harm)})")
    return _Harm(harm[language], crisis[language])


def harm_wish(sentence: str, language: str = "auto") -> str | None:
    """The phrase by which a sentence wishes to hurt someone (as normalised), or None."""
    for name in rule_sets(language, [sentence]):
        found = _harm(name).wish(sentence)
        if found:
            return found
    return None


def wishes_harm(sentence: str, language: str = "auto") -> bool:
    """Whether a sentence wishes, imagines or plans to hurt someone."""
    return harm_wish(sentence, language) is not None


def names_harm(phrase: str, language: str = "auto") -> bool:
    """Whether a desire or aversion object names hurting someone."""
    return any(_harm(name).objects.search(_harm(name).prepare(phrase)) is not None
               for name in rule_sets(language, [phrase]))
