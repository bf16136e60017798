"""The shipped file format: adapter merge without peft equals peft's own merge; heads round-trip; size; and the
calibration knots fit for a fixed reference."""

import pytest
import torch

from visualizer.affect.model import WEIGHTS, AffectConfig, AffectModel


def test_manual_merge_matches_peft(tmp_path):
    torch.manual_seed(0)
    trained = AffectModel.for_training(AffectConfig())
    with torch.no_grad():
        for name, parameter in trained.encoder.named_parameters():
            if "lora_B" in name:  # peft starts B at zero; give the adapter an effect to check
                parameter.normal_(0, 0.02)
    trained.eval()
    path = tmp_path / "affect.safetensors"
    trained.save(path)
    loaded = AffectModel.load(path)
    ids = trained.tokenizer(["I wish I could see the sea again."], return_tensors="pt")
    with torch.no_grad():
        expected = trained.encoder(**ids).last_hidden_state
        got = loaded.encoder(**ids).last_hidden_state
        base = AffectModel.for_training(AffectConfig()).encoder.eval()(**ids).last_hidden_state
    assert not torch.allclose(expected, base, atol=1e-3)  # the adapter changes the encoder
    assert torch.allclose(expected, got, atol=2e-2)  # float16 storage: close, not bit-equal
    embedding = torch.randn(2, 384)
    for key in ("emotions", "vad", "stress"):
        assert torch.allclose(trained.heads(embedding)[key], loaded.heads(embedding)[key], atol=1e-2)


def test_shipped_weights_are_small():
    size = WEIGHTS.stat().st_size + WEIGHTS.with_suffix(".json").stat().st_size
    assert size < 5 * 1024 * 1024


def test_loaded_model_saves_its_adapter_beside_refit_heads(tmp_path):
    """`train --refit-heads` saves a loaded (merged) model: the adapter it was loaded with must go back out."""
    from safetensors.torch import load_file

    model = AffectModel.load()
    path = tmp_path / "affect.safetensors"
    model.save(path)
    shipped, saved = load_file(WEIGHTS), load_file(path)
    assert set(shipped) == set(saved)
    assert all(torch.equal(shipped[k], saved[k]) for k in shipped)


def test_prior_shift_takes_reddit_base_rates_out():
    from visualizer.training.datasets import Example
    from visualizer.affect.labels import EMOTIONS
    from visualizer.training.affect_heads import NEUTRAL_SHIFT, prior_shift

    neutral, grief = EMOTIONS.index("neutral"), EMOTIONS.index("grief")
    one_hot = lambda label: Example("x", [1.0 if i == label else 0.0 for i in range(len(EMOTIONS))])  # noqa: E731
    examples = [one_hot(label) for label in range(len(EMOTIONS)) if label not in (neutral, grief) for _ in range(10)]
    examples += [one_hot(neutral)] * 100 + [one_hot(grief)]
    shift = prior_shift(examples)
    assert len(shift) == len(EMOTIONS)
    assert shift[grief] > 0 > shift[neutral]  # rare labels up, the common one down
    assert shift[neutral] < NEUTRAL_SHIFT  # and neutral further still


def test_training_recipes_come_from_one_file_and_explicit_options_win(monkeypatch, tmp_path):
    import visualizer.training.recipes as recipes_module
    from visualizer.training.affect_heads import TrainOptions
    from visualizer.cli import build_parser

    changed = tmp_path / "recipes.toml"
    changed.write_text(recipes_module.RECIPES_FILE.read_text().replace("adapt_from = 8", "adapt_from = 7"))
    monkeypatch.setattr(recipes_module, "RECIPES_FILE", changed)
    recipes_module.recipes.cache_clear()
    try:
        assert TrainOptions(multilingual=True).adapt_from == 7  # the trainer reads the file …
        assert TrainOptions(multilingual=True, adapt_from=10).adapt_from == 10  # … an explicit option wins …
        assert TrainOptions().adapt_from == 0
        help_text = build_parser()._subparsers._group_actions[0].choices["train"].format_help()
        assert "default 0; multilingual 7" in " ".join(help_text.split())  # … and --help quotes the same file
    finally:
        recipes_module.recipes.cache_clear()


@pytest.mark.parametrize("reference, squash, knots", [
    ([round(3.1 + 0.02 * ((i * 37) % 41 - 20) + 0.001 * i, 3) for i in range(60)], 1.0,  # median above 3.0
     {"x": [1.0, 2.70177, 2.70885, 2.7177, 2.73198, 2.75905, 2.8071, 2.8968, 2.9747, 3.0, 3.1305, 3.2084, 3.2863,
            3.3642, 3.4421, 3.48295, 3.51002, 3.51979, 3.5254, 3.52988, 5.0],
      "y": [-1.0, -0.99473, -0.98469, -0.97427, -0.95456, -0.8936, -0.77648, -0.48109, -0.125, 0.0, 0.0, 0.24806,
            0.48109, 0.68667, 0.8569, 0.92815, 0.96763, 0.98111, 0.98849, 0.99587, 1.0]}),
    ([round(2.9 - 0.03 * ((i * 13) % 29 - 14), 3) for i in range(45)], 0.8,  # median below 3.0
     {"x": [1.0, 2.48132, 2.4866, 2.4932, 2.5064, 2.516, 2.552, 2.63, 2.72, 2.81, 2.9, 3.0, 3.074, 3.146, 3.248, 3.29,
            3.32, 5.0],
      "y": [-1.0, -0.99912, -0.99681, -0.99406, -0.98829, -0.96778, -0.92196, -0.78259, -0.57536, -0.30651, 0.0, 0.0,
            0.31511, 0.65621, 0.88409, 0.95459, 0.99891, 1.0]}),
])
def test_calibration_knots_of_a_fixed_reference(reference, squash, knots):
    """Pinned knots: 3.0 and the reference median map to 0, the band between them is flat, each side follows the
    reference's quantiles."""
    from visualizer.training.calibration import fit_knots

    assert fit_knots(reference, squash) == knots


def test_account_valence_comes_from_the_writers_own_ratings(tmp_path):
    """enVENT's train accounts teach valence: 3 + (pleasantness − unpleasantness) / 4; test rows and rows without
    the two ratings teach nothing, and a bad label is named by file and line."""
    import json

    from visualizer.training.accounts import read_account_valence
    from visualizer.training.datasets import DatasetError

    def row(text, label, split, pleasant=None, unpleasant=None):
        appraisals = {} if pleasant is None else {"pleasantness": pleasant, "unpleasantness": unpleasant}
        return {"text": text, "label": label, "split_suggestion": split, "appraisals_1to5": appraisals}

    folder = tmp_path / "envent"
    folder.mkdir()
    rows = [row("We buried the cat.", "sadness", "train", 1, 5), row("I passed!", "joy", "train", 5, 1),
            row("Fine day.", "no-emotion", "train", 3, 3), row("Held out.", "joy", "test", 5, 1),
            row("No ratings.", "anger", "train")]
    (folder / "crowd_envent.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert [(e.text, e.target) for e in read_account_valence(tmp_path)] == [
        ("We buried the cat.", [2.0]), ("I passed!", [4.0]), ("Fine day.", [3.0])]
    (folder / "crowd_envent.jsonl").write_text(json.dumps(row("x", "elation", "train", 5, 1)), encoding="utf-8")
    with pytest.raises(DatasetError, match=r"crowd_envent.jsonl:1: label 'elation'"):
        read_account_valence(tmp_path)


def test_masked_mse_ignores_the_targets_a_row_does_not_have():
    """An account row carries valence only: its arousal and dominance outputs get no gradient."""
    from visualizer.training.affect_heads import masked_mse

    prediction = torch.tensor([[1.0, 2.0, 3.0], [0.5, 9.0, -9.0]], requires_grad=True)
    target = torch.tensor([[0.0, 0.0, 0.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.3, 0.0, 0.0]])
    with torch.enable_grad():  # a reading loaded earlier in the session turns gradients off (reader.load_model)
        loss = masked_mse(prediction, target)
        loss.backward()
    assert loss.item() == pytest.approx((1 + 4 + 9 + 0.3 * 0.25) / 3.3)
    assert prediction.grad[1, 1:].abs().sum().item() == 0.0 and prediction.grad[1, 0].item() > 0
