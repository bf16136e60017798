"""How every face (the UI's tabs and the exported site) says an entry's reading, so they cannot drift apart: the scores
on one scale each with words at its ends, the explanation in readable words, what an entry with signs of crisis
may show of it, and the diary text reflowed.
"""

from __future__ import annotations

import re
from functools import lru_cache

# What an entry with signs of crisis shows in place of the list its picture keeps out (that list names means)
GENTLE_KEPT_OUT = "negative: whatever could hurt to see (the list is not shown)"
GENTLE_NOTE = ("Lines that name feelings, and the list of what the picture keeps out, are not shown for an entry that "
               "sounded this heavy.")
# Each score on its own scale with words at its ends: (name, low end, high end, centred: −1…1, else 0…1)
SCALES = (("valence", "unpleasant", "pleasant", True), ("arousal", "calm", "activated", True),
          ("dominance", "powerless", "in control", True), ("stress", "at ease", "stressed", False),
          ("anxiety", "untroubled", "anxious", False), ("interest", "indifferent", "engaged", False))
_WEIGHTED = re.compile(r"\(([^()]+)\)(\d+(?:\.\d+)?)")  # compel's "(the sea)1.42"


@lru_cache(maxsize=1)
def _feeling_words() -> re.Pattern:
    """A GoEmotions label as a word ("desire" and "neutral" also name no feeling in the explanation's phrases)."""
    from visualizer.affect.labels import EMOTIONS

    return re.compile(r"\b(" + "|".join(label for label in EMOTIONS if label not in ("neutral", "desire")) + r")\b")


def painted_gently(items: list[dict]) -> bool:
    """Whether a picture was painted under the safety rule for an entry with signs of crisis (its explanation says)."""
    return any(item.get("score") == "crisis" for item in items)


def gentle_explanation(items: list[dict]) -> list[dict]:
    """The explanation as a face may show it. For a picture painted under the safety rule: no line that names a
    feeling (in its score or its words: a GoEmotions label, or a mood word chosen for one), and the list of what the
    picture keeps out (it names means) said only as its gist, so no painful label or means is put on screen; nothing
    else is reworded. Any other explanation is shown whole."""
    if not painted_gently(items):
        return items
    shown = []
    for item in items:
        score, effect = str(item.get("score", "")), str(item.get("effect", ""))
        if "emotion:" in score or _feeling_words().search(effect):
            continue
        shown.append({**item, "effect": GENTLE_KEPT_OUT} if score == "crisis" and effect.startswith("negative:")
                     else item)
    return shown


def readable_rows(items: list[dict]) -> list[tuple[str, str, str]]:
    """The explanation in readable words, one (score, value, effect) row per line: "valence+arousal" →
    "pleasantness + energy", compel weights as “the sea” ×1.42, technical terms as prompts/plain.toml says them."""
    from visualizer.mapping import data

    table = data.load("plain")["table"]
    return [(_score_name(item.get("score"), table["scores"]), _value(item.get("value")),
             _effect(item.get("effect"), table["terms"])) for item in items]


def _score_name(score, names: dict[str, str]) -> str:
    """"valence+arousal" → "pleasantness + energy"; "emotion:joy" → "feeling: joy"; unknown keys as they are."""
    def one(part: str) -> str:
        kind, _, label = part.partition(":")
        return f"{names.get(kind, kind)}: {label}" if label else names.get(kind, kind)

    return " + ".join(one(part) for part in str(score or "").split("+"))


def _value(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _effect(effect, terms: dict[str, str]) -> str:
    """The effect text with compel weights as “the sea” ×1.42 and technical terms in readable words."""
    text = _WEIGHTED.sub(lambda m: f"“{m[1]}” ×{m[2]}", str(effect or ""))
    for term, plain in terms.items():
        text = text.replace(term, plain)
    return text


def paragraphs(text: str) -> list[str]:
    """The diary text as it is shown: its blank-line paragraphs, each with the line breaks an editor's hard wrap put
    inside a sentence joined (by the segmenter's own test for a hard wrap), so the text reflows to the screen; a
    diary of one thought per line, a list or a chat keeps its lines ("\\n" inside a paragraph)."""
    from visualizer.affect.segment import unwrapped_lines as unwrapped  # the one rule for a hard wrap, not a copy of it

    shown = ["\n".join(unwrapped(block)) for block in re.split(r"\n\s*\n", text)]
    return [block for block in shown if block]
