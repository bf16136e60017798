"""The Chinese group reader (`affect/zh_groups.py`): its features, how it shares the 28 probabilities, the plain
encoder it reads, and what it does to a reading."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from visualizer.affect import zh_groups
from visualizer.training import zh_groups as group_training
from visualizer.affect.labels import EMOTIONS, WEIBO_GROUPS, group_matrix

GROUPS = list(WEIBO_GROUPS)
G = group_matrix(WEIBO_GROUPS)
POSTS = ["今天考试通过了，太开心了！", "外婆走了，我好难过。", "又被人插队了，气死我了！！", "这菜真恶心  [吐]",
         "半夜听到奇怪的声音，好怕", "What? 居然是他！", "喜欢这首歌 ❤", "ＡＢＣ　全角 123", "开心开心开心"]


def dense(reader: zh_groups.GroupReader, text: str) -> np.ndarray:
    row = np.zeros(len(reader.idf))
    indices, values = reader.ngram_weights(text)
    row[indices] = values
    return row


def one_group_posts(embeddings: np.ndarray) -> group_training.Posts:
    """POSTS, each allowing one group (in turn), weighed evenly."""
    allowed = np.eye(len(GROUPS))[np.arange(len(POSTS)) % len(GROUPS)]
    return group_training.Posts(POSTS, embeddings, allowed, np.ones(len(POSTS)))


def test_the_numpy_features_are_scikit_learns_tfidf():
    """Reading redoes scikit-learn's char TF-IDF from the saved vocabulary (no scikit-learn, no pickle)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    options = group_training.GroupOptions(min_df=1)
    embeddings = np.random.default_rng(0).normal(size=(len(POSTS), 8))
    reader = group_training._fit(one_group_posts(embeddings), 0.02, 1.0, options)
    reference = TfidfVectorizer(analyzer="char", ngram_range=options.ngram, min_df=1, sublinear_tf=True).fit(POSTS)
    assert reader.vocabulary == reference.vocabulary_
    unseen = ["考试又没过，好难过。。。", "Ｗｏｗ  好吃！", ""]
    np.testing.assert_allclose(np.stack([dense(reader, text) for text in unseen]), reference.transform(unseen).toarray(),
                               atol=1e-6)
    traditional, simplified = "這幾天考試很難過", "这几天考试很难过"  # folded as far as language.toml's table reaches
    np.testing.assert_array_equal(dense(reader, traditional), dense(reader, simplified))
    probabilities = reader.probabilities(unseen, embeddings[:3])
    assert probabilities.shape == (3, len(GROUPS)) and np.allclose(probabilities.sum(1), 1)


def test_a_saved_reader_reads_as_before_and_refuses_another_encoder(tmp_path):
    options = group_training.GroupOptions(min_df=1)
    embeddings = np.random.default_rng(1).normal(size=(len(POSTS), 8))
    reader = group_training._fit(one_group_posts(embeddings), 0.02, 1.0, options)
    reader.meta = {"encoder": "some-encoder", "frozen_layers": 4}
    path = tmp_path / "zh_groups.safetensors"
    reader.save(path)
    again = zh_groups.load(path, "some-encoder", 4)
    np.testing.assert_allclose(again.probabilities(POSTS, embeddings), reader.probabilities(POSTS, embeddings), atol=1e-5)
    with pytest.warns(UserWarning, match="not this model's encoder"):
        assert zh_groups.load(path, "another-encoder", 4) is None
    assert zh_groups.load(tmp_path / "missing.safetensors", "some-encoder", 4) is None


def test_with_one_allowed_group_per_post_the_fit_is_scikit_learns_logistic_regression():
    """The partial-label loss reduces to cross-entropy: the same coefficients as `LogisticRegression` with weights."""
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(3)
    x = rng.normal(size=(120, 10))
    labels = (x[:, :len(GROUPS)] + rng.normal(scale=0.5, size=(120, len(GROUPS)))).argmax(1)
    weights = rng.uniform(0.5, 2.0, size=120)
    coef, intercept = group_training._partial_label_regression(x, np.eye(len(GROUPS))[labels], weights, 0.7)
    reference = LogisticRegression(C=0.7, max_iter=3000).fit(x, labels, sample_weight=weights)
    np.testing.assert_allclose(coef, reference.coef_, atol=1e-3)
    np.testing.assert_allclose(intercept, reference.intercept_, atol=1e-3)


def test_a_merged_class_is_split_by_what_the_single_group_posts_taught():
    """SMP-style posts allowing happiness or like teach their new word the union; which of the two it reads comes
    from the posts that carry one group, and a merged class never lends mass to groups outside it."""
    happiness, like, anger, disgust = (GROUPS.index(g) for g in ("happiness", "like", "anger", "disgust"))
    texts = ["今天开心"] * 6 + ["喜欢小猫"] * 6 + ["气死了"] * 6 + ["开心，赞"] * 6 + ["恶心，呸"] * 6
    allowed = np.zeros((len(texts), len(GROUPS)))
    allowed[:6, happiness] = allowed[6:12, like] = allowed[12:18, anger] = 1
    allowed[18:24, [happiness, like]] = 1  # 赞 is seen only in a merged class
    allowed[24:, [anger, disgust]] = 1      # and 呸
    embeddings = np.random.default_rng(4).normal(size=(len(texts), 8))
    posts = group_training.Posts(texts, embeddings, allowed, np.ones(len(texts)))
    reader = group_training._fit(posts, 0.0, 10.0, group_training.GroupOptions(min_df=1))
    p = reader.probabilities(["赞", "开心，赞", "呸"], embeddings[:3])
    assert p[0, [happiness, like]].sum() > 0.5 and p[1].argmax() == happiness
    assert p[2, [anger, disgust]].sum() > 0.5


def test_balanced_weights_sum_to_the_total_and_every_label_weighs_the_same():
    allowed = np.eye(len(GROUPS))[[0, 0, 0, 1]]
    allowed = np.vstack([allowed, [[1, 1, 0, 0, 0, 0, 0]]])
    posts = group_training.balanced(group_training.Posts(["a"] * 5, np.zeros((5, 2)), allowed, np.ones(5)), 6.0)
    np.testing.assert_allclose(posts.weights, [2 / 3, 2 / 3, 2 / 3, 2, 2])


def test_smp2020_posts_read_by_subset_and_their_classes_allow_clue_groups(tmp_path):
    from visualizer.training.datasets import SMP2020_LABELS, DatasetError, read_smp2020

    path = tmp_path / "smp.jsonl"
    rows = [{"text": "好开心", "label": "happy", "subset": "usual"}, {"text": "气死", "label": "angry", "subset": "virus"},
            {"text": "嗯", "label": "neutral", "subset": "usual"}]
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n\n", encoding="utf-8")
    usual = read_smp2020(path)
    assert [e.text for e in usual] == ["好开心", "嗯"] and usual[0].target == [1.0, 0, 0, 0, 0, 0]
    assert len(read_smp2020(path, ("usual", "virus"))) == 3
    allowed = group_training.smp_allowed(list(SMP2020_LABELS))
    assert [[GROUPS[i] for i in np.flatnonzero(row)] for row in allowed] == [
        ["happiness", "like"], ["anger", "disgust"], ["sadness"], ["fear"], ["surprise"], []]
    assert group_training.smp_allowed([]).shape == (0, len(GROUPS))  # `smp_subsets=()`: the CLUE posts alone
    path.write_text(json.dumps({"text": "x", "label": "disgust", "subset": "usual"}), encoding="utf-8")
    with pytest.raises(DatasetError, match="smp.jsonl:1"):
        read_smp2020(path)


def test_the_readers_feeling_leads_and_every_other_probability_stays_the_heads():
    rng = np.random.default_rng(2)
    emotions = rng.uniform(0.01, 0.1, size=(6, len(EMOTIONS)))  # no group sum over 0.7: no label reaches the cap
    groups = rng.dirichlet(np.ones(len(GROUPS)), size=6)
    led = zh_groups.lead_with(emotions, groups)
    assert ((led @ G).argmax(1) == groups.argmax(1)).all()
    for row, lead in enumerate(groups.argmax(1)):
        head = emotions[row] @ G
        members = G[:, lead] > 0
        np.testing.assert_array_equal(led[row, ~members], emotions[row, ~members])  # neutral among them
        if head.argmax() == lead:
            np.testing.assert_array_equal(led[row], emotions[row])
        else:  # raised to a tenth above the head's strongest group, its shades in proportion
            assert (led[row] @ G)[lead] == pytest.approx(zh_groups.LEAD_MARGIN * np.delete(head, lead).max())
            np.testing.assert_allclose(led[row, members] / led[row, members].sum(), emotions[row, members] / head[lead])


def test_a_capped_feeling_leads_by_lowering_the_groups_above_it_and_an_empty_one_is_shared_evenly():
    emotions = np.full((2, len(EMOTIONS)), 0.4)
    emotions[0, EMOTIONS.index("disgust")] = 0.05  # disgust, one label, cannot reach sadness's 2.0 by itself
    emotions[1, [EMOTIONS.index(label) for label in WEIBO_GROUPS["fear"]]] = 0.0
    groups = np.eye(len(GROUPS))[[GROUPS.index("disgust"), GROUPS.index("fear")]]
    led = zh_groups.lead_with(emotions, groups)
    assert led[0, EMOTIONS.index("disgust")] == 1.0 and (led[0] @ G).argmax() == GROUPS.index("disgust")
    assert led.max() <= 1.0 and led[0, EMOTIONS.index("neutral")] == 0.4
    fear, nervousness = EMOTIONS.index("fear"), EMOTIONS.index("nervousness")
    assert led[1, fear] == led[1, nervousness] > 0 and (led[1] @ G).argmax() == GROUPS.index("fear")


def test_a_row_with_no_feeling_is_left_alone():
    emotions = np.zeros((1, len(EMOTIONS)))
    emotions[0, EMOTIONS.index("neutral")] = 0.9
    np.testing.assert_array_equal(zh_groups.lead_with(emotions, np.eye(len(GROUPS))[[0]]), emotions)


# --- with the shipped multilingual model ---------------------------------------------------------------

@pytest.fixture(scope="module")
def model():
    from visualizer.affect.model import MULTILINGUAL_WEIGHTS
    from visualizer.affect.reader import load_model

    return load_model(MULTILINGUAL_WEIGHTS)


def test_the_shipped_model_carries_the_reader_and_its_plain_encoder(model):
    assert model.groups is not None and model.frozen_top is not None
    assert model.groups.meta["encoder"] == model.config.encoder and len(model.frozen_top) == 12 - model.config.lora_from


def test_the_plain_embedding_is_the_unadapted_encoders(model):
    """The frozen top layers on the adapted model's lower states give what the encoder gives with no adapter."""
    from visualizer.affect.encoder import load_encoder
    from visualizer.affect.predict import entry_embeddings, plain_entry_embeddings

    texts = ["我好想再去看一次大海。", "今天很累，但是很开心。见到了老朋友！", "A short English line."]
    plain = plain_entry_embeddings(model, texts, bf16=False)
    bare = type(model)(*load_encoder(model.config.encoder), model.heads, model.config)
    expected = entry_embeddings(bare, texts, bf16=False)
    assert torch.nn.functional.cosine_similarity(plain, expected).min() > 0.9999
    adapted = entry_embeddings(model, texts, bf16=False)
    assert torch.nn.functional.cosine_similarity(plain, adapted).max() < 0.999  # the adapter does change them


def test_chinese_feelings_come_from_the_reader_and_english_is_left_alone(model):
    from visualizer.affect.predict import predict

    texts = ["半夜一个人回家，总觉得后面有人跟着，好害怕。", "竟然在街上碰到了十年没见的同学，太意外了！",
             "I passed my exam today and I'm so happy!"]
    with_reader = predict(model, texts, bf16=False)
    reader, model.groups = model.groups, None
    try:
        head_only = predict(model, texts, bf16=False)
    finally:
        model.groups = reader
    tops = [GROUPS[i] for i in (with_reader.entries.emotions @ G).argmax(1)]
    assert tops[:2] == ["fear", "surprise"]
    np.testing.assert_allclose(with_reader.entries.emotions[2], head_only.entries.emotions[2])
    assert not np.allclose(with_reader.entries.emotions[:2], head_only.entries.emotions[:2])
    neutral = EMOTIONS.index("neutral")  # how feeling-laden a text is stays the head's reading
    np.testing.assert_allclose(with_reader.sentences.emotions[:, neutral], head_only.sentences.emotions[:, neutral])


def test_diary_entries_we_wrote_are_read_by_their_feeling_better_than_by_the_head_alone(model):
    """data/evaluation/zh_entries_dev.jsonl: 35 diary entries, five per group, written before they were first read
    (head alone macro-F1 0.26; with the reader 0.51 on 2026-12-06, 0.72 fit with the SMP2020 posts as well on
    2026-12-07; dev figures, README)."""
    from pathlib import Path

    from visualizer.training.evaluate import eval_zh_emotions

    path = Path(__file__).resolve().parents[1] / "data" / "evaluation" / "zh_entries_dev.jsonl"
    with_reader = eval_zh_emotions(model, path)
    reader, model.groups = model.groups, None
    try:
        head_only = eval_zh_emotions(model, path)
    finally:
        model.groups = reader
    assert with_reader["n"] == 35 and with_reader["macro_f1"] >= 0.6
    assert with_reader["macro_f1"] > head_only["macro_f1"] + 0.1


def test_training_cross_validates_the_knobs_saves_and_scores_the_dev_split(model, tmp_path):
    """`visualizer train --zh-groups --dev-split` on a small folder of posts (CLUE's and SMP2020's): knobs chosen,
    reader saved and loadable, neutral SMP posts left out."""
    words = {"happiness": "开心", "like": "喜欢", "sadness": "难过", "anger": "生气", "disgust": "恶心", "fear": "害怕",
             "surprise": "意外"}
    posts = [{"text": f"今天第{i}次觉得好{word}。", "label": label} for label, word in words.items() for i in range(8)]
    (tmp_path / "zh_emotions").mkdir()
    (tmp_path / "zh_emotions" / "dev.jsonl").write_text(
        "\n".join(json.dumps(post, ensure_ascii=False) for post in posts), encoding="utf-8")
    smp = [{"text": f"第{i}条：{text}", "label": label, "subset": subset}
           for i, (text, label, subset) in enumerate([("太开心了", "happy", "usual"), ("好生气", "angry", "usual"),
                                                      ("今天周三", "neutral", "usual"), ("好怕", "fear", "virus")] * 3)]
    (tmp_path / "zh_smp2020").mkdir()
    (tmp_path / "zh_smp2020" / "smp2020_ewect.jsonl").write_text(
        "\n".join(json.dumps(post, ensure_ascii=False) for post in smp), encoding="utf-8")
    out = tmp_path / "zh_groups-multilingual.safetensors"
    options = group_training.GroupOptions(data=tmp_path, out=out, min_df=1, gammas=(0.0, 0.02), costs=(1.0,),
                                          smp_weights=(0.5,), folds=2, every_post=False)
    metrics = group_training.train(options, log=lambda _: None)
    assert metrics["gamma"] in (0.0, 0.02) and metrics["posts"] < len(posts) and metrics["dev_n"] > 0
    assert metrics["smp_posts"] == 6 and metrics["smp_weight"] == 0.5  # "usual" only, neutral left out
    assert metrics["cv_macro_f1"] > 0.5 and metrics["dev_macro_f1"] > 0.5  # one word per feeling is easy to learn
    reader = zh_groups.load(out, model.config.encoder, len(model.frozen_top))
    assert reader.meta["dev"]["n"] == metrics["dev_n"] and "vocabulary" not in reader.meta
