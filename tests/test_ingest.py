"""Ingest: every format from small fixtures, tricky dates, chat quirks and bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import signal
import socket
import struct
import time
import zipfile
from pathlib import Path

import pytest

from visualizer.errors import UserError
from visualizer.ingest import Entry, detect_format, filter_entries, read_journal, read_stream, read_text

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
D = dt.date


def read(name: str, **kwargs):
    return read_journal(FIXTURES / name, **kwargs)


def messages(result) -> list[str]:
    return [p.message for p in result.problems]


def test_markdown_dated_headings_titles_year_context_and_front_matter():
    result = read("diary.md")
    assert result.format == "markdown"
    dates = [e.date for e in result.entries]
    assert dates == [D(2025, 3, 1), D(2025, 3, 2), D(2025, 3, 4), None]
    first = result.entries[0]
    assert first.title == "A long day"
    assert "I wish I could see the sea again." in first.text and "Evening" in first.text
    assert "title: My diary" not in first.text  # front matter is not an entry
    assert first.line == 7
    # "## Monday, 3rd March 2025" has no text under it; the "---" note has no date: both reported with lines
    lines = {p.line: p.message for p in result.problems}
    assert "no text" in lines[16] and "without a date" in lines[22]


def test_plain_text_date_lines_inline_dates_and_rules():
    result = read("plain.txt")
    assert result.format == "text"
    assert [e.date for e in result.entries] == [D(2025, 3, 1), D(2025, 3, 2), D(2025, 3, 9), None]
    # a date inside a paragraph is text, not a new entry
    assert "March 1, 2025 was a Saturday" in result.entries[0].text
    assert result.entries[1].text == "Grandma's funeral. I miss her so much."
    assert result.entries[2].text == "Long walk by the river."  # the time after the date is not text


def test_pasted_text_without_dates_is_one_undated_entry_without_problems():
    result = read_text("I wish I could see the sea again.\n\nWork is heavy.")
    assert len(result.entries) == 1 and result.entries[0].date is None
    assert result.problems == [] and result.format == "text"


@pytest.mark.parametrize("heading, expected", [
    ("## 2025-03-01", D(2025, 3, 1)),
    ("# March 1, 2025", D(2025, 3, 1)),
    ("### Saturday, 1st of March 2025 — title", D(2025, 3, 1)),
    ("## Sat 1 Mar 2025", D(2025, 3, 1)),
    ("## 01.03.2025", D(2025, 3, 1)),
    ("## 2025/3/1 21:30", D(2025, 3, 1)),
    ("## Sept 9th, 2024", D(2024, 9, 9)),
])
def test_heading_date_shapes(heading, expected):
    result = read_text(f"{heading}\nSome words here.")
    assert result.format == "markdown"
    assert [e.date for e in result.entries] == [expected]


def test_numeric_dates_take_their_order_from_the_whole_file():
    text = "## 03/04/2025\nA.\n\n## 25/04/2025\nB."
    assert [e.date for e in read_text(text).entries] == [D(2025, 4, 3), D(2025, 4, 25)]
    ambiguous = read_text("## 03/04/2025\nA.\n\n## 05/04/2025\nB.")
    assert any("day/month and month/day" in m for m in messages(ambiguous))
    forced = read_text("## 03/04/2025\nA.", date_order="dmy")
    assert forced.entries[0].date == D(2025, 4, 3) and forced.problems == []


def test_invalid_calendar_date_is_reported_and_entry_kept():
    result = read_text("## 2025-02-30\nLeap nonsense.\n\n## 2025-03-01\nFine.")
    assert [e.date for e in result.entries] == [None, D(2025, 3, 1)]
    assert any(p.line == 1 and "not a valid date" in p.message for p in result.problems)


def test_jsonl_good_and_malformed_lines():
    result = read("entries.jsonl")
    assert result.format == "jsonl"
    texts = [e.text for e in result.entries]
    assert texts[0] == "I am so tired of this job." and result.entries[0].title == "Monday blues"
    assert result.entries[1].date == D(2025, 3, 2) and texts[1].startswith("Dancing")  # content key, ISO datetime
    assert result.entries[-1].date == D(2025, 3, 5)  # Unix timestamp
    by_line = {p.line: p.message for p in result.problems}
    assert "not valid JSON" in by_line[3] and "not valid JSON" in by_line[4]
    assert "not a JSON object" in by_line[5]
    assert "no date" in by_line[6] and "not readable" in by_line[7] and "no text" in by_line[8]
    assert len(result.entries) == 5


def test_csv_multiline_quoted_text_unquoted_commas_and_short_rows():
    result = read("entries.csv")
    assert result.format == "csv"
    first = result.entries[0]
    assert first.date == D(2025, 3, 13) and first.author == "Ana" and first.title == "Spring"
    assert first.text == "I wish I could see the sea again.\nIt has been years."
    assert result.entries[1].date == D(2025, 3, 2)  # 02/03 read day-first because 13/03 exists in the file
    assert result.entries[2].text == "Dinner with friends, what a night"  # unquoted comma joined back
    lines = {p.line: p.message for p in result.problems if p.line}
    assert "extra fields" in lines[5]
    assert "no date" in lines[6]
    assert "future" in lines[8]
    assert any(p.line == 7 and "no text" in p.message for p in result.problems)


def test_csv_without_text_column_is_a_user_error(tmp_path):
    path = tmp_path / "numbers.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(UserError, match="no text column"):
        read_journal(path, format="csv")


def test_day_one_export_local_dates_titles_tags_and_escapes():
    result = read("dayone.json")
    assert result.format == "dayone"
    first = result.entries[0]
    assert first.date == D(2025, 3, 1)  # 23:30 UTC is still March 1st in New York
    assert first.title == "Late night" and first.tags == ("grief", "night")
    assert first.text == "Couldn’t sleep. I keep thinking about Dad."  # moments and \. escapes removed
    assert result.entries[1].text == "Sunny morning! Feeling light!"
    assert len(result.entries) == 3
    assert any("entry 3" in m and "no text" in m for m in messages(result))
    assert any("entry 4" in m and "not readable" in m for m in messages(result))


def test_whatsapp_android_multiline_system_and_media():
    result = read("android.txt")
    assert result.format == "whatsapp"
    assert [e.date for e in result.entries] == [D(2025, 3, 1), D(2025, 3, 2), D(2025, 3, 13)]
    assert result.entries[0].text == "I got the job!!!\nThat's amazing\nso proud of you\nreally"
    assert result.entries[1].text == "Rough morning. I miss home."  # edited marker and deleted message gone
    joined = "\n".join(e.text for e in result.entries)
    assert "encrypted" not in joined and "Media omitted" not in joined and "changed the subject" not in joined
    assert result.problems == []  # 3/13 settles month-first


def test_whatsapp_author_filter_and_unknown_author():
    sam = read("android.txt", author="sam")
    assert [e.text for e in sam.entries] == ["I got the job!!!", "Can't sleep, too anxious about tomorrow"]
    assert all(e.author == "Sam" for e in sam.entries)
    with pytest.raises(UserError, match="Alex, Sam"):
        read("android.txt", author="Nobody")


def test_whatsapp_ios_with_u200e_marks():
    result = read("ios.txt")
    assert result.format == "whatsapp"
    assert [e.date for e in result.entries] == [D(2025, 3, 1), D(2025, 3, 2)]
    assert result.entries[0].text == "Happy birthday darling\nhope it is a lovely one\nThanks mum! I wish you were here."
    assert result.entries[1].text == "Look at the sunrise"
    assert all("\u200e" not in e.text and "omitted" not in e.text for e in result.entries)
    assert any("day/month" in m for m in messages(result))  # all dates ≤ 12: the guess is reported


def test_whatsapp_ambiguous_dates_are_reported_not_silently_guessed():
    result = read("ambiguous.txt")
    assert any("reads both as day/month and month/day" in m for m in messages(result))
    assert [e.date for e in read("ambiguous.txt", date_order="dmy").entries] == [D(2025, 1, 3), D(2025, 2, 4)]


def test_whatsapp_day_first_android_export():
    text = "25/12/24, 21:00 - Ana: Merry Christmas!\n26/12/24, 09:00 - Ana: So tired today"
    result = read_text(text)
    assert [e.date for e in result.entries] == [D(2024, 12, 25), D(2024, 12, 26)] and result.problems == []


def test_chat_with_only_media_lines_is_a_clear_error():
    with pytest.raises(UserError, match="media_only.txt.*only media or system"):
        read("media_only.txt")


@pytest.mark.parametrize("name, match", [("empty.txt", "empty"), ("binary.txt", "binary")])
def test_empty_and_binary_files_name_the_file(name, match):
    with pytest.raises(UserError, match=f"{name}.*{match}"):
        read(name)


def test_missing_path_is_an_error_not_text(tmp_path):
    with pytest.raises(UserError, match="no such file"):
        read_journal(tmp_path / "nope.md")


def test_mixed_encodings_are_read_and_reported():
    result = read("mixed.txt")
    assert [e.text for e in result.entries] == ["Café with friends, so good.", "Naïve hope in a cp1252 line."]
    assert any(p.line == 5 and "Windows-1252" in p.message for p in result.problems)


def test_utf16_with_bom(tmp_path):
    path = tmp_path / "diary.txt"
    path.write_bytes("## 2025-03-01\nÜber-happy today.".encode("utf-16"))
    assert read_journal(path).entries[0].text == "Über-happy today."


def test_unknown_format_name_lists_the_known_ones():
    with pytest.raises(UserError, match="known formats: text, markdown"):
        read_text("hello", format="docx")


def test_future_dates_are_kept_and_reported():
    result = read_text("## 2999-01-01\nA letter to the future.")
    assert result.entries[0].date == D(2999, 1, 1)
    assert any("in the future" in p.message and p.line == 1 for p in result.problems)


def test_very_long_entry_is_kept_whole():
    body = "I keep writing and writing. " * 8000  # about 220,000 characters
    result = read_text(f"## 2025-03-01\n{body}")
    assert len(result.entries) == 1 and result.entries[0].text == body.strip()


def test_detection_uses_content_over_extension():
    assert detect_format('{"date": "2025-03-01", "text": "x"}\n', "diary.txt") == "jsonl"
    assert detect_format("date;text\n2025-03-01;hello\n", "x.txt") == "csv"
    assert detect_format("[1/3/2025, 20:00:00] A: hi\n", "notes.json") == "whatsapp"
    assert detect_format("just words\n", "notes.md") == "markdown"


def test_entry_key_is_stable_and_depends_on_date_author_and_text():
    a = Entry(D(2025, 3, 1), "same", "a.md")
    assert a.key == Entry(D(2025, 3, 1), "same", "other.md", line=9).key
    assert len({a.key, Entry(D(2025, 3, 2), "same", "a.md").key, Entry(D(2025, 3, 1), "same", "a.md", "Bo").key}) == 3


def test_filter_entries_by_date_range_and_limit():
    entries = [Entry(D(2025, 3, d), str(d), "x") for d in (1, 2, 3, 4)] + [Entry(None, "undated", "x")]
    assert [e.text for e in filter_entries(entries, D(2025, 3, 2), D(2025, 3, 3))] == ["2", "3"]
    assert [e.text for e in filter_entries(entries, limit=2)] == ["1", "2"]
    assert len(filter_entries(entries)) == 5


def test_text_that_merely_starts_with_a_brace_is_text():
    result = read_text("{sigh} I wish I could see the sea again.")
    assert result.format == "text" and result.entries[0].text.startswith("{sigh}")


def test_author_filter_on_records():
    assert len(read("entries.csv", author="ana").entries) == 5
    with pytest.raises(UserError, match="authors: Ana"):
        read("entries.csv", author="Bob")


# --- Chinese journals: dates, full-width digits, mixed text, emoji and [表情] tags, GBK ---

ZH_DIARY = """# 2025年

## 3月1日 星期六

今天好想去看海[泪] I really miss the sea 🌊。

## ３月２日（周日）

受够了加班！！

## 2025年3月4日

写了一点日记。
"""


def test_chinese_dates_year_heading_full_width_digits_and_text_kept(tmp_path):
    path = tmp_path / "日记.md"
    path.write_text(ZH_DIARY, encoding="utf-8")
    result = read_journal(path)
    assert result.format == "markdown"
    assert [e.date for e in result.entries] == [D(2025, 3, 1), D(2025, 3, 2), D(2025, 3, 4)]
    assert result.entries[0].text == "今天好想去看海[泪] I really miss the sea 🌊。"
    assert result.problems == []


@pytest.mark.parametrize("line, expected", [
    ("2025年3月1日", D(2025, 3, 1)), ("2025 年 3 月 1 号 星期六", D(2025, 3, 1)), ("2025/3/1", D(2025, 3, 1)),
    ("２０２５／３／１", D(2025, 3, 1)), ("２０２５年３月１日", D(2025, 3, 1)), ("2025年12月31日（星期三）", D(2025, 12, 31)),
])
def test_chinese_date_lines_start_plain_text_entries(tmp_path, line, expected):
    path = tmp_path / "diary.txt"
    path.write_text(f"{line}\n今天很平静。\n", encoding="utf-8")
    entries = read_journal(path).entries
    assert [(e.date, e.text) for e in entries] == [(expected, "今天很平静。")]


def test_a_date_inside_a_chinese_sentence_stays_text(tmp_path):
    path = tmp_path / "diary.txt"
    path.write_text("2025年3月1日\n我想起3月1日那天下了雪。\n", encoding="utf-8")
    assert [e.text for e in read_journal(path).entries] == ["我想起3月1日那天下了雪。"]


def test_gbk_file_is_read_and_reported(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("2025年3月1日\n今天很想念我的家乡，工作压力很大。\n".encode("gbk"))
    result = read_journal(path)
    assert [(e.date, e.text) for e in result.entries] == [(D(2025, 3, 1), "今天很想念我的家乡，工作压力很大。")]
    assert any("GBK" in p.message and "gbk.txt" in p.source for p in result.problems)


def test_cp1252_lines_are_not_mistaken_for_gbk():
    assert [p for p in read("mixed.txt").problems if "GBK" in p.message] == []


# --- Hostile and careless input: no traceback, no hang, every problem named ---

DEEP = "[" * 200_000 + "]" * 200_000


def test_deeply_nested_json_is_reported_not_a_recursion_error(tmp_path):
    with pytest.raises(UserError, match=r"deep\.json.*nested too deeply"):
        read_text(DEEP, "deep.json", format="json")
    day_one = '{"entries": [\n{"creationDate": "2025-03-01T10:00:00Z", "text": "a"},\n' + DEEP + "\n]}"
    with pytest.raises(UserError, match=r"export\.json.*nested too deeply"):
        read_text(day_one, "export.json")
    path = tmp_path / "deep.txt"
    path.write_text(DEEP)
    assert [p.line for p in read_journal(path).problems if "nested too deeply" in p.message] == [1]


def test_a_too_deep_jsonl_line_is_skipped_and_the_rest_read():
    text = DEEP + '\n{"date": "2025-03-01", "text": "Still here."}\n' + '{"text": ' * 100_000
    result = read_text(text, "deep.jsonl")
    assert result.format == "jsonl" and [e.text for e in result.entries] == ["Still here."]
    assert [p.line for p in result.problems if "nested too deeply" in p.message] == [1, 3]


def test_a_number_too_long_for_python_is_a_problem_on_its_line():
    result = read_text('{"date": "2025-03-01", "text": "ok"}\n{"date": ' + "9" * 5000 + ', "text": "x"}', "n.jsonl")
    assert [e.text for e in result.entries] == ["ok"]
    assert any(p.line == 2 and "cannot be read" in p.message for p in result.problems)


def test_lone_surrogates_become_replacement_characters_with_a_problem_on_their_line():
    text = '{"date": "2025-03-01", "text": "ok"}\n{"date": "2025-03-02", "text": "a \\ud800 b", "author": "\\udfffAna"}'
    result = read_text(text, "s.jsonl")
    entry = result.entries[1]
    assert (entry.text, entry.author) == ("a \ufffd b", "\ufffdAna") and entry.key  # the key encodes the text
    assert result.authors == ["\ufffdAna"]
    assert [(p.line, "invalid character" in p.message) for p in result.problems] == [(2, True)]


def test_surrogate_escaped_command_line_text_is_cleaned_in_every_format():
    argv_text = b"## 2025-03-01\ncaf\xe9 with friends".decode("utf-8", "surrogateescape")  # how Python decodes argv
    for format in (None, "text", "markdown"):
        result = read_text(argv_text, "--text", format=format)
        assert result.entries[0].text == "caf\ufffd with friends"
        assert any("invalid character" in p.message and p.source == "--text" for p in result.problems)


def test_wrong_json_types_in_day_one_are_reported_and_dates_kept():
    result = read("dayone_wrong_types.json")
    by_text = {e.text: e for e in result.entries}
    assert by_text["A zone that is a number."].date == D(2025, 3, 1)  # the UTC day, not lost
    assert by_text["An unknown zone."].date == D(2025, 3, 2)
    assert by_text["A zone folder, not a zone."].date == D(2025, 3, 7)
    assert by_text["Tags that are a number."].tags == () and by_text["Some tags are not text."].tags == ("sea",)
    assert by_text["A date that is a list."].date is None
    assert len(result.entries) == 6  # entry 3, whose text is a number, is skipped
    found = messages(result)
    for entry, words in [(1, "timeZone is not a usable time zone (5)"), (2, "Mars/Olympus_Mons"), (3, "text is 5"),
                         (4, "tags is 5, not a list"), (5, "2 tag(s) that are not text"),
                         (6, "creationDate is not readable (a list)"), (7, "'Europe'")]:
        assert any(f"entry {entry} " in m and words in m for m in found), (entry, found)


def test_wrong_json_types_in_json_lines_are_reported_on_their_lines():
    result = read("wrong_types.jsonl")
    assert [(e.text, e.date, e.author, e.title) for e in result.entries] == [
        ("A date that is an object.", None, None, None), ("An author that is a list.", D(2025, 3, 2), None, None),
        ("A title that is a number.", D(2025, 3, 3), None, None), ("A time without a day.", None, None, None),
        ("A timestamp too large.", None, "Ana", None)]
    lines = {p.line: p.message for p in result.problems}
    assert "date is not readable (an object)" in lines[1] and "author is a list" in lines[2]
    assert "title is 5" in lines[3] and "text is 5, not text; skipped" in lines[4]
    assert "'10:00'" in lines[5] and "not readable" in lines[6]


def test_wrong_json_types_in_a_json_array_name_the_item():
    text = '[{"date": "2025-03-01", "text": ["a"]}, {"date": [2025], "text": "kept", "title": {"x": 1}}, 7]'
    result = read_text(text, "a.json")
    assert [(e.text, e.date, e.title) for e in result.entries] == [("kept", None, None)]
    assert {m.split(" ", 2)[1] for m in messages(result)} == {"1", "2", "3"}  # "item N ..." for each bad item


@pytest.mark.parametrize("text", ["## 0000-01-01\nA date that cannot exist.", "0000-01-01\nA date that cannot exist."])
def test_year_zero_is_a_problem_not_a_guess(text):
    result = read_text(text, "zero.md")
    assert [e.date for e in result.entries] == [None]
    assert any(p.line == 1 and "not a valid date" in p.message for p in result.problems)


@pytest.mark.parametrize("value", ["10:00", "March", "Saturday", "2025-03", "0000-01-01"])
def test_a_json_date_that_names_no_full_day_is_not_filled_in_from_today(value):
    result = read_text(json.dumps({"date": value, "text": "Words."}), "d.jsonl")
    assert result.entries[0].date is None
    assert any(p.line == 1 and ("not readable" in p.message or "not a valid date" in p.message)
               for p in result.problems)


def test_two_digit_years_still_expand():
    assert read_text("3/13/25, 8:00 PM - A: hi").entries[0].date == D(2025, 3, 13)
    assert read_text("## 13.03.99\nOld times.").entries[0].date == D(1999, 3, 13)


BIG5_DIARY = "2025年3月1日\n今天很開心，我想去海邊。\n我很想念我的家人，工作壓力很大。\n"


@pytest.mark.parametrize("encoding, name, diary", [
    ("big5", "Big5", BIG5_DIARY),
    ("cp950", "Big5", BIG5_DIARY),
    ("big5hkscs", "HKSCS", "2025年3月1日\n今日好開心，我哋去咗海邊。佢話唔嚟，我冇所謂。\n"),
])
def test_traditional_chinese_legacy_encodings_are_read_and_named(tmp_path, encoding, name, diary):
    path = tmp_path / "big5.txt"
    path.write_bytes(diary.encode(encoding))
    result = read_journal(path)
    assert [(e.date, e.text) for e in result.entries] == [(D(2025, 3, 1), diary.split("\n", 1)[1].strip())]
    assert any(name in p.message and "big5.txt" in p.source for p in result.problems)


@pytest.mark.parametrize("text", ["Ärger über Öl, schön.", "über über über", "Café crème, très élevé.",
                                  "“Quoted” — dash… €5"])
def test_latin_text_is_not_mistaken_for_chinese(tmp_path, text):
    path = tmp_path / "latin.txt"
    path.write_bytes(f"## 2025-03-01\n{text}\n".encode("cp1252"))
    result = read_journal(path)
    assert result.entries[0].text == text and any("Windows-1252" in p.message for p in result.problems)


def test_identical_entries_are_kept_once_and_both_lines_named():
    text = "## 2025-03-01\nThe sea.\n\n## 2025-03-02\nWork.\n\n## 2025-03-01\nThe sea.\n"
    result = read_text(text, "twice.md")
    assert [e.text for e in result.entries] == ["The sea.", "Work."]
    assert [(p.line, p.message) for p in result.problems] == [
        (7, "entry repeats line 1 word for word (same date, author and text); kept once")]


def test_identical_entries_without_lines_are_named_by_date_and_words():
    text = json.dumps([{"date": "2025-03-01", "text": "The sea."}, {"date": "2025-03-01", "text": "The sea."},
                       {"date": "2025-03-01", "text": "The sea.", "author": "Bo"}])
    result = read_text(text, "twice.json")
    assert len(result.entries) == 2  # another author wrote the third: not a duplicate
    assert messages(result) == ["the 2025-03-01 entry 'The sea.' appears again word for word (same date, author "
                                "and text); kept once"]


def test_filter_entries_refuses_a_range_that_ends_before_it_starts():
    entries = [Entry(D(2025, 3, d), str(d), "x") for d in (1, 2, 3)]
    with pytest.raises(UserError, match="2025-03-03 is after until 2025-03-01"):
        filter_entries(entries, D(2025, 3, 3), D(2025, 3, 1))
    assert [e.text for e in filter_entries(entries, D(2025, 3, 2), D(2025, 3, 2))] == ["2"]


# --- Special files and limits ---


def _refused_within_seconds(path, match: str) -> None:
    """read_journal(path) raises a UserError matching `match`; an alarm turns a hang into a failure."""
    def hung(*_):
        raise TimeoutError(f"reading {path} hangs")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    try:
        with pytest.raises(UserError, match=match):
            read_journal(path)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_named_pipe_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "journal.txt"
    os.mkfifo(fifo)
    _refused_within_seconds(fifo, r"journal\.txt: is a named pipe \(FIFO\), not a journal file")


def test_a_socket_a_device_and_a_folder_are_refused(tmp_path):
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "s.sock"))
        _refused_within_seconds(tmp_path / "s.sock", "is a socket")
    _refused_within_seconds(Path("/dev/zero"), "/dev/zero: is a device")
    _refused_within_seconds(tmp_path, "is a folder")


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setenv("VISUALIZER_MAX_FILE_MB", "1")
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * (1024 * 1024 + 1))
    with pytest.raises(UserError, match=r"big\.txt: is 1 MB, too large.*set VISUALIZER_MAX_FILE_MB to raise it"):
        read_journal(path)
    with pytest.raises(UserError, match=r"<stdin>: holds more than 1 MB.*VISUALIZER_MAX_FILE_MB"):
        read_stream(io.BytesIO(path.read_bytes()), "<stdin>")
    path.write_bytes(b"## 2025-03-01\nSmall enough.")
    assert read_journal(path).entries[0].text == "Small enough."


def test_an_entry_over_the_entry_limit_is_skipped_naming_its_line(monkeypatch):
    monkeypatch.setenv("VISUALIZER_MAX_ENTRY_CHARS", "1000")
    result = read_text("## 2025-03-01\nShort.\n\n## 2025-03-02\n" + "word " * 400 + "\n\n## 2025-03-03\nAlso short.")
    assert [e.text for e in result.entries] == ["Short.", "Also short."]
    [problem] = result.problems
    assert problem.line == 4 and "1,999 characters" in problem.message
    assert "the limit is 1,000 characters; set VISUALIZER_MAX_ENTRY_CHARS to raise it" in problem.message


@pytest.mark.parametrize("value", ["lots", "0", "-5", "1.5"])
def test_a_bad_limit_setting_is_named(monkeypatch, value):
    monkeypatch.setenv("VISUALIZER_MAX_ENTRY_CHARS", value)
    with pytest.raises(UserError, match=f"VISUALIZER_MAX_ENTRY_CHARS='{re.escape(value)}': give a whole number"):
        read_text("words")


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_zip_member_over_the_limit_is_skipped_and_the_others_read(tmp_path, monkeypatch):
    monkeypatch.setenv("VISUALIZER_MAX_ARCHIVE_MEMBER_MB", "1")
    archive = _zip(tmp_path / "export.zip", {"bomb.json": b" " * (3 * 1024 * 1024) + b"[]",
                                             "Journal.json": (FIXTURES / "dayone.json").read_bytes()})
    assert archive.stat().st_size < 20_000
    result = read_journal(archive)
    assert len(result.entries) == 3 and result.format == "dayone"
    assert any(p.source == f"{archive}/bomb.json" and "unpacks to more than 1 MB" in p.message
               and "VISUALIZER_MAX_ARCHIVE_MEMBER_MB" in p.message for p in result.problems)


def test_a_zip_member_whose_declared_size_lies_is_not_trusted(tmp_path, monkeypatch):
    monkeypatch.setenv("VISUALIZER_MAX_ARCHIVE_MEMBER_MB", "1")
    archive = _zip(tmp_path / "export.zip", {"bomb.txt": b"a" * (3 * 1024 * 1024),
                                             "diary.txt": b"## 2025-03-01\nStill read."})
    data = archive.read_bytes()
    record = data.index(b"PK\x01\x02")  # bomb.txt's central directory record: it claims 10 bytes
    archive.write_bytes(data[:record + 24] + struct.pack("<I", 10) + data[record + 28:])
    assert zipfile.ZipFile(archive).getinfo("bomb.txt").file_size == 10
    result = read_journal(archive)
    assert [e.text for e in result.entries] == ["Still read."]
    assert any(p.source == f"{archive}/bomb.txt" and "skipped" in p.message for p in result.problems)


def test_zip_members_together_stop_at_the_file_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("VISUALIZER_MAX_FILE_MB", "1")
    members = {f"{n}.txt": f"## 2025-03-0{n}\n".encode() + b"a " * 300_000 for n in range(1, 4)}
    result = read_journal(_zip(tmp_path / "many.zip", members))
    assert len(result.entries) == 1
    assert any(p.source.endswith("many.zip/2.txt") and "together unpack to more than 1 MB" in p.message
               and "VISUALIZER_MAX_FILE_MB" in p.message for p in result.problems)


def test_an_unreadable_zip_member_does_not_sink_the_others(tmp_path):
    archive = _zip(tmp_path / "export.zip", {"empty.txt": b"", "binary.json": bytes(range(256)),
                                             "diary.txt": b"## 2025-03-01\nStill read."})
    result = read_journal(archive)
    assert [e.text for e in result.entries] == ["Still read."]
    assert sum("empty.txt" in m or "binary.json" in m for m in messages(result)) == 2


def test_a_damaged_zip_is_a_user_error_naming_it(tmp_path):
    data = _zip(tmp_path / "export.zip", {"diary.txt": b"## 2025-03-01\nWords."}).read_bytes()
    (tmp_path / "cut.zip").write_bytes(data[:30] + data[-22:])
    with pytest.raises(UserError, match=r"cut\.zip"):
        read_journal(tmp_path / "cut.zip")


@pytest.mark.parametrize("line", [
    "# a" + " " * 100_000 + "b",  # a heading of spaces: the old heading pattern backtracked in cubic time
    "a\n\nx" + "*" * 100_000 + "x",  # emphasis marks around a would-be date
    "3/1/25, 8:00 PM - A: hi" + " " * 100_000 + "b",  # spaces before WhatsApp's edit mark
    '{"entries": [{"creationDate": "2025-03-01T10:00:00Z", "text": "' + "![" * 100_000 + '"}]}',  # Day One moments
])
def test_long_hostile_lines_are_read_in_linear_time(line):
    started = time.perf_counter()
    read_text(line, "long.txt")
    assert time.perf_counter() - started < 2.0
