"""Chinese crisis rule families, each beside the look-alike it must leave alone (data/crisis.toml [zh]).

The sets in tests/data measure recall; these pairs pin down why a construction flags and where its guard stops,
so a later edit that widens or narrows one family fails here with the construction named.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from visualizer.affect.crisis import find_signs, is_harmful, sentence_has_sign
from visualizer.affect.segment import split_sentences

DEV = [json.loads(line) for line in
       (Path(__file__).parent / "data" / "zh_crisis_dev.jsonl").read_text(encoding="utf-8").splitlines()
       if line.strip()]


def flagged(text: str) -> bool:
    return find_signs(split_sentences(text)).flagged


@pytest.mark.parametrize("text", [
    "我想去湖边跳下去。",                    # a place between the wish and the means
    "好想找个地方一个人去死。",
    "我要从这里跳下去。",
    "他们都不知道我想自杀。",                  # first person after a third-person subject
    "我一直有自杀的念头。",                    # bare mention, the writer's own
    "朋友劝我别自杀。",
    "跟室友吵完架又自残了。",                  # dropped 我 after a 跟-object
    "我把攒的安眠药都藏好了。",                # 把-construction
    "刚才差点就吞了那瓶药。",                  # near-attempt
    "死了才能轻松。",                          # death as relief
    "我不配活着。",
    "这一次是永别了。",                        # farewell
    "这是最后一篇日记了，谢谢每一个对我好的人。",
    "我又控制不住想划。",                      # self-harm urge with no object
    "真想拿菜刀砍死他。",                      # weapon before the verb
    "想彻底从这个世界上消失。",                # 消失 after its place
    "如果我不在了，大家会不会过得更好。",      # better off without me, as a question
    "想永远睡着。",
    "這次是永別了。",                          # Traditional
    "我想從頂樓跳下去。",
])
def test_construction_flags(text):
    assert flagged(text) and all(sentence_has_sign(s) for s in split_sentences(text) if find_signs([s]).flagged)


@pytest.mark.parametrize("text", [
    "加班到半夜，累得想死。",                  # hyperbole
    "尴尬得我都想死。",
    "想死你了！",                              # missing someone
    "周末想看死侍。",                          # 死 inside a word, after a gap
    "想让烦恼都消失。",                        # 消失 after a gap is no wish to vanish
    "新闻说有人跳楼了。",                      # someone else, reported
    "他朋友几年前轻生了。",
    "那本小说写一个女孩自杀的故事。",
    "我要是没刹车就撞上去了。",                # 要是 = if: an accident
    "前面的车一停，我差点撞上去。",
    "要注意别撞上去。",
    "忍不住划了一下午手机。",
    "帮外公安排后事。",                        # grief
    "我想起爷爷去世那天。",                    # 想起 = remember
    "想去泳池跳下去游泳。",
    "这是今年最后一篇日记，明年见。",
    "周末想去游乐园坐跳楼机。",                # a ride, not a means
])
def test_look_alike_does_not_flag(text):
    assert not flagged(text)


@pytest.mark.parametrize("phrase", ["永远睡去", "一觉不醒", "永远地睡着", "彻底从这个世界上消失", "去江边跳下去"])
def test_wish_objects_of_never_waking_or_a_means_are_harmful(phrase):
    assert is_harmful(phrase)


@pytest.mark.parametrize("phrase", ["好好睡一觉", "睡个懒觉", "消失几天", "去海边", "一觉睡到自然醒", "去坐跳楼机"])
def test_ordinary_sleep_and_travel_objects_are_not_harmful(phrase):
    assert not is_harmful(phrase)


def test_every_harmful_object_in_the_dev_set_is_harmful():
    objects = [row["harmful_object"] for row in DEV if row["harmful_object"]]
    assert objects and all(is_harmful(phrase) for phrase in objects), [p for p in objects if not is_harmful(p)]


def test_a_gap_never_reaches_across_punctuation():
    """想 … 撞过去 would be a wish with its means; a comma between them ends the wish's clause."""
    assert not flagged("我想回家，看见有人开车撞过去。")
