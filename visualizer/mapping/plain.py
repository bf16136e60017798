"""The explanation in plain words: two or three sentences on how the writing became the picture.

The technical explanation (`Conditioning.explanation`) lists every score, prompt fragment and latent tweak;
people read this first instead: what became the subject, what the feelings became, and how the entry
compares with the writer's usual (or that the picture was kept calm). It reads only the Conditioning, so a
stored picture is explained the same way as a fresh one, and the wording is data (prompts/plain.toml).
"""

from __future__ import annotations

from visualizer.mapping import data
from visualizer.mapping.baseline_blend import painted_differences
from visualizer.mapping.conditioning import Conditioning
from visualizer.mapping.grammar import capitalised, definite, joined, longing_object, second_person
from visualizer.mapping.steps.atmosphere import level

MAX_FEELINGS = 2  # feelings named in the atmosphere sentence


def plain_explanation(cond: Conditioning) -> str:
    """Two or three plain sentences for `cond`: the subject (and scene), the atmosphere, the baseline or crisis."""
    words = data.load("plain")
    scores = cond.scores or {}
    crisis = any(item.get("score") == "crisis" for item in cond.explanation)
    sentences = [_subject(words, cond, crisis), _atmosphere(words, scores, crisis), _close(words, scores, crisis)]
    return " ".join(s for s in sentences if s)


def _scene(words: dict, name: str) -> str:
    """How a scene family is said: its entry in [scenes], else "a"/"an" and the name with spaces."""
    if name in words["scenes"]:
        return words["scenes"][name]
    spoken = name.replace("_", " ").replace("-", " ").strip()
    return f"{'an' if spoken[:1].lower() in 'aeiou' else 'a'} {spoken}"


def scene_elements(name: str) -> list[str]:
    """How the explanation says what a scene family shows: its declared `elements` (prompts/scenes.toml), which
    the motif painter draws and records in every mood; nothing else of the place is named."""
    return list(data.load("scenes")[name]["elements"].values())


def _longed_for(cond: Conditioning) -> list[str]:
    """The subjects painted for a wish (its English phrase or the concept a Chinese wish was painted as): those the
    explanation records as a desire's prompt fragment, "prompt: (the sea)1.3 (…)" or "prompt: the sea (…)"."""
    effects = [str(item.get("effect", "")) for item in cond.explanation if item.get("score") == "desire"]
    return [s for s in cond.subjects if any(e.startswith((f"prompt: ({s})", f"prompt: {s} (")) for e in effects)]


def _subject(words: dict, cond: Conditioning, crisis: bool) -> str:
    table = words["subject"]
    longing = _longed_for(cond)
    seen = [definite(second_person(s)) for s in cond.subjects if s not in longing]
    if longing and seen:
        sentence = table["longing_and_seen"].format(longing=longing_object(longing), seen=joined(seen))
    elif longing:
        sentence = table["longing"].format(longing=longing_object(longing))
    elif seen:
        sentence = capitalised(table["seen"].format(seen=joined(seen)))
    elif crisis:
        sentence = ""  # nothing of a heavy entry's wishes is painted; the closing sentence says why
    else:
        sentence = table["feeling"]
    if cond.scene:
        sentence = (sentence + table["scene"] if sentence else table["scene_alone"]).format(
            scene=_scene(words, cond.scene), elements=joined(scene_elements(cond.scene)))
    return sentence + "." if sentence else ""


def _atmosphere(words: dict, scores: dict, crisis: bool) -> str:
    """What the feelings became; a crisis entry's feelings are not named."""
    table = words["atmosphere"]
    look = [level(words[name], float(scores.get(name, 0.0))) for name in ("valence", "arousal", "dominance")]
    look = joined([phrase for phrase in look if phrase])
    feelings = [words["feeling_words"].get(label, label) for label, _ in
                sorted((scores.get("emotions") or {}).items(), key=lambda item: -item[1]) if label != "neutral"]
    if crisis:
        sentence = table["gentle"].format(look=look)
    elif feelings:
        sentence = table["feelings"].format(feelings=joined(feelings[:MAX_FEELINGS]), look=look)
    else:
        sentence = table["even"].format(look=look)
    stress = level(words["stress"], float(scores.get("stress", 0.0)))
    anxiety = level(words["anxiety"], float(scores.get("anxiety", 0.0)))
    if stress:
        sentence += table["stress"].format(weather=stress)
    elif anxiety:
        sentence += table["anxiety"].format(weather=anxiety)
    return sentence + "."


def _close(words: dict, scores: dict, crisis: bool) -> str:
    """The crisis rule, or how the entry compares with the usual on what the picture leans on."""
    table = words["close"]
    if crisis:
        return table["crisis"]
    compared = painted_differences(scores.get("baseline"))
    if not compared:
        return ""
    if compared == "close to your usual":  # describe's words when nothing differs noticeably
        return table["usual"]
    return table["compared"].format(compared=compared.removesuffix(" than your usual"))
