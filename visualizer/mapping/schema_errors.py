"""How a problem in an art-direction file reads: one line naming the key, for the person editing the file.

pydantic locates each error by its key path (`loc`); `where` writes that path as the file's reader sees it
(`[shoreline] valence`, `[render] scenes[0]`, `[concepts] 'the sea' shape`), and `describe` says what is wrong in
the project's words ("must be a number, got 'low'") rather than pydantic's ("Input should be a valid number").
"""

from __future__ import annotations

import re

from pydantic_core import ErrorDetails, PydanticCustomError

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")  # a TOML key written without quotes
_KEY_ITSELF = "[key]"  # pydantic's last `loc` step for an error in a table's key rather than in its value
# pydantic's error types, in the words of the file's author; `{input!r}` is the value as written
_MESSAGES = {
    "model_type": "must be a table",
    "dict_type": "must be a table",
    "list_type": "must be a list",
    "string_type": "must be text",
    "float_type": "must be a number, got {input!r}",
    "int_type": "must be a whole number, got {input!r}",
}


def where(loc: tuple[str | int, ...]) -> str:
    """The key path as written in the file: the table in brackets, then keys, list positions as `[i]`."""
    steps: list[str] = []
    for step in loc:
        if isinstance(step, int):
            steps[-1] += f"[{step}]"
        elif step != _KEY_ITSELF:
            steps.append(_key(step))
    return " ".join([f"[{steps[0]}]", *steps[1:]]) if steps else ""


def _key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else repr(name)


def problem(message: str, at: tuple[str | int, ...] = ()) -> PydanticCustomError:
    """A validation error worded for the file's author; `at` places it, for checks over a whole file (pydantic gives
    their errors no location of their own)."""
    return PydanticCustomError("art_direction", "{text}", {"text": " ".join(filter(None, (where(at), message)))})


def describe(error: ErrorDetails) -> str:
    """One line: where in the file, and what is wrong there."""
    loc = tuple(error["loc"])
    if error["type"] == "missing":
        return " ".join(filter(None, (where(loc[:-1]), "lacks", _key(loc[-1]))))
    template = _MESSAGES.get(error["type"])
    message = template.format(input=error.get("input")) if template else error["msg"]
    return " ".join(filter(None, (where(loc), message)))
