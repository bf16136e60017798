"""Chinese crisis rules on sets written without seeing the rules, each measured once untuned.

1. data/training/zh_crisis_heldout.jsonl (110 lines: 50 crisis, 35 figures of speech, 25 ordinary heavy lines; diary
   and Weibo registers, about 15% Traditional, emoji, [表情] tags, English words mixed in): measured once untuned,
   recall 29/50 = 0.58, figures 1/35, ordinary 4/25. TUNED ON since (2026-11-25): its misses and false flags
   guided new [zh] rule families (a gap between a wish and its means, 把-constructions, near-attempts, farewells,
   death as relief, 不配活, weapons before 捅死, 消失 in any order, hyperbole such as 尴尬得想死, bare mentions of
   someone else's suicide masked). After that round: 50/50, 0/35, 0/25 — dev figures now.
2. data/training/zh_crisis_heldout2.jsonl (120 lines: 55 crisis, 40 figures, 25 ordinary; same registers, plans and
   means, farewells, self-harm, burden), written by someone who never saw the rules, then run ONCE after that
   tuning round, untuned: recall 28/55 = 0.51, figures 0/40, ordinary 2/25 (both about other people's suicide in
   a novel and a documentary). The rules fitted to set 1 did not carry over: indirect plans (攒药, 炭和胶带),
   farewells and last wishes, burden, self-harm without a cue verb are missed. After rounds informed only by the
   categories of its misses (data/training/crisis_zh.jsonl; run through this file only, its lines unread) it read
   36/55, figures 0/40, ordinary 1/25. TUNED ON since (third round, below).
3. data/training/zh_crisis_heldout3.jsonl (120 lines: 55 crisis, 40 figures, 25 ordinary; same registers), written
   without seeing the rules, run ONCE untuned after the rules were broadened with crisis_zh.jsonl:
   recall 21/55 = 0.38, figures 3/40 (看得我想跳楼, 好看到我想死, 再让我改一次方案我就要杀人了), ordinary 3/25
   (烧炭烤肉, a film's 结束自己的生命, a talk on 自杀风险讯号). TUNED ON since (2026-11-25, second round): each miss
   and false flag named a family (last wishes handing over parents, pets, savings, passwords or belongings;
   judging a height; counting pills as enough; a rope tested; waiting to be alone; not lasting to a season; a
   place fit to go quietly; no one would notice; new and old marks, hidden blades; slang such as 紫砂; ill will
   beside means or a watched routine; hyperbole of delight, of what one sees, of tedium; charcoal for cooking;
   risk as a topic), written as a rule and tried on new lines of the same family in crisis_zh.jsonl.
   After that round: 55/55, 0/40, 0/25, and set 2 unchanged at 36/55, figures 0/40, ordinary 1/25.
4. data/training/zh_crisis_heldout4.jsonl (120 lines: 55 crisis, 40 figures, 25 ordinary; students', workers',
   parents' and elderly writers' registers, some Cantonese-flavoured), written without seeing the rules or the
   other sets, run ONCE after the second round, untuned: recall 24/55 = 0.44 (the rules before both rounds:
   16/55), figures 4/40, ordinary 0/25; through `analyze` (rules or the multilingual probe) 25/55. Two rounds of
   rules each lifted unseen writing by a few lines only: people write crisis in more ways than a round of rules
   names.
   Sets 2 and 4 TUNED ON since (2026-11-25, third round): each miss and false flag named a family, widened to its
   meaning rather than its wording (better dead, said of oneself; misfortune wished for; a survived attempt
   regretted; no tomorrow; means made ready, got in secret, its use denied, held for hours; a rope tied to a place to
   hang from; a day, a time or a place chosen; a payout on one's death; an edge with a near step; walking into
   water; others told an ordinary reason; the family better off but for me; farewell as a sentence's last word;
   apologies reaching to the next life; last posts; thanks for what was; not being seen again; joining the dead;
   letters and pets left; hitting oneself until it shows; letting the body fail; threats meant; jokes marked by a
   laughing tag, prices, quoted words, someone else's suicide named as theirs), tried on 395 new lines in
   crisis_zh.jsonl. After it: set 2 55/55, figures 0/40, ordinary 0/25; set 4 55/55, 0/40, 0/25; the
   ordinary Weibo posts (../shared/data/zh_emotions/dev.jsonl) 9 flagged, from 19. The lesson held: four batches
   of new lines, each written before the rules the last one guided, read 13/44, 7/40, 5/40 and 6/40 on arrival.
5. data/evaluation/zh_crisis_heldout5.jsonl (120 lines: 55 crisis, 40 figures, 25 ordinary; written as a student
   before gaokao, a new mother, a laid-off man, a widow, a migrant worker, someone in debt or in chronic pain),
   written without seeing the rules or the other sets, run ONCE after the third round, untuned: recall 22/55 =
   0.40 (the rules at the start of these rounds: 9/55; after round 2: 17/55), figures 7/40 (as many as before
   the rounds), ordinary 0/25; through `analyze` (rules or the Chinese-trained probe) 28/55, ordinary 0/25. Held
   back: do not tune on it.
6. data/evaluation/zh_crisis_heldout6.jsonl (120 lines: 55 crisis, 40 figures, 25 ordinary; written as a nurse after
   night shifts, a rural grandmother, a bankrupt man, a bullied teen, a delivery rider…), written without seeing
   the rules or the other sets, run ONCE on the shipped rules and probe: rules 27/55 = 0.49 (the rules before
   these rounds: 16/55), figures 4/40, ordinary 2/25; through `analyze` 31/55, figures 5/40. A probe also fed
   405 more Chinese lines of ours scored 29/55 at the same false-alarm rate on Weibo posts and was not kept.
   Held back: do not tune on it.
7. data/evaluation/zh_crisis_heldout7.jsonl (120 lines: 55 crisis, 40 figures, 25 ordinary; written as a PhD student,
   a delivery rider in debt, a man in chronic pain, a gay teenager found out, a widower with cancer, a carer…,
   a third plain, a third plans and farewells with no word for death, a third indirect), written without seeing
   the rules or the other sets, run ONCE on what shipped on 2026-11-25 (no rule changed since set 6): rules
   31/55 = 0.56, figures 2/40, ordinary 0/25; through `analyze` 34/55, figures 2/40. Held back: do not tune on it.

Sets 5-7 were run ONCE more through `analyze` with the learned detector of 2026-12-07 (sentence and entry
classifiers trained on SOS-4K at level >= 4, Weibo posts and our lines; `training/crisis_probe.py`): set 5 31/55,
figures 7/40, ordinary 1/25; set 6 32/55, figures 5/40, ordinary 2/25; set 7 41/55, figures 2/40, ordinary 0/25.

The goals (recall ≥ 0.80, figures ≤ 0.10) are met on the tuned-on sets and expected failures on the held-back
ones; their measured figures are floors and ceilings that guard against regressions.
"""

from __future__ import annotations

from functools import lru_cache

import pytest
from data_rows import read_rows

from visualizer.safety.signs import find_signs
from visualizer.affect.segment import split_sentences

TUNED_ON = ("zh_crisis_heldout.jsonl", "zh_crisis_heldout2.jsonl", "zh_crisis_heldout3.jsonl", "zh_crisis_heldout4.jsonl")
# lines of each kind the rules flagged when the set was run once
HELD_BACK = {"zh_crisis_heldout5.jsonl": {"crisis": 22, "figure": 7, "ordinary": 0},
             "zh_crisis_heldout6.jsonl": {"crisis": 27, "figure": 4, "ordinary": 2},
             "zh_crisis_heldout7.jsonl": {"crisis": 31, "figure": 2, "ordinary": 0}}
EVERY_SET = (*TUNED_ON, *HELD_BACK)


@lru_cache(maxsize=None)  # each set is read once for all its checks
def rows(name: str) -> list[dict]:
    return read_rows(name)


def flagged(name: str, kind: str) -> int:
    """How many of a set's lines of one kind the rules flag as showing crisis signs."""
    return sum(find_signs(split_sentences(row["text"])).flagged for row in rows(name) if row["kind"] == kind)


def share(name: str, kind: str) -> float:
    return flagged(name, kind) / sum(row["kind"] == kind for row in rows(name))


@pytest.mark.parametrize("name", EVERY_SET)
def test_every_line_is_labelled_consistently(name):
    lines = rows(name)
    assert {row["kind"] for row in lines} == {"crisis", "figure", "ordinary"}
    assert all(row["crisis"] is (row["kind"] == "crisis") for row in lines)
    assert len({row["text"] for row in lines}) == len(lines)


@pytest.mark.parametrize("name", TUNED_ON)
def test_tuned_on_sets_reach_the_goals(name):
    assert share(name, "crisis") >= 0.80
    assert share(name, "figure") <= 0.10
    assert share(name, "ordinary") <= 0.10


@pytest.mark.parametrize("name", HELD_BACK)
@pytest.mark.xfail(strict=True, reason="held back, run once untuned: recall 22/55, 27/55, 31/55; people write "
                                       "crisis in more ways than rounds of rules name")
def test_held_back_sets_reach_the_goals(name):
    assert share(name, "crisis") >= 0.80
    assert share(name, "figure") <= 0.10


@pytest.mark.parametrize("name", HELD_BACK)
def test_held_back_sets_read_no_worse_than_when_first_measured(name):
    measured = HELD_BACK[name]
    assert flagged(name, "crisis") >= measured["crisis"]
    assert flagged(name, "figure") <= measured["figure"]
    assert flagged(name, "ordinary") <= measured["ordinary"]
