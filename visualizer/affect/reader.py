"""`analyze(texts) -> list[InnerState]`: the affect stage's one entry point (as `visualizer.affect.analyze`)."""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from visualizer.safety import signs as crisis
from visualizer.affect.calibration import portrait
from visualizer.affect.desires import default_finder, strongest_per_object
from visualizer.affect.labels import EMOTIONS
from visualizer.affect.language import describe, notice, route
from visualizer.affect.model import MULTILINGUAL_WEIGHTS, WEIGHTS, AffectModel
from visualizer.affect.predict import Prediction, Readings, pool_emotions, predict
from visualizer.affect.state import VAD, InnerState, SentenceState
from visualizer.affect.stressors import find_stressors

STRESSED = 0.5  # stress probability above which the entry's stress topics are named
_WORD = re.compile(r"[^\W\d_]", re.UNICODE)
_DESIRE = EMOTIONS.index("desire")


_LOADING = threading.Lock()


def load_model(path: str | Path = WEIGHTS) -> AffectModel:
    """The trained model, loaded once per process (about 2–3 s on a laptop CPU). Locked, so that the web UI's
    warm-up and a first request arriving together load one copy, not two side by side."""
    with _LOADING:
        return _load_model(str(path))


@lru_cache(maxsize=4)
def _load_model(path: str) -> AffectModel:
    import torch

    torch.set_grad_enabled(False)
    return AffectModel.load(path)


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


def _probe_flags(model: AffectModel, prediction: Prediction, row: int, ruled: tuple[int, ...]) -> set[int]:
    """The sentences the learned crisis cue flags beside the rules (`safety/probe.py`): each one at the sentence
    threshold, and where the entry's own reading flags an entry nothing else did, its highest-scoring sentence
    (so the flag has a sentence to explain it, and that sentence gives no desire). A sentence holding a figure of
    speech the rules mask is left to the rules, by both readings: the probe reads "kill some time" as it reads a
    crisis."""
    scores = prediction.sentences.crisis
    if scores is None:
        return set()
    first, texts = prediction.sentence_offsets[row], prediction.sentence_texts[row]
    figure = np.array([crisis.has_figure(text) for text in texts], dtype=bool)
    scores = np.where(figure, 0.0, scores[first:first + len(texts)])
    flagged = {k for k, p in enumerate(scores) if p >= model.crisis_probe.threshold}
    plain = np.flatnonzero(~figure)
    if not flagged and not ruled and len(plain) and prediction.entries.crisis[row] >= model.crisis_probe.entry_threshold:
        flagged.add(int(plain[np.argmax(scores[plain])]))
    return flagged


def _read_entry(model: AffectModel, prediction: Prediction, row: int, text: str) -> InnerState:
    """One entry's state from its row of a batched prediction: sentences, desires, aversions, crisis signs."""
    finder = default_finder()
    emotions, vad, stress = _row(prediction.entries, row)
    sentence_texts = prediction.sentence_texts[row]
    language = describe(text, sentence_texts)
    signs = crisis.find_signs(sentence_texts)
    probed = _probe_flags(model, prediction, row, signs.sentences)
    sentences, desires, aversions = [], [], []
    first = prediction.sentence_offsets[row]
    for k, sentence in enumerate(sentence_texts):
        s_emotions, s_vad, s_stress = _row(prediction.sentences, first + k)
        flagged = k in signs.sentences or k in probed
        found, pushed = ([], []) if flagged else finder.find(sentence, k, s_emotions["desire"])
        found = [d for d in found if not crisis.is_harmful(d.text)]  # a wish to die is never a desire
        desires += found
        aversions += [d for d in pushed if not crisis.is_harmful(d.text)]
        sentences.append(SentenceState(sentence, s_emotions, s_vad, s_stress, found, flagged,
                                       language=language.sentences[k]))
    return InnerState(
        text=text, emotions=emotions, active=_active(emotions, model.config.thresholds), vad=vad,
        stress=stress, desires=sorted(strongest_per_object(desires), key=lambda d: -d.intensity), aversions=aversions,
        stressors=find_stressors(text) if stress >= STRESSED else [], sentences=sentences,
        crisis=any(s.crisis for s in sentences), language=language.language, notice=notice(text))


def analyze(texts: list[str], model: AffectModel | None = None, emotion_model: str | None = None,
            multilingual: AffectModel | None = None) -> list[InnerState]:
    """Read every text in one batched encoder pass per reading path; texts with no words get the neutral reading.

    Each entry takes one path (`language.route`): English entries the English model (`model`, the shipped
    MiniLM reading by default), Chinese, mixed and other-language entries the multilingual one (`multilingual`,
    the shipped e5-small reading by default, loaded only when such an entry comes). A mixed entry stays on one
    path so its sentences and its whole-entry reading come from one encoder.
    `emotion_model`: a Hugging Face text-classification model id or folder whose labels replace the
    shipped emotion head (see `external.py`); V/A/D, stress and desires still come from the shipped model.
    """
    states = [InnerState.neutral(text) for text in texts]
    paths: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        if has_signal(text):
            paths.setdefault(route(text), []).append(i)
    for path, rows in paths.items():
        reader = (model or load_model()) if path == "en" else (multilingual or load_model(MULTILINGUAL_WEIGHTS))
        prediction = predict(reader, [texts[i] for i in rows])
        for row, i in enumerate(rows):
            states[i] = _read_entry(reader, prediction, row, texts[i])
    if emotion_model:
        _replace_emotions(states, emotion_model)
    for state in states:  # the portrait beside stress, from the final emotions (affect/calibration.py)
        if state.signal:
            state.anxiety, state.interest = portrait(state.emotions, state.stress, state.vad)
            for sentence in state.sentences:
                sentence.anxiety, sentence.interest = portrait(sentence.emotions, sentence.stress, sentence.vad)
    return states
