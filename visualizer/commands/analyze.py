"""`visualizer analyze FILE|- [--text TEXT] [--json]`: the reading of every entry."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from visualizer.errors import UserError

BAR_WIDTH = 24


def register(subcommands) -> None:
    parser = subcommands.add_parser("analyze", help="read the inner state of diary text",
                                    description="Emotions, valence/arousal/dominance, stress and desires per entry.")
    parser.add_argument("input", nargs="?", help="journal or chat file, or - for stdin")
    parser.add_argument("--text", help="analyse this literal text instead of a file")
    parser.add_argument("--format", help="journal format (default: detected from the content)")
    parser.add_argument("--json", action="store_true", help="one JSON object per entry, one per line")
    parser.add_argument("--top", type=int, default=5, help="emotions to show in the readable output")
    parser.add_argument("--emotion-model", metavar="ID", help="Hugging Face text-classification model id or folder "
                        "to read emotions with instead of the shipped head")
    parser.set_defaults(run=run)


def read_input(input_path: str | None, text: str | None, format: str | None = None):
    """Entries from `--text`, stdin (`-`) or a file; a missing path is an error, never read as text."""
    from visualizer.ingest import read_journal, read_text

    if (input_path is None) == (text is None):
        raise UserError("give either a FILE (or - for stdin) or --text TEXT")
    if text is not None:
        return read_text(text, source="--text")
    if input_path == "-":
        data = sys.stdin.buffer.read()
        try:
            return read_text(data.decode("utf-8"), source="<stdin>")
        except UnicodeDecodeError as error:
            raise UserError(f"<stdin>: not UTF-8 text (invalid byte at position {error.start})") from error
    path = Path(input_path)
    if not path.exists():
        raise UserError(f"{path}: no such file (to analyse literal text, use --text)")
    return read_journal(path, format=format)


def _bar(p: float) -> str:
    full = round(p * BAR_WIDTH)
    return "█" * full + "·" * (BAR_WIDTH - full)


def describe(state, label: str, top: int) -> str:
    """Human-readable reading: emotion bars, V/A/D, stress, desires."""
    lines = [label]
    if not state.signal:
        lines.append("  no words to read here: neutral reading")
        return "\n".join(lines)
    for emotion, p in state.top_emotions(top):
        mark = "*" if emotion in state.active else " "
        lines.append(f"  {emotion:<15}{mark} {_bar(p)} {p:.2f}")
    vad, norm = state.vad, state.vad.normalised()
    lines.append(f"  valence {vad.valence:.2f}  arousal {vad.arousal:.2f}  dominance {vad.dominance:.2f}"
                 f"   (−1…1: {norm.valence:+.2f} {norm.arousal:+.2f} {norm.dominance:+.2f})")
    about = f" (about: {', '.join(state.stressors)})" if state.stressors else ""
    for name, value, note in (("stress", state.stress, about), ("anxiety", state.anxiety, ""),
                              ("interest", state.interest, "")):
        lines.append(f"  {name:<9}{_bar(value)} {value:.2f}{note}")
    if state.crisis:
        lines.append("  signs of crisis: what was written sounds very heavy (help is listed below)")
    for desire in state.desires:
        lines.append(f"  longs for “{desire.text}”  intensity {desire.intensity:.2f}  ← “{desire.cue}”")
    for aversion in state.aversions:
        lines.append(f"  pushes away “{aversion.text}”")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    result = read_input(args.input, args.text, args.format)
    for problem in result.problems:
        print(f"warning: {problem}", file=sys.stderr)
    if not result.entries:
        raise UserError(f"{args.input or '--text'}: no entries to analyse")
    from visualizer.affect import analyze

    states = analyze([entry.text for entry in result.entries], emotion_model=args.emotion_model)
    for entry, state in zip(result.entries, states):
        if state.notice:
            print(f"note: {entry.source}: {state.notice}", file=sys.stderr)
        if args.json:
            record = {"date": entry.date.isoformat() if entry.date else None, "source": entry.source,
                      "author": entry.author} | state.to_dict()
            print(json.dumps(record, ensure_ascii=False))
        else:
            label = " · ".join(str(x) for x in (entry.date, entry.author) if x) or entry.source
            print(describe(state, label, args.top), end="\n\n")
    flagged = [state.language for state in states if state.crisis]
    if flagged:
        from visualizer.affect.crisis import help_languages, help_message

        for language in help_languages(flagged):
            message = help_message(language)
            print(f"\n{message.title}\n{message.plain}", file=sys.stderr)
    return 0
