"""The house keeps its shape: stages import only downwards, the runtime never imports training, no import circles.

Every `import` and `from … import` of a `visualizer` module is read from the source (module level and inside
functions alike, since a deferred import is still a dependency), so the check costs no import and cannot be fooled
by laziness. A module's room is the first of `ROOMS` its name starts with.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "visualizer"
# Lowest first: a module may import its own room and the rooms below it, never one above.
ROOMS = [
    ("base", ("visualizer.errors", "visualizer.console", "visualizer.tempfiles", "visualizer.lazy_exports",
              "visualizer.settings", "visualizer.quiet", "visualizer.text")),
    ("ingest", ("visualizer.ingest",)),
    ("safety", ("visualizer.safety",)),
    ("affect", ("visualizer.affect",)),
    ("mapping", ("visualizer.mapping", "visualizer.prompts")),
    ("reflection", ("visualizer.reflection",)),
    ("render", ("visualizer.render",)),
    ("gallery", ("visualizer.gallery", "visualizer.portrait")),  # the portrait is an export of the store, in the site
    ("painting", ("visualizer.painting", "visualizer.pipeline")),
    ("training", ("visualizer.training",)),
    ("faces", ("visualizer.commands", "visualizer.ui", "visualizer.cli", "visualizer.__main__", "visualizer.reference")),
]
RUNTIME = {"base", "ingest", "safety", "affect", "mapping", "reflection", "render", "gallery", "painting"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def room(name: str) -> tuple[int, str]:
    for rank, (title, prefixes) in enumerate(ROOMS):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return rank, title
    if name == "visualizer":
        return 0, "base"
    raise AssertionError(f"{name} is in no room of tests/test_layout.py ROOMS: give it one")


def imports(name: str) -> set[str]:
    """The visualizer modules `name` imports (a `from package import module` names the module)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {target for target in found if target in MODULES and target != name}


GRAPH = {name: imports(name) for name in MODULES}


def test_every_module_has_a_room():
    for name in MODULES:
        room(name)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_imports_a_room_above_its_own(name):
    rank, title = room(name)
    upward = sorted(t for t in GRAPH[name] if room(t)[0] > rank)
    assert not upward, f"{name} ({title}) imports {upward} from rooms above it"


def test_the_runtime_never_imports_training():
    offenders = {name: sorted(t for t in GRAPH[name] if room(t)[1] == "training")
                 for name in MODULES if room(name)[1] in RUNTIME}
    assert not {name: found for name, found in offenders.items() if found}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of `graph` with more than one member: its import circles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = stack[stack.index(node):]
            del stack[stack.index(node):]
            if len(component) > 1:
                found.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return found


def test_no_import_circles():
    assert not circles(GRAPH), f"import circles: {circles(GRAPH)}"


def test_the_checks_can_fail():
    """A made-up circle is found, an upward import is seen as one, and real imports are read at all."""
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert room("visualizer.mapping.mapping")[0] < room("visualizer.render.base")[0]
    assert "visualizer.affect.model" in GRAPH["visualizer.affect.predict"]
