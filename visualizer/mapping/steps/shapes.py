"""What the motif painter draws: the style's painter knobs, a shape for each desire (its concept's, or the
glowing disc) and each imagery noun, and the storm, which follows stress (none for a crisis entry)."""

from __future__ import annotations

from visualizer.mapping import data
from visualizer.mapping.prompt import Note, Record
from visualizer.mapping.reading import Reading
from visualizer.mapping.steps.subject import Subject
from visualizer.safety.policy import GentlePicture


def painter_motif(subject: Subject, reading: Reading, style: str, strength: float,
                  gentle: GentlePicture | None) -> tuple[dict, list[Record]]:
    """`Conditioning.motif`: the style's knobs with `shapes` and `storm` added."""
    shapes = [{"kind": c.shape, "label": c.phrase, "weight": round(i, 3)} for c, i in subject.painted]
    shapes += [{"kind": shape, "label": word, "weight": 0.5} for word, shape, _ in subject.imagery]
    wished = {c.phrase for c, _ in subject.painted}
    records: list[Record] = [Note("desire" if s["label"] in wished else "imagery", s["weight"],
                                  f"motif: {s['kind']} for {s['label']!r}") for s in shapes]
    storm = 0.0 if gentle else round(strength * reading.stress, 5)
    records.append(Note("stress", reading.stress, f"motif: storm {storm:.3f} (clouds and wind-bent lines; × strength)"))
    return {**data.load("styles")[style]["motif"], "shapes": shapes, "storm": storm}, records
