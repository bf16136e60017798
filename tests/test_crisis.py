"""Crisis signs: recall on varied crisis phrasing, figures of speech left alone, harmful desire objects, help text.

data/training/crisis_dev.jsonl: the diary-style lines written before any pattern (322), then two held-back sets
that were each evaluated once untuned and then joined the dev set: chat messages (62 lines, recall 32/37 =
0.86 on first run) and notes-app entries by varied writers (59 lines, 18/35 = 0.51). The patterns are tuned
on all of it.

data/training/crisis_heldout.jsonl: forum posts, texts and journal paragraphs (60 lines), written before the
last round of fixes and evaluated once at the end, untuned: recall 22/35 = 0.63, no figure of speech and no
ordinary line flagged. That misses the 0.90 goal, so the goal is an expected failure here and a floor at the
measured figure guards against regressions. Do not tune patterns on these lines; write new dev lines
instead, and write a fresh held-back set before claiming a new held-out figure.

data/evaluation/crisis_heldout_v4.jsonl: written before the crisis probe (`crisis_probe.py`) was trained, in styles
not used before (voice memos, thought records, lists, letters, long entries, typos; 52 crisis, 30 figures, 30
ordinary heavy lines), and evaluated once through `analyze` (rules OR probe), untuned: recall 16/52 = 0.31
(rules alone 15/52), 0 of 30 figures and 1 of 30 ordinary lines flagged, one harmful wish kept as a desire.
The dev and first held-back sets are now training material for the probe.

Since then crisis_heldout.jsonl and v4 have been TUNED ON (their misses guided new pattern families: plans
and means, wanting to be gone, disappointed to wake, not feeling safe with oneself, running someone over):
their floors below (heldout 34/35, v4 43/52 through analyze) guard regressions, they are no held-out figures.

data/evaluation/crisis_heldout_v5.jsonl: written before those families (51 crisis lines in common screening-list
phrasing, 30 figures, 20 ordinary heavy lines; kind "plan" added) and evaluated once with the final rules
through `analyze` (rules OR probe), untuned: recall 49/51 = 0.96 (rules alone 49/51), 1 of 30 figures
("this traffic makes me want to die, lol") and 1 of 20 ordinary lines flagged, no harmful wish kept.
"""

from __future__ import annotations

import json

import pytest
import torch
from data_rows import read_rows

from visualizer.affect import analyze, load_model
from visualizer.affect.model import WEIGHTS, probe_name
from visualizer.safety import probe as crisis_probe
from visualizer.safety.help import help_message
from visualizer.safety.signs import CrisisSigns, find_signs, is_harmful, sentence_has_sign
from visualizer.affect.desires import default_finder
from visualizer.affect.segment import split_sentences

KINDS = {"explicit", "passive", "self_harm", "harm_others", "plan", "figure", "ordinary", "negated"}


DEV = read_rows("crisis_dev.jsonl")
HELDOUT = read_rows("crisis_heldout.jsonl")
V4 = read_rows("crisis_heldout_v4.jsonl")
V5 = read_rows("crisis_heldout_v5.jsonl")


def flagged(text: str) -> bool:
    return find_signs(split_sentences(text)).flagged


@pytest.mark.parametrize("rows", [DEV, HELDOUT, V4, V5], ids=["dev", "heldout", "v4", "v5"])
def test_the_sets_are_well_formed(rows):
    for row in rows:
        assert set(row) == {"text", "crisis", "kind", "harmful_object"} and row["kind"] in KINDS, row
        assert row["harmful_object"] is None or row["crisis"], row
    assert len({row["text"] for row in rows}) == len(rows)


def test_dev_set_is_large_enough():
    assert sum(row["crisis"] for row in DEV) >= 120
    assert sum(row["kind"] in {"figure", "ordinary"} for row in DEV) >= 80


def recall(rows: list[dict]) -> float:
    crisis = [row["text"] for row in rows if row["crisis"]]
    return sum(flagged(text) for text in crisis) / len(crisis)


@pytest.mark.parametrize("rows", [DEV, HELDOUT], ids=["dev", "heldout"])
def test_recall_on_crisis_lines_reaches_the_goal(rows):
    """Both sets are tuned on (held-back: first untuned measurement 22/35); the untuned figure is v5's."""
    assert recall(rows) >= 0.90


def test_heldout_recall_does_not_fall_below_its_first_measurement():
    assert recall(HELDOUT) >= 34 / 35  # tuned on since: first untuned measurement was 22/35


@pytest.mark.parametrize("rows", [DEV, HELDOUT], ids=["dev", "heldout"])
def test_at_most_one_figure_of_speech_is_flagged(rows):
    figures = [row["text"] for row in rows if row["kind"] == "figure"]
    assert len([text for text in figures if flagged(text)]) <= 1


@pytest.mark.parametrize("text", [
    "this deadline is killing me", "I'm dying to see that film", "I could kill for a coffee",
    "I nearly died laughing", "my phone died", "dead tired", "she's killing it at work", "a cake to die for",
    "I'll kill him if he's late again.", "I'd rather die than sing karaoke.", "I want to disappear into a good book.",
    "I cut myself shaving this morning.", "I hurt myself falling off my bike.", "I want to end things with Tom.",
    "I don't want to live in this city anymore.", "I can't go on the trip.", "I don't want to hurt his feelings.",
    "What a killer sunset, I could die laughing at this dog.", "The charm myself trick: a good coffee.",
    "I finally finished the harmony exercises.",
])
def test_figures_of_speech_and_ordinary_sentences_are_not_flagged(text):
    assert not flagged(text)


@pytest.mark.parametrize("text", [
    "I want to end my life", "i dont wanna be here anymore", "I DON’T want to live anymore",
    "im so tired of being alive", "i cannot go on like this", "i can't go on like this",
    "Some nights I want to die.", "I keep thinking I should just END   MY LIFE", "i’ve been cutting myself again",
    "Everyone would be better off without me.", "I don't want to die.", "i wanna dissapear",
    "i want to kill him", "I could hurt someone", "i just want to disappear",
    "sometimes i think everyone would be happier if i wasn't around", "i wish i could go to sleep and never wake up",
])
def test_crisis_phrasing_is_flagged_whatever_the_spelling(text):
    assert flagged(text) and sentence_has_sign(text)


def test_a_phrase_split_by_the_sentence_splitter_still_counts_and_flags_both_halves():
    sentences = split_sentences("Long day.\ni want to\nend it all\nanyway, tea")
    assert sentences == ["Long day.", "i want to", "end it all", "anyway, tea"]
    signs = find_signs(sentences)
    assert signs.sentences == (1, 2) and "want to end it all" in signs.phrases
    assert find_signs(split_sentences("I just want to... End it all.")).sentences == (0, 1)


def test_signs_name_the_sentences_that_carry_them_in_order():
    sentences = ["Work was fine.", "I want to die.", "I had soup.", "Everyone would be better off without me."]
    signs = find_signs(sentences)
    assert signs == CrisisSigns(("want to die", "better off without me"), (1, 3))
    assert signs.flagged and not find_signs(["A quiet day.", "I miss the sea."]).flagged
    assert find_signs([]) == CrisisSigns()


def test_grief_without_a_crisis_phrase_is_not_flagged_through_analyze():
    """Strong grief and stress alone are mourning, not crisis (the old score cue flagged these)."""
    states = analyze(["My sourdough starter died while I was on holiday, rip.", "The battery on my phone died again.",
                      "Grandpa died last spring and I still cry when I hear his song."], model=load_model())
    assert not any(state.crisis for state in states)


@pytest.mark.parametrize("phrase", sorted({row["harmful_object"] for row in DEV if row["harmful_object"]}) + [
    "to end my life", "to die", "to disappear forever", "to not wake up", "to hurt myself", "to cut", "to kill him",
    "to hurt her", "it all to end", "to be dead", "to sleep forever", "to stop existing", "pills", "to disappear",
])
def test_harmful_objects(phrase):
    assert is_harmful(phrase)


def ordinary_objects() -> list[str]:
    """What the desire finder takes from every non-crisis dev line, plus everyday wishes."""
    finder, found = default_finder(), set()
    for row in DEV:
        if not row["crisis"]:
            for k, sentence in enumerate(split_sentences(row["text"])):
                desires, aversions = finder.find(sentence, k)
                found.update(d.text for d in desires + aversions)
    return sorted(found | {"the sea", "to sleep for a week", "to see that film", "a quiet weekend",
                           "to disappear into a good book", "to live", "to be alive", "my grandmother who died",
                           "to disappear for a weekend", "to wake up early", "to cut my hair", "to end my shift"})


@pytest.mark.parametrize("phrase", ordinary_objects())
def test_ordinary_objects_are_not_harmful(phrase):
    assert not is_harmful(phrase)


def test_a_wish_to_die_never_survives_as_a_desire():
    """analyze drops a flagged sentence's desires and every harmful one; no labelled harmful object is left."""
    finder = default_finder()
    for row in DEV:
        if not row["harmful_object"]:
            continue
        sentences = split_sentences(row["text"])
        signs = find_signs(sentences)
        for k, sentence in enumerate(sentences):
            desires, aversions = ([], []) if k in signs.sentences else finder.find(sentence, k)
            kept = {d.text.lower() for d in desires + aversions if not is_harmful(d.text)}
            assert row["harmful_object"].lower() not in kept, row["text"]


def test_help_message_points_to_help_and_leaves_the_picture_to_each_face():
    message = help_message()
    assert message.title and "findahelpline.com" in message.body and "988" in message.body
    assert "picture" not in message.body.lower()
    assert "**" not in message.plain and "](" not in message.plain and "findahelpline.com" in message.plain


def test_unknown_language_is_refused_clearly():
    with pytest.raises(ValueError, match="no crisis rules for language 'xx'"):
        find_signs(["hello"], language="xx")


# --- the learned cue beside the rules: analyze flags a sentence when the rules OR the crisis probe do ---

@pytest.fixture(scope="module")
def v4_states():
    return analyze([row["text"] for row in V4], model=load_model())


def flags_where(rows, states, wanted) -> list[bool]:
    """The entry-level crisis flag of every row `wanted` picks, read through analyze."""
    return [state.crisis for row, state in zip(rows, states) if wanted(row)]


def assert_no_harmful_wish_kept(rows, states) -> None:
    for row, state in zip(rows, states):
        kept = [d.text for d in state.desires + state.aversions]
        assert not any(is_harmful(text) for text in kept), row["text"]
        assert not row["harmful_object"] or row["harmful_object"].lower() not in map(str.lower, kept), row["text"]


V4_BELOW_GOAL = pytest.mark.xfail(strict=False, reason="v4 (hard plans and means): untuned 16/52 = 0.31; "
                                                        "after tuning on it 43/52 = 0.83")


@V4_BELOW_GOAL
def test_v4_recall_through_analyze_reaches_the_goal(v4_states):
    flags = flags_where(V4, v4_states, lambda row: row["crisis"])
    assert sum(flags) / len(flags) >= 0.90


def test_v4_recall_does_not_fall_below_its_first_measurement(v4_states):
    assert sum(flags_where(V4, v4_states, lambda row: row["crisis"])) >= 43  # tuned on since: untuned 16/52


def test_v4_at_most_one_figure_of_speech_is_flagged_through_analyze(v4_states):
    assert sum(flags_where(V4, v4_states, lambda row: row["kind"] == "figure")) <= 1


def test_v4_no_harmful_wish_survives_as_a_desire(v4_states):
    assert_no_harmful_wish_kept(V4, v4_states)


PROBE = WEIGHTS.with_name(probe_name(WEIGHTS))


def test_the_probe_loads_beside_the_weights_and_scores_deterministically():
    probe = crisis_probe.load(PROBE)
    assert probe is not None and probe.weight.shape == (384,) and 0.5 < probe.threshold < 1.0
    embedding = torch.randn(4, 384, generator=torch.Generator().manual_seed(0))
    assert torch.equal(probe.scores(embedding), crisis_probe.load(PROBE).scores(embedding))
    assert load_model().crisis_probe.threshold == probe.threshold


def test_a_probe_trained_on_other_affect_weights_is_refused(tmp_path):
    path = tmp_path / "crisis_probe.safetensors"
    path.write_bytes(PROBE.read_bytes())
    meta = json.loads(PROBE.with_suffix(".json").read_text(encoding="utf-8"))
    path.with_suffix(".json").write_text(json.dumps({**meta, "affect_sha256": "0" * 64}), encoding="utf-8")
    with pytest.warns(UserWarning, match="other affect weights"):
        assert crisis_probe.load(path, affect=PROBE) is None
    assert crisis_probe.load(tmp_path / "none.safetensors") is None


def test_the_probe_flags_a_paraphrase_the_rules_miss_and_it_gives_no_desire():
    # The rules now flag this line too (the "go quiet forever" family); the check keeps the no-desire half.
    text = "I want everything to go quiet forever."
    state = analyze([text], model=load_model())[0]
    assert state.crisis and state.sentences[0].crisis and not state.desires


# --- v5: written before the last pattern families, evaluated once through analyze (see the docstring) ---

@pytest.fixture(scope="module")
def v5_states():
    return analyze([row["text"] for row in V5], model=load_model())


def test_v5_recall_through_analyze_reaches_the_goal(v5_states):
    flags = flags_where(V5, v5_states, lambda row: row["crisis"])
    assert sum(flags) / len(flags) >= 0.90 and sum(flags) >= 49  # measured once: 49/51


def test_v5_at_most_one_figure_of_speech_is_flagged_through_analyze(v5_states):
    assert sum(flags_where(V5, v5_states, lambda row: row["kind"] == "figure")) <= 1


def test_v5_no_harmful_wish_survives_as_a_desire(v5_states):
    assert_no_harmful_wish_kept(V5, v5_states)


def test_a_following_word_is_not_mistaken_for_an_article():
    """'no point in going on a trip' is ordinary, but 'anymore' must not read as 'a' and hide the sign."""
    assert find_signs(["I don't see the point in going on anymore."]).flagged
    assert not find_signs(["There's no point in going on a trip now."]).flagged


# --- Chinese: same rule as English (data/training/zh_crisis_dev.jsonl: 85 crisis lines, 30 figures of speech, 32
# ordinary heavy lines; the first 73 written before the [zh] patterns, first run 42/42 flagged, 0/31). Dev
# figures; the held-back sets are in test_crisis_zh_heldout.py. ---

ZH = read_rows("zh_crisis_dev.jsonl")


def test_chinese_set_is_well_formed_and_every_crisis_line_flags():
    test_the_sets_are_well_formed(ZH)
    missed = [row["text"] for row in ZH if row["crisis"] and not flagged(row["text"])]
    assert len(missed) <= 0.1 * sum(row["crisis"] for row in ZH), missed


def test_chinese_figures_and_ordinary_lines_are_not_flagged():
    wrongly = [row["text"] for row in ZH if not row["crisis"] and flagged(row["text"])]
    assert len(wrongly) <= 1, wrongly


@pytest.mark.parametrize("text", ["笑死我了", "累死了", "饿死了", "热死了", "气死我了", "吓死我了", "想死你了！", "忙得要死"])
def test_chinese_figures_of_speech(text):
    assert not flagged(text) and not sentence_has_sign(text)


@pytest.mark.parametrize("text", ["我不想活了", "活着没意思", "想结束这一切", "好想消失", "割腕", "吃安眠药", "我不想活著了",
                                  "Long day. 真的不想活了"])
def test_chinese_crisis_flags_with_the_default_language(text):
    assert flagged(text) and sentence_has_sign(text)
    assert not find_signs(split_sentences(text), language="en").flagged or text.startswith("Long")


def test_chinese_wish_to_die_never_survives_as_a_desire():
    finder = default_finder()
    for row in ZH:
        sentences = split_sentences(row["text"])
        signs = find_signs(sentences)
        for k, sentence in enumerate(sentences):
            desires, aversions = ([], []) if k in signs.sentences else finder.find(sentence, k)
            assert not [d for d in desires + aversions if row["crisis"] and not is_harmful(d.text)], row["text"]
    assert is_harmful("消失") and is_harmful("结束这一切") and not is_harmful("大海")


def test_chinese_help_message():
    message = help_message("zh")
    assert message.title and "12356" in message.body and "findahelpline.com" in message.plain
    assert "**" not in message.plain
