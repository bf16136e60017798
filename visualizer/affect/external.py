"""Any Hugging Face text-classification model as the emotion reader, mapped onto the 28 GoEmotions labels.

The shipped heads still give valence/arousal/dominance and stress; only the emotion distribution is
replaced. Sentences are classified one by one and pooled to the entry by length, like the shipped
model's readings, so the arc and the entry stay consistent.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from visualizer.affect.labels import EMOTIONS
from visualizer.errors import UserError

ALIASES = Path(__file__).with_name("data") / "label_aliases.toml"


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    with ALIASES.open("rb") as handle:
        return {label: label for label in EMOTIONS} | tomllib.load(handle)


@lru_cache(maxsize=2)
def load_classifier(model_id: str):
    """A transformers text-classification pipeline returning every label's score."""
    from transformers import pipeline

    from visualizer.quiet import quiet_loading

    try:
        with quiet_loading("transformers"):
            classifier = pipeline("text-classification", model=model_id, top_k=None, truncation=True)
    except (OSError, ValueError) as error:
        raise UserError(f"emotion model {model_id!r} could not be loaded: {error}") from error
    names = {str(name).lower() for name in classifier.model.config.id2label.values()}
    if not names & set(aliases()):
        raise UserError(f"emotion model {model_id!r} has no labels that map onto emotions: {sorted(names)}")
    return classifier


def classify(model_id: str, sentences: list[str]) -> list[dict[str, float]]:
    """Per sentence, a probability for each of the 28 labels (0 for labels the model does not have)."""
    if not sentences:
        return []
    table = aliases()
    results = []
    for scores in load_classifier(model_id)(sentences, batch_size=32):
        emotions = dict.fromkeys(EMOTIONS, 0.0)
        for score in scores:
            label = table.get(str(score["label"]).lower())
            if label:
                emotions[label] = max(emotions[label], round(float(score["score"]), 4))
        results.append(emotions)
    return results
