"""A journal read in its order, remembering each longing, so that an entry can hear the echo of an earlier one.

Every face walks its journal the same way: `visualizer analyze` as it prints, the render pipeline over the entries
of its run. An earlier mention is one of an entry before this one in the journal, and, where both are dated, of an
earlier day (a journal kept newest first echoes nothing rather than something untrue). Entries with signs of crisis
are not remembered: a later reflection never recalls that day. Memory holds a date and a phrase per wish.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from visualizer.mapping.concepts import longing_group
from visualizer.reflection.compose import History, Mention


class Journal:
    """The longings said so far, by group (`mapping.concepts.longing_group`), in the order they were written."""

    def __init__(self) -> None:
        self._said: dict[str, list[Mention]] = {}

    def history(self, date: str | None, wishes: Iterable[str], crisis: bool = False,
                relative: Mapping[str, float] | None = None) -> History:
        """The next entry's `History` (its date, its reading against the usual, the earlier mentions of its wishes),
        then the entry remembered."""
        groups: dict[str, str] = {}
        for phrase in wishes:
            if phrase.strip():
                groups.setdefault(longing_group(phrase), phrase)
        earlier = {group: tuple(m for m in self._said.get(group, []) if _before(m.date, date)) for group in groups}
        if not crisis:
            for group, phrase in groups.items():
                self._said.setdefault(group, []).append(Mention(date, phrase))
        return History(date, relative, {group: found for group, found in earlier.items() if found})


def _before(earlier: str | None, date: str | None) -> bool:
    """An earlier entry's mention counts unless both are dated and its day is not before this one's."""
    return earlier is None or date is None or earlier < date
