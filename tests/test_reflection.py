"""The reflection on each entry: in the writer's language, grounded, grammatical, gentle where an entry is heavy.

Most tests build readings by hand (`InnerState`), thousands of them at random from the project's own vocabularies
(the 28 emotions, the stress topics, the wishes of data/evaluation/*desires*.jsonl, the imagery concepts), so they
run in seconds; one integration test reads the example journals with the real models through `visualizer analyze`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import random
import re
from pathlib import Path

import pytest

import visualizer.affect
from visualizer.affect import VAD, Desire, InnerState
from visualizer.affect.labels import EMOTIONS
from visualizer.mapping import data, map_state
from visualizer.mapping.concepts import longing_group
from visualizer.mapping.conditioning import Conditioning
from visualizer.mapping.grammar import second_person
from visualizer.mapping.plain import plain_explanation
from visualizer.reflection import History, Journal, Mention, compared, redacted, reflect
from visualizer.reflection.compose import PRIVATE, phrases
from visualizer.text.scripts import has_han

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [ROOT / "examples" / "journal.md", ROOT / "examples" / "journal_zh.md"]
TOPICS = ["work", "money", "health", "sleep", "relationships", "family", "school", "home", "loneliness"]
# joins that must never be written: "for to", "the a", "Your longing for to spend", a slot left unfilled
BAD_JOINS = re.compile(r"\b(?:for to|the (?:a|an|the|my|your)|to to|a an?|an a)\b|[{}]|\s[,.;]|,,|。。|，，|；；|的的|和和",
                       re.I)
DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.I)
MEANS = ["rope", "pills", "knife", "bridge", "overdose", "jump", "razor", "gun", "绳", "药", "刀", "跳楼", "割腕"]


def wishes(name: str) -> list[str]:
    """The wishes written down for the desire dev and held-out sets (real phrasings of every kind)."""
    return [d for path in (ROOT / "data" / "evaluation").glob(name) for line in path.open(encoding="utf-8")
            for d in json.loads(line)["desires"]]


EN_WISHES = wishes("desires_*.jsonl") + list(data.load("imagery")["concepts"])
ZH_WISHES = wishes("zh_desires_*.jsonl")


def state(language: str = "en", desires=(), aversions=(), stressors=(), crisis=False, stress=0.2,
          valence=3.0, arousal=3.0, active=None, text="Some words to read.", **emotions: float) -> InnerState:
    labels = dict.fromkeys(EMOTIONS, 0.01) | emotions
    return InnerState(text, labels, list(emotions) if active is None else active, VAD(valence, arousal, 3.0), stress,
                      desires=[Desire(d, 0.9 - i * 0.1, "I wish") for i, d in enumerate(desires)],
                      aversions=[Desire(a, 0.5, "I dread") for a in aversions], stressors=list(stressors),
                      crisis=crisis, language=language)


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.。])\s*", text) if s]


def said_back(phrase: str, language: str) -> str:
    """How the reflection names a wish: in the second person, as the writer's own words otherwise."""
    if language == "zh":
        return phrase.replace("我们", "你们").replace("我", "你")
    return second_person(phrase)


def painful_words() -> list[str]:
    """Every word the reflection has for a feeling, in every language, and the labels themselves."""
    found = set(EMOTIONS) - {"neutral"}
    for language in ("en", "zh"):
        found |= {entry["word"] for entry in phrases()[language]["emotions"].values()}
    return sorted(found)


def check_grammar(text: str) -> None:
    assert text.strip(), "empty reflection"
    assert not BAD_JOINS.search(text), (BAD_JOINS.search(text).group(), text)
    assert not DOUBLED.search(text), (DOUBLED.search(text).group(), text)
    for sentence in sentences(text):
        assert sentence[:1] == sentence[:1].upper(), text


def check_grounds(reflection) -> None:
    said = sentences(reflection.text)
    for sentence in said:
        assert any(g["says"] == sentence for g in reflection.grounds), (sentence, reflection.grounds)
    for ground in reflection.grounds:
        assert {"part", "says", "score", "value"} <= set(ground) and ground["says"] in said


# -- one entry --------------------------------------------------------------------------------------------------

def test_the_main_feelings_and_the_longing_are_said_back_in_plain_words():
    out = reflect(state(desires=["to spend a slow weekend in the mountains", "my mum"], sadness=0.7,
                        disappointment=0.4))
    assert out.text.startswith("You sound sad and disappointed.")
    assert "You long for your mum, and to spend a slow weekend in the mountains." in out.text
    assert [g["value"] for g in out.grounds if g["score"] == "desire"] == [
        "to spend a slow weekend in the mountains", "my mum"]
    check_grammar(out.text)
    check_grounds(out)


def test_a_wish_that_is_a_clause_is_hoped_for_and_a_dreaded_thing_pushed_away():
    out = reflect(state(desires=["the surgery goes well", "a job where people are kind"],
                        aversions=["to go back there"], stressors=["work", "sleep"], stress=0.8))
    assert "You long for a job where people are kind, and you hope that the surgery goes well." in out.text
    assert "The strain in it is about work and sleep, and you would rather not go back there." in out.text
    check_grammar(out.text)


def test_what_weighs_is_grounded_in_the_topics_the_stress_and_the_aversions():
    out = reflect(state(aversions=["another argument"], stressors=["family"], stress=0.9, fear=0.6))
    weight = [g for g in out.grounds if g["part"] == "weight"]
    assert {(g["score"], g["value"]) for g in weight} == {("stressor", "family"), ("aversion", "another argument")}
    assert "You would rather" not in out.text and "you would rather be free of another argument" in out.text


def test_with_nothing_else_to_say_the_light_and_pace_make_a_second_sentence():
    out = reflect(state(active=["neutral"], valence=4.5, arousal=1.5))
    assert len(sentences(out.text)) == 2 and out.text.startswith("No one feeling stands out strongly.")
    assert {g["score"] for g in out.grounds if g["part"] == "tone"} == {"valence", "arousal"}


def test_an_entry_with_no_words_says_so_and_nothing_more():
    out = reflect(InnerState.neutral("😭😭"))
    assert out.text.startswith("There were no words here to read") and len(out.grounds) == 1


def test_a_chinese_entry_is_answered_in_chinese():
    out = reflect(state("zh", desires=["再去看一次大海", "新的工作能让我重新找到方向"], stressors=["work"], stress=0.8,
                        sadness=0.6, aversions=["这样每天加班到半夜"]))
    assert out.language == "zh" and has_han(out.text) and not re.search(r"[A-Za-z]", out.text)
    assert "你盼望着再去看一次大海，也盼望着新的工作能让你重新找到方向。" in out.text
    assert "让你感到压力的是工作；你想摆脱的，是这样每天加班到半夜。" in out.text
    check_grammar(out.text)
    check_grounds(out)


def test_a_language_without_words_of_its_own_is_answered_in_english():
    assert reflect(state("other", joy=0.6)).language == "en"


# -- crisis -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_heavy_entry_gets_a_short_gentle_reflection_with_no_label_wish_or_means(language):
    out = reflect(state(language, desires=["to sleep forever", "my mum"], aversions=["the rope in the garage"],
                        stressors=["health"], crisis=True, stress=0.95, grief=0.9, disapproval=0.8, sadness=0.9),
                  History("2025-03-04", {"valence": -0.9, "emotion:grief": 0.9},
                          {"my mother's face": (Mention("2025-03-01", "my mum"),)}))
    assert len(sentences(out.text)) == 2 and {g["score"] for g in out.grounds} == {"crisis"}
    lowered = out.text.lower()
    for word in [*painful_words(), *MEANS, "sleep forever", "mum", "你妈妈"]:
        assert word.lower() not in lowered, word
    assert ("alone" in out.text) if language == "en" else ("独自" in out.text)


def test_a_heavy_entry_is_not_remembered_for_a_later_echo():
    journal = Journal()
    journal.history("2025-03-01", ["the sea"], crisis=True)
    assert journal.history("2025-03-05", ["the sea"]).earlier == {}


# -- history: the usual and the echo ----------------------------------------------------------------------------

def test_the_sea_and_the_coast_are_one_longing_echoed_with_its_date():
    journal = Journal()
    first = journal.history("2025-03-01", ["the sea"])
    journal.history("2025-03-02", [])
    later = journal.history("2025-03-16", ["the coast"])
    again = journal.history("2025-03-20", ["the sea"])
    assert first.earlier == {}
    coast = reflect(state(desires=["the coast"], joy=0.5), later)
    assert "It echoes 1 March: you longed for the sea then." in coast.text
    [echo] = [g for g in coast.grounds if g["part"] == "echo"]
    assert echo["score"] == "history" and echo["value"] == {"date": "2025-03-01", "phrase": "the sea", "count": 1}
    sea = reflect(state(desires=["the sea"], joy=0.5), again)
    assert "The sea again: you longed for it on 1 March too, and once more since." in sea.text
    check_grammar(coast.text + " " + sea.text)


def test_an_echo_looks_only_back_in_time_and_says_an_earlier_year():
    journal = Journal()
    journal.history("2025-05-01", ["the sea"])  # a journal kept newest first: no echo of a later day
    assert journal.history("2025-03-01", ["the sea"]).earlier == {}
    old = Journal()
    old.history("2024-08-01", ["to be close"])
    out = reflect(state(desires=["to be close"]), old.history("2025-03-01", ["to be close"]))
    assert "Not for the first time: you longed to be close on 1 August 2024 too." in out.text


def test_a_chinese_echo_names_the_earlier_wish_and_its_date():
    journal = Journal()
    journal.history("2025-03-01", ["大海"])
    out = reflect(state("zh", desires=["看海"], joy=0.5), journal.history("2025-03-08", ["看海"]))
    assert "这和3月1日相呼应：那时你盼望的是「大海」。" in out.text


def test_the_usual_is_said_only_with_a_baseline_and_in_good_words():
    without = reflect(state(desires=["the sea"], sadness=0.6))
    assert "usual" not in without.text and not any(g["part"] == "usual" for g in without.grounds)
    relative = {"valence": -0.6, "arousal": -0.3, "interest": 0.5, "emotion:disappointment": 0.8}
    out = reflect(state(sadness=0.6), History("2025-03-03", relative))
    assert "more disappointment" not in out.text and "than your usual" in out.text
    assert {g["score"] for g in out.grounds if g["part"] == "usual"} <= {f"baseline:{k}" for k in relative}
    assert compared({"valence": 0.05}) == "close to your usual" and compared(None) == ""
    assert compared({"emotion:disappointment": 0.8}) == "more disappointed than your usual"
    assert compared({"arousal": -0.5, "stress": -0.4}, "zh") == "和你平常相比，更平静、压力更小"


def test_redacting_keeps_only_the_sentences_that_quote_nothing_of_the_writer():
    journal = Journal()
    journal.history("2025-03-01", ["the sea"])
    out = reflect(state(desires=["the sea"], stressors=["work"], stress=0.8, sadness=0.6),
                  journal.history("2025-03-04", ["the sea"]))
    hidden = redacted(out.to_dict())
    assert hidden == "You sound sad." and "sea" in out.text
    assert all(g["score"] not in PRIVATE for g in out.grounds if g["says"] in hidden)


# -- thousands of generated readings ----------------------------------------------------------------------------

def random_reading(rng: random.Random) -> tuple[InnerState, History]:
    language = rng.choice(["en", "en", "zh", "other"])
    pool = ZH_WISHES if language == "zh" else EN_WISHES
    labels = rng.sample(EMOTIONS, rng.randint(0, 4))
    emotions = {label: round(rng.random(), 2) for label in labels}
    reading = state(language, desires=rng.sample(pool, rng.randint(0, 3)),
                    aversions=rng.sample(pool, rng.randint(0, 1)),
                    stressors=rng.sample(TOPICS, rng.randint(0, 3)), crisis=rng.random() < 0.1,
                    stress=rng.random(), valence=rng.uniform(1, 5), arousal=rng.uniform(1, 5),
                    active=[label for label in labels if emotions[label] > 0.3], **emotions)
    relative = None if rng.random() < 0.4 else {
        name: round(rng.uniform(-1, 1), 1) for name in
        ["valence", "arousal", "dominance", "stress", "anxiety", "interest", *(f"emotion:{e}" for e in labels)]}
    earlier = {}
    if reading.desires and rng.random() < 0.5:
        wish = reading.desires[0].text
        mentions = tuple(Mention(rng.choice([None, "2025-01-0%d" % rng.randint(1, 9)]),
                                 rng.choice([wish, rng.choice(pool)])) for _ in range(rng.randint(1, 3)))
        earlier = {longing_group(wish): mentions}
    return reading, History("2025-03-01", relative, earlier)


def test_thousands_of_generated_readings_are_grounded_grammatical_and_in_their_language():
    rng = random.Random(23)
    painful = painful_words()
    for _ in range(3000):
        reading, history = random_reading(rng)
        out = reflect(reading, history)
        check_grammar(out.text)
        check_grounds(out)
        count = len(sentences(out.text))
        assert 2 <= count <= 4, out.text
        assert (out.language == "zh") == has_han(out.text) == (reading.language == "zh"), out.text
        if reading.crisis:
            assert not any(word.lower() in out.text.lower() for word in painful), out.text
            assert not any(re.search(rf"(?<!\w){re.escape(d.text)}(?!\w)", out.text, re.I) for d in reading.desires), \
                out.text
            continue
        if reading.desires:
            named = [d.text for d in reading.desires if said_back(d.text, out.language) in out.text]
            assert named, (out.text, [d.text for d in reading.desires])
        if history.relative is None:
            assert not any(g["part"] == "usual" for g in out.grounds)


def test_the_checks_can_fail():
    for bad in ("Your longing for to spend a weekend.", "The a sandy beach.", "You sound sad sad.", "{feeling}."):
        with pytest.raises(AssertionError):
            check_grammar(bad)


# -- the plain explanation's grammar ----------------------------------------------------------------------------

def test_the_plain_explanation_joins_acts_concepts_and_the_usual_properly():
    cond = map_state(state(desires=["to spend a slow weekend in the mountains"], joy=0.6),
                     relative={"interest": 0.6, "emotion:disappointment": 0.8})
    text = plain_explanation(cond)
    assert "Your longing to spend a slow weekend in the mountains became the subject" in text
    assert "more curious" in text and "disappointment" not in text.split("Compared")[-1]
    chinese = Conditioning("(a sandy beach)1.4", "", 1, 7.0, "watercolor", subjects=["a sandy beach", "rain"],
                           explanation=[{"score": "desire", "value": 0.8, "effect": "prompt: (a sandy beach)1.4 "
                                         "(object of desire '大海' → 'a sandy beach')"}])
    text = plain_explanation(chinese)
    assert text.startswith("Your longing for a sandy beach became the subject, with the rain you wrote about")
    check_grammar(text)


def test_a_heavy_entry_s_plain_explanation_names_no_feeling():
    text = plain_explanation(map_state(state(crisis=True, disapproval=0.9, grief=0.8, stress=0.9)))
    assert not any(word in text for word in painful_words()), text


# -- every face: analyze, sidecar, store, site --------------------------------------------------------------------

def run_analyze(*argv: str) -> list[dict]:
    from visualizer.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["analyze", *argv, "--json"]) == 0
    return [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]


def fake_reading(text: str) -> InnerState:
    """A reading from the text's own words: a wish after "wish:", Chinese when it holds Han characters."""
    wish = text.split("wish:", 1)[1].strip(" .") if "wish:" in text else ""
    return state("zh" if has_han(text) else "en", desires=[wish] if wish else [], text=text,
                 valence=2.0 + len(text) % 3, joy=0.6)


@pytest.fixture
def fake_analyze(monkeypatch):
    monkeypatch.setitem(visualizer.affect.__dict__, "analyze",
                        lambda texts, **_: [fake_reading(t) for t in texts])


def test_analyze_gives_one_entry_no_echo_and_no_usual(fake_analyze):
    [record] = run_analyze("--text", "I wish: the sea.")
    assert record["reflection"]["text"] == "You sound happy. You long for the sea."
    assert not {"usual", "echo"} & {g["part"] for g in record["reflection"]["grounds"]}


def test_analyze_echoes_and_compares_across_a_journal_each_entry_in_its_language(fake_analyze, tmp_path):
    journal = tmp_path / "journal.md"
    days = ["I wish: the sea.", "Quiet day at home.", "我好想 wish: 大海。", "Long day, long talk.", "Nothing much.",
            "I wish: the coast."]
    journal.write_text("".join(f"## 2025-03-0{i + 1}\n{text}\n\n" for i, text in enumerate(days)), encoding="utf-8")
    records = run_analyze(str(journal))
    assert [r["reflection"]["language"] for r in records] == ["en", "en", "zh", "en", "en", "en"]
    assert "你盼望着大海" in records[2]["reflection"]["text"]
    assert "It echoes 1 March: you longed for the sea then, and once more since." in records[5]["reflection"]["text"]
    assert all("than your usual" in r["reflection"]["text"] or "close to your usual" in r["reflection"]["text"]
               for r in records if r["reflection"]["language"] == "en")  # six readable entries: a baseline


def test_the_sidecar_the_store_and_the_site_carry_the_reflection(tmp_path):
    from visualizer.gallery import export_site
    from visualizer.gallery.store import Store
    from visualizer.ingest import Entry
    from visualizer.painting import RenderSettings
    from visualizer.pipeline import render_journal

    entries = [Entry(dt.date(2025, 3, d), text, "j.md") for d, text in
               ((1, "I wish: the sea."), (2, "I wish: the coast."))]
    render_journal(entries, tmp_path / "out", RenderSettings(backend="motif", size=64),
                   analyze=lambda texts: [fake_reading(t) for t in texts])
    sidecars = sorted((tmp_path / "out" / "images").glob("*.json"))
    second = json.loads(sidecars[1].read_text(encoding="utf-8"))["reflection"]
    assert "It echoes 1 March: you longed for the sea then." in second["text"]
    with Store(tmp_path / "out", readonly=True) as store:
        assert [r.reflection["text"] for r in store.records()] == [
            json.loads(p.read_text(encoding="utf-8"))["reflection"]["text"] for p in sidecars]
    site = export_site(tmp_path / "out", tmp_path / "site")
    page = next(p for p in (site / "entries").glob("*.html") if "2025-03-02" in p.name).read_text(encoding="utf-8")
    assert '<p class="reflection">' in page and "you longed for the sea then" in page
    hidden = export_site(tmp_path / "out", tmp_path / "hidden", redact=True)
    page = next(p for p in (hidden / "entries").glob("*.html") if "2025-03-02" in p.name).read_text(encoding="utf-8")
    assert "You sound happy." in page and "coast" not in page


@pytest.mark.integration
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_entry_is_reflected_in_its_language_naming_its_longing(path):
    """The real reading of the example journals (`visualizer analyze`, models loaded)."""
    records = run_analyze(str(path))
    assert records and all(r["reflection"]["text"] for r in records)
    for record in records:
        reflection = record["reflection"]
        check_grammar(reflection["text"])
        assert reflection["language"] == record["language"] and has_han(reflection["text"]) == (
            record["language"] == "zh")
        if record["desires"] and not record["crisis"]:
            assert any(said_back(d["text"], record["language"]) in reflection["text"] for d in record["desires"])
    if path.name == "journal.md":
        coast = next(r for r in records if r["date"] == "2025-03-16")["reflection"]["text"]
        assert "the sea" in coast and "1 March" in coast
