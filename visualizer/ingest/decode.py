"""Bytes → text. Diaries travel between machines for years, so encodings are tried in a fixed order.

UTF-8 (with or without BOM), then UTF-16 when a BOM says so. A file that is not UTF-8 may be in one of the legacy
Chinese encodings Windows saves as "ANSI": GB18030 (the superset of GBK, Simplified Chinese), Big5 (cp950,
Traditional Chinese) or Big5-HKSCS (Hong Kong). Each that reads the whole file is judged by how many of its
non-ASCII characters fall in that encoding's common set (GB2312; Big5's symbols and frequent characters, plus
frequent Cantonese ones for HKSCS): the right reading lands nearly all of them there, a wrong one (Big5 read as
GBK, Latin-1 read as any) lands many outside. The best such reading is used and reported with the encoding's
name. Otherwise a file that is mostly UTF-8 with a few lines in Windows-1252 (a journal edited on two machines) is
read line by line and the cp1252 lines are reported, not rejected. Binary files and files that decode to control
characters are refused with the file name, since reading them as text would only produce noise.
"""

from __future__ import annotations

import codecs
import itertools
import re
from collections.abc import Callable

from visualizer.errors import UserError
from visualizer.ingest.entry import Problem

_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16")]
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # category Cc but for \t \n \v \f \r
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
MAX_CONTROL_SHARE = 0.01
MIN_COMMON_SHARE = 0.95  # share of non-ASCII characters in an encoding's common set for a file to be read in it
JUDGED_CHARACTERS = 20_000  # non-ASCII characters a legacy reading is judged on (enough to tell, quick on 100 MB)


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _in_common_big5(char: str) -> bool:
    """Big5 symbols (lead bytes A1–A3) and its 5,401 frequent characters (A4–C6); the rest are rare or private."""
    try:
        encoded = char.encode("cp950")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xA1 <= encoded[0] <= 0xC6


# Frequent Cantonese characters outside Big5's frequent set (many only in the Hong Kong supplement, HKSCS). A
# Cantonese diary leans on them; Latin-1 text misread as Big5-HKSCS lands on them only by rare chance.
_CANTONESE = frozenset("嘢啲咗哋嘅噉冇佢睇嚟喺嘥攞揾搵嗰咁乜嘞喎啩啱靚餸瞓嚿嚡㗎嗌")


def _in_common_hkscs(char: str) -> bool:
    return char in _CANTONESE or _in_common_big5(char)


# (codec, name in messages, whether a character is in its common set), in order of preference on a tie
_LEGACY_CHINESE: list[tuple[str, str, Callable[[str], bool]]] = [
    ("gb18030", "Simplified Chinese GBK (GB18030)", _in_gb2312),
    ("cp950", "Traditional Chinese Big5 (cp950)", _in_common_big5),
    ("big5hkscs", "Traditional Chinese Big5-HKSCS (Hong Kong)", _in_common_hkscs),
]


def decode(data: bytes, source: str) -> tuple[str, list[Problem]]:
    """Decode a file's bytes; raise UserError naming `source` when it is empty or not text."""
    problems: list[Problem] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as error:
                raise UserError(f"{source}: starts with a {encoding.upper()} mark but is not valid {encoding}: "
                                f"{error.reason}") from None
            break
    else:
        if b"\x00" in data:
            raise UserError(f"{source}: looks like a binary file, not UTF-8 or other text (it contains NUL bytes)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            legacy = _decode_legacy_chinese(data)
            if legacy is None:
                text, problems = _decode_mixed(data, source)
            else:
                text, name = legacy
                problems = [Problem(source, None, f"not UTF-8; read as {name} — save it as UTF-8 if the text "
                                                  "looks wrong")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UserError(f"{source}: the file is empty")
    controls = len(_CONTROLS.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        raise UserError(f"{source}: looks like a binary file, not text ({controls} control characters)")
    return text, problems


def _decode_legacy_chinese(data: bytes) -> tuple[str, str] | None:
    """(text, encoding name) of the legacy Chinese reading whose characters are most often common ones, when
    that share reaches MIN_COMMON_SHARE; None when no reading looks like Chinese."""
    best: tuple[float, str, str] | None = None
    for codec, name, common in _LEGACY_CHINESE:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        wide = [m.group() for m in itertools.islice(_NON_ASCII.finditer(text), JUDGED_CHARACTERS)]
        share = sum(map(common, wide)) / len(wide) if wide else 0.0
        if share >= MIN_COMMON_SHARE and (best is None or share > best[0]):
            best = (share, text, name)
    return (best[1], best[2]) if best else None


def _decode_mixed(data: bytes, source: str) -> tuple[str, list[Problem]]:
    """Line-by-line UTF-8, falling back to cp1252 per line; the fallback lines are reported as one problem."""
    lines, fallback = [], []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(raw.decode("cp1252", errors="replace"))
            fallback.append(number)
    text = "\n".join(lines).lstrip("\ufeff")
    if "\ufffd" in text and text.count("\ufffd") > MAX_CONTROL_SHARE * len(text):
        raise UserError(f"{source}: is neither UTF-8, Chinese GBK or Big5, nor Windows-1252 text (binary or another "
                        f"encoding: save the file as UTF-8)")
    shown = ", ".join(map(str, fallback[:10])) + (" …" if len(fallback) > 10 else "")
    where = fallback[0] if len(fallback) == 1 else None
    problems = [Problem(source, where, f"not valid UTF-8 on line(s) {shown}; read those lines as Windows-1252")]
    return text, problems
