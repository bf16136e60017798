"""Crisis rule: when an entry shows signs of crisis, show where to find help and paint gently.

The rule (data in `prompts/safety.toml`, so it can be reviewed without reading code):

1. **Phrases.** The text is lower-cased, curly quotes are straightened and whitespace collapsed; the
   entry is flagged when any listed first-person phrase of self-harm or suicidal intent occurs on word
   boundaries ("kill myself", "end my life", "want to die", "self-harm", ...). Negations are not
   excluded on purpose: a false alarm costs one kindly worded panel, a miss costs more.
2. **Scores (secondary cue).** The entry is also flagged when the affect reading has sadness + grief
   at or above `scores.sadness_plus_grief` *and* stress at or above `scores.stress`.

When flagged, the Reflect tab shows the help panel above the picture (emergency numbers and
findahelpline.com), and the picture is rendered in a calm, light style at a low tweak strength
(`render.styles`, `render.strength`) with the mapping's `gentle` override when it offers one, instead
of leaning into dark imagery. Nothing is stored, logged or sent anywhere because of the flag. The
Journal tab applies the same check per entry and shows the panel when any entry is flagged.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from visualizer.affect import InnerState

SAFETY_FILE = Path(__file__).resolve().parents[2] / "prompts" / "safety.toml"


@dataclass(frozen=True)
class SafetyRule:
    phrases: tuple[str, ...]
    sadness_plus_grief: float
    stress: float
    styles: tuple[str, ...]
    strength: float
    title: str
    body: str

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compile(self.phrases)


@dataclass(frozen=True)
class Assessment:
    """Why an entry was flagged: the phrases that matched and whether the scores crossed the line."""

    phrases: tuple[str, ...] = ()
    scores: bool = False

    @property
    def flagged(self) -> bool:
        return bool(self.phrases) or self.scores


@lru_cache(maxsize=4)
def load_rule(path: Path = SAFETY_FILE) -> SafetyRule:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return SafetyRule(
        phrases=tuple(data["phrases"]["intent"]),
        sadness_plus_grief=float(data["scores"]["sadness_plus_grief"]),
        stress=float(data["scores"]["stress"]),
        styles=tuple(data["render"]["styles"]),
        strength=float(data["render"]["strength"]),
        title=data["message"]["title"].strip(),
        body=data["message"]["body"].strip(),
    )


@lru_cache(maxsize=4)
def _compile(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(_normalise(p)).replace(r"\ ", r"\s+") for p in phrases)
    return re.compile(rf"(?<![\w'-])(?:{alternatives})(?![\w'-])")


def _normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return re.sub(r"\s+", " ", text)


def assess(text: str, state: InnerState | None = None, rule: SafetyRule | None = None) -> Assessment:
    """Apply the crisis rule to one entry's text and (optionally) its affect reading."""
    rule = rule or load_rule()
    found = tuple(dict.fromkeys(m.group(0) for m in rule.pattern.finditer(_normalise(text))))
    scores = False
    if state is not None and state.signal:
        grief = state.emotions.get("sadness", 0.0) + state.emotions.get("grief", 0.0)
        scores = grief >= rule.sadness_plus_grief and state.stress >= rule.stress
    return Assessment(found, scores)


def gentle_style(available: list[str], rule: SafetyRule | None = None) -> str | None:
    """The calm style to paint a flagged entry in: the first of the rule's styles that exists."""
    rule = rule or load_rule()
    return next((s for s in rule.styles if s in available), None)


def help_markdown(rule: SafetyRule | None = None) -> str:
    rule = rule or load_rule()
    return f"### {rule.title}\n\n{rule.body}"
