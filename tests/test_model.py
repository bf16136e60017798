"""The shipped file format: adapter merge without peft equals peft's own merge; heads round-trip; size."""

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
