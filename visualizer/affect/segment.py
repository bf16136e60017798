"""Sentence segmentation.

A diary is split into sentences because every sentence becomes a point on the entry's emotional arc
and the entry reading is pooled from them (one encoder pass serves both). A small rule-based splitter
is used rather than a trained one: it is fast on 200,000-character entries, needs no downloaded data,
and diaries rarely hold the abbreviations that trip it up.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "vs", "etc", "e.g", "i.e", "approx", "no",
    "mt", "ave", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}
# A candidate break: terminal punctuation (with closing quotes/brackets) followed by whitespace.
_BREAK = re.compile(r"""([.!?…]+["'”’)\]]*)(\s+)""")
_LINE_BREAK = re.compile(r"\n\s*\n|\n(?=\s*[-*•]\s)|\n")


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; line breaks always end a sentence (diaries are written in lines)."""
    sentences: list[str] = []
    for block in _LINE_BREAK.split(text):
        block = block.strip()
        if block:
            sentences.extend(_split_block(block))
    return sentences


def _split_block(block: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _BREAK.finditer(block):
        end = match.end(1)
        word = block[start:end].rsplit(None, 1)[-1].rstrip(".").lower()
        following = block[match.end():match.end() + 1]
        if match.group(1) == "." and (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())):
            continue
        if following and following.islower():
            continue  # "wait... what" stays one sentence
        pieces.append(block[start:end].strip())
        start = match.end()
    tail = block[start:].strip()
    if tail:
        pieces.append(tail)
    return [p for p in pieces if p]
