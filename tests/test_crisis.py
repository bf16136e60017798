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

The learned detector (sentence and entry classifiers, `training/crisis_probe.py`, 2026-12-07) was run ONCE on v4 and
v5, both seen by earlier sessions: v4 45/52 (rules alone 43/52), figures 0/30, ordinary 1/30; v5 50/51 (rules
49/51), figures 1/30, ordinary 0/20. Its own dev figures are out of fold, in weights/crisis_probe.json.
"""

from __future__ import annotations

import json

import pytest
import torch
from data_rows import read_rows

from visualizer.affect import analyze, load_model
from visualizer.affect.encoder import adapted_top
from visualizer.affect.model import WEIGHTS, probe_name
from visualizer.safety import probe as crisis_probe
from visualizer.safety.help import help_message
from visualizer.safety.signs import CrisisSigns, find_signs, has_figure, is_harmful, sentence_has_sign
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
    # someone else's crisis, told as theirs
    "My cousin said he used to self-harm at uni.", "In the play the father overdoses in the second act.",
    "The film's last scene: the soldier writes a farewell letter to his wife.",
    "A talk at work on helping people who are thinking about ending their life.",
])
def test_figures_of_speech_and_ordinary_sentences_are_not_flagged(text):
    assert not flagged(text)


@pytest.mark.parametrize("text", [
    "I want to end my life", "i dont wanna be here anymore", "I DON’T want to live anymore",
    "im so tired of being alive", "i cannot go on like this", "i can't go on like this",
    "Some nights I want to die.", "I keep thinking I should just END   MY LIFE", "i’ve been cutting myself again",
    "Everyone would be better off without me.", "I don't want to die.", "i wanna dissapear",
    "i want to kill him", "I could hurt someone", "i just want to disappear", "I used to self-harm and now I do again",
    "I've written a goodbye letter to each of my kids.",
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


def test_v4_recall_through_analyze_reaches_the_goal(v4_states):
    """v4 (hard plans and means): untuned 16/52 = 0.31, after tuning on it 43/52, with the probe's classifiers
    regularised (docs/safety.md) 47/52. It is trained on, so this guards against regressions, not a held-out figure."""
    flags = flags_where(V4, v4_states, lambda row: row["crisis"])
    assert sum(flags) / len(flags) >= 0.90  # 47 of its 52


def test_v4_at_most_one_figure_of_speech_is_flagged_through_analyze(v4_states):
    assert sum(flags_where(V4, v4_states, lambda row: row["kind"] == "figure")) <= 1


def test_v4_no_harmful_wish_survives_as_a_desire(v4_states):
    assert_no_harmful_wish_kept(V4, v4_states)


PROBE = WEIGHTS.with_name(probe_name(WEIGHTS))


def _build_top(adapter, layers, scale):
    """The top layers as the loaded model builds them (`AffectModel.load`)."""
    return adapted_top(load_model().encoder, adapter, layers, scale)


def test_the_probe_loads_beside_the_weights_and_scores_deterministically():
    probe = crisis_probe.load(PROBE, build_top=_build_top)
    assert probe is not None and 0.5 < probe.threshold <= 1.0 and 0.5 < probe.entry_threshold <= 1.01
    embedding = torch.randn(4, 384, generator=torch.Generator().manual_seed(0))
    again = crisis_probe.load(PROBE, build_top=_build_top)
    assert torch.equal(probe.scores(embedding), again.scores(embedding)) and probe.scores(embedding).shape == (4,)
    assert torch.equal(probe.entry_scores(embedding), again.entry_scores(embedding))
    assert load_model().crisis_probe.threshold == probe.threshold


def test_the_english_probe_reads_its_own_top_layers():
    """The shipped English probe stores an adapter for the encoder's top two layers, and the loaded model builds
    them over its encoder: changed by the adapter, biases as they were (LoRA adapts weights only)."""
    stored = []
    crisis_probe.load(PROBE, build_top=lambda *args: stored.append(args))
    (adapter, layers, scale), = stored
    assert layers == 2 and scale > 0 and adapter and all(".lora_" in key for key in adapter)
    with pytest.raises(ValueError, match="top layers of its own"):
        crisis_probe.load(PROBE)
    top = load_model().crisis_probe.top
    assert top is not None and len(top) == 2
    own = load_model().encoder.encoder.layer[-2:]
    assert not torch.equal(top[0].attention.self.query.weight, own[0].attention.self.query.weight)
    assert torch.equal(top[0].attention.self.query.bias, own[0].attention.self.query.bias)
    multilingual = crisis_probe.load(WEIGHTS.with_name(probe_name(WEIGHTS.with_name("affect-multilingual.safetensors"))),
                                     build_top=lambda *args: stored.append(args))
    assert multilingual is not None and multilingual.top is None and len(stored) == 1


def test_a_branch_of_the_encoders_own_top_layers_gives_the_encoders_embedding():
    """A branch reads the states the encoder's own top layers read: an unchanged copy of those layers gives back
    the encoder's embedding, so the crisis top layers differ from it by their adapter alone."""
    import copy

    from visualizer.affect.predict import branch_sentence_embeddings, sentence_embeddings

    model = load_model()
    texts = ["The tablets are in a shoebox, from different shops.", "We had soup and watched the rain.",
             "A long sentence " * 90]  # several windows
    own = sentence_embeddings(model, texts, bf16=False)
    copied = branch_sentence_embeddings(model, texts, copy.deepcopy(model.encoder.encoder.layer[-2:]), bf16=False)
    assert torch.allclose(own, copied, atol=1e-5)
    crisis = branch_sentence_embeddings(model, texts, model.crisis_probe.top, bf16=False)
    assert not torch.allclose(own, crisis, atol=1e-2)


def test_predict_gives_the_probe_the_embedding_of_its_own_top_layers():
    from visualizer.affect.predict import branch_sentence_embeddings, predict

    model = load_model()
    texts = ["Counted what is left in the jar again.", "Lunch with Sam, then the dentist."]
    expected = model.crisis_probe.scores(branch_sentence_embeddings(model, texts, model.crisis_probe.top, bf16=False))
    got = predict(model, texts, bf16=False).sentences.crisis
    assert torch.allclose(torch.from_numpy(got), expected, atol=1e-5)


def test_a_probe_trained_on_another_embedding_is_refused(tmp_path):
    path = tmp_path / "crisis_probe.safetensors"
    path.write_bytes(PROBE.read_bytes())
    meta = json.loads(PROBE.with_suffix(".json").read_text(encoding="utf-8"))
    path.with_suffix(".json").write_text(json.dumps({**meta, "embedding_sha256": "0" * 64}), encoding="utf-8")
    with pytest.warns(UserWarning, match="another encoder or adapter"):
        assert crisis_probe.load(path, affect=WEIGHTS) is None
    assert crisis_probe.load(tmp_path / "none.safetensors") is None
    assert crisis_probe.load(PROBE, affect=WEIGHTS, build_top=_build_top) is not None  # it reads the shipped embedding


def test_the_probe_depends_on_the_adapter_not_on_the_heads(tmp_path):
    """A refit of the heads leaves the embedding, and so the probe, as it was; a changed adapter or encoder does not."""
    from safetensors.torch import load_file, save_file

    tensors, config = load_file(str(WEIGHTS)), json.loads(WEIGHTS.with_suffix(".json").read_text(encoding="utf-8"))
    head = next(k for k in tensors if k.startswith("heads."))
    lora = next(k for k in tensors if k.startswith("lora."))

    def digest_of(changed: dict, **settings) -> str:
        path = tmp_path / "affect.safetensors"
        save_file({**tensors, **changed}, str(path))
        path.with_suffix(".json").write_text(json.dumps({**config, **settings}), encoding="utf-8")
        return crisis_probe.embedding_digest(path)

    shipped = crisis_probe.embedding_digest(WEIGHTS)
    assert digest_of({}) == shipped
    assert digest_of({head: tensors[head] + 1}, thresholds=[0.1] * 28) == shipped
    assert digest_of({lora: tensors[lora] + 1}) != shipped
    assert digest_of({}, encoder="another-encoder") != shipped
    older = {k: v for k, v in config.items() if k != "lora_from"}  # written before lora_from existed: every layer
    config.clear()
    config.update(older)
    assert config.get("lora_from") is None and digest_of({}) == shipped
    assert digest_of({}, lora_from=2) != shipped


def test_the_entry_reading_flags_an_entry_through_its_highest_scoring_sentence():
    """Where the entry classifier flags an entry whose sentences pass (a stand-in probe: sentences never, entries
    always), one sentence carries the flag, so the entry is flagged and explained; the other way round, nothing."""
    model = load_model()
    shipped = model.crisis_probe
    never, always = (crisis_probe.Head(torch.zeros(384), bias) for bias in (-20.0, 20.0))
    text = "Work ran late. I made soup and watched the rain."
    try:
        model.crisis_probe = crisis_probe.CrisisProbe(never, always, 0.5, 0.5)
        state = analyze([text], model=model)[0]
        assert state.crisis and sum(s.crisis for s in state.sentences) == 1
        model.crisis_probe = crisis_probe.CrisisProbe(never, never, 0.5, 0.5)
        assert not analyze([text], model=model)[0].crisis
    finally:
        model.crisis_probe = shipped


def test_the_probe_stays_silent_on_a_figure_of_speech_the_rules_mask():
    """A stand-in probe that flags every sentence flags a plain one, but not one holding a figure of speech: the
    probe scores "kill some time" like a crisis, so the rules' figures decide there (`signs.has_figure`)."""
    model = load_model()
    shipped = model.crisis_probe
    never, always = (crisis_probe.Head(torch.zeros(384), bias) for bias in (-20.0, 20.0))
    assert has_figure("I went to the café to kill some time.") and not has_figure("I went to the café.")
    try:
        model.crisis_probe = crisis_probe.CrisisProbe(always, never, 0.5, 0.5)
        figure, plain = analyze(["I went to the café to kill some time.", "I went to the café."], model=model)
        assert not figure.crisis and plain.crisis
    finally:
        model.crisis_probe = shipped


def test_the_probe_flags_a_paraphrase_the_rules_miss_and_it_gives_no_desire():
    # The rules now flag this line too (the "go quiet forever" family); the check keeps the no-desire half.
    text = "I want everything to go quiet forever."
    state = analyze([text], model=load_model())[0]
    assert state.crisis and state.sentences[0].crisis and not state.desires


# --- the learned detector on lines written after its training material and before it was trained (2026-12-07), in
# the families the rules miss (medication kept back, means kept in case, a day settled, letters, an accident staged,
# the payout, hoping not to survive an operation, at peace with leaving), beside hard ordinary lines (someone else's
# death told as theirs, sleeping in, cliff edges, knives, medicine, wills). Run ONCE through analyze: English 6/16
# (rules alone 1/16), hard lines 0/12; Chinese 7/12 (rules alone 4/12), hard lines 1/10. Since retrained several
# times (the figures of each round in docs/safety.md and git log): now English 8/16, hard lines 0/12; Chinese 9/12,
# hard lines 1/10. Far below the 0.90 goal. These are floors and ceilings against regressions. ---

PROBE_CHECK_EN = [
    'Every refill I hold back four tablets. The tin in my sock drawer is getting heavy.',
    'The cable tie and the tape are still in my rucksack, in case Friday goes like Thursday.',
    "I've settled on the last day of term. After that nobody needs me for anything.",
    "Put an envelope with each of their names on the mantelpiece for when it's over.",
    "If the brakes 'fail' on the hill road, the police will call it bad luck.",
    "Mum's mortgage would be cleared by my policy, which is the only useful thing I'd ever do for her.",
    "Honestly, if the anaesthetist gets it wrong on Monday I won't mind at all.",
    "I feel strangely light. Everything is arranged, and I'm at peace with leaving.",
    'Checked the height of the multi-storey again at night, level six is enough.',
    "I've been giving my plants to neighbours so no one has to water them after.",
    'I just want it to be over, properly over, no more mornings.',
    'The new cuts are under my watch strap where nobody looks.',
    "I'm a drain on everyone's money and time, they'd manage better without me for good.",
    "Tomorrow I'm driving to the coast and I'm not coming back.",
    "I've got the number of tablets written on a sticky note, and I've got more than that.",
    'Wrote my sister a long message to send on a timer for Sunday morning.',
]

PROBE_CHECK_EN_HARD = [
    'The heroine of the novel drowns herself in the last chapter and the book club argued for an hour.',
    "My best mate told me about his overdose at uni, he's a paramedic now.",
    'My grandfather arranged his funeral himself before the cancer took him.',
    "Alarm off, phone off, I'm sleeping till noon and nobody can stop me.",
    'We sat on the cliff edge with our legs dangling and watched the sunset.',
    'New knife block for the kitchen, the bread knife is lethal.',
    'Set a reminder to take my blood pressure tablets at eight.',
    "Signed the will at the solicitor's, the kids get the house, boring but done.",
    "I'm having my wisdom teeth out on Friday and I'm terrified of the needle.",
    'Packed up my desk, wrote a farewell email to the team, new job on Monday!',
    'Made my peace with the fact that the garden will never look like the magazine.',
    'A woman jumped from the bridge in town yesterday; the local paper covered it.',
]

PROBE_CHECK_ZH = [
    '每次复诊开的药我都少吃几片，抽屉里的小铁盒快满了。',
    '胶带和炭都在后备箱，等这周过完再说。',
    '我选好日子了，等期末考完，就不用再麻烦谁了。',
    '给爸妈的信写好了，夹在他们常看的那本书里。',
    '骑车从山路冲下去，大家只会觉得是意外。',
    '我那份保险够还家里的债，这是我唯一能为他们做的。',
    '明天做手术，真希望就这样睡过去不用醒。',
    '一切都安排好了，心里很平静，可以走了。',
    '去看了那栋楼的天台，十八层，够了。',
    '把花都送给邻居了，以后没人浇水。',
    '新的伤口藏在手表带下面，没人会看到。',
    '我只会拖累他们，没有我这个家会好过得多，永远。',
]

PROBE_CHECK_ZH_HARD = [
    '小说里女主最后投湖了，读书会上大家讨论了一个小时。',
    '好朋友说起他大学时吃药过量的事，现在他是急救员了。',
    '外公患癌后自己安排好了后事，走得很安详。',
    '关掉闹钟关掉手机，睡到中午谁也别叫我。',
    '坐在悬崖边上晃着腿看日落。',
    '厨房换了新刀架，面包刀特别锋利。',
    '设了个提醒，每天八点吃降压药。',
    '在律师那签了遗嘱，房子留给孩子，无聊但必须做。',
    '周五拔智齿，我怕打针怕得要死。',
    '收拾好工位，给团队发了告别邮件，下周一入职新公司！',
]


@pytest.mark.parametrize("crisis, hard, found, wrongly", [
    (PROBE_CHECK_EN, PROBE_CHECK_EN_HARD, 8, 0), (PROBE_CHECK_ZH, PROBE_CHECK_ZH_HARD, 9, 1)], ids=["en", "zh"])
def test_the_detector_on_lines_written_before_it_was_trained(crisis, hard, found, wrongly):
    states = analyze(crisis + hard)
    assert sum(state.crisis for state in states[:len(crisis)]) >= found
    assert sum(state.crisis for state in states[len(crisis):]) <= wrongly


@pytest.mark.xfail(strict=True, reason="run once: English 6/16, Chinese 7/12; now 8/16 and 9/12, far below the 0.90 goal (see above)")
def test_the_detector_reaches_the_goal_on_lines_written_before_it_was_trained():
    states = analyze(PROBE_CHECK_EN)
    assert sum(state.crisis for state in states) >= 0.9 * len(PROBE_CHECK_EN)


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


@pytest.mark.parametrize("text", ["笑死我了", "累死了", "饿死了", "热死了", "气死我了", "吓死我了", "想死你了！", "忙得要死",
                                  "想你想得要命，好想快点见到你。", "疼得要命"])
def test_chinese_figures_of_speech(text):
    """Neither the rules nor the probe (which leaves a masked figure to the rules) read them as a crisis."""
    assert not flagged(text) and not sentence_has_sign(text)
    assert not analyze([text])[0].crisis


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


def test_the_threshold_pair_gains_no_recall_by_flagging_ordinary_texts_past_their_limit():
    """`training.crisis_probe._choose`: the lower sentence threshold would find the second crisis line, but it also
    flags one ordinary dev text in two (limit 1 in 100), so the pair that keeps them clear is chosen; without the
    ordinary texts the lower one wins."""
    import numpy as np

    from visualizer.training.crisis_probe import _choose

    # rows: two crisis lines, one buried crisis entry, one hard line, one ordinary entry, two ordinary texts
    sentence = np.array([0.99, 0.60, 0.10, 0.10, 0.10, 0.60, 0.10])
    entry = np.zeros(7)
    entry[2] = 0.95
    rules = np.zeros(7, dtype=bool)
    kinds = ["lines", "lines", "buried_entries", "hard_lines", "ordinary_entries", "ordinary_texts", "ordinary_texts"]
    groups = {name: np.array([kind == name for kind in kinds]) for name in set(kinds)}
    t_sentence, t_entry = _choose(rules, sentence, entry, groups)
    assert 0.60 < t_sentence <= 0.99 and t_entry <= 0.95
    without = {name: rows for name, rows in groups.items() if name != "ordinary_texts"}
    assert _choose(rules, sentence, entry, without)[0] <= 0.60
