"""Hostile input never ends in a traceback: random bytes, random JSON shapes and random diary-like text,
read under every format guess, through `read_journal`/`read_text`/`read_stream` and through `visualizer analyze`.

Seeded, so every run tries the same cases, and sized to take seconds. The only exception allowed out is UserError;
it and every Problem must name the source they are about; what comes out must be storable (no lone surrogates)
and within the entry limit; the CLI's stdout and stderr must carry no raw control character.
"""

from __future__ import annotations

import io
import json
import random
import re
import sys
import zipfile

import pytest

import visualizer.affect
from visualizer.affect import InnerState
from visualizer.cli import main
from visualizer.errors import UserError
from visualizer.ingest import FORMATS, read_journal, read_stream, read_text
from visualizer.ingest.limits import Limits

SEED = 20
GUESSES = (None, *FORMATS)
LIMITS = Limits.from_environment()
KEYS = ["text", "content", "body", "date", "created", "timestamp", "author", "name", "title", "creationDate",
        "timeZone", "tags", "entries", "Date", "TEXT"]
ODD_TEXT = ["\ud800", "\udfff", "\x1b]0;pwned\x07", "\x1b[2J", "\x9b31m", "\x00", "\u202e", "\ufeff", "今天", "é",
            "10:00", "0000-01-01", "2025-02-30", "31/02/2025", "2999-01-01", "2025-03-01T23:30:00Z", "March",
            "America/New_York", "Europe", "Etc/GMT+5", "../../etc/passwd", "x/" * 1500, "![x](dayone-moment://1)",
            "![" * 50, " " * 300, "#" * 7, "\\.", "\r\n", ""]
LINES = ["## 2025-03-01", "## 0000-01-01", "# March 2025", "## March 3", "---", "***", "", "Dear diary.",
         "3/1/25, 8:00 PM - Ana: hi", "[01/03/2025, 20:00:00] Bo: hey", "13/03/2025, 09:00 - Ana: ok",
         "date,text,author", '2025-03-01,"quoted, text",Ana', '"unterminated', "2025年3月1日",
         "３月２日（周日）",
         '{"date": "2025-03-01", "text": "json line"}', "[" * 3000, "# a" + " " * 2000 + "b", "x" + "*" * 2000 + "x",
         "<This message was edited>", "\x1b[2J cleared", "a\tb;c|d"]


def _odd_string(rng: random.Random) -> str:
    return "".join(rng.choice(ODD_TEXT) for _ in range(rng.randint(0, 3))) + rng.choice(["", "I wish", "sea"])


def random_value(rng: random.Random, depth: int = 0) -> object:
    """A JSON value of any type: the wrong type in every field is the point."""
    kind = rng.randrange(9 if depth < 4 else 6)
    if kind == 0:
        return rng.choice([None, True, False])
    if kind == 1:
        return rng.choice([0, -1, 5, 1_740_000_000, 1_740_000_000_000, 10 ** 30, -10 ** 20, 2 ** 63])
    if kind == 2:
        return rng.choice([0.5, 1e308, -1e-300, 1.7e9, float("nan"), float("inf"), float("-inf")])
    if kind in (3, 4, 5):
        return _odd_string(rng)
    if kind in (6, 7):
        return {rng.choice(KEYS): random_value(rng, depth + 1) for _ in range(rng.randint(0, 5))}
    return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]


def random_entry(rng: random.Random) -> dict:
    """An entry-shaped object: mostly the right keys, any value in any of them."""
    entry = {key: random_value(rng, 2) for key in rng.sample(KEYS, rng.randint(1, 6))}
    if rng.random() < 0.5:
        entry["text"] = rng.choice([_odd_string(rng), "A quiet day.", random_value(rng, 3)])
    if rng.random() < 0.3:  # a Day One entry whose time zone is what gets tested
        entry["creationDate"] = rng.choice(["2025-03-01T23:30:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
        entry["timeZone"] = random_value(rng, 3)
    return entry


def _splice(rng: random.Random, text: str) -> str:
    """Raw JSON no encoder writes: a deep array, a 5,000-digit number, a lone surrogate escape, a NaN."""
    insert = rng.choice(["[" * 100_000 + "]" * 100_000, "9" * 5000, '"\\ud800 \\udc00x"', "NaN", "-Infinity",
                         '{"text": ' * 3000])
    cut = rng.randrange(len(text) + 1)
    return text[:cut] + insert + text[cut:]


def random_json_document(rng: random.Random) -> str:
    shape = rng.randrange(4)
    entries = [random_entry(rng) for _ in range(rng.randint(0, 6))]
    if shape == 0:
        text = "\n".join(json.dumps(e) for e in entries)
    elif shape == 1:
        text = json.dumps(entries, indent=rng.choice([None, 2]))
    elif shape == 2:
        text = json.dumps({"metadata": {"version": "1.0"}, "entries": entries}, indent=2)
    else:
        text = json.dumps(random_value(rng))
    return _splice(rng, text) if rng.random() < 0.3 else text


def random_diary(rng: random.Random) -> str:
    return "\n".join(rng.choice(LINES) if rng.random() < 0.7 else _odd_string(rng)
                     for _ in range(rng.randint(1, 30)))


def random_bytes(rng: random.Random) -> bytes:
    kind = rng.randrange(5)
    if kind == 0:
        return rng.randbytes(rng.randint(0, 3000))
    if kind == 1:
        return random_diary(rng).encode(rng.choice(["utf-8", "utf-16", "gb18030", "big5", "cp1252"]), "ignore")
    if kind == 2:
        raw = bytearray(random_diary(rng).encode("utf-8", "surrogatepass"))
        for _ in range(rng.randint(1, 20)):
            raw[rng.randrange(len(raw) + 1):0] = bytes([rng.randrange(256)])
        return bytes(raw)
    if kind == 3:
        return rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04", b""]) + rng.randbytes(200)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])) as archive:
        for number in range(rng.randint(0, 3)):
            archive.writestr(f"journal{number}.{rng.choice(['json', 'txt', 'png'])}",
                             random_json_document(rng).encode("utf-8", "surrogatepass"))
    data = buffer.getvalue()
    cut = rng.randrange(len(data) // 2, len(data) + 1) if rng.random() < 0.3 else len(data)
    return data[:cut]


def check(read, source: str):
    """Run one read: a UserError naming `source`, or a result whose problems name it and whose entries are
    storable and within the entry limit."""
    try:
        result = read()
    except UserError as error:
        assert source in str(error), str(error)
        return None
    for problem in result.problems:
        assert problem.source == source or problem.source.startswith(f"{source}/"), str(problem)
        assert problem.message.strip(), str(problem)
    for entry in result.entries:
        for value in (entry.text, entry.title or "", entry.author or "", entry.source, *entry.tags):
            value.encode("utf-8")  # a lone surrogate would raise here, as it did in the store
        assert 0 < len(entry.text) <= LIMITS.max_entry_chars
    return result


@pytest.mark.parametrize("case", range(4))
def test_random_bytes_as_files_and_stdin(tmp_path, case):
    rng = random.Random(f"{SEED}-bytes-{case}")
    for number in range(150):
        data = random_bytes(rng)
        guess = rng.choice(GUESSES)
        path = tmp_path / f"journal{number}.{rng.choice(['txt', 'md', 'json', 'jsonl', 'csv', 'zip'])}"
        path.write_bytes(data)
        check(lambda: read_journal(path, format=guess), str(path))
        check(lambda: read_stream(io.BytesIO(data), "<stdin>", format=guess), "<stdin>")


@pytest.mark.parametrize("kind, make", [("json", random_json_document), ("diary", random_diary)])
@pytest.mark.parametrize("case", range(4))
def test_random_text_under_every_format_guess(kind, make, case):
    """Random JSON documents and random diary-like text, read as every format and date order."""
    rng = random.Random(f"{SEED}-{kind}-{case}")
    for number in range(250):
        text = make(rng)
        source = f"{kind}{number}.txt"
        check(lambda: read_text(text, source, format=rng.choice(GUESSES),
                                date_order=rng.choice([None, "dmy", "mdy"])), source)


def test_every_format_guess_meets_each_fuzz_kind(tmp_path):
    """Each format is forced onto text of every kind at least once, whatever the random choices above did."""
    rng = random.Random(f"{SEED}-every")
    documents = [random_json_document(rng) for _ in range(3)] + [random_diary(rng) for _ in range(3)]
    for guess in GUESSES:
        for number, text in enumerate(documents):
            check(lambda: read_text(text, f"doc{number}", format=guess), f"doc{number}")


_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_analyze_command_on_random_input(tmp_path, monkeypatch, capsys):
    """`visualizer analyze` end to end (a fake reader stands in for the model): exit 0 or 2, JSON lines that
    parse, and nothing a terminal would obey on stdout or stderr."""
    monkeypatch.setitem(visualizer.affect.__dict__, "analyze",
                        lambda texts, **_: [InnerState.neutral(text) for text in texts])
    rng = random.Random(f"{SEED}-cli")
    for number in range(120):
        data = random_bytes(rng) if number % 2 else random_json_document(rng).encode("utf-8", "surrogatepass")
        guess = rng.choice(GUESSES) or "auto"
        if number % 3 == 0:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
            argv = ["analyze", "-", "--format", guess]
        elif number % 3 == 1:
            path = tmp_path / f"input{number}"
            path.write_bytes(data)
            argv = ["analyze", str(path), "--format", guess]
        else:
            argv = ["analyze", f"--text={data.decode('utf-8', 'surrogateescape')}", "--format", guess]
        code = main(argv + (["--json"] if rng.random() < 0.7 else []))
        out, err = capsys.readouterr()
        assert code in (0, 2), err
        assert not _RAW_CONTROL.search(out) and not _RAW_CONTROL.search(err), (out, err)
        if code == 0 and "--json" in argv:
            assert all(json.loads(line) for line in out.splitlines())
