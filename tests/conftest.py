"""Tests by kind, decided by one rule here so that no test has to remember its marker.

- `browser`: under tests/browser (Chromium through Playwright; skipped without it);
- `quality`: a held-back gate, a test whose module or name speaks of a held-back set ("heldout"): the figures
  the reading must keep on writing it was never tuned on;
- `integration`: a test that works with the real models: one calling `analyze`, `load_model`, `AffectModel`,
  `load_encoder` or `DiffusionBackend` itself or through a fixture of its module, one running the CLI (`main`)
  with nothing patched, and every test of `INTEGRATION_MODULES` (they start the real tool in a subprocess);
- `unit`: everything else (fakes stand in for the models).

    pytest -q                     everything (the README's command, what CI runs)
    pytest -q -m unit             the fast lane while working
    pytest -q -m "not quality"    all but the held-back gates

The rule reads each test's code (and its module's fixtures' code) for those names, so a new test is classified as
it is written. Fixtures shared across files are here (`prompts`); `data_rows.py` reads our data sets.
"""

from __future__ import annotations

import ast
import inspect
import shutil
import textwrap
from functools import lru_cache

import pytest

from visualizer.mapping.data import prompts_dir

KINDS = ("unit", "integration", "quality", "browser")
REAL_MODELS = {"analyze", "load_model", "AffectModel", "load_encoder", "DiffusionBackend"}
INTEGRATION_MODULES = {"test_downloads", "test_lock", "test_external", "test_model", "test_multilingual"}


def pytest_configure(config):
    config.addinivalue_line("markers", "unit: fast, no real model (the default kind)")
    config.addinivalue_line("markers", "integration: reads with the real models")
    config.addinivalue_line("markers", "quality: a held-back gate on the reading's figures")


@lru_cache(maxsize=None)
def _module_fixtures(path) -> dict[str, set[str]]:
    """Names each fixture of the test module at `path` refers to, by fixture name (read from its source)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name: _names(node) for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
            and any("fixture" in ast.unparse(decorator) for decorator in node.decorator_list)}


def _names(node: ast.AST) -> set[str]:
    """Every bare name and attribute name used inside `node`."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | \
        {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}


def _test_names(item) -> set[str]:
    """The names the test function itself uses."""
    return _names(ast.parse(textwrap.dedent(inspect.getsource(item.function))))


def kind(item) -> str:
    if "tests/browser" in str(item.path):
        return "browser"
    if "heldout" in item.module.__name__ or "heldout" in item.name or "held_back" in item.name:
        return "quality"
    if item.module.__name__.rpartition(".")[2] in INTEGRATION_MODULES:
        return "integration"
    names = _test_names(item)
    fixtures = _module_fixtures(item.path)
    for fixture in item.fixturenames:
        names |= fixtures.get(fixture, set())
    unpatched_cli = "main" in names and "monkeypatch" not in item.fixturenames
    return "integration" if names & REAL_MODELS or unpatched_cli else "unit"


def pytest_collection_modifyitems(items):
    for item in items:
        if not any(item.get_closest_marker(k) for k in KINDS):
            item.add_marker(getattr(pytest.mark, kind(item)))


@pytest.fixture
def prompts(tmp_path, monkeypatch):
    """A copy of the prompts folder that a test may edit before its first use; `edit(name, old, new)` changes
    one file (files are read once per folder)."""
    folder = tmp_path / "prompts"
    shutil.copytree(prompts_dir(), folder)
    monkeypatch.setenv("VISUALIZER_PROMPTS", str(folder))

    def edit(name: str, old: str, new: str) -> None:
        path = folder / f"{name}.toml"
        text = path.read_text("utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), "utf-8")

    return edit
