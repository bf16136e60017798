"""Label sets of the affect heads, and groupings of the 28 emotions into coarser label sets."""

import numpy as np

EMOTIONS: tuple[str, ...] = (
    "admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion", "curiosity",
    "desire", "disappointment", "disapproval", "disgust", "embarrassment", "excitement", "fear",
    "gratitude", "grief", "joy", "love", "nervousness", "optimism", "pride", "realization", "relief",
    "remorse", "sadness", "surprise", "neutral",
)  # GoEmotions order: label id i is EMOTIONS[i]
VAD: tuple[str, ...] = ("valence", "arousal", "dominance")
EMOBANK_SCALE = (1.0, 5.0)

# The seven labels of the Chinese Weibo posts (CLUE emotion set, ../shared/data/zh_emotions) as sums of the 28
# emotions: how Chinese reading is trained (train.py) and scored (`visualizer eval zh-emotions`).
WEIBO_GROUPS: dict[str, tuple[str, ...]] = {
    "happiness": ("joy", "amusement", "excitement", "gratitude", "optimism", "relief", "pride"),
    "like": ("love", "admiration", "approval", "caring", "desire"),
    "sadness": ("sadness", "grief", "disappointment", "remorse", "embarrassment"),
    "anger": ("anger", "annoyance", "disapproval"),
    "disgust": ("disgust",),
    "fear": ("fear", "nervousness"),
    "surprise": ("surprise", "realization", "confusion", "curiosity"),
}


def group_matrix(groups: dict[str, tuple[str, ...]]) -> np.ndarray:
    """[28, len(groups)] 0/1 matrix: emotions @ group_matrix(groups) sums each group's labels."""
    matrix = np.zeros((len(EMOTIONS), len(groups)))
    for column, labels in enumerate(groups.values()):
        for label in labels:
            matrix[EMOTIONS.index(label), column] = 1.0
    return matrix
