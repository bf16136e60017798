"""`visualizer gallery DIR --out SITE [--zip] [--redact]`: export a render folder as a static site."""

from __future__ import annotations


def register(subparsers) -> None:
    parser = subparsers.add_parser("gallery", help="export a render folder as a self-contained static site",
                                   description="Write an HTML gallery (index, one page per entry, mood timeline, "
                                               "contact sheets) that opens from file:// with no network. SITE is "
                                               "built aside and swapped in when complete; an existing SITE is "
                                               "replaced only when it is an earlier export holding nothing else.")
    parser.add_argument("dir", help="output folder of `visualizer render`")
    parser.add_argument("--out", required=True,
                        help="folder to write the site into: a new one, or an earlier export to replace")
    parser.add_argument("--zip", action="store_true", help="also write SITE.zip next to the folder")
    parser.add_argument("--redact", action="store_true",
                        help="leave every piece of diary text out (text, titles, desires, sentences, image metadata)")
    parser.set_defaults(run=run)


def run(args) -> int:
    import sys

    from visualizer.console import say
    from visualizer.gallery import export_site

    result = export_site(args.dir, args.out, redact=args.redact, zip=args.zip)
    site = result.with_suffix("") if args.zip else result
    say(f"gallery: {site / 'index.html'}" + (" (diary text left out)" if args.redact else ""), file=sys.stdout)
    if args.zip:
        say(f"zip: {result}", file=sys.stdout)
    return 0
