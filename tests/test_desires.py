"""Desire extraction on handwritten sentences: the object of longing, negation, questions, intensity.

data/evaluation/desires_dev.jsonl: 178 diary-style sentences written before the cues were broadened (92 longing
objects in many phrasings, 43 aversion objects, 45 sentences with neither: questions, third-person wishes,
greetings, "I want to say", negations). Before the broadening: longing recall 0.54, aversion recall 0.14,
false alarms 0.13, 9 on the wrong side; the cues are tuned on it.

data/evaluation/desires_heldout.jsonl: 62 lines in other styles (lowercase texting, notes, letters, longer journal
sentences; 32 longing, 18 aversion, 12 neither), written by the same session before the cues were broadened
and evaluated once at the end, untuned: longing recall 30/32 = 0.94, aversion recall 16/18 = 0.89, false
alarms 1/12 = 0.08 ("I miss the bus most mornings"), none on the wrong side (before: 0.53, 0.22, 0.17, 2).
Left missed: "part of me still longs for", "i want one" (too vague an object), "fills me with dread", "no more
X, I can't take it". The floors below are the figures measured then. Do not tune on these
lines; write new dev lines instead, and a fresh held-back set before claiming a new held-out figure.

Scoring (`evaluate`): an object counts as found when the extraction on the same side shares a content word with
it; recall per side; a false alarm is any extraction on a sentence with neither; wrong side is a gold object
found on the other side.
"""

import re
import tomllib
from pathlib import Path

import pytest
from data_rows import read_rows

from visualizer.affect.desires import LEXICON, default_finder, find_aversions, find_desires
from visualizer.affect.segment import split_sentences

JOURNAL = Path(__file__).parents[1] / "examples" / "journal.md"
_FUNCTION = set("""the a an to of my our your their his for with in on at and be is are was were some more that this all
so just really again back go see have get feel from by it me i any another""".split())


def _content(phrase: str) -> set[str]:
    words = re.findall(r"[a-z0-9']+", phrase.lower())
    return {w for w in words if w not in _FUNCTION} or set(words)


def _same(gold: str, found: str) -> bool:
    return bool(_content(gold) & _content(found))


def evaluate(rows: list[dict], finder=None, same=None) -> dict:
    """Longing and aversion recall, false alarms (share of sentences with neither that get an extraction),
    wrong side (gold objects found on the other side)."""
    finder, same = finder or default_finder(), same or _same
    counts = dict(longing=0, longing_hit=0, aversion=0, aversion_hit=0, none=0, alarms=0, wrong_side=0)
    for row in rows:
        desires, aversions = finder.find(row["text"])
        wanted, pushed = [d.text for d in desires], [a.text for a in aversions]
        for side, gold_side, wanted_side, other in (("longing", "desires", wanted, pushed),
                                                   ("aversion", "aversions", pushed, wanted)):
            for gold in row[gold_side]:
                counts[side] += 1
                counts[side + "_hit"] += any(same(gold, x) for x in wanted_side)
                counts["wrong_side"] += any(same(gold, x) for x in other)
        if not row["desires"] and not row["aversions"]:
            counts["none"] += 1
            counts["alarms"] += bool(wanted or pushed)
    return {"longing_recall": counts["longing_hit"] / counts["longing"],
            "aversion_recall": counts["aversion_hit"] / counts["aversion"],
            "false_alarms": counts["alarms"] / counts["none"], "wrong_side": counts["wrong_side"]}

DESIRES = [
    ("I wish I could see the sea again.", "the sea"),
    ("I miss my grandmother's garden.", "my grandmother's garden"),
    ("all I want is to sleep for a week", "to sleep for a week"),
    ("All I need right now is a long hot bath.", "a long hot bath"),
    ("I long for the quiet of the mountains.", "the quiet of the mountains"),
    ("I long to walk on the beach at dawn", "the beach at dawn"),
    ("I'm longing for a letter from her.", "a letter from her"),
    ("I yearn for the smell of my father's workshop", "the smell of my father's workshop"),
    ("If only I could hear his voice one more time.", "his voice"),
    ("I really miss the old apartment on Rue Cler, but life goes on.", "the old apartment on Rue Cler"),
    ("I want a little house by a lake.", "a little house by a lake"),
    ("I really really want a dog!", "a dog"),
    ("I want to hold her hand again, but she is gone.", "her hand"),
    ("I wish I could sleep for a week", "to sleep for a week"),
    ("I can't wait to see my sister next week", "my sister"),
    ("I would give anything to be back in Lisbon.", "Lisbon"),
    ("I'd love to learn the cello someday.", "learn the cello"),
    ("I'm dying to go to Japan.", "Japan"),
    ("I dream of a garden full of lemon trees.", "a garden full of lemon trees"),
    ("I need a hug.", "a hug"),
    ("I crave silence after days like this.", "silence"),
    ("Sometimes I wish for snow in December.", "snow in December"),
    ("I still miss you so much it hurts.", "you"),
    ("Why do I still miss her so much?", "her"),
    ("I miss walking home under the plane trees", "walking home under the plane trees"),
    ("I can't stop thinking about the cabin by the fjord.", "the cabin by the fjord"),
    ("I hope for a calmer spring.", "a calmer spring"),
    ("Honestly, I just want to be with my friends again", "my friends"),
    ("I'm desperate for some sunlight", "some sunlight"),
    ("I miss the sea, because it made me feel small in a good way.", "the sea"),
]

NOT_DESIRES = [
    "I don't want to go back there.",
    "I never want to see that office again.",
    "It is not that I miss him.",
    "Do I want to move to Berlin?",
    "Should I want more from life?",
    "I need to finish the report by Friday.",
    "I miss it.",
    "The meeting went well and I went home.",
    "She wants a new bike.",
    "I no longer miss the city.",
]


@pytest.mark.parametrize(("sentence", "expected"), DESIRES)
def test_object_of_desire(sentence, expected):
    found = find_desires(sentence)
    assert found, f"no desire found in {sentence!r}"
    assert found[0].text == expected


@pytest.mark.parametrize("sentence", NOT_DESIRES)
def test_not_a_desire(sentence):
    assert find_desires(sentence) == []


@pytest.mark.parametrize(("sentence", "expected"), [
    ("I don't want to go back there.", "go back there"),
    ("I never want to see that office again.", "that office"),
    ("I no longer miss the city.", "the city"),
])
def test_negated_longing_is_aversion(sentence, expected):
    assert [a.text for a in find_aversions(sentence)] == [expected]


def test_intensifiers_and_desire_emotion_raise_intensity():
    plain = find_desires("I miss the sea.")[0].intensity
    intense = find_desires("I miss the sea so much, really.")[0].intensity
    felt = find_desires("I miss the sea.", desire_probability=0.9)[0].intensity
    assert intense > plain
    assert felt > plain
    assert 0 < plain <= 1 and 0 < intense <= 1 and 0 < felt <= 1


def test_stronger_cue_gives_stronger_desire():
    assert find_desires("I would give anything to see the sea.")[0].intensity > find_desires("I hope to see the sea.")[0].intensity


def test_presupposing_question_is_weaker_than_statement():
    assert find_desires("Why do I miss her?")[0].intensity < find_desires("I miss her.")[0].intensity


def test_cue_is_quoted_for_the_explanation():
    assert find_desires("I wish I could see the sea again.")[0].cue == "I wish I could"


def test_two_desires_in_one_sentence():
    texts = {d.text for d in find_desires("I miss the sea and I want a dog.")}
    assert {"a dog"} <= texts and any(t.startswith("the sea") for t in texts)


# Held-out, measured once at the end (before the broadening: 17/32 = 0.53, 4/18 = 0.22, 2/12 = 0.17, 2 on the wrong side).
HELDOUT = {"longing_recall": 30 / 32, "aversion_recall": 16 / 18, "false_alarms": 1 / 12, "wrong_side": 0}

NEW_FAMILIES = [
    ("My biggest wish is to see my mother smile.", "my mother smile"),
    ("It would be so nice to have a balcony again.", "a balcony"),
    ("I'd give anything for a quiet Sunday.", "a quiet Sunday"),
    ("I ache for the mountains.", "the mountains"),
    ("My heart aches for my old street.", "my old street"),
    ("Missing my sister today.", "my sister"),
    ("I'm looking forward to the summer fair.", "the summer fair"),
    ("I've always wanted to see Patagonia.", "Patagonia"),
    ("I wish I were back at the cottage.", "the cottage"),
    ("I wish I had a bigger kitchen.", "a bigger kitchen"),
    ("Oh, to be by the sea.", "the sea"),
    ("What I need most is a long sleep.", "a long sleep"),
    ("I'm homesick for the Highlands.", "the Highlands"),
    ("I'd love a slow breakfast.", "a slow breakfast"),
    # the ordinary wishes of fresh set 4 that found no cue
    ("Honestly I could murder a full English right now.", "full English"),
    ("Dying to see the new Pixar film this weekend.", "the new Pixar film"),
    ("I'm gasping for a cup of tea, it's been a killer of a day.", "a cup of tea"),
    ("I'd give my right arm for a week on a beach somewhere with no emails.", "a week on a beach somewhere with no emails"),
    ("Can't wait to see the lights on the river.", "the lights on the river"),
    ("Really want to see the sea.", "the sea"),
    ("I really hope we get the flat with the bay window.", "the flat with the bay window"),
    ("I hope I pass my driving test tomorrow.", "to pass my driving test"),
]

AVERSIONS = [
    ("I dread the Monday meeting.", "the Monday meeting"),
    ("I'm dreading the drive home.", "the drive home"),
    ("I'm sick of the commute.", "the commute"),
    ("I'm so sick and tired of excuses.", "excuses"),
    ("I'm fed up with the noise.", "the noise"),
    ("The last thing I want is another argument.", "another argument"),
    ("I can't stand the smell of bleach.", "the smell of bleach"),
    ("I hate waiting rooms.", "waiting rooms"),
    ("I wish I didn't have to work tonight.", "work"),
    ("I want to stop worrying about money.", "worrying about money"),
    ("I'd give anything to never see that office again.", "that office"),
    ("I wish the shouting would stop.", "the shouting"),
    ("I'm not looking forward to the exam.", "the exam"),
    ("I hope we never have to move again.", "move"),
]

FIGURES = ["I wish you a happy birthday!", "As you wish.", "There was a wanted poster on the wall.",
           "I want you to know I'm proud of you.", "I'd like to thank everyone.", "I dread to think what it costs.",
           "I hate to say it, but he was right.", "She is sick of her job.", "He dreads Mondays.",
           "I'm not sick of you.", "I told her I'd love to but I'm busy."]


@pytest.mark.parametrize(("sentence", "expected"), NEW_FAMILIES)
def test_broadened_longing_cues(sentence, expected):
    found = find_desires(sentence)
    assert [d.text for d in found][:1] == [expected]
    assert find_aversions(sentence) == []


@pytest.mark.parametrize(("sentence", "expected"), AVERSIONS)
def test_aversion_cues(sentence, expected):
    assert [a.text for a in find_aversions(sentence)] == [expected]
    assert find_desires(sentence) == []  # never on both sides


@pytest.mark.parametrize("sentence", FIGURES)
def test_want_and_wish_used_otherwise(sentence):
    assert find_desires(sentence) == [] and find_aversions(sentence) == []


def test_dev_set_reaches_the_goals():
    figures = evaluate(read_rows("desires_dev.jsonl"))
    assert figures["longing_recall"] >= 0.90, figures
    assert figures["aversion_recall"] >= 0.85, figures
    assert figures["false_alarms"] <= 0.10, figures
    assert figures["wrong_side"] == 0, figures


def test_heldout_floors():
    """Measured once, untuned (see the module docstring); floors guard against regressions."""
    figures = evaluate(read_rows("desires_heldout.jsonl"))
    assert figures["longing_recall"] >= HELDOUT["longing_recall"] - 1e-9, figures
    assert figures["aversion_recall"] >= HELDOUT["aversion_recall"] - 1e-9, figures
    assert figures["false_alarms"] <= HELDOUT["false_alarms"] + 1e-9, figures
    assert figures["wrong_side"] <= HELDOUT["wrong_side"], figures


def _dangling() -> set[str]:
    with LEXICON.open("rb") as handle:
        return {w.lower() for w in tomllib.load(handle)["object"]["dangling"]}


def _ends_on_content_word(phrase: str) -> bool:
    words = phrase.lower().split()
    return bool(words) and words[-1].strip(".,;:!?'\"") not in _dangling()


def test_every_object_in_the_example_journal_ends_on_a_content_word():
    from visualizer.ingest import read_journal

    finder, objects = default_finder(), []
    for entry in read_journal(JOURNAL).entries:
        for k, sentence in enumerate(split_sentences(entry.text)):
            desires, aversions = finder.find(sentence, k)
            objects += [d.text for d in desires + aversions]
    assert objects and "to be close" in objects  # "I wish we could just be close like" (the line breaks there)
    assert [o for o in objects if not _ends_on_content_word(o)] == []


@pytest.mark.parametrize("name", ["desires_dev.jsonl", "desires_heldout.jsonl"])
def test_every_extracted_object_ends_on_a_content_word(name):
    finder = default_finder()
    for row in read_rows(name):
        desires, aversions = finder.find(row["text"])
        for d in desires + aversions:
            assert _ends_on_content_word(d.text), (row["text"], d.text)


def test_aversions_are_not_raised_by_the_desire_emotion():
    plain = find_aversions("I dread Mondays.")[0].intensity
    assert default_finder().find("I dread Mondays.", 0, 0.9)[1][0].intensity == plain


@pytest.mark.parametrize("change, message", [
    (lambda scoring: scoring.pop("question_scale"), r"\[scoring\] question_scale must be a number, got None"),
    (lambda scoring: scoring.update(max_boost="0.2"), r"\[scoring\] max_boost must be a number, got '0.2'"),
])
def test_scoring_numbers_are_data_and_a_broken_one_names_the_file_and_key(change, message):
    from visualizer.affect.desires import DesireFinder
    from visualizer.errors import UserError

    with LEXICON.open("rb") as handle:
        lexicon = tomllib.load(handle)
    doubled = DesireFinder({**lexicon, "scoring": {**lexicon["scoring"], "felt_weight": 1.0}})
    plain = default_finder().find("I wish I could see the sea.", 0, 0.8)[0][0].intensity
    assert doubled.find("I wish I could see the sea.", 0, 0.8)[0][0].intensity > plain  # the file's numbers count
    change(lexicon["scoring"])
    with pytest.raises(UserError, match=re.escape(str(LEXICON)) + ": " + message):
        DesireFinder(lexicon)


# --- Chinese ---------------------------------------------------------------------------------------------------
# data/evaluation/zh_desires_heldout.jsonl (42 lines: 21 longing rows with 22 objects, 10 aversion, 11 neither; Weibo
# tags, emoji, Traditional, third-person and "I think" 想) was written BEFORE any Chinese cue existed and
# evaluated once, untuned: longing 22/22, aversion 10/10, false alarms 0/11, none on the wrong side.
# data/evaluation/zh_desires_dev.jsonl (63 lines, written next, before the cues) is what the cues were tuned on.
# data/evaluation/zh_desires_heldout2.jsonl (160 lines, written 2026-11-25 without seeing the cues, by many kinds of
# writer and in many ways of wishing: 巴不得, 心心念念, 等不及, 惦记, 怕, 烦死了, titles, past wishes…) read, run once:
# longing 57/76, aversion 20/42, false alarms 10/50, 1 on the wrong side. The cues were then tuned on it, by family.
# data/evaluation/zh_desires_heldout3.jsonl (150 lines: diary sentences and WeChat messages, written at the same time
# by another hand that saw neither the cues nor set 2) was run ONCE after that round: longing 64/72, aversion
# 34/36, false alarms 4/50, none on the wrong side. Held back: do not tune on it.
# Chinese objects match when one contains the other or they share two consecutive characters.
ZH_HELDOUT = {"longing_recall": 22 / 22, "aversion_recall": 10 / 10, "false_alarms": 0 / 11, "wrong_side": 0}
ZH_HELDOUT3 = {"longing_recall": 64 / 72, "aversion_recall": 34 / 36, "false_alarms": 4 / 50, "wrong_side": 0}


def _same_zh(gold: str, found: str) -> bool:
    return gold in found or found in gold or any(gold[i:i + 2] in found for i in range(len(gold) - 1))


@pytest.mark.parametrize("name", ["zh_desires_dev.jsonl", "zh_desires_heldout.jsonl", "zh_desires_heldout2.jsonl",
                                  "zh_desires_heldout3.jsonl"])
def test_chinese_sets_reach_the_goals(name):
    figures = evaluate(read_rows(name), same=_same_zh)
    assert figures["longing_recall"] >= 0.85 and figures["aversion_recall"] >= 0.80, figures
    assert figures["false_alarms"] <= 0.15 and figures["wrong_side"] == 0, figures
    measured = {"zh_desires_heldout.jsonl": ZH_HELDOUT, "zh_desires_heldout3.jsonl": ZH_HELDOUT3}.get(name)
    if measured:  # held back: no worse than when first run
        assert all(figures[k] >= measured[k] - 1e-9 for k in ("longing_recall", "aversion_recall")), figures
        assert figures["false_alarms"] <= measured["false_alarms"] + 1e-9, figures


@pytest.mark.parametrize(("sentence", "expected"), [
    ("我好想再去看一次大海。", "大海"), ("我今天很想念我的家乡，工作压力很大。", "我的家乡"), ("好想回家。", "家"),
    ("要是能有一个长假就好了。", "长假"), ("好想吃火锅[馋嘴][馋嘴]", "火锅"), ("我好想念那條老街。", "那條老街"),
    ("I really miss 北京的冬天。", "北京的冬天"), ("想你想得要命。", "你"), ("馋死了，想吃火锅想疯了。", "火锅"),
])
def test_chinese_object_of_longing(sentence, expected):
    assert [d.text for d in find_desires(sentence)][:1] == [expected]
    assert find_aversions(sentence) == []


@pytest.mark.parametrize(("sentence", "expected"), [
    ("我不想上班。", "上班"), ("这份工作我真的受够了。", "这份工作"), ("不要再吵架了。", "吵架"), ("我讨厌堵车。", "堵车"),
    ("我希望再也不用看到那张脸。", "那张脸"), ("我怕打针，从小就怕。", "打针"), ("外卖吃腻了。", "外卖"),
    ("楼上又在装修，烦死了。", "楼上又在装修"), ("一想到要搬家就头疼。", "搬家"), ("巴不得这个学期赶紧结束。", "这个学期"),
    ("别再问我什么时候结婚了！", "问我什么时候结婚"), ("这辈子最想摆脱的就是拖延症。", "拖延症"),
])
def test_chinese_aversions(sentence, expected):
    assert [a.text for a in find_aversions(sentence)] == [expected] and find_desires(sentence) == []


@pytest.mark.parametrize("sentence", ["他说他想去上海。", "你想吃什么？", "她希望我早点结婚。", "我想他是对的。",
                                      "我想我应该早点睡。", "我想起了小时候的事。", "他很讨厌。", "真讨厌！",
                                      "小时候我想当科学家，后来真的当了。", "广播里在放《我想有个家》。", "恐怕要下雨了。",
                                      "哪怕再累也要去。", "老王问我想不想一起开店。", "希望小学的孩子们来信了。",
                                      "期待值拉满，结果烂尾了。"])
def test_chinese_wishes_that_are_not_the_writers(sentence):
    assert find_desires(sentence) == [] and find_aversions(sentence) == []


@pytest.mark.parametrize(("sentence", "expected"), [
    ("想要一个不用早起的周一。", "不用早起的周一"),  # counted: the "without" belongs to the thing, no aversion
    ("一直惦记着外婆什么时候再包饺子。", "外婆什么时候再包饺子"),  # a question word inside the clause asks nothing
    ("啥时候才能放个长假啊。", "放个长假"), ("心心念念了一整年的雪山。", "雪山"), ("等不及要放寒假了！", "放寒假"),
    ("恨不得现在就见到他。", "他"), ("超级 miss 大学时候的 roommate！", "大学时候的 roommate"),
])
def test_chinese_longings_in_more_ways(sentence, expected):
    assert [d.text for d in find_desires(sentence)] == [expected] and find_aversions(sentence) == []


@pytest.mark.parametrize(("sentence", "expected"), [
    ("现在只想躺平，好好睡一觉。", ["躺平", "好好睡一觉"]), ("盼望着早点退休，回乡下种点菜。", ["退休", "乡下种点菜"]),
    ("好想回家，回不去了。", ["家"]), ("好想你，去年的今天我们在一起。", ["你"]),  # no wish carried on
])
def test_chinese_longing_carried_on_to_the_next_clause(sentence, expected):
    assert [d.text for d in find_desires(sentence)] == expected


def test_chinese_run_on_objects_are_not_painted():
    """Weibo posts often run on without punctuation; such a stretch is no thing to paint."""
    run_on = "好想和你一起去那个我们小时候常去的有很多很多梧桐树的公园再走一走看一看"
    assert find_desires(run_on) == [] and find_desires("好想和你一起去公园走走。")


def test_chinese_intensity_and_cue():
    strong, plain = find_desires("我好想去看海！")[0], find_desires("我希望去看海。")[0]
    assert strong.intensity > plain.intensity and strong.cue == "好想" and strong.text == "海"
