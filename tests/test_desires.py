"""Desire extraction on handwritten sentences: the object of longing, negation, questions, intensity."""

import pytest

from visualizer.affect.desires import find_aversions, find_desires

DESIRES = [
    ("I wish I could see the sea again.", "the sea"),
    ("I miss my grandmother's garden.", "my grandmother's garden"),
    ("all I want is to sleep for a week", "to sleep for a week"),
    ("All I need right now is a long hot bath.", "a long hot bath"),
    ("I long for the quiet of the mountains.", "the quiet of the mountains"),
    ("I long to walk on the beach at dawn", "the beach at dawn"),
    ("I'm longing for a letter from her.", "a letter from her"),
    ("I yearn for the smell of my father's workshop", "the smell of my father's workshop"),
    ("If only I could hear his voice one more time.", "his voice"),
    ("I really miss the old apartment on Rue Cler, but life goes on.", "the old apartment on Rue Cler"),
    ("I want a little house by a lake.", "a little house by a lake"),
    ("I really really want a dog!", "a dog"),
    ("I want to hold her hand again, but she is gone.", "her hand"),
    ("I wish I could sleep for a week", "to sleep for a week"),
    ("I can't wait to see my sister next week", "my sister"),
    ("I would give anything to be back in Lisbon.", "Lisbon"),
    ("I'd love to learn the cello someday.", "learn the cello"),
    ("I'm dying to go to Japan.", "Japan"),
    ("I dream of a garden full of lemon trees.", "a garden full of lemon trees"),
    ("I need a hug.", "a hug"),
    ("I crave silence after days like this.", "silence"),
    ("Sometimes I wish for snow in December.", "snow in December"),
    ("I still miss you so much it hurts.", "you"),
    ("Why do I still miss her so much?", "her"),
    ("I miss walking home under the plane trees", "walking home under the plane trees"),
    ("I can't stop thinking about the cabin by the fjord.", "the cabin by the fjord"),
    ("I hope for a calmer spring.", "a calmer spring"),
    ("Honestly, I just want to be with my friends again", "my friends"),
    ("I'm desperate for some sunlight", "some sunlight"),
    ("I miss the sea, because it made me feel small in a good way.", "the sea"),
]

NOT_DESIRES = [
    "I don't want to go back there.",
    "I never want to see that office again.",
    "It is not that I miss him.",
    "Do I want to move to Berlin?",
    "Should I want more from life?",
    "I need to finish the report by Friday.",
    "I miss it.",
    "The meeting went well and I went home.",
    "She wants a new bike.",
    "I no longer miss the city.",
]


@pytest.mark.parametrize(("sentence", "expected"), DESIRES)
def test_object_of_desire(sentence, expected):
    found = find_desires(sentence)
    assert found, f"no desire found in {sentence!r}"
    assert found[0].text == expected


@pytest.mark.parametrize("sentence", NOT_DESIRES)
def test_not_a_desire(sentence):
    assert find_desires(sentence) == []


@pytest.mark.parametrize(("sentence", "expected"), [
    ("I don't want to go back there.", "go back there"),
    ("I never want to see that office again.", "that office"),
    ("I no longer miss the city.", "the city"),
])
def test_negated_longing_is_aversion(sentence, expected):
    assert [a.text for a in find_aversions(sentence)] == [expected]


def test_intensifiers_and_desire_emotion_raise_intensity():
    plain = find_desires("I miss the sea.")[0].intensity
    intense = find_desires("I miss the sea so much, really.")[0].intensity
    felt = find_desires("I miss the sea.", desire_probability=0.9)[0].intensity
    assert intense > plain
    assert felt > plain
    assert 0 < plain <= 1 and 0 < intense <= 1 and 0 < felt <= 1


def test_stronger_cue_gives_stronger_desire():
    assert find_desires("I would give anything to see the sea.")[0].intensity > find_desires("I hope to see the sea.")[0].intensity


def test_presupposing_question_is_weaker_than_statement():
    assert find_desires("Why do I miss her?")[0].intensity < find_desires("I miss her.")[0].intensity


def test_cue_is_quoted_for_the_explanation():
    assert find_desires("I wish I could see the sea again.")[0].cue == "I wish I could"


def test_two_desires_in_one_sentence():
    texts = {d.text for d in find_desires("I miss the sea and I want a dog.")}
    assert {"a dog"} <= texts and any(t.startswith("the sea") for t in texts)
