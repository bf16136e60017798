"""Language per entry and per sentence from script counts (visualizer/affect/language.py)."""

import pytest

from visualizer.affect.language import describe, detect, is_mixed

from visualizer.text.scripts import to_simplified
from visualizer.affect.segment import split_sentences


@pytest.mark.parametrize("text, expected", [
    ("我今天很想念我的家乡，工作压力很大。", "zh"), ("我們今天去看電影，很開心。", "zh"), ("I miss the sea.", "en"),
    ("我今天去了 Starbucks 买咖啡", "zh"), ("I had 饺子 for dinner tonight with my friends", "en"),
    ("今日は東京に行きました", "other"), ("안녕하세요 반갑습니다", "other"), ("Привет, как дела?", "other"),
    ("lol [哈哈]", "en"), ("２０２５年３月１日，晴。", "zh"), ("😂😂 123", "en"), ("", "en"),
])
def test_detect(text, expected):
    assert detect(text) == expected


def test_mixed_entries_are_marked_and_read_sentence_by_sentence():
    text = "Long day at work. 好想回家，好想我的猫。"
    reading = describe(text, split_sentences(text))
    assert reading.mixed and reading.sentences == ("en", "zh")
    assert is_mixed("我今天去了 Starbucks") and not is_mixed("我今天去了公园。")
    assert not describe("I miss the sea.", ["I miss the sea."]).mixed


def test_traditional_folds_to_simplified_one_character_for_one():
    assert to_simplified("我討厭醫院的味道") == "我讨厌医院的味道"
    assert len(to_simplified("活著沒意義")) == len("活著沒意義")
