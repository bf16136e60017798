"""Sentence segmentation.

A diary is split into sentences because every sentence becomes a point on the entry's emotional arc
and the entry reading is pooled from them (one encoder pass serves both). A small rule-based splitter
is used rather than a trained one: it is fast on 200,000-character entries, needs no downloaded data,
and diaries rarely hold the abbreviations that trip it up.

Chinese ends sentences with full-width marks and no space: 。！？； (and runs such as ！？), an ellipsis
…… between Han characters, each with closing quotes or brackets (」』”）) kept on the sentence they close.
Weibo-style [表情] tags and emoji right after a mark stay with the sentence they react to, and a piece made
only of tags and emoji joins its neighbour instead of standing as a sentence with nothing to read.
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
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CLOSERS = "」』”’）)】》〉\"'\\]"
_EMOJI = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d"
_TAG = r"\[[^\[\]\s]{1,10}\]"
_REACTION = rf"(?:{_TAG}|[{_EMOJI}])"
# A Chinese break: full-width marks (any run, maybe with ! ?), or an ellipsis / ! ? right after a Han character
# and before one; closers, then tags and emoji reacting to the sentence, stay with it.
_CJK_BREAK = re.compile(rf"((?:[。！？；｡]+[!?…！？]*|(?<=[{_HAN}])(?:…+|\.{{3,}}|[!?]+)(?=[{_CLOSERS}]*\s*{_REACTION}*\s*[{_HAN}]))"
                        rf"[{_CLOSERS}]*(?:\s*{_REACTION})*)(\s*)")
_BARE = re.compile(rf"^(?:\s|{_REACTION})+$")


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; line breaks always end a sentence (diaries are written in lines)."""
    sentences: list[str] = []
    for block in _LINE_BREAK.split(text):
        block = block.strip()
        if block:
            sentences.extend(piece for part in _split_cjk(block) for piece in _split_block(part))
    return _join_bare(sentences)


def _split_cjk(block: str) -> list[str]:
    """Cut a line after each Chinese sentence mark (no space follows them); Latin text passes through whole."""
    pieces, start = [], 0
    for match in _CJK_BREAK.finditer(block):
        if match.end(1) < len(block):
            pieces.append(block[start:match.end(1)].strip())
            start = match.end()
    return [p for p in pieces + [block[start:].strip()] if p]


def _join_bare(sentences: list[str]) -> list[str]:
    """A piece of only [表情] tags and emoji joins the sentence before it (or after it, when first)."""
    joined: list[str] = []
    pending = ""
    for sentence in sentences:
        if _BARE.match(sentence):
            if joined:
                joined[-1] += _space(joined[-1], sentence) + sentence
            else:
                pending += _space(pending, sentence) + sentence if pending else sentence
            continue
        joined.append(f"{pending}{_space(pending, sentence)}{sentence}" if pending else sentence)
        pending = ""
    return joined or ([pending] if pending else [])


def _space(left: str, right: str) -> str:
    """Latin text joins with a space, Chinese without."""
    return "" if not left or re.search(f"[{_HAN}]", left) or re.match(f"[{_HAN}]", right) else " "


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
