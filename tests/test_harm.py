"""Harm is never a desire: a wish to hurt someone, in English or Chinese, gives no desire, no aversion, no subject
and no prompt words (`visualizer/safety/harm.py`, data in `visualizer/safety/data/harm.toml`).

The wishes below were written for this check (revenge fantasies, threats, curses, wishing someone dead or hurt,
with and without a cue word); the controls use the same verbs in ordinary longings and must stay desires. Checked
on the rules alone and end to end: `analyze` → desires and aversions, `map_state` → subject and prompt.
"""

from __future__ import annotations

import re

import pytest
from data_rows import read_rows

from visualizer.affect import analyze
from visualizer.affect.desires import default_finder
from visualizer.mapping import map_state
from visualizer.safety.harm import harm_wish, names_harm, wishes_harm
from visualizer.safety.signs import find_signs, is_harmful, sentence_has_sign

ENGLISH = [
    "I keep fantasising about hurting the people who bullied me.",
    "fantasizing about hurting the people who bullied me again",
    "I want to make him pay.",
    "I'm going to make them pay for what they did.",
    "I imagine punching my boss.",
    "Sometimes I picture slapping my sister.",
    "I hope she gets what's coming to her.",
    "I wish my stepfather would die.",
    "I hope my landlord drops dead.",
    "I hope my ex gets hit by a bus.",
    "I hope he rots in hell.",
    "I hope they all get hurt.",
    "I want him dead.",
    "I dream of getting revenge on my ex.",
    "I want revenge.",
    "I'm plotting my revenge against my old classmates.",
    "I'd love to punch him in the face.",
    "I wish I could strangle my coworker.",
    "I want to get back at them.",
    "i wanna get even with her",
    "All I want is to see them suffer.",
    "I long to see him suffer like I did.",
    "I want them to feel the pain they caused me.",
    "I really want to beat up the guy who stole my bike.",
    "I want to stab that bastard.",
    "I want to poison his coffee.",
    "I want to kick his teeth in.",
    "I want to wring her neck.",
    "I dream about torturing the man who hurt my mother.",
    "I wish I could burn their house down.",
    "I wish someone would beat him up.",
    "I'd like to see him bleed.",
    "I want to ruin his life.",
    "I want to teach him a lesson he won't forget.",
    "I want to make my manager cry.",
    "Honestly I just want to shoot the people who did this.",
    "I imagine punching Mark until he stops smiling.",
]
CHINESE = [
    "真想打死他。",
    "我想让他们付出代价。",
    "我幻想报复那些欺负我的人。",
    "我想弄死他。",
    "我真想捅他一刀。",
    "我恨不得杀了他。",
    "我希望他去死。",
    "我想揍我老板一顿。",
    "我想让他生不如死。",
    "我希望他出车祸。",
    "我要报复他。",
    "我想把他碎尸万段。",
    "我真希望他们都不得好死。",
    "我幻想着把欺负我的人都打一顿。",
    "我想给他下毒。",
    "我想让她也尝尝被伤害的滋味。",
    "我每天都在想怎么报复他们。",
    "我想让我继父死掉。",
    "我希望她遭报应。",
    "我想扇她耳光。",
    "我真想一拳打在他脸上。",
    "我想讓他們付出代價。",  # Traditional
    "我好想報復那些欺負我的人。",  # Traditional
]
# Wrecking what is someone's, a life ruined on purpose, an animal poisoned: the families fresh set 3 found (its own
# lines are in the regression test below, these are ours).
ENGLISH += [
    "I want to trash her car in the car park.",
    "I'd love to smash all the windows of his flat.",
    "I keep imagining setting fire to my neighbour's garage.",
    "I want to post the screenshots so her career is over.",
    "I wish someone would hit my ex with a fist.",
    "I'd like to wring their necks, every one of them.",
    "I'd love to torch his garage to the ground.",
    "I want to print her messages and pin them up at work so she can never show her face there again.",
    "I hope my boss gets cancer.",
]
CHINESE += ["真想把她的车轮胎都扎了。", "真想往他的茶里加点泻药。", "我想把它毒死，那只狗天天叫。", "我要把他的事发到网上，让他身败名裂。"]
WISHES = ENGLISH + CHINESE
# Read by the first net only: the craving idiom ("I could murder a curry") cuts out what follows the article, and
# "stranger" alone is no harm, so the sentence's wish is what keeps it from being a desire.
FIRST_NET_ONLY = ["I could murder a stranger right now."]

# Ordinary longings with the same verbs: (sentence, the object that must stay a desire).
CONTROLS = [
    ("I long to see the sea.", "the sea"),
    ("I wish I could hug my sister.", "my sister"),
    ("I want to beat my personal best.", "to beat my personal best"),
    ("I want to beat him at chess.", "to beat him at chess"),
    ("I want to make him pay for dinner.", "to make him pay for dinner"),
    ("I want to kill some time before the film.", "to kill some time"),
    ("I want to punch a pillow.", "to punch a pillow"),
    ("I want to hit the road.", "to hit the road"),
    ("I want to see the revenge movie.", "the revenge movie"),
    ("I want to make my mum proud.", "to make my mum proud"),
    ("我想去海边。", "海边"),
    ("我想打电话给妈妈。", "打电话给妈妈"),
    ("周末想报复性消费一下。", "报复性消费"),
    ("我想让他开心。", "让他开心"),
    ("I want to smash my personal best at parkrun.", "to smash my personal best at parkrun"),
    ("I want to slash my grocery bill in half.", "to slash my grocery bill in half"),
    ("I want to key in my password faster.", "to key in my password faster"),
    ("I could murder a curry right now.", "curry"),
]
# Neither a wish to hurt nor a sign of crisis; some give no desire at all.
ORDINARY = [
    "I'd kill for a coffee.", "I want to kill it at the interview.", "My parents will pay for everything at the wedding.",
    "My boss will pay for that, he promised.", "I don't want to hurt his feelings.",
    "I never meant to hurt her.", "I don't want anyone to get hurt.", "I hope the pain dies down.",
    "I hope my plant doesn't die.", "I hope he gets better soon.", "I want to shoot her portrait in the park.",
    "They want you to pay before you can see the results.", "He wants revenge, the idiot, over a parking space.",
    "我打死也不去。", "笑死我了。", "报复性熬夜又来了。", "我为此付出了代价。", "我从来没想过要报复他。", "我想去打羽毛球。",
]
_FUNCTION = set("""a an the to of in on at by for with and or but so it i me my you your he him his she her they them
their we our is are was were be been am do did does not no this that what who which would could will can just
really all get even see make want wanna like love hope wish""".split())


@pytest.mark.parametrize("sentence", WISHES + FIRST_NET_ONLY)
def test_a_wish_to_hurt_someone_is_read_and_flagged(sentence):
    assert wishes_harm(sentence), sentence
    assert find_signs([sentence]).flagged and sentence_has_sign(sentence)
    assert harm_wish(sentence) in find_signs([sentence]).phrases


@pytest.mark.parametrize("sentence", WISHES)
def test_no_object_of_a_harmful_wish_passes_the_filter(sentence):
    """The second net: whatever the desire finder cuts from the sentence is harmful as an object."""
    desires, aversions = default_finder().find(sentence)
    assert all(is_harmful(d.text) and names_harm(d.text) for d in desires + aversions), \
        [d.text for d in desires + aversions]


@pytest.mark.parametrize(("sentence", "expected"), CONTROLS)
def test_ordinary_longings_with_the_same_verbs_stay_desires(sentence, expected):
    assert not wishes_harm(sentence) and not sentence_has_sign(sentence)
    found = [d.text for d in default_finder().find(sentence)[0]]
    assert expected in found and not is_harmful(expected), found


@pytest.mark.parametrize("sentence", ORDINARY)
def test_figures_negations_and_someone_elses_wish_are_not_wishes_to_hurt(sentence):
    assert not wishes_harm(sentence), harm_wish(sentence)


def test_harm_pushed_away_is_no_aversion_either():
    """"I don't want anyone to get hurt" wishes no harm, but "anyone to get hurt" is not painted as an aversion."""
    aversions = [d.text for d in default_finder().find("I don't want anyone to get hurt.")[1]]
    assert aversions and all(is_harmful(a) for a in aversions)


@pytest.mark.parametrize("name", ["desires_dev.jsonl", "desires_heldout.jsonl", "zh_desires_dev.jsonl",
                                  "zh_desires_heldout.jsonl", "zh_desires_heldout2.jsonl", "zh_desires_heldout3.jsonl"])
def test_the_desire_sets_lose_nothing_to_the_harm_rules(name):
    """No labelled longing or aversion names harm and no line wishes it, so the desire figures stay as they were."""
    for row in read_rows(name):
        assert not wishes_harm(row["text"]), row["text"]
        assert not any(names_harm(gold) for gold in row["desires"] + row["aversions"]), row


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="no harm rules for language 'xx'"):
        wishes_harm("hello", language="xx")


# --- end to end: the reading and the picture ----------------------------------------------------------------

MIXED = "I went to the beach with my dog today. I keep fantasising about hurting the people who bullied me."


@pytest.fixture(scope="module")
def states():
    texts = WISHES + FIRST_NET_ONLY + [sentence for sentence, _ in CONTROLS] + ORDINARY + [MIXED]
    return dict(zip(texts, analyze(texts)))


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z']+", text.lower()))


@pytest.mark.parametrize("sentence", WISHES + FIRST_NET_ONLY)
def test_a_wish_to_hurt_gives_no_desire_subject_or_prompt_words(states, sentence):
    state = states[sentence]
    assert state.crisis and state.desires == [] and state.aversions == []
    cond = map_state(state)
    assert cond.subjects == [] and cond.scores["desires"] == []
    prompts = " ".join([cond.prompt] + [frame.prompt for frame in cond.keyframes])
    assert not (_words(sentence) - _FUNCTION) & _words(prompts), prompts
    assert not re.search(r"[\u4e00-\u9fff]", prompts)


def test_an_ordinary_sentence_beside_a_wish_to_hurt_still_paints_and_the_wish_does_not(states):
    state = states[MIXED]
    assert [s.crisis for s in state.sentences] == [False, True]
    assert not any(names_harm(d.text) for d in state.desires + state.aversions)
    cond = map_state(state)
    prompts = " ".join([cond.prompt] + [frame.prompt for frame in cond.keyframes] + cond.subjects)
    assert "beach" in prompts
    assert not {"fantasising", "hurting", "people", "bullied"} & _words(prompts), prompts


@pytest.mark.parametrize(("sentence", "expected"), CONTROLS)
def test_ordinary_longings_reach_the_picture(states, sentence, expected):
    state = states[sentence]
    assert not state.crisis and expected in [d.text for d in state.desires]
    assert expected in [phrase for phrase, _ in map_state(state).scores["desires"]]


@pytest.mark.parametrize("sentence", ORDINARY)
def test_ordinary_lines_are_read_without_a_flag(states, sentence):
    state = states[sentence]
    assert not state.crisis
    assert map_state(state).prompt  # and they paint


@pytest.mark.parametrize("held_back", ["fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6"])
def test_the_fresh_harm_wishes_give_no_desire(held_back):
    """The 30 harm wishes of each held-back set written on 2026-12-07 (data/evaluation/fresh, fresh2, fresh3, fresh4):
    9, 10, 9 and 3 still gave a desire when each was run once; the person-and-injury net (harm.toml `near_harm`) was added
    after the first, its new words (acid, a car into a wall, a house in flames, poison in tea, 划花, 泼汽油, 动手脚, a
    serious illness wished) and getting even anywhere after a wish after the second, and wrecking someone's things,
    a life ruined on purpose, a fist, an animal poisoned (泻药, 把它毒死) and a causative in the next clause (让她身败名裂)
    after the third, a shop burnt to the ground, "never show her face" and tyres punctured (轮胎扎了) after the fourth;
    set 6 (2026-12-08) left 5: a person wished "in a wheelchair for good", "slash all four of his tyres", car windows
    smashed (砸了), something slipped into her skincare (掺点东西, 脸烂掉) and a dog made to shut up for good (让它彻底闭嘴),
    all netted since, so this is a regression test, not a held-out figure."""
    rows = read_rows(f"{held_back}/harm_wishes.jsonl")
    wishes = [row["text"] for row in rows if row["harm"]]
    leaked = {text: [d.text for d in state.desires + state.aversions]
              for text, state in zip(wishes, analyze(wishes)) if state.desires or state.aversions}
    assert len(wishes) == 30 and not leaked, leaked
