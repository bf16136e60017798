"""The personal baseline: robust usual, too-few note, empty entries, re-render, crisis, explanation."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

import visualizer.affect
import visualizer.render
from visualizer.affect import VAD, InnerState
from visualizer.affect.baseline import MIN_ENTRIES, STEP, compute, describe
from visualizer.affect.labels import EMOTIONS
from visualizer.cli import main
from visualizer.gallery import Store
from visualizer.ingest import Entry
from visualizer.mapping import map_state
from visualizer.painting import RenderSettings
from visualizer.pipeline import render_journal


def reading(text: str, valence: float = 3.0, arousal: float = 3.0, stress: float = 0.2, joy: float = 0.3,
            **more) -> InnerState:
    emotions = {label: 0.01 for label in EMOTIONS} | {"joy": joy, "sadness": 0.5 - joy / 2, "neutral": 0.2}
    return InnerState(text, emotions, ["joy"], VAD(valence, arousal, 3.0), stress, **more)


def ordinary(n: int) -> list[InnerState]:
    """n ordinary days: pleasant-ish, a little spread."""
    return [reading(f"an ordinary day number {i}", 3.2 + 0.05 * (i % 5), 2.9 + 0.04 * (i % 3), 0.2 + 0.02 * (i % 4))
            for i in range(n)]


def fake_analyze(texts):
    """Valence from the words: "glad" high, "grim" low; "calm" low arousal; "!!" an empty reading."""
    states = []
    for text in texts:
        if not any(ch.isalnum() for ch in text):
            states.append(InnerState.neutral(text))
            continue
        valence = 4.2 if "glad" in text else 1.8 if "grim" in text else 3.3
        arousal = 2.2 if "calm" in text else 3.1
        states.append(reading(text, valence, arousal, crisis="CRISIS" in text))
    return states


class FakeBackend:
    name, model, reason, batch_size = "fake", "fake-1", "test stand-in", 4

    def __init__(self):
        self.painted = 0

    def render(self, conds, size=512):
        self.painted += len(conds)
        return [Image.new("RGB", (size, size), (c.seed % 256, 80, 160)) for c in conds]

    def iter_sequence(self, cond, frames, size=512):
        return (Image.new("RGB", (size, size), (0, 0, 0)) for _ in range(frames))


def journal(texts: list[str]) -> list[Entry]:
    return [Entry(dt.date(2025, 1, 1) + dt.timedelta(days=i), text, "j.md", line=i + 1) for i, text in enumerate(texts)]


DAYS = ["a plain day", "a plain day at work", "glad about the garden", "a plain evening", "grim news", "plain again",
        "calm by the river"]


def run(entries, out, **settings):
    return render_journal(entries, out, RenderSettings(size=64, **settings), backend=FakeBackend(),
                          analyze=fake_analyze)


# -- statistics -----------------------------------------------------------------------------------------------------
def test_one_huge_outlier_does_not_move_the_usual_of_the_others():
    days = ordinary(12)
    outlier = reading("grim " * 40_000, valence=1.0, arousal=5.0, stress=1.0, joy=0.0)  # a 200,000-character entry
    assert len(outlier.text) == 200_000
    plain, skewed = compute(days), compute([*days, outlier])
    for name in ("valence", "arousal", "stress", "emotion:joy"):
        assert abs(plain.usual[name] - skewed.usual[name]) <= 0.5 * plain.spread[name], name
    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731 - what a plain average would have done
    values = [d.vad.normalised().valence for d in days]
    assert abs(mean(values) - mean([*values, outlier.vad.normalised().valence])) > 3 * abs(
        plain.usual["valence"] - skewed.usual["valence"])
    for day in days:  # the others' relative readings move by at most one rounding step
        before, after = plain.relative(day), skewed.relative(day)
        assert all(abs(before[k] - after[k]) <= STEP + 1e-9 for k in ("valence", "arousal", "dominance", "stress"))
    assert skewed.relative(outlier)["valence"] <= -0.9 and skewed.relative(outlier)["arousal"] >= 0.9


def test_one_entry_journal_has_no_baseline_and_says_so():
    usual = compute([reading("just one day", 4.0)])
    assert not usual.available and usual.relative(reading("x")) is None
    assert "too few entries for a personal baseline" in usual.note and "absolute readings used" in usual.note


def test_entries_with_no_words_are_left_out():
    empty = [InnerState.neutral(""), InnerState.neutral("🙂🙂"), replace(reading("..."), signal=True)]
    days = ordinary(MIN_ENTRIES)
    assert compute([*days[:-1], *empty]).available is False  # 4 readable + 3 wordless: still too few
    assert compute([*days, *empty]).usual == compute(days).usual


def test_relative_reading_is_squashed_and_described():
    usual = compute(ordinary(10))
    calm = usual.relative(reading("calm", 3.3, 1.5, 0.0))
    assert all(-1.0 <= v <= 1.0 for v in calm.values())
    assert calm["arousal"] < -0.5
    assert "calmer" in describe(calm) and describe(calm).endswith("than your usual")
    assert describe(usual.relative(reading("a day like most", 3.3, 2.94, 0.22))) == "close to your usual"


# -- mapping ----------------------------------------------------------------------------------------------------------
def test_mapping_explanation_mentions_the_baseline():
    usual = compute(ordinary(10))
    state = reading("a calm day by the sea", 3.3, 1.8)
    cond = map_state(state, relative=usual.relative(state))
    first = cond.explanation[0]
    assert first["score"] == "baseline" and "calmer than your usual" in first["effect"]
    assert "0.65·absolute + 0.35·relative" in first["effect"]
    assert cond.scores["baseline"]["arousal"] < 0
    plain = map_state(state)
    assert all(item["score"] != "baseline" for item in plain.explanation) and "baseline" not in plain.scores


def test_baseline_blend_moves_the_picture_towards_the_relative_reading():
    state = reading("a good day", 3.6)
    darker = map_state(state, relative={"valence": -1.0, "arousal": 0.0, "dominance": 0.0})
    brighter = map_state(state, relative={"valence": 1.0, "arousal": 0.0, "dominance": 0.0})
    assert darker.tweaks.brightness < map_state(state).tweaks.brightness < brighter.tweaks.brightness


def test_crisis_entries_never_get_darker_or_stormier_through_the_baseline():
    # a writer who is usually radiant: a crisis entry reads far below the usual
    worst = {"valence": -1.0, "arousal": 1.0, "dominance": -1.0, "stress": 1.0, "anxiety": 1.0, "interest": -1.0}
    for valence, arousal in ((1.2, 4.6), (2.5, 3.0), (3.8, 2.0)):
        state = reading("I can't go on", valence, arousal, stress=0.9, crisis=True)
        absolute, relative = map_state(state), map_state(state, relative=worst)
        assert relative.tweaks.brightness >= absolute.tweaks.brightness
        assert relative.tweaks.turbulence <= absolute.tweaks.turbulence
        assert relative.motif["storm"] <= absolute.motif["storm"]
        assert relative.scores["valence"] >= absolute.scores["valence"]
        assert relative.scores["arousal"] <= absolute.scores["arousal"]
        assert "only brighten and calm" in relative.explanation[0]["effect"]


# -- pipeline ---------------------------------------------------------------------------------------------------------
def test_changing_the_baseline_re_renders_in_place_and_the_same_again_skips(tmp_path):
    entries = journal(DAYS)
    assert run(entries, tmp_path).rendered == len(DAYS)
    assert run(entries, tmp_path).skipped == len(DAYS)
    none = run(entries, tmp_path, baseline="none")
    assert (none.rendered, none.skipped) == (len(DAYS), 0)
    assert run(entries, tmp_path, baseline="none").skipped == len(DAYS)
    assert run(entries, tmp_path, baseline="journal").rendered == len(DAYS)
    assert len(list((tmp_path / "images").glob("*.png"))) == len(DAYS)
    with Store(tmp_path) as store:
        meta = store.get_meta("baseline")
        rows = store.entries()
    assert meta["mode"] == "journal" and meta["baseline"]["n"] == len(DAYS)
    for row in rows:
        assert row["params"]["baseline"] == "journal" and row["params"]["relative"]
        assert row["conditioning"]["scores"]["baseline"] == row["params"]["relative"]


def test_adding_entries_re_renders_only_what_moved_and_resume_stays_exact(tmp_path):
    run(journal(DAYS), tmp_path)
    grown = journal([*DAYS, "a plain afternoon", "glad for friends"])
    summary = run(grown, tmp_path)
    assert summary.rendered >= 2 and summary.rendered + summary.skipped == len(grown)
    assert run(grown, tmp_path).skipped == len(grown)


def test_one_entry_journal_uses_the_absolute_reading_and_notes_it_once(tmp_path):
    summary = run(journal(["glad to be here"]), tmp_path)
    assert summary.rendered == 1 and "too few entries for a personal baseline" in summary.baseline_note
    with Store(tmp_path) as store:
        row = store.entries()[0]
    assert row["params"]["relative"] is None and "baseline" not in row["conditioning"]["scores"]
    absolute = map_state(fake_analyze(["glad to be here"])[0], key=row["key"])
    assert row["conditioning"]["prompt"] == absolute.prompt


def test_empty_entries_are_painted_but_left_out_of_the_usual(tmp_path):
    summary = run(journal([*DAYS[:4], "!!", "🙂"]), tmp_path)
    assert summary.rendered == 6 and summary.baseline_note  # 4 readable entries only
    summary = run(journal([*DAYS, "!!", "🙂"]), tmp_path / "b")
    assert summary.baseline_note is None
    with Store(tmp_path / "b") as store:
        assert store.get_meta("baseline")["baseline"]["n"] == len(DAYS)


def test_cli_baseline_option(tmp_path, monkeypatch, capsys):
    backend = FakeBackend()
    monkeypatch.setattr(visualizer.affect, "analyze", fake_analyze)
    monkeypatch.setattr(visualizer.affect, "load_model", lambda *args: None)
    monkeypatch.setattr(visualizer.render, "get_backend", lambda name, model=None, device=None: backend)
    source = tmp_path / "j.md"
    source.write_text("".join(f"## 2025-01-{i + 1:02d}\n{text}\n\n" for i, text in enumerate(DAYS)))
    out = str(tmp_path / "out")
    assert main(["render", str(source), "--out", out, "--json", "--size", "64"]) == 0
    assert main(["render", str(source), "--out", out, "--json", "--size", "64", "--baseline", "none"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["rendered"] == len(DAYS)
    one = tmp_path / "one.md"
    one.write_text("## 2025-01-01\nglad to be here\n")
    assert main(["render", str(one), "--out", str(tmp_path / "o1"), "--size", "64"]) == 0
    assert capsys.readouterr().err.count("too few entries for a personal baseline") == 1
    with pytest.raises(SystemExit):
        main(["render", str(source), "--out", out, "--baseline", "weekly"])


# -- display ----------------------------------------------------------------------------------------------------------
def test_journal_tab_timeline_and_site_show_the_comparison(tmp_path):
    from visualizer.gallery.site import export_site
    from visualizer.ui import records
    from visualizer.ui.journal import _compared_markdown

    summary = run(journal(DAYS), tmp_path / "out")
    shown = records.load(tmp_path / "out")
    calm = next(r for r in shown if "calm" in r.text)
    assert calm.relative and "calmer" in calm.compared and "Compared with your usual" in records.details_markdown(calm)
    assert all(panel.patches for panel in records.timeline(shown).axes[:-1]), "the usual drawn as a band"
    assert "**Compared with your usual:**" in _compared_markdown(summary, shown)
    site = export_site(tmp_path / "out", tmp_path / "site")
    pages = "".join(p.read_text(encoding="utf-8") for p in Path(site).rglob("*.html"))
    assert "Compared with your usual: calmer" in pages and (Path(site) / "timeline.png").is_file()
    lonely = run(journal(["glad to be here"]), tmp_path / "one")
    assert "too few entries" in _compared_markdown(lonely, records.load(tmp_path / "one"))
