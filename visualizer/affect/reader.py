"""`analyze(texts) -> list[InnerState]`: the affect stage's one entry point (as `visualizer.affect.analyze`)."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

import numpy as np

from visualizer.affect import crisis
from visualizer.affect.calibration import portrait
from visualizer.affect.desires import default_finder, strongest_per_object
from visualizer.affect.labels import EMOTIONS
from visualizer.affect.model import WEIGHTS, AffectModel
from visualizer.affect.predict import Readings, pool_emotions, predict
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


_FUNCTION_WORDS = frozenset(
    "i me my you he she it we they the a an and or but to of in on at for with is was are were be been am "
    "this that not so just have had do did what when all like can will would".split())


def looks_english(text: str) -> bool:
    """Whether enough of the words are common English function words (the heads were trained on English)."""
    letters = _WORD.findall(text)
    if letters and sum(c.isascii() for c in letters) < len(letters) / 2:
        return False  # mostly non-Latin script
    words = re.findall(r"[^\W\d_]+", text.lower())
    return len(words) < 4 or sum(w in _FUNCTION_WORDS for w in words) / len(words) >= 0.12


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


def _replace_emotions(states: list[InnerState], emotion_model: str) -> None:
    """Swap in another classifier's emotions, sentence by sentence, pooled to the entry like the shipped head's
    (`pool_emotions`: salience-weighted, with a max-style term and a soft-minimum neutral; lengths as token counts)."""
    from visualizer.affect.external import classify

    readable = [state for state in states if state.signal]
    readings = iter(classify(emotion_model, [s.text for state in readable for s in state.sentences]))
    for state in readable:
        weights = np.array([len(s.text) for s in state.sentences], dtype=float)
        for sentence in state.sentences:
            sentence.emotions = next(readings)
        pooled = pool_emotions(np.array([[s.emotions[label] for label in EMOTIONS] for s in state.sentences]), weights)
        state.emotions = {label: round(float(p), 4) for label, p in zip(EMOTIONS, pooled)}
        state.active = _active(state.emotions, [0.5] * len(EMOTIONS))


def _probe_flags(model: AffectModel, readings: Readings, i: int) -> bool:
    """The learned crisis cue beside the rules (see `crisis_probe.py`): catches paraphrases the rules miss."""
    return readings.crisis is not None and bool(readings.crisis[i] >= model.crisis_probe.threshold)


def analyze(texts: list[str], model: AffectModel | None = None, emotion_model: str | None = None) -> list[InnerState]:
    """Read every text in one batched encoder pass; texts with no words get the neutral reading.

    `emotion_model`: a Hugging Face text-classification model id or folder whose labels replace the
    shipped emotion head (see `external.py`); V/A/D, stress and desires still come from the shipped model.
    """
    model = model or load_model()
    readable = [i for i, text in enumerate(texts) if has_signal(text)]
    states = [InnerState.neutral(text) for text in texts]
    if not readable:
        return states
    prediction = predict(model, [texts[i] for i in readable])
    finder = default_finder()
    for row, i in enumerate(readable):
        emotions, vad, stress = _row(prediction.entries, row)
        sentence_texts = prediction.sentence_texts[row]
        signs = crisis.find_signs(sentence_texts)
        sentences, desires, aversions = [], [], []
        first = prediction.sentence_offsets[row]
        for k, sentence in enumerate(sentence_texts):
            s_emotions, s_vad, s_stress = _row(prediction.sentences, first + k)
            flagged = k in signs.sentences or _probe_flags(model, prediction.sentences, first + k)
            found, pushed = ([], []) if flagged else finder.find(sentence, k, s_emotions["desire"])
            found = [d for d in found if not crisis.is_harmful(d.text)]  # a wish to die is never a desire
            desires += found
            aversions += [d for d in pushed if not crisis.is_harmful(d.text)]
            sentences.append(SentenceState(sentence, s_emotions, s_vad, s_stress, found, flagged))
        states[i] = InnerState(
            text=texts[i], emotions=emotions, active=_active(emotions, model.config.thresholds), vad=vad,
            stress=stress, desires=sorted(strongest_per_object(desires), key=lambda d: -d.intensity), aversions=aversions,
            stressors=find_stressors(texts[i]) if stress >= STRESSED else [], sentences=sentences,
            crisis=any(s.crisis for s in sentences))
    if emotion_model:
        _replace_emotions(states, emotion_model)
    for state in states:  # the portrait beside stress, from the final emotions (affect/calibration.py)
        if state.signal:
            state.anxiety, state.interest = portrait(state.emotions, state.stress, state.vad)
            for sentence in state.sentences:
                sentence.anxiety, sentence.interest = portrait(sentence.emotions, sentence.stress, sentence.vad)
    return states
