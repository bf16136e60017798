"""Desire extraction: what the writer longs for becomes the subject of the image.

"I wish I could see the sea again" → "the sea". Rules, not a model: the cues of longing are a small,
closed set of phrases, a rule set is transparent (the explanation can quote the cue) and needs no
training data, which does not exist for this task. Cues, word lists and the scoring numbers live in
`data/desires.toml`.
Intensity combines the cue's strength, intensifiers in the sentence and the sentence's `desire` emotion.

Aversions ("I dread Mondays", "I'm sick of the commute", "the last thing I want is another argument") have cues
of their own, and a longing to be rid of something ("I wish I didn't have to go to work", "I want to stop
worrying") pushes that thing away instead. Objects are cut at the next clause and trimmed until they end on a
content word ("I wish we could just be close like" → "to be close").

Chinese sentences (any Han character) also go through the `[zh]` cues of the same file (`ChineseCues`): there
are no word edges, subjects are often dropped and 想 is also "think", so the rules differ in kind, not only in
words. The object is what the picture can show: reaching verbs and measure words are stripped
("我好想再去看一次大海" → "大海"), as "see the sea" becomes "the sea" in English.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from visualizer.text.scripts import has_han, to_simplified
from visualizer.affect.state import Desire
from visualizer.errors import UserError

LEXICON = Path(__file__).with_name("data") / "desires.toml"
SCORING = ("intensifier_boost", "max_boost", "question_scale", "felt_weight")
_OBJECT = r"(?P<x>.+)"
_ZH_REACTION = r"\[[^\[\]\s]{1,10}\]|[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff]"
_ZH_CLAUSE_END = "，,。！？!?；;：:…~～、（）()\\[\U0001f000-\U0001faff\u2600-\u27bf"
_ZH_OBJECT = rf"(?P<x>[^{_ZH_CLAUSE_END}]+)"
_ZH_SHORT_OBJECT = rf"(?P<x>[^{_ZH_CLAUSE_END}]+?)"


def strongest_per_object(desires: Iterable[Desire]) -> list[Desire]:
    """One desire per object (case-insensitive), the most intense, in the order the objects first appear."""
    kept: dict[str, Desire] = {}
    for desire in desires:
        key = desire.text.lower()
        if key not in kept or kept[key].intensity < desire.intensity:
            kept[key] = desire
    return list(kept.values())


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _scoring(lexicon: dict, source: Path) -> dict[str, float]:
    """The [scoring] numbers of the lexicon; UserError naming the file and key when one is missing or not a number."""
    table = lexicon.get("scoring")
    if not isinstance(table, dict):
        raise UserError(f"{source}: table [scoring] missing")
    for key in SCORING:
        value = table.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise UserError(f"{source}: [scoring] {key} must be a number, got {value!r}")
    return {key: float(table[key]) for key in SCORING}


class DesireFinder:
    """Compiled cues; one instance serves every sentence."""

    def __init__(self, lexicon: dict, source: Path = LEXICON) -> None:
        self.scoring = _scoring(lexicon, source)
        words = lexicon["object"]
        self.cues = [self._cue(c) for c in lexicon["cue"]]
        self.aversions = [self._cue(c) for c in lexicon.get("aversion", [])]
        self.reach = re.compile(rf"^(?:to\s+)?(?:{_alternation(words['reach_verbs'])})\b\s*", re.I)
        degree = _alternation([w for w in words["trailing"] if " " in w])
        self.stop = re.compile(rf"[,;:.!?()\"“”，。！？；：、]|(?:^|\s)(?:{_alternation(words['stop_words'])}|{degree})\b|\s-\s|\s—\s|\s–\s",
                               re.I)
        self.trailing = re.compile(rf"(?:\s+(?:{_alternation(words['trailing'])}))+$", re.I)
        self.dangling = re.compile(rf"(?:^|\s+)(?:{_alternation(words['dangling'])})$", re.I)
        self.opener = re.compile(rf"^(?:for|that(?=\s+(?:{_alternation(words['subjects'])})\b))\s+", re.I)
        self.leading = re.compile(rf"^(?:(?:{_alternation(words['leading'])})\s+)+", re.I)
        self.away = re.compile(rf"^(?:{'|'.join(words['away'])})(?P<x>.+)", re.I)
        self.away_ending = re.compile(rf"^(?P<x>.+?)\s+(?:{words['away_endings']})\b", re.I)
        self.idioms = re.compile(rf"^(?:{'|'.join(words['idioms'])})", re.I)
        self.vague = {w.lower() for w in words["vague"]}
        self.negation = re.compile(rf"\b(?:{_alternation(words['negations'])})(?!\w)[^.!?]{{0,25}}$", re.I)
        self.auxiliary = re.compile(rf"\b(?:{_alternation(words['question_auxiliaries'])})\s+$", re.I)
        self.presupposing = re.compile(rf"^\W*(?:{_alternation(words['presupposing'])})\b", re.I)
        self.intensifiers = [w.lower() for w in words["intensifiers"]]
        self.chinese = ChineseCues(lexicon["zh"], self.scoring) if "zh" in lexicon else None

    @staticmethod
    def _cue(cue: dict) -> tuple[re.Pattern, float, str, bool, str]:
        pattern = cue["pattern"]
        verb = cue.get("verb", "could" in pattern)
        return re.compile(r"\b" + pattern.replace("{x}", _OBJECT), re.I), cue["strength"], pattern, verb, cue.get("prefix", "")

    def _trim(self, phrase: str) -> str:
        """Drop trailing time/degree words and small words until the phrase ends on a content word."""
        while True:
            trimmed = self.dangling.sub("", self.trailing.sub("", phrase)).strip(" '\"")
            if trimmed == phrase:
                return phrase
            phrase = trimmed

    def clean_object(self, raw: str, after_could: bool, prefix: str = "") -> str | None:
        """Cut the phrase at the next clause, strip reaching verbs and trailing time/degree words."""
        phrase = self.stop.split(raw, maxsplit=1)[0].strip()
        phrase = self.opener.sub("", phrase)
        phrase = self.leading.sub("", phrase)
        if prefix and phrase:
            phrase = prefix + phrase
        phrase = self._trim(phrase)
        reached = self.reach.sub("", phrase, count=1)
        if reached != phrase and reached:
            phrase = reached
        elif after_could and phrase and not phrase.lower().startswith("to "):
            phrase = "to " + phrase  # "I wish I could sleep for a week" → "to sleep for a week"
        phrase = self._trim(phrase)
        low = phrase.lower()
        if not phrase or low in self.vague or (low.startswith("to ") and low[3:] in self.vague):
            return None
        return phrase

    def _side(self, raw: str, verb: bool, prefix: str) -> tuple[bool, str | None]:
        """(is it an aversion, the object): a longing to be rid of something pushes that thing away."""
        head = self.leading.sub("", self.stop.split(raw, maxsplit=1)[0].strip())
        away = self.away.match(head) or self.away_ending.match(head)
        if away:
            return True, self.clean_object(away.group("x"), after_could=False)
        return False, self.clean_object(raw, verb, prefix)

    def find(self, sentence: str, index: int = 0, desire_probability: float = 0.0) -> tuple[list[Desire], list[Desire]]:
        """Desires and aversions in one sentence."""
        text = sentence.replace("’", "'")
        is_question = text.rstrip().endswith("?")
        lower = text.lower()
        score = self.scoring
        boost = min(score["max_boost"], score["intensifier_boost"] * sum(lower.count(w) > 0 for w in self.intensifiers))
        found: dict[bool, list[Desire]] = {False: [], True: []}
        taken: list[tuple[int, int]] = []
        for aversive, cues in ((True, self.aversions), (False, self.cues)):
            for pattern, strength, source, verb, prefix in cues:
                for match in pattern.finditer(text):
                    start = match.start()
                    before = text[:start]
                    if any(a <= start < b for a, b in taken) or self.negation.search(before):
                        continue
                    if self.idioms.match(match.group("x")):
                        continue  # "I wish you a happy birthday", "I want to say"
                    scale = 1.0
                    if is_question:
                        if self.auxiliary.search(before) and not self.presupposing.search(text):
                            continue  # "Do I want to move?" — undecided
                        scale = score["question_scale"]
                    flipped, phrase = (False, self.clean_object(match.group("x"), False)) if aversive \
                        else self._side(match.group("x"), verb, prefix)
                    if not phrase:
                        continue
                    taken.append((start, match.start("x") + len(self.stop.split(match.group("x"), maxsplit=1)[0])))
                    base = min(1.0, strength + boost)
                    felt = 0.0 if aversive or flipped else desire_probability  # the `desire` emotion backs longings only
                    intensity = round(scale * (1 - (1 - base) * (1 - score["felt_weight"] * felt)), 3)
                    cue = sentence[start:match.start("x")].strip()
                    found[aversive or flipped].append(Desire(phrase, intensity, cue, index))
        if self.chinese and has_han(sentence):
            chinese = self.chinese.find(sentence, index, desire_probability)
            found[False] += chinese[False]
            found[True] += chinese[True]
        return strongest_per_object(found[False]), strongest_per_object(found[True])


def _intensity(scoring: dict[str, float], base: float, scale: float, felt: float) -> float:
    """The cue's strength (with intensifiers) raised by the `desire` emotion, scaled for questions."""
    return round(scale * (1 - (1 - min(1.0, base)) * (1 - scoring["felt_weight"] * felt)), 3)


class ChineseCues:
    """The `[zh]` cues: matched on Simplified-folded text, objects cut from the sentence as written."""

    def __init__(self, table: dict, scoring: dict[str, float]) -> None:
        words = table["object"]
        self.scoring = scoring
        self.cues = [(False, self._cue(c)) for c in table["cue"]]
        self.aversions = [(True, self._cue(c)) for c in table.get("aversion", [])]
        self.stop = re.compile(_alternation(words["stop_words"]))
        self.leading = re.compile(rf"^(?:{_alternation(words['leading'])})")
        self.trailing = re.compile(rf"(?:{_alternation(words['trailing'])})$")
        self.vague = set(words["vague"])
        self.max_chars = int(words["max_chars"])
        self.away = re.compile(rf"^(?:{_alternation(words['away'])})(?P<x>.+)")
        self.counted = re.compile(words["counted"])
        self.carries_on = re.compile(words["carries_on"])
        self.person = re.compile(rf"{_alternation(words['writer'] + words['others'])}")
        self.writer = set(words["writer"])
        self.thought = re.compile(words["thought"])
        self.question = re.compile(_alternation(words["question_marks"]))
        self.question_words = re.compile(_alternation(words["question_words"]))
        self.question_tail = int(words["question_tail"])
        self.presupposing = re.compile(_alternation(words["presupposing"]))
        self.past = re.compile(_alternation(words["past"]))
        self.quoted = re.compile(words["quoted"])
        self.intensifiers = words["intensifiers"]

    @staticmethod
    def _cue(cue: dict) -> tuple[re.Pattern, float, str, bool]:
        pattern = cue["pattern"].replace("{x?}", _ZH_SHORT_OBJECT).replace("{x}", _ZH_OBJECT)
        return re.compile(pattern), cue["strength"], cue["pattern"], cue.get("thought", False)

    def _trim(self, phrase: str) -> str:
        """Strip reaching words in front and mood or time words behind until nothing changes."""
        while True:
            trimmed = self.trailing.sub("", self.leading.sub("", phrase.strip())).strip()
            if trimmed == phrase:
                return phrase
            phrase = trimmed

    def _object(self, raw: str, folded: str, aversive: bool) -> tuple[bool, str | None]:
        """(pushed away, the object): the clause cut at a new clause word, reaching and mood words stripped."""
        cut = self.stop.search(folded)
        if cut:
            raw, folded = raw[:cut.start()], folded[:cut.start()]
        head = self._trim(folded)
        away = None if aversive or self.counted.match(folded.strip()) else self.away.match(head)
        if away:
            aversive, head = True, self._trim(away.group("x"))
        start = folded.find(head) if head else -1
        phrase = raw[start:start + len(head)] if start >= 0 else ""
        paintable = phrase and head not in self.vague and len(head) <= self.max_chars
        return aversive, (phrase if paintable else None)

    def _owned_by_writer(self, clause_before: str) -> bool:
        people = self.person.findall(clause_before)
        return not people or people[-1] in self.writer

    def _asked(self, folded: str, x_start: int, clause_end: int) -> bool:
        """你想吃什么？ 你想不想去: a question mark or 吗 after the cue, or a question word closing the clause
        (one inside it asks nothing: 惦记着孙子什么时候能回来, 别再问我什么时候结婚了)."""
        rest = folded[x_start:clause_end + 1]
        tail = self._trim(folded[x_start:clause_end])[-self.question_tail:]  # 想要什么…… ends on 什么
        return bool(self.question.search(rest) or self.question_words.search(tail))

    def _masked(self, sentence: str) -> str:
        """Simplified-folded, with what stands in 《》 or quotes blanked: a title or a quoted lyric
        (《想见你》, “思念是一种病”) is nobody's wish, but it can still be wished for as a whole."""
        return self.quoted.sub(lambda m: m[0][0] + "□" * (len(m[0]) - 2) + m[0][-1], to_simplified(sentence))

    def find(self, sentence: str, index: int, desire_probability: float) -> dict[bool, list[Desire]]:
        folded = self._masked(sentence)
        boost = min(self.scoring["max_boost"],
                    self.scoring["intensifier_boost"] * sum(w in folded for w in self.intensifiers))
        found: dict[bool, list[Desire]] = {False: [], True: []}
        taken: list[tuple[int, int]] = []
        for aversive, (pattern, strength, _, thought) in self.aversions + self.cues:
            for match in pattern.finditer(folded):
                start, end = match.start(), match.end()
                if any(a <= start < b or a < end <= b for a, b in taken):
                    continue
                clause_start = max(folded.rfind(mark, 0, start) for mark in _ZH_CLAUSE_END) + 1
                clause_end = min((i for i in (folded.find(m, end) for m in "，,。！？!?；;") if i >= 0), default=len(folded))
                if not self._owned_by_writer(folded[clause_start:start]):
                    continue  # 他说他想…, 她希望我…
                if self.past.search(folded[clause_start:start]):
                    continue  # 小时候我想当科学家: a wish told as the past
                x_start, x_end = match.span("x")
                if thought and self.thought.match(folded[x_start:x_end]):
                    continue  # 我想他是对的: "I think"
                scale = 1.0
                if self._asked(folded, x_start, clause_end):
                    if not self.presupposing.search(folded[:x_start]):
                        continue  # 你想吃什么？ — undecided
                    scale = self.scoring["question_scale"]
                flipped, phrase = self._object(sentence[x_start:x_end], folded[x_start:x_end], aversive)
                if not phrase:
                    continue
                taken.append((start, end))
                felt = 0.0 if flipped else desire_probability
                cue = sentence[start:x_start] if x_start > start else sentence[x_end:end]
                intensity = _intensity(self.scoring, strength + boost, scale, felt)
                found[flipped].append(Desire(phrase, intensity, cue, index))
                if not flipped:
                    found[False] += [Desire(more, intensity, cue, index) for more in self._carried_on(sentence, folded, x_end)]
        return found

    def _carried_on(self, sentence: str, folded: str, end: int) -> list[str]:
        """Further things the same longing reaches for, in the clauses after it that carry it on with no cue of
        their own (盼望着早点退休，回乡下种点菜; 只想躺平，好好睡一觉)."""
        more = []
        while end < len(folded) and folded[end] in "，," and self.carries_on.match(folded, end + 1):
            start, end = end + 1, min((i for i in (folded.find(m, end + 1) for m in _ZH_CLAUSE_END) if i >= 0),
                                      default=len(folded))
            flipped, phrase = self._object(sentence[start:end], folded[start:end], False)
            if flipped or not phrase:
                break
            more.append(phrase)
        return more


@lru_cache(maxsize=1)
def default_finder() -> DesireFinder:
    with LEXICON.open("rb") as handle:
        return DesireFinder(tomllib.load(handle))


def find_desires(sentence: str, index: int = 0, desire_probability: float = 0.0) -> list[Desire]:
    """Desires in one sentence, strongest first."""
    desires, _ = default_finder().find(sentence, index, desire_probability)
    return sorted(desires, key=lambda d: -d.intensity)


def find_aversions(sentence: str, index: int = 0) -> list[Desire]:
    """What the sentence pushes away ("I don't want to go back there" → "go back there")."""
    return default_finder().find(sentence, index)[1]
