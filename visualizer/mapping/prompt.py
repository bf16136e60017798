"""The prompt being built and its explanation: every fragment and tweak with the score that produced it.

Each mapping step returns `Fragment`s (prompt text, explained as "prompt: …") and `Note`s (an explanation with
no prompt text: a choice, a negative, a tweak); `Prompt.add` takes them in the order the steps run, so the
explanation reads in that order. A fragment already in the prompt is neither repeated nor explained twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Fragment:
    """A prompt fragment and the score (name and value) that produced it; `why` says how."""

    text: str
    score: str
    value: object
    why: str = ""


@dataclass(frozen=True)
class Note:
    """An explanation item with no prompt text: which score produced which choice or tweak."""

    score: str
    value: object
    effect: str


Record = Fragment | Note


def rounded(value):
    """Floats to 3 decimals for the explanation and the scores; anything else as it is."""
    return round(value, 3) if isinstance(value, float) else value


def weighted(term: str, weight: float) -> str:
    """compel weight syntax, `(the sea)1.42`; a weight of 1 leaves the term bare."""
    return f"({term}){weight:g}" if abs(weight - 1.0) > 1e-6 else term


class Prompt:
    """Collects the steps' fragments (the prompt) and the explanation (`{"score", "value", "effect"}` items)."""

    def __init__(self) -> None:
        self.fragments: list[str] = []
        self.explanation: list[dict] = []

    def add(self, records: Iterable[Record]) -> None:
        for record in records:
            if isinstance(record, Note):
                self._explain(record.score, record.value, record.effect)
            elif record.text and record.text not in self.fragments:
                self.fragments.append(record.text)
                self._explain(record.score, record.value,
                              f"prompt: {record.text}" + (f" ({record.why})" if record.why else ""))

    def take(self, step: tuple[T, list[Record]]) -> T:
        """A step's result, its records added to the prompt and the explanation."""
        value, records = step
        self.add(records)
        return value

    def _explain(self, score: str, value, effect: str) -> None:
        self.explanation.append({"score": score, "value": rounded(value), "effect": effect})
