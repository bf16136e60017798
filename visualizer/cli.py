"""`visualizer` command line: each subcommand is a module in `visualizer.commands` with `register()`.

Command modules import their heavy dependencies inside `run`, so `visualizer --help` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from visualizer import commands
from visualizer.console import printable
from visualizer.errors import UserError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="visualizer", description="Turn diary text into art: analyse, render, export.")
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in sorted(m.name for m in pkgutil.iter_modules(commands.__path__)):
        importlib.import_module(f"visualizer.commands.{module}").register(subcommands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except UserError as error:
        print(f"error: {printable(error)}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
