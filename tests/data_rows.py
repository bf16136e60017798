"""The JSON-lines sets the tests read (tests/data, and training lines shipped in the package), read one way."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).parent / "data"


def read_rows(path: str | Path) -> list[dict]:
    """One dict per non-blank line; a bare file name is looked up in tests/data."""
    path = DATA / path if isinstance(path, str) else path
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
