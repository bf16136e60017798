"""The explanation in plain words: two or three sentences on how the writing became the picture.

The technical explanation (`Conditioning.explanation`) lists every score, prompt fragment and latent tweak;
people read this first instead: what became the subject, what the feelings became, and how the entry
compares with the writer's usual (or that the picture was kept calm). It reads only the Conditioning, so a
stored picture is explained the same way as a fresh one, and the wording is data (prompts/plain.toml).
"""

from __future__ import annotations

from visualizer.mapping import data
from visualizer.mapping.conditioning import Conditioning
from visualizer.mapping.steps.atmosphere import level

MAX_FEELINGS = 2  # feelings named in the atmosphere sentence


def plain_explanation(cond: Conditioning) -> str:
    """Two or three plain sentences for `cond`: the subject (and scene), the atmosphere, the baseline or crisis."""
    words = data.load("plain")
    scores = cond.scores or {}
    crisis = any(item.get("score") == "crisis" for item in cond.explanation)
    sentences = [_subject(words, cond, scores, crisis), _atmosphere(words, scores), _close(words, scores, crisis)]
    return " ".join(s for s in sentences if s)


def _join(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _scene(words: dict, name: str) -> str:
    """How a scene family is said: its entry in [scenes], else "a"/"an" and the name with spaces."""
    if name in words["scenes"]:
        return words["scenes"][name]
    spoken = name.replace("_", " ").replace("-", " ").strip()
    return f"{'an' if spoken[:1].lower() in 'aeiou' else 'a'} {spoken}"


def _subject(words: dict, cond: Conditioning, scores: dict, crisis: bool) -> str:
    table = words["subject"]
    longing = [phrase for phrase, _ in scores.get("desires") or [] if phrase in cond.subjects]
    seen = [s if i == 0 else f"the {s}" for i, s in enumerate(s for s in cond.subjects if s not in longing)]
    if longing and seen:
        sentence = table["longing_and_seen"].format(longing=_join(longing), seen=_join(seen))
    elif longing:
        sentence = table["longing"].format(longing=_join(longing))
    elif seen:
        sentence = table["seen"].format(seen=_join(seen))
    elif crisis:
        sentence = ""  # nothing of a heavy entry's wishes is painted; the closing sentence says why
    else:
        sentence = table["feeling"]
    if cond.scene:
        scene = _scene(words, cond.scene)
        sentence = (sentence + table["scene"] if sentence else table["scene_alone"]).format(scene=scene)
    return sentence + "." if sentence else ""


def _atmosphere(words: dict, scores: dict) -> str:
    table = words["atmosphere"]
    look = [level(words[name], float(scores.get(name, 0.0))) for name in ("valence", "arousal", "dominance")]
    look = _join([phrase for phrase in look if phrase])
    feelings = [words["feeling_words"].get(label, label) for label, _ in
                sorted((scores.get("emotions") or {}).items(), key=lambda item: -item[1]) if label != "neutral"]
    sentence = (table["feelings"].format(feelings=_join(feelings[:MAX_FEELINGS]), look=look) if feelings
                else table["even"].format(look=look))
    stress = level(words["stress"], float(scores.get("stress", 0.0)))
    anxiety = level(words["anxiety"], float(scores.get("anxiety", 0.0)))
    if stress:
        sentence += table["stress"].format(weather=stress)
    elif anxiety:
        sentence += table["anxiety"].format(weather=anxiety)
    return sentence + "."


def _close(words: dict, scores: dict, crisis: bool) -> str:
    from visualizer.affect.baseline import describe

    table = words["close"]
    if crisis:
        return table["crisis"]
    compared = describe(scores.get("baseline"))
    if not compared:
        return ""
    if compared == "close to your usual":  # describe's words when nothing differs noticeably
        return table["usual"]
    return table["compared"].format(compared=compared.removesuffix(" than your usual"))
