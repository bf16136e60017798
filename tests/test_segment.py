from visualizer.affect.segment import split_sentences


def test_sentences_and_lines():
    assert split_sentences("I miss Dr. Smith. He was kind! Was he? Yes.\nNew line") == [
        "I miss Dr. Smith.", "He was kind!", "Was he?", "Yes.", "New line"]


def test_ellipsis_followed_by_lowercase_stays_in_one_sentence():
    assert split_sentences("wait... what is this. Then quiet.") == ["wait... what is this.", "Then quiet."]


def test_quotes_close_a_sentence():
    assert split_sentences('"I know." She said.') == ['"I know."', "She said."]


def test_empty_and_blank():
    assert split_sentences("") == [] and split_sentences(" \n \n") == []
