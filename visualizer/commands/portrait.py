"""`visualizer portrait DIR --out SITE [--by week|month] [--json]`: a render folder's weeks or months as one page."""

from __future__ import annotations


def register(subparsers) -> None:
    parser = subparsers.add_parser("portrait", help="draw a portrait of a rendered journal's weeks or months",
                                   description="Write one self-contained page over a render folder: a calendar of "
                                               "days coloured by feeling, valence, arousal, stress, anxiety and "
                                               "interest against your usual, the longings that return, what weighs "
                                               "most, and each period's contact sheet and mood film. SITE is built "
                                               "aside and swapped in when complete; an existing SITE is replaced "
                                               "only when it is an earlier export holding nothing else. The page "
                                               "quotes no diary text but the short phrases of your longings and "
                                               "of what you push away (none with --redact).")
    parser.add_argument("dir", help="output folder of `visualizer render`")
    parser.add_argument("--out", required=True,
                        help="folder to write the portrait into: a new one, or an earlier export to replace")
    parser.add_argument("--by", choices=("week", "month"), default="week", help="period of the portrait "
                                                                                "(default: week)")
    parser.add_argument("--redact", action="store_true", help="leave the longing and aversion phrases out too")
    parser.add_argument("--json", action="store_true",
                        help='print {"days", "periods", "recurring_longings", "files", ...} as JSON on the last line')
    parser.set_defaults(run=run)


def run(args) -> int:
    import json
    import sys

    from visualizer.affect.baseline import MIN_ENTRIES
    from visualizer.console import say
    from visualizer.portrait import export, summary

    portrait, files = export(args.dir, args.out, by=args.by, redact=args.redact)
    say(f"portrait: {args.out}/index.html ({portrait.entries} entries, {len(portrait.periods)} {args.by}s)",
        file=sys.stdout)
    if not portrait.baseline.available:
        say(f"note: no baseline band — a personal baseline needs {MIN_ENTRIES} readable entries and this journal has "
            f"{portrait.baseline.n}", file=sys.stdout)
    if args.json:
        print(json.dumps(summary(portrait, files), ensure_ascii=False))
    return 0
