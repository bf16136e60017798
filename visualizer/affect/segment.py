"""Sentence segmentation.

A diary is split into sentences because every sentence becomes a point on the entry's emotional arc
and the entry reading is pooled from them (one encoder pass serves both). A small rule-based splitter
is used rather than a trained one: it is fast on 200,000-character entries (linear in the text), needs no
downloaded data, and diaries rarely hold the abbreviations that trip it up.

Line breaks. Diaries are often written a thought per line ("tired today / called mum"), lists and chats
put one item or message on a line, and Markdown journals are often hard-wrapped at a fixed width, where a
break falls inside a sentence ("My manager sent three / messages before nine."). Blank lines, list items
(- * • + or 1. 1)) and Markdown headings always start a new paragraph. A paragraph reads as hard-wrapped
prose, as if written on one line, only with evidence of wrapping: its last line ends a sentence, its widest
line is wide enough to be a wrap width, and every line that does not end a sentence is filled to about that
width. Inside such a paragraph a line that does not end a sentence joins the next (with a space; Chinese
without) when the next line goes on: it starts lowercase, the line ends with a word that ends no English
sentence ("in / January"), or, for Chinese, which has no capitals, the paragraph is evenly wrapped. Every
other line break ends a sentence, so one-thought-per-line diaries, lists and chats split as written.
Thresholds and word lists live in `data/segment.toml`.

Chinese ends sentences with full-width marks and no space: 。！？； (and runs such as ！？), an ellipsis
…… between Han characters, each with closing quotes or brackets (」』”）) kept on the sentence they close.
Weibo-style [表情] tags and emoji right after a mark stay with the sentence they react to, and a piece made
only of tags and emoji joins its neighbour instead of standing as a sentence with nothing to read.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from visualizer.errors import UserError

DATA = Path(__file__).with_name("data") / "segment.toml"
# A candidate break: terminal punctuation (with closing quotes/brackets) followed by whitespace. It is tried
# only where a run of marks starts, so a long run with no space after it costs linear time, not quadratic.
_BREAK = re.compile(r"""(?<![.!?…])([.!?…]+["'”’)\]]*)(\s+)""")
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
_HEADING = re.compile(r" {0,3}#{1,6}(?:\s|$)")
_PARAGRAPH_START = re.compile(rf"\s*(?:[-*•+]\s|\d{{1,3}}[.)]\s)|{_HEADING.pattern}")  # a list item or a heading
_NUMBER_MARK = re.compile(r"\d{1,3}\.")
_SENTENCE_END = re.compile(rf"[.!?…。！？；｡][{_CLOSERS}]*(?:\s*{_REACTION})*$")
_REACTION_END = re.compile(rf"{_REACTION}$")
_CJK_CHAR = re.compile(f"[{_HAN}\u3000-\u303f\uff00-\uffef]")  # Han, CJK marks, full-width forms: no spaces
_FIRST_WORD = re.compile(rf"[{_HAN}]|[^\s{_HAN}]+")
_OPENERS = "\"'“‘([「『（"
_WORD_WINDOW = 32  # characters looked back for the word before a full stop; abbreviations are shorter


@dataclass(frozen=True)
class _Rules:
    """The knobs of `data/segment.toml` (see the comments there)."""

    abbreviations: frozenset[str]
    min_width: int
    fill: float
    even_columns: int
    open_ends: frozenset[str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    try:
        with DATA.open("rb") as handle:
            data = tomllib.load(handle)
        wrapping = data["wrapping"]
        return _Rules(frozenset(data["sentences"]["abbreviations"].split()), int(wrapping["min_width"]),
                      float(wrapping["fill"]), int(wrapping["even_columns"]),
                      frozenset(wrapping["open_ends"].split()))
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, AttributeError) as error:
        raise UserError(f"{DATA}: cannot read the segmentation rules ({error})") from error


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; line breaks end sentences except inside hard-wrapped prose (module doc)."""
    sentences: list[str] = []
    for line in unwrapped_lines(text):
        sentences.extend(piece for part in _split_cjk(line) for piece in _split_block(part))
    return _join_bare(sentences)


def unwrapped_lines(text: str) -> Iterator[str]:
    """The text's non-blank lines, stripped, with the lines of hard-wrapped prose joined where a sentence runs on."""
    paragraph: list[str] = []
    for raw in text.split("\n"):
        line = raw.rstrip()
        if paragraph and (not line or _PARAGRAPH_START.match(line) or _HEADING.match(paragraph[-1])):
            yield from _unwrap(paragraph)
            paragraph = []
        if line.strip():
            paragraph.append(line)
    if paragraph:
        yield from _unwrap(paragraph)


def _unwrap(lines: list[str]) -> Iterator[str]:
    """A paragraph's lines, joined where it is hard-wrapped prose and a sentence runs on over the break."""
    if len(lines) == 1:
        yield lines[0].strip()
        return
    widths = [_width(line) for line in lines]
    if not _hard_wrapped(lines, widths):
        yield from (line.strip() for line in lines)
        return
    rules = _rules()
    even = len(lines) > 2 and min(widths[:-1]) >= max(widths) - rules.even_columns
    parts = [lines[0].strip()]
    for before, line in zip(lines, lines[1:]):
        line = line.strip()
        if _runs_on(before, line, even, rules.open_ends):
            parts.append(("" if _CJK_CHAR.match(before[-1]) and _CJK_CHAR.match(line) else " ") + line)
        else:
            yield "".join(parts)
            parts = [line]
    yield "".join(parts)


def _hard_wrapped(lines: list[str], widths: list[int]) -> bool:
    """Evidence that an editor wrapped this paragraph: it ends a sentence, its widest line is a plausible wrap
    width, and every line that does not end a sentence is filled (the next word would not have fitted)."""
    rules = _rules()
    wrap = max(widths)
    if wrap < rules.min_width or not _SENTENCE_END.search(lines[-1]):
        return False
    return all(_SENTENCE_END.search(line) or width + 1 + _width(_FIRST_WORD.match(following.strip()).group())
               >= rules.fill * wrap for line, width, following in zip(lines, widths, lines[1:]))


def _runs_on(before: str, line: str, even: bool, open_ends: frozenset[str]) -> bool:
    """Whether the break between two lines of wrapped prose falls inside a sentence: the line ends neither with
    sentence punctuation nor with an emoji or tag (which close a thought), and the next line goes on."""
    if _SENTENCE_END.search(before) or _REACTION_END.search(before):
        return False
    if line.lstrip(_OPENERS)[:1].islower():
        return True
    if before.rsplit(None, 1)[-1].strip(_OPENERS + ",;:").lower() in open_ends:
        return True
    return even and _CJK_CHAR.match(before[-1]) is not None and _CJK_CHAR.match(line) is not None


def _width(text: str) -> int:
    """Columns a line takes in a fixed-width editor: wide (Han, full-width) characters take two."""
    return len(text) + sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)


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
    rules = _rules()
    pieces: list[str] = []
    start = 0
    for match in _BREAK.finditer(block):
        end = match.end(1)
        word = block[max(start, end - _WORD_WINDOW):end].rsplit(None, 1)[-1].rstrip(".").lower()
        following = block[match.end():match.end() + 1]
        if match.group(1) == "." and (word in rules.abbreviations or (len(word) == 1 and word.isalpha())
                                      or (start == 0 and _NUMBER_MARK.fullmatch(block, 0, end))):
            continue  # "Dr. Smith", "J. Smith", and a numbered list's "1. " stay on their sentence
        if following and following.islower():
            continue  # "wait... what" stays one sentence
        pieces.append(block[start:end].strip())
        start = match.end()
    tail = block[start:].strip()
    if tail:
        pieces.append(tail)
    return [p for p in pieces if p]
