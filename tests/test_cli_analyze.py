"""`visualizer analyze` and `eval` from the command line, including every bad input we have met."""

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import visualizer.affect
from visualizer.affect import InnerState
from visualizer.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "affect"


RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what a terminal would act on (tab and newline aside)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def cli(*argv, stdin: bytes = b"", timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m visualizer.cli ARGV` in a child process (for stdin and special files), bounded in time."""
    return subprocess.run([sys.executable, "-m", "visualizer.cli", *argv], input=stdin, capture_output=True,
                          timeout=timeout, env=os.environ | {"PYTHONPATH": str(Path(__file__).parents[1])})


@pytest.fixture
def fake_reader(monkeypatch):
    """A stand-in for the model where the reading is not the point: every text gets the neutral reading, and the
    batches it was handed are recorded."""
    batches: list[list[str]] = []

    def analyze(texts, **_):
        batches.append(list(texts))
        return [InnerState.neutral(text) for text in texts]

    monkeypatch.setitem(visualizer.affect.__dict__, "analyze", analyze)  # setitem: no import of the real model
    return batches


def test_text_to_json(capsys):
    code, out, _ = run(capsys, "analyze", "--text", "I wish I could see the sea again. Work was awful.", "--json")
    record = json.loads(out.strip().splitlines()[-1])
    assert code == 0
    assert set(record) >= {"emotions", "vad", "stress", "desires", "sentences"}
    assert len(record["emotions"]) == 28 and set(record["vad"]) == {"valence", "arousal", "dominance"}
    assert record["desires"][0]["text"] == "the sea" and 0 < record["desires"][0]["intensity"] <= 1
    assert len(record["sentences"]) == 2
    assert 0.0 <= record["anxiety"] <= 1.0 and 0.0 <= record["interest"] <= 1.0
    assert all(-1.0 <= x <= 1.0 for x in record["vad_normalised"].values())
    assert all("anxiety" in s and "interest" in s for s in record["sentences"])


def test_readable_output_has_bars_vad_stress_and_desires(capsys):
    code, out, _ = run(capsys, "analyze", "--text", "I miss my grandmother's garden so much.")
    assert code == 0
    assert "█" in out and "valence" in out and "stress" in out and "my grandmother's garden" in out


def test_one_json_object_per_entry(capsys, tmp_path):
    journal = tmp_path / "diary.md"
    journal.write_text("## 2025-03-01\nI am happy today.\n\n## 2025-03-02\nI am so tired and sad.\n", encoding="utf-8")
    code, out, _ = run(capsys, "analyze", str(journal), "--json")
    records = [json.loads(line) for line in out.strip().splitlines()]
    assert code == 0 and [r["date"] for r in records] == ["2025-03-01", "2025-03-02"]


def test_missing_file_is_an_error_not_text(capsys, tmp_path):
    code, out, err = run(capsys, "analyze", str(tmp_path / "nope.txt"), "--json")
    assert code != 0 and "nope.txt" in err and "no such file" in err and out == ""


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_empty_text_is_unusable(capsys, text):
    code, _, err = run(capsys, "analyze", "--text", text)
    assert code != 0 and err.startswith("error:")


def test_emoji_only_gets_the_neutral_reading(capsys):
    code, out, _ = run(capsys, "analyze", "--text", "😭💔😭", "--json")
    record = json.loads(out.strip().splitlines()[-1])
    assert code == 0 and record["signal"] is False and record["active_emotions"] == ["neutral"]


def test_non_english_text_is_read_with_a_warning(capsys):
    code, out, err = run(capsys, "analyze", "--text", "Je voudrais revoir la mer encore une fois, elle me manque.", "--json")
    assert code == 0 and "English" in err and json.loads(out.strip().splitlines()[-1])["signal"] is True


def test_binary_file_is_refused_with_its_name(capsys, tmp_path):
    blob = tmp_path / "photo.jpg"
    blob.write_bytes(bytes(range(256)) * 8)
    code, _, err = run(capsys, "analyze", str(blob))
    assert code != 0 and "photo.jpg" in err


def test_invalid_utf8_on_stdin_is_refused(tmp_path):
    result = cli("analyze", "-", stdin=b"caf\xe9 \xff\xfe\x00")
    assert result.returncode != 0 and b"UTF-8" in result.stderr and b"Traceback" not in result.stderr


def test_very_long_entry_is_read_whole(capsys):
    sentence = "The rain kept falling on the roof and I kept thinking about you. "
    text = (sentence * (200_000 // len(sentence) + 1))[:200_000]
    code, out, _ = run(capsys, "analyze", "--text", text, "--json")
    record = json.loads(out.strip().splitlines()[-1])
    assert code == 0 and len(record["sentences"]) == text.count(".") + 1  # the cut leaves a last partial sentence
    assert record["sentences"][-1]["text"] == text[text.rindex(".") + 1:].strip()


def test_eval_prints_metrics_as_last_json_line(capsys):
    code, out, _ = run(capsys, "eval", "emobank", str(FIXTURES / "emobank.csv"), "--split", "test", "--json")
    metrics = json.loads(out.strip().splitlines()[-1])
    assert code == 0 and set(metrics) == {"pearson_v", "pearson_a", "pearson_d", "n"} and metrics["n"] == 7


def test_eval_names_file_and_line_of_a_bad_row(capsys):
    code, _, err = run(capsys, "eval", "goemotions", str(FIXTURES / "bad_goemotions.tsv"), "--json")
    assert code != 0 and "bad_goemotions.tsv:1" in err


def test_chinese_text_takes_the_multilingual_path_and_says_what_is_not_validated(capsys):
    code, out, err = run(capsys, "analyze", "--text", "工作压力很大，老板又让我加班。我好想再去看一次大海。", "--json")
    assert code == 0
    record = json.loads(out.strip().splitlines()[-1])
    assert [d["text"] for d in record["desires"]] == ["大海"]
    assert len(record["sentences"]) == 2 and {s["language"] for s in record["sentences"]} == {"zh"}
    assert record["language"] == "zh" and "multilingual" in record["notice"] and "not validated" in record["notice"]
    assert "not validated" in err
    _, out, english = run(capsys, "analyze", "--text", "I wish I could see the sea again.", "--json")
    record = json.loads(out.strip().splitlines()[-1])
    assert record["language"] == "en" and record["notice"] == "" and "multilingual" not in english


def test_eval_zh_emotions_scores_the_seven_weibo_groups(capsys, tmp_path):
    posts = tmp_path / "posts.jsonl"
    posts.write_text("\n".join(json.dumps({"text": t, "label": l}, ensure_ascii=False) for t, l in [
        ("今天考试通过了，太开心了！", "happiness"), ("外婆走了，我好难过。", "sadness"),
        ("又被插队了，气死我了！", "anger"), ("半夜听到奇怪的声音，好害怕。", "fear")]), encoding="utf-8")
    code, out, _ = run(capsys, "eval", "zh-emotions", str(posts), "--json")
    metrics = json.loads(out.strip().splitlines()[-1])
    assert code == 0 and metrics["n"] == 4 and 0.0 <= metrics["macro_f1"] <= 1.0
    assert set(metrics["f1"]) == {"happiness", "like", "sadness", "anger", "disgust", "fear", "surprise"}


def test_eval_zh_emotions_names_file_and_line_of_a_bad_label(capsys, tmp_path):
    posts = tmp_path / "posts.jsonl"
    posts.write_text('{"text": "好", "label": "happiness"}\n{"text": "坏", "label": "joy"}\n', encoding="utf-8")
    code, _, err = run(capsys, "eval", "zh-emotions", str(posts), "--json")
    assert code != 0 and "posts.jsonl:2" in err


# --- Issue 20: stdin like a file, --format everywhere, nothing raw on the terminal, output as it comes ---


def test_stdin_goes_through_the_same_decoding_as_a_file(capsys, monkeypatch, fake_reader):
    diary = "今天很想念我的家乡，工作压力很大。"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(diary.encode("gbk"))))
    code, out, err = run(capsys, "analyze", "-", "--json")
    assert code == 0 and fake_reader == [[diary]]
    assert "warning: <stdin>: not UTF-8; read as Simplified Chinese GBK" in err


def test_format_is_honoured_for_text_and_stdin(capsys, monkeypatch, fake_reader):
    line = '{"date": "2025-03-01", "text": "I miss the sea."}'
    assert run(capsys, "analyze", "--text", line, "--format", "text")[0] == 0
    assert run(capsys, "analyze", "--text", line)[0] == 0
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(line.encode())))
    assert run(capsys, "analyze", "-", "--format", "text")[0] == 0
    assert fake_reader == [[line], ["I miss the sea."], [line]]
    code, _, err = run(capsys, "analyze", "--text", line, "--format", "docx")
    assert code == 2 and "unknown format 'docx'" in err


def test_command_line_text_that_python_could_not_decode_is_cleaned(capsys, fake_reader):
    code, _, err = run(capsys, "analyze", "--text", b"caf\xe9 au lait".decode("utf-8", "surrogateescape"))
    assert code == 0 and fake_reader == [["caf\ufffd au lait"]] and "invalid character" in err


HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m\x85\x7f"


def test_escape_codes_in_diary_text_never_reach_the_terminal_raw(capsys, tmp_path, fake_reader):
    journal = tmp_path / f"diary{HOSTILE}.jsonl"
    journal.write_text(json.dumps({"date": "2025-03-01", "author": f"Ana{HOSTILE}", "text": f"Sad{HOSTILE} day."})
                       + "\n" + json.dumps({"date": f"soon{HOSTILE}", "text": "x"}) + "\n", encoding="utf-8")
    for extra in ([], ["--json"]):
        code, out, err = run(capsys, "analyze", str(journal), *extra)
        assert code == 0 and not RAW_CONTROL.search(out) and not RAW_CONTROL.search(err), (out, err)
        assert "warning:" in err and "\\x1b" in err  # the escape is shown as text, not obeyed
    record = json.loads(out.splitlines()[0])
    assert record["text"] == f"Sad{HOSTILE} day." and record["author"] == f"Ana{HOSTILE}"  # escaped, not lost
    assert "\\u0085" in out and "\\u009b" in out and "\\u007f" in out


def test_readable_output_of_a_real_reading_shows_escape_codes_as_text(capsys):
    code, out, err = run(capsys, "analyze", "--text", f"I wish I could see the sea{HOSTILE} again.")
    assert code == 0 and "█" in out and not RAW_CONTROL.search(out) and not RAW_CONTROL.search(err)


def test_a_big_journal_is_read_in_chunks_and_printed_as_it_goes(capsys, tmp_path, fake_reader, monkeypatch):
    from visualizer.commands import analyze

    journal = tmp_path / "big.jsonl"
    journal.write_text("\n".join(json.dumps({"date": "2025-03-01", "text": f"Entry {n}."}) for n in range(600)))
    printed_before: list[int] = []
    lines: list[str] = []

    def reader(texts, **_):
        lines.extend(capsys.readouterr().out.splitlines())
        printed_before.append(len(lines))
        return [InnerState.neutral(text) for text in texts]

    monkeypatch.setitem(visualizer.affect.__dict__, "analyze", reader)
    assert main(["analyze", str(journal), "--json"]) == 0
    lines.extend(capsys.readouterr().out.splitlines())
    assert analyze.CHUNK_ENTRIES == 256 and printed_before == [0, 256, 512]
    assert [json.loads(line)["text"] for line in lines] == [f"Entry {n}." for n in range(600)]


def test_an_entry_over_the_limit_is_skipped_with_the_setting_named(capsys, monkeypatch, fake_reader):
    monkeypatch.setenv("VISUALIZER_MAX_ENTRY_CHARS", "50")
    code, out, err = run(capsys, "analyze", "--text", "I kept writing. " * 10)
    assert code == 2 and out == "" and fake_reader == []
    assert "159 characters long; skipped" in err and "VISUALIZER_MAX_ENTRY_CHARS" in err and "no entries" in err


def test_a_named_pipe_or_dev_stdin_as_the_file_is_refused_at_once(tmp_path):
    fifo = tmp_path / "journal.txt"
    os.mkfifo(fifo)
    for path in (str(fifo), "/dev/stdin"):
        result = cli("analyze", path, "--json", stdin=b"## 2025-03-01\nPiped words.")
        assert result.returncode == 2 and b"Traceback" not in result.stderr
        assert b"is a named pipe (FIFO), not a journal file (to read from a pipe, pass -" in result.stderr


def _jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n", encoding="utf-8")


def test_eval_fresh_counts_a_held_back_set_through_the_whole_reading(capsys, tmp_path):
    """Crisis flags and false flags by kind, harm wishes left as desires, and the accounts' figures with valence by
    group, from whichever of the set's files are there; no text is printed."""
    _jsonl(tmp_path / "crisis_en_lines.jsonl", [
        {"text": "I have decided to kill myself on Sunday.", "crisis": True, "kind": "chosen_day"},
        {"text": "We had soup and watched the rain.", "crisis": False, "kind": "light_day"}])
    _jsonl(tmp_path / "harm_wishes.jsonl", [
        {"text": "I want to poison my neighbour's tea.", "language": "en", "harm": True},
        {"text": "I wish I could see the sea again.", "language": "en", "harm": False}])
    _jsonl(tmp_path / "accounts_en.jsonl", [
        {"text": "My daughter was born this morning and she is perfect.", "label": "joy"},
        {"text": "We buried our dog under the apple tree today.", "label": "sadness"}])
    code, out, _ = run(capsys, "eval", "fresh", str(tmp_path), "--json")
    report = json.loads(out.strip().splitlines()[-1])
    assert code == 0 and set(report) == {"crisis_en_lines", "harm_wishes", "accounts_en"}
    lines = report["crisis_en_lines"]
    assert (lines["crisis"], lines["crisis_flagged"], lines["ordinary"], lines["ordinary_flagged"]) == (1, 1, 1, 0)
    assert lines["missed_kinds"] == {} and lines["false_flag_kinds"] == {}
    assert report["harm_wishes"] == {"harm": 1, "harm_with_desire": 0, "ordinary": 1, "ordinary_with_desire": 1}
    accounts = report["accounts_en"]
    assert accounts["n"] == 2 and accounts["mean_valence"]["joy"] > 0 > accounts["mean_valence"]["sadness"]
    assert "soup" not in out and "daughter" not in out


def test_eval_fresh_names_the_file_and_line_of_a_bad_row_and_an_empty_folder(capsys, tmp_path):
    (tmp_path / "accounts_en.jsonl").write_text('{"text": "A fine day.", "label": "joy"}\n'
                                                '{"text": "A day.", "label": "boredom"}\n', encoding="utf-8")
    code, _, err = run(capsys, "eval", "fresh", str(tmp_path))
    assert code != 0 and "accounts_en.jsonl:2" in err and "boredom" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "eval", "fresh", str(empty))
    assert code != 0 and "holds none of" in err
    code, _, err = run(capsys, "eval", "fresh", str(tmp_path), "--weights", "other.safetensors")
    assert code != 0 and "--weights does not apply" in err
