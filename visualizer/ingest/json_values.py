"""JSON text → Python values, and JSON values as a problem message shows them, for every JSON-shaped format.

`json.loads` fails in three ways, not one: broken syntax (`JSONDecodeError`), nesting deeper than Python's
recursion limit (`RecursionError`, e.g. 200,000 `[`), and integers too long to convert (a plain `ValueError`).
`load_json` turns all three into one `JsonError` that says what is wrong and where, so no caller can forget one.
A value named in a message is described, not repr'd whole: a field can hold a megabyte of text, a list nested
hundreds deep (whose repr would itself overflow the stack) or a number with thousands of digits.
"""

from __future__ import annotations

import json

SHOWN_CHARS = 40  # characters of a text value quoted in a message


class JsonError(ValueError):
    """JSON that cannot be read: `reason` says why, `line` is the line within the text when known."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


class JsonBeyondLimits(JsonError):
    """JSON too deep or with a number too long for Python to read: still JSON, so format detection can tell it
    from prose and its parser reports it."""


def load_json(text: str) -> object:
    """The value `text` holds; JsonError when it is not JSON or cannot be read."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise JsonError(f"not valid JSON ({error.msg})", error.lineno) from None
    except RecursionError:
        raise JsonBeyondLimits("JSON nested too deeply to read (lists or objects hundreds of levels inside each "
                          "other)") from None
    except ValueError as error:  # an integer of more than 4,300 digits; Python's advice after ':' is not the user's
        raise JsonBeyondLimits(f"JSON value cannot be read ({str(error).split(':')[0]})") from None


def shown(value: object) -> str:
    """A short, safe description of a JSON value for a message: a quoted start of a text, else its kind."""
    if isinstance(value, str):
        return repr(value[:SHOWN_CHARS]) + ("…" if len(value) > SHOWN_CHARS else "")
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, float) or (isinstance(value, int) and abs(value) < 10 ** SHOWN_CHARS):
        return repr(value)
    if isinstance(value, int):
        return "a very long number"
    return {list: "a list", dict: "an object"}.get(type(value), type(value).__name__)
