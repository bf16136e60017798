"""Settings tables: dataclasses whose fields carry their default and their help, and the parsers built from them.

A default typed twice, once on the dataclass and once as an argparse default, drifts apart; so each knob is declared
once with `setting(default, help)`, `add_arguments` writes its flag (type, default, choices, help ending in the
default) and `from_args` reads the flags back into the dataclass. A `bool` field is a switch to the other value.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from visualizer.errors import UserError

Settings = TypeVar("Settings")
VALUE_TYPES = (int, float, Path)  # the field types a flag converts to; any other field takes the flag's text


def setting(default: Any, help: str, *, flag: str | bool = True, switch: Any = None, env: str | None = None,
            parse: Callable[[str], Any] | None = None, choices: Sequence[str] | None = None,
            metavar: str | None = None) -> Any:
    """A dataclass field with its `default` and its `help`.

    `flag`: True for `--field-name`, another name, or False for a knob no command line sets; `switch`: the value a
    flag taking no argument sets (bool fields switch to `not default` by themselves); `env`: a variable that replaces
    the default when set; `parse`, `choices`, `metavar`: as argparse's `type`, `choices`, `metavar`.
    """
    return dataclasses.field(default=default, metadata={"help": help, "flag": flag, "switch": switch, "env": env,
                                                        "parse": parse, "choices": choices, "metavar": metavar})


def flagged(table: type) -> list[dataclasses.Field]:
    """The fields of `table` that a command line sets, in declaration order."""
    return [f for f in dataclasses.fields(table) if f.metadata.get("flag")]


def flag_name(field: dataclasses.Field) -> str:
    flag = field.metadata["flag"]
    return flag if isinstance(flag, str) else "--" + field.name.replace("_", "-")


def add_arguments(parser: argparse.ArgumentParser, table: type) -> None:
    """One flag per flagged field of the settings `table`, with the field's name as its destination."""
    hints = typing.get_type_hints(table)
    for field in flagged(table):
        meta, flag = field.metadata, flag_name(field)
        default = (meta["env"] and os.environ.get(meta["env"])) or field.default
        switch = (not field.default) if hints[field.name] is bool else meta["switch"]
        if switch is not None:
            parser.add_argument(flag, dest=field.name, action="store_const", const=switch, default=default,
                                help=meta["help"])
        else:
            metavar = meta["metavar"] or (None if meta["choices"] else flag.lstrip("-").replace("-", "_").upper())
            parser.add_argument(flag, dest=field.name, default=default, help=_help(field), choices=meta["choices"],
                                type=meta["parse"] or _value_type(hints[field.name]), metavar=metavar)


def from_args(table: type[Settings], args: argparse.Namespace, **converted: Any) -> Settings:
    """The settings `table` filled from parsed `args` (the defaults for unflagged fields), then `converted`."""
    return table(**{f.name: getattr(args, f.name) for f in flagged(table)} | converted)


def markdown_table(table: type) -> str:
    """The flags of the settings `table` as a Markdown table (option, default, what it does): the docs are built
    from the same declaration as the parser, so they cannot state another default."""
    rows = ["| option | default | what it does |", "|---|---|---|"]
    hints = typing.get_type_hints(table)
    for field in flagged(table):
        meta = field.metadata
        switch = hints[field.name] is bool or meta["switch"] is not None
        default = "off" if switch else "" if field.default is None else f"`{field.default}`"
        if meta["env"]:
            default = f"`${meta['env']}`" + (f" or {default}" if default else "")
        help = meta["help"].replace("|", "\\|")
        rows.append(f"| `{flag_name(field)}` | {default} | {help} |")
    return "\n".join(rows)


def checked_choice(table: type, name: str, value: str | None) -> str:
    """`value` (any case, spaces around) as one of the choices the field `name` of `table` declares; UserError
    naming them when it is none, for settings that arrive without a parser (the UI, the Python API)."""
    choices = next(f for f in dataclasses.fields(table) if f.name == name).metadata["choices"]
    wanted = (value or "").strip().lower()
    if wanted not in choices:
        raise UserError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return wanted


def _help(field: dataclasses.Field) -> str:
    """The field's help ending in its default, so `--help` never states a default the table does not hold."""
    help, env, default = field.metadata["help"], field.metadata["env"], field.default
    if env:
        return f"{help} (default: ${env} or {default})" if default is not None else f"{help} (or set ${env})"
    return help if default is None else f"{help} (default: {default})"


def _value_type(hint: Any) -> Callable[[str], Any] | None:
    """The type a flag's text converts to for a field annotated `hint` (`X | None` counts as X); None keeps text."""
    kinds = [kind for kind in typing.get_args(hint) or (hint,) if kind is not type(None)]
    return kinds[0] if len(kinds) == 1 and kinds[0] in VALUE_TYPES else None
