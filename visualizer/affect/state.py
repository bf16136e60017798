"""`InnerState`: what the affect stage reads in a text, the one object every later stage consumes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from visualizer.affect.calibration import calibrate
from visualizer.affect.labels import EMOTIONS


@dataclass(frozen=True)
class VAD:
    """Valence, arousal, dominance on the EmoBank 1–5 scale (3 is neutral)."""

    valence: float = 3.0
    arousal: float = 3.0
    dominance: float = 3.0

    def normalised(self) -> "VAD":
        """The same reading on the calibrated −1…1 scale the mapping stage works in.

        Not `(x − 3) / 2`: the reading's place among the model's predictions on EmoBank, as a normal score
        squashed by tanh, so that clearly pleasant text reaches the upper levels and clearly distressed text the
        lower ones. Monotone, 3.0 ↦ 0, always within −1…1; constants in `affect/data/calibration.json`,
        design in `visualizer/affect/calibration.py`.
        """
        return VAD(calibrate("valence", self.valence), calibrate("arousal", self.arousal),
                   calibrate("dominance", self.dominance))

    def as_dict(self) -> dict[str, float]:
        return {"valence": self.valence, "arousal": self.arousal, "dominance": self.dominance}


@dataclass(frozen=True)
class Desire:
    """Something the writer longs for: `text` is the object ("the sea"), `cue` the phrase that signalled it."""

    text: str
    intensity: float
    cue: str = ""
    sentence: int = 0


@dataclass
class SentenceState:
    """One point of the entry's arc."""

    text: str
    emotions: dict[str, float]
    vad: VAD
    stress: float
    desires: list[Desire] = field(default_factory=list)
    crisis: bool = False
    anxiety: float = 0.0
    interest: float = 0.0
    language: str = "en"  # "en", "zh" or "other" (affect/language.py)

    def top_emotions(self, k: int = 3) -> list[tuple[str, float]]:
        return sorted(self.emotions.items(), key=lambda item: -item[1])[:k]


@dataclass
class InnerState:
    """The reading of one entry: pooled over its sentences, with the sentence arc kept for keyframes.

    `active` lists the emotions over their dev-tuned thresholds, strongest first. `signal` is False when
    the text holds nothing to read (empty, emoji-only, no words): the reading is then neutral by rule.
    `aversions` are what the writer pushes away ("I don't want to go back there"); mapping may keep
    them out of the picture. `crisis` is True when the entry shows signs of crisis (a wish to die, to
    self-harm or to hurt someone; `visualizer.safety.signs`): such wishes are never desires, and the
    mapping paints the entry by the safety rule. Sentences carry their own `crisis` flag. `language` is the
    entry's ("en", "zh", "other"; sentences carry their own) and `notice` what its reading path says about how
    far it was validated (empty for English).
    """

    text: str
    emotions: dict[str, float]
    active: list[str]
    vad: VAD
    stress: float
    desires: list[Desire] = field(default_factory=list)
    aversions: list[Desire] = field(default_factory=list)
    stressors: list[str] = field(default_factory=list)
    sentences: list[SentenceState] = field(default_factory=list)
    signal: bool = True
    crisis: bool = False
    anxiety: float = 0.0  # 0…1, from fear, nervousness, stress and unpleasant arousal (affect/calibration.py)
    interest: float = 0.0  # 0…1, from curiosity, excitement, desire, surprise, realization, pleasant arousal
    language: str = "en"
    notice: str = ""

    @classmethod
    def neutral(cls, text: str = "") -> "InnerState":
        emotions = {label: 0.0 for label in EMOTIONS} | {"neutral": 1.0}
        return cls(text, emotions, ["neutral"], VAD(), 0.0, signal=False)

    def top_emotions(self, k: int = 3) -> list[tuple[str, float]]:
        return sorted(self.emotions.items(), key=lambda item: -item[1])[:k]

    @property
    def dominant_emotion(self) -> str:
        return self.active[0] if self.active else self.top_emotions(1)[0][0]

    def to_dict(self, include_text: bool = True) -> dict:
        """JSON-ready form; `include_text=False` leaves every piece of the writer's text out."""
        data = {
            "emotions": self.emotions,
            "active_emotions": self.active,
            "vad": self.vad.as_dict(),
            "vad_normalised": self.vad.normalised().as_dict(),
            "stress": self.stress,
            "anxiety": self.anxiety,
            "interest": self.interest,
            "stressors": self.stressors,
            "desires": [asdict(d) for d in self.desires],
            "aversions": [asdict(d) for d in self.aversions],
            "sentences": [
                {"text": s.text, "emotions": s.emotions, "vad": s.vad.as_dict(), "stress": s.stress,
                 "anxiety": s.anxiety, "interest": s.interest,
                 "desires": [asdict(d) for d in s.desires], "crisis": s.crisis, "language": s.language}
                for s in self.sentences
            ],
            "signal": self.signal,
            "crisis": self.crisis,
            "language": self.language,
            "notice": self.notice,
        }
        if include_text:
            data["text"] = self.text
        else:
            data["desires"] = data["aversions"] = []
            data["stressors"] = []
            data["sentences"] = [
                {k: v for k, v in sentence.items() if k not in ("text", "desires")} for sentence in data["sentences"]
            ]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "InnerState":
        def desires(items):
            return [Desire(**d) for d in items]

        return cls(
            text=data.get("text", ""),
            emotions=dict(data["emotions"]),
            active=list(data.get("active_emotions", [])),
            vad=VAD(**data["vad"]),
            stress=float(data["stress"]),
            desires=desires(data.get("desires", [])),
            aversions=desires(data.get("aversions", [])),
            stressors=list(data.get("stressors", [])),
            sentences=[SentenceState(s.get("text", ""), dict(s["emotions"]), VAD(**s["vad"]), float(s["stress"]),
                                     desires(s.get("desires", [])), bool(s.get("crisis", False)),
                                     float(s.get("anxiety", 0.0)), float(s.get("interest", 0.0)),
                                     str(s.get("language", "en")))
                       for s in data.get("sentences", [])],
            signal=bool(data.get("signal", True)),
            crisis=bool(data.get("crisis", False)),
            anxiety=float(data.get("anxiety", 0.0)),
            interest=float(data.get("interest", 0.0)),
            language=str(data.get("language", "en")),
            notice=str(data.get("notice", "")),
        )
