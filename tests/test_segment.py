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


def test_chinese_marks_runs_and_closing_quotes():
    assert split_sentences("我今天很想念家乡，压力很大。明天还要加班！！真的受够了？？") == [
        "我今天很想念家乡，压力很大。", "明天还要加班！！", "真的受够了？？"]
    assert split_sentences("他说：“我不去了。”然后走了。") == ["他说：“我不去了。”", "然后走了。"]
    assert split_sentences("第一，早起；第二，跑步。") == ["第一，早起；", "第二，跑步。"]
    assert split_sentences("好累……不想说话了\n晚安") == ["好累……", "不想说话了", "晚安"]


def test_weibo_tags_and_emoji_neither_break_nor_stand_alone():
    assert split_sentences("今天好开心！[哈哈][哈哈]明天见。") == ["今天好开心！[哈哈][哈哈]", "明天见。"]
    assert split_sentences("我好想你😭😭\n[心]\n晚安") == ["我好想你😭😭[心]", "晚安"]
    assert split_sentences("Great day! 😂😂") == ["Great day! 😂😂"]
    assert split_sentences("😂") == ["😂"]


def test_mixed_chinese_and_english():
    assert split_sentences("I had 饺子 for dinner. 很好吃！") == ["I had 饺子 for dinner.", "很好吃！"]
