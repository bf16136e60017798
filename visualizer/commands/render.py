"""`visualizer render INPUT --out DIR`: paint every entry of a journal or chat, resumably.

The work is `visualizer.pipeline.render_journal`; this module reads the input, reports ingest problems
(file and line), draws the progress bar and prints the summary. Under `accelerate launch` only the main
process talks, the others work quietly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import sys

from visualizer import console
from visualizer.errors import UserError
from visualizer.ingest.formats import format_help
from visualizer.painting import RenderSettings
from visualizer.settings import add_arguments, from_args

MAX_PROBLEMS_SHOWN = 50


def register(subparsers) -> None:
    parser = subparsers.add_parser("render", help="render a journal or chat into images (resumable)",
                                   description="Analyse every entry of a journal or chat export and render each "
                                               "into an image (or an animation) in DIR. Rerunning resumes: finished "
                                               "entries are skipped, failed ones retried.")
    parser.add_argument("input", nargs="?", help="journal or chat file, or - for stdin")
    parser.add_argument("--text", help="render this text instead of a file")
    parser.add_argument("--out", required=True, help="output folder (holds visualizer.sqlite and the images)")
    add_arguments(parser, RenderSettings)
    parser.add_argument("--format", default="auto", help=format_help())
    parser.add_argument("--author", help="only this author's messages/entries (chats: one entry per day)")
    parser.add_argument("--date-order", choices=("dmy", "mdy"), help="force the day/month order of numeric dates")
    parser.add_argument("--since", type=_date, help="first date to render (YYYY-MM-DD)")
    parser.add_argument("--until", type=_date, help="last date to render (YYYY-MM-DD)")
    parser.add_argument("--limit", type=int, help="render at most N entries (after the date filters)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON on the last line")
    parser.add_argument("--force", action="store_true",
                        help="render into a folder that already holds other files (they are never touched)")
    parser.add_argument("--wait", type=_seconds, default=0, metavar="SECONDS",
                        help="if another render is writing into the --out folder, wait up to SECONDS for it to "
                             "finish (default 0: stop at once)")
    parser.set_defaults(run=run)


def _seconds(value: str) -> float:
    """A `--wait` value: a finite number of seconds, 0 or more."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not math.isfinite(seconds) or seconds < 0:
        raise argparse.ArgumentTypeError(f"not a number of seconds (0 or more): {value!r}")
    return seconds


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _progress_bar(enabled: bool):
    """A rich progress bar on stderr (entries done, failures, ETA) and the callback that drives it."""
    if not enabled:
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, \
        TimeRemainingColumn

    bar = Progress(TextColumn("{task.description:<9}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("[red]{task.fields[failed]} failed"), TimeElapsedColumn(), TextColumn("ETA"),
                   TimeRemainingColumn(), console=Console(stderr=True))
    tasks: dict[str, int] = {}

    def update(done: int, total: int, failed: int, stage: str) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total, failed=0)
        bar.update(tasks[stage], completed=done, total=total, failed=failed)

    return bar, update


def crisis_note(flagged: int, languages: list[str] = ("en",)) -> str:
    """The gentle pointer to help printed after a run where some entries show signs of crisis, in the languages
    of those entries (`crisis.help_languages`)."""
    from visualizer.safety.help import help_message

    messages = [help_message(language) for language in languages or ["en"]]
    heavy = "1 entry sounded" if flagged == 1 else f"{flagged} entries sounded"
    return "".join(f"\n{m.title}\n{m.plain}\n" for m in messages) + \
        f"({heavy} very heavy and were painted in a calm, light style.)\n"


def run(args) -> int:
    from visualizer.ingest import filter_entries, read_input
    from visualizer.pipeline import check_render_folder, render_journal
    from visualizer.render.select import check_model

    main = int(os.environ.get("RANK", "0")) == 0
    say = console.say if main else (lambda *a: None)
    check_render_folder(args.out, args.force)  # before minutes of reading, as the model path below
    check_model(args.model)  # a mistyped model path is said before minutes of reading, not after
    result = read_input(args.input, args.text, args.format, args.author, args.date_order)
    for problem in result.problems[:MAX_PROBLEMS_SHOWN]:
        say(f"warning: {problem}")
    if len(result.problems) > MAX_PROBLEMS_SHOWN:
        say(f"warning: … and {len(result.problems) - MAX_PROBLEMS_SHOWN} more problems")
    if not result.entries:
        raise UserError(f"no entries found in {args.input or '--text'} (read as {result.format})")
    if args.limit is not None and args.limit < 0:
        raise UserError("--limit must be ≥ 0")
    entries = filter_entries(result.entries, args.since, args.until, args.limit)
    say(f"read {len(result.entries)} entries as {result.format}; rendering {len(entries)} into {args.out}")
    bar, update = _progress_bar(main and bool(entries))

    def chosen(backend) -> None:
        say(f"backend: {backend.name}" + (f" — {backend.reason}" if getattr(backend, "reason", "") else ""))

    if bar:
        bar.start()
    try:
        settings = from_args(RenderSettings, args)
        summary = render_journal(entries, args.out, settings, progress=update, on_backend=chosen, wait=args.wait,
                                 force=args.force)
    finally:
        if bar:
            bar.stop()
    failed = bool(summary.failed or summary.film_error)
    if not main:
        return 1 if failed else 0
    for failure in summary.failures[:MAX_PROBLEMS_SHOWN]:
        say(f"failed: {failure['date'] or 'undated'} ({failure['where']}) at {failure['stage']}: {failure['error']}")
    lines = [f"{summary.entries} entries: {summary.rendered} rendered, {summary.skipped} already done, "
             f"{summary.failed} failed in {summary.seconds:.1f} s with {summary.backend} → {summary.out}"]
    if summary.film:
        lines.append(f"mood film: {summary.film}")
    if summary.film_error:
        say(f"failed: the mood film: {summary.film_error}")
    if summary.lock_note:
        say(f"note: {summary.lock_note}")
    if summary.baseline_note:
        say(f"note: {summary.baseline_note}")
    for notice, count in summary.notices.items():
        say(f"note: {count} {'entry' if count == 1 else 'entries'}: {notice}")
    if summary.crisis:
        say(crisis_note(summary.crisis, summary.help_languages))
    for line in lines:
        console.say(line, file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps(summary.to_json()))
    return 1 if failed else 0
