"""Han characters and Traditional → Simplified folding, for every stage that meets Chinese text.

Ingest, the reading, the safety rules, the mapping and the export all ask whether a text holds Han characters
(so that Chinese text gets its rules, its fonts and its `lang`), and the cue lists of the reading and of the
safety rules are written in Simplified characters, so Traditional text is folded one character for one (positions
kept) before they are matched. The folding table lives in `data/traditional.toml`.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from visualizer.errors import UserError

TRADITIONAL = Path(__file__).with_name("data") / "traditional.toml"
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_HAN = re.compile(f"[{HAN}]")


def has_han(text: str) -> bool:
    """Whether the text holds any Han character (the Chinese rules only run then)."""
    return _HAN.search(text) is not None


@lru_cache(maxsize=1)
def _traditional() -> dict[int, str]:
    with TRADITIONAL.open("rb") as handle:
        pairs = tomllib.load(handle).get("traditional", {}).get("chars", "").split()
    if not pairs or any(len(pair) != 2 for pair in pairs):
        raise UserError(f"{TRADITIONAL}: [traditional] chars must list pairs such as 殺杀, one Traditional character "
                        "and its Simplified twin")
    return {ord(pair[0]): pair[1] for pair in pairs}


def to_simplified(text: str) -> str:
    """Fold the Traditional characters the cue lists read into Simplified, one for one (positions kept)."""
    return text.translate(_traditional())
