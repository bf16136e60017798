"""Chinese crisis rules on a held-back set (issue 12: "crisis phrases in Chinese with the same rule as English").

tests/data/zh_crisis_heldout.jsonl (110 lines: 50 crisis, 35 figures of speech, 25 ordinary heavy lines; diary and
Weibo registers, about 15% Traditional, emoji, [表情] tags, English words mixed in) was written WITHOUT reading the
rules (`data/crisis.toml` [zh]), the dev set or the crisis tests, then evaluated once with the rules as they stood,
untuned, through `find_signs` (`analyze` gives the same flags: there is no multilingual crisis probe):
recall 29/50 = 0.58, figures flagged 1/35 = 0.03, ordinary lines flagged 4/25 = 0.16.

The goals (recall ≥ 0.80, ordinary ≤ 0.10) are expected failures at those figures; the floors and ceilings at the
measured figures guard against regressions. Once a rule is changed because of a line here, this set is tuned on
and its figures are no longer held-out figures: say so here and write a fresh set before claiming a new one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from visualizer.affect.crisis import find_signs
from visualizer.affect.segment import split_sentences

ROWS = [json.loads(line) for line in
        (Path(__file__).parent / "data" / "zh_crisis_heldout.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()]


def flagged_share(kind: str) -> float:
    """Share of the set's lines of one kind that the rules flag as showing crisis signs."""
    lines = [row["text"] for row in ROWS if row["kind"] == kind]
    return sum(find_signs(split_sentences(text)).flagged for text in lines) / len(lines)


def test_every_line_is_labelled_consistently():
    assert {row["kind"] for row in ROWS} == {"crisis", "figure", "ordinary"}
    assert all(row["crisis"] is (row["kind"] == "crisis") for row in ROWS)
    assert len({row["text"] for row in ROWS}) == len(ROWS)


@pytest.mark.xfail(strict=True, reason="held-out untuned recall 29/50 = 0.58 (misses: means after 想去, 把-objects, "
                                       "farewells, near-attempts, instruments before 捅死, 不配活, 消失 word order)")
def test_recall_reaches_the_goal():
    assert flagged_share("crisis") >= 0.80


@pytest.mark.xfail(strict=True, reason="held-out untuned: 4/25 = 0.16 ordinary lines flagged, all third-person or "
                                       "news/fiction mentions of 自杀, 轻生, 跳楼")
def test_ordinary_lines_stay_below_the_goal():
    assert flagged_share("ordinary") <= 0.10


def test_figures_of_speech_are_rarely_flagged():
    assert flagged_share("figure") <= 0.10


def test_recall_does_not_fall_below_its_first_measurement():
    assert flagged_share("crisis") >= 0.58


def test_ordinary_false_flags_do_not_rise_above_their_first_measurement():
    assert flagged_share("ordinary") <= 0.16
