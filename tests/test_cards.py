"""Model cards: every shipped weights file has one, docs/models.md is generated from them, a stale part is said."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from visualizer.affect import cards
from visualizer.training.model_cards import SHIPPED, page

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("weights", SHIPPED, ids=lambda w: w.name)
def test_every_shipped_weights_file_has_a_card_with_credits_and_figures(weights):
    card = cards.read_card(weights)
    assert card.summary and card.retrain.startswith("visualizer train") and card.figures
    assert card.datasets and all(d.source and d.terms for d in card.datasets)


def test_docs_models_is_generated_from_the_cards():
    assert (ROOT / "docs" / "models.md").read_text(encoding="utf-8") == page(), \
        "docs/models.md is out of date: python -m visualizer.training.model_cards > docs/models.md"


def test_a_changed_dependency_is_named_and_warned_about_once(tmp_path, monkeypatch):
    package = tmp_path / "visualizer"
    (package / "rules").mkdir(parents=True)
    rules = package / "rules" / "rules.toml"
    rules.write_text("# a comment\n[en]\nwords = ['a']\n", encoding="utf-8")
    monkeypatch.setattr(cards, "PACKAGE", package)
    weights = package / "probe.safetensors"
    weights.write_bytes(b"weights")
    shutil.copy(cards.card_file(SHIPPED[2]), cards.card_file(weights))
    weights.with_suffix(".json").write_text(json.dumps({"threshold": 0.9, "entry_threshold": 0.95, "dev_metrics": {"recall": 0.5}, "examples": {},
                                                        "depends_on": {"rules/rules.toml": cards.digest("rules/rules.toml")}}))
    card = cards.read_card(weights)
    assert cards.changed(card) == []
    rules.write_text("# another comment\n[en]\nwords = ['a']\n", encoding="utf-8")
    assert cards.changed(card) == [], "a comment is not a change"
    rules.write_text("[en]\nwords = ['a', 'b']\n", encoding="utf-8")
    assert cards.changed(card) == ["rules/rules.toml"]
    cards.warn_if_stale.cache_clear()
    with pytest.warns(UserWarning, match=r"probe\.safetensors was trained on an earlier rules/rules\.toml.*visualizer train"):
        cards.warn_if_stale(weights)


def test_a_card_that_cannot_be_read_is_a_clear_error(tmp_path):
    weights = tmp_path / "x.safetensors"
    with pytest.raises(cards.UserError, match=r"x\.card\.toml: not a usable model card"):
        cards.read_card(weights)
