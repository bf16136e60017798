"""Label sets of the affect heads."""

EMOTIONS: tuple[str, ...] = (
    "admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion", "curiosity",
    "desire", "disappointment", "disapproval", "disgust", "embarrassment", "excitement", "fear",
    "gratitude", "grief", "joy", "love", "nervousness", "optimism", "pride", "realization", "relief",
    "remorse", "sadness", "surprise", "neutral",
)  # GoEmotions order: label id i is EMOTIONS[i]
VAD: tuple[str, ...] = ("valence", "arousal", "dominance")
EMOBANK_SCALE = (1.0, 5.0)
