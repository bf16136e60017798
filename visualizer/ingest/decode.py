"""Bytes → text. Diaries travel between machines for years, so encodings are tried in a fixed order.

UTF-8 (with or without BOM), then UTF-16 when a BOM says so. A file that is mostly UTF-8 with a few
lines in Windows-1252 (a journal edited on two machines) is read line by line and the cp1252 lines
are reported, not rejected. A file that is not UTF-8 but reads whole as GB18030 (the superset of GBK, what
Chinese Windows saves as "ANSI"), with nearly all of its non-ASCII characters in the common GB2312 set, is read
as GBK and reported; Latin-1 text misread as GBK lands mostly outside GB2312, so the two are told apart.
Binary files and files that decode to control characters are refused
with the file name, since reading them as text would only produce noise.
"""

from __future__ import annotations

import codecs
import unicodedata

from visualizer.errors import UserError
from visualizer.ingest.entry import Problem

_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16")]
_ALLOWED_CONTROLS = set("\n\r\t\f\v")
MAX_CONTROL_SHARE = 0.01
MIN_GB2312_SHARE = 0.95  # share of non-ASCII characters in GB2312 for a non-UTF-8 file to be read as GBK


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
            raise UserError(f"{source}: looks like a binary file, not text (it contains NUL bytes)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _decode_gbk(data)
            if text is None:
                text, problems = _decode_mixed(data, source)
            else:
                problems = [Problem(source, None, "not UTF-8; read as Chinese GBK (GB18030) — save it as UTF-8 "
                                                  "if the text looks wrong")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UserError(f"{source}: the file is empty")
    controls = sum(unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS for c in text)
    if controls > MAX_CONTROL_SHARE * len(text):
        raise UserError(f"{source}: looks like a binary file, not text ({controls} control characters)")
    return text, problems


def _decode_gbk(data: bytes) -> str | None:
    """The text when the bytes read whole as GB18030 and look like Chinese (mostly GB2312 characters), else None."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return None
    common = sum(_in_gb2312(c) for c in wide)
    return text if common >= MIN_GB2312_SHARE * len(wide) else None


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


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
        raise UserError(f"{source}: is neither UTF-8, GBK nor Windows-1252 text (binary or an unknown encoding; "
                        f"Big5 and other encodings: save the file as UTF-8)")
    shown = ", ".join(map(str, fallback[:10])) + (" …" if len(fallback) > 10 else "")
    where = fallback[0] if len(fallback) == 1 else None
    problems = [Problem(source, where, f"not valid UTF-8 on line(s) {shown}; read those lines as Windows-1252")]
    return text, problems
