"""A plugged-in Hugging Face classifier (built here, random weights, no download) maps onto the 28 labels."""

import pytest
from transformers import BertConfig, BertForSequenceClassification

from visualizer.affect import analyze
from visualizer.affect.encoder import load_encoder
from visualizer.errors import UserError


@pytest.fixture(scope="module")
def classifier_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("classifier")
    tokenizer, _ = load_encoder()
    labels = ["happy", "sad", "anger", "LABEL_X"]
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, num_labels=4, id2label=dict(enumerate(labels)),
                        label2id={name: i for i, name in enumerate(labels)})
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def test_external_labels_are_mapped_and_pooled(classifier_dir):
    state = analyze(["I am glad. I am also a bit sad."], emotion_model=str(classifier_dir))[0]
    assert len(state.emotions) == 28
    mapped = {label for label, p in state.emotions.items() if p > 0}
    assert mapped <= {"joy", "sadness", "anger"} and mapped
    assert all(len(s.emotions) == 28 for s in state.sentences)
    assert state.vad.valence != 3.0  # V/A/D still come from the shipped heads


def test_model_without_emotion_labels_is_refused(tmp_path):
    tokenizer, _ = load_encoder()
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, num_labels=2, id2label={0: "spam", 1: "ham"}, label2id={"spam": 0, "ham": 1})
    BertForSequenceClassification(config).save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    with pytest.raises(UserError, match="no labels that map"):
        analyze(["hello there"], emotion_model=str(tmp_path))
