"""Whole-entry reading: sentence emotions pooled so that one strong sentence is not drowned; and the F1
that its evaluation and the heads' report, on hand-counted cases."""

import json
from pathlib import Path

import numpy as np
import pytest

from visualizer.affect import analyze, load_model
from visualizer.training.entry_dev import GROUP_NAMES, GROUPS, build_entries, group_metrics, read_accounts
from visualizer.affect.labels import EMOTIONS
from visualizer.affect.predict import _read, pool_emotions, predict, sentence_embeddings
from visualizer.cli import main

ACCOUNTS = Path(__file__).resolve().parents[1] / "data" / "evaluation" / "entries_dev.jsonl"
NEUTRAL = EMOTIONS.index("neutral")


@pytest.fixture(scope="module")
def model():
    return load_model()


def _row(**labels: float) -> np.ndarray:
    row = np.full(len(EMOTIONS), 0.02)
    for label, p in labels.items():
        row[EMOTIONS.index(label)] = p
    return row


def test_one_sentence_pools_to_itself():
    row = _row(sadness=0.7, neutral=0.2)
    assert np.array_equal(pool_emotions(row[None], np.array([9.0])), row)


def test_strong_sentence_outweighs_filler_in_the_pool():
    filler = _row(neutral=0.8)
    strong = _row(grief=0.6, sadness=0.7, neutral=0.1)
    pooled = pool_emotions(np.stack([filler, filler, strong, filler, filler]), np.array([12.0, 15, 14, 10, 12]))
    assert EMOTIONS[int(pooled.argmax())] == "sadness"
    assert pooled[NEUTRAL] < 0.2 and pooled.max() <= 1.0


def test_all_neutral_sentences_stay_neutral():
    pooled = pool_emotions(np.stack([_row(neutral=0.8), _row(neutral=0.7), _row(neutral=0.9)]), np.array([5.0, 8, 6]))
    assert EMOTIONS[int(pooled.argmax())] == "neutral"


def test_strong_sentence_among_neutral_filler_is_not_read_neutral(model):
    text = ("I took the bus to work at eight. The meeting was about the new printer. I had a sandwich for lunch. "
            "Grandpa died this morning and I can't stop crying, I miss him so much. Then I watered the plants.")
    state = analyze([text], model)[0]
    assert len(state.sentences) == 5
    assert state.top_emotions(1)[0][0] != "neutral"
    assert state.active != ["neutral"] and state.active[0] in GROUPS["sadness"]


def test_single_sentence_reads_as_before(model):
    """One sentence: the entry reading is the heads on that sentence's embedding, exactly as before pooling."""
    texts = ["I miss the sea so much.", "The report is due on Friday and I am terrified.", "We ate pancakes."]
    prediction = predict(model, texts)
    before = _read(model, sentence_embeddings(model, texts))
    np.testing.assert_allclose(prediction.entries.emotions, before.emotions, atol=1e-5)
    np.testing.assert_allclose(prediction.entries.vad, before.vad, atol=1e-4)
    np.testing.assert_allclose(prediction.entries.emotions, prediction.sentences.emotions, atol=1e-5)


def test_multi_sentence_vad_and_stress_stay_on_the_entry_embedding(model):
    texts = ["I woke early. The light was gold. I felt calm and grateful for the quiet morning."]
    prediction = predict(model, texts)
    assert prediction.entries.vad.shape == (1, 3) and 0.0 <= float(prediction.entries.stress[0]) <= 1.0
    assert not np.allclose(prediction.entries.vad[0], prediction.sentences.vad.mean(0), atol=1e-6)


def _tiny_goemotions(tmp_path: Path) -> Path:
    rows = [f"The meeting is at {h} tomorrow in the small room.\t27\tn{h}" for h in range(1, 13)]
    ids = {"joy": 17, "fear": 14, "anger": 2, "sadness": 25, "disgust": 11, "shame": 12, "guilt": 24}
    rows += [f"I feel so much {group} about this, truly.\t{ids[group]}\te{group}" for group in GROUP_NAMES]
    path = tmp_path / "goemotions" / "dev.tsv"
    path.parent.mkdir()
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_built_entries_are_deterministic_and_multi_sentence(tmp_path):
    path = _tiny_goemotions(tmp_path)
    first, again = build_entries(path), build_entries(path)
    assert first == again and {e.group for e in first} == set(GROUP_NAMES)
    assert all(3 <= e.text.count(".") <= 7 for e in first)


def test_group_metrics():
    rows = np.stack([_row(joy=0.9), _row(neutral=0.9, fear=0.3), _row(remorse=0.6)])
    metrics = group_metrics(rows, ["joy", "fear", "guilt"])
    assert metrics["macro_f1_groups"] == 1.0 and metrics["neutral_top_rate"] == pytest.approx(1 / 3)
    # a fear entry read as joy: joy and fear each 2/3; the groups no entry holds have no F1 and do not count
    metrics = group_metrics(np.vstack([rows, _row(joy=0.5)]), ["joy", "fear", "guilt", "fear"])
    assert metrics["f1_by_group"] == {"joy": 0.6667, "fear": 0.6667, "guilt": 1.0}
    assert metrics["macro_f1_groups"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)


def test_f1_and_accuracy_are_the_hand_counted_ones():
    from visualizer.training.evaluate import dreaddit_metrics, goemotions_metrics

    truth = np.array([[1, 0], [1, 1], [0, 0]], dtype=float)
    scores = np.array([[0.9, 0.1], [0.2, 0.1], [0.1, 0.8]])  # label 0: 1 hit, 1 miss; label 1: 1 miss, 1 false alarm
    metrics = goemotions_metrics(scores, truth, [0.5, 0.5])
    assert metrics["macro_f1"] == pytest.approx((2 / 3 + 0) / 2) and metrics["micro_f1"] == pytest.approx(2 / 5)
    dreaddit = dreaddit_metrics(np.array([0.9, 0.4, 0.6, 0.1]), np.array([1, 1, 0, 0]))
    assert dreaddit == {"f1": pytest.approx(0.5), "accuracy": pytest.approx(0.5), "n": 4}


def test_balanced_class_f1_weighs_each_row_by_its_class_s_rarity():
    from visualizer.training.evaluate import class_f1

    truth, predicted = np.array([0, 0, 0, 1]), np.array([0, 0, 1, 1])
    np.testing.assert_allclose(class_f1(predicted, truth, 3), [0.8, 2 / 3, 0.0])
    # balanced: class 0's rows count 1/3 each, so its false alarm on class 1 weighs a third of a row
    np.testing.assert_allclose(class_f1(predicted, truth, 3, balanced=True), [0.8, 6 / 7, 0.0])


def test_hand_written_accounts_cover_the_seven_groups():
    accounts = read_accounts(ACCOUNTS)
    assert len(accounts) >= 40 and {a.group for a in accounts} == set(GROUP_NAMES)


def test_eval_entries_prints_the_json_keys(tmp_path, capsys):
    _tiny_goemotions(tmp_path)
    assert main(["eval", "entries", "--data", str(tmp_path), "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert {"macro_f1_groups", "neutral_top_rate", "n"} <= set(metrics) and metrics["n"] == 7
    assert main(["eval", "entries", str(ACCOUNTS), "--json"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["n"] == len(read_accounts(ACCOUNTS))
