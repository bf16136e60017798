"""`visualizer analyze FILE|- [--text TEXT] [--json]`: the reading of every entry.

A file, stdin and `--text` go through the same ingest (encodings, `--format`, limits, checks). Entries are read
CHUNK_ENTRIES at a time and each chunk's readings printed as they come, so a large journal shows output within
seconds and memory holds one chunk of readings, not the whole journal's. Diary text reaches the terminal in
readings, warnings and notes: all of it passes `console.printable`, and JSON lines escape every control
character, so escape sequences in an entry are shown, never obeyed.

Each entry carries its reflection (`visualizer.reflection`) in its language: the journal is walked in its order, so
an entry can echo an earlier one's longing, and once enough entries are read (`affect.baseline.MIN_ENTRIES`) it says
how the entry stands against the writer's usual. The usual is the one the render pipeline paints with, the median of
the journal's readable entries, taken over the entries read so far: the whole journal when it fits one chunk (as
almost every diary does), the first chunks of a longer one, whose printing cannot wait for its end. Only each
entry's scores are kept for it, a few dozen numbers.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from visualizer.console import printable, say
from visualizer.errors import UserError
from visualizer.ingest.formats import format_help

BAR_WIDTH = 24
CHUNK_ENTRIES = 256  # entries per model call: a full batch for the encoder, printed within seconds
# json.dumps(ensure_ascii=False) escapes C0 controls but writes DEL, C1 controls and lone surrogates raw; inside
# JSON strings (the only place non-ASCII can stand) a \uXXXX escape is the same value
_RAW_IN_JSON = re.compile(r"[\x7f-\x9f\ud800-\udfff]")


def register(subcommands) -> None:
    parser = subcommands.add_parser("analyze", help="read the inner state of diary text",
                                    description="Emotions, valence/arousal/dominance, stress and desires per entry.")
    parser.add_argument("input", nargs="?", help="journal or chat file, or - for stdin")
    parser.add_argument("--text", help="analyse this literal text instead of a file")
    parser.add_argument("--format", default="auto", help=format_help())
    parser.add_argument("--json", action="store_true", help="one JSON object per entry, one per line")
    parser.add_argument("--top", type=int, default=5, help="emotions to show in the readable output")
    parser.add_argument("--emotion-model", metavar="ID", help="Hugging Face text-classification model id or folder "
                        "to read emotions with instead of the shipped head")
    parser.set_defaults(run=run)


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


def json_line(record: dict) -> str:
    """`record` as one JSON line with no character a terminal would act on (see _RAW_IN_JSON)."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(record, ensure_ascii=False))


def run(args: argparse.Namespace) -> int:
    from visualizer.ingest import read_input

    result = read_input(args.input, args.text, args.format)
    for problem in result.problems:
        say(f"warning: {problem}")
    if not result.entries:
        raise UserError(f"{args.input or '--text'}: no entries to analyse")
    from visualizer.affect import analyze

    from visualizer.affect.baseline import from_scores, readable, scores
    from visualizer.reflection import Journal, reflect

    flagged, usable, journal = [], [], Journal()
    for start in range(0, len(result.entries), CHUNK_ENTRIES):
        chunk = result.entries[start:start + CHUNK_ENTRIES]
        states = analyze([entry.text for entry in chunk], emotion_model=args.emotion_model)
        usable += [scores(state) for state in states if readable(state)]
        usual = from_scores(usable)
        for entry, state in zip(chunk, states):
            date = entry.date.isoformat() if entry.date else None
            history = journal.history(date, [d.text for d in state.desires], state.crisis,
                                      usual.relative(state) if readable(state) else None)
            _show(entry, state, reflect(state, history).to_dict(), args)
        sys.stdout.flush()
        flagged += [state.language for state in states if state.crisis]
    if flagged:
        from visualizer.safety.help import help_languages, help_message

        for language in help_languages(flagged):
            message = help_message(language)
            print(f"\n{message.title}\n{message.plain}", file=sys.stderr)
    return 0


def _show(entry, state, reflection: dict, args: argparse.Namespace) -> None:
    """One entry's reading and reflection on stdout (a JSON line or the readable bars), its notice on stderr."""
    if state.notice:
        say(f"note: {entry.source}: {state.notice}")
    if args.json:
        record = {"date": entry.date.isoformat() if entry.date else None, "source": entry.source,
                  "author": entry.author} | state.to_dict() | {"reflection": reflection}
        print(json_line(record))
    else:
        label = " · ".join(str(x) for x in (entry.date, entry.author) if x) or entry.source
        print(printable(describe(state, label, args.top) + f"\n  {reflection['text']}"), end="\n\n")
