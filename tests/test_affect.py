"""Affect stage: packaged encoder, chunking, pooling, heads, thresholds, aggregation, eval, readings."""

from pathlib import Path

import numpy as np
import pytest
import torch

from visualizer.affect import analyze, load_model
from visualizer.affect.reader import _active, has_signal
from visualizer.affect.encoder import chunk_texts, load_encoder, pool_by_owner, resolve_encoder
from visualizer.training.evaluate import eval_dreaddit, eval_emobank, eval_goemotions, goemotions_metrics, tune_thresholds
from visualizer.affect.labels import EMOTIONS
from visualizer.affect.model import AffectHeads
from visualizer.affect.predict import predict
from visualizer.affect.segment import split_sentences

FIXTURES = Path(__file__).parent / "fixtures" / "affect"


@pytest.fixture(scope="module")
def model():
    return load_model()


def test_packaged_encoder_loads_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    tokenizer, encoder = load_encoder()
    assert Path(resolve_encoder(None)).is_dir()
    ids = tokenizer(["I miss the sea."], return_tensors="pt")
    hidden = encoder(**ids).last_hidden_state
    assert hidden.shape[-1] == 384 and torch.isfinite(hidden).all()


def test_missing_local_encoder_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(FileNotFoundError, match="HF_HUB_OFFLINE"):
        load_encoder(str(tmp_path / "no-such-encoder"))


def test_long_text_is_chunked_not_truncated(model):
    text = " ".join(["the garden was quiet"] * 200)  # ~800 tokens
    chunks = chunk_texts(model.tokenizer, [text], max_tokens=128)
    expected = len(model.tokenizer(text, add_special_tokens=False)["input_ids"])
    assert len(chunks.input_ids) > 1
    assert all(len(window) <= 128 for window in chunks.input_ids)
    assert sum(len(window) - 2 for window in chunks.input_ids) == expected


def test_pooling_is_token_weighted_mean():
    sums = torch.tensor([[2.0, 4.0], [6.0, 0.0], [1.0, 1.0]])
    counts = torch.tensor([[2.0], [2.0], [1.0]])
    pooled = pool_by_owner(sums, counts, torch.tensor([0, 0, 1]), 2)
    assert torch.allclose(pooled, torch.tensor([[2.0, 1.0], [1.0, 1.0]]))


def test_head_shapes():
    out = AffectHeads(384, 256)(torch.randn(5, 384))
    assert out["emotions"].shape == (5, len(EMOTIONS)) and out["vad"].shape == (5, 3) and out["stress"].shape == (5,)


def test_thresholds_tuned_per_label():
    rng = np.random.default_rng(0)
    targets = (rng.random((400, 2)) < 0.3).astype(float)
    # label 0 is separable at 0.3, label 1 at 0.7
    probs = np.where(targets == 1, [0.35, 0.75], [0.25, 0.65]) + rng.normal(0, 0.01, (400, 2))
    thresholds = tune_thresholds(probs, targets)
    assert 0.26 <= thresholds[0] <= 0.35 and 0.66 <= thresholds[1] <= 0.75
    assert goemotions_metrics(probs, targets, thresholds)["macro_f1"] == pytest.approx(1.0)
    assert goemotions_metrics(probs, targets, [0.5, 0.5])["macro_f1"] < 0.8


def test_active_emotions_drop_neutral_when_a_feeling_clears_its_threshold():
    emotions = {label: 0.0 for label in EMOTIONS} | {"joy": 0.6, "neutral": 0.7, "love": 0.3}
    thresholds = [0.5] * len(EMOTIONS)
    assert _active(emotions, thresholds) == ["joy"]
    assert _active({label: 0.1 for label in EMOTIONS}, thresholds) == ["neutral"]


def test_single_sentence_entry_equals_its_sentence(model):
    prediction = predict(model, ["I finally saw the sea today and cried with joy."])
    assert np.allclose(prediction.entries.emotions[0], prediction.sentences.emotions[0], atol=1e-5)
    assert np.allclose(prediction.entries.vad[0], prediction.sentences.vad[0], atol=1e-5)


def test_entry_reading_is_pooled_over_sentences_in_any_order(model):
    a, b = "I lost my job today.", "But the evening light on the river was beautiful."
    forward, backward = predict(model, [f"{a} {b}", f"{b} {a}"]).entries.emotions
    assert np.allclose(forward, backward, atol=1e-4)


def test_batching_does_not_mix_entries(model):
    texts = ["I am so grateful for my friends.", "Everything is falling apart and I'm terrified. " * 30,
             "Meh.", "I wish I could see the sea again."]
    together = analyze(texts, model)
    for text, state in zip(texts, together):
        alone = analyze([text], model)[0]
        assert state.vad.valence == pytest.approx(alone.vad.valence, abs=2e-3)
        assert state.stress == pytest.approx(alone.stress, abs=2e-3)


def test_readings_point_the_right_way(model):
    happy, hopeless, anxious = analyze([
        "This is the happiest day of my life, I'm so excited and grateful!",
        "I feel hopeless, empty and completely alone.",
        "I can't sleep, rent is due, my boss keeps yelling and I'm panicking about everything.",
    ], model)
    assert happy.vad.valence > 3.4 > hopeless.vad.valence
    assert set(happy.active) & {"joy", "excitement", "gratitude", "admiration"}
    assert set(hopeless.active) & {"sadness", "grief", "disappointment", "remorse", "fear", "nervousness"}
    assert anxious.stress > 0.5 > happy.stress
    assert "work" in anxious.stressors or "money" in anxious.stressors


def test_desires_and_sentence_arc_reach_the_state(model):
    state = analyze(["Work was grey again. I wish I could see the sea again! I don't want to go back there."], model)[0]
    assert [d.text for d in state.desires] == ["the sea"]
    assert [a.text for a in state.aversions] == ["go back there"]
    assert [s.text for s in state.sentences] == split_sentences(state.text)
    assert state.sentences[1].desires[0].text == "the sea"


@pytest.mark.parametrize("text", ["", "   \n\t ", "😭😭😭 💔", "!!! ... 42"])
def test_text_without_words_gets_the_neutral_reading(model, text):
    state = analyze([text], model)[0]
    assert not has_signal(text)
    assert state.signal is False and state.active == ["neutral"] and state.stress == 0.0


def test_eval_on_small_fixtures(model):
    emobank = eval_emobank(model, FIXTURES / "emobank.csv", split="test")
    assert emobank["n"] == 7 and emobank["pearson_v"] > 0.6
    goemotions = eval_goemotions(model, FIXTURES / "goemotions.tsv")
    assert goemotions["n"] == 12 and 0.2 < goemotions["micro_f1"] <= 1
    dreaddit = eval_dreaddit(model, FIXTURES / "dreaddit.csv")
    assert dreaddit["n"] == 6 and dreaddit["accuracy"] >= 5 / 6


def test_bf16_encoder_agrees_with_fp32(model):
    texts = ["I wish I could see the sea again.", "My boss yelled at me and I can't sleep. Rent is due."]
    fp32, bf16 = predict(model, texts, bf16=False), predict(model, texts, bf16=True)
    assert np.abs(fp32.entries.emotions - bf16.entries.emotions).max() < 0.02
    assert np.abs(fp32.entries.vad - bf16.entries.vad).max() < 0.05


# --- calibrated scale and portrait ---------------------------------------------------

def test_calibrated_scale_is_monotone_centred_and_bounded():
    from visualizer.affect.calibration import calibrate
    from visualizer.affect.state import VAD

    grid = [1.0 + 4.0 * i / 400 for i in range(401)] + [-3.0, 0.0, 7.5, 1e6]
    for dimension in ("valence", "arousal", "dominance"):
        values = [calibrate(dimension, x) for x in sorted(grid)]
        assert values == sorted(values), dimension
        assert all(-1.0 <= v <= 1.0 for v in values)
        assert abs(calibrate(dimension, 3.0)) < 1e-9
        assert calibrate(dimension, 1.0) == -1.0 and calibrate(dimension, 5.0) == 1.0
    # it uses the range: a reading half a point from neutral (a strong one for EmoBank) is well out of the middle
    assert VAD(3.5, 3.5, 3.5).normalised().valence > 0.8 and VAD(2.5, 2.5, 2.5).normalised().valence < -0.8
    assert VAD().normalised() == VAD(0.0, 0.0, 0.0)


def test_portrait_is_bounded_and_ordered_on_hand_made_readings():
    from visualizer.affect.calibration import portrait
    from visualizer.affect.state import VAD

    def emotions(**scores):
        return {label: 0.01 for label in EMOTIONS} | scores

    calm = portrait(emotions(neutral=0.8), 0.1, VAD(3.0, 2.9, 3.0))
    afraid = portrait(emotions(fear=0.6, nervousness=0.4), 0.8, VAD(2.4, 3.5, 2.6))
    sad = portrait(emotions(sadness=0.7), 0.6, VAD(2.4, 2.9, 2.7))
    curious = portrait(emotions(curiosity=0.6, excitement=0.3), 0.1, VAD(3.3, 3.3, 3.1))
    for anxiety, interest in (calm, afraid, sad, curious):
        assert 0.0 <= anxiety <= 1.0 and 0.0 <= interest <= 1.0
    assert afraid[0] > sad[0] > calm[0] and afraid[0] > 0.8 and calm[0] < 0.3
    assert curious[1] > calm[1] and curious[1] > afraid[1] and curious[1] > 0.8 and calm[1] < 0.3


def test_old_stored_states_load_without_the_new_fields():
    from visualizer.affect.state import InnerState

    old = {"emotions": {label: 0.0 for label in EMOTIONS}, "active_emotions": ["neutral"],
           "vad": {"valence": 3.2, "arousal": 3.0, "dominance": 3.0}, "stress": 0.3,
           "sentences": [{"text": "A day.", "emotions": {"joy": 0.2}, "vad": {"valence": 3.2, "arousal": 3.0,
                                                                                "dominance": 3.0}, "stress": 0.3}]}
    state = InnerState.from_dict(old)
    assert state.anxiety == 0.0 and state.interest == 0.0 and state.sentences[0].anxiety == 0.0
    again = InnerState.from_dict(state.to_dict())
    assert again == state and again.to_dict()["vad_normalised"]["valence"] > 0.0


def test_analyze_reports_anxiety_and_interest(model):
    afraid, curious = analyze(["I heard footsteps behind me in the dark and I was terrified they would catch me.",
                               "I wonder how octopuses change colour; I spent all evening reading about it."], model)
    for state in (afraid, curious):
        assert 0.0 <= state.anxiety <= 1.0 and 0.0 <= state.interest <= 1.0
        assert all(0.0 <= s.anxiety <= 1.0 for s in state.sentences)
    assert afraid.anxiety > curious.anxiety and curious.interest > afraid.interest
    assert analyze(["😭"], model)[0].anxiety == 0.0


def test_calibrated_scale_separates_the_dev_accounts(model):
    """data/evaluation/accounts_dev.jsonl: first-person accounts written for this check."""
    import json

    rows = [json.loads(line) for line in (Path(__file__).resolve().parents[1] / "data" / "evaluation" / "accounts_dev.jsonl").open()]
    states = analyze([r["text"] for r in rows], model)
    mean = {}
    for label in ("joy", "fear", "anger", "sadness"):
        norms = [s.vad.normalised() for s, r in zip(states, rows) if r["label"] == label]
        mean[label] = (np.mean([n.valence for n in norms]), np.mean([n.arousal for n in norms]))
    assert mean["joy"][0] >= 0.45 and all(mean[label][0] <= -0.45 for label in ("fear", "anger", "sadness"))
    assert min(mean["fear"][1], mean["anger"][1]) - mean["sadness"][1] >= 0.30
