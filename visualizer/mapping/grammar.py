"""English grammar for the writer's own phrases, where plain words quote them: one place for the joins that went
wrong ("Your longing for to spend…", "The a sandy beach…").

A wish comes from the affect stage as a noun phrase ("the sea"), as a "to" phrase when it is an act ("to spend a
slow weekend"), or now and then as a clause ("the surgery goes well"); each takes its own word before it ("for the
sea", "to spend…", "that the surgery goes well"). The writer wrote in the
first person and the plain words speak to them, so "my mum" is said "your mum". A bare noun gets "the", a phrase
that already opens with a determiner keeps its own. The word lists are data: prompts/plain.toml `[grammar]`. Used by
the plain explanation (`visualizer.mapping.plain`) and the reflection (`visualizer.reflection`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from visualizer.mapping import data

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def joined(items: Sequence[str], conjunction: str = "and") -> str:
    """"a", "a and b", "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def is_act(phrase: str) -> bool:
    """True for a wish that is an act ("to rest"), False for a thing ("the sea") or a clause."""
    return phrase.strip().lower().startswith("to ")


def is_clause(phrase: str) -> bool:
    """True for a wish that is a clause ("the surgery goes well", "he stays"): one opening with a subject pronoun, or
    with a verb of `clause_verbs` before any relative word ("a job where people are kind" is a thing); never an
    act."""
    grammar = data.load("plain")["grammar"]
    verbs, relatives = set(grammar["clause_verbs"]), set(grammar["relatives"])
    words = [w.lower() for w in _WORD.findall(phrase)]
    if is_act(phrase) or not words:
        return False
    if words[0] in grammar["subjects"]:
        return True
    for word in words:
        if word in relatives:
            return False
        if word in verbs:
            return True
    return False


def second_person(phrase: str) -> str:
    """The writer's phrase as said back to them: "to see my family" → "to see your family"."""
    person = data.load("plain")["grammar"]["person"]
    pairs = {k: v for k, v in person.items() if " " in k}
    text = phrase
    for pair, said in pairs.items():
        text = re.sub(rf"\b{re.escape(pair)}\b", said, text, flags=re.I)
    single = {k: v for k, v in person.items() if " " not in k}
    return _WORD.sub(lambda m: single.get(m.group().lower().replace("’", "'"), m.group()), text)


def longing_object(phrases: Sequence[str]) -> str:
    """What follows "longing": "for the sea and a garden", "to rest", "that the surgery goes well", "for the sea,
    and to rest" (things, then acts, then clauses, each in the second person)."""
    things = [second_person(p) for p in phrases if not is_act(p) and not is_clause(p)]
    acts = [second_person(p) for p in phrases if is_act(p)]
    clauses = [f"that {second_person(p)}" for p in phrases if is_clause(p)]
    parts = ([f"for {joined(things)}"] if things else []) + ([joined(acts)] if acts else []) + \
        ([joined(clauses)] if clauses else [])
    return ", and ".join(parts)


def definite(phrase: str) -> str:
    """A noun phrase with an article where it needs one: "rain" → "the rain", "a sandy beach" as it is."""
    words = phrase.split()
    if not words:
        return phrase
    determiners = set(data.load("plain")["grammar"]["determiners"])
    first = words[0].lower()
    if first in determiners or first.endswith(("'s", "’s")) or not first[:1].isalpha():
        return phrase
    return f"the {phrase}"


def capitalised(sentence: str) -> str:
    """The sentence with its first letter upper case (the rest as written: names and "I" keep theirs)."""
    return sentence[:1].upper() + sentence[1:]
