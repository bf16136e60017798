"""The phrase rules' engine, shared by the crisis signs (`signs.py`, data/crisis.toml) and harm to others
(`harm.py`, data/harm.toml), so both read text the same way and their data files share one mini-syntax.

- `Normaliser`: lower-case, straighten quotes, turn "..." into a space, collapse whitespace, respell whole words from
  the language's `spellings` ("dont" → "do not"), fold Traditional Chinese when asked; `mask` overwrites the
  `figures` of speech ("dying to", "kill for a coffee", "笑死") so that no general pattern sees them.
- `compile_patterns`: word lists as {name}, {name*} (any number, each followed by a space) and {name?} (at most
  one), expanded and compiled into one alternation held to word edges when the language has them.
- `rule_sets`: which languages' rules to run on some texts (`"auto"`: English always, Chinese where Han occurs).
"""

from __future__ import annotations

import re

from visualizer.text.scripts import has_han, to_simplified

_MACRO = re.compile(r"\{([a-z_]+)([*?]?)\}")
_REGEX = re.compile(r"[\\.^$*+?{}\[\]|()]")  # a word-list entry with any of these is a regex, not a plain word
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
                         "\u201c": '"', "\u201d": '"', "\u2026": " ", "\u2013": " ", "\u2014": " "})
_DOTS = re.compile(r"\.{2,}")
_SPACE = re.compile(r"\s+")


class Normaliser:
    """One language's spellings and figures of speech (the `spellings` and `figures` tables of a rule file)."""

    def __init__(self, table: dict) -> None:
        boundaries = table.get("word_boundaries", True)
        self.fold = table.get("fold_traditional", False)
        self.spellings: dict[str, str] = table["spellings"]
        self.spelling = compile_patterns([trie(list(self.spellings))], {}, boundaries)
        self.figures = compile_patterns(table["figures"]["patterns"], table["words"], boundaries)

    def normalise(self, text: str) -> str:
        text = to_simplified(text) if self.fold else text
        text = _SPACE.sub(" ", _DOTS.sub(" ", text.lower().translate(_QUOTES))).strip()
        return self.spelling.sub(lambda m: self.spellings[m.group(0)], text)

    def mask(self, text: str) -> str:
        """Overwrite figures of speech with '#' (same length, so positions still line up with the text)."""
        return self.figures.sub(lambda m: "#" * len(m.group(0)), text)


def expand(pattern: str, words: dict[str, list[str]], seen: tuple[str, ...] = ()) -> str:
    """Replace {name}, {name*} and {name?} with the word list `name`."""
    def one(match: re.Match) -> str:
        name, repeat = match.groups()
        if name not in words:
            raise KeyError(f"unknown word list {{{name}}} in {pattern!r}")
        if name in seen:
            raise ValueError(f"word list {name!r} uses itself")
        options = alternation([expand(w, words, seen + (name,)) for w in words[name]])
        return {"": options, "*": f"(?:{options} )*", "?": f"(?:{options} )?"}[repeat]
    return _MACRO.sub(one, pattern)


def alternation(entries: list[str]) -> str:
    """Any one of the entries; the plain words go into a prefix tree, which is far faster than a flat list."""
    literal = [e for e in entries if not _REGEX.search(e)]
    patterns = [e for e in entries if _REGEX.search(e)]
    return "(?:" + "|".join(([trie(literal)] if literal else []) + patterns) + ")"


def trie(words: list[str]) -> str:
    """A regex for any of `words` as a prefix tree: each position tries one branch per letter, not one per word."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if "" in node:
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return pattern(tree)


def compile_patterns(patterns: list[str], words: dict[str, list[str]], boundaries: bool) -> re.Pattern[str]:
    """One alternation of every pattern, held to word edges when the language has them.

    The edges sit outside the alternation so that a position inside a word is rejected once, not once
    per pattern: that keeps a sentence at microseconds.
    """
    options = "|".join(f"(?:{expand(p, words)})" for p in patterns)
    return re.compile(rf"(?<!\w)(?<!\w')(?:{options})(?!\w)(?!'\w)" if boundaries else options)


def rule_sets(language: str, texts: list[str]) -> list[str]:
    """The rule sets to run: the one named, or for "auto" English plus Chinese where Han characters occur."""
    if language != "auto":
        return [language]
    return ["en", "zh"] if any(has_han(text) for text in texts) else ["en"]
