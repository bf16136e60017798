"""Where to find help, in the writer's language: the text every face shows beside an entry with signs of crisis.

The words live in `data/help.toml`, where they can be reviewed without reading code. Chinese writers get the
Chinese text (its hotlines), everyone else the English one. Reading them compiles none of the crisis rules.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "help.toml"
_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


@dataclass(frozen=True)
class HelpMessage:
    """Where to find help; `body` is markdown and says nothing about the picture (each face adds that)."""

    title: str
    body: str

    @property
    def plain(self) -> str:
        """The body for a terminal: links as "text (address)" unless the text says it all (the address itself, or a
        phone number whose `tel:` link only makes it tappable), no bold marks."""
        text = _LINK.sub(lambda m: m[1] if m[1] in m[2] or m[2].startswith("tel:") else f"{m[1]} ({m[2]})", self.body)
        return text.replace("**", "")


@lru_cache(maxsize=1)
def _messages() -> dict:
    with DATA.open("rb") as handle:
        return tomllib.load(handle)


def help_languages(languages: list[str]) -> list[str]:
    """The help texts to show for flagged entries of these languages: Chinese writers get the Chinese help
    (its hotlines), everyone else the English one; each once, in order of first appearance."""
    return list(dict.fromkeys("zh" if language == "zh" else "en" for language in languages))


def help_message(language: str = "en") -> HelpMessage:
    """Where to find help, in the given language (reads the data only: no patterns are compiled for it)."""
    message = _messages()[language]
    return HelpMessage(message["title"].strip(), message["body"].strip())
