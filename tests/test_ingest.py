"""Ingest: every format from small fixtures, tricky dates, chat quirks and bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from visualizer.errors import UserError
from visualizer.ingest import Entry, detect_format, filter_entries, read_journal, read_text

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
