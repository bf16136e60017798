"""A reflection on each entry: two to four sentences in the writer's language that say back what was read.

What it says, in this order, each sentence only where the reading or the journal holds its ground:
  1. the main feelings in plain words (the reading's active emotions), and with a personal baseline how the entry
     stands against the writer's usual (`visualizer.affect.baseline`; the same noticeable differences the pictures
     are explained with);
  2. what the writer longs for (things take "for", acts keep their "to": `visualizer.mapping.grammar`);
  3. an echo of an earlier entry of the same longing (`History.earlier`; "the coast" is the sea again:
     `visualizer.mapping.concepts.longing_group`);
  4. what weighs on them: stress topics, or strain with none named, and what they push away.
When only the first sentence has ground, the entry's light and pace (valence, arousal) are said as a second.

Each sentence is recorded in `grounds` with the score or history item it came from (`part`, `says`, `score`,
`value`), as the picture's explanation is. No advice, no diagnosis, nothing the reading does not hold. An entry with
signs of crisis gets two fixed, gentle sentences that point to the help shown with it: no feeling is named (no
painful label), no wish and no means; its longings are not remembered for later echoes either. The words are data
(`data/phrases.toml`), one table per language; a reading in neither English nor Chinese is answered in English.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from visualizer.affect.baseline import NOTICEABLE, VAD_KEYS, SCORE_KEYS, readable
from visualizer.affect.state import Desire, InnerState
from visualizer.mapping.concepts import longing_group
from visualizer.mapping.grammar import capitalised, is_act, is_clause, longing_object, second_person
from visualizer.safety.signs import is_harmful

PHRASES = Path(__file__).with_name("data") / "phrases.toml"
PRIVATE = ("desire", "aversion", "stressor", "history")  # grounds that quote the writer's words (left out redacted)


@dataclass(frozen=True)
class Mention:
    """An earlier entry's wish: its date (ISO, or None) and its phrase as written."""

    date: str | None
    phrase: str


@dataclass(frozen=True)
class History:
    """What the journal knows beyond the entry: its date, its reading against the writer's usual (None without a
    baseline) and, per longing group, the earlier mentions of it (oldest first)."""

    date: str | None = None
    relative: Mapping[str, float] | None = None
    earlier: Mapping[str, tuple[Mention, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Reflection:
    """The reflection's text, its language ("en" or "zh") and what each sentence came from."""

    text: str
    language: str
    grounds: list[dict]

    def to_dict(self) -> dict:
        return {"text": self.text, "language": self.language, "grounds": self.grounds}


@lru_cache(maxsize=1)
def phrases() -> dict:
    with PHRASES.open("rb") as handle:
        return tomllib.load(handle)


def language_of(state: InnerState) -> str:
    """The language the reflection is written in: the entry's, where there are words for it, else English."""
    return state.language if state.language != "rules" and state.language in phrases() else "en"


def reflect(state: InnerState, history: History | None = None) -> Reflection:
    """The reflection on one entry; `history` adds the comparison with the usual and the echo (none without it)."""
    history = history or History()
    language = language_of(state)
    words = phrases()[language]
    if state.crisis:
        said = [(sentence, [("help", "crisis", True)]) for sentence in words["crisis"]]
    elif not readable(state):
        said = [(words["no_words"], [("feeling", "signal", False)])]
    else:
        rules = phrases()["rules"]
        said = [_feelings(state, history, words, rules), _longing(state, words, rules),
                _echo(state, history, words, rules), _weight(state, words, rules)]
        said = [item for item in said if item]
        if len(said) < 2:
            said.append(_tone(state, words))
    sentences = [capitalised(text) + words["stop"] for text, _ in said]
    grounds = [{"part": part, "says": sentence, "score": score, "value": value}
               for sentence, (_, items) in zip(sentences, said) for part, score, value in items]
    return Reflection(words["separator"].join(sentences), language, grounds)


def redacted(reflection: Mapping) -> str:
    """A stored reflection without the sentences that quote the writer's words (wishes, topics, echoes)."""
    words = phrases()[reflection.get("language", "en")]
    order: dict[str, bool] = {}
    for ground in reflection.get("grounds", []):
        order[ground["says"]] = order.get(ground["says"], True) and ground["score"] not in PRIVATE
    return words["separator"].join(sentence for sentence, kept in order.items() if kept)


def compared(relative: Mapping[str, float] | None, language: str = "en") -> str:
    """How an entry stands against the usual, in words: "heavier and calmer than your usual", "close to your
    usual"; "" without a personal baseline."""
    if not relative:
        return ""
    words = phrases()[language]
    said = _differences(relative, words, phrases()["rules"])
    if not said:
        return words["compared_close"]
    return words["compared"].format(differences=_list([word for word, _, _ in said], words, "traits"))


Said = tuple[str, list[tuple[str, str, object]]]  # a sentence (no final stop) and its (part, score, value) grounds


def _list(items: Sequence[str], words: dict, kind: str = "list") -> str:
    """Items joined as the language joins a list ("a, b and c"; "a、b和c"), or `kind` "traits" (predicates)."""
    table = words.get(kind, words["list"])
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return table["two"].format(a=items[0], b=items[1])
    return table["many"].format(rest=table["comma"].join(items[:-1]), last=items[-1])


def _feelings(state: InnerState, history: History, words: dict, rules: dict) -> Said:
    labels = [label for label in state.active if label in words["emotions"]][:rules["feelings"]]
    named = [words["emotions"][label]["word"] for label in labels]
    grounds = [("feeling", f"emotion:{label}", round(state.emotions.get(label, 0.0), 3)) for label in labels]
    if not named:
        sentence = words["feeling_none"]
        grounds = [("feeling", "active_emotions", list(state.active))]
    else:
        sentence = (words["feeling_two"].format(a=named[0], b=named[1]) if len(named) == 2
                    else words["feeling_one"].format(a=named[0]))
    if history.relative:
        sentence = words["usual"].format(feeling=sentence, compared=compared(history.relative, language_of(state)))
        grounds += [("usual", f"baseline:{name}", value)
                    for _, name, value in _differences(history.relative, words, rules)] or \
                   [("usual", "baseline", "close")]
    return sentence, grounds


def _differences(relative: Mapping[str, float], words: dict, rules: dict) -> list[tuple[str, str, float]]:
    """(word, score, relative value) of the strongest noticeable differences from the usual, each word once, in the
    order `affect.baseline.describe` says them (V/A/D, stress, anxiety, interest, then feelings): the scores from
    NOTICEABLE, the feelings from `emotion_from`."""
    found: dict[str, tuple[str, str, float]] = {}
    for name in (*VAD_KEYS, *SCORE_KEYS):
        value = float(relative.get(name, 0.0))
        if abs(value) >= NOTICEABLE:
            found.setdefault(words["scores"][name]["up" if value > 0 else "down"], (name, value))
    for key, value in relative.items():
        label = key.removeprefix("emotion:")
        if key.startswith("emotion:") and label in words["emotions"] and abs(value) >= rules["emotion_from"]:
            entry = words["emotions"][label]
            word = (entry.get("more") or words["emotion_more"].format(word=entry["word"]) if value > 0
                    else entry.get("less") or words["emotion_less"].format(word=entry["word"]))
            found.setdefault(word, (key, float(value)))
    strongest = {word for word, _ in sorted(found.items(), key=lambda item: -abs(item[1][1]))[:rules["differences"]]}
    return [(word, name, value) for word, (name, value) in found.items() if word in strongest]


def _safe(desires: Sequence[Desire], most: int) -> list[Desire]:
    """The strongest `most` wishes, each phrase once, none harmful (a reading should never hold one; a second net)."""
    kept: dict[str, Desire] = {}
    for desire in sorted(desires, key=lambda d: -d.intensity):
        text = " ".join(desire.text.split())
        if text and text.lower() not in kept and not is_harmful(text):
            kept[text.lower()] = Desire(text, desire.intensity, desire.cue, desire.sentence)
    return list(kept.values())[:most]


def _say_back(phrase: str, words: dict) -> str:
    """The writer's phrase in the second person: English by the grammar the plain explanation uses ("my mum" → "your
    mum"), a language with its own `person` table by that (我 → 你, 自我 kept)."""
    if "person" not in words:
        return second_person(phrase)
    keep = words["person_keep"]["words"]
    marks = {word: f"\x00{i}\x00" for i, word in enumerate(keep)}
    for word, mark in marks.items():
        phrase = phrase.replace(word, mark)
    for word, said in words["person"].items():
        phrase = phrase.replace(word, said)
    for word, mark in marks.items():
        phrase = phrase.replace(mark, word)
    return phrase


def _longing(state: InnerState, words: dict, rules: dict) -> Said | None:
    wishes = _safe(state.desires, rules["longings"])
    if not wishes:
        return None
    grounds = [("longing", "desire", d.text) for d in wishes]
    if "longing_two" in words and len(wishes) == 2:
        return words["longing_two"].format(a=_say_back(wishes[0].text, words),
                                           b=_say_back(wishes[1].text, words)), grounds
    if "person" in words:
        return words["longing"].format(object=_say_back(wishes[0].text, words)), grounds
    longed = [d.text for d in wishes if not is_clause(d.text)]
    hoped = [d.text for d in wishes if is_clause(d.text)]
    parts = ([words["longing"].format(object=longing_object(longed))] if longed else []) + \
        ([words["hope"].format(object=longing_object(hoped))] if hoped else [])
    return words["longing_join"].join(parts), grounds


def _date(iso: str, now: str | None, words: dict) -> str:
    """"1 March" (with the year when it is not the entry's own); the ISO text itself if it is not a date."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    same_year = now is not None and now[:4] == iso[:4]
    month = words["months"][day.month - 1] if "months" in words else day.month
    return words["date" if same_year else "date_year"].format(day=day.day, month=month, year=day.year)


def _echo(state: InnerState, history: History, words: dict, rules: dict) -> Said | None:
    for wish in _safe(state.desires, rules["longings"]):
        earlier = history.earlier.get(longing_group(wish.text))
        if not earlier:
            continue
        first, count = earlier[0], len(earlier)
        more = "" if count == 1 else words["more_one"] if count == 2 else words["more_many"].format(count=count - 1)
        when = _date(first.date, history.date, words) if first.date else None
        slots = {"date": words["dated"].format(date=when) if when else words["undated"],
                 "when": when or words["undated_when"], "more": more, "earlier": first.phrase,
                 "phrase": _say_back(wish.text, words), "object": longing_object([first.phrase]),
                 "longed": words.get("hoped" if is_clause(first.phrase) else "longed", "")}
        same = " ".join(first.phrase.lower().split()) == wish.text.lower()
        thing = not is_act(wish.text) and not is_clause(wish.text)
        template = "echo_kin" if not same else "echo_again" if thing or "echo_act" not in words else "echo_act"
        return words[template].format(**slots), [("echo", "history", {"date": first.date, "phrase": first.phrase,
                                                                      "count": count})]
    return None


def _weight(state: InnerState, words: dict, rules: dict) -> Said | None:
    pieces, grounds = [], []
    topics = [topic for topic in state.stressors if topic in words["topics"]][:rules["topics"]]
    if topics:
        pieces.append(words["weight_topics"].format(topics=_list([words["topics"][t] for t in topics], words)))
        grounds += [("weight", "stressor", topic) for topic in topics]
    elif state.stress >= rules["strain_from"]:
        pieces.append(words["weight_strain"])
        grounds.append(("weight", "stress", round(state.stress, 3)))
    for aversion in _safe(state.aversions, rules["aversions"]):
        if is_act(aversion.text) and "push_act" in words:
            pieces.append(words["push_act"].format(act=second_person(re.sub(r"^to\s+", "", aversion.text, flags=re.I))))
        elif is_clause(aversion.text) and "push_clause" in words:
            pieces.append(words["push_clause"].format(object=longing_object([aversion.text])))
        else:
            pieces.append(words["push_thing"].format(object=_say_back(aversion.text, words)))
        grounds.append(("weight", "aversion", aversion.text))
    return (words["weight_join"].join(pieces), grounds) if pieces else None


def _tone(state: InnerState, words: dict) -> Said:
    norm = state.vad.normalised()
    look = {name: next(level["words"] for level in words[name] if getattr(norm, name) <= level["upto"])
            for name in ("valence", "arousal")}
    return words["tone"].format(**look), [("tone", "valence", round(norm.valence, 3)),
                                          ("tone", "arousal", round(norm.arousal, 3))]
