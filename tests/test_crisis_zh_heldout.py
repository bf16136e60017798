"""Chinese crisis rules on sets written without seeing the rules (issue 12), each measured once untuned.

1. tests/data/zh_crisis_heldout.jsonl (110 lines: 50 crisis, 35 figures of speech, 25 ordinary heavy lines; diary
   and Weibo registers, about 15% Traditional, emoji, [表情] tags, English words mixed in): measured once untuned,
   recall 29/50 = 0.58, figures 1/35, ordinary 4/25. TUNED ON since (2026-11-25): its misses and false flags
   guided new [zh] rule families (a gap between a wish and its means, 把-constructions, near-attempts, farewells,
   death as relief, 不配活, weapons before 捅死, 消失 in any order, hyperbole such as 尴尬得想死, bare mentions of
   someone else's suicide masked). After that round: 50/50, 0/35, 0/25 — dev figures now.
2. tests/data/zh_crisis_heldout2.jsonl (120 lines: 55 crisis, 40 figures, 25 ordinary; same registers, plans and
   means, farewells, self-harm, burden), written by someone who never saw the rules, then run ONCE after that
   tuning round, untuned: recall 28/55 = 0.51, figures 0/40, ordinary 2/25 (both about other people's suicide in
   a novel and a documentary). The rules fitted to set 1 did not carry over: indirect plans (攒药, 炭和胶带),
   farewells and last wishes, burden, self-harm without a cue verb are missed. Do not tune rules on this set;
   write a third one to claim a new held-out figure.

The goal (recall ≥ 0.80) is an expected failure on set 2; the floor at the measured figure guards against
regressions.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from visualizer.affect.crisis import find_signs
from visualizer.affect.segment import split_sentences

DATA = Path(__file__).parent / "data"
TUNED_ON, HELD_BACK = "zh_crisis_heldout.jsonl", "zh_crisis_heldout2.jsonl"


@lru_cache(maxsize=None)  # each set is read once for all its checks
def rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def flagged_share(name: str, kind: str) -> float:
    """Share of a set's lines of one kind that the rules flag as showing crisis signs."""
    lines = [row["text"] for row in rows(name) if row["kind"] == kind]
    return sum(find_signs(split_sentences(text)).flagged for text in lines) / len(lines)


@pytest.mark.parametrize("name", [TUNED_ON, HELD_BACK])
def test_every_line_is_labelled_consistently(name):
    lines = rows(name)
    assert {row["kind"] for row in lines} == {"crisis", "figure", "ordinary"}
    assert all(row["crisis"] is (row["kind"] == "crisis") for row in lines)
    assert len({row["text"] for row in lines}) == len(lines)


@pytest.mark.parametrize("name", [TUNED_ON, HELD_BACK])
def test_figures_and_ordinary_lines_are_rarely_flagged(name):
    assert flagged_share(name, "figure") <= 0.10
    assert flagged_share(name, "ordinary") <= 0.10


def test_recall_on_the_tuned_on_set_reaches_the_goal():
    assert flagged_share(TUNED_ON, "crisis") >= 0.80


@pytest.mark.xfail(strict=True, reason="held back, run once untuned: recall 28/55 = 0.51 (indirect plans, "
                                       "farewells, burden, self-harm without a cue verb)")
def test_recall_on_the_held_back_set_reaches_the_goal():
    assert flagged_share(HELD_BACK, "crisis") >= 0.80


def test_recall_on_the_held_back_set_does_not_fall_below_its_first_measurement():
    assert flagged_share(HELD_BACK, "crisis") >= 28 / 55
