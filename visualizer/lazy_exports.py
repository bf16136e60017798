"""Package names that import their module on first use (PEP 562).

The CLI reads the backend and journal-format registries at start to build its flags; were `visualizer.render` and
`visualizer.ingest` to import every module up front, `visualizer --help` would load Pillow and every parser first.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping


def lazy_exports(package: str, homes: Mapping[str, str]) -> Callable[[str], object]:
    """A module `__getattr__` for `package`: `homes` maps each exported name to the submodule that defines it, which
    is imported when the name is first asked for (and the name then kept on the package)."""
    def __getattr__(name: str) -> object:
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{homes[name]}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
