"""Line breaks: hard-wrapped prose reads whole; one-thought lines, lists, chats and Chinese split as written."""

import re
import textwrap
import time
from pathlib import Path

from visualizer.affect.segment import split_sentences
from visualizer.ingest.read import read_journal

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ENDS = re.compile(r"""[.!?…。！？]["'”’)]*$""")


def test_a_line_break_inside_a_sentence_of_wrapped_prose_does_not_cut_it():
    assert split_sentences("My manager sent three\nmessages before nine.") == [
        "My manager sent three messages before nine."]
    text = ("Performance review next week. I keep rehearsing what to say about the project that went wrong in\n"
            "January. My shoulders are up by my ears. Stress dream last night: I was sitting an exam in a language I\n"
            "don't speak.")
    assert split_sentences(text) == [
        "Performance review next week.",
        "I keep rehearsing what to say about the project that went wrong in January.",
        "My shoulders are up by my ears.",
        "Stress dream last night: I was sitting an exam in a language I don't speak."]


def test_prose_filled_by_an_editor_reads_as_if_written_on_one_line():
    prose = ("Woke up early and the light through the curtains was almost gold. I made pancakes for no reason at all "
             "and ate them on the balcony with my coat on. The street smelled of wet stone and bread. I long for the "
             "coast so much it almost hurts.")
    for width in (40, 72, 100):
        assert split_sentences(textwrap.fill(prose, width)) == split_sentences(prose), width


def test_every_sentence_of_the_wrapped_example_journal_is_whole():
    entries = read_journal(EXAMPLES / "journal.md").entries
    sentences = [s for entry in entries for s in split_sentences(entry.text)]
    assert all(ENDS.search(s) for s in sentences), [s for s in sentences if not ENDS.search(s)]
    assert "I snapped at Tom in the meeting and I regret it." in sentences
    assert len(sentences) == 95  # 128 when every line break cut


def test_a_diary_written_a_thought_per_line_splits_at_each_line():
    assert split_sentences("tired today\ncalled mum\nfelt better") == ["tired today", "called mum", "felt better"]
    assert split_sentences("tired today\ncalled mum\nfelt better.") == ["tired today", "called mum", "felt better."]
    lines = ["Woke up late and missed the bus again", "Spent the whole afternoon on the report",
             "Felt better after dinner with Sam."]
    assert split_sentences("\n".join(lines)) == lines
    lines = ["woke up at six and went for a long run", "lunch with my sister at the new place",
             "felt strangely calm all evening"]
    assert split_sentences("\n".join(lines)) == lines


def test_list_items_split_and_keep_their_markers():
    assert split_sentences("Things to do today, before the weekend starts:\n- call the dentist about the crown\n"
                           "- buy milk\n* water the plants\n• pay rent") == [
        "Things to do today, before the weekend starts:", "- call the dentist about the crown", "- buy milk",
        "* water the plants", "• pay rent"]
    assert split_sentences("1. Woke up late\n2. Ran 5 km\n3) called mum") == [
        "1. Woke up late", "2. Ran 5 km", "3) called mum"]
    wrapped_item = "- finish the quarterly report and send it to my manager before\n  the end of the week.\n- sleep."
    assert split_sentences(wrapped_item) == [
        "- finish the quarterly report and send it to my manager before the end of the week.", "- sleep."]


def test_chat_messages_split_at_line_breaks():
    day = ("Did you see the magnolias by the canal??\nYes! I walked past them twice just to look\n"
           "they make me so happy\nI wish I could see the sea again though. The city is getting to me")
    assert split_sentences(day) == [
        "Did you see the magnolias by the canal??", "Yes!", "I walked past them twice just to look",
        "they make me so happy", "I wish I could see the sea again though.", "The city is getting to me"]
    assert split_sentences("Did you finish the report yet?\nnot yet, maybe tomorrow morning.") == [
        "Did you finish the report yet?", "not yet, maybe tomorrow morning."]
    assert split_sentences("running late sorry\nbe there in ten minutes, save me a seat.") == [
        "running late sorry", "be there in ten minutes, save me a seat."]
    assert split_sentences("we finally booked the whole trip to Porto 🎉\nso happy about it, honestly.") == [
        "we finally booked the whole trip to Porto 🎉", "so happy about it, honestly."]


def test_blank_lines_and_headings_always_split():
    assert split_sentences("I went out for a long walk by the river and the\n\nweather was lovely.") == [
        "I went out for a long walk by the river and the", "weather was lovely."]
    heading = "## Morning walk by the river\nthe weather was lovely and the river was\nhigh after the rain."
    assert split_sentences(heading) == [
        "## Morning walk by the river", "the weather was lovely and the river was high after the rain."]


def test_chinese_lines_split_as_before_unless_evenly_wrapped():
    assert split_sentences("今天加班到很晚，回家的时候已经十一点了\n感觉好多了。") == [
        "今天加班到很晚，回家的时候已经十一点了", "感觉好多了。"]
    assert split_sentences("今天很累\n给妈妈打了电话\n感觉好多了。") == ["今天很累", "给妈妈打了电话", "感觉好多了。"]
    wrapped = "季度报告星期五就要交了，一半的数据还没有。领导早上九点\n前就发了三条消息。截止日期像一块石头压在胸口。开会的\n时候我对同事发了脾气，现在很后悔。"
    assert split_sentences(wrapped) == [
        "季度报告星期五就要交了，一半的数据还没有。", "领导早上九点前就发了三条消息。", "截止日期像一块石头压在胸口。",
        "开会的时候我对同事发了脾气，现在很后悔。"]
    for entry in read_journal(EXAMPLES / "journal_zh.md").entries:
        lines = entry.text.splitlines()
        assert all(any(s in line for line in lines) for s in split_sentences(entry.text)), entry.date


def test_mixed_chinese_and_english_lines_join_with_a_space_only_between_latin_words():
    assert split_sentences("I had 饺子 for dinner with my family and\nthen we walked home along the river.") == [
        "I had 饺子 for dinner with my family and then we walked home along the river."]
    assert split_sentences("今天很开心，和朋友去爬山了。\nThen we had dinner by the lake.") == [
        "今天很开心，和朋友去爬山了。", "Then we had dinner by the lake."]


def test_a_hard_wrapped_entry_of_200000_characters_is_read_whole_in_linear_time():
    prose = "My manager sent three messages before nine and I felt the deadline sitting on my chest like a stone. "
    entry = textwrap.fill(prose * 2000, 72)
    assert len(entry) > 200_000
    start = time.perf_counter()
    sentences = split_sentences(entry)
    assert sentences == [prose.strip()] * 2000
    for bad in ("." * 200_000, "wait... what " * 15_400, "a. " * 66_667):  # once quadratic: minutes, not seconds
        split_sentences(bad)
    assert time.perf_counter() - start < 5
