"""Words of the writing and of the vocabularies: one matcher for the imagery shapes and the scene families, and
one deterministic choice among listed words.

Words are lower-case runs of letters; a plural is matched by its singular with a trailing "s" or "es"
removed ("boats" → "boat", "beaches" → "beach"), so the vocabularies in prompts/ list singulars only.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterator, Sequence

_WORD = re.compile(r"[a-z][a-z']+")


def words_of(text: str) -> list[str]:
    """The lower-case words of `text`, in order."""
    return _WORD.findall(text.lower())


def listed(text: str, vocabulary: Collection[str]) -> Iterator[str]:
    """Each word of `text` that is in `vocabulary` (as written or as a plural of it), in order, repeats kept."""
    for word in words_of(text):
        for form in (word, word[:-1] if word.endswith("s") else "", word[:-2] if word.endswith("es") else ""):
            if form and form in vocabulary:
                yield form
                break


def pick(options: Sequence[str], *salt) -> str:
    """A deterministic, seed-dependent choice (variety across entries, identical across runs)."""
    digest = hashlib.sha256("\x1f".join(map(str, salt)).encode()).digest()
    return options[int.from_bytes(digest[:4], "big") % len(options)]
