"""`analyze(texts) -> list[InnerState]`: the affect stage's one entry point."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

import numpy as np

from visualizer.affect.desires import default_finder
from visualizer.affect.labels import EMOTIONS
from visualizer.affect.model import WEIGHTS, AffectModel
from visualizer.affect.predict import Readings, predict
from visualizer.affect.state import VAD, Desire, InnerState, SentenceState

STRESSORS = Path(__file__).with_name("data") / "stressors.toml"
STRESSED = 0.5  # stress probability above which the entry's stress topics are named
_WORD = re.compile(r"[^\W\d_]", re.UNICODE)
_DESIRE = EMOTIONS.index("desire")


@lru_cache(maxsize=4)
def load_model(path: str | Path = WEIGHTS) -> AffectModel:
    """The trained model, loaded once per process (about 2–3 s on a laptop CPU)."""
    import torch

    torch.set_grad_enabled(False)
    return AffectModel.load(path)


@lru_cache(maxsize=1)
def _stressor_words() -> dict[str, frozenset[str]]:
    with STRESSORS.open("rb") as handle:
        return {topic: frozenset(words) for topic, words in tomllib.load(handle).items()}


def find_stressors(text: str) -> list[str]:
    """Topics of the stressor lexicon that the text mentions, most mentioned first."""
    words = re.findall(r"[a-z']+", text.lower())
    counts = {topic: sum(w in vocabulary for w in words) for topic, vocabulary in _stressor_words().items()}
    return [t for t, n in sorted(counts.items(), key=lambda item: -item[1]) if n]


def has_signal(text: str) -> bool:
    """Text with at least one letter; emoji, digits and punctuation alone carry nothing the models read."""
    return bool(_WORD.search(text))


def _row(readings: Readings, i: int) -> tuple[dict[str, float], VAD, float]:
    emotions = {label: round(float(p), 4) for label, p in zip(EMOTIONS, readings.emotions[i])}
    vad = VAD(*(round(float(x), 3) for x in readings.vad[i]))
    return emotions, vad, round(float(readings.stress[i]), 4)


def _active(emotions: dict[str, float], thresholds: list[float]) -> list[str]:
    over = [label for label, t in zip(EMOTIONS, thresholds) if emotions[label] >= t]
    if len(over) > 1 and "neutral" in over:
        over.remove("neutral")  # a feeling that clears its threshold outranks the absence of one
    return sorted(over, key=lambda label: -emotions[label]) or ["neutral"]


def analyze(texts: list[str], model: AffectModel | None = None) -> list[InnerState]:
    """Read every text in one batched encoder pass; texts with no words get the neutral reading."""
    model = model or load_model()
    readable = [i for i, text in enumerate(texts) if has_signal(text)]
    states = [InnerState.neutral(text) for text in texts]
    if not readable:
        return states
    prediction = predict(model, [texts[i] for i in readable])
    finder = default_finder()
    for row, i in enumerate(readable):
        emotions, vad, stress = _row(prediction.entries, row)
        sentences, desires, aversions = [], {}, []
        first = prediction.sentence_offsets[row]
        for k, sentence in enumerate(prediction.sentence_texts[row]):
            s_emotions, s_vad, s_stress = _row(prediction.sentences, first + k)
            found, pushed = finder.find(sentence, k, s_emotions["desire"])
            for desire in found:
                if desire.text.lower() not in desires or desires[desire.text.lower()].intensity < desire.intensity:
                    desires[desire.text.lower()] = desire
            aversions += pushed
            sentences.append(SentenceState(sentence, s_emotions, s_vad, s_stress, found))
        states[i] = InnerState(
            text=texts[i], emotions=emotions, active=_active(emotions, model.config.thresholds), vad=vad,
            stress=stress, desires=sorted(desires.values(), key=lambda d: -d.intensity), aversions=aversions,
            stressors=find_stressors(texts[i]) if stress >= STRESSED else [], sentences=sentences)
    return states
